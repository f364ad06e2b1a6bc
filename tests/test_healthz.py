"""``/healthz`` is a liveness check: it never touches the database (issue 19), not even for a
logged-in browser whose session cookie would otherwise cost a session and a user query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from config.health import HEALTH_PATH


def assert_healthy(response) -> None:
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_the_middleware_answers_the_named_url():
    assert reverse("healthz") == HEALTH_PATH


@pytest.mark.django_db
def test_healthz_runs_no_query_for_a_visitor(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert_healthy(response)
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_runs_no_query_with_a_logged_in_session_cookie(
    client, user, django_assert_num_queries
):
    client.force_login(user)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert_healthy(response)
    assert "sessionid" not in response.cookies  # the session was not even read


def test_healthz_still_answers_get_only(client):
    # No `db` fixture: pytest-django makes any database access in this test an error.
    assert client.post("/healthz").status_code == 405
    assert client.get("/healthz/").status_code == 404  # exactly the health path


def test_other_pages_still_see_the_session(client, user):
    client.force_login(user)
    assert client.get(reverse("journal:list")).status_code == 200
