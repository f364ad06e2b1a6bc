"""On a phone: Chromium can install the site as an app, and the guides and the routine timer open
with no connection after one visit. Log-out empties what the site kept in the browser."""

from __future__ import annotations

from django.test import Client
from playwright.sync_api import expect

from acupressure.installable import worker_config
from acupressure.models import Point

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, WAIT_MS, check_page

ROUTINE = "lower-back-five-minutes"

ICON_SIZES = """async () => {
  const manifest = await (await fetch(document.querySelector("link[rel=manifest]").href)).json();
  const loaded = [];
  for (const icon of manifest.icons) {
    const image = new Image();
    image.src = icon.src;
    await image.decode();
    loaded.push({src: icon.src, declared: icon.sizes, width: image.naturalWidth, height: image.naturalHeight});
  }
  return loaded;
}"""

# Ask for the worker again, then wait (at most 30 s) until the new one has replaced the caches.
UPDATED_CACHES = """async (name) => {
  await (await navigator.serviceWorker.ready).update();
  let names = [];
  for (let i = 0; i < 300; i++) {
    names = await caches.keys();
    if (names.length === 1 && names[0] === name) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return names;
}"""


def log_in_with_cookie(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])


def open_once_online(page, url: str) -> None:
    """Open ``url`` and wait until the service worker has kept the site and controls the page."""
    page.goto(url)
    # The worker takes charge of the page only once it has stored everything (install first).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def test_chromium_can_install_the_site_as_an_app(live_server, guides, browser, tmp_path):
    # Chromium offers to install nothing in an incognito window, and every context of the shared
    # browser is one: this test has a browser with a profile of its own.
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, viewport=PHONE
    )
    context.set_default_timeout(WAIT_MS)
    try:
        check_installable(context.new_page(), live_server.url)
    finally:
        context.close()


def check_installable(page, base_url: str) -> None:
    open_once_online(page, base_url + "/")
    cdp = page.context.new_cdp_session(page)

    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == base_url + "/manifest.webmanifest"
    assert manifest["errors"] == []
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    icons = page.evaluate(ICON_SIZES)
    assert len(icons) == 4
    for icon in icons:
        if icon["declared"] == "any":  # the SVG: any size, as long as it draws
            assert icon["width"] > 0, icon
        else:
            assert f"{icon['width']}x{icon['height']}" == icon["declared"], icon


def test_a_guide_and_the_routine_timer_open_offline_after_one_visit(live_server, guides, page_at):
    page = page_at(PHONE, service_workers="allow")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_once_online(page, live_server.url + "/")
    page.context.set_offline(True)

    page.goto(live_server.url + "/guides/bl23/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BL23")
    expect(page.locator(".point-diagram svg").first).to_be_visible()

    page.clock.install()
    page.goto(f"{live_server.url}/guides/routines/{ROUTINE}/play/")
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("1:00")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(20_000)
    expect(timer).to_have_text("0:40")
    assert errors == []


def test_a_journal_page_offline_shows_what_still_works(live_server, guides, user, page_at, axe):
    page = page_at(PHONE, service_workers="allow")
    log_in_with_cookie(page, live_server.url, user)
    open_once_online(page, live_server.url + "/journal/")
    page.context.set_offline(True)

    page.goto(live_server.url + "/journal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection")
    expect(page.get_by_role("heading", name="What still works")).to_be_visible()
    check_page(page, axe, "offline-375")

    page.get_by_role("link", name="Every point guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Point guides")


def test_log_out_empties_the_caches_and_storage_of_this_browser(live_server, guides, user, page_at):
    page = page_at(PHONE, service_workers="allow")
    log_in_with_cookie(page, live_server.url, user)
    open_once_online(page, live_server.url + "/journal/")
    # Something of this person's kept in the browser: a cache entry and a waiting queue.
    page.evaluate("""async () => {
      const cache = await caches.open("left-by-the-last-person");
      await cache.put("/journal/private", new Response("private"));
      await new Promise((resolve, reject) => {
        const request = indexedDB.open("offline-queue");
        request.onsuccess = () => { request.result.close(); resolve(); };
        request.onerror = reject;
      });
    }""")

    # On a phone, log out is in the bottom bar's "More" menu.

    page.locator(".bottom-bar summary").click()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")

    assert "left-by-the-last-person" not in page.evaluate("caches.keys()")
    databases = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "offline-queue" not in databases


def test_an_edited_guide_reaches_the_phone_on_the_next_visit(live_server, guides, page_at):
    page = page_at(PHONE, service_workers="allow")
    open_once_online(page, live_server.url + "/")
    point = Point.objects.get(code="BL23")
    point.name_en = "Kidney Transport"
    point.save()  # as the admin does: the guide content version goes up
    new_cache = "acupressure-offline-" + worker_config()["version"]

    # The next visit finds a new /sw.js (the browser checks on each visit; update() asks at once),
    # which keeps every page afresh and drops the old copies.
    page.goto(live_server.url + "/safety/")
    assert page.evaluate(UPDATED_CACHES, new_cache) == [new_cache]
    page.context.set_offline(True)
    page.goto(live_server.url + "/guides/bl23/")
    expect(page.locator("main")).to_contain_text("Kidney Transport")
