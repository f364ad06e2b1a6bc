"""Settings come from the environment; production refuses to start without a secret key."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "OPTIONS": db.get("OPTIONS", {}),
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
}))
"""


def settings_with(**environ):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environ)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_development_defaults_need_no_environment():
    result = settings_with()
    values = json.loads(result.stdout)
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["NAME"].endswith("db.sqlite3")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_sqlite_is_set_up_for_concurrent_writers():
    options = json.loads(settings_with().stdout)["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_database_url_selects_postgresql():
    result = settings_with(DATABASE_URL="postgres://someone@db.example:5432/journal")
    values = json.loads(result.stdout)
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "journal"


def test_production_reads_hosts_and_turns_on_https():
    result = settings_with(DEBUG="False", SECRET_KEY="x" * 50, ALLOWED_HOSTS="journal.example")
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["journal.example"]
    assert values["SECURE_SSL_REDIRECT"] is True


def test_production_without_secret_key_is_a_clear_startup_error():
    result = settings_with(DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
