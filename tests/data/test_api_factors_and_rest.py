"""The API's factors and rest sessions (issue 17): read and write, with the journal's rules."""

import pytest
from rest_framework.test import APIClient

from journal.models import ApiToken, Factor, PracticeSession
from tests.factories import FactorFactory, PointFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="maria")


@pytest.fixture
def api(user):
    _, raw = ApiToken.objects.issue(user, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def point(db):
    return PointFactory(code="BL23", slug="bl23")


def test_factors_lists_the_built_in_ones_and_only_my_own(api, user):
    mine = FactorFactory(owner=user, name="Hot-water bottle")
    theirs = FactorFactory(name="Someone else's")
    listed = api.get("/api/v1/factors/").json()
    names = [factor["name"] for factor in listed]
    assert names[: Factor.objects.built_in().count()] == list(
        Factor.objects.built_in().order_by("position").values_list("name", flat=True)
    )
    assert "Hot-water bottle" in names
    assert "Someone else's" not in names
    assert api.get(f"/api/v1/factors/{mine.pk}/").json()["built_in"] is False
    assert api.get(f"/api/v1/factors/{theirs.pk}/").status_code == 404


def test_log_a_session_with_factors_and_read_them_back(api, user, point):
    painkiller = Factor.objects.get(slug="painkiller")
    mine = FactorFactory(owner=user)
    response = api.post(
        "/api/v1/sessions/",
        {
            "points": [{"code": "BL23"}],
            "pain_before": 7,
            "pain_after": 4,
            "factors": [painkiller.pk, mine.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["factors"]) == sorted([painkiller.pk, mine.pk])
    session = PracticeSession.objects.get()
    assert set(session.factors.all()) == {painkiller, mine}
    changed = api.patch(
        f"/api/v1/sessions/{session.pk}/", {"factors": [mine.pk]}, format="json"
    ).json()
    assert changed["factors"] == [mine.pk]
    assert api.get("/api/v1/sessions/", {"factor": mine.pk}).json()["count"] == 1
    assert api.get("/api/v1/sessions/", {"factor": painkiller.pk}).json()["count"] == 0


def test_another_users_factor_is_refused(api, point):
    theirs = FactorFactory(name="Private to someone else")
    response = api.post(
        "/api/v1/sessions/",
        {"points": [{"code": "BL23"}], "pain_before": 7, "pain_after": 4, "factors": [theirs.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "not one of the built-in factors or yours" in str(response.json()["factors"])
    assert "Private to someone else" not in response.text
    assert not PracticeSession.objects.exists()


@pytest.mark.parametrize("factors", [["x"], [None], [2**70], "painkiller", [{"id": 1}]])
def test_nonsense_factors_are_a_400(api, point, factors):
    response = api.post(
        "/api/v1/sessions/",
        {"points": [{"code": "BL23"}], "pain_before": 7, "pain_after": 4, "factors": factors},
        format="json",
    )
    assert response.status_code == 400
    assert not PracticeSession.objects.exists()


def test_a_rest_session_has_no_points(api, point):
    rest = api.post(
        "/api/v1/sessions/",
        {"rest_only": True, "points": [], "pain_before": 6, "pain_after": 5},
        format="json",
    )
    assert rest.status_code == 201, rest.json()
    assert rest.json()["rest_only"] is True
    assert rest.json()["points"] == []
    assert api.get("/api/v1/sessions/", {"rest": "true"}).json()["count"] == 1
    assert api.get("/api/v1/sessions/", {"rest": "false"}).json()["count"] == 1  # all sessions
    assert api.get("/api/v1/sessions/", {"rest": "maybe"}).status_code == 400

    both = api.post(
        "/api/v1/sessions/",
        {"rest_only": True, "points": [{"code": "BL23"}], "pain_before": 6, "pain_after": 5},
        format="json",
    )
    assert both.status_code == 400
    assert "rest session has no points" in str(both.json()["points"])
    neither = api.post(
        "/api/v1/sessions/", {"points": [], "pain_before": 6, "pain_after": 5}, format="json"
    )
    assert neither.status_code == 400
    assert "Choose at least one point you pressed" in str(neither.json()["points"])
    assert PracticeSession.objects.count() == 1


def test_turning_a_session_into_rest_needs_its_points_removed(api, point):
    created = api.post(
        "/api/v1/sessions/",
        {"points": [{"code": "BL23"}], "pain_before": 6, "pain_after": 5},
        format="json",
    ).json()
    url = f"/api/v1/sessions/{created['id']}/"
    assert api.patch(url, {"rest_only": True}, format="json").status_code == 400
    changed = api.patch(url, {"rest_only": True, "points": []}, format="json")
    assert changed.status_code == 200
    assert changed.json()["points"] == []
