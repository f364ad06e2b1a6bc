"""Nobody sees or changes another person's routine: every routine URL is checked, from the URLconf."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from acupressure.models import Routine, RoutineStep
from tests.factories import PointFactory, PublicRoutineFactory, RoutineFactory, UserFactory


def routine_patterns():
    """Every journal URL for routines, so a new one is covered without editing this file."""
    # The pages sit inside i18n_patterns (a resolver without a namespace) since issue 20.
    top = get_resolver().url_patterns
    entries = [*top, *(child for entry in top for child in getattr(entry, "url_patterns", []))]
    for entry in entries:
        if getattr(entry, "namespace", None) == "journal":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                if pattern.name.startswith("routine"):
                    yield pattern.name, "pk" in pattern.pattern.regex.groupindex


ROUTINE_URLS = sorted(routine_patterns())
URLS_WITH_PK = [name for name, takes_pk in ROUTINE_URLS if takes_pk]


def test_every_routine_url_is_covered():
    assert {name for name, _ in ROUTINE_URLS} == {
        "routine_list",
        "routine_new",
        "routine_detail",
        "routine_edit",
        "routine_delete",
        "routine_play",
    }


@pytest.fixture
def owners_routine(db):
    return RoutineFactory(
        owner=UserFactory(username="owner"),
        title="Owner's private routine",
        steps=[(PointFactory(code="BL23", slug="bl23"), 60)],
    )


def snapshot():
    return list(Routine.objects.values()), list(RoutineStep.objects.values())


def url_for(name, takes_pk, routine):
    return reverse(f"journal:{name}", kwargs={"pk": routine.pk} if takes_pk else None)


@pytest.mark.parametrize(("name", "takes_pk"), ROUTINE_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, owners_routine, name, takes_pk, method):
    url = url_for(name, takes_pk, owners_routine)
    before = snapshot()
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert snapshot() == before


@pytest.mark.parametrize("name", URLS_WITH_PK)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_routine_is_404(client, owners_routine, name, method):
    client.force_login(UserFactory(username="intruder"))
    before = snapshot()
    data = {"title": "Taken over", "steps-TOTAL_FORMS": "0", "steps-INITIAL_FORMS": "0"}
    response = getattr(client, method)(url_for(name, True, owners_routine), data)
    assert response.status_code == 404
    assert "Owner&#x27;s private routine" not in response.text
    assert snapshot() == before


@pytest.mark.parametrize("name", URLS_WITH_PK)
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_guides_routines_cannot_be_changed_through_journal_urls(client, db, name, method):
    public = PublicRoutineFactory()
    client.force_login(UserFactory())
    before = snapshot()
    response = getattr(client, method)(url_for(name, True, public), {"title": "Mine now"})
    assert response.status_code == 404
    assert snapshot() == before


def test_another_users_routine_number_does_not_prefill_the_log_form(client, owners_routine):
    client.force_login(UserFactory(username="intruder"))
    response = client.get(f"/journal/new/?routine={owners_routine.pk}")
    assert response.status_code == 200
    assert "We could not find the routine" in response.text
    assert "Owner&#x27;s private routine" not in response.text
    assert "routine" not in response.context["form"].initial
    assert "points" not in response.context["form"].initial
