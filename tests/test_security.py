"""Production settings, security headers, structured logs, and log-in abuse protection."""

import io
import json
import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from config.observability import JSONFormatter, RequestIDFilter

from .factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "journal.example",
}


def run_manage(*args, **env):
    # (The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never would.)
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {k: v for k, v in os.environ.items() if k not in unset}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_settings_would_fail_check_deploy():
    # The check is real: with the development defaults it reports problems.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_every_response_carries_the_security_headers(client, db):
    response = client.get("/guides/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_https(client, db):
    response = client.get("/guides/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_cookies_are_secure_httponly_and_samesite():
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE, settings.SECURE_SSL_REDIRECT]))"
    )
    environ = {**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert json.loads(result.stdout) == [True, True, True, "Lax", True]


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<style" in text or " style=" in text:
            offenders.append(f"{path}: inline style")
        for chunk in text.split("<script")[1:]:
            if (
                "src=" not in chunk.split(">", 1)[0]
                and 'type="application/json"' not in chunk.split(">", 1)[0]
            ):
                offenders.append(f"{path}: inline script")
    assert offenders == []


def test_responses_carry_a_request_id_and_logs_are_json_with_it(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc12345-trace")
    assert response["X-Request-ID"] == "abc12345-trace"
    assert len(client.get("/healthz", HTTP_X_REQUEST_ID="<bad id>")["X-Request-ID"]) == 32

    record = logging.LogRecord("journal", logging.WARNING, __file__, 1, "disk %s", ("full",), None)
    RequestIDFilter().filter(record)
    line = json.loads(JSONFormatter().format(record))
    assert line["message"] == "disk full"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"


def test_server_errors_are_logged_as_json_with_the_request_id(client, db, monkeypatch):
    from acupressure import views

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(views.queries, "featured_points", broken)
    client.raise_request_exception = False
    (console,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JSONFormatter)]
    output = io.StringIO()
    previous = console.setStream(output)
    try:
        response = client.get("/", HTTP_X_REQUEST_ID="req-00000001")
    finally:
        console.setStream(previous)
    assert response.status_code == 500
    assert b"req-00000001" in response.content
    logged = [json.loads(line) for line in output.getvalue().splitlines()]
    assert any(
        entry["request_id"] == "req-00000001" and "boom" in entry.get("exception", "")
        for entry in logged
    )


def wrong_login(client, username, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_username_and_address(client, db):
    UserFactory(username="ana")
    for _ in range(4):
        assert wrong_login(client, "ana").status_code == 200
    locked = wrong_login(client, "ana")
    assert locked.status_code == 429
    assert "Too many log-in attempts" in locked.text
    # Even the right password is refused while locked.
    right = client.post(
        reverse("login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert right.status_code == 429
    # Another address is not locked out (a stranger cannot lock you out everywhere).
    other = client.post(
        reverse("login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302


def test_lock_lifts_after_the_cool_off(client, db):
    UserFactory(username="ana")
    for _ in range(5):
        wrong_login(client, "ana")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post(
        reverse("login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


MIXED_SPELLINGS = [
    "brute.target@example.com",
    "BRUTE.TARGET@EXAMPLE.COM",
    "Brute.Target@Example.com",
    "bRUTE.tARGET@eXAMPLE.cOM",
    " brute.target@example.com ",
    "Brute.target@example.COM",
    "brute",
    "BRUTE.TARGET@example.com",
    "brute.TARGET@EXAMPLE.com",
    "Brute.Target@EXAMPLE.COM",
    "bRute.tArget@example.com",
    "brute.target@Example.Com",
]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_every_spelling_of_an_account_shares_one_lock(client, db, url):
    # Issue 16: axes locked the raw text, so each spelling got its own five guesses.
    user = UserFactory(username="brute", email="brute.target@example.com")
    user.is_staff = user.is_superuser = True
    user.save()

    def log_in(name, password):
        return client.post(url, {"username": name, "password": password}, REMOTE_ADDR="10.0.0.1")

    statuses = [log_in(name, "wrong").status_code for name in MIXED_SPELLINGS]
    assert statuses == [200] * 4 + [429] * 8
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"brute"}
    for name in ["BRUTE.target@example.com", "brute"]:
        assert log_in(name, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    # Still locked just before the cool-off ends; open once it has.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert log_in("Brute.Target@example.com", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in("Brute.Target@example.com", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AccessAttempt.objects.exists()  # the success cleared the count


def test_every_spelling_of_an_unknown_name_shares_one_lock(client, db):
    spellings = ["Nobody@Example.com", "NOBODY@example.com", "nobody@EXAMPLE.COM"]
    statuses = [wrong_login(client, spellings[i % 3]).status_code for i in range(6)]
    assert statuses == [200] * 4 + [429] * 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["nobody@example.com"]


@pytest.mark.parametrize("email", ["ana@example.com", "nobody@example.com"])
def test_password_reset_answer_is_the_same_whether_or_not_the_account_exists(client, db, email):
    UserFactory(username="ana", email="ana@example.com")
    response = client.post(reverse("password_reset"), {"email": email}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "If an account uses that address" in response.text


def test_a_database_outage_gives_a_retryable_503_page_not_a_crash(client, db, monkeypatch):
    from django.db import OperationalError

    from journal import queries

    def unavailable(*args, **kwargs):
        raise OperationalError("database is locked")

    client.force_login(UserFactory())
    monkeypatch.setattr(queries, "session_list", unavailable)
    client.raise_request_exception = False
    response = client.get("/journal/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Please try again in a moment" in response.content
