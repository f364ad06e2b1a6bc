"""send_reminders pushes a due reminder to each of the person's browsers, through a real (local)
push service: signed with the site's VAPID key, encrypted so that only the browser can read it."""

from __future__ import annotations

import base64
import json
import logging
import socket
from io import StringIO

import http_ece
import pytest
from django.core.management import CommandError, call_command
from py_vapid import Vapid02

from journal.models import PushSubscription
from tests.factories import UserFactory

from .conftest import Browser


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def decrypt(received, browser: Browser) -> dict:
    plain = http_ece.decrypt(
        received.body,
        private_key=browser.private_key,
        auth_secret=browser.auth_secret,
        version="aes128gcm",
    )
    return json.loads(plain)


def jwt_claims(authorization: str) -> dict:
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))


def test_a_due_reminder_is_pushed_signed_and_encrypted(push_service, due_plan, vapid_keys):
    browser = Browser()
    subscription = browser.subscribe(due_plan.user, push_service.url("maria-phone"))

    assert run() == "2 reminders sent.\n"  # the e-mail and the push

    [received] = push_service.received
    assert received.path == "/push/maria-phone"
    authorization = received.headers["Authorization"]
    assert authorization.startswith("vapid t=")
    assert f",k={vapid_keys[0]}" in authorization
    assert Vapid02.verify(authorization)
    claims = jwt_claims(authorization)
    assert claims["aud"] == f"http://127.0.0.1:{push_service.port}"
    assert claims["sub"] == "mailto:reminders@example.org"
    assert received.headers["Content-Encoding"] == "aes128gcm"
    assert received.headers["TTL"] == "3600"
    assert decrypt(received, browser) == {
        "title": "Time for acupressure",
        "body": "Five minutes for the lower back: tap to start.",
        "url": due_plan.reminder_routine.get_absolute_url(),
    }
    subscription.refresh_from_db()
    assert subscription.last_used is not None
    assert subscription.last_reminded_for is not None


def test_without_a_routine_the_reminder_opens_the_log_form(push_service, due_plan):
    due_plan.reminder_routine = None
    due_plan.save()
    browser = Browser()
    browser.subscribe(due_plan.user, push_service.url("maria-phone"))
    run()
    [received] = push_service.received
    assert decrypt(received, browser)["url"] == "/journal/new/"


def test_every_browser_of_the_person_gets_it_and_nobody_else(push_service, due_plan):
    phone, laptop, stranger = Browser(), Browser(), Browser()
    phone.subscribe(due_plan.user, push_service.url("phone"))
    laptop.subscribe(due_plan.user, push_service.url("laptop"))
    stranger.subscribe(UserFactory(username="stranger"), push_service.url("stranger"))

    run()

    by_path = {received.path: received for received in push_service.received}
    assert set(by_path) == {"/push/phone", "/push/laptop"}
    assert decrypt(by_path["/push/phone"], phone)["title"] == "Time for acupressure"
    assert decrypt(by_path["/push/laptop"], laptop)["title"] == "Time for acupressure"


def test_running_twice_pushes_once(push_service, due_plan):
    Browser().subscribe(due_plan.user, push_service.url("phone"))
    run()
    assert run() == "0 reminders sent.\n"
    assert len(push_service.received) == 1


def test_no_push_when_reminders_are_off(push_service, due_plan):
    due_plan.reminders_on = False
    due_plan.save()
    Browser().subscribe(due_plan.user, push_service.url("phone"))
    assert run() == "0 reminders sent.\n"
    assert push_service.received == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_deleted(push_service, due_plan, status):
    gone = Browser().subscribe(due_plan.user, push_service.url("old-phone"))
    push_service.status_for["/push/old-phone"] = status

    assert run() == "1 reminder sent.\n"  # the e-mail; a gone browser is not a failure

    assert not PushSubscription.objects.filter(pk=gone.pk).exists()


def test_a_server_error_keeps_the_subscription_and_the_next_run_tries_again(
    push_service, due_plan, caplog
):
    failing = Browser().subscribe(due_plan.user, push_service.url("phone"))
    Browser().subscribe(due_plan.user, push_service.url("laptop"))
    push_service.status_for["/push/phone"] = 500

    with (
        caplog.at_level(logging.WARNING, logger="journal.push"),
        pytest.raises(CommandError, match="2 reminders sent; 1 failed"),
    ):
        run()

    assert [r.path for r in push_service.received] == ["/push/phone", "/push/laptop"]
    assert any(record.getMessage() == "reminder push refused" for record in caplog.records)
    failing.refresh_from_db()
    assert failing.last_reminded_for is None
    push_service.status_for.clear()
    assert run() == "1 reminder sent.\n"
    assert [r.path for r in push_service.received][2:] == ["/push/phone"]


def test_an_unreachable_push_service_does_not_stop_the_others(push_service, due_plan, caplog):
    with socket.socket() as closed:  # a port nobody listens on once this socket is closed
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = Browser().subscribe(due_plan.user, f"http://127.0.0.1:{port}/push/phone")
    Browser().subscribe(due_plan.user, push_service.url("laptop"))

    with pytest.raises(CommandError, match="2 reminders sent; 1 failed"):
        run()

    assert [r.path for r in push_service.received] == ["/push/laptop"]
    assert any(record.getMessage() == "reminder push failed" for record in caplog.records)
    assert PushSubscription.objects.filter(pk=unreachable.pk).exists()


def test_without_vapid_keys_nothing_is_pushed(settings, push_service, due_plan):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    Browser().subscribe(due_plan.user, push_service.url("phone"))
    assert run() == "1 reminder sent.\n"
    assert push_service.received == []
