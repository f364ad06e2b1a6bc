"""The insights and report figures come from the cache only while nothing they depend on has
changed: every way of changing a journal shows on the next visit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from acupressure.models import ContentVersion, Point
from journal.models import ApiToken, Factor, PracticeSession, SessionFactor
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory

PAGES = ["/journal/insights/", "/journal/report/"]


@pytest.fixture
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


@pytest.fixture
def journal(user, points):
    """Six sessions of each point, BL23 easing pain more."""
    for i in range(6):
        PracticeSessionFactory(user=user, points=[points[0]], pain_before=7, pain_after=3 + i % 2)
        PracticeSessionFactory(user=user, points=[points[1]], pain_before=7, pain_after=5 + i % 2)
    return user


def summaries(client, url="/journal/insights/") -> dict[str, tuple[int, float]]:
    """Point code → (sessions, mean relief) as the page shows them."""
    context = client.get(url).context
    rows = context["ranked"] + context["thin"] if "ranked" in context else context["summaries"]
    return {row.code: (row.sessions, round(row.mean_relief, 3)) for row in rows}


def session_form(**overrides) -> dict:
    data = {
        "points": ["li4"],
        "pain_before": "7",
        "pain_after": "1",
        "area": "lower-back",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("url", PAGES)
def test_a_second_visit_reads_the_cache_and_shows_the_same(logged_in, journal, url):
    first = logged_in.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = logged_in.get(url)
    assert second.status_code == 200
    # The session and user, the journal's state (2), the factors, the content version, and for
    # the report its notes: no aggregate over the sessions.
    assert len(queries) <= 7
    assert not any(word in q["sql"] for q in queries for word in ("AVG(", "SUM(", "GROUP BY"))
    assert summaries(logged_in, url) == {"BL23": (6, 3.5), "LI4": (6, 1.5)}
    assert second.context["overview"] == first.context["overview"]


@pytest.mark.parametrize("url", PAGES)
def test_a_new_session_shows_at_once(logged_in, journal, url):
    summaries(logged_in, url)
    assert logged_in.post("/journal/new/", session_form()).status_code == 302
    assert summaries(logged_in, url)["LI4"] == (7, 2.143)


def test_a_deleted_session_goes_at_once(logged_in, journal):
    summaries(logged_in)
    session = PracticeSession.objects.filter(
        user=journal, session_points__point__code="LI4"
    ).first()
    assert logged_in.post(f"/journal/{session.pk}/delete/").status_code == 302
    assert summaries(logged_in)["LI4"][0] == 5


def test_changing_only_the_points_of_a_session_shows_at_once(logged_in, journal):
    summaries(logged_in)
    session = PracticeSession.objects.filter(
        user=journal, session_points__point__code="LI4"
    ).first()
    response = logged_in.post(
        f"/journal/{session.pk}/edit/",
        session_form(
            points=["bl23"],
            pain_before=str(session.pain_before),
            pain_after=str(session.pain_after),
            started_at=timezone.localtime(session.started_at).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    assert summaries(logged_in)["LI4"][0] == 5
    assert summaries(logged_in)["BL23"][0] == 7


def test_a_change_through_the_api_shows_at_once(logged_in, journal):
    summaries(logged_in)
    _, raw = ApiToken.objects.issue(journal, "tests")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    session = PracticeSession.objects.filter(
        user=journal, session_points__point__code="LI4"
    ).first()
    response = api.patch(
        f"/api/v1/sessions/{session.pk}/", {"points": [{"code": "BL23"}]}, format="json"
    )
    assert response.status_code == 200
    assert summaries(logged_in)["BL23"][0] == 7


def test_sessions_written_in_bulk_show_at_once(logged_in, journal, points):
    """The importer writes with bulk inserts: no save(), no signal; the count still moves."""
    summaries(logged_in)
    PracticeSession.objects.bulk_create(
        [
            PracticeSession(
                user=journal,
                started_at=timezone.now() - timedelta(hours=2),
                pain_before=5,
                pain_after=5,
                area="lower-back",
                rest_only=True,
            )
        ]
    )
    assert logged_in.get("/journal/insights/").context["rest"].sessions == 1


def test_renaming_a_factor_shows_at_once(logged_in, journal):
    factor = Factor.objects.create(owner=journal, name="Hot bath")
    for session in PracticeSession.objects.filter(user=journal)[:4]:
        SessionFactor.objects.create(session=session, factor=factor)
    PracticeSession.objects.filter(user=journal).update(updated_at=timezone.now())

    def names():
        context = logged_in.get("/journal/insights/").context
        return {row[0].name for row in context["factor_rows"]} | {
            f.name for f in context["thin_factors"]
        }

    assert "Hot bath" in names()
    response = logged_in.post(f"/journal/factors/{factor.pk}/edit/", {"name": "Warm bath"})
    assert response.status_code == 302
    assert "Warm bath" in names()


def test_a_renamed_point_in_the_guides_shows_at_once(logged_in, journal, points):
    summaries(logged_in)
    Point.objects.filter(pk=points[0].pk).update(code="BL99")
    ContentVersion.bump()
    assert "BL99" in summaries(logged_in)


def test_another_users_figures_are_never_served(client, journal, points):
    """Same filters, same number of sessions, same moment: the key still holds the user."""
    other = UserFactory()
    for session in PracticeSession.objects.filter(user=journal):
        PracticeSessionFactory(
            user=other,
            points=[points[1]],
            pain_before=2,
            pain_after=2,
            started_at=session.started_at,
        )
    PracticeSession.objects.update(updated_at=timezone.now())
    client.force_login(journal)
    assert summaries(client)["BL23"] == (6, 3.5)
    client.force_login(other)
    assert summaries(client) == {"LI4": (12, 0.0)}
