"""What the home page shows a logged-in person: the one thing they came to do (log a session),
then what is useful today, each only when it applies.

A fixed number of queries whatever the size of the journal: the latest session with its points,
whether there are enough sessions for insights (a LIMIT, not a COUNT), the weekly goal and
streak (one grouped query over a bounded window) and the running experiment's next session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from . import experiments, habits, stats
from .models import PracticeSession
from .queries import sessions_for


@dataclass(frozen=True)
class LastSession:
    session: PracticeSession
    day: str  # "today", "yesterday", "on Monday" or "on 3 November"

    @property
    def codes(self) -> list[str]:
        return [session_point.point.code for session_point in self.session.session_points.all()]

    @property
    def again_url(self) -> str:
        """The log form with the same points (or rest) and area ticked: only the two pain
        ratings are left to give."""
        return reverse("journal:new") + "?" + urlencode({"again": self.session.pk})


def day_words(day: date, today: date) -> str:
    """A session's day as people say it: today, yesterday, on Monday (this past week), or on
    3 November (the year too when it is not this one)."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    if today - timedelta(days=6) <= day < today:
        return f"on {day:%A}"
    if day.year == today.year:
        return f"on {day.day} {day:%B}"
    return f"on {day.day} {day:%B} {day.year}"


def last_session(user, today: date | None = None) -> LastSession | None:
    session = sessions_for(user).with_points().first()
    if session is None:
        return None
    today = today or timezone.localdate()
    return LastSession(
        session=session, day=day_words(timezone.localdate(session.started_at), today)
    )


def enough_for_insights(user) -> bool:
    """At least as many sessions as a point needs to be ranked (read with a LIMIT)."""
    return sessions_for(user).order_by()[stats.MIN_SESSIONS - 1 : stats.MIN_SESSIONS].exists()


def today_for(user) -> dict:
    """The home page's context for a logged-in user."""
    last = last_session(user)
    return {
        "last": last,
        "upcoming": experiments.next_session(experiments.active_experiment(user)),
        "progress": habits.weekly_progress(user, habits.weekly_goal(user)) if last else None,
        "insights_ready": last is not None and enough_for_insights(user),
    }
