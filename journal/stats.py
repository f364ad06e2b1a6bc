"""What works best for me: relief per point, comparisons and trends, from database aggregates.

relief = pain_before − pain_after (positive is better). Every figure here comes from one grouped
query (Count, Avg, StdDev) plus a little arithmetic on the per-group rows; nothing loops over a
user's sessions in Python. Intervals are 95 % t-intervals (Welch for differences), from scipy.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg as Mean
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format
from scipy import stats as scipy_stats

from acupressure.models import Point

from . import local_days
from .models import PracticeSession, SessionPoint

MIN_SESSIONS = 5
MEANINGFUL_POINTS = 2  # or a fall of at least 30 % of the starting pain (see MEANINGFUL)
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Filters:
    """Which sessions count. ``since``/``until`` are aware datetimes; None means unbounded."""

    since: datetime | None = None
    until: datetime | None = None
    area: str = ""
    single_point_only: bool = False
    experiment_id: int | None = None


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def spans_zero(self) -> bool:
        return self.low <= 0 <= self.high


@dataclass(frozen=True)
class PointSummary:
    code: str
    slug: str
    name: str
    sessions: int
    mean_relief: float
    sd: float | None
    interval: Interval | None
    meaningful_share: float
    mean_pain_before: float
    last_used: datetime
    # Sessions with "pain an hour later" rated: how many, and the relief right after and an hour
    # later (pain before − pain later) over those same sessions.
    later_sessions: int = 0
    mean_relief_when_later: float | None = None
    mean_lasting_relief: float | None = None

    @property
    def enough_data(self) -> bool:
        return self.sessions >= MIN_SESSIONS


@dataclass(frozen=True)
class Comparison:
    a: PointSummary | None
    b: PointSummary | None
    difference: float | None = None
    interval: Interval | None = None
    more_sessions_each: int | None = None

    @property
    def clear(self) -> bool:
        return self.interval is not None and not self.interval.spans_zero

    @property
    def better(self) -> PointSummary | None:
        if not self.clear:
            return None
        return self.a if self.difference > 0 else self.b

    @property
    def advantage(self) -> float | None:
        """How much more relief the better point gave (positive), when the difference is clear."""
        return abs(self.difference) if self.clear else None

    @property
    def advantage_interval(self) -> Interval | None:
        """The interval of ``advantage``, oriented so both ends are positive."""
        if not self.clear:
            return None
        if self.difference > 0:
            return self.interval
        return Interval(-self.interval.high, -self.interval.low)


@dataclass(frozen=True)
class TrendRow:
    period: date
    sessions: int
    mean_pain_before: float
    mean_pain_after: float


def one_decimal(value: float) -> str:
    """``value`` with one decimal, rounded as f"{value:.1f}" rounds it, in the active language's
    notation (2.5, or 2,5 in Spanish): for figures in sentences built in Python. number_format
    alone would cut a float's digits rather than round them. Charts and exports keep plain numbers.
    """
    return number_format(Decimal(f"{value:.1f}"), 1)


def _relief():
    return F("session__pain_before") - F("session__pain_after")


# Meaningful relief: at least 2 points, or a fall of at least 30 % of the starting pain
# (10 × relief ≥ 3 × pain_before keeps it in integers). A start of 0 cannot improve, so relief > 0.
MEANINGFUL = Q(relief__gte=MEANINGFUL_POINTS) | Q(relief__gt=0, relief_x10__gte=F("start_x3"))
RATED_LATER = Q(session__pain_later__isnull=False)


def _filter_q(user, filters: Filters, prefix: str = "") -> Q:
    """The sessions that count, as a Q on PracticeSession (``prefix`` "session__" for SessionPoint)."""
    q = Q(**{f"{prefix}user": user})
    if filters.since is not None:
        q &= Q(**{f"{prefix}started_at__gte": filters.since})
    if filters.until is not None:
        q &= Q(**{f"{prefix}started_at__lt": filters.until})
    if filters.area:
        q &= Q(**{f"{prefix}area": filters.area})
    if filters.experiment_id is not None:
        q &= Q(**{f"{prefix}experiment": filters.experiment_id})
    if filters.single_point_only:
        single = (
            PracticeSession.objects.filter(user=user)
            .annotate(point_count=Count("session_points"))
            .filter(point_count=1)
            .values("pk")
        )
        q &= Q(**{f"{prefix}pk__in": single})
    return q


def with_rest_q(user, filters: Filters, prefix: str = "") -> Q:
    """Like the filters' sessions, but rest sessions always count: they have no point, so
    "single-point sessions only" would drop the very baseline the points are measured against."""
    q = _filter_q(user, filters, prefix)
    if filters.single_point_only:
        q |= _filter_q(user, replace(filters, single_point_only=False), prefix) & Q(
            **{f"{prefix}rest_only": True}
        )
    return q


def sessions_in(user, filters: Filters = Filters()) -> QuerySet[PracticeSession]:
    return PracticeSession.objects.filter(_filter_q(user, filters))


def session_points_in(user, filters: Filters = Filters()) -> QuerySet[SessionPoint]:
    return SessionPoint.objects.filter(_filter_q(user, filters, prefix="session__"))


def sample_sd(n: int, total: float, squares: float) -> float | None:
    """Sample standard deviation from n, Σx and Σx² (None below two values)."""
    if n < 2:
        return None
    variance = (squares - total * total / n) / (n - 1)
    return math.sqrt(max(variance, 0.0))


@functools.lru_cache(maxsize=1024)
def t_quantile(df: float) -> float:
    """Student's t quantile for a two-sided CONFIDENCE interval (scipy's ppf costs ~0.1 ms a call,
    and a page asks for dozens with the same few degrees of freedom)."""
    return float(scipy_stats.t.ppf((1 + CONFIDENCE) / 2, df))


def t_interval(mean: float, sd: float | None, n: int) -> Interval | None:
    if n < 2 or sd is None:
        return None
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return Interval(mean - half, mean + half)


def point_summaries(
    user, filters: Filters = Filters(), slugs: list[str] | None = None
) -> list[PointSummary]:
    """Per point: n, mean relief, SD, 95 % CI, meaningful-relief share, mean pain before, last use.

    Ranked by mean relief; points with fewer than MIN_SESSIONS sessions come after the rest.
    """
    rows = session_points_in(user, filters)
    if slugs is not None:
        rows = rows.filter(point__in=Point.objects.filter(slug__in=slugs).values("pk"))
    # Grouped by the point's id alone: joining the points' table and grouping by its text columns
    # took half as long again on SQLite for a 100,000-session journal. The names come after, from
    # the few points used.
    rows = list(
        rows.annotate(
            relief=_relief(), relief_x10=_relief() * 10, start_x3=F("session__pain_before") * 3
        )
        .values("point_id")
        .annotate(
            # point_id rather than pk: the (session, point) index holds it, the id it lacks
            # on PostgreSQL, so the index alone answers.
            sessions=Count("point_id"),
            mean_relief=Mean("relief"),
            # Σx and Σx² rather than StdDev(): SQLite's STDDEV_SAMP fails on a single value.
            relief_sum=Sum("relief"),
            relief_squares=Sum(F("relief") * F("relief")),
            meaningful=Count("point_id", filter=MEANINGFUL),
            mean_pain_before=Mean("session__pain_before"),
            last_used=Max("session__started_at"),
            later_sessions=Count("session__pain_later"),
            mean_relief_when_later=Mean("relief", filter=RATED_LATER),
            # NULL when pain_later is empty, so the average covers the rated sessions only.
            mean_lasting_relief=Mean(F("session__pain_before") - F("session__pain_later")),
        )
        .order_by()
    )
    if not rows:
        return []
    names = {
        pk: (code, slug, name)
        for pk, code, slug, name in Point.objects.filter(
            pk__in=[row["point_id"] for row in rows]
        ).values_list("pk", "code", "slug", "name_pinyin")
    }
    return _rank([_summary(row, *names[row["point_id"]]) for row in rows])


def _summary(row: dict, code: str, slug: str, name: str) -> PointSummary:
    n = row["sessions"]
    mean = float(row["mean_relief"])
    sd = sample_sd(n, row["relief_sum"], row["relief_squares"])
    return PointSummary(
        code=code,
        slug=slug,
        name=name,
        sessions=n,
        mean_relief=mean,
        sd=sd,
        interval=t_interval(mean, sd, n),
        meaningful_share=row["meaningful"] / n,
        mean_pain_before=float(row["mean_pain_before"]),
        last_used=row["last_used"],
        later_sessions=row["later_sessions"],
        mean_relief_when_later=_float_or_none(row["mean_relief_when_later"]),
        mean_lasting_relief=_float_or_none(row["mean_lasting_relief"]),
    )


def _float_or_none(value) -> float | None:
    return None if value is None else float(value)


def _rank(summaries: list[PointSummary]) -> list[PointSummary]:
    return sorted(summaries, key=lambda s: (not s.enough_data, -s.mean_relief, -s.sessions, s.code))


def since_days(days: int | None) -> Filters:
    if days is None:
        return Filters()
    return Filters(since=timezone.now() - timedelta(days=days))


def welch_interval(a: PointSummary, b: PointSummary) -> Interval | None:
    """95 % Welch interval for mean relief of ``a`` minus mean relief of ``b``."""
    if a.sd is None or b.sd is None:
        return None
    var_a, var_b = a.sd**2 / a.sessions, b.sd**2 / b.sessions
    se = math.sqrt(var_a + var_b)
    difference = a.mean_relief - b.mean_relief
    if se == 0:
        return Interval(difference, difference)
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.sessions - 1) + var_b**2 / (b.sessions - 1))
    half = t_quantile(df) * se
    return Interval(difference - half, difference + half)


def sessions_to_settle(a: PointSummary, b: PointSummary, cap: int = 200) -> int | None:
    """Roughly how many more sessions of each point would make the interval exclude zero,
    if the current difference and spread held. None when that would take more than ``cap``."""
    difference = abs(a.mean_relief - b.mean_relief)
    if a.sd is None or b.sd is None:
        return None
    if difference == 0:
        return None
    z = scipy_stats.norm.ppf((1 + CONFIDENCE) / 2)
    needed = math.ceil(z**2 * (a.sd**2 + b.sd**2) / difference**2) + 1
    more = max(0, needed - min(a.sessions, b.sessions))
    return more if more <= cap else None


def compare(user, slug_a: str, slug_b: str, filters: Filters = Filters()) -> Comparison:
    by_slug = {
        summary.slug: summary for summary in point_summaries(user, filters, slugs=[slug_a, slug_b])
    }
    return compare_summaries(by_slug.get(slug_a), by_slug.get(slug_b))


def compare_summaries(a: PointSummary | None, b: PointSummary | None) -> Comparison:
    """A minus B, with Welch's interval; also for rest, summarised like a point."""
    if a is None or b is None:
        return Comparison(a=a, b=b)
    interval = welch_interval(a, b)
    return Comparison(
        a=a,
        b=b,
        difference=a.mean_relief - b.mean_relief,
        interval=interval,
        more_sessions_each=None
        if interval is None or not interval.spans_zero
        else sessions_to_settle(a, b),
    )


def trend_granularity(filters: Filters) -> str:
    """Days for up to a month, weeks beyond that, so the trend is readable rather than noisy."""
    if filters.since is not None and filters.since >= timezone.now() - timedelta(days=32):
        return "day"
    return "week"


def trend(
    user, filters: Filters = Filters(), by: str = "day", span: dict | None = None
) -> list[TrendRow]:
    """Mean pain before and after per day or week (weeks start on Monday), in the active zone.

    The days are counted in SQL (``local_days``), from the zone's offsets between the first and
    the last session of the period: ``span`` (``overview``'s result for the same filters, when
    the caller has it), or one aggregate first.
    """
    sessions = sessions_in(user, filters)
    if span is None:
        span = sessions.aggregate(first=Min("started_at"), last=Max("started_at"))
    if span["first"] is None:
        return []
    zone = timezone.get_current_timezone()
    if by == "week":
        bucket = local_days.local_week_number("started_at", zone, span["first"], span["last"])
        to_date = local_days.monday_from_week_number
    else:
        bucket = local_days.local_day_number("started_at", zone, span["first"], span["last"])
        to_date = local_days.day_from_number
    rows = (
        sessions.annotate(bucket=bucket)
        .values("bucket")
        .annotate(
            sessions=Count("pk"),
            mean_pain_before=Mean("pain_before"),
            mean_pain_after=Mean("pain_after"),
        )
        .order_by("bucket")
    )
    return [
        TrendRow(
            period=to_date(row["bucket"]),
            sessions=row["sessions"],
            mean_pain_before=float(row["mean_pain_before"]),
            mean_pain_after=float(row["mean_pain_after"]),
        )
        for row in rows
    ]


def overview(user, filters: Filters = Filters()) -> dict:
    """Totals for the summary: sessions, mean relief, first and last session."""
    return sessions_in(user, filters).aggregate(
        sessions=Count("pk"),
        mean_relief=Mean(F("pain_before") - F("pain_after")),
        first=Min("started_at"),
        last=Max("started_at"),
    )
