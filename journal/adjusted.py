"""Adjusted relief: what each point adds once starting pain, other things done and rest are
accounted for.

One ordinary least-squares fit per user and period (statsmodels, HC3 robust standard errors):

    relief = Σ β_point · [point pressed] + β_rest · [only rested]
             + γ · (pain before − its mean) + Σ δ_factor · [factor present] + error

There is no intercept: every session either pressed at least one point or only rested, so β for a
point is the relief of a session with that point alone, at the user's usual starting pain, with
none of the factors; β_rest is the same for resting. Points with fewer than ``MIN_POINT_SESSIONS``
sessions share one "other points" column, and factors with fewer than ``MIN_FACTOR_SESSIONS``
sessions on either side are left out (their effect stays in the error).

The raw average relief of a point's sessions equals the mean of the fitted values over them (OLS
residuals average to zero only overall, so this is an approximation), which splits the gap
between raw and adjusted into parts: other points pressed at the same time, the starting pain,
and each factor. ``explain`` names the largest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import statsmodels.api as sm

from .stats import CONFIDENCE, Interval

MIN_SESSIONS = 20
MIN_POINT_SESSIONS = 5
MIN_FACTOR_SESSIONS = 3
MAX_SESSIONS = 2000
REST = "rest"
OTHER_POINTS = "other"


@dataclass(frozen=True)
class SessionRow:
    """What the model needs of one session."""

    pain_before: int
    pain_after: int
    rest: bool = False
    points: frozenset[str] = frozenset()
    factors: frozenset[str] = frozenset()

    @property
    def relief(self) -> int:
        return self.pain_before - self.pain_after


@dataclass(frozen=True)
class Part:
    """One reason the raw average differs from the adjusted relief: ``amount`` points of it."""

    kind: str  # "factor", "start" or "points"
    name: str
    amount: float
    share: float = 0.0  # factor: share of the point's sessions with it
    count: int = 0  # factor: how many of the point's sessions had it
    mean_start: float = 0.0  # start: the point's mean starting pain
    overall_start: float = 0.0


@dataclass(frozen=True)
class Estimate:
    """Adjusted relief of one point (or of resting) beside its raw average."""

    name: str
    sessions: int
    raw: float
    adjusted: float
    interval: Interval
    parts: tuple[Part, ...] = ()

    @property
    def gap(self) -> float:
        """How much better (positive) the raw average looks than the adjusted relief."""
        return self.raw - self.adjusted

    def main_reason(self) -> Part | None:
        """The largest part of the gap, if the gap and that part are worth mentioning."""
        if abs(self.gap) < 0.3 or not self.parts:
            return None
        part = max(self.parts, key=lambda p: abs(p.amount))
        return part if abs(part.amount) >= 0.2 else None


@dataclass
class Fit:
    sessions: int
    capped: bool
    estimates: dict[str, Estimate] = field(default_factory=dict)
    factor_effects: dict[str, Estimate] = field(default_factory=dict)
    start_effect: float = 0.0
    start_interval: Interval | None = None
    mean_start: float = 0.0
    factors_used: tuple[str, ...] = ()


def fit(rows: Sequence[SessionRow], *, capped: bool = False) -> Fit | None:
    """The model for these sessions, or None when there is too little data to fit it."""
    if len(rows) < MIN_SESSIONS:
        return None
    n = len(rows)
    point_counts: dict[str, int] = {}
    for row in rows:
        for code in row.points:
            point_counts[code] = point_counts.get(code, 0) + 1
    points = sorted(code for code, count in point_counts.items() if count >= MIN_POINT_SESSIONS)
    rare = {code for code in point_counts if code not in points}
    factor_counts: dict[str, int] = {}
    for row in rows:
        for name in row.factors:
            factor_counts[name] = factor_counts.get(name, 0) + 1
    factors = sorted(
        name
        for name, count in factor_counts.items()
        if count >= MIN_FACTOR_SESSIONS and n - count >= MIN_FACTOR_SESSIONS
    )
    has_rest = sum(row.rest for row in rows) >= MIN_POINT_SESSIONS
    has_other = any(row.points & rare for row in rows)

    starts = np.array([row.pain_before for row in rows], dtype=float)
    mean_start = float(starts.mean())
    y = np.array([row.relief for row in rows], dtype=float)
    columns: list[tuple[str, str, np.ndarray]] = []
    for code in points:
        columns.append(("point", code, np.array([code in row.points for row in rows], float)))
    if has_other:
        columns.append(
            ("point", OTHER_POINTS, np.array([bool(row.points & rare) for row in rows], float))
        )
    if has_rest:
        columns.append(("point", REST, np.array([row.rest for row in rows], float)))
    columns.append(("start", "start", starts - mean_start))
    for name in factors:
        columns.append(("factor", name, np.array([name in row.factors for row in rows], float)))
    if not points:
        return None
    X = np.column_stack([values for _, _, values in columns])
    # Rest sessions too few for their own column, and sessions with no point at all, are left out
    # (every remaining row has an "arm" column, so the model needs no intercept).
    arms = np.column_stack([values for kind, _, values in columns if kind == "point"])
    keep = arms.sum(axis=1) > 0
    X, y, kept_rows = X[keep], y[keep], [row for row, k in zip(rows, keep, strict=True) if k]
    if len(y) < MIN_SESSIONS or np.linalg.matrix_rank(X) < X.shape[1] or len(y) <= X.shape[1]:
        return None
    result = sm.OLS(y, X).fit(cov_type="HC3", use_t=True)
    low_high = result.conf_int(alpha=1 - CONFIDENCE)
    names = [(kind, name) for kind, name, _ in columns]
    coef = dict(zip(names, result.params, strict=True))
    intervals = {
        key: Interval(float(low), float(high))
        for key, (low, high) in zip(names, low_high, strict=True)
    }
    outcome = Fit(
        sessions=len(y),
        capped=capped,
        start_effect=float(coef[("start", "start")]),
        start_interval=intervals[("start", "start")],
        mean_start=mean_start,
        factors_used=tuple(factors),
    )
    for kind, name in names:
        if kind == "factor":
            outcome.factor_effects[name] = Estimate(
                name=name,
                sessions=factor_counts[name],
                raw=0.0,
                adjusted=float(coef[(kind, name)]),
                interval=intervals[(kind, name)],
            )
    for code in [*points, *([REST] if has_rest else [])]:
        mine = [row for row in kept_rows if (row.rest if code == REST else code in row.points)]
        outcome.estimates[code] = Estimate(
            name=code,
            sessions=len(mine),
            raw=float(np.mean([row.relief for row in mine])),
            adjusted=float(coef[("point", code)]),
            interval=intervals[("point", code)],
            parts=tuple(_parts(code, mine, coef, points, rare, factors, mean_start)),
        )
    return outcome


def _parts(code, mine, coef, points, rare, factors, mean_start) -> list[Part]:
    """The raw average less the adjusted relief, split by what else went with the point."""
    n = len(mine)
    parts = []
    others = sum(
        coef[("point", other)] * sum(other in row.points for row in mine) / n
        for other in points
        if other != code
    )
    if (("point", OTHER_POINTS)) in coef and code != OTHER_POINTS:
        others += coef[("point", OTHER_POINTS)] * sum(bool(row.points & rare) for row in mine) / n
    if others:
        parts.append(Part(kind="points", name="other points", amount=float(others)))
    start = float(np.mean([row.pain_before for row in mine]))
    parts.append(
        Part(
            kind="start",
            name="starting pain",
            amount=float(coef[("start", "start")] * (start - mean_start)),
            mean_start=start,
            overall_start=mean_start,
        )
    )
    for name in factors:
        count = sum(name in row.factors for row in mine)
        if count:
            parts.append(
                Part(
                    kind="factor",
                    name=name,
                    amount=float(coef[("factor", name)] * count / n),
                    share=count / n,
                    count=count,
                )
            )
    return parts
