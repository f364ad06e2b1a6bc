import importlib

import pytest
from django.apps import apps

from acupressure.loader import load_guides

from .factories import UserFactory


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
