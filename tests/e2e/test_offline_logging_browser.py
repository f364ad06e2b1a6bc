"""Logging with no connection, on a phone (issue 18, part 3): sessions saved with no connection
wait on the phone, listed as "Saved on this phone, waiting to sync", and reach the journal exactly
once when the connection returns, even when a sync is cut off and tried again. A session the
server refuses stays with its reason; log-out deletes what waits."""

from __future__ import annotations

from playwright.sync_api import expect

from journal.models import PracticeSession
from tests.factories import FactorFactory, UserFactory

from .conftest import PHONE, check_page, screenshot, wait_for
from .test_offline_browser import log_in_with_cookie, open_once_online

FORM_CACHE = "acupressure-log-form"
# Leave the sending to the page (the "online" event and page loads), not Background Sync in the
# worker, whose requests a page's route cannot see: used where a test cuts a request off.
WITHOUT_BACKGROUND_SYNC = "delete ServiceWorkerRegistration.prototype.sync;"
NOTHING_WAITING = """() => new Promise((resolve, reject) => {
  const request = indexedDB.open("acupressure-journal");
  request.onerror = reject;
  request.onsuccess = () => {
    const count = request.result.transaction("waiting-sessions").objectStore("waiting-sessions").count();
    count.onerror = reject;
    count.onsuccess = () => { request.result.close(); resolve(count.result === 0); };
  };
})"""
SYNC_TAGS = "navigator.serviceWorker.ready.then((registration) => registration.sync.getTags())"
FORM_KEPT = """(name) => caches.match("/journal/new/", {cacheName: name}).then(Boolean)"""
FORM_GONE = """(name) => caches.has(name).then((kept) => !kept)"""


def wait_until(page, async_condition: str, arg=None) -> None:
    """Wait (with Playwright's timeout) until a condition that answers with a promise comes true:
    wait_for_function takes a promise itself for true. Checked once a frame."""
    page.evaluate(
        f"""(arg) => {{
          window.conditionMet = false;
          const condition = {async_condition};
          (async () => {{
            while (!(await condition(arg))) await new Promise(requestAnimationFrame);
            window.conditionMet = true;
          }})();
        }}""",
        arg,
    )
    page.wait_for_function("() => window.conditionMet")


def open_log_form_kept_offline(page, base_url: str) -> None:
    """Open the log form twice: the first visit installs the worker, the second goes through it,
    which keeps the form for this user."""
    open_once_online(page, base_url + "/journal/new/")
    page.reload()
    wait_until(page, FORM_KEPT, FORM_CACHE)


def log_offline(page, code: str, before: int, after: int, factor=None, tool="") -> None:
    page.locator(f'input[name="points"][data-code="{code}"]').check()
    page.locator(f'input[name="pain_before"][value="{before}"]').check()
    page.locator(f'input[name="pain_after"][value="{after}"]').check()
    if factor is not None:
        page.get_by_text("Anything else today?").click()
        page.get_by_label(factor.name).check()
    if tool:
        page.locator(".more-details summary", has_text="tool").click()
        page.get_by_label(tool, exact=True).check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("saved on this phone")


def waiting_list(page):
    return page.locator("#waiting-sessions")


def stored(user) -> list[PracticeSession]:
    return list(PracticeSession.objects.filter(user=user).order_by("pain_before"))


def test_three_sessions_logged_offline_arrive_exactly_once(live_server, guides, user, page_at, axe):
    page = page_at(PHONE, service_workers="allow")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)
    page.context.set_offline(True)

    log_offline(page, "BL23", 7, 4, tool="Ball")
    for code, before in [("LI4", 6), ("GB30", 5)]:
        log_offline(page, code, before, before - 3)
    waiting = waiting_list(page)
    expect(waiting.get_by_role("heading")).to_have_text("Saved on this phone, waiting to sync")
    expect(waiting.locator("li")).to_have_count(3)
    screenshot(page, "saved-offline-375")

    page.reload()  # still offline: the form comes from the worker, the list from the phone
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    expect(waiting.locator("li")).to_have_count(3)
    expect(waiting.locator("li").first).to_contain_text("BL23, pain 7 → 4.")
    check_page(page, axe, "waiting-to-sync-375")
    assert PracticeSession.objects.count() == 0

    page.context.set_offline(False)
    expect(waiting).to_be_hidden()
    sessions = stored(user)
    assert [(s.pain_before, s.pain_after) for s in sessions] == [(5, 2), (6, 3), (7, 4)]
    assert [s.session_points.get().point.code for s in sessions] == ["GB30", "LI4", "BL23"]
    assert [s.tool for s in sessions] == ["", "", "balls"]
    assert len({s.client_id for s in sessions}) == 3 and None not in {s.client_id for s in sessions}
    assert errors == []


def test_a_sync_cut_off_midway_and_tried_again_stores_each_session_once(
    live_server, guides, user, page_at
):
    page = page_at(PHONE, service_workers="allow")
    page.context.add_init_script(WITHOUT_BACKGROUND_SYNC)
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)
    page.context.set_offline(True)
    for code, before in [("BL23", 7), ("LI4", 6), ("GB30", 5)]:
        log_offline(page, code, before, before - 3)

    # The first session reaches the server and is stored, but the answer never comes back.
    def stored_then_cut_off(route):
        route.fetch()
        route.abort("connectionreset")

    page.route("**/api/v1/sessions/", stored_then_cut_off, times=1)
    with page.expect_event("requestfailed"):
        page.context.set_offline(False)
    assert PracticeSession.objects.filter(user=user).count() == 1
    expect(waiting_list(page).locator("li")).to_have_count(3)

    page.reload()  # tried again: the first is sent a second time, and answered with the one stored
    expect(page.get_by_role("status")).to_have_text(
        "3 sessions saved on this phone are now in your journal."
    )
    expect(waiting_list(page)).to_be_hidden()
    assert [(s.pain_before, s.pain_after) for s in stored(user)] == [(5, 2), (6, 3), (7, 4)]


def test_a_session_the_server_refuses_stays_with_its_reason(
    live_server, guides, user, page_at, axe
):
    factor = FactorFactory(owner=user, name="Hot water bottle")
    page = page_at(PHONE, service_workers="allow")
    page.context.add_init_script(WITHOUT_BACKGROUND_SYNC)
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)
    page.context.set_offline(True)
    log_offline(page, "BL23", 7, 4, factor=factor)
    log_offline(page, "LI4", 6, 3)
    factor_id = factor.pk
    factor.delete()  # removed (say, on a computer) before the phone is back online

    page.context.set_offline(False)
    expect(page.get_by_role("status")).to_have_text(
        "1 session saved on this phone is now in your journal."
    )
    waiting = waiting_list(page)
    expect(waiting.locator("li")).to_have_count(1)
    page.goto(live_server.url + "/journal/")
    expect(page.locator(".session-rows li")).to_have_count(1)
    expect(waiting.locator("li")).to_have_count(1)
    refused = waiting.locator("li")
    expect(refused).to_contain_text("BL23, pain 7 → 4.")
    expect(refused).to_contain_text(
        f"Not saved in your journal: Factor {factor_id} is not one of the built-in factors or yours."
    )
    expect(refused.get_by_role("link", name="Log it again")).to_have_attribute(
        "href", "/journal/new/?points=bl23"
    )
    assert [s.pain_before for s in stored(user)] == [6]
    check_page(page, axe, "waiting-refused-375")

    refused.get_by_role("button", name="Discard").click()
    expect(waiting).to_be_hidden()
    page.reload()
    expect(waiting).to_be_hidden()
    assert len(stored(user)) == 1


def test_log_out_deletes_the_sessions_waiting_on_this_phone(live_server, guides, user, page_at):
    page = page_at(PHONE, service_workers="allow")
    page.context.add_init_script(WITHOUT_BACKGROUND_SYNC)
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)
    page.context.set_offline(True)
    log_offline(page, "BL23", 7, 4)

    # Back online, but the sync cannot get through before the person logs out.
    page.route("**/api/v1/sessions/", lambda route: route.abort())
    page.context.set_offline(False)
    expect(waiting_list(page).locator("li")).to_have_count(1)
    page.locator(".bottom-bar summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")

    assert FORM_CACHE not in page.evaluate("caches.keys()")
    databases = page.evaluate("indexedDB.databases().then(list => list.map(db => db.name))")
    assert "acupressure-journal" not in databases
    assert PracticeSession.objects.count() == 0


def test_the_log_form_kept_for_one_user_is_never_shown_to_another(
    live_server, guides, user, page_at
):
    """Logged in as someone else (no log-out in between), the first page the worker fetches for
    them drops the first person's copy of the form."""
    page = page_at(PHONE, service_workers="allow")
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)

    page.context.clear_cookies()
    log_in_with_cookie(page, live_server.url, UserFactory())
    page.goto(live_server.url + "/guides/")
    wait_until(page, FORM_GONE, FORM_CACHE)
    page.context.set_offline(True)
    page.goto(live_server.url + "/journal/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("No connection")


def test_the_worker_sends_them_on_a_background_sync(live_server, guides, user, page_at):
    """Where the browser has Background Sync, the worker sends them, with no journal page open.
    When the browser fires the event is its own choice (it may wait minutes after a failed
    try), so the test fires it as Chromium's DevTools do."""
    page = page_at(PHONE, service_workers="allow")
    log_in_with_cookie(page, live_server.url, user)
    open_log_form_kept_offline(page, live_server.url)
    page.context.set_offline(True)
    log_offline(page, "BL23", 7, 4)
    page.goto(live_server.url + "/guides/bl23/")  # a kept guide page: no journal script on it
    expect(page.get_by_role("heading", level=1)).to_contain_text("BL23")
    assert page.evaluate(SYNC_TAGS) == ["send-waiting-sessions"]

    page.context.set_offline(False)
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    # The registrations arrive as events, in their own time: wait for them.
    live = wait_for(page, lambda: [r for r in registrations if not r["isDeleted"]])
    assert live, "Chromium reported no service worker registration"
    registration = live[0]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "send-waiting-sessions",
            "lastChance": False,
        },
    )
    wait_until(page, NOTHING_WAITING)
    assert [s.pain_before for s in stored(user)] == [7]
