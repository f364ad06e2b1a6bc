"""Issue 15 in a browser: the two lists of warning signs, the links to them, and the log form's note.

Screenshots (375 px and 1280 px) go to test-artifacts/screenshots/safety-*.png for a human to look at.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from acupressure.models import Routine

from ..factories import UserFactory
from .conftest import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    has_horizontal_scroll,
    screenshot,
    serious_violations,
)

ROUTINE = "lower-back-five-minutes"


def log_in_with_cookie(page, base_url, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def tick_pain_before(page, value: int):
    page.locator(f"label[for=id_pain_before_{value}]").click()


def test_safety_page_lists_pass_axe_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    page.goto(live_server.url + "/safety/")
    screenshot(page, "safety-375")
    assert not has_horizontal_scroll(page)
    assert serious_violations(axe, page) == []
    emergency, same_day = page.locator("#emergency"), page.locator("#same-day")
    expect(emergency.get_by_role("heading", name="Get emergency help now")).to_be_visible()
    expect(same_day.get_by_role("heading", name="See a doctor the same day")).to_be_visible()
    # Emergency first, then same day, both inside the warning-signs section.
    assert emergency.bounding_box()["y"] < same_day.bounding_box()["y"]
    assert page.locator("#red-flags #emergency, #red-flags #same-day").count() == 2

    desktop = page_at(DESKTOP)
    desktop.goto(live_server.url + "/safety/")
    screenshot(desktop, "safety-1280")
    assert serious_violations(axe, desktop) == []


def test_point_page_links_open_the_right_list(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    page.goto(live_server.url + "/guides/bl23/")
    screenshot(page, "safety-point-375")
    assert serious_violations(axe, page) == []
    page.get_by_role("link", name="warning signs that need a doctor the same day").click()
    page.wait_for_url("**/safety/#same-day")
    expect(page.locator("#same-day")).to_be_visible()
    page.goto(live_server.url + "/guides/bl23/")
    page.get_by_role("link", name="warning signs that need emergency help now").click()
    page.wait_for_url("**/safety/#emergency")
    box = page.locator("#emergency").bounding_box()
    assert 0 <= box["y"] < PHONE["height"] / 2  # scrolled to the list, near the top of the screen

    desktop = page_at(DESKTOP)
    desktop.goto(live_server.url + "/guides/bl23/")
    screenshot(desktop, "safety-point-1280")


@pytest.mark.parametrize("javascript", [True, False])
def test_timer_first_screen_links_to_both_lists(live_server, guides, browser, axe, javascript):
    if not CHROMIUM.exists():
        pytest.skip("no chromium")
    context = browser.new_context(
        service_workers="block", viewport=PHONE, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        routine = Routine.objects.public().get(slug=ROUTINE)
        page.goto(live_server.url + routine.get_play_url())
        suffix = "js" if javascript else "nojs"
        screenshot(page, f"safety-timer-375-{suffix}")
        for name in [
            "warning signs that need emergency help now",
            "warning signs that need a doctor the same day",
        ]:
            link = page.get_by_role("link", name=name)
            assert link.is_visible(), name
            # On the first screen of a phone, above the timer controls or first step.
            assert link.bounding_box()["y"] < page.locator(".play-step").first.bounding_box()["y"]
        if javascript:
            assert serious_violations(axe, page) == []
        desktop = browser.new_context(
            service_workers="block", viewport=DESKTOP, java_script_enabled=javascript
        )
        try:
            wide = desktop.new_page()
            wide.goto(live_server.url + routine.get_play_url())
            screenshot(wide, f"safety-timer-1280-{suffix}")
        finally:
            desktop.close()
    finally:
        context.close()


def test_high_pain_note_shows_for_8_and_hides_for_7_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    log_in_with_cookie(page, live_server.url, UserFactory())
    page.goto(live_server.url + "/journal/new/?points=bl23")
    note = page.locator(".high-pain-note")
    assert note.is_hidden()

    tick_pain_before(page, 8)
    expect(note).to_be_visible()
    assert "warning signs that need a doctor" in note.inner_text()
    # Shown to screen readers too, and readable: no sideways scroll, a usable link, normal text.
    assert note.get_attribute("aria-hidden") is None
    expect(note.get_by_role("link", name="warning signs that need a doctor")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert float(note.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 16

    tick_pain_before(page, 7)
    assert note.is_hidden()
    tick_pain_before(page, 10)
    expect(note).to_be_visible()
    tick_pain_before(page, 9)
    expect(note).to_be_visible()
    assert serious_violations(axe, page) == []
    screenshot(page, "safety-log-form-pain-9-375")

    # Ticking pain after does not hide it (only "pain before" counts).
    page.locator("label[for=id_pain_after_3]").click()
    expect(note).to_be_visible()
    # Saving still works, with no pop-up in the way.
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))

    desktop = page_at(DESKTOP)
    log_in_with_cookie(desktop, live_server.url, UserFactory())
    desktop.goto(live_server.url + "/journal/new/?points=bl23")
    desktop.locator("label[for=id_pain_before_9]").click()
    expect(desktop.locator(".high-pain-note")).to_be_visible()
    screenshot(desktop, "safety-log-form-pain-9-1280")


def test_server_shown_note_hides_when_a_lower_pain_is_ticked(live_server, guides, page_at):
    """After a refused save with pain 9, the note is on; ticking 7 in the browser turns it off."""
    page = page_at(PHONE)
    log_in_with_cookie(page, live_server.url, UserFactory())
    page.goto(live_server.url + "/journal/new/")  # no point ticked: saving is refused
    tick_pain_before(page, 9)
    page.locator("label[for=id_pain_after_5]").click()
    page.get_by_role("button", name="Save session").click()
    note = page.locator(".high-pain-note")
    expect(note).to_have_class(re.compile(r"\bis-shown\b"))
    expect(note).to_be_visible()
    tick_pain_before(page, 7)
    assert note.is_hidden()
