"""A new user on a phone runs a routine with the timer, by touch and by keyboard, then logs it.

Playwright's fake clock drives the countdown: no test here waits for real seconds to pass.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from acupressure.models import Routine
from journal.models import Experiment, PracticeSession

from ..factories import UserFactory
from .conftest import PHONE, check_page, has_horizontal_scroll, screenshot

PASSWORD = "a long and quiet river 7"
ROUTINE = "lower-back-five-minutes"


def sign_up(page, base_url, username):
    page.goto(base_url + "/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()
    page.wait_for_url("**/journal/new/")


def log_in_with_cookie(page, base_url, user):
    """Log ``user`` in by handing the browser a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])


def visible_step_titles(page):
    return page.locator(".play-step:visible .play-step-title").all_inner_texts()


def test_run_a_routine_with_the_timer_and_log_it_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_up(page, live_server.url, "timeruser")

    page.clock.install()
    page.goto(f"{live_server.url}/guides/routines/{ROUTINE}/play/")
    routine = Routine.objects.public().with_steps().get(slug=ROUTINE)
    steps = routine.step_list
    timer = page.get_by_role("timer")
    status = page.locator("[data-announcer]")

    # One step at a time, ready to start.
    assert visible_step_titles(page) == ["Step 1: BL23 Shenshu (Kidney Shu)"]
    assert timer.inner_text() == "1:00"
    check_page(page, axe, "routine-player-ready-375")

    page.get_by_role("button", name="Start").click()
    assert "Step 1 of 6: BL23 Shenshu, both sides, 60 seconds." in status.inner_text()
    page.clock.run_for(20_000)
    assert timer.inner_text() == "0:40"
    check_page(page, axe, "routine-player-running-375")

    # The first step's time runs out: the next step shows, and is announced.
    page.clock.run_for(41_000)
    assert visible_step_titles(page) == ["Step 2: BL52 Zhishi (Will Chamber)"]
    assert page.locator("[data-progress]").inner_text() == "Step 2 of 6"
    assert "Step 2 of 6: BL52 Zhishi" in status.inner_text()

    # Pause: time stands still; resume: it runs again.
    page.get_by_role("button", name="Pause").click()
    paused_at = timer.inner_text()
    page.clock.run_for(30_000)
    assert timer.inner_text() == paused_at
    assert "Paused" in status.inner_text()
    page.get_by_role("button", name="Resume").click()

    # Next and previous buttons.
    page.get_by_role("button", name="Next").click()
    assert visible_step_titles(page)[0].startswith("Step 3: GV4")
    assert timer.inner_text() == "0:30"
    page.get_by_role("button", name="Previous").click()
    assert visible_step_titles(page)[0].startswith("Step 2: BL52")

    # Let the rest of the routine run out, with a little to spare.
    page.clock.run_for(sum(step.seconds for step in steps[1:]) * 1000 + 5_000)
    finish = page.get_by_role("heading", name="How is your pain now?")
    expect(finish).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "finish-heading"
    assert visible_step_titles(page) == []
    assert "Routine finished" in status.inner_text()
    check_page(page, axe, "routine-player-finished-375")

    page.get_by_role("button", name="Log this session").click()
    page.wait_for_url(f"**/journal/new/?routine={ROUTINE}")
    for slug in ["bl23", "bl52", "gv4", "bl40", "ki1"]:
        assert page.locator(f"input[name=points][value={slug}]").is_checked(), slug
    assert page.locator("input[name=points][value=li4]").is_checked() is False
    expect(page.locator("body")).to_contain_text("Following the routine")
    check_page(page, axe, "routine-log-form-375")
    page.locator("label[for=id_pain_before_6]").click()
    page.locator("label[for=id_pain_after_4]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))

    session = PracticeSession.objects.get(user__username="timeruser")
    assert session.routine == routine
    assert {sp.point.code: sp.seconds for sp in session.session_points.all()} == {
        "BL23": 60,
        "BL52": 60,
        "GV4": 30,
        "BL40": 60,
        "KI1": 90,
    }
    expect(page.locator("body")).to_contain_text(routine.title)

    # Then a fair test of two points, from a point page, and its first session.
    page.goto(f"{live_server.url}/guides/bl23/")
    page.get_by_role("link", name="Test it against another point").click()
    page.wait_for_url("**/journal/experiments/new/?point_a=bl23")
    assert page.get_by_label("Point A").input_value() == "bl23"
    page.get_by_label("Point B").select_option("bl40")
    assert page.get_by_label("How many sessions in all").input_value() == "10"
    check_page(page, axe, "experiment-new-375")
    page.get_by_role("button", name="Start the experiment").click()
    page.wait_for_url(re.compile(r"/journal/experiments/\d+/([?#]|$)"))
    experiment = Experiment.objects.get(user__username="timeruser")
    first = experiment.point_a if experiment.schedule[0] == "A" else experiment.point_b
    expect(page.locator("body")).to_contain_text(f"next session, use {experiment.schedule[0]}")
    check_page(page, axe, "experiment-detail-375")

    page.goto(f"{live_server.url}/journal/")
    page.get_by_role("button", name=f"Log session 1: {first.code}").click()
    assert page.locator(f"input[name=points][value={first.slug}]").is_checked()
    assert page.get_by_label("Count this session in my experiment").is_checked()
    check_page(page, axe, "experiment-log-form-375")
    page.locator("label[for=id_pain_before_5]").click()
    page.locator("label[for=id_pain_after_3]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))
    expect(page.locator("body")).to_contain_text("counted in your experiment")
    logged = PracticeSession.objects.get(user__username="timeruser", experiment=experiment)
    assert [sp.point for sp in logged.session_points.all()] == [first]
    page.goto(f"{live_server.url}/journal/")
    expect(page.locator("body")).to_contain_text("session 2 of 10")
    check_page(page, axe, "experiment-journal-375")
    assert errors == []


def test_the_timer_works_from_the_keyboard(live_server, guides, page_at):
    page = page_at(PHONE)
    page.clock.install()
    page.goto(f"{live_server.url}/guides/routines/desk-hands-and-feet/play/")
    timer = page.get_by_role("timer")
    toggle = page.locator("[data-action=toggle]")

    # Space on the focused Start button starts the timer.
    toggle.focus()
    page.keyboard.press("Space")
    assert toggle.inner_text() == "Pause"
    page.clock.run_for(5_000)
    assert timer.inner_text() == "0:40"

    # Space with focus elsewhere on the page pauses and resumes too.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Space")
    assert toggle.inner_text() == "Resume"
    page.clock.run_for(10_000)
    assert timer.inner_text() == "0:40"
    page.keyboard.press("Space")
    assert toggle.inner_text() == "Pause"

    # Arrow keys move between steps.
    page.keyboard.press("ArrowRight")
    assert page.locator("[data-progress]").inner_text() == "Step 2 of 7"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert page.locator("[data-progress]").inner_text() == "Step 2 of 7"
    assert visible_step_titles(page)[0].startswith("Step 2: EX-UE7")

    # The controls are real buttons in tab order, and focus on them shows as an outline.
    toggle.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "next"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "previous"


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(
        service_workers="block", viewport=PHONE, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_without_javascript_the_routine_is_a_readable_list(
    live_server, guides, no_script_page, axe
):
    page = no_script_page
    page.goto(f"{live_server.url}/guides/routines/sciatica-and-stiffness/play/")
    assert page.locator(".play-step:visible").count() == 8
    expect(page.get_by_role("timer")).to_be_hidden()
    expect(page.get_by_role("button", name="Start")).to_be_hidden()
    expect(page.get_by_role("button", name="Log this session")).to_be_visible()
    screenshot(page, "routine-player-no-js-375")
    assert not has_horizontal_scroll(page)


def test_build_my_own_routine_and_play_it_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    user = UserFactory(username="builder")
    log_in_with_cookie(page, live_server.url, user)

    page.goto(live_server.url + "/journal/routines/")
    check_page(page, axe, "my-routines-empty-375")
    page.get_by_role("button", name="Build your first routine").click()
    page.wait_for_url("**/journal/routines/new/")
    check_page(page, axe, "my-routine-new-375")

    page.get_by_label("Name").fill("Before bed")
    page.locator("#id_steps-0-point").select_option("ki1")
    page.locator("#id_steps-0-seconds").fill("3")
    page.locator("#id_steps-1-point").select_option("bl23")
    page.locator("#id_steps-1-side").select_option("both")
    page.get_by_role("button", name="Save routine").click()
    expect(page.locator("body")).to_contain_text("At least 5 seconds.")
    check_page(page, axe, "my-routine-error-375")

    page.locator("#id_steps-0-seconds").fill("45")
    page.get_by_role("button", name="Save routine").click()
    page.wait_for_url(re.compile(r"/journal/routines/\d+/([?#]|$)"))
    check_page(page, axe, "my-routine-detail-375")
    routine = Routine.objects.get(owner=user)
    assert [(s.point.code, s.seconds, s.side) for s in routine.steps.all()] == [
        ("KI1", 45, ""),
        ("BL23", 60, "both"),
    ]

    page.clock.install()
    page.get_by_role("button", name="Start the timer").click()
    page.wait_for_url(f"**/journal/routines/{routine.pk}/play/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(110_000)
    page.get_by_role("button", name="Log this session").click()
    page.wait_for_url(f"**/journal/new/?routine={routine.pk}")
    assert page.locator("input[name=points][value=ki1]").is_checked()
    expect(page.locator("body")).to_contain_text("Before bed")


def test_a_six_minute_step_gets_a_gentle_note_and_eleven_minutes_is_refused(
    live_server, guides, page_at, axe
):
    page = page_at(PHONE)
    user = UserFactory(username="longholder")
    log_in_with_cookie(page, live_server.url, user)
    page.goto(live_server.url + "/journal/routines/new/")
    page.get_by_label("Name").fill("Long hold")
    page.locator("#id_steps-0-point").select_option("bl23")
    page.locator("#id_steps-0-seconds").fill("660")
    page.locator("#id_steps-1-point").select_option("ki1")
    page.locator("#id_steps-1-seconds").fill("360")
    page.get_by_role("button", name="Save routine").click()
    expect(page.locator("body")).to_contain_text("At most 600 seconds (10 minutes) per step.")
    note = "This is a long hold: a minute or two on one point is usual."
    assert page.get_by_text(note).count() == 1
    check_page(page, axe, "my-routine-six-minutes-375")

    page.locator("#id_steps-0-seconds").fill("60")
    page.get_by_role("button", name="Save routine").click()
    page.wait_for_url(re.compile(r"/journal/routines/\d+/([?#]|$)"))
    expect(page.get_by_text(note)).to_be_visible()
    check_page(page, axe, "my-routine-six-minutes-detail-375")
    routine = Routine.objects.get(owner=user)
    assert [s.seconds for s in routine.steps.all()] == [60, 360]
