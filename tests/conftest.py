import importlib
import os
from datetime import datetime, timezone

import pytest
import time_machine
from django.apps import apps

from acupressure.loader import load_guides

from .factories import UserFactory

# No test may depend on today's date (issue 19). To run the tests on another day, set
# TEST_FAKE_NOW to an ISO 8601 date-time, with its UTC offset (none means UTC), e.g.
#   TEST_FAKE_NOW=2028-02-29T10:00:00+00:00 .venv/bin/pytest tests/plan
# The clock starts there before collection and keeps ticking (time-machine, tick=True) for the
# whole run, in every thread, so the live server of the browser tests lives on that day too. The
# browser's own clock is not moved: the pages' JavaScript does not use dates. The process's
# zone stays settings.TIME_ZONE, as in production. docs/development.md lists the days to try.
FAKE_NOW = os.environ.get("TEST_FAKE_NOW", "")


def pytest_configure(config):
    if FAKE_NOW:
        start = datetime.fromisoformat(FAKE_NOW)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        # A fixed offset, not a ZoneInfo: time-machine would change the process's zone too.
        traveller = time_machine.travel(start.astimezone(timezone.utc), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    if FAKE_NOW:
        return f"TEST_FAKE_NOW={FAKE_NOW}: the clock starts there"


@pytest.fixture
def guides(db):
    """The real guide content, loaded the way `manage.py load_guides` loads it."""
    load_guides()


@pytest.fixture(autouse=True)
def empty_cache():
    """API throttling counts requests in the cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def user(db):
    """A journal user with no sessions (tests that need another kind define their own)."""
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def built_in_factors(request):
    """The built-in factors come from a data migration, and a test on a live server (a
    transactional database) empties every table afterwards. Later such tests get them back."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("journal.migrations.0009_factors_and_rest")
    migration.add_built_in_factors(apps, None)


# The tests create a user (and often log one in) nearly every time: with the production hasher,
# PBKDF2 at a million rounds, that alone took minutes of the suite. Tests hash with MD5 instead;
# tests/accounts/test_password_hashing.py checks that the real settings keep the slow hashers.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield
