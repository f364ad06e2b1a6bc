"""The calendar page and the reminder settings in a real browser at 375 px: axe in light and dark
mode, keyboard use, and the calendar file downloading and parsing."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from journal.management.commands.seed_demo import DEMO_TIME_ZONE
from journal.models import PracticePlan

from ..factories import UserFactory
from .conftest import PHONE, has_horizontal_scroll, screenshot, serious_violations
from .test_insights_browser import log_in_as_demo


@pytest.fixture
def demo(guides):
    call_command("seed_demo")


def last_month_calendar() -> str:
    """The calendar of last month, which the demo's 90 days always cover whole.

    This month's page can be empty (on the 1st, the demo's sessions are all in the month before).
    "This month" is the demo user's, in London, as the page's own month links are.
    """
    first_of_month = timezone.localdate(timezone=ZoneInfo(DEMO_TIME_ZONE)).replace(day=1)
    return f"/journal/calendar/?month={first_of_month - timedelta(days=1):%Y-%m}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_calendar_passes_axe_at_375_px(live_server, demo, browser, axe, scheme):
    context = browser.new_context(service_workers="block", viewport=PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        log_in_as_demo(page, live_server)
        page.goto(live_server.url + last_month_calendar())
        screenshot(page, f"calendar-375-{scheme}")
        assert page.locator("table.month-calendar th[scope=col]").count() == 7
        assert page.locator("a.cal-day").count() >= 10
        assert not has_horizontal_scroll(page)
        assert serious_violations(axe, page) == []
        for box in page.locator("a.cal-day").evaluate_all(
            "links => links.map(a => a.getBoundingClientRect().toJSON())"
        ):
            assert box["width"] >= 44 and box["height"] >= 44, box
    finally:
        context.close()


def test_a_calendar_day_opens_with_the_keyboard_and_reads_well(live_server, demo, page_at):
    page = page_at(PHONE)
    log_in_as_demo(page, live_server)
    page.goto(live_server.url + last_month_calendar())
    day = page.locator("a.cal-day").first
    name = day.evaluate("a => a.textContent.replace(/\\s+/g, ' ')")
    assert " session" in name and ("relief" in name or "pain" in name)
    day.focus()
    outline = day.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/journal/?date_from=*")
    assert page.locator(".session-rows li").count() >= 1


def test_previous_month_link_works(live_server, demo, page_at):
    page = page_at(PHONE)
    log_in_as_demo(page, live_server)
    page.goto(live_server.url + "/journal/calendar/")
    page.locator(".month-nav a[rel=prev]").click()
    page.wait_for_url("**/journal/calendar/?month=*")
    assert page.locator("a.cal-day").count() >= 10


def test_set_reminders_then_download_the_calendar_file(live_server, demo, page_at, axe):
    page = page_at(PHONE)
    log_in_as_demo(page, live_server)
    page.goto(live_server.url + "/accounts/settings/")
    page.get_by_label("Sessions per week").fill("4")
    page.get_by_label("Remind me to practise").check()
    page.get_by_label("Monday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("At this time").fill("18:30")
    page.get_by_label("Suggest this routine").select_option(label="Five minutes for the lower back")
    page.get_by_role("button", name="Save goal and reminders").click()
    page.wait_for_url("**/accounts/settings/#plan")
    expect(page.locator("body")).to_contain_text("Reminders on Monday, Thursday at 18:30")
    screenshot(page, "settings-reminders-375")
    assert not has_horizontal_scroll(page)
    assert serious_violations(axe, page) == []

    # The address is shown once, right after it is made (only its hash is stored).
    page.get_by_role("button", name="Make a calendar address").click()
    page.wait_for_selector("#feed-url")
    expect(page.locator("body")).to_contain_text("it will not be shown again")
    screenshot(page, "settings-new-calendar-address-375")
    assert serious_violations(axe, page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the .ics file").click()
    calendar = Calendar.from_ical(download.value.path().read_bytes())
    [event] = calendar.events
    assert event["RRULE"]["BYDAY"] == ["MO", "TH"]
    assert event["DTSTART"].params["TZID"] == "Europe/London"

    page.goto(live_server.url + "/journal/")
    expect(page.locator("body")).to_contain_text("of 4 sessions this week")


def test_unsubscribe_pages_pass_axe_without_logging_in(live_server, db, page_at, axe):
    plan = PracticePlan.objects.create(user=UserFactory())
    page = page_at(PHONE)
    page.goto(live_server.url + reverse("unsubscribe", args=[plan.unsubscribe_token]))
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name="Stop reminder e-mails").click()
    page.wait_for_selector("h1:text('Reminder e-mails stopped')")
    screenshot(page, "unsubscribed-375")
    assert serious_violations(axe, page) == []
    plan.refresh_from_db()
    assert not plan.email_reminders

    # A link from before the secrets were revoked: a 404 page that says what to do instead.
    page.goto(live_server.url + reverse("unsubscribe", args=["an-old-revoked-token"]))
    page.wait_for_selector("h1:text('This unsubscribe link does not work')")
    screenshot(page, "unsubscribe-link-revoked-375")
    assert serious_violations(axe, page) == []
