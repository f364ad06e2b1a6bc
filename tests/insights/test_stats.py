"""The statistics module, checked against an independent computation on the raw numbers."""

import math
import statistics
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from journal import stats
from journal.models import PracticeSession, SessionPoint
from journal.stats import Filters
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def point_a(db):
    return PointFactory(code="BL40", slug="bl40")


@pytest.fixture
def point_b(db):
    return PointFactory(code="LI4", slug="li4")


def log(user, points, before, after, days_ago=1, **extra):
    return PracticeSessionFactory(
        user=user,
        points=points,
        pain_before=before,
        pain_after=after,
        started_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def expected_summary(pairs):
    reliefs = [before - after for before, after in pairs]
    n = len(reliefs)
    mean = statistics.mean(reliefs)
    sd = statistics.stdev(reliefs) if n >= 2 else None
    interval = (
        scipy_stats.t.interval(0.95, n - 1, loc=mean, scale=sd / math.sqrt(n))
        if n >= 2 and sd > 0
        else None
    )
    meaningful = sum(
        1
        for (before, after), r in zip(pairs, reliefs, strict=True)
        if r >= 2 or (r > 0 and r >= 0.3 * before)
    )
    return n, mean, sd, interval, meaningful / n


def test_summary_matches_an_independent_computation(user, point_a):
    pairs = [(7, 4), (6, 5), (8, 3), (5, 5), (9, 6), (4, 2)]
    for before, after in pairs:
        log(user, [point_a], before, after)
    (summary,) = stats.point_summaries(user)
    n, mean, sd, interval, share = expected_summary(pairs)
    assert summary.sessions == n
    assert summary.mean_relief == pytest.approx(mean)
    assert summary.sd == pytest.approx(sd)
    assert (summary.interval.low, summary.interval.high) == pytest.approx(interval)
    assert summary.meaningful_share == pytest.approx(share)
    assert summary.mean_pain_before == pytest.approx(statistics.mean(b for b, _ in pairs))


def test_no_sessions_gives_no_rows(user):
    assert stats.point_summaries(user) == []
    assert stats.overview(user)["sessions"] == 0
    assert stats.trend(user) == []


def test_one_session_has_a_mean_but_no_interval(user, point_a):
    log(user, [point_a], 6, 3)
    (summary,) = stats.point_summaries(user)
    assert (summary.sessions, summary.mean_relief, summary.sd, summary.interval) == (
        1,
        3,
        None,
        None,
    )
    assert not summary.enough_data


def test_two_sessions_give_the_widest_interval(user, point_a):
    log(user, [point_a], 6, 3)
    log(user, [point_a], 6, 5)
    (summary,) = stats.point_summaries(user)
    expected = scipy_stats.t.interval(0.95, 1, loc=2, scale=statistics.stdev([3, 1]) / math.sqrt(2))
    assert (summary.interval.low, summary.interval.high) == pytest.approx(expected)


def test_identical_values_give_a_zero_width_interval(user, point_a):
    for _ in range(5):
        log(user, [point_a], 6, 4)
    (summary,) = stats.point_summaries(user)
    assert summary.sd == 0
    assert (summary.interval.low, summary.interval.high) == (2, 2)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (8, 6, True),
        (3, 2, True),
        (10, 8, True),
        (10, 9, False),
        (2, 2, False),
        (0, 0, False),
        (4, 5, False),
    ],
)
def test_meaningful_relief_is_two_points_or_thirty_percent(
    user, point_a, before, after, meaningful
):
    log(user, [point_a], before, after)
    (summary,) = stats.point_summaries(user)
    assert summary.meaningful_share == (1.0 if meaningful else 0.0)


def test_points_with_few_sessions_rank_after_the_rest(user, point_a, point_b):
    for _ in range(5):
        log(user, [point_a], 6, 5)
    for _ in range(2):
        log(user, [point_b], 9, 2)
    ranked = [s.code for s in stats.point_summaries(user)]
    assert ranked == ["BL40", "LI4"]


def test_filters_for_date_area_and_single_point_sessions(user, point_a, point_b):
    log(user, [point_a], 6, 2, days_ago=2, area="neck")
    log(user, [point_a, point_b], 6, 5, days_ago=2, area="lower-back")
    log(user, [point_a], 6, 6, days_ago=100, area="lower-back")
    recent = Filters(since=timezone.now() - timedelta(days=30))
    assert {s.code: s.sessions for s in stats.point_summaries(user, recent)} == {
        "BL40": 2,
        "LI4": 1,
    }
    single = Filters(single_point_only=True)
    assert {s.code: s.sessions for s in stats.point_summaries(user, single)} == {"BL40": 2}
    neck = Filters(area="neck")
    assert [(s.code, s.mean_relief) for s in stats.point_summaries(user, neck)] == [("BL40", 4)]
    until = Filters(until=timezone.now() - timedelta(days=50))
    assert [s.sessions for s in stats.point_summaries(user, until)] == [1]


def test_other_users_sessions_never_count(user, point_a):
    log(UserFactory(), [point_a], 9, 0)
    assert stats.point_summaries(user) == []


def test_compare_matches_welchs_interval(user, point_a, point_b):
    a_pairs = [(7, 3), (6, 3), (8, 4), (7, 2), (6, 4), (7, 3)]
    b_pairs = [(7, 6), (6, 6), (8, 7), (7, 5), (6, 6)]
    for before, after in a_pairs:
        log(user, [point_a], before, after)
    for before, after in b_pairs:
        log(user, [point_b], before, after)
    comparison = stats.compare(user, "bl40", "li4")
    a = [b - a for b, a in a_pairs]
    b = [b - a for b, a in b_pairs]
    expected = scipy_stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert comparison.difference == pytest.approx(statistics.mean(a) - statistics.mean(b))
    assert (comparison.interval.low, comparison.interval.high) == pytest.approx(
        (expected.low, expected.high)
    )
    assert comparison.clear and comparison.better.code == "BL40"
    assert comparison.more_sessions_each is None


def test_compare_with_overlapping_results_is_not_clear_and_estimates_sessions(
    user, point_a, point_b
):
    for before, after in [(6, 4), (6, 5), (6, 3), (6, 5)]:
        log(user, [point_a], before, after)
    for before, after in [(6, 5), (6, 4), (6, 5), (6, 3)]:
        log(user, [point_b], before, after)
    comparison = stats.compare(user, "bl40", "li4")
    assert comparison.interval.spans_zero
    assert not comparison.clear and comparison.better is None
    assert comparison.more_sessions_each is None or comparison.more_sessions_each > 0


def test_compare_with_a_point_never_used(user, point_a, point_b):
    log(user, [point_a], 6, 4)
    comparison = stats.compare(user, "bl40", "li4")
    assert comparison.a.code == "BL40" and comparison.b is None
    assert comparison.interval is None


def test_trend_per_day_in_the_users_time_zone(user, point_a):
    timezone.activate("America/New_York")
    try:
        # 02:30 UTC on 10 March 2026 is the evening of 9 March in New York.
        late = timezone.datetime(2026, 3, 10, 2, 30, tzinfo=timezone.get_fixed_timezone(0))
        PracticeSessionFactory(
            user=user, points=[point_a], pain_before=8, pain_after=4, started_at=late
        )
        PracticeSessionFactory(
            user=user,
            points=[point_a],
            pain_before=6,
            pain_after=4,
            started_at=late - timedelta(hours=3),
        )
        (row,) = stats.trend(user)
        assert str(row.period) == "2026-03-09"
        assert (row.sessions, row.mean_pain_before, row.mean_pain_after) == (2, 7, 4)
    finally:
        timezone.deactivate()


def test_trend_per_week_starts_on_monday(user, point_a):
    wednesday = timezone.datetime(2026, 11, 18, 12, tzinfo=timezone.get_fixed_timezone(0))
    log(user, [point_a], 6, 4).delete()
    PracticeSessionFactory(user=user, points=[point_a], started_at=wednesday)
    (row,) = stats.trend(user, by="week")
    assert str(row.period) == "2026-11-16"


def test_query_count_does_not_grow_with_sessions(user, point_a, point_b):
    for _ in range(10):
        log(user, [point_a, point_b], 6, 4)
    with CaptureQueriesContext(connection) as few:
        stats.point_summaries(user)
        stats.trend(user)
        stats.overview(user)
    bulk_log(user, point_a, 990)
    with CaptureQueriesContext(connection) as many:
        stats.point_summaries(user)
        stats.trend(user)
        stats.overview(user)
    # The summaries group by point, then read the names of the points used (two queries); the
    # trend reads the period's first and last session, then groups (two queries).
    assert len(few.captured_queries) == len(many.captured_queries) == 5


def bulk_log(user, point, count):
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(
            user=user,
            started_at=timezone.now() - timedelta(minutes=i + 1),
            pain_before=i % 11,
            pain_after=(i * 7) % 11,
            area="lower-back",
        )
        for i in range(count)
    )
    SessionPoint.objects.bulk_create(SessionPoint(session=s, point=point) for s in sessions)


journals = st.lists(
    st.tuples(
        st.sets(st.sampled_from(["bl40", "li4"]), min_size=1),
        st.integers(0, 10),
        st.integers(0, 10),
    ),
    min_size=0,
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(journal=journals)
def test_random_journals_agree_with_the_statistics_module(point_a, point_b, journal):
    user = UserFactory()
    by_slug = {"bl40": point_a, "li4": point_b}
    for slugs, before, after in journal:
        log(user, [by_slug[slug] for slug in sorted(slugs)], before, after)
    summaries = {s.slug: s for s in stats.point_summaries(user)}
    for slug in ["bl40", "li4"]:
        pairs = [(before, after) for slugs, before, after in journal if slug in slugs]
        if not pairs:
            assert slug not in summaries
            continue
        n, mean, sd, interval, share = expected_summary(pairs)
        summary = summaries[slug]
        assert summary.sessions == n
        assert summary.mean_relief == pytest.approx(mean)
        assert summary.meaningful_share == pytest.approx(share)
        if sd is None:
            assert summary.interval is None
        else:
            assert summary.sd == pytest.approx(sd, abs=1e-9)
            if interval is not None:
                assert (summary.interval.low, summary.interval.high) == pytest.approx(interval)
