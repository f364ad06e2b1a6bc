"""A session logged offline carries the phone's own id (client_id): sent twice, by a retried or
interrupted sync, it is stored once, and the repeat answers the session already stored."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from rest_framework.test import APIClient

from journal.api.views import SessionViewSet
from journal.models import PracticeSession
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory

CLIENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture
def user(db):
    return UserFactory(username="maria")


@pytest.fixture
def api(user):
    """A browser session: the phone syncs with the log-in cookie (CSRF is checked separately)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def point(db):
    return PointFactory(code="BL23", slug="bl23")


def offline_session(**overrides):
    data = {
        "client_id": CLIENT_ID,
        "points": [{"code": "BL23", "seconds": 60}],
        "pain_before": 7,
        "pain_after": 4,
        "started_at": "2026-11-30T08:15:00Z",
    }
    data.update(overrides)
    return data


def test_a_new_client_id_creates_the_session(api, user, point):
    response = api.post("/api/v1/sessions/", offline_session(), format="json")
    assert response.status_code == 201, response.json()
    session = PracticeSession.objects.get()
    assert session.user == user
    assert session.client_id == uuid.UUID(CLIENT_ID)
    assert response.json()["client_id"] == CLIENT_ID


def test_sending_it_again_answers_the_stored_session_and_stores_nothing(api, point):
    first = api.post("/api/v1/sessions/", offline_session(), format="json")
    again = api.post("/api/v1/sessions/", offline_session(notes="changed"), format="json")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert PracticeSession.objects.count() == 1


def test_data_that_breaks_the_rules_is_refused_even_with_a_known_client_id(api, point):
    """The request is checked before the look-up: a known client_id never lets bad data pass
    (here a pain of 2026 out of 10), and the stored session stays as it was."""
    first = api.post("/api/v1/sessions/", offline_session(), format="json")
    refused = api.post("/api/v1/sessions/", offline_session(pain_before=2026), format="json")
    assert refused.status_code == 400
    assert "pain_before" in refused.json()
    assert PracticeSession.objects.count() == 1
    assert api.get(f"/api/v1/sessions/{first.json()['id']}/").json() == first.json()


def test_two_copies_racing_store_one_session(api, user, point):
    """The second copy misses the first look-up (the first copy is not stored yet when it looks),
    then meets the unique constraint: it answers the first copy's session, not a 500."""
    stored = PracticeSessionFactory(user=user, client_id=uuid.UUID(CLIENT_ID))
    real_look_up = SessionViewSet._sent_before
    calls = []

    def too_early_then_real(view, data):
        calls.append(data)
        return None if len(calls) == 1 else real_look_up(view, data)

    with mock.patch.object(SessionViewSet, "_sent_before", too_early_then_real):
        response = api.post("/api/v1/sessions/", offline_session(), format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == stored.pk
    assert len(calls) == 2
    assert PracticeSession.objects.count() == 1


def test_another_users_client_id_neither_leaks_nor_clashes(api, user, point):
    other = PracticeSessionFactory(user=UserFactory(), client_id=uuid.UUID(CLIENT_ID))
    response = api.post("/api/v1/sessions/", offline_session(), format="json")
    assert response.status_code == 201
    assert response.json()["id"] != other.pk
    assert PracticeSession.objects.filter(client_id=CLIENT_ID).count() == 2
    assert PracticeSession.objects.get(pk=response.json()["id"]).user == user


def test_a_client_id_that_is_not_a_uuid_is_refused(api, point):
    response = api.post("/api/v1/sessions/", offline_session(client_id="not-a-uuid"), format="json")
    assert response.status_code == 400
    assert response.json()["client_id"] == ["client_id must be a UUID, e.g. 3f1c2a9e-…-…"]
    assert not PracticeSession.objects.exists()


def test_sessions_without_a_client_id_are_stored_each_time(api, point):
    for _ in range(2):
        data = offline_session()
        del data["client_id"]
        assert api.post("/api/v1/sessions/", data, format="json").status_code == 201
    assert PracticeSession.objects.filter(client_id=None).count() == 2


def test_editing_a_session_keeps_its_client_id(api, user, point):
    created = api.post("/api/v1/sessions/", offline_session(), format="json").json()
    response = api.patch(
        created["url"], {"client_id": str(uuid.uuid4()), "pain_after": 2}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["client_id"] == CLIENT_ID


def test_a_browser_session_must_send_the_csrf_token(user, point):
    """The phone's sync posts with the log-in cookie, so it sends the CSRF token as a header."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    refused = client.post("/api/v1/sessions/", offline_session(), format="json")
    assert refused.status_code == 403
    client.get("/journal/new/")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/sessions/", offline_session(), format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201


def test_the_schema_documents_client_id(client, db):
    schema = client.get("/api/schema/?format=json").json()
    fields = schema["components"]["schemas"]["PracticeSessionRequest"]["properties"]
    assert fields["client_id"]["format"] == "uuid"
    assert "stores it once" in fields["client_id"]["description"]
    responses = schema["paths"]["/api/v1/sessions/"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)
