"""When reminders fall: wall-clock time in the user's zone, across daylight-saving changes."""

from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone

import pytest

from journal import reminders
from journal.models import PracticePlan
from tests.factories import UserFactory

UTC = dt_timezone.utc


def plan_for(time_zone: str, days: str = "MO,TU,WE,TH,FR,SA,SU", at: time = time(18, 30)):
    user = UserFactory()
    user.profile.time_zone = time_zone
    user.profile.save()
    return PracticePlan.objects.create(
        user=user, reminders_on=True, reminder_days=days, reminder_time=at
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week_of_reminders(plan, start):
    return list(reminders.occurrences(plan, start, start + timedelta(days=7)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [
        ("UTC", utc(2026, 6, 1, 18, 30)),
        ("Europe/London", utc(2026, 6, 1, 17, 30)),  # BST, UTC+1
        ("America/New_York", utc(2026, 6, 1, 22, 30)),  # EDT, UTC-4
        ("Asia/Kolkata", utc(2026, 6, 1, 13, 0)),  # UTC+5:30
        ("Pacific/Auckland", utc(2026, 6, 1, 6, 30)),  # NZST, UTC+12
    ],
)
def test_reminder_time_is_wall_clock_time_in_the_users_zone(time_zone, expected):
    plan = plan_for(time_zone, days="MO")  # 1 June 2026 is a Monday
    assert week_of_reminders(plan, utc(2026, 6, 1, 0, 0) - timedelta(hours=14)) == [expected]


@pytest.mark.django_db
def test_london_reminder_stays_at_18_30_when_the_clocks_go_forward():
    plan = plan_for("Europe/London", days="SA,SU,MO")
    # The clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    assert week_of_reminders(plan, utc(2026, 3, 27)) == [
        utc(2026, 3, 28, 18, 30),  # GMT
        utc(2026, 3, 29, 17, 30),  # BST
        utc(2026, 3, 30, 17, 30),
    ]


@pytest.mark.django_db
def test_london_reminder_stays_at_18_30_when_the_clocks_go_back():
    plan = plan_for("Europe/London", days="SA,SU")
    # The clocks go back at 01:00 UTC on Sunday 25 October 2026.
    assert week_of_reminders(plan, utc(2026, 10, 23)) == [
        utc(2026, 10, 24, 17, 30),  # BST
        utc(2026, 10, 25, 18, 30),  # GMT
    ]


@pytest.mark.django_db
def test_new_york_reminder_follows_its_own_dst_dates():
    plan = plan_for("America/New_York", days="SU", at=time(9, 0))
    # New York changes on 8 March and 1 November 2026, weeks before and after London.
    assert week_of_reminders(plan, utc(2026, 3, 2)) == [utc(2026, 3, 8, 13, 0)]  # EDT
    assert week_of_reminders(plan, utc(2026, 3, 1) - timedelta(days=6)) == [
        utc(2026, 3, 1, 14, 0)  # EST
    ]
    assert week_of_reminders(plan, utc(2026, 10, 26)) == [utc(2026, 11, 1, 14, 0)]  # EST


@pytest.mark.django_db
def test_a_time_skipped_by_the_clocks_going_forward_comes_an_hour_later():
    # 01:30 does not exist in London on 29 March 2026; RFC 5545 reads it with the offset from
    # before the change (GMT), so the reminder falls at 02:30 BST.
    plan = plan_for("Europe/London", days="SU", at=time(1, 30))
    assert week_of_reminders(plan, utc(2026, 3, 23)) == [utc(2026, 3, 29, 1, 30)]


@pytest.mark.django_db
def test_a_time_that_happens_twice_when_the_clocks_go_back_is_reminded_once():
    # 01:30 happens twice in London on 25 October 2026; RFC 5545 takes the first (BST).
    plan = plan_for("Europe/London", days="SU", at=time(1, 30))
    assert week_of_reminders(plan, utc(2026, 10, 19)) == [utc(2026, 10, 25, 0, 30)]


@pytest.mark.django_db
def test_only_the_chosen_days_have_reminders():
    plan = plan_for("UTC", days="MO,WE,FR")
    found = week_of_reminders(plan, utc(2026, 6, 1))  # from Monday 00:00, exclusive
    assert [at.strftime("%a") for at in found] == ["Mon", "Wed", "Fri"]


@pytest.mark.django_db
def test_no_reminders_when_they_are_off():
    plan = plan_for("UTC")
    plan.reminders_on = False
    assert week_of_reminders(plan, utc(2026, 6, 1)) == []
    assert reminders.next_occurrence(plan, utc(2026, 6, 1)) is None


@pytest.mark.django_db
def test_due_is_the_latest_reminder_within_the_window_not_yet_emailed():
    plan = plan_for("Europe/London", days="MO")
    at = utc(2026, 6, 1, 17, 30)
    window = timedelta(minutes=15)
    assert reminders.due_occurrence(plan, at - timedelta(minutes=1), window) is None
    assert reminders.due_occurrence(plan, at, window) == at
    assert reminders.due_occurrence(plan, at + timedelta(minutes=14), window) == at
    assert reminders.due_occurrence(plan, at + timedelta(minutes=16), window) is None
    plan.last_emailed_for = at
    assert reminders.due_occurrence(plan, at + timedelta(minutes=5), window) is None


@pytest.mark.django_db
def test_next_reminder_is_shown_in_the_right_order_across_midnight():
    plan = plan_for("Asia/Tokyo", days="TU", at=time(7, 0))
    # Monday 23:00 UTC is already Tuesday 08:00 in Tokyo, after that day's 07:00.
    assert reminders.next_occurrence(plan, utc(2026, 6, 1, 23, 0)) == utc(2026, 6, 8, 22, 0)
