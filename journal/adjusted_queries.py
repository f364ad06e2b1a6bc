"""The database side of rest, other factors and adjusted relief.

A constant number of queries whatever the size of the journal:
- ``session_totals``: one aggregate over the period's sessions, all of them and the rest sessions
  (also the page's overview, when the period's sessions and those with rest are the same);
- ``factor_summaries``: one grouped aggregate, relief with each factor (without = totals − with),
  and the factors' names;
- ``model_rows``: the rows ``adjusted.fit`` needs, from three ``values_list`` queries over at most
  ``adjusted.MAX_SESSIONS`` most recent sessions (never a loop over model instances).

Rest sessions always count here, even with "single-point sessions only" (see
``stats.with_rest_q``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg as Mean
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname, get_language

from . import adjusted, stats
from .adjusted import SessionRow
from .models import Factor, PracticeSession, SessionFactor, SessionPoint, SessionTool
from .stats import Filters, Interval

MIN_FACTOR_SESSIONS = adjusted.MIN_FACTOR_SESSIONS  # with and without, as Bearable asks
REST = Q(rest_only=True)


@dataclass(frozen=True)
class GroupSummary:
    """Relief over a group of sessions: the rest sessions, or those with or without a factor.
    Has what ``stats.welch_interval`` needs (sessions, mean_relief, sd)."""

    sessions: int
    mean_relief: float
    sd: float | None
    interval: Interval | None
    meaningful_share: float = 0.0
    mean_pain_before: float = 0.0
    last_used: datetime | None = None
    later_sessions: int = 0
    mean_relief_when_later: float | None = None
    mean_lasting_relief: float | None = None

    @property
    def enough_data(self) -> bool:
        return self.sessions >= stats.MIN_SESSIONS


def group_summary(sessions: int, relief_sum, relief_squares, **extra) -> GroupSummary | None:
    """A GroupSummary from n, Σ relief and Σ relief² (None for an empty group)."""
    if not sessions:
        return None
    mean = relief_sum / sessions
    sd = stats.sample_sd(sessions, relief_sum, relief_squares)
    return GroupSummary(
        sessions=sessions,
        mean_relief=mean,
        sd=sd,
        interval=stats.t_interval(mean, sd, sessions),
        **extra,
    )


@dataclass(frozen=True)
class Totals:
    """All the period's sessions (rest included), and the rest sessions on their own."""

    sessions: int
    relief_sum: int
    relief_squares: int
    start_sum: int
    rest: GroupSummary | None
    first: datetime | None = None
    last: datetime | None = None

    def overview(self) -> dict:
        """What ``stats.overview`` answers for the same sessions, without a query of its own.
        Only for filters where rest adds nothing (``filters.single_point_only`` off)."""
        return {
            "sessions": self.sessions,
            "mean_relief": self.relief_sum / self.sessions if self.sessions else None,
            "first": self.first,
            "last": self.last,
        }

    def mean_start_without(self, summary) -> float | None:
        """Mean starting pain of the sessions that did not include this point (None if none)."""
        others = self.sessions - summary.sessions
        if others <= 0:
            return None
        return (self.start_sum - summary.mean_pain_before * summary.sessions) / others


def _float(value) -> float | None:
    return None if value is None else float(value)


def session_totals(user, filters: Filters) -> Totals:
    relief = F("pain_before") - F("pain_after")
    squares = F("relief") * F("relief")
    rated_later = REST & Q(pain_later__isnull=False)
    row = (
        PracticeSession.objects.filter(stats.with_rest_q(user, filters))
        .annotate(relief=relief, relief_x10=relief * 10, start_x3=F("pain_before") * 3)
        .aggregate(
            sessions=Count("pk"),
            relief_sum=Sum("relief"),
            relief_squares=Sum(squares),
            start_sum=Sum("pain_before"),
            first=Min("started_at"),
            last=Max("started_at"),
            rest_sessions=Count("pk", filter=REST),
            rest_relief_sum=Sum("relief", filter=REST),
            rest_relief_squares=Sum(squares, filter=REST),
            rest_meaningful=Count("pk", filter=REST & stats.MEANINGFUL),
            rest_start=Mean("pain_before", filter=REST),
            rest_last=Max("started_at", filter=REST),
            rest_later=Count("pk", filter=rated_later),
            rest_relief_when_later=Mean("relief", filter=rated_later),
            rest_lasting=Mean(F("pain_before") - F("pain_later"), filter=REST),
        )
    )
    rest_sessions = row["rest_sessions"]
    rest = group_summary(
        rest_sessions,
        row["rest_relief_sum"],
        row["rest_relief_squares"],
        meaningful_share=row["rest_meaningful"] / rest_sessions if rest_sessions else 0.0,
        mean_pain_before=_float(row["rest_start"]) or 0.0,
        last_used=row["rest_last"],
        later_sessions=row["rest_later"],
        mean_relief_when_later=_float(row["rest_relief_when_later"]),
        mean_lasting_relief=_float(row["rest_lasting"]),
    )
    return Totals(
        sessions=row["sessions"],
        relief_sum=row["relief_sum"] or 0,
        relief_squares=row["relief_squares"] or 0,
        start_sum=row["start_sum"] or 0,
        rest=rest,
        first=row["first"],
        last=row["last"],
    )


def totals_and_overview(user, filters: Filters) -> tuple[Totals, dict]:
    """``session_totals`` and ``stats.overview`` for the same filters: one query, unless "single
    point sessions only" makes the two sets of sessions differ (rest counts in the totals)."""
    totals = session_totals(user, filters)
    if filters.single_point_only:
        return totals, stats.overview(user, filters)
    return totals, totals.overview()


@dataclass(frozen=True)
class FactorSummary:
    """Relief on sessions with a factor against those without it, with a Welch interval."""

    factor_id: int  # 0 for a tool (below)
    name: str
    with_factor: GroupSummary
    without_factor: GroupSummary | None
    model_key: str = ""  # how the model names it, when not by the factor's id

    @property
    def enough_data(self) -> bool:
        return (
            self.with_factor.sessions >= MIN_FACTOR_SESSIONS
            and self.without_factor is not None
            and self.without_factor.sessions >= MIN_FACTOR_SESSIONS
        )

    @property
    def difference(self) -> float | None:
        if self.without_factor is None:
            return None
        return self.with_factor.mean_relief - self.without_factor.mean_relief

    @property
    def interval(self) -> Interval | None:
        if not self.enough_data:
            return None
        return stats.welch_interval(self.with_factor, self.without_factor)

    @property
    def key(self) -> str:
        """How the model names this factor (see ``model_rows``)."""
        return self.model_key or str(self.factor_id)


# The tool a session was pressed with counts as one more thing noted (issue 22), named so.
# Lazy: translated when shown (figures.py keeps the language in its cache key).
TOOL_AS_FACTOR = {
    SessionTool.FINGERS: gettext_lazy("Pressed with fingers or thumbs"),
    SessionTool.BALLS: gettext_lazy("Used a ball"),
    SessionTool.MAT: gettext_lazy("Used a spiked mat or pillow"),
    SessionTool.BELT: gettext_lazy("Wore a belt with studs"),
    SessionTool.HANDHELD: gettext_lazy("Used a handheld tool"),
    SessionTool.ROLLER: gettext_lazy("Used a foot roller"),
}
# The model compares each tool with fingers (or not noted): one tool column per other tool, as
# columns for every tool would always add up to the sessions with any, and could not be fitted.
MODEL_TOOLS = frozenset(TOOL_AS_FACTOR) - {SessionTool.FINGERS}


def tool_key(tool: str) -> str:
    return f"tool:{tool}"


def factor_summaries(user, filters: Filters, totals: Totals) -> list[FactorSummary]:
    """Each factor ticked in the period, in the order the log form offers them.

    Two queries: the sums grouped by factor id alone (grouping by the name as well took twice as
    long at 100,000 sessions), then the names of the factors the user can use (a few dozen rows).
    """
    relief = F("session__pain_before") - F("session__pain_after")
    sums = {
        row["factor_id"]: row
        for row in SessionFactor.objects.filter(
            stats.with_rest_q(user, filters, prefix="session__")
        )
        .annotate(relief=relief)
        .values("factor_id")
        .annotate(
            sessions=Count("factor_id"),  # in the (session, factor) index, unlike the id
            relief_sum=Sum("relief"),
            relief_squares=Sum(F("relief") * F("relief")),
        )
        .order_by()
    }
    return [
        FactorSummary(
            factor_id=factor_id,
            name=name,
            with_factor=group_summary(row["sessions"], row["relief_sum"], row["relief_squares"]),
            without_factor=group_summary(
                totals.sessions - row["sessions"],
                totals.relief_sum - row["relief_sum"],
                totals.relief_squares - row["relief_squares"],
            ),
        )
        for factor_id, name in Factor.objects.usable_by(user).values_list("pk", "name")
        if (row := sums.get(factor_id))
    ] + _tool_summaries(user, filters, totals)


def _tool_summaries(user, filters: Filters, totals: Totals) -> list[FactorSummary]:
    """Each tool noted in the period, as a factor: one query grouped by tool."""
    relief = F("pain_before") - F("pain_after")
    rows = {
        row["tool"]: row
        for row in PracticeSession.objects.filter(stats.with_rest_q(user, filters))
        .exclude(tool="")
        .annotate(relief=relief)
        .values("tool")
        .annotate(
            sessions=Count("tool"),
            relief_sum=Sum("relief"),
            relief_squares=Sum(F("relief") * F("relief")),
        )
        .order_by()
    }
    return [
        FactorSummary(
            factor_id=0,
            name=name,
            with_factor=group_summary(row["sessions"], row["relief_sum"], row["relief_squares"]),
            without_factor=group_summary(
                totals.sessions - row["sessions"],
                totals.relief_sum - row["relief_sum"],
                totals.relief_squares - row["relief_squares"],
            ),
            model_key=tool_key(tool),
        )
        for tool, name in TOOL_AS_FACTOR.items()
        if (row := rows.get(tool))
    ]


@dataclass(frozen=True)
class ModelData:
    sessions: adjusted.Sessions
    factor_names: dict[str, str]  # the model's factor key → the factor's name
    capped: bool  # True when only the MAX_SESSIONS most recent sessions were used

    @property
    def rows(self) -> list[SessionRow]:
        return self.sessions.rows()


def model_rows(user, filters: Filters, limit: int = adjusted.MAX_SESSIONS) -> ModelData:
    """The model's data for the ``limit`` most recent sessions of the period, in three queries.

    Points and factors are read for the same most recent sessions through a subquery (LIMIT in
    IN works on SQLite and PostgreSQL), so no list of ids travels to the database. They arrive as
    (session, name) pairs and stay that way (``adjusted.Sessions``): no object per session.
    Factors are keyed by id, not name: a user's own factor may share a built-in's name.
    """
    recent = PracticeSession.objects.filter(stats.with_rest_q(user, filters)).order_by(
        "-started_at", "-pk"
    )
    sessions = list(
        recent.values_list("pk", "pain_before", "pain_after", "rest_only", "tool")[: limit + 1]
    )
    capped = len(sessions) > limit
    sessions = sessions[:limit]
    kept = recent.values("pk")[:limit]
    position = {row[0]: i for i, row in enumerate(sessions)}
    # order_by(): no need for SessionPoint's default ordering (a sort on position).
    points = [
        (position[session_id], code)
        for session_id, code in SessionPoint.objects.filter(session__in=kept)
        .order_by()
        .values_list("session_id", "point__code")
    ]
    names: dict[str, str] = {}
    factors = []
    for session_id, factor_id, name in (
        SessionFactor.objects.filter(session__in=kept)
        .order_by()
        # The factor's name in the page's language (journal/translation.py).
        .values_list(
            "session_id",
            "factor_id",
            Coalesce(build_localized_fieldname("factor__name", get_language()), "factor__name"),
        )
    ):
        key = str(factor_id)
        factors.append((position[session_id], key))
        names[key] = name
    for i, (*_, tool) in enumerate(sessions):
        if tool in MODEL_TOOLS:
            factors.append((i, tool_key(tool)))
            names[tool_key(tool)] = TOOL_AS_FACTOR[tool]
    return ModelData(
        sessions=adjusted.Sessions.build((row[1:4] for row in sessions), points, factors),
        factor_names=names,
        capped=capped,
    )
