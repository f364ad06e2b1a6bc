"""The queries behind rest, factors and adjusted relief: right rows, right sums, few queries."""

import statistics
from datetime import timedelta

import pytest
from django.utils import timezone
from scipy import stats as scipy_stats

from journal import adjusted_queries, stats
from journal.adjusted import SessionRow
from journal.models import Factor, SessionFactor
from journal.stats import Filters
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def points(db):
    return {
        "bl40": PointFactory(code="BL40", slug="bl40"),
        "li4": PointFactory(code="LI4", slug="li4"),
    }


@pytest.fixture
def painkiller(db):
    return Factor.objects.get(slug="painkiller", owner=None)


@pytest.fixture
def heat(db):
    return Factor.objects.get(slug="heat-or-cold", owner=None)


def log(user, points=(), before=6, after=4, hours_ago=1, factors=(), rest=False, **extra):
    extra.setdefault("started_at", timezone.now() - timedelta(hours=hours_ago))
    session = PracticeSessionFactory(
        user=user,
        points=list(points),
        pain_before=before,
        pain_after=after,
        rest_only=rest,
        **extra,
    )
    for factor in factors:
        SessionFactor.objects.create(session=session, factor=factor)
    return session


def test_model_rows_hold_points_factors_and_rest_newest_first(user, points, painkiller, heat):
    log(user, [points["bl40"]], 7, 3, hours_ago=3, factors=[painkiller])
    log(user, [points["bl40"], points["li4"]], 6, 5, hours_ago=2, factors=[painkiller, heat])
    log(user, [], 5, 4, hours_ago=1, rest=True)
    log(UserFactory(), [points["li4"]], 9, 0, factors=[heat])  # someone else's
    log(user, [points["li4"]], 9, 0, hours_ago=24 * 200)  # outside the period

    data = adjusted_queries.model_rows(user, stats.since_days(90))

    pk, hk = str(painkiller.pk), str(heat.pk)
    assert data.rows == [
        SessionRow(pain_before=5, pain_after=4, rest=True),
        SessionRow(6, 5, False, frozenset({"BL40", "LI4"}), frozenset({pk, hk})),
        SessionRow(7, 3, False, frozenset({"BL40"}), frozenset({pk})),
    ]
    assert data.factor_names == {pk: painkiller.name, hk: heat.name}
    assert data.capped is False


def test_model_rows_keep_only_the_most_recent_sessions_when_capped(user, points, painkiller):
    old = PointFactory(code="KI1", slug="ki1")
    log(user, [old], 8, 1, hours_ago=10, factors=[painkiller])
    same_time = timezone.now() - timedelta(hours=5)
    # A tie at the cut-off: the later-created session is kept, the other's factor left out.
    log(user, [points["li4"]], 6, 4, started_at=same_time, factors=[painkiller])
    log(user, [points["li4"]], 6, 4, started_at=same_time)
    log(user, [points["bl40"]], 7, 3, hours_ago=1, factors=[painkiller])

    data = adjusted_queries.model_rows(user, Filters(), limit=2)

    assert data.capped is True
    assert [row.points for row in data.rows] == [frozenset({"BL40"}), frozenset({"LI4"})]
    assert [row.factors for row in data.rows] == [frozenset({str(painkiller.pk)}), frozenset()]


def test_model_rows_take_three_queries(user, points, painkiller, django_assert_num_queries):
    for hours in range(5):
        log(user, [points["bl40"]], hours_ago=hours + 1, factors=[painkiller])
    with django_assert_num_queries(3):
        adjusted_queries.model_rows(user, Filters())


def test_single_point_only_still_counts_rest_sessions(user, points):
    log(user, [points["bl40"]], 7, 3)
    log(user, [points["bl40"], points["li4"]], 7, 3)
    log(user, [], 6, 5, rest=True)

    data = adjusted_queries.model_rows(user, Filters(single_point_only=True))
    assert sorted(row.rest for row in data.rows) == [False, True]
    totals = adjusted_queries.session_totals(user, Filters(single_point_only=True))
    assert totals.sessions == 2
    assert totals.rest.sessions == 1


def test_session_totals_match_the_raw_numbers(user, points):
    rest_pairs = [(6, 5), (7, 5), (5, 5), (8, 4)]
    for before, after in rest_pairs:
        log(user, [], before, after, rest=True, pain_later=after + 1)
    log(user, [points["bl40"]], 9, 3)

    totals = adjusted_queries.session_totals(user, Filters())

    reliefs = [b - a for b, a in rest_pairs]
    rest = totals.rest
    assert totals.sessions == 5
    assert totals.relief_sum == sum(reliefs) + 6
    assert totals.relief_squares == sum(r * r for r in reliefs) + 36
    assert totals.start_sum == sum(b for b, _ in rest_pairs) + 9
    assert rest.sessions == 4
    assert rest.mean_relief == pytest.approx(statistics.mean(reliefs))
    assert rest.sd == pytest.approx(statistics.stdev(reliefs))
    half = scipy_stats.t.ppf(0.975, 3) * statistics.stdev(reliefs) / 2
    assert rest.interval.low == pytest.approx(statistics.mean(reliefs) - half)
    assert rest.meaningful_share == pytest.approx(2 / 4)  # 7→5 and 8→4
    assert rest.later_sessions == 4
    assert rest.mean_lasting_relief == pytest.approx(statistics.mean(reliefs) - 1)


def test_no_rest_sessions_means_no_rest_summary(user, points):
    log(user, [points["bl40"]], 7, 3)
    assert adjusted_queries.session_totals(user, Filters()).rest is None


def test_factor_summaries_compare_with_and_without_by_welch(user, points, painkiller, heat):
    with_pairs = [(7, 2), (8, 3), (6, 3), (7, 4)]
    without_pairs = [(7, 6), (6, 5), (8, 6), (5, 5), (7, 4)]
    for before, after in with_pairs:
        log(user, [points["bl40"]], before, after, factors=[painkiller])
    for before, after in without_pairs:
        log(user, [points["li4"]], before, after)
    log(user, [points["li4"]], 6, 6, factors=[heat])
    log(UserFactory(), [points["li4"]], 9, 0, factors=[painkiller])

    totals = adjusted_queries.session_totals(user, Filters())
    summaries = adjusted_queries.factor_summaries(user, Filters(), totals)

    assert [s.name for s in summaries] == [painkiller.name, heat.name]  # the log form's order
    pain = summaries[0]
    with_relief = [b - a for b, a in with_pairs]
    without_relief = [b - a for b, a in [*without_pairs, (6, 6)]]
    assert pain.with_factor.sessions == 4
    assert pain.without_factor.sessions == 6
    assert pain.difference == pytest.approx(
        statistics.mean(with_relief) - statistics.mean(without_relief)
    )
    welch = scipy_stats.ttest_ind(with_relief, without_relief, equal_var=False)
    expected = welch.confidence_interval(0.95)
    assert pain.interval.low == pytest.approx(expected.low)
    assert pain.interval.high == pytest.approx(expected.high)
    assert pain.enough_data
    assert not summaries[1].enough_data  # heat: one session with it
    assert summaries[1].interval is None


def test_point_summaries_report_lasting_relief_over_rated_sessions(user, points):
    log(user, [points["bl40"]], 8, 3, pain_later=5)
    log(user, [points["bl40"]], 6, 4, pain_later=6)
    log(user, [points["bl40"]], 7, 7)

    (summary,) = stats.point_summaries(user, Filters())

    assert summary.later_sessions == 2
    assert summary.mean_relief_when_later == pytest.approx((5 + 2) / 2)
    assert summary.mean_lasting_relief == pytest.approx((3 + 0) / 2)
