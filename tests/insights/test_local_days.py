"""Local days and weeks counted in SQL (journal.local_days), checked against Python's zoneinfo.

The suite runs on SQLite and PostgreSQL, so both databases' versions of the expression are held
to the same answers: around the daylight-saving changes of London, New York and Auckland, in
zones with half-hour offsets, before 1970 and at the earliest time a session may have.
"""

import random
import zoneinfo
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.utils import timezone

from journal import local_days, stats
from journal.models import PracticeSession
from tests.factories import UserFactory

UTC = dt_timezone.utc
ZONES = [
    "Europe/London",
    "America/New_York",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "UTC",
]
# Instants on either side of the changes: London 2026-03-29 01:00 and 2026-10-25 01:00 UTC; New York
# 2026-03-08 07:00 and 2026-11-01 06:00 UTC; Auckland 2026-04-04 14:00 and 2026-09-26 14:00 UTC.
EDGES = [
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 23, 0, 0, tzinfo=UTC),
    datetime(2026, 10, 24, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 10, 25, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 8, 4, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 9, 3, 59, 59, tzinfo=UTC),
    datetime(2026, 3, 9, 4, 0, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 3, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 1, 4, 0, 0, tzinfo=UTC),
    datetime(2026, 11, 2, 4, 59, 59, tzinfo=UTC),
    datetime(2026, 11, 2, 5, 0, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 10, 59, 59, tzinfo=UTC),
    datetime(2026, 4, 4, 11, 0, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 12, 0, 0, tzinfo=UTC),
    datetime(2026, 9, 26, 11, 59, 59, tzinfo=UTC),
    datetime(2026, 9, 26, 12, 0, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 10, 30, tzinfo=UTC),  # New Year's Eve/Day east of UTC
    datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    datetime(1965, 6, 1, 22, 59, 59, 900000, tzinfo=UTC),  # before 1970, a fraction before 23:00
    datetime(1900, 1, 1, 0, 0, tzinfo=UTC),  # the earliest a session may have
]


def random_instants(count: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    start = datetime(1900, 1, 1, tzinfo=UTC)
    span = (datetime(2029, 1, 1, tzinfo=UTC) - start).total_seconds()
    return [start + timedelta(seconds=rng.random() * span) for _ in range(count)]


@pytest.fixture
def sessions(db):
    user = UserFactory()
    instants = EDGES + random_instants(300, seed=17)
    PracticeSession.objects.bulk_create(
        PracticeSession(user=user, started_at=instant, pain_before=5, pain_after=3)
        for instant in instants
    )
    return user, instants


@pytest.mark.parametrize("name", ZONES)
def test_local_day_and_week_numbers_match_zoneinfo(sessions, name):
    user, instants = sessions
    zone = zoneinfo.ZoneInfo(name)
    start, end = min(instants), max(instants)
    rows = (
        PracticeSession.objects.filter(user=user)
        .annotate(
            day=local_days.local_day_number("started_at", zone, start, end),
            week=local_days.local_week_number("started_at", zone, start, end),
        )
        .values_list("started_at", "day", "week")
    )
    checked = 0
    for started_at, day, week in rows:
        local = started_at.astimezone(zone).date()
        assert local_days.day_from_number(day) == local, (name, started_at)
        monday = local - timedelta(days=local.weekday())
        assert local_days.monday_from_week_number(week) == monday, (name, started_at)
        checked += 1
    assert checked == len(instants)


def test_offset_segments_find_the_changes_to_the_second():
    london = zoneinfo.ZoneInfo("Europe/London")
    segments = local_days.offset_segments(
        london, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 12, 31, tzinfo=UTC)
    )
    assert segments == [
        (datetime(2026, 1, 1, tzinfo=UTC), 0),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 3600),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 0),
    ]


def test_a_range_without_changes_needs_no_case(db):
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    segments = local_days.offset_segments(
        kolkata, datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert segments == [(datetime(2020, 1, 1, tzinfo=UTC), 19800)]


@pytest.mark.parametrize(
    ("name", "local_dates"),
    [
        # A London session late on the day the clocks went forward is on that day, not the next.
        ("Europe/London", ["2026-03-28", "2026-03-29", "2026-03-29", "2026-03-30"]),
        # New York, the day the clocks went back: a session at 23:30 local is still 1 November.
        ("America/New_York", ["2026-10-31", "2026-11-01", "2026-11-01", "2026-11-02"]),
    ],
)
def test_daily_trend_puts_sessions_on_their_local_day_across_a_change(db, name, local_dates):
    user = UserFactory()
    zone = zoneinfo.ZoneInfo(name)
    instants = {
        "Europe/London": [
            "2026-03-28 23:59",
            "2026-03-29 00:30",
            "2026-03-29 23:30",
            "2026-03-30 00:10",
        ],
        "America/New_York": [
            "2026-10-31 23:30",
            "2026-11-01 00:30",
            "2026-11-01 23:30",
            "2026-11-02 00:10",
        ],
    }[name]
    for pain, text in enumerate(instants, start=2):
        local = datetime.fromisoformat(text).replace(tzinfo=zone)
        PracticeSession.objects.create(
            user=user, started_at=local.astimezone(UTC), pain_before=pain, pain_after=1
        )
    with timezone.override(zone):
        rows = stats.trend(user, by="day")
        weeks = stats.trend(user, by="week")
    expected: dict[str, list[int]] = {}
    for pain, day in enumerate(local_dates, start=2):
        expected.setdefault(day, []).append(pain)
    assert [(str(row.period), row.sessions) for row in rows] == [
        (day, len(pains)) for day, pains in expected.items()
    ]
    assert [row.mean_pain_before for row in rows] == [
        sum(pains) / len(pains) for pains in expected.values()
    ]
    assert sum(row.sessions for row in weeks) == 4
    assert all(row.period.weekday() == 0 for row in weeks)
