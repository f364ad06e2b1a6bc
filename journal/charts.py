"""Chart data for the templates' json_script tags; static/js/insights.js draws them with Chart.js."""

from __future__ import annotations

from .stats import PointSummary, TrendRow


def relief_chart(summaries: list[PointSummary]) -> dict:
    return {
        "labels": [s.code for s in summaries],
        "means": [round(s.mean_relief, 2) for s in summaries],
        "lows": [round(s.interval.low, 2) if s.interval else None for s in summaries],
        "highs": [round(s.interval.high, 2) if s.interval else None for s in summaries],
        "sessions": [s.sessions for s in summaries],
    }


def trend_chart(rows: list[TrendRow]) -> dict:
    return {
        "labels": [row.period.isoformat() for row in rows],
        "before": [round(row.mean_pain_before, 2) for row in rows],
        "after": [round(row.mean_pain_after, 2) for row in rows],
    }
