"""Keeping the habit: the month calendar of sessions and progress towards the weekly goal.

Both come from one grouped query each (sessions counted per day or per week in the user's time
zone), never from a loop over a user's sessions. Weeks start on Monday.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Avg, Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import local_days
from .models import WEEKLY_GOAL_DEFAULT, PracticePlan
from .queries import sessions_for
from .stats import MEANINGFUL_POINTS, one_decimal

MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})")
# Far enough for any journal, near enough that the month before and after always exist.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_month(value: str) -> date | None:
    """``YYYY-MM`` -> the first day of that month, or None if it is not a month we can show."""
    match = MONTH_PATTERN.fullmatch(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def relief_label(mean_relief: float) -> str:
    """'+2.5', '0.0' or '−1.0' (a true minus sign), with the active language's decimal mark."""
    if round(mean_relief, 1) == 0:
        return one_decimal(0)
    return ("+" if mean_relief > 0 else "\u2212") + one_decimal(abs(mean_relief))


def relief_words(mean_relief: float) -> str:
    if round(mean_relief, 1) == 0:
        return _("no change in pain on average")
    if mean_relief > 0:
        # Translators: part of a sentence about a day or month; %(amount)s is e.g. "2.5".
        return _("average relief %(amount)s points") % {"amount": one_decimal(mean_relief)}
    # Translators: part of a sentence about a day or month; %(amount)s is e.g. "1.5".
    return _("pain %(amount)s points higher on average") % {"amount": one_decimal(-mean_relief)}


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    sessions: int = 0
    mean_relief: float | None = None

    @property
    def relief_level(self) -> str:
        """'good' (meaningful relief on average), 'some', or 'none' (no relief or worse)."""
        # Rounded as shown, so a day labelled +2.0 is never coloured as less.
        shown = round(self.mean_relief, 1) if self.mean_relief is not None else 0
        if shown <= 0:
            return "none"
        return "good" if shown >= MEANINGFUL_POINTS else "some"

    @property
    def relief_label(self) -> str:
        return relief_label(self.mean_relief) if self.mean_relief is not None else ""

    @property
    def relief_words(self) -> str:
        return relief_words(self.mean_relief) if self.mean_relief is not None else ""

    @property
    def list_url(self) -> str:
        """The journal list filtered to this day."""
        iso = self.day.isoformat()
        return f"{reverse('journal:list')}?{urlencode({'date_from': iso, 'date_to': iso})}"


@dataclass(frozen=True)
class MonthCalendar:
    month: date
    weeks: list[list[CalendarDay]]
    sessions: int
    mean_relief: float | None
    previous: date
    next: date | None  # None when the next month has not started yet

    @property
    def relief_words(self) -> str:
        return relief_words(self.mean_relief) if self.mean_relief is not None else ""

    @property
    def days_practised(self) -> int:
        return sum(1 for week in self.weeks for day in week if day.in_month and day.sessions)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def month_calendar(user, month: date, today: date | None = None) -> MonthCalendar:
    """Sessions and mean relief per day of ``month`` (its first day), in the active time zone."""
    today = today or timezone.localdate()
    following = add_months(month, 1)
    start, end = _local_midnight(month), _local_midnight(following)
    day_number = local_days.local_day_number(
        "started_at", timezone.get_current_timezone(), start, end
    )
    rows = (
        sessions_for(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .annotate(day=day_number)
        .values("day")
        .annotate(sessions=Count("pk"), mean_relief=Avg(F("pain_before") - F("pain_after")))
        .order_by()
    )
    by_day = {local_days.day_from_number(row["day"]): row for row in rows}
    weeks = [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month.month,
                is_today=day == today,
                sessions=by_day[day]["sessions"] if day in by_day else 0,
                mean_relief=float(by_day[day]["mean_relief"]) if day in by_day else None,
            )
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            month.year, month.month
        )
    ]
    total = sum(row["sessions"] for row in by_day.values())
    relief_sum = sum(row["sessions"] * float(row["mean_relief"]) for row in by_day.values())
    return MonthCalendar(
        month=month,
        weeks=weeks,
        sessions=total,
        mean_relief=relief_sum / total if total else None,
        previous=add_months(month, -1),
        next=following if following <= today else None,
    )


# The streak is counted back this many weeks at most (about a year), so the journal page reads a
# bounded number of sessions however long the journal is; a longer streak reads "52 or more".
STREAK_WEEKS_MAX = 52


@dataclass(frozen=True)
class WeeklyProgress:
    goal: int
    this_week: int
    streak: int  # consecutive weeks at the goal; this week counts only once it is reached
    streak_capped: bool = False  # True when the streak may go back further than was counted

    @property
    def met(self) -> bool:
        return self.this_week >= self.goal

    @property
    def bar_value(self) -> int:
        """For <progress>, whose value may not exceed its max."""
        return min(self.this_week, self.goal)

    @property
    def remaining(self) -> int:
        return max(self.goal - self.this_week, 0)


def weekly_goal(user) -> int:
    """The user's sessions-per-week goal, without creating a plan just to read the default."""
    goal = PracticePlan.objects.filter(user=user).values_list("weekly_goal", flat=True).first()
    return goal or WEEKLY_GOAL_DEFAULT


def weekly_progress(user, goal: int, today: date | None = None) -> WeeklyProgress:
    """This week's sessions and the streak of weeks (Monday to Sunday, in the active time zone)
    that reached ``goal``. An unfinished week that has not reached it yet does not break the
    streak; it joins it once it does.

    One grouped query over this week and the ``STREAK_WEEKS_MAX`` before it, with the weeks
    counted in SQL (``local_days``)."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=STREAK_WEEKS_MAX)
    start, end = _local_midnight(first_monday), _local_midnight(this_monday + timedelta(days=7))
    week_number = local_days.local_week_number(
        "started_at", timezone.get_current_timezone(), start, end
    )
    rows = (
        sessions_for(user)
        .filter(started_at__gte=start, started_at__lt=end)
        .annotate(week=week_number)
        .values("week")
        .annotate(sessions=Count("pk"))
        .order_by()
    )
    per_week = {local_days.monday_from_week_number(row["week"]): row["sessions"] for row in rows}
    this_week = per_week.get(this_monday, 0)
    week = this_monday if this_week >= goal else this_monday - timedelta(days=7)
    streak = 0
    while week >= first_monday and per_week.get(week, 0) >= goal:
        streak += 1
        week -= timedelta(days=7)
    return WeeklyProgress(
        goal=goal, this_week=this_week, streak=streak, streak_capped=week < first_monday
    )
