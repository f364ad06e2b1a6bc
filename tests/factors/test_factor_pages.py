"""My factors: built-in ones shown as fixed; the user's own added, renamed, archived and private."""

import pytest
from django.urls import reverse

from journal.models import FACTORS_PER_USER_MAX, Factor, SessionFactor
from tests.factories import FactorFactory, PracticeSessionFactory, UserFactory

LIST = "/journal/factors/"
NEW = "/journal/factors/new/"


def offered_on_log_form(client) -> list[str]:
    form = client.get("/journal/new/").context["form"]
    return [checkbox.choice_label for checkbox in form.factor_checkboxes()]


def edit_url(factor):
    return reverse("journal:factor_edit", args=[factor.pk])


def archive_url(factor):
    return reverse("journal:factor_archive", args=[factor.pk])


def test_the_list_shows_built_in_factors_as_fixed_and_own_ones_with_actions(logged_in, user):
    mine = FactorFactory(owner=user, name="Hot bath")
    response = logged_in.get(LIST)
    assert response.status_code == 200
    assert response.text.count("<h1>") == 1
    assert [f.name for f in response.context["built_in"]] == [
        "Painkiller in the last 4 hours",
        "Heat or cold on the sore area",
        "Stretched or exercised",
        "Sat for a long time before",
        "Slept badly",
    ]
    assert response.context["own"] == [mine]
    assert edit_url(mine) in response.text and archive_url(mine) in response.text
    built_in = Factor.objects.built_in().first()
    assert edit_url(built_in) not in response.text


def test_the_list_counts_only_the_users_own_sessions(logged_in, user):
    slept_badly = Factor.objects.get(slug="slept-badly")
    for owner in [user, user, UserFactory()]:
        session = PracticeSessionFactory(user=owner)
        SessionFactor.objects.create(session=session, factor=slept_badly)
    response = logged_in.get(LIST)
    counts = {f.name: f.session_count for f in response.context["built_in"]}
    assert counts["Slept badly"] == 2
    assert "On 2 of your sessions" in response.text


def test_adding_a_factor_saves_it_for_the_user_and_offers_it_on_the_log_form(logged_in, user):
    response = logged_in.post(NEW, {"name": "  Hot   bath  "})
    assert response.url == LIST
    factor = user.factors.get()
    assert (factor.name, factor.archived) == ("Hot bath", False)
    assert "“Hot bath” added" in logged_in.get(LIST).text
    assert "Hot bath" in offered_on_log_form(logged_in)


def test_renaming_changes_the_name_everywhere(logged_in, user):
    factor = FactorFactory(owner=user, name="Hot bath")
    assert logged_in.get(edit_url(factor)).context["form"]["name"].value() == "Hot bath"
    response = logged_in.post(edit_url(factor), {"name": "Warm bath"})
    assert response.url == LIST
    factor.refresh_from_db()
    assert factor.name == "Warm bath"


def test_renaming_to_a_different_case_of_the_same_name_is_allowed(logged_in, user):
    factor = FactorFactory(owner=user, name="hot bath")
    logged_in.post(edit_url(factor), {"name": "Hot Bath"})
    factor.refresh_from_db()
    assert factor.name == "Hot Bath"


def test_archiving_hides_a_factor_from_the_log_form_and_unarchiving_offers_it_again(
    logged_in, user
):
    factor = FactorFactory(owner=user, name="Hot bath")
    response = logged_in.post(archive_url(factor))
    assert response.url == LIST
    factor.refresh_from_db()
    assert factor.archived
    assert "Hot bath" not in offered_on_log_form(logged_in)
    assert "Archived" in logged_in.get(LIST).text

    logged_in.post(archive_url(factor))
    factor.refresh_from_db()
    assert not factor.archived
    assert "Hot bath" in offered_on_log_form(logged_in)


def test_opening_the_archive_address_directly_changes_nothing(logged_in, user):
    factor = FactorFactory(owner=user)
    assert logged_in.get(archive_url(factor)).url == LIST
    factor.refresh_from_db()
    assert not factor.archived


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_factor_is_404_and_unchanged(logged_in, method):
    theirs = FactorFactory(owner=UserFactory(), name="Their secret")
    for url in [edit_url(theirs), archive_url(theirs)]:
        assert getattr(logged_in, method)(url, {"name": "Mine now"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.archived) == ("Their secret", False)
    assert "Their secret" not in logged_in.get(LIST).text


@pytest.mark.parametrize("method", ["get", "post"])
def test_built_in_factors_cannot_be_renamed_or_archived(logged_in, method):
    built_in = Factor.objects.get(slug="painkiller")
    for url in [edit_url(built_in), archive_url(built_in)]:
        assert getattr(logged_in, method)(url, {"name": "Mine now"}).status_code == 404
    built_in.refresh_from_db()
    assert (built_in.name, built_in.archived) == ("Painkiller in the last 4 hours", False)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the factor a name"),
        ("   ", "Give the factor a name"),
        ("x" * 10_000, "Keep the name to 60 characters (you wrote 10000)"),
        ("x" * 61, "Keep the name to 60 characters (you wrote 61)"),
        ("Hot\x00bath", "Null characters are not allowed"),
        ("\u202eevil", "invisible control characters"),
        ("Hot\u2066bath", "invisible control characters"),
        ("Hot\tbath", "invisible control characters"),
        ("Hot\nbath", "invisible control characters"),
        ("\u200b\u200b", "with letters or numbers in it"),
        ("slept BADLY", "already one of the built-in factors"),
        ("hot bath", "You already have a factor called “Hot bath”"),
        ("OLD SOCKS", "You already have an archived factor called “Old socks”"),
    ],
)
def test_bad_names_are_explained_and_nothing_is_saved(logged_in, user, name, message):
    FactorFactory(owner=user, name="Hot bath")
    FactorFactory(owner=user, name="Old socks", archived=True)
    response = logged_in.post(NEW, {"name": name})
    assert response.status_code == 200
    errors = response.context["form"].errors["name"]
    assert len(errors) == 1 and message in errors[0]
    assert "Nothing has been saved yet" in response.text
    assert user.factors.count() == 2


def test_bad_names_are_refused_when_renaming_too(logged_in, user):
    factor = FactorFactory(owner=user, name="Hot bath")
    response = logged_in.post(edit_url(factor), {"name": "\u202eevil"})
    assert "invisible control characters" in response.text
    assert "<h1>Rename “Hot bath”</h1>" in response.text
    factor.refresh_from_db()
    assert factor.name == "Hot bath"


def test_text_that_cannot_be_stored_is_refused(user):
    """Only JSON can carry a lone surrogate; the form refuses it like the API would."""
    from journal.forms.factors import FactorForm

    form = FactorForm({"name": "Hot \ud800 bath"}, owner=user)
    assert not form.is_valid()
    assert "cannot be saved" in " ".join(form.errors["name"])


def test_names_of_other_users_do_not_count_as_duplicates(logged_in, user):
    FactorFactory(owner=UserFactory(), name="Hot bath")
    logged_in.post(NEW, {"name": "Hot bath"})
    assert user.factors.filter(name="Hot bath").exists()


def test_a_name_with_letters_of_any_script_and_emoji_is_fine(logged_in, user):
    logged_in.post(NEW, {"name": "Wärmflasche 🔥 热敷"})
    assert user.factors.get().name == "Wärmflasche 🔥 热敷"


def test_at_most_the_limit_of_own_factors(logged_in, user):
    FactorFactory.create_batch(FACTORS_PER_USER_MAX, owner=user)
    list_page = logged_in.get(LIST)
    assert NEW not in list_page.text
    assert f"You have {FACTORS_PER_USER_MAX} factors of your own" in list_page.text
    response = logged_in.post(NEW, {"name": "One more"})
    assert response.status_code == 200
    assert f"You already have {FACTORS_PER_USER_MAX} factors" in response.text
    assert user.factors.count() == FACTORS_PER_USER_MAX


def test_renaming_still_works_at_the_limit(logged_in, user):
    factors = FactorFactory.create_batch(FACTORS_PER_USER_MAX, owner=user)
    logged_in.post(edit_url(factors[0]), {"name": "Renamed"})
    factors[0].refresh_from_db()
    assert factors[0].name == "Renamed"


def test_a_name_saved_twice_at_once_is_refused_not_a_server_error(logged_in, user, monkeypatch):
    """Two tabs: both forms checked the name before either saved it."""
    from journal.forms.factors import FactorForm

    monkeypatch.setattr(FactorForm, "clean_name", lambda form: form.cleaned_data["name"])
    FactorFactory(owner=user, name="Hot bath")
    response = logged_in.post(NEW, {"name": "hot bath"})
    assert response.status_code == 200
    assert "You already have a factor with this name" in response.text
    assert user.factors.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
