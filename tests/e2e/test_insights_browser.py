"""Insights charts render in a real browser and the page passes axe; tables remain for screen readers."""

from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    has_horizontal_scroll,
    screenshot,
    serious_violations,
)


def log_in_as_demo(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill("demo")
    page.get_by_label("Password").fill("acupressure-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")


def canvas_has_drawing(page, selector):
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector);
            if (!canvas || !canvas.width || !canvas.height) return false;
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
            return false;
        }""",
        selector,
    )


def test_insights_charts_render_and_pass_axe(live_server, guides, page_at, axe):
    call_command("seed_demo")
    for viewport, label in [(PHONE, "375"), (DESKTOP, "1280")]:
        page = page_at(viewport)
        log_in_as_demo(page, live_server)
        page.goto(live_server.url + "/journal/insights/")
        page.wait_for_function("window.Chart !== undefined")
        assert canvas_has_drawing(page, "#relief-chart")
        assert canvas_has_drawing(page, "#trend-chart")
        screenshot(page, f"insights-{label}")
        assert not has_horizontal_scroll(page)
        assert serious_violations(axe, page) == []


def test_compare_and_report_pass_axe_on_a_phone(live_server, guides, page_at, axe):
    call_command("seed_demo")
    page = page_at(PHONE)
    log_in_as_demo(page, live_server)
    for path, name in [
        ("/journal/compare/?a=bl40&b=ki1", "compare"),
        ("/journal/report/", "report"),
    ]:
        page.goto(live_server.url + path)
        screenshot(page, f"{name}-375")
        assert not has_horizontal_scroll(page), path
        assert serious_violations(axe, page) == [], path


def test_insights_without_javascript_still_shows_the_numbers(live_server, guides, browser):
    call_command("seed_demo")
    context = browser.new_context(
        service_workers="block", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        log_in_as_demo(page, live_server)
        page.goto(live_server.url + "/journal/insights/")
        assert page.locator("#ranked-table tbody tr").count() >= 5
        expect(page.locator("body")).to_contain_text("gave you the most relief")
    finally:
        context.close()


def test_rest_adjusted_and_factor_sections_read_well_on_a_phone(live_server, guides, page_at, axe):
    call_command("seed_demo")
    page = page_at(PHONE)
    log_in_as_demo(page, live_server)
    page.goto(live_server.url + "/journal/insights/")
    for heading, name in [
        ("rest-heading", "rest"),
        ("adjusted-heading", "adjusted"),
        ("factors-heading", "factors"),
        ("lasting-heading", "lasting"),
    ]:
        section = page.locator(f"section[aria-labelledby='{heading}']")
        assert section.locator("table caption").count() == 1, heading
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=str(SCREENSHOTS / f"insights-{name}-375.png"))
    text = page.locator("main").inner_text()
    assert "Resting alone:" in text
    assert "BL40 looks" in text and "Painkiller in the last 4 hours" in text
    assert "rather than BL40 comes out on top" in text
    assert not has_horizontal_scroll(page)
    assert serious_violations(axe, page) == []
