"""Export, delete every session, import: the same journal comes back, field by field.

Also: whatever a CSV file holds, the import answers with a report or a reason, never an error.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acupressure.models import Point
from journal import exporting
from journal.models import PendingImport, PracticeSession
from tests.factories import (
    PointFactory,
    PracticeSessionFactory,
    PublicRoutineFactory,
    RoutineFactory,
    SessionPointFactory,
    UserFactory,
)

UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def no_hourly_upload_limit(settings):
    """hypothesis uploads many files in one test; the limit has its own tests (test_import_limits)."""
    settings.IMPORT_UPLOADS_PER_HOUR = 0


def journal_snapshot(user) -> list[tuple]:
    sessions = PracticeSession.objects.for_user(user).with_points().order_by("started_at")
    return [
        (
            session.started_at,
            session.pain_before,
            session.pain_after,
            session.pain_later,
            session.area,
            session.notes,
            session.routine_id,
            session.show_in_report,
            [(sp.point.code, sp.position, sp.seconds) for sp in session.session_points.all()],
        )
        for session in sessions
    ]


@pytest.fixture
def journal(db):
    user = UserFactory(username="roundtrip")
    user.profile.time_zone = "America/Sao_Paulo"
    user.profile.save()
    bl23, li4, gb30 = (
        PointFactory(code=code, slug=code.lower()) for code in ("BL23", "LI4", "GB30")
    )
    first = PracticeSessionFactory(
        user=user,
        points=[],
        started_at=datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
        pain_before=9,
        pain_after=2,
        pain_later=4,
        area="leg",
        notes='Comma, "quotes",\nnew line, ünïcödé 腰痛 and ; semicolon',
        show_in_report=True,
        routine=PublicRoutineFactory(slug="desk-break", title="Desk break"),
    )
    SessionPointFactory(session=first, point=gb30, position=0, seconds=45)
    SessionPointFactory(session=first, point=bl23, position=1, seconds=None)
    SessionPointFactory(session=first, point=li4, position=2, seconds=3600)
    PracticeSessionFactory(
        user=user,
        points=[li4],
        started_at=datetime(2026, 6, 1, 7, 0, 1, tzinfo=UTC),
        pain_before=0,
        pain_after=10,
        area="other",
        notes="",
        routine=RoutineFactory(owner=user, title="Mine"),
    )
    PracticeSessionFactory(user=UserFactory(username="bystander"), points=[li4])
    return user


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_export_delete_import_gives_back_the_same_journal(client, journal, extension):
    client.force_login(journal)
    before = journal_snapshot(journal)
    exported = b"".join(client.get(f"/journal/export.{extension}").streaming_content)

    PracticeSession.objects.filter(user=journal).delete()
    response = client.post(
        "/journal/import/", {"file": SimpleUploadedFile(f"mine.{extension}", exported)}
    )
    pending = PendingImport.objects.get()
    assert pending.report["problems"] == []
    client.post(response.url, {"action": "import"})

    assert journal_snapshot(journal) == before
    assert PracticeSession.objects.exclude(user=journal).count() == 1


# What a spreadsheet would run as a formula, the ' that marks one as text, and both together.
NOTE_STARTS = ["'", "=", "+", "-", "@", "\t", "\r", "'=", "''+", "'''@", "'a", " =", ""]
NOTE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("'=+-@\t\r\n, ;\"a1")),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    max_size=40,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    notes=st.lists(
        st.builds(str.__add__, st.sampled_from(NOTE_STARTS), NOTE_TEXT), min_size=1, max_size=3
    ),
    extension=st.sampled_from(["csv", "json"]),
)
def test_notes_however_they_start_come_back_exactly(client, journal, notes, extension):
    """The CSV export puts a ' before a note a spreadsheet would run as a formula and the import
    takes exactly that one off, so every note comes back as it was, in both formats."""
    client.force_login(journal)
    PracticeSession.objects.filter(user=journal).delete()
    li4 = Point.objects.get(code="LI4")
    for day, note in enumerate(notes, start=1):
        PracticeSessionFactory(
            user=journal, points=[li4], started_at=datetime(2026, 1, day, tzinfo=UTC), notes=note
        )
    exported = b"".join(client.get(f"/journal/export.{extension}").streaming_content)
    PracticeSession.objects.filter(user=journal).delete()
    response = client.post(
        "/journal/import/", {"file": SimpleUploadedFile(f"mine.{extension}", exported)}
    )
    assert PendingImport.objects.get().report["problems"] == []
    client.post(response.url, {"action": "import"})
    imported = PracticeSession.objects.filter(user=journal).order_by("started_at")
    assert [session.notes for session in imported] == notes


@given(text=st.one_of(st.text(), st.builds(str.__add__, st.sampled_from(NOTE_STARTS), st.text())))
def test_marking_a_cell_as_text_can_always_be_undone(text):
    marked = exporting.mark_as_text(text)
    assert not marked.startswith(exporting.FORMULA_STARTS)
    assert exporting.unmark_text(marked) == text


CSV_TEXT = st.text(
    alphabet=st.sampled_from(
        list('started_apoinsecdfrlBL23I4,;"\n\r\t -:+T0123456789\x00é腰') + ["\ud800"]
    ),
    max_size=300,
)
HEADER = "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes\n"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=CSV_TEXT, with_header=st.booleans())
def test_any_csv_content_gets_a_report_or_a_reason_never_a_server_error(
    client, journal, body, with_header
):
    client.force_login(journal)
    content = ((HEADER if with_header else "") + body).encode("utf-8", "surrogatepass")
    response = client.post("/journal/import/", {"file": SimpleUploadedFile("any.csv", content)})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        review = client.get(response.url)
        assert review.status_code == 200
        confirmed = client.post(response.url, {"action": "import"})
        assert confirmed.status_code == 302
