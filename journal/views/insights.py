"""Insights: which points work best, two points compared, and the printable report."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import adjusted_summary, charts, queries, stats
from ..forms.insights import CompareForm, InsightsFilterForm, ReportForm


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    form = InsightsFilterForm(request.GET or None)
    filters = form.filters()
    summaries = stats.point_summaries(request.user, filters)
    ranked = [s for s in summaries if s.enough_data]
    trend_by = stats.trend_granularity(filters)
    overview = stats.overview(request.user, filters)
    trend = stats.trend(request.user, filters, by=trend_by, span=overview)
    return render(
        request,
        "journal/insights/insights.html",
        {
            "form": form,
            "period": form.period_label(),
            "overview": overview,
            "has_sessions": queries.sessions_for(request.user).exists(),
            "ranked": ranked,
            "thin": [s for s in summaries if not s.enough_data],
            "best": ranked[0] if ranked else None,
            "min_sessions": stats.MIN_SESSIONS,
            "trend": trend,
            "trend_by": trend_by,
            "relief_chart": charts.relief_chart(ranked),
            "trend_chart": charts.trend_chart(trend),
            **adjusted_summary.insights_context(request.user, filters, summaries),
        },
    )


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_valid():
        comparison = stats.compare(
            request.user, form.cleaned_data["a"].slug, form.cleaned_data["b"].slug, form.filters()
        )
    return render(
        request,
        "journal/insights/compare.html",
        {
            "form": form,
            "comparison": comparison,
            "period": form.period_label() if form.is_bound else "",
            "min_sessions": stats.MIN_SESSIONS,
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportForm(request.GET or {"date_from": today - timedelta(days=89), "date_to": today})
    context = {"form": form}
    if form.is_valid():
        filters = form.filters()
        summaries = stats.point_summaries(request.user, filters)
        overview = stats.overview(request.user, filters)
        context.update(
            overview=overview,
            summaries=summaries,
            trend=stats.trend(request.user, filters, by="week", span=overview),
            notes=queries.report_notes(request.user, filters),
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            min_sessions=stats.MIN_SESSIONS,
            **adjusted_summary.report_context(request.user, filters, summaries),
        )
    return render(request, "journal/insights/report.html", context)
