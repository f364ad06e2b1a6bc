"""Weekly goal and reminder settings on /accounts/settings/, with clear messages."""

import re
from datetime import time

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from journal import revocation
from journal.models import PracticePlan
from tests.factories import PublicRoutineFactory, RoutineFactory, UserFactory

PLAN_URL = "/accounts/settings/plan/"


@pytest.fixture
def user(db):
    user = UserFactory(username="maria", email="maria@example.com")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    return user


@pytest.fixture
def routine(db):
    return PublicRoutineFactory(slug="lower-back-five-minutes", title="Five minutes")


def plan_data(routine=None, **overrides):
    data = {
        "weekly_goal": "3",
        "reminders_on": "on",
        "reminder_days": ["MO", "WE", "FR"],
        "reminder_time": "18:30",
        "reminder_routine": str(routine.pk) if routine else "",
        "email_reminders": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_settings_page_shows_the_goal_reminders_and_feed_sections(logged_in):
    response = logged_in.get("/accounts/settings/")
    assert response.status_code == 200
    for text in [
        "Weekly goal and reminders",
        "Sessions per week",
        "Remind me to practise",
        "On these days",
        "Reminders in your phone’s calendar",
        "You have no calendar address at the moment",
        "Make a calendar address",
        "Changing your password offers to end this address",
    ]:
        assert text in response.text
    assert "/calendar/" not in response.text.replace("/journal/calendar/", "")


def test_a_new_calendar_address_is_shown_once_with_its_links(logged_in, user):
    response = logged_in.post(reverse("new_feed_address"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = re.search(r"http://testserver/calendar/([\w-]+)\.ics", response.text).group(1)
    assert f"webcal://testserver/calendar/{token}.ics" in response.text
    assert "it will not be shown again" in response.text
    later = logged_in.get("/accounts/settings/").text
    assert token not in later
    assert "You have a calendar address (made on" in later
    assert "Make a new address" in later


def test_saving_reminders_stores_them_and_says_when(logged_in, user, routine):
    response = logged_in.post(PLAN_URL, plan_data(routine), follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/settings/#plan"
    assert "Saved. Reminders on Monday, Wednesday, Friday at 18:30." in response.text
    assert "Next reminder:" in response.text
    plan = PracticePlan.objects.get(user=user)
    assert plan.reminders_on and plan.email_reminders
    assert plan.reminder_days == "MO,WE,FR"
    assert plan.reminder_time == time(18, 30)
    assert plan.reminder_routine == routine


def test_days_are_stored_monday_first_whatever_the_order_sent(logged_in, user, routine):
    logged_in.post(PLAN_URL, plan_data(routine, reminder_days=["SU", "MO", "TH"]))
    assert PracticePlan.objects.get(user=user).reminder_days == "MO,TH,SU"


def test_saved_days_are_ticked_again(logged_in, user, routine):
    logged_in.post(PLAN_URL, plan_data(routine, reminder_days=["TU"]))
    form = logged_in.get("/accounts/settings/").context["plan_form"]
    assert form["reminder_days"].value() == ["TU"]


def test_weekly_goal_is_saved(logged_in, user):
    logged_in.post(PLAN_URL, plan_data(weekly_goal="5", reminders_on=None))
    assert PracticePlan.objects.get(user=user).weekly_goal == 5


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reminder_days": []}, "reminder_days", "Choose at least one day for your reminders."),
        ({"reminder_time": ""}, "reminder_time", "Choose a time for your reminders, e.g. 18:30."),
        ({"reminder_time": "25:99"}, "reminder_time", "Enter a time like 18:30."),
        ({"reminder_days": ["XX"]}, "reminder_days", "Choose days from the list."),
        ({"weekly_goal": "0"}, "weekly_goal", "Aim for at least 1 session a week."),
        ({"weekly_goal": "22"}, "weekly_goal", "At most 21 sessions a week (three a day)."),
        ({"weekly_goal": "two"}, "weekly_goal", "Enter a whole number of sessions, from 1 to 21."),
        ({"weekly_goal": ""}, "weekly_goal", "Enter how many sessions a week you aim for"),
        ({"reminder_routine": "999999"}, "reminder_routine", "Choose one of the routines listed."),
    ],
)
def test_problems_are_explained_next_to_the_field_and_nothing_is_saved(
    logged_in, user, routine, overrides, field, message
):
    response = logged_in.post(PLAN_URL, plan_data(routine, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["plan_form"].errors[field])
    assert message in response.text.replace("&#x27;", "'")
    assert "have not been saved yet" in response.text
    assert not PracticePlan.objects.filter(user=user, reminders_on=True).exists()


def test_another_users_routine_cannot_be_suggested(logged_in, user):
    theirs = RoutineFactory(owner=UserFactory(username="other"), title="Their secret routine")
    response = logged_in.post(PLAN_URL, plan_data(theirs))
    assert "Choose one of the routines listed." in response.text
    assert not PracticePlan.objects.filter(user=user, reminder_routine=theirs).exists()
    assert "Their secret routine" not in logged_in.get("/accounts/settings/").text


def test_own_and_public_routines_are_offered(logged_in, user, routine):
    mine = RoutineFactory(owner=user, title="My evening stretch")
    response = logged_in.get("/accounts/settings/")
    assert "Five minutes" in response.text
    assert "My evening stretch (your own)" in response.text
    logged_in.post(PLAN_URL, plan_data(mine))
    assert PracticePlan.objects.get(user=user).reminder_routine == mine


def test_reminders_can_be_turned_off_without_days_or_time(logged_in, user, routine):
    logged_in.post(PLAN_URL, plan_data(routine))
    response = logged_in.post(
        PLAN_URL,
        plan_data(routine, reminders_on=None, reminder_days=[], reminder_time=""),
        follow=True,
    )
    assert "Saved. Reminders are off." in response.text
    assert "Next reminder:" not in response.text
    assert not PracticePlan.objects.get(user=user).reminders_on


def test_a_routine_is_optional(logged_in, user):
    logged_in.post(PLAN_URL, plan_data())
    plan = PracticePlan.objects.get(user=user)
    assert plan.reminders_on and plan.reminder_routine is None


def test_the_reminder_time_is_explained_in_the_users_zone(logged_in):
    assert "In your time zone, Europe/London." in logged_in.get("/accounts/settings/").text


def test_without_an_email_address_the_page_says_mail_cannot_be_sent(client, db):
    user = UserFactory(email="")
    client.force_login(user)
    response = client.get("/accounts/settings/")
    assert "Your account has no confirmed e-mail address" in response.text


def test_opening_the_save_address_directly_leads_to_the_settings_page(logged_in):
    response = logged_in.get(PLAN_URL)
    assert response.url == "/accounts/settings/#plan"


def test_saving_the_time_zone_alone_still_works(logged_in, user):
    response = logged_in.post("/accounts/settings/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Asia/Tokyo"


def test_new_feed_address_by_get_changes_nothing(logged_in, user):
    logged_in.post(reverse("new_feed_address"))
    token_hash = PracticePlan.objects.get(user=user).feed_token_hash
    response = logged_in.get(reverse("new_feed_address"))
    assert response.url == "/accounts/settings/#calendar-feed"
    assert PracticePlan.objects.get(user=user).feed_token_hash == token_hash


def test_new_feed_address_explains_what_happened(logged_in, user):
    logged_in.post(reverse("new_feed_address"))
    response = logged_in.post(reverse("new_feed_address"))
    assert "The old one no longer works" in response.text


def test_one_user_cannot_change_anothers_plan(client, user, routine):
    owner_plan = PracticePlan.objects.create(
        user=user, reminders_on=True, reminder_days="MO", reminder_time=time(8, 0)
    )
    owner_feed_token = revocation.new_feed_address(owner_plan)
    before = PracticePlan.objects.filter(pk=owner_plan.pk).values().get()
    client.force_login(UserFactory(username="intruder"))
    client.post(PLAN_URL, plan_data(routine, weekly_goal="21", reminder_days=["SU"]))
    client.post(reverse("new_feed_address"))
    assert PracticePlan.objects.filter(pk=owner_plan.pk).values().get() == before
    page = client.get("/accounts/settings/").text
    assert owner_plan.unsubscribe_token not in page
    assert owner_feed_token not in page


@pytest.mark.parametrize("url", [PLAN_URL, "/accounts/settings/calendar-feed/"])
def test_plan_addresses_need_log_in(client, db, url):
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_database_refuses_reminders_without_days_or_time(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePlan.objects.create(user=user, reminders_on=True, reminder_time=time(8, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePlan.objects.create(user=user, reminders_on=True, reminder_days="MO")
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticePlan.objects.create(user=user, weekly_goal=0)


def test_every_error_and_help_text_is_tied_to_its_field(logged_in, routine):
    response = logged_in.post(
        PLAN_URL, plan_data(routine, reminder_time="", weekly_goal="0", reminder_days=[])
    )
    described = re.findall(r'aria-describedby="([^"]+)"', response.text)
    assert "id_reminder_time_helptext id_reminder_time_error" in described
    ids = set(re.findall(r'\bid="([^"]+)"', response.text))
    for target in " ".join(described).split():
        assert target in ids, target
