"""What the home page shows a logged-in person: the one thing they came to do (log a session),
then what is useful today, each only when it applies.

A fixed number of queries whatever the size of the journal: the latest session with its points,
whether there are enough sessions for insights (a LIMIT, not a COUNT), the weekly goal and
streak (one grouped query over a bounded window) and the running experiment's next session.
A routine's timer opened and not logged since is remembered in the browser's session (no query).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import experiments, habits, stats
from .forms.sessions import DATETIME_LOCAL_FORMAT, SameAgainForm
from .models import PracticeSession
from .queries import sessions_for

# The routine whose timer was opened last, kept in the Django session until a session is logged.
ROUTINE_OPENED = "routine_opened"
ROUTINE_OPENED_FOR = timedelta(hours=3)


@dataclass(frozen=True)
class OpenedRoutine:
    title: str
    opened_at: datetime
    log_url: str


@dataclass(frozen=True)
class LastSession:
    session: PracticeSession
    day: str  # "today", "yesterday", "on Monday" or "on 3 November" (translated)

    @property
    def codes(self) -> list[str]:
        return [session_point.point.code for session_point in self.session.session_points.all()]

    @property
    def slugs(self) -> list[str]:
        return [session_point.point.slug for session_point in self.session.session_points.all()]

    @property
    def again_url(self) -> str:
        """The log form with the same points (or rest) and area ticked: only the two pain
        ratings are left to give."""
        return reverse("journal:new") + "?" + urlencode({"again": self.session.pk})


def day_words(day: date, today: date) -> str:
    """A session's day as people say it: today, yesterday, on Monday (this past week), or on
    3 November (the year too when it is not this one)."""
    if day == today:
        # Translators: when the last session was; the page shows it as "Today at 18:30".
        return _("today")
    if day == today - timedelta(days=1):
        # Translators: when the last session was; the page shows it as "Yesterday at 18:30".
        return _("yesterday")
    if today - timedelta(days=6) <= day < today:
        # Translators: when the last session was, e.g. "on Monday" (shown as "On Monday at 18:30").
        return _("on %(weekday)s") % {"weekday": date_format(day, "l")}
    if day.year == today.year:
        # Translators: when the last session was, e.g. "on 3 November" (shown as "On 3 November
        # at 18:30"); the date is written as the language writes a day and month.
        return _("on %(date)s") % {"date": date_format(day, "MONTH_DAY_FORMAT")}
    # Translators: Django date format (as the "date" template filter takes) of a day in another
    # year, with the month's full name: "3 November 2024". Spanish, for example: j \d\e F \d\e Y
    year_format = pgettext("date format", "j F Y")
    # Translators: when the last session was, in another year: "on 3 November 2024".
    return _("on %(date)s") % {"date": date_format(day, year_format)}


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


def remember_routine_opened(request, routine) -> None:
    """Called by the timer pages: a logged-in person's home will offer to log this routine."""
    if request.user.is_authenticated:
        reference = routine.slug if routine.owner_id is None else str(routine.pk)
        request.session[ROUTINE_OPENED] = {
            "reference": reference,
            "title": routine.title,
            "at": timezone.now().isoformat(),
        }


def forget_routine_opened(request) -> None:
    """Called once a session is logged: whatever timer was open, it has been dealt with."""
    request.session.pop(ROUTINE_OPENED, None)


def routine_not_logged(request, last: LastSession | None) -> OpenedRoutine | None:
    """The routine whose timer was opened in the last few hours with no session logged since."""
    opened = request.session.get(ROUTINE_OPENED)
    try:
        opened_at = datetime.fromisoformat(opened["at"])
        title, reference = str(opened["title"]), str(opened["reference"])
    except (TypeError, KeyError, ValueError):
        return None
    if timezone.now() - opened_at > ROUTINE_OPENED_FOR:
        return None
    if last is not None and last.session.created_at >= opened_at:
        return None
    return OpenedRoutine(
        title=title,
        opened_at=opened_at,
        log_url=reverse("journal:new") + "?" + urlencode({"routine": reference}),
    )


def today_for(request) -> dict:
    """The home page's context for a logged-in user."""
    user = request.user
    last = last_session(user)
    return {
        "last": last,
        "same_again": SameAgainForm() if last else None,
        # The quick form's time: now, in the user's zone, as the log form's field reads it.
        "now_local": timezone.localtime().strftime(DATETIME_LOCAL_FORMAT),
        "routine_opened": routine_not_logged(request, last),
        "upcoming": experiments.next_session(experiments.active_experiment(user)),
        "progress": habits.weekly_progress(user, habits.weekly_goal(user)) if last else None,
        "insights_ready": last is not None and enough_for_insights(user),
    }
