import pytest

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
