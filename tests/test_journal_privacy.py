"""Nobody sees another person's journal: every journal URL is checked, found from the URLconf."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from journal.models import PracticeSession

from .factories import PracticeSessionFactory, UserFactory


def journal_patterns():
    """Every named URL pattern of the journal app, so a new URL is covered without editing this."""
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "journal":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                yield pattern.name, "pk" in pattern.pattern.regex.groupindex


JOURNAL_URLS = sorted(journal_patterns())


def test_every_journal_url_is_covered():
    names = {name for name, _ in JOURNAL_URLS}
    assert {"list", "new", "detail", "edit", "delete", "follow_up"} <= names


@pytest.fixture
def owner_session(db):
    return PracticeSessionFactory(user=UserFactory(username="owner"))


def url_for(name, takes_pk, session):
    return reverse(f"journal:{name}", kwargs={"pk": session.pk} if takes_pk else None)


@pytest.mark.parametrize(("name", "takes_pk"), JOURNAL_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(client, owner_session, name, takes_pk, method):
    url = url_for(name, takes_pk, owner_session)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "takes_pk"), [u for u in JOURNAL_URLS if u[1]])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_session_is_404(client, owner_session, name, takes_pk, method):
    client.force_login(UserFactory(username="intruder"))
    before = PracticeSession.objects.values().get()
    response = getattr(client, method)(
        url_for(name, takes_pk, owner_session), {"pain_later": "1", "pain_before": "1"}
    )
    assert response.status_code == 404
    assert PracticeSession.objects.values().get() == before


def test_lists_never_mix_users(client, db):
    mine = PracticeSessionFactory(user=UserFactory(username="me"))
    PracticeSessionFactory(user=UserFactory(username="them"), notes="their secret")
    client.force_login(mine.user)
    response = client.get("/journal/")
    assert list(response.context["page"]) == [mine]
    assert "their secret" not in response.text


def test_admin_lists_sessions_for_staff_only(client, db):
    PracticeSessionFactory()
    client.force_login(UserFactory(username="plain"))
    assert client.get("/admin/journal/practicesession/").status_code == 302
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/journal/practicesession/").status_code == 200
