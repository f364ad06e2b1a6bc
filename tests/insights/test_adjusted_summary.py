"""The plain words for why a point's average and adjusted relief differ."""

import pytest

from journal.adjusted import Estimate, Part, SessionRow
from journal.adjusted_summary import explain, why_not_fitted
from journal.stats import Interval

NAMES = {"7": "Painkiller in the last 4 hours", "8": "Slept badly"}


def estimate(raw: float, adjusted: float, *parts: Part, sessions: int = 20) -> Estimate:
    return Estimate(
        name="BL40",
        sessions=sessions,
        raw=raw,
        adjusted=adjusted,
        interval=Interval(adjusted - 1, adjusted + 1),
        parts=parts,
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            estimate(2.4, 1.8, Part("factor", "7", 0.6, share=0.6, count=12)),
            "BL40 looks 0.6 points better than it is: 12 of its 20 sessions also had "
            "“Painkiller in the last 4 hours”, which on its own went with more relief.",
        ),
        (
            estimate(1.0, 1.5, Part("factor", "8", -0.5, share=0.5, count=10)),
            "BL40 looks 0.5 points worse than it is: 10 of its 20 sessions also had "
            "“Slept badly”, which went with less relief.",
        ),
        (
            estimate(
                2.8, 2.2, Part("start", "starting pain", 0.6, mean_start=7.1, overall_start=5.2)
            ),
            "BL40 looks 0.6 points better than it is: its sessions started from higher pain "
            "(7.1 on average, against 5.2 overall), and pain that starts high tends to fall "
            "further anyway.",
        ),
        (
            estimate(
                1.2, 1.8, Part("start", "starting pain", -0.6, mean_start=3.1, overall_start=5.2)
            ),
            "BL40 looks 0.6 points worse than it is: its sessions started from lower pain "
            "(3.1 on average, against 5.2 overall), and pain that starts low has less room to "
            "fall.",
        ),
        (
            estimate(2.0, 1.0, Part("points", "other points", 1.0)),
            "BL40 looks 1.0 point better than it is: it was often pressed together with other "
            "points, which share the credit.",
        ),
        (
            estimate(1.0, 1.6, Part("points", "other points", -0.6)),
            "BL40 looks 0.6 points worse than it is: it was often pressed together with other "
            "points that, on their own, went with less relief.",
        ),
        (
            estimate(2.0, 1.5, Part("factor", "7", -0.8, count=3), Part("points", "x", 0.7)),
            "BL40 looks 0.5 points better than it is, for several reasons that together "
            "outweigh the largest one.",
        ),
        (estimate(2.0, 1.9, Part("factor", "7", 0.1, count=2)), ""),
    ],
)
def test_explain_names_the_main_reason_in_plain_words(case, expected):
    assert explain(case, "BL40", NAMES) == expected


def rows(n, points=frozenset({"BL40"}), rest=False):
    return [SessionRow(6, 4, rest, frozenset() if rest else points) for _ in range(n)]


@pytest.mark.parametrize(
    ("session_rows", "expected"),
    [
        (rows(12), "Adjusted figures need at least 20 sessions in this period; you have 12."),
        (
            rows(16) + rows(4, rest=True),
            "Adjusted figures need at least 20 sessions in this period with a point, or resting "
            "once you have 5 rest sessions; you have 16.",
        ),
        (
            [SessionRow(6, 4, points=frozenset({f"P{i % 5}"})) for i in range(20)],
            "Adjusted figures need at least one point with 5 sessions in this period.",
        ),
        (rows(25), "Adjusted figures cannot be worked out yet"),
    ],
)
def test_why_not_fitted_says_what_is_lacking(session_rows, expected):
    assert why_not_fitted(session_rows).startswith(expected)
