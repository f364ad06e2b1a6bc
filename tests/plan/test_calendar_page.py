"""The month calendar at /journal/calendar/: sessions and relief per day, in the user's zone."""

import re
from datetime import date, datetime
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal import habits
from tests.factories import PracticeSessionFactory, UserFactory

UTC = dt_timezone.utc


@pytest.fixture
def user(db):
    user = UserFactory()
    user.profile.time_zone = "America/New_York"
    user.profile.save()
    return user


def log(user, when, before=6, after=4):
    return PracticeSessionFactory(user=user, started_at=when, pain_before=before, pain_after=after)


def day_of(calendar, day: date) -> habits.CalendarDay:
    return next(d for week in calendar.weeks for d in week if d.day == day and d.in_month)


def test_days_count_sessions_and_average_relief(logged_in, user):
    log(user, datetime(2026, 3, 10, 14, 0, tzinfo=UTC), 7, 4)
    log(user, datetime(2026, 3, 10, 20, 0, tzinfo=UTC), 6, 4)
    response = logged_in.get("/journal/calendar/", {"month": "2026-03"})
    day = day_of(response.context["calendar"], date(2026, 3, 10))
    assert (day.sessions, day.mean_relief) == (2, 2.5)
    assert "10 March: 2 sessions, average relief 2.5 points" in response.text
    assert "+2.5" in response.text


def test_a_late_evening_session_counts_on_the_users_own_day(logged_in, user):
    # 02:30 UTC on 10 March is 21:30 on 9 March in New York.
    log(user, datetime(2026, 3, 10, 2, 30, tzinfo=UTC))
    calendar = logged_in.get("/journal/calendar/", {"month": "2026-03"}).context["calendar"]
    assert day_of(calendar, date(2026, 3, 9)).sessions == 1
    assert day_of(calendar, date(2026, 3, 10)).sessions == 0


def test_month_edges_follow_the_users_zone(logged_in, user):
    log(user, datetime(2026, 4, 1, 3, 0, tzinfo=UTC))  # 23:00 on 31 March in New York
    march = logged_in.get("/journal/calendar/", {"month": "2026-03"}).context["calendar"]
    april = logged_in.get("/journal/calendar/", {"month": "2026-04"}).context["calendar"]
    assert (march.sessions, april.sessions) == (1, 0)
    assert day_of(march, date(2026, 3, 31)).sessions == 1


@pytest.mark.parametrize(
    "started",
    [
        datetime(2026, 3, 8, 4, 59, tzinfo=UTC),  # 23:59 on 7 March, EST
        datetime(2026, 3, 8, 5, 0, tzinfo=UTC),  # 00:00 on 8 March, the day the clocks change
        datetime(2026, 3, 9, 3, 59, tzinfo=UTC),  # 23:59 on 8 March, EDT
        datetime(2026, 3, 9, 4, 0, tzinfo=UTC),  # 00:00 on 9 March
        datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
    ],
)
def test_calendar_counts_match_the_journal_list_for_the_same_day(logged_in, user, started):
    log(user, started)
    log(user, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    response = logged_in.get("/journal/calendar/", {"month": "2026-03"})
    for week in response.context["calendar"].weeks:
        for day in week:
            if not day.in_month:
                continue
            listed = logged_in.get(day.list_url).context["page"].paginator.count
            assert listed == day.sessions, day.day


def test_days_with_sessions_link_to_the_journal_filtered_to_that_day(logged_in, user):
    log(user, datetime(2026, 3, 10, 14, 0, tzinfo=UTC))
    response = logged_in.get("/journal/calendar/", {"month": "2026-03"})
    assert 'href="/journal/?date_from=2026-03-10&amp;date_to=2026-03-10"' in response.text
    assert response.text.count('class="cal-day cal-relief-') == 1


def test_the_grid_is_a_table_with_weekday_headers_and_weeks_from_monday(logged_in):
    response = logged_in.get("/journal/calendar/", {"month": "2026-03"})
    headers = re.findall(r'<th scope="col">.*?class="visually-hidden">(\w+)<', response.text)
    assert headers == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    weeks = response.context["calendar"].weeks
    assert all(week[0].day.weekday() == 0 for week in weeks)
    # 1 March 2026 is a Sunday: the first row is six empty cells, then the 1st.
    assert [d.in_month for d in weeks[0]] == [False] * 6 + [True]
    assert "<caption>March 2026." in response.text


def test_colour_follows_the_average_relief_and_the_text_says_it(logged_in, user):
    log(user, datetime(2026, 3, 2, 14, 0, tzinfo=UTC), 7, 4)  # +3: good
    log(user, datetime(2026, 3, 3, 14, 0, tzinfo=UTC), 5, 4)  # +1: some
    log(user, datetime(2026, 3, 4, 14, 0, tzinfo=UTC), 4, 4)  # 0: none
    log(user, datetime(2026, 3, 5, 14, 0, tzinfo=UTC), 3, 5)  # -2: none, worse
    response = logged_in.get("/journal/calendar/", {"month": "2026-03"})
    calendar = response.context["calendar"]
    levels = [day_of(calendar, date(2026, 3, d)).relief_level for d in (2, 3, 4, 5)]
    assert levels == ["good", "some", "none", "none"]
    assert "average relief 3.0 points" in response.text
    assert "no change in pain on average" in response.text
    assert "pain 2.0 points higher on average" in response.text
    assert "\u22122.0" in response.text


@pytest.mark.parametrize(("mean_relief", "level"), [(1.96, "good"), (1.94, "some"), (0.04, "none")])
def test_a_rounded_average_is_coloured_as_shown(mean_relief, level):
    day = habits.CalendarDay(
        day=date(2026, 3, 2), in_month=True, is_today=False, sessions=3, mean_relief=mean_relief
    )
    assert day.relief_level == level


def test_month_summary_is_weighted_by_sessions(logged_in, user):
    log(user, datetime(2026, 3, 2, 14, 0, tzinfo=UTC), 6, 2)
    log(user, datetime(2026, 3, 2, 15, 0, tzinfo=UTC), 6, 2)
    log(user, datetime(2026, 3, 9, 14, 0, tzinfo=UTC), 6, 5)
    calendar = logged_in.get("/journal/calendar/", {"month": "2026-03"}).context["calendar"]
    assert calendar.sessions == 3
    assert calendar.days_practised == 2
    assert calendar.mean_relief == pytest.approx(3.0)


def test_the_month_is_one_aggregate_query_whatever_the_number_of_sessions(
    user, django_assert_num_queries
):
    for day in range(1, 29):
        log(user, datetime(2026, 2, day, 14, 0, tzinfo=UTC))
    with timezone.override(ZoneInfo("America/New_York")), django_assert_num_queries(1):
        calendar = habits.month_calendar(user, date(2026, 2, 1), today=date(2026, 3, 5))
    assert calendar.sessions == 28


def test_other_peoples_sessions_never_appear(logged_in, user):
    log(UserFactory(), datetime(2026, 3, 10, 14, 0, tzinfo=UTC))
    assert (
        logged_in.get("/journal/calendar/", {"month": "2026-03"}).context["calendar"].sessions == 0
    )


def test_previous_and_next_month_links(logged_in):
    response = logged_in.get("/journal/calendar/", {"month": "2026-01"})
    assert 'href="?month=2025-12" rel="prev"' in response.text
    assert 'href="?month=2026-02" rel="next"' in response.text


def test_no_next_link_from_the_current_month(logged_in):
    this_month = timezone.localdate(timezone=ZoneInfo("America/New_York")).strftime("%Y-%m")
    response = logged_in.get("/journal/calendar/")
    assert response.context["calendar"].month.strftime("%Y-%m") == this_month
    assert 'rel="next"' not in response.text


def test_today_is_marked_for_screen_readers(logged_in):
    assert 'aria-current="date"' in logged_in.get("/journal/calendar/").text


@pytest.mark.parametrize(
    "month",
    [
        "2026-13",
        "2026-00",
        "26-03",
        "2026-3",
        "March",
        "0000-01",
        "9999-12",
        "2026-03-01",
        "<b>",
        "２０２６-０３",
    ],
)
def test_an_unreadable_month_is_explained_and_this_month_shown(logged_in, month):
    response = logged_in.get("/journal/calendar/", {"month": month})
    assert response.status_code == 200
    assert "We could not read that month" in response.text
    this_month = timezone.localdate(timezone=ZoneInfo("America/New_York")).replace(day=1)
    assert response.context["calendar"].month == this_month


def test_the_journal_list_links_to_the_calendar(logged_in):
    assert 'href="/journal/calendar/"' in logged_in.get("/journal/").text


def test_the_calendar_needs_log_in(client, db):
    response = client.get("/journal/calendar/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
