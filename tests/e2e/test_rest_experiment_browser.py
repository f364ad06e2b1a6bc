"""On a phone: test a point against resting, log a rest place, and rest with the rest timer.

Playwright's fake clock drives the countdown: no test here waits for real seconds to pass.
"""

import re

import pytest
from playwright.sync_api import expect

from acupressure.models import Routine
from journal.models import Experiment, PracticeSession

from ..factories import UserFactory
from .conftest import PHONE, has_horizontal_scroll, screenshot
from .test_routine_player import check_page, log_in_with_cookie

ROUTINE = "lower-back-five-minutes"


def test_a_point_against_resting_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    user = UserFactory(username="rester")
    log_in_with_cookie(page, live_server.url, user)

    page.goto(f"{live_server.url}/journal/experiments/new/?point_a=bl40")
    page.get_by_label("Point B, or rest").select_option("rest")
    expect(page.locator("body")).to_contain_text("Resting for the same time")
    check_page(page, axe, "experiment-rest-new-375")
    page.get_by_role("button", name="Start the experiment").click()
    page.wait_for_url(re.compile(r"/journal/experiments/\d+/([?#]|$)"))
    experiment = Experiment.objects.get(user=user)
    assert experiment.point_b is None
    expect(page.get_by_role("heading", name="BL40 against resting", level=1)).to_be_visible()
    check_page(page, axe, "experiment-rest-detail-375")

    # Make the first place a rest place, whatever was drawn, to log one.
    Experiment.objects.filter(pk=experiment.pk).update(schedule="BA" + experiment.schedule[2:])
    page.goto(f"{live_server.url}/journal/")
    expect(page.locator("body")).to_contain_text(
        "This time: rest only, no pressing, for the same time"
    )
    page.get_by_role("button", name="Log session 1: rest").click()
    assert page.get_by_label("I only rested, no pressing").is_checked()
    assert page.get_by_label("Count this session in my experiment").is_checked()
    check_page(page, axe, "experiment-rest-log-form-375")
    page.locator("label[for=id_pain_before_5]").click()
    page.locator("label[for=id_pain_after_4]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))
    expect(page.locator("body")).to_contain_text("counted in your experiment")
    logged = PracticeSession.objects.get(user=user, experiment=experiment)
    assert logged.rest_only and not logged.session_points.exists()
    assert errors == []


def test_the_rest_timer_counts_down_the_routines_length(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_with_cookie(page, live_server.url, UserFactory(username="timedrest"))
    routine = Routine.objects.public().with_steps().get(slug=ROUTINE)

    page.clock.install()
    page.goto(f"{live_server.url}/guides/routines/{ROUTINE}/play/")
    page.get_by_role("link", name=f"rest for the same {routine.total_time}").click()
    page.wait_for_url(f"**/journal/routines/rest/?routine={ROUTINE}")
    timer = page.get_by_role("timer")
    expect(page.get_by_role("heading", name=f"Rest for {routine.total_time}")).to_be_visible()
    expect(page.get_by_text("Lie or sit comfortably; press nothing")).to_be_visible()
    minutes, seconds = divmod(routine.total_seconds, 60)
    assert timer.inner_text() == f"{minutes}:{seconds:02d}"
    expect(page.get_by_text("Without JavaScript there is no countdown")).to_be_hidden()
    check_page(page, axe, "rest-timer-ready-375")

    page.get_by_role("button", name="Start").click()
    page.clock.run_for(60_000)
    assert timer.inner_text() == f"{minutes - 1}:{seconds:02d}"
    check_page(page, axe, "rest-timer-running-375")

    page.clock.run_for(routine.total_seconds * 1000)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    assert "Rest finished" in page.locator("[data-announcer]").inner_text()
    check_page(page, axe, "rest-timer-finished-375")
    page.get_by_role("button", name="Log this rest session").click()
    page.wait_for_url("**/journal/new/?rest=1")
    assert page.get_by_label("I only rested, no pressing").is_checked()
    assert errors == []


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(
        service_workers="block", viewport=PHONE, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_without_javascript_the_rest_timer_is_plain_text(live_server, guides, no_script_page):
    page = no_script_page
    log_in_with_cookie(page, live_server.url, UserFactory(username="norest"))
    page.goto(f"{live_server.url}/journal/routines/rest/?routine={ROUTINE}")
    expect(page.get_by_text("Lie or sit comfortably; press nothing")).to_be_visible()
    expect(page.get_by_text("Without JavaScript there is no countdown")).to_be_visible()
    expect(page.get_by_role("timer")).to_be_hidden()
    expect(page.get_by_role("button", name="Log this rest session")).to_be_visible()
    screenshot(page, "rest-timer-no-js-375")
    assert not has_horizontal_scroll(page)
