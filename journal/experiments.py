"""Fair A-against-B experiments: a random, balanced order of single-point sessions.

The order is drawn once, when the experiment starts, in blocks: each block holds as many A as B
sessions in a random order (AB, BA, AABB, ABAB, …), so the two points alternate without a
pattern the user could follow, and the counts are equal after every block. Only sessions linked
to the experiment count in its comparison, which is the statistics module's, restricted to them.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from acupressure.models import Point

from . import stats
from .models import Experiment, ExperimentStatus, PracticeSession

BLOCK_SIZES = (2, 4)


def make_schedule(sessions: int, rng: random.Random | None = None) -> str:
    """A string of ``sessions`` letters, half "A" and half "B", in random balanced blocks."""
    if sessions < 2 or sessions % 2:
        raise ValueError("An experiment needs an even number of sessions, at least 2.")
    rng = rng or secrets.SystemRandom()
    schedule: list[str] = []
    while len(schedule) < sessions:
        left = sessions - len(schedule)
        size = rng.choice([size for size in BLOCK_SIZES if size <= left])
        block = ["A", "B"] * (size // 2)
        rng.shuffle(block)
        schedule.extend(block)
    return "".join(schedule)


def active_experiment(user) -> Experiment | None:
    # A plain lookup: most users have none, and arm_counts() counts the sessions of one that runs.
    return experiments_for(user).active().first()


def experiments_for(user):
    return Experiment.objects.for_user(user).select_related("point_a", "point_b")


def with_progress(experiments):
    """Annotate each experiment with ``done_a`` and ``done_b``: sessions logged with each point."""
    return experiments.annotate(
        done_a=Count(
            "practice_sessions",
            filter=Q(practice_sessions__session_points__point=F("point_a")),
        ),
        done_b=Count(
            "practice_sessions",
            filter=Q(practice_sessions__session_points__point=F("point_b")),
        ),
    )


def arm_counts(experiment: Experiment) -> dict[str, int]:
    """Sessions logged with each point, by letter (one query unless already annotated)."""
    if not hasattr(experiment, "done_a"):
        counts = experiment.practice_sessions.aggregate(
            a=Count("pk", filter=Q(session_points__point=experiment.point_a_id)),
            b=Count("pk", filter=Q(session_points__point=experiment.point_b_id)),
        )
        experiment.done_a, experiment.done_b = counts["a"], counts["b"]
    return {"A": experiment.done_a, "B": experiment.done_b}


def next_place(schedule: str, counts: dict[str, int]) -> int | None:
    """The index of the first place in ``schedule`` not yet filled, given the sessions logged
    with each letter. Places are filled letter by letter, so deleting a logged session reopens
    the earliest place of its letter and the experiment stays balanced."""
    seen = {"A": 0, "B": 0}
    for index, letter in enumerate(schedule):
        seen[letter] += 1
        if seen[letter] > counts[letter]:
            return index
    return None


@dataclass(frozen=True)
class NextSession:
    experiment: Experiment
    number: int  # 1-based: how many sessions will have been logged after this one
    place: int  # 1-based place in the schedule (differs from number after a deletion)
    letter: str
    point: Point

    @property
    def total(self) -> int:
        return self.experiment.planned_sessions


def next_session(experiment: Experiment | None) -> NextSession | None:
    """Which point the next session of a running experiment uses; None when there is none."""
    if experiment is None or not experiment.is_active:
        return None
    counts = arm_counts(experiment)
    index = next_place(experiment.schedule, counts)
    if index is None:
        return None
    letter = experiment.schedule[index]
    return NextSession(
        experiment=experiment,
        number=counts["A"] + counts["B"] + 1,
        place=index + 1,
        letter=letter,
        point=experiment.arm_point(letter),
    )


@transaction.atomic
def start(user, point_a: Point, point_b: Point, sessions: int, rng=None) -> Experiment:
    """Create the user's running experiment (the caller has checked none is running)."""
    return Experiment.objects.create(
        user=user,
        point_a=point_a,
        point_b=point_b,
        planned_sessions=sessions,
        schedule=make_schedule(sessions, rng),
    )


class SlotTaken(Exception):
    """The experiment moved on (or ended) between showing the form and saving it."""


def link_session(session: PracticeSession, experiment_id: int, point: Point) -> None:
    """Count ``session`` (pressing only ``point``) in the experiment; call inside the session's
    transaction. Locks the experiment so two sessions saved at once cannot take the same place,
    and completes the experiment when its last session is logged."""
    experiment = (
        Experiment.objects.select_for_update()
        .filter(pk=experiment_id, user_id=session.user_id)
        .first()
    )
    expected = next_session(experiment)
    if expected is None or expected.point.pk != point.pk:
        raise SlotTaken
    session.experiment = experiment
    session.save(update_fields=["experiment"])
    if expected.number == experiment.planned_sessions:
        experiment.status = ExperimentStatus.COMPLETED
        experiment.ended_at = timezone.now()
        experiment.save(update_fields=["status", "ended_at"])


def abandon(experiment: Experiment) -> None:
    experiment.status = ExperimentStatus.ABANDONED
    experiment.ended_at = timezone.now()
    experiment.save(update_fields=["status", "ended_at"])


def result(experiment: Experiment) -> stats.Comparison:
    """The comparison of A and B over this experiment's sessions only."""
    return stats.compare(
        experiment.user,
        experiment.point_a.slug,
        experiment.point_b.slug,
        stats.Filters(experiment_id=experiment.pk),
    )


@dataclass(frozen=True)
class Slot:
    number: int
    letter: str
    point: Point
    session: PracticeSession | None


def slots(experiment: Experiment) -> list[Slot]:
    """The schedule with each logged session in a place of its point's letter, in the order
    they were logged."""
    logged = {"A": [], "B": []}
    for session in (
        experiment.practice_sessions.order_by("pk")
        .only("pk", "started_at", "pain_before", "pain_after", "experiment_id")
        .prefetch_related("session_points")
    ):
        point_ids = {sp.point_id for sp in session.session_points.all()}
        letter = "A" if experiment.point_a_id in point_ids else "B"
        logged[letter].append(session)
    places = []
    for index, letter in enumerate(experiment.schedule):
        session = logged[letter].pop(0) if logged[letter] else None
        places.append(
            Slot(
                number=index + 1, letter=letter, point=experiment.arm_point(letter), session=session
            )
        )
    return places
