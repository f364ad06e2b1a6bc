from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.http import require_GET

from journal import home as journal_home

from . import queries
from .caching import cache_for_visitors
from .models import Region


@cache_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    """Visitors get the introduction; logged-in people get their journal's home (log first)."""
    if request.user.is_authenticated:
        return render(request, "journal/home/home.html", journal_home.today_for(request))
    return render(request, "acupressure/home.html", {"featured": queries.featured_points()})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness only: no database access, so a load balancer probe never adds DB load."""
    return JsonResponse({"status": "ok"})


@cache_for_visitors
def safety(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "acupressure/safety.html",
        {
            # The points to avoid in pregnancy (Point.pregnancy "avoid"), as before issue 15.
            "pregnancy_points": queries.avoided_in_pregnancy(),
            # The points to ask a midwife about first ("ask-midwife"), for the page to list too.
            "pregnancy_ask_points": queries.ask_midwife_in_pregnancy(),
        },
    )


SEARCH_MAX_LENGTH = 100  # the search box's maxlength


def point_filters(params: QueryDict) -> tuple[str, str]:
    """The search words and the region as the point list uses them ("" for none or unknown)."""
    # PostgreSQL refuses NUL characters in text parameters; they never belong in a search.
    query = params.get("q", "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    region = params.get("region", "")
    if region not in Region.values:
        region = ""
    return query, region


def point_list_cache_key(params: QueryDict) -> dict[str, str] | None:
    """The point list's page is cached per search and region, as the view reads them.

    Two requests share an entry only when the view renders them alike: the key is the view's own
    reading of ``q`` (so "bl23" and "BL23", shown as typed in the search box, are two entries).
    Any other parameter, a repeated one or an unknown region is not cached at all.
    """
    if not set(params) <= {"q", "region"} or any(len(params.getlist(key)) > 1 for key in params):
        return None
    if params.get("region", "") not in {"", *Region.values}:
        return None
    query, region = point_filters(params)
    return {"q": query, "region": region}


@cache_for_visitors(query=point_list_cache_key)
def point_list(request: HttpRequest) -> HttpResponse:
    query, region = point_filters(request.GET)
    groups = queries.points_by_region(query=query, region=region)
    return render(
        request,
        "acupressure/point_list.html",
        {
            "groups": groups,
            "query": query,
            "region": region,
            "regions": Region.choices,
            "result_count": sum(len(points) for _, points in groups),
            "filtered": bool(query or region),
        },
    )


@cache_for_visitors
def point_detail(request: HttpRequest, slug: str) -> HttpResponse:
    point = get_object_or_404(queries.points_with_sources(), slug=slug)
    return render(
        request,
        "acupressure/point_detail.html",
        {"point": point, "neighbours": queries.region_neighbours(point)},
    )


@cache_for_visitors
def tool_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "acupressure/tool_list.html", {"tools": queries.tools_with_points_and_sources()}
    )


@cache_for_visitors
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(request, "acupressure/routine_list.html", {"routines": queries.public_routines()})


@cache_for_visitors
def routine_detail(request: HttpRequest, slug: str) -> HttpResponse:
    routine = queries.get_public_routine(slug)
    return render(request, "acupressure/routine_detail.html", {"routine": routine})


@cache_for_visitors
def routine_play(request: HttpRequest, slug: str) -> HttpResponse:
    routine = queries.get_public_routine(slug)
    journal_home.remember_routine_opened(request, routine)
    return render(request, "acupressure/routine_play.html", {"routine": routine})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. A database that is briefly unreachable or locked gets a 503 "try again" page.

    No context processors can be trusted here (the database may be down): static templates only.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(
            loader.get_template("503.html").render({"request_id": getattr(request, "id", "")}),
            status=503,
        )
        response["Retry-After"] = "5"
        return response
    return HttpResponse(
        loader.get_template("500.html").render({"request_id": getattr(request, "id", "")}),
        status=500,
    )
