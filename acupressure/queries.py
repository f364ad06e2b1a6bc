"""Named queries for the guide pages, so views stay thin and query counts stay fixed."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import REGION_ORDER, Point, Pregnancy, Region, Routine, Tool
from .search import search_points


def points_with_sources() -> QuerySet[Point]:
    return Point.objects.prefetch_related("sources", "tools")


def points_by_region(query: str = "", region: str = "") -> list[tuple[str, list[Point]]]:
    """Points grouped as [(region label, [points…]), …], one query. Without a search, in the
    guide's region order; with one, the regions holding a name or code match come first, and
    such points lead their region (acupressure/search.py)."""
    points = Point.objects.all()
    if region:
        points = points.filter(region=region)
    ranked = search_points(points, query) if query else [(0, point) for point in points]
    grouped: dict[str, list[Point]] = {}
    best: dict[str, int] = {}
    for score, point in ranked:
        grouped.setdefault(point.region, []).append(point)
        best.setdefault(point.region, score)
    order = sorted(grouped, key=lambda value: (best[value], REGION_ORDER[value]))
    return [(Region(value).label, grouped[value]) for value in order]


def region_neighbours(point: Point) -> list[Point]:
    return list(Point.objects.filter(region=point.region).exclude(pk=point.pk))


def featured_points() -> list[Point]:
    """The points behind the popular advice's six groups, one per region, for the home page."""
    return list(Point.objects.filter(code__in=["BL23", "CV6", "BL53", "BL40", "KI1", "LI4"]))


def avoided_in_pregnancy() -> list[Point]:
    """The points to avoid in pregnancy (level "avoid")."""
    return _points_with_pregnancy(Pregnancy.AVOID)


def ask_midwife_in_pregnancy() -> list[Point]:
    """The points to ask a midwife about first in pregnancy (level "ask-midwife")."""
    return _points_with_pregnancy(Pregnancy.ASK_MIDWIFE)


def _points_with_pregnancy(level: str) -> list[Point]:
    return list(
        Point.objects.filter(pregnancy=level).only(
            "code", "slug", "name_pinyin", "region", "pregnancy"
        )
    )


def public_routines() -> list[Routine]:
    """The guide's routines with their steps and points: two queries, however many there are."""
    return list(Routine.objects.public().with_steps())


def get_public_routine(slug: str) -> Routine:
    return get_object_or_404(Routine.objects.public().with_steps(), slug=slug)


def tools_with_points_and_sources() -> list[Tool]:
    """Every tool with its points and sources: three queries, however many tools there are."""
    return list(Tool.objects.prefetch_related("points", "sources"))
