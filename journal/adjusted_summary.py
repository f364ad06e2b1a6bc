"""What the insights page and the report say beyond raw averages: resting as a baseline,
relief adjusted for starting pain and other things done, the factor table, and notes on
regression to the mean — each figure with the plain words that explain it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import adjusted, stats
from .adjusted import Estimate, Fit
from .adjusted_queries import (
    GroupSummary,
    Totals,
    factor_summaries,
    model_rows,
    session_totals,
)
from .stats import Filters, Interval, PointSummary, one_decimal

REST_SESSIONS_WANTED = 5  # below this, suggest an experiment against resting
# Translators: a row of the adjusted relief table, beside point codes such as "LI4".
REST_LABEL = gettext_lazy("Resting alone")
HIGHER_START = 1.0  # a point's sessions start this much higher than the others: a note
NOTABLE_GAP = 0.5  # a smaller difference between average and adjusted relief is not explained


@dataclass(frozen=True)
class RestDifference:
    point: PointSummary
    difference: float
    interval: Interval | None


@dataclass(frozen=True)
class AdjustedRow:
    label: str  # the point's code, or "Resting alone"
    slug: str  # the point's guide ("" for resting)
    name: str
    estimate: Estimate
    reason: str
    rest: bool = False


@dataclass(frozen=True)
class RegressionNote:
    point: PointSummary
    others_start: float


@dataclass
class Adjusted:
    """The model's result for a period, or why there is none."""

    sessions: int  # sessions the model could look at (at most adjusted.MAX_SESSIONS)
    capped: bool
    fit: Fit | None = None
    rows: list[AdjustedRow] = field(default_factory=list)
    missing: str = ""
    ranking_note: str = ""
    factor_names: dict[str, str] = field(default_factory=dict)

    @property
    def limit(self) -> str:
        """The cap on the sessions the model looks at, as the page writes it ("1,000")."""
        return number_format(adjusted.MAX_SESSIONS, force_grouping=True)

    @property
    def reasons(self) -> list[str]:
        """Why the notable differences arise, the largest first."""
        notable = [row for row in self.rows if row.reason and abs(row.estimate.gap) >= NOTABLE_GAP]
        return [row.reason for row in sorted(notable, key=lambda row: -abs(row.estimate.gap))]

    @property
    def close(self) -> str:
        """The rows whose two figures differ by less than NOTABLE_GAP, as "BL23, LI4 and TE3"."""
        labels = [
            row.label.lower() if row.rest else row.label
            for row in self.rows
            if abs(row.estimate.gap) < NOTABLE_GAP
        ]
        # Translators: the last two of a list of points, as in "BL23, LI4 and TE3".
        return get_text_list(labels, _("and"))


def _points(amount: float) -> str:
    """The size of a difference as one phrase for the sentences: "1.0 point", "2.5 points"."""
    shown = f"{abs(amount):.1f}"
    # ngettext needs a whole number: a whole value as itself, and a fraction like 2, whose form
    # ("points") is the one English and Spanish use for fractions.
    count = int(float(shown)) if shown.endswith(".0") else 2
    # Translators: a difference in pain on a 0-10 scale, with one decimal: "2.5 points".
    return ngettext("%(amount)s point", "%(amount)s points", count) % {
        "amount": one_decimal(abs(amount))
    }


def explain(estimate: Estimate, label: str, factor_names: dict[str, str]) -> str:
    """Why the raw average and the adjusted relief differ, in one sentence ("" if they barely do).

    Each case is one whole sentence to translate: %(label)s is a point's code (or "Resting
    alone") and %(points)s a phrase such as "1.5 points" (``_points``)."""
    part = estimate.main_reason()
    if part is None:
        return ""
    better = estimate.gap > 0
    values = {"label": label, "points": _points(estimate.gap)}
    if (part.amount > 0) != better:
        if better:
            message = _(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points".
                "%(label)s looks %(points)s better than it is, for several reasons that together "
                "outweigh the largest one."
            )
        else:
            message = _(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points".
                "%(label)s looks %(points)s worse than it is, for several reasons that together "
                "outweigh the largest one."
            )
    elif part.kind == "factor":
        values.update(
            count=part.count,
            sessions=estimate.sessions,
            factor=factor_names.get(part.name, part.name),
        )
        if better:
            message = ngettext(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points"; %(factor)s is something noted with sessions, e.g. "Used a ball".
                "%(label)s looks %(points)s better than it is: %(count)s of its %(sessions)s "
                "session also had “%(factor)s”, which on its own went with more relief.",
                "%(label)s looks %(points)s better than it is: %(count)s of its %(sessions)s "
                "sessions also had “%(factor)s”, which on its own went with more relief.",
                estimate.sessions,
            )
        else:
            message = ngettext(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points"; %(factor)s is something noted with sessions, e.g. "Used a ball".
                "%(label)s looks %(points)s worse than it is: %(count)s of its %(sessions)s "
                "session also had “%(factor)s”, which went with less relief.",
                "%(label)s looks %(points)s worse than it is: %(count)s of its %(sessions)s "
                "sessions also had “%(factor)s”, which went with less relief.",
                estimate.sessions,
            )
    elif part.kind == "start":
        higher = part.mean_start > part.overall_start
        values.update(start=one_decimal(part.mean_start), overall=one_decimal(part.overall_start))
        if higher != better:  # starting pain that works the unusual way round
            if better:
                message = _(
                    # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                    # "1.5 points".
                    "%(label)s looks %(points)s better than it is, mostly because of the pain its "
                    "sessions started from."
                )
            else:
                message = _(
                    # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                    # "1.5 points".
                    "%(label)s looks %(points)s worse than it is, mostly because of the pain its "
                    "sessions started from."
                )
        elif higher:
            message = _(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points"; %(start)s and %(overall)s are mean pain ratings (0-10), e.g. 6.5.
                "%(label)s looks %(points)s better than it is: its sessions started from higher "
                "pain (%(start)s on average, against %(overall)s overall), and pain that starts "
                "high tends to fall further anyway."
            )
        else:
            message = _(
                # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is
                # "1.5 points"; %(start)s and %(overall)s are mean pain ratings (0-10), e.g. 3.5.
                "%(label)s looks %(points)s worse than it is: its sessions started from lower "
                "pain (%(start)s on average, against %(overall)s overall), and pain that starts "
                "low has less room to fall."
            )
    elif better:
        message = _(
            # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is "1.5
            # points".
            "%(label)s looks %(points)s better than it is: it was often pressed together with "
            "other points, which share the credit."
        )
    else:
        message = _(
            # Translators: %(label)s is a point code (LI4) or "Resting alone"; %(points)s is "1.5
            # points".
            "%(label)s looks %(points)s worse than it is: it was often pressed together with "
            "other points that, on their own, went with less relief."
        )
    return message % values


def why_not_fitted(data: adjusted.Sessions | Sequence[adjusted.SessionRow]) -> str:
    """Why there are no adjusted figures (the model could not be fitted)."""
    data = adjusted.Sessions.of(data)
    usable = data.sessions_with_points()
    rest = int(data.rest.sum())
    if rest >= adjusted.MIN_POINT_SESSIONS:
        usable += rest
    if len(data) < adjusted.MIN_SESSIONS:
        return ngettext(
            "Adjusted figures need at least %(needed)s session in this period; you have %(count)s.",
            "Adjusted figures need at least %(needed)s sessions in this period; you have "
            "%(count)s.",
            adjusted.MIN_SESSIONS,
        ) % {"needed": adjusted.MIN_SESSIONS, "count": len(data)}
    if usable < adjusted.MIN_SESSIONS:
        return ngettext(
            # Translators: %(rest_sessions)s is a phrase such as "5 rest sessions".
            "Adjusted figures need at least %(needed)s session in this period with a point, or "
            "resting once you have %(rest_sessions)s; you have %(count)s.",
            "Adjusted figures need at least %(needed)s sessions in this period with a point, or "
            "resting once you have %(rest_sessions)s; you have %(count)s.",
            adjusted.MIN_SESSIONS,
        ) % {
            "needed": adjusted.MIN_SESSIONS,
            "rest_sessions": ngettext(
                "%(count)s rest session", "%(count)s rest sessions", adjusted.MIN_POINT_SESSIONS
            )
            % {"count": adjusted.MIN_POINT_SESSIONS},
            "count": usable,
        }
    if max(data.point_counts().values(), default=0) < adjusted.MIN_POINT_SESSIONS:
        return ngettext(
            "Adjusted figures need at least one point with %(needed)s session in this period.",
            "Adjusted figures need at least one point with %(needed)s sessions in this period.",
            adjusted.MIN_POINT_SESSIONS,
        ) % {"needed": adjusted.MIN_POINT_SESSIONS}
    return _(
        "Adjusted figures cannot be worked out yet: some points, other things or resting always "
        "went together in your sessions, so their effects cannot be told apart. A few more "
        "varied sessions will help."
    )


def _ranking_note(rows: list[AdjustedRow]) -> str:
    points = [row for row in rows if not row.rest]
    if len(points) < 2:
        return ""
    raw_top = max(points, key=lambda row: row.estimate.raw)
    adjusted_top = points[0]
    if raw_top is adjusted_top:
        return ""
    values = {"adjusted_top": adjusted_top.label, "raw_top": raw_top.label}
    a, b = adjusted_top.estimate.interval, raw_top.estimate.interval
    if a.low <= b.high and b.low <= a.high:
        message = _(
            # Translators: %(adjusted_top)s and %(raw_top)s are point codes, e.g. "LI4".
            "Once starting pain and the other things you noted are taken into account, "
            "%(adjusted_top)s rather than %(raw_top)s comes out on top. Their intervals overlap, "
            "so the order is not certain yet."
        )
    else:
        message = _(
            # Translators: %(adjusted_top)s and %(raw_top)s are point codes, e.g. "LI4".
            "Once starting pain and the other things you noted are taken into account, "
            "%(adjusted_top)s rather than %(raw_top)s comes out on top."
        )
    return message % values


def adjusted_relief(user, filters: Filters, summaries: list[PointSummary]) -> Adjusted:
    data = model_rows(user, filters)
    fit = adjusted.fit(data.sessions, capped=data.capped)
    outcome = Adjusted(
        sessions=len(data.sessions), capped=data.capped, fit=fit, factor_names=data.factor_names
    )
    if fit is None:
        outcome.missing = why_not_fitted(data.sessions)
        return outcome
    guides = {summary.code: summary for summary in summaries}
    rows = []
    for code, estimate in fit.estimates.items():
        guide = guides.get(code)
        label = str(REST_LABEL) if code == adjusted.REST else code
        rows.append(
            AdjustedRow(
                label=label,
                slug=guide.slug if guide else "",
                name=guide.name if guide else "",
                estimate=estimate,
                reason=explain(estimate, label, data.factor_names),
                rest=code == adjusted.REST,
            )
        )
    rows.sort(key=lambda row: (-row.estimate.adjusted, row.label))
    outcome.rows = rows
    outcome.ranking_note = _ranking_note(rows)
    return outcome


def rest_differences(
    summaries: list[PointSummary], rest: GroupSummary | None
) -> list[RestDifference]:
    """Each ranked point's relief beyond resting, with a Welch interval (rest needs 2 sessions)."""
    if rest is None or rest.sd is None:
        return []
    return [
        RestDifference(
            point=summary,
            difference=summary.mean_relief - rest.mean_relief,
            interval=stats.welch_interval(summary, rest),
        )
        for summary in summaries
        if summary.enough_data
    ]


def regression_notes(summaries: list[PointSummary], totals: Totals) -> list[RegressionNote]:
    """Ranked points whose sessions started from clearly higher pain than the other sessions."""
    notes = []
    for summary in summaries:
        others = totals.mean_start_without(summary)
        if (
            summary.enough_data
            and others is not None
            and summary.mean_pain_before - others >= HIGHER_START
        ):
            notes.append(RegressionNote(point=summary, others_start=others))
    return notes


def insights_context(
    user, filters: Filters, summaries: list[PointSummary], totals: Totals | None = None
) -> dict:
    """Everything the insights page shows about resting, factors and adjusted relief
    (``totals``: ``session_totals`` for the same filters, when the caller has it)."""
    if totals is None:
        totals = session_totals(user, filters)
    rest = totals.rest
    factors = factor_summaries(user, filters, totals)
    result = adjusted_relief(user, filters, summaries)
    effects = result.fit.factor_effects if result.fit else {}
    return {
        "rest": rest,
        "rest_differences": rest_differences(summaries, rest),
        "rest_wanted": REST_SESSIONS_WANTED,
        "suggest_rest_experiment": (rest.sessions if rest else 0) < REST_SESSIONS_WANTED,
        "adjusted": result,
        "factor_rows": [
            (factor, effects.get(factor.key)) for factor in factors if factor.enough_data
        ],
        "thin_factors": [factor for factor in factors if not factor.enough_data],
        "min_factor_sessions": adjusted.MIN_FACTOR_SESSIONS,
        "regression_notes": regression_notes(summaries, totals),
        "lasting": [summary for summary in summaries if summary.later_sessions],
        "min_model_sessions": adjusted.MIN_SESSIONS,
        "min_model_point_sessions": adjusted.MIN_POINT_SESSIONS,
    }


def report_context(
    user, filters: Filters, summaries: list[PointSummary], totals: Totals | None = None
) -> dict:
    """The report's share: resting's raw relief and the adjusted table."""
    if totals is None:
        totals = session_totals(user, filters)
    return {
        "rest": totals.rest,
        "adjusted": adjusted_relief(user, filters, summaries),
    }
