"""Journal pages make the same number of queries for 3 sessions as for 30."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acupressure.models import Point
from journal.models import Factor, SessionFactor

from .factories import FactorFactory, PracticeSessionFactory, UserFactory

PAGES = [
    "/journal/",
    "/journal/insights/",
    "/journal/compare/?a=bl23&b=li4",
    "/journal/export.csv",
    "/journal/export.json",
    "/api/v1/sessions/",
    "/api/v1/insights/",
]


@pytest.fixture
def logged_in(client, guides):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def add_sessions(user, count: int) -> None:
    """``count`` sessions with three points, and a built-in factor and one of the user's own;
    plus one rest session."""
    points = list(Point.objects.filter(code__in=["BL23", "LI4", "KI1"]))
    factors = [
        Factor.objects.get(slug="painkiller"),
        user.factors.first() or FactorFactory(owner=user),
    ]
    sessions = PracticeSessionFactory.create_batch(count, user=user, points=points)
    sessions.append(PracticeSessionFactory(user=user, points=[], rest_only=True))
    SessionFactor.objects.bulk_create(
        SessionFactor(session=session, factor=factor) for session in sessions for factor in factors
    )


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_sessions(logged_in, url):
    add_sessions(logged_in.user, 3)
    few = queries_for(logged_in, url)
    add_sessions(logged_in.user, 27)
    assert queries_for(logged_in, url) == few


def test_logging_a_session_makes_the_same_queries_for_a_long_journal(logged_in):
    from benchmarks.pages import new_session_form

    def queries_for_post() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = logged_in.post("/journal/new/", new_session_form())
        assert response.status_code == 302
        return len(queries)

    add_sessions(logged_in.user, 3)
    few = queries_for_post()
    add_sessions(logged_in.user, 27)
    assert queries_for_post() == few


def test_logging_a_session_does_not_select_to_check_the_pain_ranges(logged_in):
    """The fields' validators check 0–10 and the database enforces it: Django's extra SELECT per
    check constraint is skipped. Out-of-range values are still refused with a message."""
    from benchmarks.pages import new_session_form

    with CaptureQueriesContext(connection) as queries:
        response = logged_in.post("/journal/new/", new_session_form())
    assert response.status_code == 302
    assert not [query for query in queries if '"_check"' in query["sql"]]

    session = PracticeSessionFactory(user=logged_in.user)
    session.pain_after = 11
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "pain_after" in refused.value.message_dict


def add_sessions_with_factors_and_rest(user, count: int) -> None:
    """Sessions with varied pain and factors, a third of them rest sessions."""
    points = list(Point.objects.filter(code__in=["BL23", "LI4"]))
    factors = list(Factor.objects.built_in())
    sessions = [
        PracticeSessionFactory(
            user=user,
            points=[] if i % 3 == 0 else [points[i % 2]],
            rest_only=i % 3 == 0,
            pain_before=5 + i % 4,
            pain_after=3 + i % 3,
            pain_later=4 if i % 2 else None,
        )
        for i in range(count)
    ]
    SessionFactor.objects.bulk_create(
        SessionFactor(session=session, factor=factors[i % len(factors)])
        for i, session in enumerate(sessions)
        if i % 4
    )


@pytest.mark.parametrize("url", ["/journal/insights/", "/journal/report/"])
def test_insights_with_factors_and_rest_make_the_same_queries_fitted_or_not(logged_in, url):
    add_sessions_with_factors_and_rest(logged_in.user, 3)
    few = queries_for(logged_in, url)  # too few sessions for the adjusted model
    add_sessions_with_factors_and_rest(logged_in.user, 60)
    assert logged_in.get(url).context["adjusted"].fit is not None
    cache.clear()  # the figures worked out again, not read from the cache (journal/figures.py)
    assert queries_for(logged_in, url) == few


@pytest.mark.parametrize("language", ["", "/es"])
def test_a_session_page_reads_its_points_in_the_same_queries_for_one_or_three(logged_in, language):
    """What the journal shows of a point (code, names, link) is loaded with the session; the
    guide text it leaves in the database is never read back one point at a time."""
    points = list(Point.objects.filter(code__in=["BL23", "LI4", "KI1"]))
    one = PracticeSessionFactory(user=logged_in.user, points=points[:1])
    three = PracticeSessionFactory(user=logged_in.user, points=points)
    assert queries_for(logged_in, f"{language}/journal/{one.pk}/") == queries_for(
        logged_in, f"{language}/journal/{three.pk}/"
    )


def test_journal_rows_leave_the_points_guide_text_in_the_database(logged_in):
    from journal.models import PracticeSession

    PracticeSessionFactory(user=logged_in.user, points=list(Point.objects.filter(code="BL23")))
    session = PracticeSession.objects.filter(user=logged_in.user).with_points().get()
    point = session.session_points.all()[0].point
    assert {"summary_en", "summary_es", "cautions_es", "location_en"} <= point.get_deferred_fields()
    assert not {"code", "slug", "name_pinyin", "name_hanzi"} & point.get_deferred_fields()
