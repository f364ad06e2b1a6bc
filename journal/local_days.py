"""Local days and weeks of a datetime column, computed in SQL on SQLite and PostgreSQL alike.

Django's ``TruncDate``/``TruncWeek`` with a time zone run a Python function per row on SQLite,
which made the insights trend grow with the size of the journal. Here the database adds the
zone's UTC offset to the epoch seconds and divides: the offset comes from a ``CASE`` over the
zone's offset changes within the range, found once per zone and year with ``zoneinfo``, so days
stay exact across daylight-saving changes.

Days are numbered from Monday 1899-12-25 (see ``DAY_ZERO``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import lru_cache

from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.expressions import Expression

# Day 0 is Monday 25 December 1899, a week before the earliest date a session may have, so the
# numbers stay positive in every zone (SQL's integer division truncates towards zero) and a week
# number is simply the day number divided by 7.
DAY_ZERO = date(1899, 12, 25)
SECONDS_BEFORE_1970 = int(
    (
        datetime(1970, 1, 1, tzinfo=dt_timezone.utc)
        - datetime.combine(DAY_ZERO, time(), tzinfo=dt_timezone.utc)
    ).total_seconds()
)
DAY = 86400
# Offsets are looked for every STEP; no zone has changed its offset twice within 6 hours.
STEP = timedelta(hours=6)


class EpochSeconds(Func):
    """Whole seconds since 1970-01-01 UTC of a datetime column (floored)."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM %(expressions)s)) AS BIGINT)",
        )


def _offset(zone: tzinfo, moment: datetime) -> int:
    return int(moment.astimezone(zone).utcoffset().total_seconds())


@lru_cache(maxsize=512)
def _changes_in_year(zone: tzinfo, year: int) -> tuple[tuple[datetime, int], ...]:
    """(instant, new offset in seconds) for each change of the zone's offset during ``year``."""
    changes = []
    moment = datetime(year, 1, 1, tzinfo=dt_timezone.utc)
    end = datetime(year + 1, 1, 1, tzinfo=dt_timezone.utc)
    offset = _offset(zone, moment)
    while moment < end:
        following = min(moment + STEP, end)
        if (new := _offset(zone, following)) != offset:
            low, high = moment, following  # the change is in (low, high]: halve to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            changes.append((high.replace(microsecond=0), new))
            offset = new
        moment = following
    return tuple(changes)


def offset_segments(zone: tzinfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The zone's UTC offsets from ``start`` to ``end``: [(from, offset)], the first from ``start``."""
    segments = [(start, _offset(zone, start))]
    for year in range(start.year, end.year + 1):
        segments.extend(
            (instant, offset)
            for instant, offset in _changes_in_year(zone, year)
            if start < instant <= end
        )
    return segments


def local_day_number(field: str, zone: tzinfo, start: datetime, end: datetime) -> Expression:
    """Days since ``DAY_ZERO`` of ``field`` in ``zone``: exact for values from ``start`` to ``end``.

    The CASE tests the newest change first, so recent rows stop after a comparison or two.
    """
    segments = offset_segments(zone, start, end)
    first_offset = segments[0][1]
    offset: Expression
    if len(segments) == 1:
        offset = Value(first_offset)
    else:
        offset = Case(
            *(
                When(**{f"{field}__gte": instant}, then=Value(seconds))
                for instant, seconds in reversed(segments[1:])
            ),
            default=Value(first_offset),
            output_field=IntegerField(),
        )
    return (EpochSeconds(F(field)) + offset + Value(SECONDS_BEFORE_1970)) / Value(DAY)


def local_week_number(field: str, zone: tzinfo, start: datetime, end: datetime) -> Expression:
    """Weeks (Monday to Sunday) since ``DAY_ZERO`` of ``field`` in ``zone``."""
    return local_day_number(field, zone, start, end) / Value(7)


def day_from_number(number: int) -> date:
    return DAY_ZERO + timedelta(days=number)


def monday_from_week_number(number: int) -> date:
    return DAY_ZERO + timedelta(weeks=number)
