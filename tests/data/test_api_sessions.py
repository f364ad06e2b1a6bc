"""The JSON API: points (public) and the user's own sessions, with the journal's rules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from journal.models import ApiToken, PracticeSession
from tests.factories import (
    ExperimentFactory,
    PointFactory,
    PracticeSessionFactory,
    SessionPointFactory,
    UserFactory,
)


@pytest.fixture
def user(db):
    return UserFactory(username="maria")


@pytest.fixture
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


@pytest.fixture
def api(user):
    """A client sending the user's personal token."""
    _, raw = ApiToken.objects.issue(user, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def new_session(**overrides):
    data = {"points": [{"code": "BL23", "seconds": 60}], "pain_before": 7, "pain_after": 4}
    data.update(overrides)
    return data


def test_points_are_public(client, points):
    response = client.get("/api/v1/points/")
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["BL23", "LI4"]
    detail = client.get("/api/v1/points/bl23/").json()
    assert detail["code"] == "BL23"
    assert detail["page"] == "http://testserver/guides/bl23/"
    assert client.get("/api/v1/points/nope/").status_code == 404


@pytest.mark.parametrize(
    ("level", "avoid"), [("avoid", True), ("ask-midwife", False), ("none", False)]
)
def test_points_give_their_pregnancy_level_and_the_older_flag(client, db, level, avoid):
    PointFactory(code="ZZ1", slug="zz1", pregnancy=level, cautions="Not over broken skin.")
    detail = client.get("/api/v1/points/zz1/").json()
    assert (detail["pregnancy"], detail["avoid_in_pregnancy"]) == (level, avoid)
    # The cautions list starts with the level's own caution, as on the point's page.
    assert len(detail["cautions"]) == (1 if level == "none" else 2)
    assert detail["cautions"][-1] == "Not over broken skin."


def test_logging_a_session_with_a_token(api, user, points):
    response = api.post(
        "/api/v1/sessions/",
        new_session(points=[{"code": "bl23", "seconds": 60}, {"code": "LI4"}], notes="warm"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    session = PracticeSession.objects.get()
    assert session.user == user
    assert body["id"] == session.pk
    assert body["points"] == [{"code": "BL23", "seconds": 60}, {"code": "LI4", "seconds": None}]
    assert (body["pain_before"], body["pain_after"], body["relief"]) == (7, 4, 3)
    assert (body["area"], body["notes"], body["pain_later"]) == ("lower-back", "warm", None)
    assert abs(session.started_at - timezone.now()) < timedelta(seconds=5)
    assert session.started_at.microsecond == 0


def test_times_are_in_the_users_time_zone(api, user, points):
    user.profile.time_zone = "Asia/Tokyo"
    user.profile.save()
    response = api.post(
        "/api/v1/sessions/", new_session(started_at="2026-01-02T03:04:05Z"), format="json"
    )
    assert response.json()["started_at"] == "2026-01-02T12:04:05+09:00"
    naive = api.post(
        "/api/v1/sessions/", new_session(started_at="2026-01-02T12:00:00"), format="json"
    )
    assert PracticeSession.objects.get(pk=naive.json()["id"]).started_at == datetime(
        2026, 1, 2, 3, 0, tzinfo=ZoneInfo("UTC")
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"points": []}, "points", "Choose at least one point you pressed."),
        ({"points": [{"code": "ZZ9"}]}, "points", "“ZZ9” is not a point in the guides."),
        ({"points": [{"code": "BL23"}, {"code": "bl23"}]}, "points", "BL23 is listed twice."),
        ({"points": [{"code": "BL23", "seconds": 3601}]}, "points", "At most 3,600 seconds"),
        ({"points": [{"code": "BL23", "seconds": -1}]}, "points", "Seconds cannot be negative."),
        ({"pain_before": 11}, "pain_before", "Pain is a whole number from 0 to 10."),
        ({"pain_after": -1}, "pain_after", "Pain is a whole number from 0 to 10."),
        ({"pain_after": "lots"}, "pain_after", "Pain is a whole number from 0 to 10."),
        ({"pain_later": 12}, "pain_later", "Pain is a whole number from 0 to 10."),
        ({"area": "elbow"}, "area", "not a valid choice"),
        ({"notes": "x" * 2001}, "notes", "Notes can be at most 2000 characters."),
        ({"started_at": "soon"}, "started_at", "Datetime has wrong format"),
        (
            {"started_at": "2999-01-01T09:00:00+00:00"},
            "started_at",
            "That time is in the future.",
        ),
        ({"started_at": "0001-01-01T00:00:00+14:00"}, "started_at", ""),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(api, points, overrides, field, message):
    data = new_session(**overrides)
    response = api.post("/api/v1/sessions/", data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert PracticeSession.objects.count() == 0


def test_text_that_cannot_be_stored_is_a_400(api, points):
    body = '{"points": [{"code": "BL23"}], "pain_before": 1, "pain_after": 1, "notes": "a\\ud800"}'
    response = api.generic("POST", "/api/v1/sessions/", body, content_type="application/json")
    assert response.status_code == 400
    assert "cannot be saved" in response.json()["notes"][0]


def test_missing_fields_are_named(api, points):
    response = api.post("/api/v1/sessions/", {}, format="json")
    assert response.status_code == 400
    # Points are checked once the pains are given: a rest session (rest_only) has none.
    assert set(response.json()) == {"pain_before", "pain_after"}


def test_malformed_json_is_a_400(api):
    response = api.generic(
        "POST", "/api/v1/sessions/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_huge_body_is_refused(api, points):
    response = api.post("/api/v1/sessions/", new_session(notes="x" * 200), format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_list_reads_and_filters_like_the_journal_page(api, user, points):
    bl23, li4 = points
    PracticeSessionFactory(user=user, points=[bl23], area="neck")
    PracticeSessionFactory(user=user, points=[li4], area="leg")
    old = PracticeSessionFactory(
        user=user, points=[li4], started_at=timezone.now() - timedelta(days=40)
    )
    PracticeSessionFactory(points=[li4])  # someone else's
    assert api.get("/api/v1/sessions/").json()["count"] == 3
    assert api.get("/api/v1/sessions/?point=li4").json()["count"] == 2
    assert api.get("/api/v1/sessions/?area=neck").json()["count"] == 1
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert api.get(f"/api/v1/sessions/?point=li4&date_from={since}").json()["count"] == 1
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    [only] = api.get(f"/api/v1/sessions/?date_to={until}").json()["results"]
    assert only["id"] == old.pk


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("point=zz99", "point"),
        ("area=elbow", "area"),
        ("date_from=yesterday", "date_from"),
        ("date_from=2026-02-01&date_to=2026-01-01", "date_to"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(api, query, field):
    response = api.get(f"/api/v1/sessions/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_pages_hold_25_by_default_and_at_most_100(api, user, points):
    PracticeSessionFactory.create_batch(30, user=user, points=[points[0]])
    first = api.get("/api/v1/sessions/").json()
    assert (first["count"], len(first["results"])) == (30, 25)
    assert first["next"].endswith("/api/v1/sessions/?page=2")
    assert len(api.get("/api/v1/sessions/?page_size=100").json()["results"]) == 30
    assert api.get("/api/v1/sessions/?page=9").status_code == 404


def test_listing_takes_a_fixed_number_of_queries(api, user, points, django_assert_max_num_queries):
    for _ in range(10):
        session = PracticeSessionFactory(user=user, points=[])
        for position, point in enumerate(points):
            SessionPointFactory(session=session, point=point, position=position)
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/sessions/").json()["results"]) == 10


def test_update_and_partial_update(api, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]], notes="before")
    url = f"/api/v1/sessions/{session.pk}/"
    response = api.patch(url, {"pain_after": 1}, format="json")
    assert response.status_code == 200
    session.refresh_from_db()
    assert (session.pain_after, session.notes) == (1, "before")
    assert [sp.point.code for sp in session.session_points.all()] == ["BL23"]

    response = api.put(
        url,
        new_session(points=[{"code": "LI4", "seconds": 30}], pain_before=5, pain_after=5),
        format="json",
    )
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert (session.pain_before, session.pain_after) == (5, 5)
    assert [(sp.point.code, sp.seconds) for sp in session.session_points.all()] == [("LI4", 30)]


def test_a_failed_update_changes_nothing(api, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]], pain_after=4)
    response = api.patch(
        f"/api/v1/sessions/{session.pk}/",
        {"pain_after": 2, "points": [{"code": "NOPE"}]},
        format="json",
    )
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.pain_after == 4
    assert [sp.point.code for sp in session.session_points.all()] == ["BL23"]


def test_an_experiment_session_keeps_its_point(api, user, points):
    experiment = ExperimentFactory(user=user, point_a=points[0], point_b=points[1])
    session = PracticeSessionFactory(user=user, points=[points[0]], experiment=experiment)
    url = f"/api/v1/sessions/{session.pk}/"
    response = api.patch(url, {"points": [{"code": "LI4"}]}, format="json")
    assert response.status_code == 400
    assert "cannot be changed" in str(response.json())
    assert [sp.point.code for sp in session.session_points.all()] == ["BL23"]
    response = api.patch(url, {"points": [{"code": "BL23", "seconds": 90}], "pain_after": 1})
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert (session.pain_after, session.experiment) == (1, experiment)


def test_a_partial_update_may_leave_out_the_seconds(api, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = api.patch(
        f"/api/v1/sessions/{session.pk}/", {"points": [{"code": "LI4"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [(sp.point.code, sp.seconds) for sp in session.session_points.all()] == [("LI4", None)]


def test_delete(api, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    assert api.delete(f"/api/v1/sessions/{session.pk}/").status_code == 204
    assert not PracticeSession.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_session_is_404(api, points, method):
    theirs = PracticeSessionFactory(user=UserFactory(username="them"), points=[points[0]])
    before = PracticeSession.objects.values().get()
    response = getattr(api, method)(
        f"/api/v1/sessions/{theirs.pk}/", new_session(pain_after=0), format="json"
    )
    assert response.status_code == 404
    assert PracticeSession.objects.values().get() == before


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/v1/sessions/"), ("post", "/api/v1/sessions/"), ("get", "/api/v1/sessions/1/")],
)
def test_sessions_need_authentication(db, method, url):
    response = getattr(APIClient(), method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_browser_session_works_and_csrf_is_enforced(user, points):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/sessions/").status_code == 200
    response = client.post("/api/v1/sessions/", new_session(), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not PracticeSession.objects.exists()


@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
)
def test_requests_are_throttled(api, points):
    statuses = [api.get("/api/v1/sessions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    anonymous = APIClient()
    assert [anonymous.get("/api/v1/points/").status_code for _ in range(3)] == [200, 200, 429]


def test_insights_endpoint_gives_the_statistics_module_output(db):
    from rest_framework.test import APIClient

    from journal import stats

    user = UserFactory()
    point = PointFactory(code="BL40", slug="bl40")
    for before, after in [(7, 3), (6, 3), (8, 4), (7, 2), (6, 4), (7, 5)]:
        PracticeSessionFactory(user=user, points=[point], pain_before=before, pain_after=after)
    PracticeSessionFactory(points=[point], pain_before=9, pain_after=0)  # someone else's
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/insights/", {"range": "all"})
    assert response.status_code == 200
    (summary,) = stats.point_summaries(user)
    (row,) = response.json()["points"]
    assert row["code"] == "BL40" and row["sessions"] == 6 and row["enough_data"] is True
    assert row["mean_relief"] == pytest.approx(summary.mean_relief)
    assert row["interval"]["low"] == pytest.approx(summary.interval.low)
    assert response.json()["sessions"] == 6


def test_insights_endpoint_needs_authentication_and_valid_filters(db):
    from rest_framework.test import APIClient

    api = APIClient()
    assert api.get("/api/v1/insights/").status_code in {401, 403}
    api.force_authenticate(UserFactory())
    response = api.get("/api/v1/insights/", {"range": "7"})
    assert response.status_code == 400
    assert "range" in response.json()


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_to=9999-12-31", "date_to"),
        ("date_from=0001-01-01", "date_from"),
        ("date_from=1899-12-31", "date_from"),
        ("date_to=2101-01-01", "date_to"),
    ],
)
def test_dates_outside_1900_to_2100_are_a_json_400(api, user, zone, query, field):
    user.profile.time_zone = zone
    user.profile.save()
    api.raise_request_exception = False
    response = api.get(f"/api/v1/sessions/?{query}")
    assert response.status_code == 400
    assert response.json() == {field: ["Choose a date between 1900 and 2100."]}


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_whole_date_range_can_be_listed(api, user, points, zone):
    user.profile.time_zone = zone
    user.profile.save()
    PracticeSessionFactory(user=user, points=[points[0]])
    response = api.get("/api/v1/sessions/?date_from=1900-01-01&date_to=2100-12-31")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.parametrize("value", ["1²", "²", "١", "１０", "٢٥", "⑤", "1\u0665"])
def test_page_size_and_page_take_only_ascii_digits(api, user, points, value):
    PracticeSessionFactory(user=user, points=[points[0]])
    api.raise_request_exception = False
    response = api.get("/api/v1/sessions/", {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Choose a page size from 1 to 100."]}
    response = api.get("/api/v1/sessions/", {"page": value})
    assert response.status_code == 404
    assert response.json() == {"detail": "Pages are numbered 1, 2, 3…"}


def test_a_session_number_takes_only_ascii_digits(api, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    assert api.get(f"/api/v1/sessions/{session.pk}/").status_code == 200
    arabic = str(session.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert api.get(f"/api/v1/sessions/{arabic}/").status_code == 404


@pytest.mark.parametrize("depth", [1_000, 5_000, 100_000])
@pytest.mark.parametrize(
    ("method", "opener"), [("POST", "["), ("POST", '{"a":'), ("PUT", "["), ("PATCH", "[")]
)
def test_deeply_nested_json_is_a_json_400(api, user, points, depth, method, opener):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    url = "/api/v1/sessions/" if method == "POST" else f"/api/v1/sessions/{session.pk}/"
    closer = "]" if opener == "[" else "}"
    api.raise_request_exception = False
    response = api.generic(
        method, url, opener * depth + "1" + closer * depth, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "JSON parse error" in response.json()["detail"]
    assert PracticeSession.objects.count() == 1
