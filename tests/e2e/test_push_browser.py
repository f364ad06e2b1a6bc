"""The push reminders switch in a real browser: static/js/push.js asks for permission, subscribes
with the site's key and posts the subscription with the CSRF token; turning it off ends it.

Chromium cannot reach a real push service here, so the page's PushManager is replaced by one that
hands out a fixed subscription (sending to a push service is tested in tests/push/)."""

from __future__ import annotations

import base64
import json

import pytest
from playwright.sync_api import expect

from journal.models import PushSubscription

from ..factories import UserFactory
from ..push.conftest import Browser, new_vapid_keys
from .conftest import PHONE, check_page, wait_for
from .test_home_and_navigation_browser import log_in_with_cookie

ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-browser"

FAKE_PUSH_MANAGER = """
(() => {
  const subscription = {
    endpoint: %(endpoint)r,
    toJSON() {
      return { endpoint: this.endpoint, expirationTime: null, keys: %(keys)s };
    },
    unsubscribe() {
      sessionStorage.removeItem("fake-push");
      return Promise.resolve(true);
    },
  };
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    sessionStorage.setItem("fake-push", btoa(String.fromCharCode(...key)));
    return Promise.resolve(subscription);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(sessionStorage.getItem("fake-push") ? subscription : null);
  };
})();
"""


@pytest.fixture
def push_settings(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_vapid_keys()
    settings.VAPID_SUBJECT = "mailto:reminders@example.org"
    return settings.VAPID_PUBLIC_KEY


def test_push_reminders_switch_on_and_off(live_server, page_at, axe, push_settings):
    user = UserFactory(username="phone-owner")
    browser_keys = Browser()
    page = page_at(PHONE, service_workers="allow")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    keys = {"p256dh": browser_keys.p256dh, "auth": browser_keys.auth}
    page.add_init_script(FAKE_PUSH_MANAGER % {"endpoint": ENDPOINT, "keys": repr(keys)})
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    log_in_with_cookie(page, live_server.url, user)

    page.goto(live_server.url + "/accounts/settings/#push")
    status = page.locator("#push-status")
    expect(status).to_have_text("Push reminders are off in this browser.")
    check_page(page, axe, "settings-push-375")

    page.get_by_role("button", name="Turn on push reminders").click()
    expect(status).to_have_text("Push reminders are on in this browser.")
    stored = PushSubscription.objects.get(user=user)
    assert (stored.endpoint, stored.p256dh, stored.auth) == (ENDPOINT, keys["p256dh"], keys["auth"])
    # The browser was given the site's public key, as bytes.
    sent_key = page.evaluate("sessionStorage.getItem('fake-push')")
    assert base64.b64decode(sent_key) == base64.urlsafe_b64decode(push_settings + "=")

    page.reload()
    expect(status).to_have_text("Push reminders are on in this browser.")
    page.get_by_role("button", name="Turn off push reminders").click()
    expect(status).to_have_text("Push reminders are off in this browser.")
    assert not PushSubscription.objects.filter(user=user).exists()
    assert problems == []


def shown_notifications(page) -> list[dict]:
    return page.evaluate(
        """navigator.serviceWorker.ready
            .then((registration) => registration.getNotifications())
            .then((shown) => shown.map((n) => ({title: n.title, body: n.body, url: n.data.url})))"""
    )


@pytest.mark.parametrize(
    ("url", "opens"),
    [("/journal/new/", "/journal/new/"), ("https://evil.example/phish", "/")],
    ids=["own page", "another site"],
)
def test_the_service_worker_shows_a_pushed_reminder(live_server, page_at, url, opens):
    page = page_at(PHONE, service_workers="allow")
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    registration = wait_for(
        page, lambda: next((r for r in registrations if not r["isDeleted"]), None)
    )
    payload = {"title": "Time for acupressure", "body": "Five minutes: tap to start.", "url": url}

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )

    assert wait_for(page, lambda: shown_notifications(page)) == [
        {
            "title": "Time for acupressure",
            "body": "Five minutes: tap to start.",
            "url": live_server.url + opens,
        }
    ]
