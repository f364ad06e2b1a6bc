"""The adjusted-relief model, checked against least squares and HC3 written out by hand."""

import math
import random

import numpy as np
import pytest
from scipy import stats as scipy_stats

from journal import adjusted
from journal.adjusted import SessionRow


def fixed_rows() -> list[SessionRow]:
    """40 sessions: BL40 mostly after a painkiller, which does most of the work."""
    rng = random.Random(7)
    rows = []
    for i in range(40):
        point = ["BL40", "BL23", "rest"][i % 3]
        painkiller = (point == "BL40" and i % 4 != 0) or (point != "BL40" and i % 5 == 0)
        before = rng.randint(3, 9)
        relief = {"BL40": 1, "BL23": 1.5, "rest": 0.8}[point]
        relief += 0.3 * (before - 6) + (1.5 if painkiller else 0) + rng.choice([-1, 0, 0, 1])
        after = max(0, min(10, round(before - relief)))
        rows.append(
            SessionRow(
                pain_before=before,
                pain_after=after,
                rest=point == "rest",
                points=frozenset() if point == "rest" else frozenset({point}),
                factors=frozenset({"painkiller"}) if painkiller else frozenset(),
            )
        )
    return rows


def by_hand(rows):
    """OLS with HC3 standard errors and t intervals, from the textbook formulas."""
    codes = ["BL23", "BL40"]
    starts = np.array([r.pain_before for r in rows], float)
    X = np.column_stack(
        [
            *[[code in r.points for r in rows] for code in codes],
            [r.rest for r in rows],
            starts - starts.mean(),
            [("painkiller" in r.factors) for r in rows],
        ]
    ).astype(float)
    y = np.array([r.pain_before - r.pain_after for r in rows], float)
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    residuals = y - X @ beta
    leverage = np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ np.diag(residuals**2 / (1 - leverage) ** 2) @ X
    se = np.sqrt(np.diag(bread @ meat @ bread))
    t = scipy_stats.t.ppf(0.975, len(y) - X.shape[1])
    return beta, beta - t * se, beta + t * se


def test_coefficients_and_intervals_match_the_formulas():
    rows = fixed_rows()
    fit = adjusted.fit(rows)
    beta, low, high = by_hand(rows)
    got = [
        fit.estimates["BL23"],
        fit.estimates["BL40"],
        fit.estimates[adjusted.REST],
    ]
    for estimate, b, lo, hi in zip(got, beta[:3], low[:3], high[:3], strict=True):
        assert estimate.adjusted == pytest.approx(b)
        assert estimate.interval.low == pytest.approx(lo)
        assert estimate.interval.high == pytest.approx(hi)
    assert fit.start_effect == pytest.approx(beta[3])
    assert fit.factor_effects["painkiller"].adjusted == pytest.approx(beta[4])
    assert fit.factor_effects["painkiller"].interval.low == pytest.approx(low[4])


def test_raw_and_adjusted_differ_for_the_reason_built_into_the_data():
    fit = adjusted.fit(fixed_rows())
    bl40 = fit.estimates["BL40"]
    assert bl40.raw == pytest.approx(
        np.mean([r.relief for r in fixed_rows() if "BL40" in r.points])
    )
    assert bl40.gap > 0.5
    reason = bl40.main_reason()
    assert reason.kind == "factor"
    assert reason.name == "painkiller"
    assert reason.count == sum(
        "painkiller" in r.factors for r in fixed_rows() if "BL40" in r.points
    )
    # The parts add up to the gap, less the mean residual of the point's sessions.
    assert sum(p.amount for p in bl40.parts) == pytest.approx(bl40.gap, abs=0.5)


def test_too_little_data_fits_nothing():
    rows = fixed_rows()[: adjusted.MIN_SESSIONS - 1]
    assert adjusted.fit(rows) is None


def test_rare_points_share_a_column_and_rare_factors_are_left_out():
    rows = fixed_rows()
    rows[0] = SessionRow(pain_before=7, pain_after=5, points=frozenset({"LI4"}))
    rows[1] = SessionRow(
        pain_before=7, pain_after=5, points=frozenset({"GB30"}), factors=frozenset({"heat"})
    )
    fit = adjusted.fit(rows)
    assert "LI4" not in fit.estimates
    assert "heat" not in fit.factors_used
    assert set(fit.estimates) == {"BL23", "BL40", adjusted.REST}


def test_a_factor_on_every_session_cannot_be_told_apart_and_is_left_out():
    rows = [
        SessionRow(r.pain_before, r.pain_after, r.rest, r.points, r.factors | {"always"})
        for r in fixed_rows()
    ]
    fit = adjusted.fit(rows)
    assert "always" not in fit.factors_used


def test_two_points_always_pressed_together_cannot_be_separated():
    rows = [
        SessionRow(6, 4, points=frozenset({"BL23", "BL40"}))
        if i % 2
        else SessionRow(7, 5 - i % 3, points=frozenset({"BL23", "BL40"}))
        for i in range(30)
    ]
    assert adjusted.fit(rows) is None


def test_intervals_are_finite_with_identical_reliefs():
    rows = [SessionRow(6 + i % 3, 4 + i % 3, points=frozenset({"BL23"})) for i in range(25)]
    fit = adjusted.fit(rows)
    estimate = fit.estimates["BL23"]
    assert estimate.adjusted == pytest.approx(2)
    assert math.isfinite(estimate.interval.low)
