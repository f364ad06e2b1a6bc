"""The guides in a real browser, on a phone and a desktop, checked with axe."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, has_horizontal_scroll, screenshot, serious_violations


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "375"), (DESKTOP, "1280")])
@pytest.mark.parametrize(
    "path",
    [
        "/guides/",
        "/guides/bl23/",
        "/guides/li4/",
        "/guides/cv6/",
        "/guides/gb30/",
        "/guides/lr3/",
        "/guides/routines/lower-back-five-minutes/",
        "/guides/tools/",
        "/safety/",
        "/",
    ],
)
def test_guide_pages_are_accessible_at_phone_and_desktop_width(
    live_server, guides, page_at, axe, viewport, label, path
):
    page = page_at(viewport)
    response = page.goto(live_server.url + path)
    assert response.status == 200
    name = path.strip("/").replace("/", "-") or "home"
    screenshot(page, f"{name}-{label}")
    assert not has_horizontal_scroll(page), f"{path} scrolls sideways at {label}px"
    assert serious_violations(axe, page) == []


@pytest.mark.parametrize(("viewport", "label"), [(PHONE, "375"), (DESKTOP, "1280")])
def test_the_lower_back_routine_shows_its_pregnancy_warning_before_the_steps(
    live_server, guides, page_at, viewport, label
):
    page = page_at(viewport)
    page.goto(live_server.url + "/guides/routines/lower-back-five-minutes/")
    warning = page.locator(".pregnancy-warning")
    expect(warning).to_be_visible()
    assert "Pregnant? Ask your midwife first." in warning.inner_text()
    assert "do not lie on your back on the balls" in warning.inner_text()
    top = warning.bounding_box()["y"]
    assert top < page.locator("#steps").bounding_box()["y"]
    assert top < viewport["height"], "seen without scrolling"


def test_search_from_the_list_page_finds_a_point(live_server, guides, page_at):
    page = page_at(PHONE)
    page.goto(live_server.url + "/guides/")
    page.get_by_label("Search").fill("sciatica")
    page.get_by_role("button", name="Show points").click()
    page.wait_for_url("**/guides/?q=sciatica*")
    page.get_by_role("link", name="GB30").first.click()
    page.wait_for_url("**/guides/gb30/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("GB30")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(live_server, guides, page_at):
    page = page_at(DESKTOP)
    page.goto(live_server.url + "/guides/bl23/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
