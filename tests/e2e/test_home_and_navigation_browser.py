"""Logged in on a phone: the home page logs first, the bottom bar is always in reach, and a
session is logged from home in three taps and one page load."""

import re

from django.test import Client
from playwright.sync_api import expect

from acupressure.models import Point, Routine
from journal.models import PracticeSession

from ..factories import PracticeSessionFactory, UserFactory
from .conftest import DESKTOP, PHONE, SCREENSHOTS, check_page

PAGES = [
    ("/", "home"),
    ("/journal/", "journal"),
    ("/journal/insights/", "insights"),
    ("/guides/bl23/", "point"),
    ("/journal/calendar/", "calendar"),
    ("/accounts/settings/", "settings"),
]


def log_in_with_cookie(page, base_url, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])


def test_log_the_same_again_from_home_in_three_taps_and_one_page_load(
    live_server, guides, page_at, axe
):
    user = UserFactory(username="thumb")
    PracticeSessionFactory(
        user=user, points=list(Point.objects.filter(code__in=["BL23", "BL40"])), area="leg"
    )
    page = page_at(PHONE)
    log_in_with_cookie(page, live_server.url, user)
    page.goto(live_server.url + "/")
    check_page(page, axe, "home-logged-in-375")
    loads = []
    page.on("load", lambda _: loads.append(page.url))

    taps = 0
    page.locator(".same-again-form label[for=id_pain_before_7]").click()
    taps += 1
    page.locator(".same-again-form label[for=id_pain_after_4]").click()
    taps += 1
    page.get_by_role("button", name="Save the same again").click()
    taps += 1
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))
    expect(page.get_by_role("button", name="Undo: delete this session")).to_be_visible()

    assert taps <= 4
    assert len(loads) == 1  # the journal with the new session, after Save
    latest = PracticeSession.objects.filter(user=user).latest("created_at")
    assert (latest.pain_before, latest.pain_after, latest.area) == (7, 4, "leg")
    assert sorted(sp.point.code for sp in latest.session_points.all()) == ["BL23", "BL40"]

    # "Change points, time or notes first" opens the whole form, filled in the same way.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Change points, time or notes first").click()
    page.wait_for_url("**/journal/new/?again=*")
    assert page.locator("input[name=points][value=bl23]").is_checked()
    assert page.locator("input[name=points][value=bl40]").is_checked()
    assert page.locator("input[name=area][value=leg]").is_checked()


def test_the_log_button_is_in_reach_on_every_page_and_covers_nothing(
    live_server, guides, page_at, axe
):
    user = UserFactory(username="reach")
    PracticeSessionFactory.create_batch(6, user=user)
    page = page_at(PHONE)
    log_in_with_cookie(page, live_server.url, user)
    for path, name in PAGES:
        page.goto(live_server.url + path)
        log = page.locator(".bottom-bar .bar-log")
        expect(log).to_be_in_viewport()
        box = log.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, name
        check_page(page, axe, f"nav-{name}-375")

    # The current place is marked, for eyes and for screen readers.
    page.goto(live_server.url + "/journal/insights/")
    expect(page.locator(".bottom-bar a[aria-current=page]")).to_have_text("What works")

    # At the bottom of the log form, the Save button sits above the bar, not under it.
    page.goto(live_server.url + "/journal/new/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    save = page.get_by_role("button", name="Save session").bounding_box()
    bar = page.locator(".bottom-bar").bounding_box()
    assert save["y"] + save["height"] <= bar["y"]

    # The timer's controls too, on a routine's player.
    routine = Routine.objects.filter(owner=None).first()
    page.goto(f"{live_server.url}/guides/routines/{routine.slug}/play/")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    start = page.get_by_role("button", name="Start").bounding_box()
    assert start["y"] + start["height"] <= page.locator(".bottom-bar").bounding_box()["y"]

    # "More" opens without JavaScript's help (a <details>) and holds the rest.
    page.locator(".bottom-bar summary").click()
    for name in ["Calendar", "My routines", "Experiments", "Settings", "Safety"]:
        expect(page.locator(".more-menu").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    check_page(page, axe, "nav-more-open-375")
    page.screenshot(path=str(SCREENSHOTS / "nav-more-open-375-viewport.png"))


def test_wide_screens_keep_the_top_navigation(live_server, guides, page_at, axe):
    user = UserFactory(username="wide")
    PracticeSessionFactory(user=user)
    page = page_at(DESKTOP)
    log_in_with_cookie(page, live_server.url, user)
    for path, name in PAGES[:4]:
        page.goto(live_server.url + path)
        expect(page.locator(".bottom-bar")).to_be_hidden()
        expect(page.locator(".site-header").get_by_role("link", name="My journal")).to_be_visible()
        check_page(page, axe, f"nav-{name}-1280")


def test_the_bottom_bar_in_dark_mode(live_server, guides, page_at, axe):
    user = UserFactory(username="night")
    PracticeSessionFactory.create_batch(2, user=user)
    page = page_at(PHONE, color_scheme="dark")
    log_in_with_cookie(page, live_server.url, user)
    for path, name in PAGES[:4]:
        page.goto(live_server.url + path)
        for link in page.locator(".bottom-bar > ul > li > a, .bottom-bar summary").all():
            box = link.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, (name, link.inner_text())
        check_page(page, axe, f"nav-{name}-375-dark")
    page.locator(".bottom-bar summary").click()
    check_page(page, axe, "nav-more-open-375-dark")
