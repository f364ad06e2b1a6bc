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

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import statsmodels.api as sm

from .stats import CONFIDENCE, Interval

MIN_SESSIONS = 20
MIN_POINT_SESSIONS = 5
MIN_FACTOR_SESSIONS = 3
MAX_SESSIONS = 2000
REST = "rest"
OTHER_POINTS = "other"


class SessionRow(NamedTuple):
    """What the model needs of one session (a named tuple: up to 2,000 are built per fit)."""

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
    """The model for these sessions, or None when there is too little data to fit it.

    The design matrix is filled with numpy from the rows' point and factor sets (one pass), and
    every per-point figure below is a masked mean of its columns, so the cost stays small for the
    2,000 sessions a fit may use.
    """
    if len(rows) < MIN_SESSIONS:
        return None
    n = len(rows)
    point_counts = Counter(code for row in rows for code in row.points)
    points = sorted(code for code, count in point_counts.items() if count >= MIN_POINT_SESSIONS)
    rare = {code for code in point_counts if code not in points}
    factor_counts = Counter(name for row in rows for name in row.factors)
    factors = sorted(
        name
        for name, count in factor_counts.items()
        if count >= MIN_FACTOR_SESSIONS and n - count >= MIN_FACTOR_SESSIONS
    )
    if not points:
        return None
    rest = np.fromiter((row.rest for row in rows), dtype=bool, count=n)
    has_rest = int(rest.sum()) >= MIN_POINT_SESSIONS
    other = np.fromiter((bool(row.points & rare) for row in rows), dtype=bool, count=n)
    has_other = bool(other.any())

    starts = np.fromiter((row.pain_before for row in rows), dtype=float, count=n)
    mean_start = float(starts.mean())
    y = starts - np.fromiter((row.pain_after for row in rows), dtype=float, count=n)
    names: list[tuple[str, str]] = [("point", code) for code in points]
    if has_other:
        names.append(("point", OTHER_POINTS))
    if has_rest:
        names.append(("point", REST))
    names.append(("start", "start"))
    names.extend(("factor", name) for name in factors)
    index = {key: column for column, key in enumerate(names)}
    X = np.zeros((n, len(names)))
    for i, row in enumerate(rows):
        for code in row.points:
            if (column := index.get(("point", code))) is not None:
                X[i, column] = 1.0
        for name in row.factors:
            if (column := index.get(("factor", name))) is not None:
                X[i, column] = 1.0
    if has_other:
        X[:, index[("point", OTHER_POINTS)]] = other
    if has_rest:
        X[:, index[("point", REST)]] = rest
    start_column = index[("start", "start")]
    X[:, start_column] = starts - mean_start
    # Rest sessions too few for their own column, and sessions with no point at all, are left out
    # (every remaining row has an "arm" column, so the model needs no intercept).
    arm_columns = [column for (kind, _), column in index.items() if kind == "point"]
    keep = X[:, arm_columns].sum(axis=1) > 0
    X, y = X[keep], y[keep]
    if len(y) < MIN_SESSIONS or np.linalg.matrix_rank(X) < X.shape[1] or len(y) <= X.shape[1]:
        return None
    result = sm.OLS(y, X).fit(cov_type="HC3", use_t=True)
    low_high = result.conf_int(alpha=1 - CONFIDENCE)
    coef = dict(zip(names, (float(value) for value in result.params), strict=True))
    intervals = {
        key: Interval(float(low), float(high))
        for key, (low, high) in zip(names, low_high, strict=True)
    }
    outcome = Fit(
        sessions=len(y),
        capped=capped,
        start_effect=coef[("start", "start")],
        start_interval=intervals[("start", "start")],
        mean_start=mean_start,
        factors_used=tuple(factors),
    )
    for name in factors:
        outcome.factor_effects[name] = Estimate(
            name=name,
            sessions=factor_counts[name],
            raw=0.0,
            adjusted=coef[("factor", name)],
            interval=intervals[("factor", name)],
        )
    for code in [*points, *([REST] if has_rest else [])]:
        mine = X[:, index[("point", code)]] == 1.0
        outcome.estimates[code] = Estimate(
            name=code,
            sessions=int(mine.sum()),
            raw=float(y[mine].mean()),
            adjusted=coef[("point", code)],
            interval=intervals[("point", code)],
            parts=tuple(_parts(code, X[mine], names, coef, mean_start)),
        )
    return outcome


def _parts(code, mine, names, coef, mean_start) -> list[Part]:
    """The raw average less the adjusted relief, split by what else went with the point.

    ``mine`` is the design matrix's rows of the point's sessions: the mean of each column over
    them, times its coefficient, is that column's share of the raw average."""
    n = len(mine)
    means = mine.mean(axis=0)
    sums = mine.sum(axis=0)
    parts = []
    others = sum(
        coef[key] * float(means[column])
        for column, key in enumerate(names)
        if key[0] == "point" and key[1] not in (code, REST)
    )
    if others:
        parts.append(Part(kind="points", name="other points", amount=float(others)))
    start_column = names.index(("start", "start"))
    start = float(means[start_column]) + mean_start
    parts.append(
        Part(
            kind="start",
            name="starting pain",
            amount=float(coef[("start", "start")] * (start - mean_start)),
            mean_start=start,
            overall_start=mean_start,
        )
    )
    for column, (kind, name) in enumerate(names):
        count = int(round(sums[column])) if kind == "factor" else 0
        if count:
            parts.append(
                Part(
                    kind="factor",
                    name=name,
                    amount=float(coef[(kind, name)] * count / n),
                    share=count / n,
                    count=count,
                )
            )
    return parts
