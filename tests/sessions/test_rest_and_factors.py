"""Rest sessions ("I only rested, no pressing") and factors ("Anything else today?") on the log
form, the session page and the journal list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.forms.sessions import REST_AND_POINTS
from journal.models import Factor, PracticeSession, SessionFactor, SessionPoint
from tests.factories import FactorFactory, PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


@pytest.fixture
def painkiller(db):
    return Factor.objects.get(slug="painkiller")


@pytest.fixture
def slept_badly(db):
    return Factor.objects.get(slug="slept-badly")


def session_data(**overrides):
    data = {
        "points": ["bl23"],
        "pain_before": "7",
        "pain_after": "4",
        "area": "lower-back",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def with_factors(session, *factors):
    SessionFactor.objects.bulk_create(SessionFactor(session=session, factor=f) for f in factors)
    return session


def offered(response) -> list[str]:
    return [checkbox.choice_label for checkbox in response.context["form"].factor_checkboxes()]


# The log form


def test_the_log_form_offers_built_in_factors_first_then_the_users_own(logged_in, user, points):
    FactorFactory(owner=user, name="Hot bath")
    FactorFactory(owner=user, name="Old socks", archived=True)
    FactorFactory(owner=UserFactory(), name="Their secret")
    response = logged_in.get("/journal/new/")
    assert offered(response) == [
        "Painkiller in the last 4 hours",
        "Heat or cold on the sore area",
        "Stretched or exercised",
        "Sat for a long time before",
        "Slept badly",
        "Hot bath",
    ]
    assert "Their secret" not in response.text
    assert "<summary>Anything else today?</summary>" in response.text
    assert 'class="more-details factor-details">' in response.text  # closed by default
    assert reverse("journal:factor_list") in response.text


def test_a_normal_session_needs_no_factors_and_is_not_rest(logged_in, user, points):
    logged_in.post("/journal/new/", session_data())
    session = PracticeSession.objects.get()
    assert not session.rest_only
    assert not session.factors.exists()


def test_logging_with_factors_stores_them_with_the_session(
    logged_in, user, points, painkiller, slept_badly
):
    own = FactorFactory(owner=user, name="Hot bath")
    response = logged_in.post(
        "/journal/new/", session_data(factors=[painkiller.pk, own.pk, slept_badly.pk])
    )
    session = PracticeSession.objects.get()
    assert response.url == f"/journal/?saved={session.pk}"
    assert set(session.factors.all()) == {painkiller, own, slept_badly}


def test_logging_a_rest_session_stores_no_points(logged_in, user, points, painkiller):
    response = logged_in.post(
        "/journal/new/", session_data(points=[], rest_only="on", factors=[painkiller.pk])
    )
    session = PracticeSession.objects.get()
    assert response.url == f"/journal/?saved={session.pk}"
    assert session.rest_only
    assert (session.pain_before, session.pain_after) == (7, 4)
    assert not session.session_points.exists()
    assert list(session.factors.all()) == [painkiller]


def test_rest_and_points_together_are_explained_and_nothing_is_saved(logged_in, points):
    response = logged_in.post("/journal/new/", session_data(rest_only="on"))
    assert response.status_code == 200
    assert response.context["form"].errors["points"] == [REST_AND_POINTS]
    assert "Untick the points, or untick “I only rested”" in response.text
    assert "Nothing has been saved yet" in response.text
    # The points are marked as the field to fix.
    assert 'class="point-grid has-error"' in response.text
    assert not PracticeSession.objects.exists()


def test_without_rest_a_point_is_still_required(logged_in, points):
    response = logged_in.post("/journal/new/", session_data(points=[]))
    assert "Choose at least one point you pressed." in response.context["form"].errors["points"]
    assert not PracticeSession.objects.exists()


def test_another_users_factor_is_refused_and_nothing_is_saved(logged_in, points, painkiller):
    theirs = FactorFactory(owner=UserFactory(), name="Their secret")
    response = logged_in.post("/journal/new/", session_data(factors=[painkiller.pk, theirs.pk]))
    assert response.status_code == 200
    errors = response.context["form"].errors["factors"]
    assert errors == [
        f"Factor number {theirs.pk} is not one of the built-in factors or yours. "
        "Tick the factors shown below."
    ]
    assert "Their secret" not in response.text
    # The refused choice opens the section, so the message is seen.
    assert 'class="more-details factor-details" open' in response.text
    assert not PracticeSession.objects.exists()
    assert not SessionFactor.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5", "a\x00b", "99999999999999999999999"])
def test_nonsense_factor_values_are_refused(logged_in, points, value):
    response = logged_in.post("/journal/new/", session_data(factors=[value]))
    assert response.status_code == 200 if value else 302
    if value:
        assert "factors" in response.context["form"].errors


def test_rest_can_be_prefilled_from_the_address(logged_in, points):
    response = logged_in.get("/journal/new/?rest=1")
    assert response.context["form"]["rest_only"].value() is True
    assert 'id="id_rest_only" checked' in response.text


# Editing


def test_editing_replaces_the_factors(logged_in, user, points, painkiller, slept_badly):
    session = with_factors(PracticeSessionFactory(user=user, points=[points[0]]), painkiller)
    url = reverse("journal:edit", args=[session.pk])
    form = logged_in.get(url).context["form"]
    assert [str(v) for v in form["factors"].value()] == [str(painkiller.pk)]
    assert form.factors_open()
    logged_in.post(url, session_data(factors=[slept_badly.pk]))
    assert list(session.factors.all()) == [slept_badly]
    logged_in.post(url, session_data())
    assert not session.factors.exists()


def test_an_archived_factor_stays_ticked_and_shown_when_editing(logged_in, user, points):
    old_socks = FactorFactory(owner=user, name="Old socks", archived=True)
    FactorFactory(owner=user, name="Unused and archived", archived=True)
    session = with_factors(PracticeSessionFactory(user=user, points=[points[0]]), old_socks)
    url = reverse("journal:edit", args=[session.pk])
    response = logged_in.get(url)
    assert "Old socks" in offered(response)
    assert "Unused and archived" not in offered(response)
    assert "Old socks (archived)" in response.text
    logged_in.post(url, session_data(factors=[old_socks.pk], pain_after="2"))
    assert list(session.factors.all()) == [old_socks]


def test_editing_a_session_into_a_rest_session_removes_its_points(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=points)
    logged_in.post(
        reverse("journal:edit", args=[session.pk]), session_data(points=[], rest_only="on")
    )
    session.refresh_from_db()
    assert session.rest_only
    assert not SessionPoint.objects.filter(session=session).exists()


def test_a_rest_session_edited_back_needs_points(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[], rest_only=True)
    url = reverse("journal:edit", args=[session.pk])
    assert logged_in.get(url).context["form"]["rest_only"].value() is True
    response = logged_in.post(url, session_data(points=[]))
    assert "Choose at least one point" in response.text
    logged_in.post(url, session_data(points=["li4"]))
    session.refresh_from_db()
    assert not session.rest_only
    assert [sp.point.code for sp in session.session_points.all()] == ["LI4"]


def test_factors_are_saved_in_the_same_transaction_as_the_session(
    logged_in, points, painkiller, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SessionFactor.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        logged_in.post("/journal/new/", session_data(factors=[painkiller.pk]))
    assert not PracticeSession.objects.exists()
    assert not SessionPoint.objects.exists()


# The session page


def test_the_session_page_shows_rest_and_factors(logged_in, user, painkiller, slept_badly):
    session = with_factors(
        PracticeSessionFactory(user=user, points=[], rest_only=True), painkiller, slept_badly
    )
    response = logged_in.get(session.get_absolute_url())
    assert "Rest only, no pressing" in response.text
    assert "Points pressed" not in response.text
    assert "Also:</strong> Painkiller in the last 4 hours, Slept badly" in response.text
    assert f"{reverse('journal:new')}?rest=1" in response.text


def test_the_session_page_without_factors_says_nothing_about_them(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = logged_in.get(session.get_absolute_url())
    assert "Points pressed" in response.text
    assert "Also:" not in response.text


def test_factor_names_are_escaped(logged_in, user, points):
    own = FactorFactory(owner=user, name="<script>alert(1)</script>")
    session = with_factors(PracticeSessionFactory(user=user, points=[points[0]]), own)
    for url in [
        session.get_absolute_url(),
        "/journal/",
        reverse("journal:edit", args=[session.pk]),
    ]:
        text = logged_in.get(url).text
        assert "<script>alert(1)</script>" not in text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, url


# The journal list


def test_the_list_shows_rest_instead_of_points_and_the_factors(logged_in, user, points, painkiller):
    with_factors(PracticeSessionFactory(user=user, points=[], rest_only=True), painkiller)
    response = logged_in.get("/journal/")
    row = response.text[response.text.index('class="session-points"') :]
    assert row.startswith('class="session-points">Rest<')
    assert "Also: Painkiller in the last 4 hours" in response.text
    assert reverse("journal:factor_list") in response.text


@pytest.fixture
def journal(user, points, painkiller, slept_badly):
    """Four sessions: BL23 with a painkiller, rest with a painkiller, rest alone, LI4 in the neck
    with a painkiller and a bad night."""
    now = timezone.now()
    return {
        "bl23_painkiller": with_factors(
            PracticeSessionFactory(user=user, points=[points[0]], started_at=now), painkiller
        ),
        "rest_painkiller": with_factors(
            PracticeSessionFactory(
                user=user, points=[], rest_only=True, started_at=now - timedelta(hours=1)
            ),
            painkiller,
        ),
        "rest": PracticeSessionFactory(
            user=user, points=[], rest_only=True, started_at=now - timedelta(hours=2)
        ),
        "li4_neck": with_factors(
            PracticeSessionFactory(
                user=user, points=[points[1]], area="neck", started_at=now - timedelta(hours=3)
            ),
            painkiller,
            slept_badly,
        ),
    }


def listed(client, query) -> list:
    response = client.get("/journal/", query)
    assert response.status_code == 200
    assert not response.context["filter_form"].errors
    return list(response.context["page"])


def test_the_factor_filter_lists_sessions_with_that_factor(logged_in, journal, painkiller):
    assert listed(logged_in, {"factor": painkiller.pk}) == [
        journal["bl23_painkiller"],
        journal["rest_painkiller"],
        journal["li4_neck"],
    ]


def test_the_rest_filter_lists_rest_sessions_only(logged_in, journal):
    assert listed(logged_in, {"rest": "on"}) == [journal["rest_painkiller"], journal["rest"]]


def test_the_new_filters_combine_with_each_other_and_the_others(
    logged_in, journal, painkiller, slept_badly
):
    assert listed(logged_in, {"rest": "on", "factor": painkiller.pk}) == [
        journal["rest_painkiller"]
    ]
    assert listed(logged_in, {"factor": painkiller.pk, "area": "neck"}) == [journal["li4_neck"]]
    assert listed(logged_in, {"factor": slept_badly.pk, "point": "li4"}) == [journal["li4_neck"]]
    assert listed(logged_in, {"rest": "on", "point": "bl23"}) == []
    response = logged_in.get("/journal/", {"rest": "on", "factor": painkiller.pk})
    assert "1 session matches your filters" in response.text


def test_the_factor_filter_offers_own_and_archived_factors_but_not_others(logged_in, user):
    FactorFactory(owner=user, name="Old socks", archived=True)
    FactorFactory(owner=UserFactory(), name="Their secret")
    response = logged_in.get("/journal/")
    assert "Old socks (archived)" in response.text
    assert "Slept badly" in response.text
    assert "Their secret" not in response.text


def test_filtering_by_another_users_factor_is_explained_and_reveals_nothing(logged_in, user):
    theirs = FactorFactory(owner=UserFactory(), name="Their secret")
    with_factors(PracticeSessionFactory(user=theirs.owner), theirs)
    response = logged_in.get("/journal/", {"factor": theirs.pk})
    assert response.context["filter_form"].errors["factor"] == [
        "That is not one of your factors or a built-in one."
    ]
    assert "Their secret" not in response.text
