"""The import writes sessions with plain INSERTs (journal/bulk_insert.py): what lands in the database
is what the ORM would have written, column by column."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journal import importing
from journal.models import PracticeSession
from tests.factories import PointFactory, PublicRoutineFactory, UserFactory

UTC = ZoneInfo("UTC")


@pytest.fixture
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


def row(started_at: datetime, **changes) -> dict:
    return {
        "row": 2,
        "started_at": started_at.isoformat(),
        "points": ["LI4", "BL23"],
        "seconds": [90, None],
        "pain_before": 7,
        "pain_after": 4,
        "pain_later": None,
        "area": "neck",
        "notes": 'ünïcödé, "quoted"\nnew line',
        "routine": None,
        "show_in_report": True,
        **changes,
    }


def test_every_column_is_what_the_orm_would_write(points):
    user = UserFactory()
    routine = PublicRoutineFactory(slug="desk-break")
    started_at = datetime(2025, 12, 31, 23, 59, 59, 250_000, tzinfo=UTC)
    before = timezone.now()
    importing.save_rows(user, [row(started_at, routine=routine.pk, pain_later=3)])
    imported = PracticeSession.objects.get()
    by_orm = PracticeSession.objects.create(
        user=user,
        started_at=started_at,
        pain_before=7,
        pain_after=4,
        pain_later=3,
        area="neck",
        notes=imported.notes,
        routine=routine,
        show_in_report=True,
    )
    for field in PracticeSession._meta.concrete_fields:
        if field.primary_key:
            continue
        mine, theirs = getattr(imported, field.attname), getattr(by_orm, field.attname)
        if field.name in ("created_at", "updated_at"):
            assert before <= mine <= theirs, field.name
        else:
            assert mine == theirs, field.name
    # Stored in the same form as the ORM stores it, so exact look-ups find both.
    assert PracticeSession.objects.filter(started_at=started_at).count() == 2
    assert [(sp.point.code, sp.position, sp.seconds) for sp in imported.session_points.all()] == [
        ("LI4", 0, 90),
        ("BL23", 1, None),
    ]


def test_many_sessions_get_their_own_points(points):
    user = UserFactory()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        row(start + timedelta(minutes=i), points=["BL23"] if i % 2 else ["LI4"], seconds=[i])
        for i in range(1200)  # more than one INSERT's worth on every database
    ]
    outcome = importing.save_rows(user, rows)
    assert outcome.created == 1200
    sessions = PracticeSession.objects.filter(user=user).with_points().order_by("started_at")
    for i, session in enumerate(sessions):
        assert session.started_at == start + timedelta(minutes=i)
        [point] = session.session_points.all()
        assert (point.point.code, point.seconds) == ("BL23" if i % 2 else "LI4", i)
