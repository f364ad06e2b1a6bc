"""The insights, compare and report pages tell the user's story honestly."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import PracticeSession
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def points(db):
    return {
        "bl40": PointFactory(code="BL40", slug="bl40", name_pinyin="Weizhong"),
        "li4": PointFactory(code="LI4", slug="li4", name_pinyin="Hegu"),
        "ki1": PointFactory(code="KI1", slug="ki1", name_pinyin="Yongquan"),
    }


def log_many(user, point, pairs, days_ago=1, **extra):
    for before, after in pairs:
        PracticeSessionFactory(
            user=user,
            points=[point],
            pain_before=before,
            pain_after=after,
            started_at=timezone.now() - timedelta(days=days_ago),
            **extra,
        )


def test_no_sessions_says_what_to_do_first(logged_in):
    response = logged_in.get("/journal/insights/")
    assert "No sessions yet" in response.text
    assert reverse("journal:new") in response.text
    assert "relief-chart-data" not in response.text


def test_few_sessions_encourage_without_a_ranking(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3), (6, 2)])
    response = logged_in.get("/journal/insights/")
    assert response.context["ranked"] == []
    assert "Keep going" in response.text
    assert "gave you the most relief" not in response.text
    assert "not enough sessions yet" in response.text


def test_summary_names_the_best_point_with_its_interval(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 4), (6, 3), (8, 5), (7, 5), (6, 3)])
    log_many(user, points["li4"], [(7, 6), (6, 6), (8, 7), (7, 6), (6, 5)])
    response = logged_in.get("/journal/insights/")
    best = response.context["best"]
    assert best.code == "BL40"
    text = " ".join(response.text.split())
    assert "Over the last 90 days," in text
    assert (
        "gave you the most relief: <strong>2.8 points</strong> on average over 5 sessions" in text
    )
    assert f"(95&nbsp;% interval {best.interval.low:.1f} to {best.interval.high:.1f})" in text
    assert "compare BL40 with LI4" in text


def test_ranked_points_come_before_thin_ones_and_charts_get_data(logged_in, user, points):
    log_many(user, points["li4"], [(7, 6)] * 5)
    log_many(user, points["ki1"], [(9, 1)] * 2)
    response = logged_in.get("/journal/insights/")
    assert [s.code for s in response.context["ranked"]] == ["LI4"]
    assert [s.code for s in response.context["thin"]] == ["KI1"]
    assert response.context["relief_chart"]["labels"] == ["LI4"]
    assert 'id="relief-chart-data"' in response.text
    assert 'id="trend-chart-data"' in response.text
    assert "<table" in response.text  # the charts' numbers are also in tables


def test_range_and_area_filters(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3)] * 5, days_ago=200, area="neck")
    response = logged_in.get("/journal/insights/", {"range": "30"})
    assert "No sessions in this period" in response.text
    response = logged_in.get("/journal/insights/", {"range": "all", "area": "neck"})
    assert response.context["best"].code == "BL40"
    response = logged_in.get("/journal/insights/", {"range": "all", "area": "lower-back"})
    assert response.context["overview"]["sessions"] == 0


def test_bad_filter_values_fall_back_to_defaults_not_an_error(logged_in, user, points):
    response = logged_in.get("/journal/insights/", {"range": "9999", "area": "<x>"})
    assert response.status_code == 200


def test_insights_query_count_is_the_same_for_10_and_1000_sessions(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 4)] * 10)
    with CaptureQueriesContext(connection) as few:
        logged_in.get("/journal/insights/")
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(
            user=user,
            started_at=timezone.now() - timedelta(hours=i + 1),
            pain_before=6,
            pain_after=i % 7,
            area="lower-back",
        )
        for i in range(990)
    )
    points["li4"].session_points.bulk_create(
        points["li4"].session_points.model(session=s, point=points["li4"]) for s in sessions
    )
    with CaptureQueriesContext(connection) as many:
        logged_in.get("/journal/insights/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_compare_gives_a_clear_verdict_when_the_interval_excludes_zero(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3), (6, 3), (8, 4), (7, 2), (6, 4)])
    log_many(user, points["li4"], [(7, 6), (6, 6), (8, 7), (7, 6), (6, 6)])
    response = logged_in.get("/journal/compare/", {"a": "li4", "b": "bl40"})
    text = " ".join(response.text.split())
    assert "BL40 gave you more relief:</strong> about 3.0 points more on average" in text
    interval = response.context["comparison"].advantage_interval
    assert interval.low > 0
    assert f"(95&nbsp;% interval {interval.low:.1f} to {interval.high:.1f})" in text


def test_compare_says_no_clear_difference_and_how_many_more_sessions(logged_in, user, points):
    log_many(user, points["bl40"], [(6, 4), (6, 3), (6, 5), (6, 2)])
    log_many(user, points["li4"], [(6, 5), (6, 3), (6, 5), (6, 4)])
    response = logged_in.get("/journal/compare/", {"a": "bl40", "b": "li4"})
    comparison = response.context["comparison"]
    assert comparison.interval.spans_zero
    assert "No clear difference yet." in response.text
    assert f"about <strong>{comparison.more_sessions_each} more session" in response.text


def test_compare_with_an_unused_point(logged_in, user, points):
    log_many(user, points["bl40"], [(6, 4)] * 3)
    response = logged_in.get("/journal/compare/", {"a": "bl40", "b": "ki1"})
    assert "you have not used KI1" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "bl40", "b": "bl40"}, "two different points"),
        ({"a": "zz", "b": "bl40"}, "not in the guides"),
    ],
)
def test_compare_explains_bad_choices(logged_in, points, params, message):
    response = logged_in.get("/journal/compare/", params)
    assert response.status_code == 200
    assert message in response.text


def test_insights_table_links_to_compare(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3)] * 5)
    log_many(user, points["li4"], [(7, 5)] * 5)
    response = logged_in.get("/journal/insights/")
    assert "/journal/compare/?a=bl40&amp;b=li4" in response.text


def test_report_shows_period_points_trend_and_only_flagged_notes(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3)], notes="Pain at night", show_in_report=True)
    log_many(user, points["bl40"], [(7, 3)], notes="private thought", show_in_report=False)
    log_many(user, points["li4"], [(5, 5)], days_ago=200, notes="too old", show_in_report=True)
    response = logged_in.get("/journal/report/")
    assert response.context["overview"]["sessions"] == 2
    assert "Pain at night" in response.text
    assert "private thought" not in response.text
    assert "too old" not in response.text
    assert "Pain per week" in response.text


def test_report_date_range_is_validated(logged_in):
    response = logged_in.get(
        "/journal/report/", {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.text


def test_seed_demo_creates_a_journal_with_a_clear_story(db, guides):
    call_command("seed_demo")
    demo = UserFactory._meta.model.objects.get(username="demo")
    assert demo.check_password("acupressure-demo")
    assert demo.practice_sessions.count() == 130
    call_command("seed_demo")  # running again resets rather than doubles
    assert demo.practice_sessions.count() == 130
    from journal import experiments, stats

    experiment = demo.experiments.get()
    assert experiment.status == "completed"
    assert experiments.arm_counts(experiment) == {"A": 5, "B": 5}
    assert experiments.result(experiment).a.sessions == 5

    ranked = [s for s in stats.point_summaries(demo) if s.enough_data]
    assert ranked[0].code == "BL40"
    assert ranked[-1].code == "KI1"
    assert stats.compare(demo, "bl40", "ki1").clear


@pytest.mark.parametrize(("period", "expected"), [("30", "day"), ("90", "week"), ("all", "week")])
def test_trend_is_daily_for_a_month_and_weekly_beyond(logged_in, user, points, period, expected):
    log_many(user, points["bl40"], [(7, 3)])
    assert logged_in.get("/journal/insights/", {"range": period}).context["trend_by"] == expected


def test_best_points_can_be_saved_as_a_routine(logged_in, user, points):
    log_many(user, points["bl40"], [(7, 3)] * 5)
    log_many(user, points["li4"], [(7, 5)] * 5)
    response = logged_in.get("/journal/insights/")
    assert "/journal/routines/new/?points=bl40,li4" in response.text
    form = logged_in.get("/journal/routines/new/?points=bl40,li4")
    assert form.status_code == 200
    assert "BL40" in form.text and "LI4" in form.text


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12"])
@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        ("2026-01-01", "9999-12-31", "date_to"),
        ("0001-01-01", "2026-01-01", "date_from"),
        ("1899-12-31", "2026-01-01", "date_from"),
        ("2026-01-01", "2101-01-01", "date_to"),
    ],
)
def test_report_dates_outside_1900_to_2100_are_explained_not_a_server_error(
    client, db, zone, date_from, date_to, field
):
    user = UserFactory()
    user.profile.time_zone = zone
    user.profile.save()
    client.force_login(user)
    client.raise_request_exception = False
    response = client.get("/journal/report/", {"date_from": date_from, "date_to": date_to})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: ["Choose a date between 1900 and 2100."]}


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_report_can_cover_the_whole_range(client, db, zone):
    user = UserFactory()
    user.profile.time_zone = zone
    user.profile.save()
    client.force_login(user)
    response = client.get("/journal/report/", {"date_from": "1900-01-01", "date_to": "2100-12-31"})
    assert response.status_code == 200
    assert response.context["form"].is_valid()
