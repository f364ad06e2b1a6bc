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
from typing import NamedTuple

import numpy as np
import statsmodels.api as sm

from .stats import CONFIDENCE, Interval

MIN_SESSIONS = 20
MIN_POINT_SESSIONS = 5
MIN_FACTOR_SESSIONS = 3
MAX_SESSIONS = 1000
REST = "rest"
OTHER_POINTS = "other"


class SessionRow(NamedTuple):
    """What the model needs of one session (a named tuple: up to MAX_SESSIONS are built per fit)."""

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


@dataclass(frozen=True)
class Sessions:
    """The model's data by column: per session its pain before and after and whether it was a
    rest session, and one (session index, name) pair per point pressed and per factor present.

    ``adjusted_queries.model_rows`` builds it straight from ``values_list`` rows, with no object
    per session; ``from_rows`` builds it from ``SessionRow`` tuples (the tests' way of writing data).
    """

    pain_before: np.ndarray  # int, one per session
    pain_after: np.ndarray
    rest: np.ndarray  # bool
    point_rows: np.ndarray  # int: the session each pair belongs to
    point_codes: np.ndarray  # str
    factor_rows: np.ndarray
    factor_keys: np.ndarray

    def __len__(self) -> int:
        return len(self.pain_before)

    @classmethod
    def build(cls, sessions, points, factors) -> Sessions:
        """From (pain_before, pain_after, rest) per session and (session index, name) pairs.
        A rest session's points, if any, are not counted."""
        table = np.array(list(sessions), dtype=float).reshape(-1, 3)
        rest_array = table[:, 2].astype(bool)
        point_rows, point_codes = _pairs(points)
        if len(point_rows):
            pressed = ~rest_array[point_rows]
            point_rows, point_codes = point_rows[pressed], point_codes[pressed]
        factor_rows, factor_keys = _pairs(factors)
        return cls(
            pain_before=table[:, 0],
            pain_after=table[:, 1],
            rest=rest_array,
            point_rows=point_rows,
            point_codes=point_codes,
            factor_rows=factor_rows,
            factor_keys=factor_keys,
        )

    @classmethod
    def from_rows(cls, rows: Sequence[SessionRow]) -> Sessions:
        return cls.build(
            ((row.pain_before, row.pain_after, row.rest) for row in rows),
            ((i, code) for i, row in enumerate(rows) for code in row.points),
            ((i, name) for i, row in enumerate(rows) for name in row.factors),
        )

    @classmethod
    def of(cls, data: Sessions | Sequence[SessionRow]) -> Sessions:
        return data if isinstance(data, Sessions) else cls.from_rows(data)

    def rows(self) -> list[SessionRow]:
        """The same sessions as named tuples (for reading in tests and the shell)."""
        points: list[set[str]] = [set() for _ in range(len(self))]
        for i, code in zip(self.point_rows.tolist(), self.point_codes.tolist(), strict=True):
            points[i].add(code)
        factors: list[set[str]] = [set() for _ in range(len(self))]
        for i, name in zip(self.factor_rows.tolist(), self.factor_keys.tolist(), strict=True):
            factors[i].add(name)
        return [
            SessionRow(int(before), int(after), bool(rest), frozenset(p), frozenset(f))
            for before, after, rest, p, f in zip(
                self.pain_before, self.pain_after, self.rest, points, factors, strict=True
            )
        ]

    def point_counts(self) -> dict[str, int]:
        """How many (non-rest) sessions pressed each point."""
        return _counts(self.point_codes)

    def factor_counts(self) -> dict[str, int]:
        return _counts(self.factor_keys)

    def sessions_with_points(self) -> int:
        return int(np.unique(self.point_rows).size)


def _pairs(pairs) -> tuple[np.ndarray, np.ndarray]:
    pairs = list(pairs)
    rows = np.array([row for row, _ in pairs], dtype=np.intp)
    return rows, np.array([name for _, name in pairs], dtype=str)


def _counts(names: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(names, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def fit(data: Sessions | Sequence[SessionRow], *, capped: bool = False) -> Fit | None:
    """The model for these sessions, or None when there is too little data to fit it.

    The design matrix is filled with numpy from the (session, point) and (session, factor) pairs,
    and every per-point figure below is a masked mean of its columns, so the cost stays small for
    the MAX_SESSIONS sessions a fit may use.
    """
    data = Sessions.of(data)
    n = len(data)
    if n < MIN_SESSIONS:
        return None
    point_counts = data.point_counts()
    points = sorted(code for code, count in point_counts.items() if count >= MIN_POINT_SESSIONS)
    factor_counts = data.factor_counts()
    factors = sorted(
        name
        for name, count in factor_counts.items()
        if count >= MIN_FACTOR_SESSIONS and n - count >= MIN_FACTOR_SESSIONS
    )
    if not points:
        return None
    rest = data.rest
    has_rest = int(rest.sum()) >= MIN_POINT_SESSIONS
    rare_pairs = ~np.isin(data.point_codes, points)
    other = np.zeros(n, dtype=bool)
    other[data.point_rows[rare_pairs]] = True
    has_other = bool(other.any())

    starts = data.pain_before
    mean_start = float(starts.mean())
    y = starts - data.pain_after
    names: list[tuple[str, str]] = [("point", code) for code in points]
    if has_other:
        names.append(("point", OTHER_POINTS))
    if has_rest:
        names.append(("point", REST))
    names.append(("start", "start"))
    names.extend(("factor", name) for name in factors)
    index = {key: column for column, key in enumerate(names)}
    X = np.zeros((n, len(names)))
    _mark(X, data.point_rows, data.point_codes, {code: index[("point", code)] for code in points})
    _mark(
        X, data.factor_rows, data.factor_keys, {name: index[("factor", name)] for name in factors}
    )
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


def _mark(X: np.ndarray, rows: np.ndarray, names: np.ndarray, columns: dict[str, int]) -> None:
    """Set X[row, column] = 1 for each (row, name) pair whose name has a column."""
    if not len(rows):
        return
    column_of = np.array([columns.get(name, -1) for name in names.tolist()], dtype=np.intp)
    used = column_of >= 0
    X[rows[used], column_of[used]] = 1.0


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
