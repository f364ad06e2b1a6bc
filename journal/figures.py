"""The figures of the insights page and the report, kept in the cache until the journal changes.

Working out the figures reads every session of the period several times (per point, per factor,
per week, the totals) and fits the adjusted model: tens of milliseconds for a journal of
thousands of sessions. Opening the page again with nothing changed reads them from the cache.

The key holds everything the figures depend on, so a change anywhere gives a new key and the
figures are worked out afresh:
- the journal's state: how many sessions the user has and the latest ``updated_at`` among them
  (a new, imported or deleted session changes the count; an edit, points and factors included,
  saves the session and so moves ``updated_at``). Two index-only queries.
- the user's factors (id, name, archived): a rename changes what the page says.
- the guide content version (point codes and names), the active time zone (weeks and days),
  the active language (the sentences explaining the figures are translated when worked out),
  the filters, and the code of the modules that compute the figures (a deploy never reads
  figures pickled by older code).

A key also lives at most ``CACHE_SECONDS``: should two edits of the same user's sessions commit
in the opposite order to the one they were saved in, while the page is being opened, the
figures could miss the earlier one for that long, never longer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language

from acupressure.models import ContentVersion

from . import adjusted_queries, adjusted_summary, charts, stats
from .models import Factor, PracticeSession
from .stats import Filters

CACHE_SECONDS = 600
T = TypeVar("T")

_SOURCES = (
    "figures.py",
    "stats.py",
    "adjusted.py",
    "adjusted_queries.py",
    "adjusted_summary.py",
    "charts.py",
)
CODE_VERSION = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in _SOURCES)
).hexdigest()[:12]


def journal_state(user) -> tuple[int, str]:
    """(number of sessions, latest change): two queries that read the index alone."""
    sessions = PracticeSession.objects.filter(user=user).order_by()
    count = sessions.count()
    # A lone MAX() on the (user, updated_at) index is a single index probe on both databases.
    changed = sessions.aggregate(changed=Max("updated_at"))["changed"] if count else None
    return count, changed.isoformat() if changed else ""


def cached(user, kind: str, filters: Filters, compute: Callable[[], T]) -> tuple[T, int]:
    """``compute()``'s result for this user, page ``kind`` and filters, from the cache when
    nothing it depends on has changed; also the number of sessions in the whole journal."""
    count, changed = journal_state(user)
    factors = list(Factor.objects.usable_by(user).values_list("pk", "name", "archived"))
    key_parts = repr(
        (
            CODE_VERSION,
            kind,
            filters,
            count,
            changed,
            factors,
            ContentVersion.current(),
            timezone.get_current_timezone_name(),
            get_language(),
        )
    )
    key = f"figures:{user.pk}:{hashlib.sha256(key_parts.encode()).hexdigest()}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, CACHE_SECONDS)
    return result, count


def insights(user, filters: Filters) -> dict:
    """Everything the insights page shows for these filters (see ``cached``)."""

    def compute() -> dict:
        summaries = stats.point_summaries(user, filters)
        ranked = [s for s in summaries if s.enough_data]
        trend_by = stats.trend_granularity(filters)
        totals, overview = adjusted_queries.totals_and_overview(user, filters)
        trend = stats.trend(user, filters, by=trend_by, span=overview)
        return {
            "overview": overview,
            "ranked": ranked,
            "thin": [s for s in summaries if not s.enough_data],
            "best": ranked[0] if ranked else None,
            "trend": trend,
            "trend_by": trend_by,
            "relief_chart": charts.relief_chart(ranked),
            "trend_chart": charts.trend_chart(trend),
            **adjusted_summary.insights_context(user, filters, summaries, totals),
        }

    result, journal_sessions = cached(user, "insights", filters, compute)
    return {**result, "has_sessions": journal_sessions > 0}


def report(user, filters: Filters) -> dict:
    """The figures of the printable report for these filters (see ``cached``)."""

    def compute() -> dict:
        summaries = stats.point_summaries(user, filters)
        totals, overview = adjusted_queries.totals_and_overview(user, filters)
        return {
            "overview": overview,
            "summaries": summaries,
            "trend": stats.trend(user, filters, by="week", span=overview),
            **adjusted_summary.report_context(user, filters, summaries, totals),
        }

    return cached(user, "report", filters, compute)[0]
