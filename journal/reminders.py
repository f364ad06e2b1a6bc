"""Practice reminders: when they fall, the private calendar feed, and the e-mails.

A reminder time is wall-clock time in the user's zone, so 18:30 stays 18:30 across daylight-saving
changes. Where a change makes a time ambiguous or skips it, we follow RFC 5545 (3.3.5) as calendar
apps do: an ambiguous time is its first occurrence, and a skipped time (01:30 on the night the
clocks go forward) is read with the offset from before the change, so it falls an hour later.
"""

from __future__ import annotations

import logging
import math
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone, vDuration

from acupressure.models import Routine

from .models import PracticePlan

logger = logging.getLogger(__name__)

UTC = dt_timezone.utc
DEFAULT_WINDOW = timedelta(minutes=15)
FEED_PRODID = "-//Acupressure Journal//Practice reminders//EN"
FEED_REFRESH = timedelta(hours=6)
DEFAULT_DURATION = timedelta(minutes=10)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what secrets.token_urlsafe() makes


def user_zone(user) -> tzinfo:
    """The user's time zone (UTC if unset or unknown)."""
    profile = getattr(user, "profile", None)
    try:
        return zoneinfo.ZoneInfo(profile.time_zone if profile else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def user_language(user) -> str:
    """The language to write to ``user`` in when no request says it (reminder e-mails and pushes,
    the calendar feed): the profile's, or the site's default when none was chosen. Reads
    ``user.profile``, so fetch users in bulk with ``select_related("user__profile")``."""
    profile = getattr(user, "profile", None)
    return (profile.language if profile else "") or settings.LANGUAGE_CODE


def occurrences(plan: PracticePlan, after: datetime, until: datetime) -> Iterator[datetime]:
    """The plan's reminder times in (after, until], in UTC, oldest first."""
    if not plan.reminders_on or plan.reminder_time is None:
        return
    zone = user_zone(plan.user)
    weekdays = plan.weekday_numbers
    day = after.astimezone(zone).date()
    while day <= until.astimezone(zone).date():
        if day.weekday() in weekdays:
            at = datetime.combine(day, plan.reminder_time, tzinfo=zone).astimezone(UTC)
            if after < at <= until:
                yield at
        day += timedelta(days=1)


def latest_occurrence(
    plan: PracticePlan, now: datetime, window: timedelta = DEFAULT_WINDOW
) -> datetime | None:
    """The latest reminder time within ``window`` before ``now``."""
    return max(occurrences(plan, now - window, now), default=None)


def due_occurrence(
    plan: PracticePlan, now: datetime, window: timedelta = DEFAULT_WINDOW
) -> datetime | None:
    """The latest reminder time within ``window`` before ``now`` that has not been e-mailed yet."""
    latest = latest_occurrence(plan, now, window)
    if latest is None or (plan.last_emailed_for and plan.last_emailed_for >= latest):
        return None
    return latest


def next_occurrence(plan: PracticePlan, now: datetime) -> datetime | None:
    """The next reminder after ``now``, in UTC (None when reminders are off)."""
    return next(occurrences(plan, now, now + timedelta(days=8)), None)


def routine_url(routine: Routine) -> str:
    """The routine's page. Routine pages arrive with issue 5 (routines and the player); until
    their URLs exist the link logs a session with the routine instead."""
    try:
        return routine.get_absolute_url()
    except NoReverseMatch:
        return routine.get_log_url()


def event_duration(routine: Routine | None) -> timedelta:
    """How long the calendar event lasts: the routine's time, but never a sliver."""
    if routine is None:
        return DEFAULT_DURATION
    return max(DEFAULT_DURATION, timedelta(minutes=math.ceil(routine.total_seconds / 60)))


# The calendar feed -------------------------------------------------------------------------


def first_day(plan: PracticePlan, zone: tzinfo) -> date:
    """The first reminder day on or after the plan was last saved: DTSTART must be an occurrence."""
    day = timezone.localtime(plan.updated_at, zone).date()
    weekdays = plan.weekday_numbers
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def feed(plan: PracticePlan, site_url: str) -> bytes:
    """The plan as an iCalendar file: one weekly event on the reminder days, in the user's zone
    and language (a calendar app fetches it without any language of its own).

    The calendar always carries the zone's VTIMEZONE, so it is valid RFC 5545 (which needs at
    least one component) even when reminders are off and it has no events.
    """
    with translation.override(user_language(plan.user)):
        return _feed(plan, site_url)


def _feed(plan: PracticePlan, site_url: str) -> bytes:
    zone = user_zone(plan.user)
    updated = plan.updated_at.astimezone(UTC)
    # The zone's definition from a year before the plan was saved: enough for any occurrence.
    zone_since = timezone.localtime(plan.updated_at, zone).date() - timedelta(days=366)
    calendar = Calendar.new(
        prodid=FEED_PRODID,
        # Translators: the name of the calendar of practice reminders in people's calendar apps.
        name=_("Acupressure reminders"),
        # Translators: "Acupressure Journal" is the app's name.
        description=_("Practice reminders from Acupressure Journal."),
        refresh_interval=FEED_REFRESH,
        uid=f"practice-plan-{plan.pk}",
    )
    calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    calendar.add("X-WR-TIMEZONE", str(zone))
    if plan.reminders_on:
        routine = _routine_with_steps(plan)
        start = datetime.combine(first_day(plan, zone), plan.reminder_time, tzinfo=zone)
        link = site_url + (routine_url(routine) if routine else reverse("journal:new"))
        if routine:
            # Translators: the title of a reminder in a calendar app; %(routine)s is a routine's
            # title, e.g. "Acupressure: Evening back routine".
            summary = _("Acupressure: %(routine)s") % {"routine": routine.title}
        else:
            # Translators: the title of a reminder in a calendar app.
            summary = _("Acupressure practice")
        event = Event.new(
            uid=f"practice-reminder-{plan.pk}",
            stamp=updated,
            last_modified=updated,
            start=start,
            end=start + event_duration(routine),
            summary=summary,
            description=render_to_string(
                "journal/plan/reminders/event_description.txt", {"routine": routine, "link": link}
            ).strip(),
            url=link,
        )
        event.add("RRULE", {"FREQ": "WEEKLY", "BYDAY": plan.days})
        event.add_component(Alarm.new_display(description=event.summary, trigger=timedelta(0)))
        calendar.add_component(event)
        calendar.add_missing_timezones(first_date=zone_since)
    else:
        calendar.add_component(Timezone.from_tzid(str(zone), first_date=zone_since))
    return calendar.to_ical()


def _routine_with_steps(plan: PracticePlan) -> Routine | None:
    if plan.reminder_routine_id is None:
        return None
    return Routine.objects.with_steps().filter(pk=plan.reminder_routine_id).first()


# E-mail ------------------------------------------------------------------------------------


def plan_for_unsubscribe_token(token: str) -> PracticePlan | None:
    """The plan whose unsubscribe link carries ``token``; None for an unknown or revoked one.

    The token is random (``PracticePlan.unsubscribe_token``), not the user id: it tells nothing
    about the account, and revoking it (journal/revocation.py) ends every older link. Links from
    before it existed (``signing.dumps(user_id)``, with ":") are simply unknown tokens now; the
    address keeps ``<str:token>`` so that they get the page explaining what to do instead.
    """
    if not TOKEN_SHAPE.fullmatch(token):  # also keeps NUL and the like away from the database
        return None
    return PracticePlan.objects.filter(unsubscribe_token=token).first()


def stop_emails(plan: PracticePlan) -> None:
    PracticePlan.objects.filter(pk=plan.pk).update(email_reminders=False)


def reminder_email(plan: PracticePlan, occurrence: datetime, site_url: str) -> EmailMessage:
    """The reminder in the recipient's language (no request is being answered): its text, and
    its links, which point to that language's pages."""
    with translation.override(user_language(plan.user)):
        return _reminder_email(plan, occurrence, site_url)


def _reminder_email(plan: PracticePlan, occurrence: datetime, site_url: str) -> EmailMessage:
    zone = user_zone(plan.user)
    routine = _routine_with_steps(plan)
    unsubscribe_url = site_url + reverse("unsubscribe", args=[plan.unsubscribe_token])
    context = {
        "user": plan.user,
        "when": occurrence.astimezone(zone),
        "routine": routine,
        "routine_url": site_url + routine_url(routine) if routine else "",
        "log_url": site_url + (routine.get_log_url() if routine else reverse("journal:new")),
        "settings_url": site_url + reverse("account_settings") + "#plan",
        "safety_url": site_url + reverse("safety") + "#red-flags",
        "unsubscribe_url": unsubscribe_url,
    }
    with timezone.override(zone):
        subject = render_to_string("journal/plan/reminders/email_subject.txt", context)
        body = render_to_string("journal/plan/reminders/email_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[plan.user.email],
        headers={
            # RFC 2369 and RFC 8058: mail apps show an "unsubscribe" button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def plans_to_email():
    return (
        PracticePlan.objects.filter(reminders_on=True, email_reminders=True, user__is_active=True)
        .exclude(Q(user__email="") | Q(user__email__isnull=True))
        .select_related("user__profile")
    )


def claim_occurrence(instance, field: str, occurrence: datetime) -> bool:
    """Mark ``occurrence`` as sent in ``instance.<field>``, unless another run already has: a
    conditional UPDATE, so of two runs at the same moment exactly one gets True. The e-mails
    (PracticePlan.last_emailed_for) and the pushes (PushSubscription.last_reminded_for) both
    claim each reminder this way."""
    return (
        type(instance)
        .objects.filter(pk=instance.pk)
        .filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": occurrence}))
        .update(**{field: occurrence})
        == 1
    )


def release_occurrence(instance, field: str, occurrence: datetime) -> None:
    """Undo a claim after a failed send, so the next run within the window tries again."""
    type(instance).objects.filter(pk=instance.pk, **{field: occurrence}).update(
        **{field: getattr(instance, field)}
    )


def claim(plan: PracticePlan, occurrence: datetime) -> bool:
    return claim_occurrence(plan, "last_emailed_for", occurrence)


def release(plan: PracticePlan, occurrence: datetime) -> None:
    release_occurrence(plan, "last_emailed_for", occurrence)


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int


def send_due_reminders(
    now: datetime | None = None, window: timedelta = DEFAULT_WINDOW
) -> SendReport:
    """E-mail every reminder whose time passed within ``window`` and has not been e-mailed.

    Safe to run every few minutes and from several machines at once: each reminder is claimed
    (see ``claim``) before it is sent. A reminder missed by more than ``window`` is skipped
    rather than sent late.
    """
    now = now or timezone.now()
    site_url = settings.SITE_URL
    sent = failed = 0
    connection = get_connection()  # opened at the first mail, so a quiet run never connects
    try:
        for plan in _in_batches(plans_to_email()):
            occurrence = due_occurrence(plan, now, window)
            if occurrence is None or not claim(plan, occurrence):
                continue
            try:
                connection.open()
                message = reminder_email(plan, occurrence, site_url)
                message.connection = connection
                message.send()
            except Exception:
                release(plan, occurrence)
                failed += 1
                logger.exception("reminder e-mail failed", extra={"user_id": plan.user_id})
            else:
                sent += 1
                logger.info("reminder e-mailed", extra={"user_id": plan.user_id})
    finally:
        connection.close()
    return SendReport(sent=sent, failed=failed)


def _in_batches(plans, size: int = 500):
    """The plans in primary-key order, a batch per query. Not a streaming cursor: the loop
    updates the same table, which SQLite does not isolate from an open cursor."""
    last_pk = 0
    while batch := list(plans.filter(pk__gt=last_pk).order_by("pk")[:size]):
        yield from batch
        last_pk = batch[-1].pk
