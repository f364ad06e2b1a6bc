"""Hostile values in every form and query string: never a server error, never half-written data,
and whatever is stored is shown escaped."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote
from zoneinfo import available_timezones

import pytest
from django.core.cache import cache
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from journal.forms.fields import EARLIEST_DATE, LATEST_DATE
from journal.middleware import SESSION_KEY
from journal.models import (
    FACTOR_NAME_MAX_LENGTH,
    ApiToken,
    Factor,
    PracticePlan,
    PracticeSession,
    SessionFactor,
    SessionPoint,
)

from .factories import PASSWORD, PointFactory, PracticeSessionFactory

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "11",
    "10.0",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE journal_practicesession; --",
    "1 OR 1=1",
    "../../etc/passwd",
    "😀" * 50,
    "ℌ𝔢𝔩𝔩𝔬 ①②③",
    "x" * 5000,
    "2026-13-45T25:61",
    "0000-00-00",
    "\u202eevil",
]
hostile = st.one_of(st.sampled_from(NASTY), st.text(max_size=300))
pain = st.one_of(st.sampled_from([str(v) for v in range(11)]), hostile)
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def point(db):
    return PointFactory(code="BL23", slug="bl23")


def assert_no_half_written_sessions():
    """Every session has points, or is a rest session with none."""
    assert not PracticeSession.objects.filter(rest_only=False, session_points__isnull=True).exists()
    assert not PracticeSession.objects.filter(rest_only=True, session_points__isnull=False).exists()
    assert not SessionPoint.objects.filter(session__isnull=True).exists()
    assert not SessionFactor.objects.filter(session__isnull=True).exists()


@HYPOTHESIS
@given(
    points=st.lists(st.one_of(st.just("bl23"), hostile), max_size=3),
    pain_before=pain,
    pain_after=pain,
    started_at=st.one_of(st.just("2026-01-01T10:00"), hostile),
    area=st.one_of(st.just("neck"), hostile),
    seconds=st.one_of(st.just("60"), hostile),
    notes=hostile,
    show_in_report=st.one_of(st.just("on"), hostile),
    rest_only=st.one_of(st.just("on"), hostile),
    factors=st.lists(st.one_of(st.sampled_from(["1", "5"]), hostile), max_size=3),
)
def test_session_form_survives_anything(
    logged_in,
    point,
    points,
    pain_before,
    pain_after,
    started_at,
    area,
    seconds,
    notes,
    show_in_report,
    rest_only,
    factors,
):
    count = PracticeSession.objects.count()
    response = logged_in.post(
        "/journal/new/",
        {
            "points": points,
            "pain_before": pain_before,
            "pain_after": pain_after,
            "started_at": started_at,
            "area": area,
            "seconds": seconds,
            "notes": notes,
            "show_in_report": show_in_report,
            "rest_only": rest_only,
            "factors": factors,
        },
    )
    assert response.status_code in {200, 302}
    assert_no_half_written_sessions()
    if response.status_code == 200:
        assert PracticeSession.objects.count() == count
        assert "Nothing has been saved yet" in response.text
    else:
        session = PracticeSession.objects.latest("pk")
        assert 0 <= session.pain_before <= 10 and 0 <= session.pain_after <= 10
        assert len(session.notes) <= 2000
        detail = logged_in.get(session.get_absolute_url())
        assert "<script>alert(1)</script>" not in detail.text
        if session.notes.strip():
            assert escape(session.notes.splitlines()[0].strip()) in detail.text


@HYPOTHESIS
@given(value=hostile)
def test_follow_up_survives_anything(logged_in, user, value):
    session = PracticeSessionFactory(user=user)
    response = logged_in.post(f"/journal/{session.pk}/follow-up/", {"pain_later": value})
    assert response.status_code in {302, 400}
    session.refresh_from_db()
    assert session.pain_later is None or 0 <= session.pain_later <= 10


@HYPOTHESIS
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "point",
                "area",
                "date_from",
                "date_to",
                "page",
                "range",
                "single",
                "a",
                "b",
                "q",
                "region",
                "month",
                "factor",
                "rest",
            ]
        ),
        hostile,
        max_size=5,
    )
)
def test_query_strings_never_break_a_page(logged_in, point, params):
    for url in [
        "/journal/",
        "/journal/insights/",
        "/journal/compare/",
        "/journal/report/",
        "/guides/",
        "/journal/new/",
        "/journal/calendar/",
    ]:
        query = dict(params)
        if url == "/journal/new/":
            query["points"] = query.pop("point", "bl23")
        response = logged_in.get(url, query)
        assert response.status_code == 200, (url, query)


@pytest.mark.parametrize(
    "url",
    [
        "/guides/?q=a%00b",
        "/journal/new/?points=bl23,a%00b",
        "/journal/?point=a%00b",
        "/journal/calendar/?month=2026%0003",
        "/journal/?factor=1%00",
    ],
)
def test_nul_characters_in_query_strings_are_harmless(logged_in, point, url):
    """PostgreSQL refuses NUL in text parameters; SQLite does not, so this is spelt out."""
    assert logged_in.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/calendar/a%00b.ics", "/reminders/unsubscribe/a%00b/"])
def test_nul_characters_in_token_addresses_are_404(client, db, url):
    assert client.get(url).status_code == 404


@HYPOTHESIS
@given(username=hostile, email=hostile, password=hostile, time_zone=hostile)
def test_sign_up_survives_anything(client, db, username, email, password, time_zone):
    cache.clear()  # the sign-up and e-mail throttles count per test, not per example
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": password,
            "password2": password,
            "time_zone": time_zone,
        },
    )
    assert response.status_code in {200, 302}
    client.logout()


@HYPOTHESIS
@given(time_zone=hostile, password=hostile)
def test_account_forms_survive_anything(logged_in, user, time_zone, password):
    assert logged_in.post("/accounts/settings/", {"time_zone": time_zone}).status_code in {200, 302}
    response = logged_in.post("/accounts/delete/", {"password": password})
    assert response.status_code == 200 or password == PASSWORD
    assert logged_in.post(
        "/accounts/password_change/",
        {"old_password": password, "new_password1": password, "new_password2": password},
    ).status_code in {200, 302}


@HYPOTHESIS
@given(email=hostile, password=hostile, token=hostile)
def test_email_forms_and_links_survive_anything(logged_in, user, email, password, token):
    cache.clear()
    response = logged_in.post("/accounts/settings/email/", {"email": email, "password": password})
    assert response.status_code in {302, 400}
    for url in ["/accounts/settings/email/resend/", "/accounts/settings/email/cancel/"]:
        assert logged_in.post(url).status_code == 302
    token = quote(token.replace("/", ""), safe="")
    if token:
        for method in (logged_in.get, logged_in.post):
            assert method(f"/accounts/email/confirm/{token}/").status_code == 400


@HYPOTHESIS
@given(
    weekly_goal=hostile,
    reminders_on=st.one_of(st.just("on"), hostile),
    reminder_days=st.lists(st.one_of(st.sampled_from(["MO", "FR"]), hostile), max_size=3),
    reminder_time=st.one_of(st.just("18:30"), hostile),
    reminder_routine=hostile,
    email_reminders=hostile,
)
def test_practice_plan_form_survives_anything(
    logged_in,
    user,
    weekly_goal,
    reminders_on,
    reminder_days,
    reminder_time,
    reminder_routine,
    email_reminders,
):
    response = logged_in.post(
        "/accounts/settings/plan/",
        {
            "weekly_goal": weekly_goal,
            "reminders_on": reminders_on,
            "reminder_days": reminder_days,
            "reminder_time": reminder_time,
            "reminder_routine": reminder_routine,
            "email_reminders": email_reminders,
        },
    )
    assert response.status_code in {200, 302}
    plan = PracticePlan.objects.filter(user=user).first()
    if plan is not None:
        assert 1 <= plan.weekly_goal <= 21
        assert not plan.reminders_on or (plan.reminder_days and plan.reminder_time)
    if response.status_code == 200:
        assert "<script>alert(1)</script>" not in response.text


@HYPOTHESIS
@given(token=hostile)
def test_public_token_addresses_survive_anything(client, db, token):
    token = quote(token.replace("/", ""), safe="")
    if not token:
        return
    for url in [f"/calendar/{token}.ics", f"/reminders/unsubscribe/{token}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/reminders/unsubscribe/{token}/").status_code == 404


FACTOR_NAMES = [
    "",
    "   ",
    "x" * 10_000,
    "\x00",
    "Hot\x00bath",
    "\u202eevil",
    "\u2066x\u2069",
    "\t\n",
]


@HYPOTHESIS
@given(name=st.one_of(st.sampled_from(FACTOR_NAMES), hostile))
def test_factor_forms_survive_anything(logged_in, user, name):
    """Adding and renaming a factor: a page or a redirect, and whatever is stored is a clean name."""
    response = logged_in.post("/journal/factors/new/", {"name": name})
    assert response.status_code in {200, 302}
    mine = user.factors.first() or Factor.objects.create(owner=user, name="Hot bath")
    response = logged_in.post(f"/journal/factors/{mine.pk}/edit/", {"name": name})
    assert response.status_code in {200, 302}
    for stored in user.factors.values_list("name", flat=True):
        assert stored == stored.strip() and 0 < len(stored) <= FACTOR_NAME_MAX_LENGTH
        assert not any(c in stored for c in "\x00\t\n\u202e\u2066")
    if response.status_code == 200:
        assert "<script>alert(1)</script>" not in response.text
    page = logged_in.get("/journal/factors/")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    user.factors.all().delete()


@HYPOTHESIS
@given(username=hostile, password=hostile)
def test_log_in_survives_anything(client, db, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in {200, 302, 429}


@HYPOTHESIS
@given(
    point_a=st.one_of(st.just("bl23"), hostile),
    point_b=st.one_of(st.just("li4"), hostile),
    planned=st.one_of(st.just("10"), hostile),
)
def test_experiment_form_survives_anything(logged_in, user, point, point_a, point_b, planned):
    from journal.models import Experiment

    PointFactory(code="LI4", slug="li4")
    query = {"point_a": point_a, "point_b": point_b}
    assert logged_in.get("/journal/experiments/new/", query).status_code == 200
    response = logged_in.post("/journal/experiments/new/", {**query, "planned_sessions": planned})
    assert response.status_code in {200, 302}
    started = Experiment.objects.filter(user=user)
    if response.status_code == 302:
        experiment = started.get()
        assert len(experiment.schedule) == experiment.planned_sessions
        experiment.delete()
    else:
        assert not started.exists()


@HYPOTHESIS
@given(count=st.one_of(st.just("on"), hostile), marker=hostile)
def test_experiment_sessions_survive_anything(logged_in, user, point, count, marker):
    from .factories import ExperimentFactory

    experiment = ExperimentFactory(user=user, point_a=point, schedule="ABBA")
    assert logged_in.get("/journal/new/", {"experiment": marker}).status_code == 200
    data = {
        "points": ["bl23"],
        "pain_before": "6",
        "pain_after": "3",
        "started_at": "2026-01-01T10:00",
        "area": "neck",
        "count_in_experiment": count,
    }
    assert logged_in.post("/journal/new/", data).status_code in {200, 302}
    assert_no_half_written_sessions()
    assert experiment.practice_sessions.count() <= 1
    PracticeSession.objects.all().delete()
    experiment.delete()


# The zones furthest from UTC either way and some with odd offsets, then any zone at all.
EXTREME_ZONES = [
    "Etc/GMT+12",
    "Pacific/Pago_Pago",
    "Pacific/Niue",
    "UTC",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
    "Etc/GMT-14",
]
any_zone = st.one_of(st.sampled_from(EXTREME_ZONES), st.sampled_from(sorted(available_timezones())))
EDGE_DATES = [
    date.min,
    date.max,
    date(1899, 12, 31),
    EARLIEST_DATE,
    LATEST_DATE,
    date(2101, 1, 1),
]
any_date = st.one_of(st.none(), st.sampled_from(EDGE_DATES), st.dates())
OUT_OF_RANGE = "Choose a date between 1900 and 2100."


def in_range(day: date | None) -> bool:
    return day is None or EARLIEST_DATE <= day <= LATEST_DATE


def date_query(date_from: date | None, date_to: date | None) -> dict[str, str]:
    days = {"date_from": date_from, "date_to": date_to}
    return {name: day.isoformat() for name, day in days.items() if day is not None}


@pytest.fixture
def own_session(user, point):
    return PracticeSessionFactory(user=user, points=[point], notes="kept")


@pytest.fixture
def api(user):
    _, raw = ApiToken.objects.issue(user, "hostile")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.raise_request_exception = False
    return client


@HYPOTHESIS
@given(zone=any_zone, date_from=any_date, date_to=any_date)
def test_any_date_in_any_zone_is_a_page_or_an_explanation(
    logged_in, api, user, own_session, zone, date_from, date_to
):
    """Every day of Python's date range, in every zone: the journal list, the report and the API
    list answer, never a server error (a day's start or the next day's could not be converted)."""
    user.profile.time_zone = zone
    user.profile.save()
    session = logged_in.session
    session[SESSION_KEY] = zone
    session.save()
    logged_in.raise_request_exception = False
    query = date_query(date_from, date_to)
    bad = {
        name for name, day in (("date_from", date_from), ("date_to", date_to)) if not in_range(day)
    }

    response = logged_in.get("/journal/", query)
    assert response.status_code == 200, (zone, query)
    errors = response.context["filter_form"].errors
    assert {name for name in errors if errors[name] == [OUT_OF_RANGE]} == bad

    report = logged_in.get("/journal/report/", query)
    assert report.status_code == 200, (zone, query)
    errors = report.context["form"].errors
    assert {name for name in errors if errors[name] == [OUT_OF_RANGE]} == bad

    listed = api.get("/api/v1/sessions/", query)
    assert listed["Content-Type"] == "application/json"
    if bad:
        assert listed.status_code == 400
        assert {
            name for name, messages in listed.json().items() if messages == [OUT_OF_RANGE]
        } == bad
    elif date_from and date_to and date_from > date_to:
        assert listed.status_code == 400
    else:
        assert listed.status_code == 200, (zone, query)


# Digits of every script, and other characters str.isdigit() or int() accept.
unicode_number = st.one_of(
    st.sampled_from(["1²", "²", "١", "１０", "٢٥", "⑤", "1\u0665", "\u0967\u0966"]),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=4),
)


def ascii_number(value: str) -> bool:
    return value.isascii() and value.isdecimal()


@HYPOTHESIS
@given(value=unicode_number)
def test_unicode_digits_in_numeric_query_parameters(logged_in, api, own_session, value):
    """Only 0-9 make a number: "²" passes str.isdigit() and "١" is read as 1 by int()."""
    logged_in.raise_request_exception = False
    for url, name in [
        ("/journal/", "page"),
        ("/journal/insights/", "range"),
        ("/journal/compare/", "range"),
        ("/journal/calendar/", "month"),
    ]:
        assert logged_in.get(url, {name: value}).status_code == 200, (url, name)

    page_size = api.get("/api/v1/sessions/", {"page_size": value})
    page = api.get("/api/v1/sessions/", {"page": value})
    insights = api.get("/api/v1/insights/", {"range": value})
    for response in (page_size, page, insights):
        assert response["Content-Type"] == "application/json"
    if ascii_number(value):
        assert page_size.status_code == (200 if 1 <= int(value) <= 100 else 400)
        assert page.status_code == (200 if int(value) == 1 else 404)
    else:
        assert page_size.status_code == 400
        assert page.status_code == 404
        assert insights.status_code == 400
        assert api.get(f"/api/v1/sessions/{quote(value)}/").status_code == 404


OPENERS = {"[": "]", '{"a":': "}", '[{"points":': "}]"}


@HYPOTHESIS
@given(
    depth=st.one_of(st.integers(0, 3000), st.integers(3000, 200_000)),
    opener=st.sampled_from(sorted(OPENERS)),
)
def test_deeply_nested_json_to_every_api_endpoint(api, own_session, depth, opener):
    """JSON nested beyond Python's recursion limit is a 400 like any malformed JSON, not a 500
    page; shallower nesting is refused by the serializer. Nothing is written either way."""
    session = own_session
    body = opener * depth + "1" + OPENERS[opener] * depth
    for method, url in [
        ("POST", "/api/v1/sessions/"),
        ("PUT", f"/api/v1/sessions/{session.pk}/"),
        ("PATCH", f"/api/v1/sessions/{session.pk}/"),
        ("POST", "/api/v1/points/"),
        ("PUT", "/api/v1/points/bl23/"),
        ("POST", "/api/v1/insights/"),
        ("POST", "/api/v1/nowhere/"),
    ]:
        response = api.generic(method, url, body, content_type="application/json")
        # A PATCH of {"a": 1} is valid: it changes nothing (unknown keys are ignored).
        allowed = {400, 404, 405} | ({200} if method == "PATCH" else set())
        assert response.status_code in allowed, (method, url, depth)
        assert response["Content-Type"] == "application/json"
    assert list(PracticeSession.objects.values_list("notes", flat=True)) == ["kept"]
