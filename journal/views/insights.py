"""Insights: which points work best, two points compared, and the printable report."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import figures, queries, stats
from ..forms.insights import CompareForm, InsightsFilterForm, ReportForm


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    form = InsightsFilterForm(request.GET or None)
    figures_context = figures.insights(request.user, form.filters())
    # The best points (up to 4) for the "Save them as a routine" link, whose sentence needs
    # their number for its plural.
    routine_points = [summary.slug for summary in figures_context["ranked"][:4]]
    return render(
        request,
        "journal/insights/insights.html",
        {
            "form": form,
            "period": form.period_label(),
            "min_sessions": stats.MIN_SESSIONS,
            **figures_context,
            "routine_points": ",".join(routine_points),
            "routine_point_count": len(routine_points),
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
        context.update(
            notes=queries.report_notes(request.user, filters),
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            min_sessions=stats.MIN_SESSIONS,
            **figures.report(request.user, filters),
        )
    return render(request, "journal/insights/report.html", context)
