import pytest

from acupressure.loader import load_guides


@pytest.fixture
def guides(db):
    """The real guide content, loaded the way `manage.py load_guides` loads it."""
    load_guides()
