"""A stand-in push service on 127.0.0.1, a browser's keys, and the site's VAPID keys."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

from journal.models import PracticePlan, PushSubscription, Weekday
from journal.push import public_key_of
from tests.factories import PublicRoutineFactory, UserFactory


@dataclass
class Browser:
    """What a browser keeps when it subscribes: its key pair and its auth secret (RFC 8291)."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64urlencode(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64urlencode(self.auth_secret)

    def subscription_json(self, endpoint: str) -> dict:
        """As PushSubscription.toJSON() gives it in the browser."""
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def subscribe(self, user, endpoint: str) -> PushSubscription:
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=self.p256dh, auth=self.auth
        )


@dataclass
class Received:
    path: str
    headers: Message
    body: bytes


class PushService:
    """Answers every POST with 201, or with the status set for its path, and keeps each one."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[Received] = []
        self.status_for: dict[str, int] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{name}"


def new_vapid_keys() -> tuple[str, str]:
    """A (public, private) pair in the form of the VAPID_* settings."""
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return public_key_of(vapid), b64urlencode(private)


@pytest.fixture(scope="session")
def vapid_keys() -> tuple[str, str]:
    return new_vapid_keys()


@pytest.fixture
def push_on(settings, vapid_keys):
    """The site with VAPID keys, as production has them."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_keys
    settings.VAPID_SUBJECT = "mailto:reminders@example.org"
    return vapid_keys


@pytest.fixture
def push_service(settings, push_on):
    """A push service on http://127.0.0.1:<free port>, which the site may use in tests only."""
    settings.PUSH_ALLOW_LOCAL_ENDPOINTS = True
    service: PushService

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            service.received.append(Received(self.path, self.headers, body))
            self.send_response(service.status_for.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service = PushService(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def due_plan(db) -> PracticePlan:
    """A plan whose reminder fell five minutes ago, with a routine to suggest."""
    user = UserFactory(username="maria")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    at = (timezone.now() - timedelta(minutes=5)).astimezone(ZoneInfo("Europe/London"))
    return PracticePlan.objects.create(
        user=user,
        reminders_on=True,
        reminder_days=Weekday.values[at.weekday()],
        reminder_time=at.time().replace(second=0, microsecond=0),
        reminder_routine=PublicRoutineFactory(title="Five minutes for the lower back"),
    )
