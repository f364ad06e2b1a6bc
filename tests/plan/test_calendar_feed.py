"""The private calendar feed: valid RFC 5545, no log-in, and a token the user can revoke."""

import hashlib
from datetime import date, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from journal import revocation
from journal.models import PracticePlan
from tests.factories import (
    PracticeSessionFactory,
    PublicRoutineFactory,
    RoutineFactory,
    UserFactory,
)


@pytest.fixture
def plan(db):
    user = UserFactory(username="maria")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    plan = PracticePlan.objects.create(
        user=user,
        reminders_on=True,
        reminder_days="MO,WE,FR",
        reminder_time=time(18, 30),
        reminder_routine=PublicRoutineFactory(slug="lower-back-five-minutes", title="Five minutes"),
    )
    plan.raw_feed_token = revocation.new_feed_address(plan)  # what the settings page showed once
    return plan


def feed_url(plan) -> str:
    return reverse("calendar_feed", args=[plan.raw_feed_token])


def parse(response) -> Calendar:
    return Calendar.from_ical(response.content)


def test_feed_is_a_calendar_file_with_no_caching(client, plan):
    response = client.get(feed_url(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")


def test_feed_needs_no_log_in_and_lives_outside_the_private_areas(client, plan):
    url = feed_url(plan)
    assert not url.startswith(("/journal/", "/accounts/"))
    assert client.get(url).status_code == 200


def test_feed_has_a_weekly_event_on_the_reminder_days_in_the_users_zone(client, plan):
    calendar = parse(client.get(feed_url(plan)))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    [event] = calendar.events
    assert event.rrules[0]["FREQ"] == ["WEEKLY"]
    assert event.rrules[0]["BYDAY"] == ["MO", "WE", "FR"]
    assert event.start.time() == time(18, 30)
    assert str(event.start.tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.start.strftime("%a") in {"Mon", "Wed", "Fri"}
    assert event.end - event.start >= timedelta(minutes=1)
    assert event["SUMMARY"] == "Acupressure: Five minutes"
    assert event["UID"] and event["DTSTAMP"]


def test_feed_defines_the_time_zone_it_uses(client, plan):
    calendar = parse(client.get(feed_url(plan)))
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()


def test_feed_occurrences_stay_at_18_30_across_the_clock_change(client, plan):
    """Expand the recurrence the way a calendar app does, around the first March change after
    the event starts (London's clocks go forward on the last Sunday of March, 25th to 31st)."""
    event = parse(client.get(feed_url(plan))).events[0]
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.start)
    start = event.start
    year = start.year if (start.month, start.day) < (3, 22) else start.year + 1
    march = rule.between(
        start.replace(year=year, month=3, day=22), start.replace(year=year, month=4, day=3)
    )
    assert march and all(at.time() == time(18, 30) for at in march)
    assert {at.utcoffset() for at in march} == {timedelta(0), timedelta(hours=1)}


def test_description_links_to_the_suggested_routine_with_an_absolute_address(client, plan):
    event = parse(client.get(feed_url(plan))).events[0]
    description = str(event["DESCRIPTION"])
    assert "Five minutes" in description
    assert "http://testserver/" in description
    assert "lower-back-five-minutes" in description
    assert str(event["URL"]).startswith("http://testserver/")


def test_a_users_own_routine_can_be_suggested(client, plan):
    plan.reminder_routine = RoutineFactory(owner=plan.user, title="My evening stretch")
    plan.save()
    event = parse(client.get(feed_url(plan))).events[0]
    assert event["SUMMARY"] == "Acupressure: My evening stretch"


def test_without_a_routine_the_event_links_to_logging_a_session(client, plan):
    plan.reminder_routine = None
    plan.save()
    event = parse(client.get(feed_url(plan))).events[0]
    assert event["SUMMARY"] == "Acupressure practice"
    assert "http://testserver/journal/new/" in str(event["DESCRIPTION"])


def test_with_reminders_off_the_feed_is_still_a_valid_calendar_without_events(client, plan):
    plan.reminders_on = False
    plan.save()
    calendar = parse(client.get(feed_url(plan)))
    assert calendar.events == []
    assert calendar.timezones  # RFC 5545 needs at least one component
    calendar.validate()


def test_first_occurrence_is_on_a_reminder_day_from_when_the_plan_was_saved(client, plan):
    PracticePlan.objects.filter(pk=plan.pk).update(
        updated_at=plan.updated_at.replace(year=2026, month=11, day=24, hour=12)  # a Tuesday
    )
    event = parse(client.get(feed_url(plan))).events[0]
    assert event.start.date() == date(2026, 11, 25)  # the Wednesday after


def test_wrong_token_is_404(client, plan):
    assert client.get(reverse("calendar_feed", args=["not-the-token"])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[plan.raw_feed_token[:-1]])).status_code == 404
    # Nor does the stored hash work as an address.
    assert client.get(reverse("calendar_feed", args=[plan.feed_token_hash])).status_code == 404


def test_making_a_new_address_shows_it_once_and_revokes_the_old_one(client, plan):
    old = feed_url(plan)
    client.force_login(plan.user)
    response = client.post(reverse("new_feed_address"))
    assert response.status_code == 200
    assert "it will not be shown again" in response.text
    new = response.context["feed_url"].removeprefix("http://testserver")
    assert new != old and new in response.text
    assert old not in response.text
    assert new not in client.get(reverse("account_settings")).text  # only that once
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_new_token_is_long_and_random_and_only_its_hash_is_stored(db):
    plans = [PracticePlan.objects.create(user=UserFactory()) for _ in range(5)]
    tokens = {revocation.new_feed_address(plan) for plan in plans}
    assert len(tokens) == 5
    assert all(len(token) >= 43 for token in tokens)
    stored = [str(value) for row in PracticePlan.objects.values() for value in row.values()]
    for token in tokens:
        assert not any(token in value for value in stored)
        assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_a_new_plan_has_no_address_until_one_is_made(db):
    plan = PracticePlan.objects.create(user=UserFactory())
    assert plan.feed_token_hash is None
    assert revocation.plan_for_feed_token("") is None


def test_feed_of_a_deactivated_account_is_404(client, plan):
    plan.user.is_active = False
    plan.user.save()
    assert client.get(feed_url(plan)).status_code == 404


def test_feed_answers_head_but_not_post(client, plan):
    assert client.head(feed_url(plan)).status_code == 200
    assert client.post(feed_url(plan)).status_code == 405


def test_feed_holds_nothing_from_the_journal(client, plan):
    PracticeSessionFactory(user=plan.user, notes="PRIVATE NOTE")
    assert b"PRIVATE NOTE" not in client.get(feed_url(plan)).content
