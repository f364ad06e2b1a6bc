"""Named queries for the journal. Every one starts from the requesting user."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import PracticePlan, PracticeSession
from .stats import sessions_in


def sessions_for(user):
    return PracticeSession.objects.for_user(user)


def get_session_for_user(user, pk: int) -> PracticeSession:
    """The user's own session or 404: another user's id looks exactly like a missing one."""
    return get_object_or_404(sessions_for(user).with_points(), pk=pk)


def session_list(user, filter_form):
    return filter_form.filter(sessions_for(user)).with_points().distinct()


def report_notes(user, filters):
    """Sessions whose notes the user chose to show in the clinician report, oldest first."""
    return (
        sessions_in(user, filters)
        .filter(show_in_report=True)
        .exclude(notes="")
        .with_points()
        .order_by("started_at")
    )


def practice_plan_for(user) -> PracticePlan:
    """The user's weekly goal and reminders, created with the defaults on first use."""
    plan, _ = PracticePlan.objects.select_related("reminder_routine").get_or_create(user=user)
    return plan
