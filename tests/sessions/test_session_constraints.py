"""The database itself refuses impossible values, whatever code writes them."""

import pytest
from django.db import IntegrityError, transaction

from journal.models import SessionPoint
from tests.factories import PointFactory, PracticeSessionFactory


@pytest.mark.parametrize("field", ["pain_before", "pain_after", "pain_later"])
@pytest.mark.parametrize("value", [11, 99])
def test_pain_above_ten_is_refused_by_the_database(db, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeSessionFactory(**{field: value}, points=[])


@pytest.mark.parametrize("field", ["pain_before", "pain_after"])
def test_negative_pain_is_refused_by_the_database(db, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeSessionFactory(**{field: -1}, points=[])


def test_seconds_over_an_hour_are_refused_by_the_database(db):
    session = PracticeSessionFactory(points=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPoint.objects.create(session=session, point=PointFactory(), seconds=3601)


def test_a_point_is_recorded_once_per_session(db):
    point = PointFactory()
    session = PracticeSessionFactory(points=[point])
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPoint.objects.create(session=session, point=point, position=1)


def test_deleting_a_user_deletes_their_sessions(db):
    session = PracticeSessionFactory()
    session.user.delete()
    assert not SessionPoint.objects.exists()
