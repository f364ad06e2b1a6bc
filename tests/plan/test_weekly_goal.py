"""The weekly goal: this week's sessions and the streak of weeks that reached the goal."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal import habits
from journal.models import PracticePlan, PracticeSession
from tests.factories import PracticeSessionFactory, UserFactory

NEW_YORK = ZoneInfo("America/New_York")
TODAY = date(2026, 11, 25)  # a Wednesday; its week runs Monday 23 to Sunday 29 November


@pytest.fixture
def user(db):
    user = UserFactory()
    user.profile.time_zone = "America/New_York"
    user.profile.save()
    return user


def log(user, day: date, at: time = time(12, 0), count: int = 1):
    for _ in range(count):
        PracticeSessionFactory(user=user, started_at=datetime.combine(day, at, tzinfo=NEW_YORK))


def progress(user, goal=3, today=TODAY) -> habits.WeeklyProgress:
    with timezone.override(NEW_YORK):
        return habits.weekly_progress(user, goal, today=today)


def monday(weeks_ago: int) -> date:
    return TODAY - timedelta(days=TODAY.weekday(), weeks=weeks_ago)


def test_an_empty_journal_has_nothing_this_week_and_no_streak(user):
    assert progress(user) == habits.WeeklyProgress(goal=3, this_week=0, streak=0)


def test_this_week_counts_sessions_since_monday(user):
    log(user, monday(0), time(0, 5))
    log(user, TODAY, count=1)
    log(user, monday(0) - timedelta(days=1), time(23, 55))  # Sunday night: last week
    assert progress(user).this_week == 2


def test_weeks_that_met_the_goal_in_a_row_make_the_streak(user):
    for weeks_ago in (1, 2, 3):
        log(user, monday(weeks_ago), count=3)
    log(user, monday(5), count=3)  # week 4 is empty, so week 5 is not part of the streak
    assert progress(user).streak == 3


def test_the_unfinished_week_does_not_break_the_streak(user):
    log(user, monday(1), count=3)
    log(user, TODAY, count=1)
    result = progress(user)
    assert (result.this_week, result.met, result.streak) == (1, False, 1)


def test_the_current_week_joins_the_streak_once_it_meets_the_goal(user):
    log(user, monday(1), count=3)
    log(user, TODAY, count=3)
    result = progress(user)
    assert (result.this_week, result.met, result.streak) == (3, True, 2)


def test_a_week_below_the_goal_ends_the_streak(user):
    log(user, monday(1), count=2)
    log(user, monday(2), count=5)
    assert progress(user).streak == 0


def test_an_empty_last_week_ends_the_streak_even_if_earlier_weeks_met_it(user):
    log(user, monday(2), count=3)
    log(user, monday(3), count=3)
    assert progress(user).streak == 0


def test_more_sessions_than_the_goal_still_count_as_one_week(user):
    log(user, monday(1), count=10)
    assert progress(user).streak == 1


def test_week_boundaries_are_in_the_users_zone_not_utc(user):
    # Sunday 22 November 23:30 in New York is Monday 04:30 UTC: it belongs to last week.
    log(user, monday(0) - timedelta(days=1), time(23, 30), count=3)
    result = progress(user)
    assert (result.this_week, result.streak) == (0, 1)


def test_week_boundaries_across_the_november_clock_change(user):
    # New York's clocks went back on Sunday 1 November 2026.
    log(user, date(2026, 11, 1), time(23, 30), count=3)  # the last evening of 26 Oct–1 Nov
    assert progress(user, today=date(2026, 11, 4)).streak == 1
    assert progress(user, today=date(2026, 11, 4)).this_week == 0


def test_the_streak_counts_back_across_a_year_end(user):
    log(user, date(2025, 12, 29), count=2)  # Monday of the week that spans the new year
    log(user, date(2026, 1, 1), count=1)
    log(user, date(2025, 12, 22), count=3)
    assert progress(user, goal=3, today=date(2026, 1, 7)).streak == 2


def test_goal_of_one_and_twenty_one(user):
    log(user, monday(1), count=1)
    assert progress(user, goal=1).streak == 1
    assert progress(user, goal=21).streak == 0


def test_other_peoples_sessions_do_not_count(user):
    other = UserFactory()
    log(other, monday(1), count=3)
    assert progress(user).streak == 0


def test_progress_is_two_queries_whatever_the_history(user, client):
    log(user, monday(1), count=3)
    with CaptureQueriesContext(connection) as few:
        habits.weekly_goal(user)
        progress(user)
    for weeks_ago in range(2, 40):
        log(user, monday(weeks_ago), count=3)
    with CaptureQueriesContext(connection) as many:
        habits.weekly_goal(user)
        result = progress(user)
    assert result.streak == 39
    assert len(few.captured_queries) == len(many.captured_queries) == 2


def test_default_goal_is_three_without_creating_a_plan(user):
    assert habits.weekly_goal(user) == 3
    assert not PracticePlan.objects.filter(user=user).exists()


def test_journal_page_shows_this_weeks_progress_and_the_streak(client, user):
    PracticePlan.objects.create(user=user, weekly_goal=4)
    PracticeSessionFactory(user=user, started_at=timezone.now())
    PracticeSessionFactory(user=user, started_at=timezone.now())
    client.force_login(user)
    response = client.get("/journal/")
    assert "2 of 4 sessions this week" in response.text
    assert "2 to go" in response.text
    assert "No streak running yet" in response.text
    assert "Weeks run Monday to Sunday in your time zone" in response.text
    assert '<progress value="2" max="4"' in response.text


def test_journal_page_says_when_the_goal_is_reached(client, user):
    PracticePlan.objects.create(user=user, weekly_goal=1)
    PracticeSessionFactory(user=user, started_at=timezone.now())
    PracticeSessionFactory(user=user, started_at=timezone.now())
    client.force_login(user)
    response = client.get("/journal/")
    assert "2 of 1 session this week</strong>: goal reached." in response.text
    assert "1 week in a row</strong> at your goal, this week included." in response.text
    assert '<progress value="1" max="1"' in response.text


def test_an_empty_journal_still_shows_the_goal(client, user):
    client.force_login(user)
    assert "0 of 3 sessions this week" in client.get("/journal/").text


def test_a_filtered_list_leaves_the_goal_out(client, user):
    client.force_login(user)
    response = client.get("/journal/", {"date_from": "2026-01-01"})
    assert "sessions this week" not in response.text


def test_a_streak_longer_than_a_year_is_counted_to_a_year_and_says_so(user, client):
    PracticeSession.objects.bulk_create(
        PracticeSession(
            user=user,
            started_at=datetime.combine(monday(weeks_ago), time(9, 0), tzinfo=NEW_YORK),
            pain_before=6,
            pain_after=4,
        )
        for weeks_ago in range(1, 80)
        for _ in range(3)
    )
    result = progress(user)
    assert (result.streak, result.streak_capped) == (habits.STREAK_WEEKS_MAX, True)
    client.force_login(user)
    with time_machine.travel(datetime.combine(TODAY, time(12, 0), tzinfo=NEW_YORK), tick=False):
        response = client.get("/journal/")
    assert f"{habits.STREAK_WEEKS_MAX} or more weeks in a row" in response.text


def test_a_streak_within_the_year_is_exact(user):
    for weeks_ago in range(1, 52):
        log(user, monday(weeks_ago), count=3)
    result = progress(user)
    assert (result.streak, result.streak_capped) == (51, False)
