import pytest

from acupressure.loader import load_guides


@pytest.fixture
def guides(db):
    """The real guide content, loaded the way `manage.py load_guides` loads it."""
    load_guides()


@pytest.fixture(autouse=True)
def empty_cache():
    """API throttling counts requests in the cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
