"""The pages `make bench` measures, in the order of the table."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    method: str = "GET"
    logged_in: bool = True
    expect: int = 200
    streaming: bool = False
    form: dict = field(default_factory=dict)
    # The cache emptied before every request: the insights figures worked out each time, as on
    # the first visit after a change to the journal (journal/figures.py). In process only.
    fresh: bool = False

    def for_user(self, user) -> Page:
        """This page with ``{latest}`` in its path replaced by the user's latest session's id."""
        if "{latest}" not in self.path:
            return self
        from journal.models import PracticeSession

        latest = PracticeSession.objects.filter(user=user).latest("started_at", "pk")
        return replace(self, path=self.path.format(latest=latest.pk))


def new_session_form() -> dict:
    """A valid /journal/new/ form: two points, pain 6 -> 3, an hour ago."""
    started_at = timezone.localtime() - timedelta(hours=1)
    return {
        "points": ["bl23", "li4"],
        "pain_before": "6",
        "pain_after": "3",
        "started_at": started_at.strftime("%Y-%m-%dT%H:%M"),
        "area": "lower-back",
        "seconds": "60",
        "notes": "",
    }


BASELINE = Page("/healthz", "/healthz", logged_in=False)
PAGES = [
    BASELINE,
    Page("/guides/", "/guides/", logged_in=False),
    Page("/guides/bl23/", "/guides/bl23/", logged_in=False),
    Page("/ (logged in)", "/"),
    Page("/journal/", "/journal/"),
    Page("/journal/insights/", "/journal/insights/"),
    Page("/journal/insights/ (first visit)", "/journal/insights/", fresh=True),
    Page("/journal/compare/", "/journal/compare/?a=bl23&b=li4"),
    Page("/journal/calendar/", "/journal/calendar/"),
    Page("/journal/report/", "/journal/report/"),
    Page("/journal/report/ (first visit)", "/journal/report/", fresh=True),
    Page("/journal/experiments/", "/journal/experiments/"),
    Page("/journal/<latest session>/", "/journal/{latest}/"),
    Page("/journal/export.csv", "/journal/export.csv", streaming=True),
    Page("/api/v1/sessions/", "/api/v1/sessions/"),
    # Last: every request adds a session.
    Page("POST /journal/new/", "/journal/new/", method="POST", expect=302),
]
GUIDE_PAGES = ["/guides/", "/guides/bl23/"]
POST_PAGE = "POST /journal/new/"
EXPORT_PAGE = "/journal/export.csv"
# Every journal page should cost about the same for 100 or 100,000 sessions (the export, which
# writes every session, is in the growth table but has a throughput target instead).
GROWTH_PAGES = [
    "/ (logged in)",
    "/journal/",
    "/journal/insights/",
    "/journal/compare/",
    "/journal/calendar/",
    "/journal/report/",
    "/journal/experiments/",
    "/journal/<latest session>/",
    "/api/v1/sessions/",
    EXPORT_PAGE,
]
# In the growth table too, without a target: the cost of working the figures out afresh.
FRESH_GROWTH_PAGES = ["/journal/insights/ (first visit)", "/journal/report/ (first visit)"]
# The most a page may cost, in multiples of /healthz in the same run (10,000-session journal).
PAGE_RATIOS = {
    "/journal/": 30,
    "/journal/compare/": 30,
    "/api/v1/sessions/": 30,
    "/journal/calendar/": 30,
    "/journal/insights/": 50,
}
