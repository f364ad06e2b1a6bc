"""Journal pages make the same number of queries for 3 sessions as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from acupressure.models import Point

from .factories import PracticeSessionFactory, UserFactory

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
    points = list(Point.objects.filter(code__in=["BL23", "LI4", "KI1"]))
    PracticeSessionFactory.create_batch(count, user=user, points=points)


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
