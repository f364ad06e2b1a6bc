"""Named queries for the journal. Every one starts from the requesting user."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from acupressure.models import Routine

from .experiments import experiments_for, with_progress
from .models import Experiment, Factor, PracticePlan, PracticeSession
from .stats import sessions_in

# A reference longer than this is neither a slug we publish nor a row number.
ROUTINE_REFERENCE_MAX_LENGTH = 60


def sessions_for(user):
    return PracticeSession.objects.for_user(user)


def get_session_for_user(user, pk: int) -> PracticeSession:
    """The user's own session or 404: another user's id looks exactly like a missing one."""
    return get_object_or_404(sessions_for(user).with_points().with_factors(), pk=pk)


def session_to_repeat(user, reference: str) -> PracticeSession | None:
    """The user's session numbered ``reference`` (from ``?again=``), or None: not a number,
    not theirs, or gone."""
    if not _is_row_number(reference):
        return None
    return sessions_for(user).with_points().filter(pk=int(reference)).first()


def _is_row_number(reference: str) -> bool:
    """ASCII digits that fit a 64-bit id ("١٢" and "9" * 40 do not)."""
    return reference.isascii() and reference.isdigit() and len(reference) <= 18


def just_saved(user, reference: str, window: timedelta) -> PracticeSession | None:
    """The user's session numbered ``reference`` (from ``?saved=``) if it was logged within
    ``window``, so the journal can offer to undo it; otherwise None."""
    if not _is_row_number(reference):
        return None
    return (
        sessions_for(user)
        .with_points()
        .filter(pk=int(reference), created_at__gte=timezone.now() - window)
        .first()
    )


def session_list(user, filter_form):
    return filter_form.filter(sessions_for(user)).with_points()


def report_notes(user, filters):
    """Sessions whose notes the user chose to show in the clinician report, oldest first."""
    return (
        sessions_in(user, filters)
        .filter(show_in_report=True)
        .exclude(notes="")
        .with_points()
        .order_by("started_at")
    )


def routines_for(user):
    return Routine.objects.owned_by(user)


def get_routine_for_user(user, pk: int) -> Routine:
    """The user's own routine (with its steps) or 404, exactly as if it did not exist.

    Public routines are not found here either: they are edited in the content file, not by users.
    """
    return get_object_or_404(routines_for(user).with_steps(), pk=pk)


def routine_list(user) -> list[Routine]:
    return list(routines_for(user).with_steps())


def usable_routine(user, reference: str) -> Routine | None:
    """The routine a ``?routine=`` reference names, if ``user`` may use it, with its steps.

    A public routine is named by its slug (which always starts with a letter); one of the user's
    own by its number. Another user's number finds nothing, the same as a missing one.
    """
    reference = reference.strip()
    # PostgreSQL refuses NUL characters in text parameters; no reference has one.
    if not reference or len(reference) > ROUTINE_REFERENCE_MAX_LENGTH or "\x00" in reference:
        return None
    if reference.isascii() and reference.isdigit():
        routines = routines_for(user).filter(pk=int(reference))
    else:
        routines = Routine.objects.public().filter(slug=reference.lower())
    return routines.with_steps().first()


def get_factor_for_user(user, pk: int) -> Factor:
    """One of the user's own factors or 404: built-in factors and other users' are not found."""
    return get_object_or_404(user.factors, pk=pk)


def factor_list(user) -> list[Factor]:
    """The built-in factors and the user's own, each with how many of the user's sessions have it."""
    return list(
        Factor.objects.usable_by(user)
        .annotate(
            session_count=Count("session_factors", filter=Q(session_factors__session__user=user))
        )
        # A query with GROUP BY ignores Meta.ordering, so it is spelt out.
        .order_by(*Factor._meta.ordering)
    )


def practice_plan_for(user) -> PracticePlan:
    """The user's weekly goal and reminders, created with the defaults on first use."""
    plan, _ = PracticePlan.objects.select_related("reminder_routine").get_or_create(user=user)
    return plan


def get_experiment_for_user(user, pk: int) -> Experiment:
    """The user's own experiment, with how many sessions each point has had, or 404."""
    return get_object_or_404(with_progress(experiments_for(user)), pk=pk)
