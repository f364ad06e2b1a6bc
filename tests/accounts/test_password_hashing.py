"""The suite hashes passwords with MD5 to save minutes (tests/conftest.py); the app must not."""

import importlib

from django.conf import global_settings
from django.contrib.auth.hashers import get_hasher

from tests.conftest import FAST_HASHERS


def test_the_real_settings_hash_passwords_with_pbkdf2_at_djangos_rounds():
    real = importlib.import_module("config.settings")
    hashers = getattr(real, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert not set(FAST_HASHERS) & set(hashers)


def test_the_suite_uses_the_fast_hasher():
    assert get_hasher().algorithm == "md5"
