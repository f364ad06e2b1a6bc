"""The push switch on the settings page, and the two addresses its script posts to."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import PushSubscription
from journal.push import MAX_SUBSCRIPTIONS_PER_USER
from tests.factories import UserFactory

from .conftest import Browser

FCM = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9"
HYPOTHESIS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def post_json(client, name: str, data) -> object:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(reverse(name), body, content_type="application/json")


# The settings page ---------------------------------------------------------------------------


def test_the_settings_page_offers_the_switch_with_the_public_key(logged_in, push_on):
    page = logged_in.get(reverse("account_settings")).content.decode()
    assert f'data-public-key="{push_on[0]}"' in page
    assert "js/push.js" in page
    assert page.index("js/strings.js") < page.index("js/push.js")
    # What shows until the script runs, and all that shows without JavaScript.
    assert "Push reminders need JavaScript" in page
    assert "E-mail reminders and the calendar below still work." in page


def test_without_vapid_keys_the_page_says_push_is_not_available(logged_in):
    page = logged_in.get(reverse("account_settings")).content.decode()
    assert "Push reminders are not available on this site." in page
    assert "js/push.js" not in page
    assert "data-public-key" not in page


def test_the_page_lists_only_the_persons_own_browsers(logged_in, user, push_on):
    Browser().subscribe(user, FCM + "mine")
    Browser().subscribe(UserFactory(username="other"), FCM + "theirs")
    page = logged_in.get(reverse("account_settings")).content.decode()
    assert FCM + "mine" in page
    assert FCM + "theirs" not in page
    assert "Push reminders are on in 1 browser of yours." in page


# Subscribing ---------------------------------------------------------------------------------


def test_subscribing_stores_the_browsers_subscription(logged_in, user, push_on):
    browser = Browser()
    response = post_json(logged_in, "push_subscribe", browser.subscription_json(FCM))
    assert response.status_code == 201
    [stored] = user.push_subscriptions.all()
    assert (stored.endpoint, stored.p256dh, stored.auth) == (FCM, browser.p256dh, browser.auth)


def test_subscribing_again_renews_the_keys_without_a_second_copy(logged_in, user, push_on):
    post_json(logged_in, "push_subscribe", Browser().subscription_json(FCM))
    renewed = Browser()
    post_json(logged_in, "push_subscribe", renewed.subscription_json(FCM))
    [stored] = user.push_subscriptions.all()
    assert stored.p256dh == renewed.p256dh


def test_padded_keys_are_stored_without_padding(logged_in, user, push_on):
    browser = Browser()
    data = browser.subscription_json(FCM)
    data["keys"]["auth"] += "=="
    assert post_json(logged_in, "push_subscribe", data).status_code == 201
    assert user.push_subscriptions.get().auth == browser.auth


def test_a_person_keeps_at_most_ten_browsers_the_newest(logged_in, user, push_on):
    for number in range(MAX_SUBSCRIPTIONS_PER_USER + 2):
        post_json(logged_in, "push_subscribe", Browser().subscription_json(f"{FCM}{number}"))
    endpoints = set(user.push_subscriptions.values_list("endpoint", flat=True))
    assert len(endpoints) == MAX_SUBSCRIPTIONS_PER_USER
    assert f"{FCM}0" not in endpoints and f"{FCM}11" in endpoints


def test_subscribing_needs_a_log_in(client, db, push_on):
    response = post_json(client, "push_subscribe", Browser().subscription_json(FCM))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("name", ["push_subscribe", "push_unsubscribe"])
def test_only_post_is_allowed(logged_in, push_on, name):
    assert logged_in.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", ["push_subscribe", "push_unsubscribe"])
def test_a_post_without_the_csrf_token_is_refused(user, push_on, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    Browser().subscribe(user, FCM)
    response = post_json(client, name, Browser().subscription_json(FCM))
    assert response.status_code == 403
    assert user.push_subscriptions.get().endpoint == FCM  # neither added nor removed


def test_a_post_with_the_csrf_token_from_the_page_works(user, push_on):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("account_settings"))
    response = client.post(
        reverse("push_subscribe"),
        json.dumps(Browser().subscription_json(FCM)),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201


def test_subscribing_when_the_site_has_no_vapid_keys_is_refused(logged_in, user):
    response = post_json(logged_in, "push_subscribe", Browser().subscription_json(FCM))
    assert response.status_code == 404
    assert "not set up" in response.json()["error"]
    assert not user.push_subscriptions.exists()


def _with(**changes) -> dict:
    data = Browser().subscription_json(FCM)
    for key, value in changes.items():
        if key in {"p256dh", "auth"}:
            data["keys"][key] = value
        else:
            data[key] = value
    return data


BAD_BODIES = {
    "not JSON": "endpoint=https://example.org",
    "a JSON list": [FCM],
    "JSON nested deep": "[" * 100_000 + "]" * 100_000,
    "invalid UTF-8": "\udcff",
    "no endpoint": _with(endpoint=None),
    "endpoint a number": _with(endpoint=12),
    "plain http": _with(endpoint="http://fcm.googleapis.com/fcm/send/x"),
    "another scheme": _with(endpoint="ftp://fcm.googleapis.com/x"),
    "javascript": _with(endpoint="javascript:alert(1)"),
    "an IP address": _with(endpoint="https://10.0.0.1/push/x"),
    "an IPv6 address": _with(endpoint="https://[::1]/push/x"),
    "localhost": _with(endpoint="https://localhost/push/x"),
    "a bare host": _with(endpoint="https://intranet/push/x"),
    "with a password": _with(endpoint="https://user:secret@fcm.googleapis.com/x"),
    "a bad port": _with(endpoint="https://fcm.googleapis.com:99999/x"),
    "too long": _with(endpoint=FCM + "x" * 1000),
    "a NUL": _with(endpoint=FCM + "\x00"),
    "spaces": _with(endpoint="https://fcm.googleapis.com/a b"),
    "no keys": {"endpoint": FCM},
    "keys a list": {"endpoint": FCM, "keys": ["a", "b"]},
    "p256dh not base64url": _with(p256dh="<script>alert(1)</script>"),
    "p256dh too short": _with(p256dh="BAAA"),
    "p256dh not on the curve": _with(p256dh="BA" + "A" * 85),
    "p256dh too long": _with(p256dh="B" * 5000),
    "auth too short": _with(auth="AAAA"),
    "auth too long": _with(auth="A" * 43),
    "auth with a bad character": _with(auth="A" * 21 + "+"),
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_input_is_a_400_with_a_message(logged_in, user, push_on, body):
    if body == "\udcff":
        response = logged_in.post(reverse("push_subscribe"), b"\xff", "application/json")
    else:
        response = post_json(logged_in, "push_subscribe", body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not user.push_subscriptions.exists()


@HYPOTHESIS
@given(
    endpoint=st.one_of(st.text(max_size=300), st.just(FCM)),
    p256dh=st.text(max_size=120),
    auth=st.text(max_size=40),
)
def test_any_text_is_stored_or_refused_never_a_server_error(
    logged_in, push_on, endpoint, p256dh, auth
):
    data = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    assert post_json(logged_in, "push_subscribe", data).status_code in {201, 400}


def test_a_local_push_service_is_refused_outside_tests(logged_in, push_on):
    data = Browser().subscription_json("http://127.0.0.1:8765/push/x")
    assert post_json(logged_in, "push_subscribe", data).status_code == 400


# Unsubscribing -------------------------------------------------------------------------------


def test_unsubscribing_deletes_this_browsers_subscription(logged_in, user, push_on):
    Browser().subscribe(user, FCM)
    Browser().subscribe(user, FCM + "laptop")
    response = post_json(logged_in, "push_unsubscribe", {"endpoint": FCM})
    assert response.status_code == 200
    assert list(user.push_subscriptions.values_list("endpoint", flat=True)) == [FCM + "laptop"]


def test_unsubscribing_leaves_another_persons_subscription_alone(logged_in, user, push_on):
    """Two people may have switched push on in the same browser: each ends only their own."""
    other = UserFactory(username="other")
    Browser().subscribe(other, FCM)
    response = post_json(logged_in, "push_unsubscribe", {"endpoint": FCM})
    assert response.status_code == 200
    assert other.push_subscriptions.get().endpoint == FCM


def test_unsubscribing_needs_a_log_in(client, db, push_on):
    owner = UserFactory(username="owner")
    Browser().subscribe(owner, FCM)
    response = post_json(client, "push_unsubscribe", {"endpoint": FCM})
    assert response.status_code == 302
    assert owner.push_subscriptions.exists()


@pytest.mark.parametrize("body", ["nope", [], {}, {"endpoint": 5}, {"endpoint": "x" * 2000}])
def test_unsubscribing_with_bad_input_is_a_400(logged_in, push_on, body):
    response = post_json(logged_in, "push_unsubscribe", body)
    assert response.status_code == 400
    assert response.json()["error"]
