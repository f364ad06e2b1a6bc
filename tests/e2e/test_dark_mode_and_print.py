"""Dark mode keeps AA contrast (charts included); guide pages and the report print without navigation."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import PHONE, WAIT_MS, screenshot, serious_violations


@pytest.fixture
def dark_page(browser, axe):
    context = browser.new_context(service_workers="block", viewport=PHONE, color_scheme="dark")
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()


def log_in_as_demo(page, base):
    call_command("seed_demo")
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill("demo")
    page.get_by_label("Password").fill("acupressure-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")


def test_dark_mode_pages_pass_axe_contrast(live_server, guides, dark_page, axe):
    page = dark_page
    log_in_as_demo(page, live_server.url)
    for path in [
        "/",
        "/guides/",
        "/guides/bl23/",
        "/guides/tools/",
        "/safety/",
        "/journal/",
        "/journal/new/",
        "/journal/insights/",
    ]:
        page.goto(live_server.url + path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(255, 255, 255)", f"{path} is not dark"
        screenshot(page, "dark" + path.replace("/", "-").rstrip("-"))
        assert serious_violations(axe, page) == [], path


def test_chart_colours_follow_dark_mode(live_server, guides, dark_page):
    page = dark_page
    log_in_as_demo(page, live_server.url)
    page.goto(live_server.url + "/journal/insights/")
    page.wait_for_function("window.Chart && Chart.getChart('trend-chart')")
    colour = page.evaluate("Chart.defaults.color")
    assert colour == "#dfe3eb"


@pytest.mark.parametrize("path", ["/guides/bl23/", "/journal/report/"])
def test_print_leaves_out_navigation_and_keeps_diagrams(
    live_server, guides, page_at, path, tmp_path
):
    page = page_at(PHONE)
    if path.startswith("/journal/"):
        log_in_as_demo(page, live_server.url)
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    if path.startswith("/guides/"):
        expect(page.locator(".point-diagram svg")).to_be_visible()
        expect(page.locator("#cautions")).to_be_visible()
    else:
        expect(page.locator(".report-form")).to_be_hidden()
        expect(page.locator("#report-table")).to_be_visible()
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
