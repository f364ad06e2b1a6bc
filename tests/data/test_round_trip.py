"""Export, delete every session, import: the same journal comes back, field by field, factors and
rest sessions and tools included; and into another account that has the same factors of its own.

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
from journal.models import Factor, PendingImport, PracticeSession, SessionFactor
from tests.factories import (
    FactorFactory,
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
    sessions = (
        PracticeSession.objects.for_user(user)
        .with_points()
        .with_factors()
        .order_by("started_at", "pk")  # two sessions share a time: as the export orders them
    )
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
            session.rest_only,
            # By name, so that another account's journal with its own factors compares equal.
            sorted((factor.built_in, factor.name) for factor in session.factors.all()),
            session.tool,
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
        tool="balls",
    )
    SessionPointFactory(session=first, point=gb30, position=0, seconds=45)
    SessionPointFactory(session=first, point=bl23, position=1, seconds=None)
    SessionPointFactory(session=first, point=li4, position=2, seconds=3600)
    second = PracticeSessionFactory(
        user=user,
        points=[li4],
        started_at=datetime(2026, 6, 1, 7, 0, 1, tzinfo=UTC),
        pain_before=0,
        pain_after=10,
        area="other",
        notes="",
        routine=RoutineFactory(owner=user, title="Mine"),
        tool="roller",
    )
    hot_bath = FactorFactory(owner=user, name="Hot bath")
    cushion = FactorFactory(owner=user, name="Old cushion", archived=True)
    comma = FactorFactory(owner=user, name="=Tea, then a walk")
    rest = PracticeSessionFactory(
        user=user,
        points=[],
        rest_only=True,
        started_at=datetime(2026, 6, 1, 7, 0, 1, tzinfo=UTC),  # the same time as `second`
        pain_before=6,
        pain_after=5,
        area="lower-back",
        notes="Lay on the floor",
    )
    PracticeSessionFactory(  # a rest session without factors
        user=user, points=[], rest_only=True, started_at=datetime(2026, 6, 2, tzinfo=UTC)
    )
    slept_badly, painkiller = (Factor.objects.get(slug=s) for s in ("slept-badly", "painkiller"))
    SessionFactor.objects.bulk_create(
        SessionFactor(session=session, factor=factor)
        for session, factors in [
            (first, [hot_bath, slept_badly, cushion, comma]),
            (second, [painkiller]),
            (rest, [slept_badly, hot_bath]),
        ]
        for factor in factors
    )
    bystander = UserFactory(username="bystander")
    SessionFactor.objects.create(
        session=PracticeSessionFactory(user=bystander, points=[li4]),
        factor=FactorFactory(owner=bystander, name="Hot bath"),
    )
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
    assert [row[-3:-1] for row in before] == [
        (
            False,
            [
                (False, "=Tea, then a walk"),
                (False, "Hot bath"),
                (False, "Old cushion"),
                (True, "Slept badly"),
            ],
        ),
        (False, [(True, "Painkiller in the last 4 hours")]),
        (True, [(False, "Hot bath"), (True, "Slept badly")]),
        (True, []),
    ]


def import_file(client, name: str, content: bytes) -> PendingImport:
    """Upload and confirm; return the pending import (its report) as it was before confirming."""
    response = client.post("/journal/import/", {"file": SimpleUploadedFile(name, content)})
    pending = PendingImport.objects.get()
    client.post(response.url, {"action": "import"})
    return pending


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_another_account_with_the_same_factors_gets_the_same_journal(client, journal, extension):
    """Factors are matched by name (any case), never by number: a fresh account that made the
    same factors of its own gets every session with them. Importing twice adds nothing."""
    # Routines of one's own are referred to by number: another account cannot use them.
    PracticeSession.objects.filter(user=journal, routine__owner=journal).update(routine=None)
    client.force_login(journal)
    exported = b"".join(client.get(f"/journal/export.{extension}").streaming_content)
    newcomer = UserFactory(username="newcomer")
    for name in ("Hot bath", "Old cushion", "=Tea, then a walk"):
        FactorFactory(owner=newcomer, name=name)
    factors_before = Factor.objects.count()

    client.force_login(newcomer)
    pending = import_file(client, f"theirs.{extension}", exported)
    assert pending.report["problems"] == []
    snapshot = journal_snapshot(newcomer)
    assert snapshot == journal_snapshot(journal)
    assert all(
        factor.owner_id in (None, newcomer.pk)
        for session in PracticeSession.objects.filter(user=newcomer).with_factors()
        for factor in session.factors.all()
    )

    again = import_file(client, f"theirs.{extension}", exported)
    assert again.report["duplicates"] == again.report["valid_rows"] == len(snapshot)
    assert journal_snapshot(newcomer) == snapshot
    assert Factor.objects.count() == factors_before


def test_an_account_without_those_factors_is_told_which_and_nothing_is_made_up(client, journal):
    """A factor the account does not have is a problem on that row, naming the factor; it is
    never created. The rows without such factors import."""
    PracticeSession.objects.filter(user=journal, routine__owner=journal).update(routine=None)
    client.force_login(journal)
    exported = b"".join(client.get("/journal/export.csv").streaming_content)
    newcomer = UserFactory(username="newcomer")
    FactorFactory(owner=newcomer, name="hot BATH")  # same factor, other case
    factors_before = Factor.objects.count()

    client.force_login(newcomer)
    pending = import_file(client, "theirs.csv", exported)
    problems = [(p["row"], p["column"], p["message"]) for p in pending.report["problems"]]
    unknown = (
        "“{}” is not one of the built-in factors or yours. Check the spelling (factors are "
        "separated by ;), or add it on the “My factors” page first."
    )
    assert problems == [
        (2, "factors", unknown.format("=Tea, then a walk")),
        (2, "factors", unknown.format("Old cushion")),
    ]
    assert Factor.objects.count() == factors_before
    imported = journal_snapshot(newcomer)
    assert [(row[-3], row[-2]) for row in imported] == [
        (False, [(True, "Painkiller in the last 4 hours")]),
        (True, [(False, "hot BATH"), (True, "Slept badly")]),
        (True, []),
    ]


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
