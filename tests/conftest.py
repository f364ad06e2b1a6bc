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
    compile_catalogues(config)
    if FAKE_NOW:
        start = datetime.fromisoformat(FAKE_NOW)
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        # A fixed offset, not a ZoneInfo: time-machine would change the process's zone too.
        traveller = time_machine.travel(start.astimezone(timezone.utc), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def compile_catalogues(config):
    """`make test` compiles the catalogues; a bare `pytest` after editing a .po does it here,
    once, before any xdist worker starts."""
    if hasattr(config, "workerinput"):
        return
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for po in root.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            from acupressure.management.commands.compile_catalogues import compile_catalogue

            compile_catalogue(po)


def pytest_report_header(config):
    if FAKE_NOW:
        return f"TEST_FAKE_NOW={FAKE_NOW}: the clock starts there"


@pytest.fixture
def guides(db):
    """The real guide content, loaded the way `manage.py load_guides` loads it."""
    load_guides()


@pytest.fixture(autouse=True)
def english_to_start():
    """A request activates its language in the thread and leaves it there; each test starts
    (and leaves) in English, as a fresh process would."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    languages = importlib.import_module("journal.migrations.0015_factor_name_languages")
    languages.name_in_each_language(apps, None)


# The tests create a user (and often log one in) nearly every time: with the production hasher,
# PBKDF2 at a million rounds, that alone took minutes of the suite. Tests hash with MD5 instead;
# tests/accounts/test_password_hashing.py checks that the real settings keep the slow hashers.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield
