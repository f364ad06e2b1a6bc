"""manage.py make_vapid_keys, and the check that the configured pair is one."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from py_vapid import Vapid

from journal.push import check_vapid_keys, public_key_of
from tests.test_settings import settings_with


def make_keys() -> dict[str, str]:
    out = StringIO()
    call_command("make_vapid_keys", stdout=out, stderr=StringIO())
    return dict(line.split("=", 1) for line in out.getvalue().splitlines())


def test_it_prints_a_pair_in_the_form_the_settings_read():
    keys = make_keys()
    assert set(keys) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    assert len(keys["VAPID_PRIVATE_KEY"]) == 43  # 32 bytes, base64url without padding
    assert len(keys["VAPID_PUBLIC_KEY"]) == 87  # an uncompressed P-256 point
    vapid = Vapid.from_string(keys["VAPID_PRIVATE_KEY"])
    assert public_key_of(vapid) == keys["VAPID_PUBLIC_KEY"]


def test_each_run_makes_a_new_pair():
    assert make_keys() != make_keys()


def test_the_check_accepts_a_pair_it_made(settings):
    keys = make_keys()
    settings.VAPID_PUBLIC_KEY = keys["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = keys["VAPID_PRIVATE_KEY"]
    assert check_vapid_keys() == []


def test_the_check_finds_keys_from_two_pairs(settings):
    settings.VAPID_PUBLIC_KEY = make_keys()["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = make_keys()["VAPID_PRIVATE_KEY"]
    assert [error.id for error in check_vapid_keys()] == ["journal.E002"]


def test_the_check_finds_a_private_key_it_cannot_read(settings):
    settings.VAPID_PUBLIC_KEY = make_keys()["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = "not a key"
    assert [error.id for error in check_vapid_keys()] == ["journal.E001"]


def test_half_a_key_pair_is_a_clear_startup_error():
    result = settings_with(VAPID_PUBLIC_KEY=make_keys()["VAPID_PUBLIC_KEY"])
    assert result.returncode != 0
    assert "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY" in result.stderr


def test_keys_without_a_subject_are_a_clear_startup_error():
    result = settings_with(**make_keys())
    assert result.returncode != 0
    assert "VAPID_SUBJECT must be set" in result.stderr


def test_keys_with_a_subject_start():
    result = settings_with(**make_keys(), VAPID_SUBJECT="mailto:reminders@example.org")
    assert result.returncode == 0, result.stderr
