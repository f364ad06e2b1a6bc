"""Fair A-against-B experiments: a random, balanced order of single-point sessions.

The order is drawn once, when the experiment starts, in blocks: each block holds as many A as B
sessions in a random order (AB, BA, AABB, ABAB, …), so the two arms alternate without a
pattern the user could follow, and the counts are equal after every block. Only sessions linked
to the experiment count in its comparison, which is the statistics module's, restricted to them.

B may be resting for the same time instead of a second point (``Experiment.point_b`` empty):
its sessions are rest sessions (``PracticeSession.rest_only``, no points), drawn and balanced
exactly like a point's, so the result says what pressing A adds to rest alone.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg as Mean
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from acupressure.models import Point

from . import stats
from .models import Experiment, ExperimentStatus, PracticeSession

BLOCK_SIZES = (2, 4)
# How the rest arm is named where a point's code would be.
# Translators: the arm of an experiment in which nothing is pressed, shown where a point's code
# (e.g. "LI4") would be.
REST_LABEL = pgettext_lazy("experiment arm", "Rest")
REST_WORDS = gettext_lazy("resting for the same time")


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
    """Annotate each experiment with ``done_a`` and ``done_b``: sessions logged in each arm."""
    return experiments.annotate(
        done_a=Count(
            "practice_sessions",
            filter=Q(practice_sessions__session_points__point=F("point_a")),
        ),
        done_b=Count(
            "practice_sessions",
            filter=Q(practice_sessions__session_points__point=F("point_b"))
            | Q(point_b__isnull=True, practice_sessions__rest_only=True),
        ),
    )


def arm_counts(experiment: Experiment) -> dict[str, int]:
    """Sessions logged in each arm, by letter (one query unless already annotated)."""
    if not hasattr(experiment, "done_a"):
        arm_b = (
            Q(rest_only=True)
            if experiment.point_b_id is None
            else Q(session_points__point=experiment.point_b_id)
        )
        counts = experiment.practice_sessions.aggregate(
            a=Count("pk", filter=Q(session_points__point=experiment.point_a_id)),
            b=Count("pk", filter=arm_b),
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
    point: Point | None  # None: rest only, no pressing

    @property
    def total(self) -> int:
        return self.experiment.planned_sessions

    @property
    def rest(self) -> bool:
        return self.point is None

    @property
    def label(self) -> str:
        return REST_LABEL if self.point is None else self.point.code


def next_session(experiment: Experiment | None) -> NextSession | None:
    """Which arm (point, or rest) the next session of a running experiment uses; None when
    there is none."""
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
def start(user, point_a: Point, point_b: Point | None, sessions: int, rng=None) -> Experiment:
    """Create the user's running experiment (the caller has checked none is running).
    ``point_b`` None makes the second arm resting for the same time."""
    return Experiment.objects.create(
        user=user,
        point_a=point_a,
        point_b=point_b,
        planned_sessions=sessions,
        schedule=make_schedule(sessions, rng),
    )


class SlotTaken(Exception):
    """The experiment moved on (or ended) between showing the form and saving it."""


def link_session(session: PracticeSession, experiment_id: int, point: Point | None) -> None:
    """Count ``session`` (pressing only ``point``, or a rest session when ``point`` is None) in
    the experiment; call inside the session's transaction. Locks the experiment so two sessions
    saved at once cannot take the same place, and completes the experiment when its last
    session is logged."""
    experiment = (
        Experiment.objects.select_for_update()
        .filter(pk=experiment_id, user_id=session.user_id)
        .first()
    )
    expected = next_session(experiment)
    if expected is None or expected.point != point or (point is None and not session.rest_only):
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
    """The comparison of A and B over this experiment's sessions only (B: its rest sessions,
    when the second arm is rest)."""
    filters = stats.Filters(experiment_id=experiment.pk)
    if experiment.point_b_id is not None:
        return stats.compare(
            experiment.user, experiment.point_a.slug, experiment.point_b.slug, filters
        )
    summaries = stats.point_summaries(experiment.user, filters, slugs=[experiment.point_a.slug])
    return stats.compare_summaries(
        summaries[0] if summaries else None, rest_summary(experiment.user, filters)
    )


def rest_summary(user, filters: stats.Filters) -> stats.PointSummary | None:
    """The rest sessions that count, summarised like a point (code "Rest"); None without any.

    One aggregate query, with the same figures as ``stats.point_summaries``."""
    row = (
        stats.sessions_in(user, filters)
        .filter(rest_only=True)
        .annotate(
            relief=F("pain_before") - F("pain_after"),
            relief_x10=(F("pain_before") - F("pain_after")) * 10,
            start_x3=F("pain_before") * 3,
        )
        .aggregate(
            sessions=Count("pk"),
            mean_relief=Mean("relief"),
            relief_sum=Sum("relief"),
            relief_squares=Sum(F("relief") * F("relief")),
            meaningful=Count("pk", filter=stats.MEANINGFUL),
            mean_pain_before=Mean("pain_before"),
            last_used=Max("started_at"),
        )
    )
    n = row["sessions"]
    if not n:
        return None
    mean = float(row["mean_relief"])
    sd = stats.sample_sd(n, row["relief_sum"], row["relief_squares"])
    return stats.PointSummary(
        code=str(REST_LABEL),
        slug="",
        name=str(REST_WORDS),
        sessions=n,
        mean_relief=mean,
        sd=sd,
        interval=stats.t_interval(mean, sd, n),
        meaningful_share=row["meaningful"] / n,
        mean_pain_before=float(row["mean_pain_before"]),
        last_used=row["last_used"],
    )


@dataclass(frozen=True)
class Slot:
    number: int
    letter: str
    point: Point | None  # None: rest only
    session: PracticeSession | None

    @property
    def label(self) -> str:
        return REST_LABEL if self.point is None else self.point.code


def slots(experiment: Experiment) -> list[Slot]:
    """The schedule with each logged session in a place of its arm's letter, in the order
    they were logged (a session without point A is B's: B's point, or rest)."""
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
