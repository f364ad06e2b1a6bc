"""Import: check every row, show a report, write only after the user confirms, in one go."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from journal.models import PendingImport, PracticeSession
from tests.factories import PointFactory, PracticeSessionFactory, SessionPointFactory, UserFactory

HEADER = "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes"
GOOD_ROW = "2026-03-01T09:00:00+01:00,BL23;LI4,60;90,7,4,,lower-back,Fine"


@pytest.fixture
def user(db):
    return UserFactory(username="maria")


@pytest.fixture(autouse=True)
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


def csv_file(*rows: str, header: str = HEADER, name: str = "journal.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([header, *rows]).encode(), "text/csv")


def upload(client, file):
    return client.post("/journal/import/", {"file": file})


def review(client, file):
    """Upload, follow to the report page; return (response, pending import)."""
    response = upload(client, file)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response.url), PendingImport.objects.get()


def confirm(client, pending):
    return client.post(f"/journal/import/{pending.pk}/", {"action": "import"})


def test_the_page_offers_export_and_an_upload_form(logged_in):
    response = logged_in.get("/journal/import/")
    assert response.status_code == 200
    assert 'href="/journal/export.csv"' in response.text
    assert 'href="/journal/export.json"' in response.text
    assert 'type="file"' in response.text


def test_a_valid_file_shows_the_report_and_writes_nothing_until_confirmed(logged_in, user):
    page, pending = review(logged_in, csv_file(GOOD_ROW))
    assert "1 session in the file" in page.text
    assert "Import 1 session" in page.text
    assert PracticeSession.objects.count() == 0

    response = confirm(logged_in, pending)
    assert response.url == "/journal/"
    session = PracticeSession.objects.get()
    assert session.user == user
    assert session.started_at == datetime(2026, 3, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert (session.pain_before, session.pain_after, session.pain_later) == (7, 4, None)
    assert (session.area, session.notes) == ("lower-back", "Fine")
    assert [(sp.point.code, sp.seconds, sp.position) for sp in session.session_points.all()] == [
        ("BL23", 60, 0),
        ("LI4", 90, 1),
    ]
    assert not PendingImport.objects.exists()
    assert "Imported 1 session." in logged_in.get("/journal/").text


# Fixed, so the test's id is the same in every process that collects it (pytest-xdist), and far
# enough ahead to stay the future.
FUTURE = "2999-01-01T09:00:00+00:00"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "2026-03-01T09:00,ZZ99,,7,4,,lower-back,",
            "points",
            "“ZZ99” is not a point in the guides.",
        ),
        ("2026-03-01T09:00,,,7,4,,lower-back,", "points", "Choose at least one point you pressed."),
        ("2026-03-01T09:00,BL23;BL23,,7,4,,lower-back,", "points", "BL23 is listed twice."),
        (
            "2026-03-01T09:00,BL23,,11,4,,lower-back,",
            "pain_before",
            "Pain is a whole number from 0 to 10.",
        ),
        (
            "2026-03-01T09:00,BL23,,7,-1,,lower-back,",
            "pain_after",
            "Pain is a whole number from 0 to 10.",
        ),
        (
            "2026-03-01T09:00,BL23,,7,4.5,,lower-back,",
            "pain_after",
            "Pain is a whole number from 0 to 10.",
        ),
        (
            "2026-03-01T09:00,BL23,,7,4,x,lower-back,",
            "pain_later",
            "Pain is a whole number from 0 to 10.",
        ),
        ("2026-03-01T09:00,BL23,,,4,,lower-back,", "pain_before", "Choose a number from 0"),
        ("yesterday,BL23,,7,4,,lower-back,", "started_at", "“yesterday” is not a date and time."),
        ("2026-02-30T09:00,BL23,,7,4,,lower-back,", "started_at", "is not a date and time"),
        (f"{FUTURE},BL23,,7,4,,lower-back,", "started_at", "That time is in the future."),
        ("1850-01-01T09:00,BL23,,7,4,,lower-back,", "started_at", "too long ago"),
        ("2026-03-01T09:00,BL23,,7,4,,elbow,", "area", "“elbow” is not a pain area."),
        (
            "2026-03-01T09:00,BL23;LI4,60,7,4,,lower-back,",
            "seconds",
            "1 seconds value for 2 points.",
        ),
        ("2026-03-01T09:00,BL23,4000,7,4,,lower-back,", "seconds", "At most 3,600 seconds"),
        ("2026-03-01T09:00,BL23,-5,7,4,,lower-back,", "seconds", "Seconds cannot be negative."),
        ("2026-03-01T09:00,BL23,a while,7,4,,lower-back,", "seconds", "Enter whole seconds"),
        (
            "2026-03-01T09:00,BL23,,7,4,,lower-back," + "x" * 2001,
            "notes",
            "at most 2000 characters",
        ),
        ("2026-03-01T09:00,BL23,,7,4,,lower-back,fine,extra", "(whole row)", "9 cells"),
    ],
)
def test_each_bad_row_is_reported_with_row_column_and_message(logged_in, row, column, message):
    page, pending = review(logged_in, csv_file(GOOD_ROW, row))
    report = pending.report
    assert (report["total_rows"], report["invalid_rows"], report["new_rows"]) == (2, 1, 1)
    [problem] = report["problems"]
    assert problem["row"] == 3
    assert message in problem["message"]
    assert f"<td>3</td><td>{column}</td>" in page.text
    assert "Import the 1 valid row" in page.text
    assert PracticeSession.objects.count() == 0


def test_importing_the_valid_rows_skips_the_bad_ones(logged_in):
    _, pending = review(logged_in, csv_file(GOOD_ROW, "2026-03-02T09:00,ZZ99,,7,4,,leg,"))
    confirm(logged_in, pending)
    assert list(PracticeSession.objects.values_list("notes", flat=True)) == ["Fine"]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("journal.csv", b"", "text/csv"), "That file is empty."),
        (SimpleUploadedFile("journal.csv", b"  \n\n", "text/csv"), "That file is empty."),
        (
            SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
            "Choose a .csv or .json",
        ),
        (
            SimpleUploadedFile("renamed.csv", b"\x89PNG\r\n\x1a\n\xff\x00", "text/csv"),
            "not a CSV or JSON",
        ),
        (
            SimpleUploadedFile("notes.csv", b"just some words\nmore", "text/csv"),
            "Missing: started_at",
        ),
        (csv_file(), "no sessions in it"),
        (csv_file(header=HEADER + ",notes"), "These columns appear twice: notes"),
        (SimpleUploadedFile("data.json", b'{"sessions": [', "application/json"), "not valid JSON"),
        (
            SimpleUploadedFile("data.json", b'{"sessions": 3}', "application/json"),
            "a list of sessions",
        ),
    ],
)
def test_an_unusable_file_is_refused_with_a_reason(logged_in, file, message):
    response = upload(logged_in, file)
    assert response.status_code == 400
    assert message in response.text
    assert "Nothing has been added to your journal." in response.text
    assert not PendingImport.objects.exists()
    assert PracticeSession.objects.count() == 0


def test_no_file_chosen_is_explained(logged_in):
    response = logged_in.post("/journal/import/", {})
    assert response.status_code == 400
    assert "Choose a file to import." in response.text


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_without_being_kept(logged_in):
    big = csv_file(*[GOOD_ROW] * 40)
    assert big.size > 1000
    response = upload(logged_in, big)
    assert response.status_code == 400
    assert "That file is larger than 1000" in response.text
    assert not PendingImport.objects.exists()


def test_the_size_limit_stops_reading_the_file(rf, user, settings):
    from journal.uploads import SizeLimitUploadHandler

    settings.IMPORT_MAX_BYTES = 1000
    request = rf.post("/journal/import/", {"file": csv_file(*[GOOD_ROW] * 40)})
    request.user = user
    handler = SizeLimitUploadHandler(request, 1000)
    request.upload_handlers = [handler, *request.upload_handlers]
    assert "file" not in request.FILES
    assert handler.too_large


def test_reimporting_the_same_file_adds_nothing(logged_in):
    rows = [GOOD_ROW, "2026-03-02T09:00:00+01:00,LI4,,5,5,,neck,"]
    _, pending = review(logged_in, csv_file(*rows))
    confirm(logged_in, pending)
    page, pending = review(logged_in, csv_file(*rows))
    assert "2 already in your journal" in page.text
    assert "There is nothing new to import." in page.text
    confirm(logged_in, pending)
    assert PracticeSession.objects.count() == 2


def test_a_session_is_the_same_when_time_to_the_second_and_the_set_of_points_match(
    logged_in, user, points
):
    existing = PracticeSessionFactory(
        user=user,
        points=[],
        started_at=datetime(2026, 3, 1, 8, 0, 0, 400_000, tzinfo=ZoneInfo("UTC")),
    )
    SessionPointFactory(session=existing, point=points[1], position=0)
    SessionPointFactory(session=existing, point=points[0], position=1)
    other_users = PracticeSessionFactory(started_at=existing.started_at, points=points)
    rows = [
        GOOD_ROW,  # same second, same points in another order: a duplicate
        GOOD_ROW.replace("09:00:00", "09:00:01"),  # a second later: new
        GOOD_ROW.replace("BL23;LI4,60;90", "BL23,60"),  # other points: new
        GOOD_ROW.replace("Fine", "Fine again"),  # repeated in the file: a duplicate
    ]
    _, pending = review(logged_in, csv_file(*rows))
    assert pending.report["duplicates"] == 2
    response = confirm(logged_in, pending)
    assert PracticeSession.objects.filter(user=user).count() == 3
    assert other_users.user != user
    message = logged_in.get(response.url).text
    assert "Imported 2 sessions. 2 were already in your journal and skipped." in message


def test_cancel_forgets_the_file(logged_in):
    _, pending = review(logged_in, csv_file(GOOD_ROW))
    response = logged_in.post(f"/journal/import/{pending.pk}/", {"action": "cancel"})
    assert response.url == "/journal/import/"
    assert not PendingImport.objects.exists()
    assert PracticeSession.objects.count() == 0


def test_a_second_confirmation_imports_nothing_more(logged_in):
    _, pending = review(logged_in, csv_file(GOOD_ROW))
    confirm(logged_in, pending)
    assert confirm(logged_in, pending).status_code == 404
    assert PracticeSession.objects.count() == 1


def test_another_users_pending_import_is_404(client, user):
    client.force_login(user)
    _, pending = review(client, csv_file(GOOD_ROW))
    client.force_login(UserFactory(username="intruder"))
    assert client.get(f"/journal/import/{pending.pk}/").status_code == 404
    assert confirm(client, pending).status_code == 404
    assert PracticeSession.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing_half_written(logged_in, monkeypatch):
    from journal import importing

    _, pending = review(logged_in, csv_file(GOOD_ROW, GOOD_ROW.replace("09:00", "10:00")))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing.bulk_insert, "insert", broken)  # the points, after the sessions
    with pytest.raises(RuntimeError):
        confirm(logged_in, pending)
    assert PracticeSession.objects.count() == 0
    assert PendingImport.objects.filter(pk=pending.pk).exists()


def test_spreadsheet_variants_are_understood(logged_in):
    """Semicolon separators, no offset (the user's zone), area labels, BOM, blank lines."""
    content = (
        "\ufeffstarted_at;points;pain_before;pain_after;area;notes\r\n"
        '2026-03-01 09:00;"bl23, li4";7;4;Lower back;"a; b"\r\n'
        ";;;;;\r\n"
    )
    _, pending = review(logged_in, SimpleUploadedFile("excel.csv", content.encode(), "text/csv"))
    assert pending.report["problems"] == []
    confirm(logged_in, pending)
    session = PracticeSession.objects.get()
    assert session.notes == "a; b"
    assert session.area == "lower-back"
    assert [sp.seconds for sp in session.session_points.all()] == [None, None]


@pytest.mark.parametrize(
    ("cell", "notes"),
    [
        ("'=1+2", "=1+2"),
        ("'+1", "+1"),
        ("'-1", "-1"),
        ("'@me", "@me"),
        ('"\'\tx"', "\tx"),
        ('"\'\rx"', "\rx"),
        ("''=1+2", "'=1+2"),
        ("'''-", "''-"),
        # A ' that is not there to mark a formula is the user's own and stays.
        ("'hello'", "'hello'"),
        ("'", "'"),
        ("''", "''"),
        ("' =1", "' =1"),
        ("=1+2", "=1+2"),
    ],
)
def test_the_quote_that_marks_a_formula_as_text_is_taken_off_once(logged_in, cell, notes):
    _, pending = review(logged_in, csv_file(GOOD_ROW.removesuffix("Fine") + cell))
    assert pending.report["problems"] == []
    confirm(logged_in, pending)
    assert PracticeSession.objects.get().notes == notes


def test_json_notes_keep_a_leading_quote(logged_in):
    """The JSON export marks nothing, so the JSON import takes nothing off."""
    row = {
        "started_at": "2026-03-01T09:00:00+01:00",
        "points": ["BL23"],
        "pain_before": 7,
        "pain_after": 4,
        "area": "neck",
        "notes": "'=1+2",
    }
    file = SimpleUploadedFile("j.json", json.dumps({"sessions": [row]}).encode())
    _, pending = review(logged_in, file)
    confirm(logged_in, pending)
    assert PracticeSession.objects.get().notes == "'=1+2"


def test_json_export_format_is_imported(logged_in):
    data = {
        "sessions": [
            {
                "started_at": "2026-03-01T09:00:00+01:00",
                "points": ["BL23", "LI4"],
                "seconds": [60, None],
                "pain_before": 7,
                "pain_after": 4,
                "pain_later": 3,
                "area": "neck",
                "notes": "from json",
            },
            "not a session",
            {"started_at": "2026-03-01T10:00:00+01:00", "points": [], "pain_before": 7},
        ]
    }
    file = SimpleUploadedFile("journal.json", json.dumps(data).encode(), "application/json")
    page, pending = review(logged_in, file)
    assert "Session</th>" in page.text
    report = pending.report
    assert (report["total_rows"], report["invalid_rows"]) == (3, 2)
    assert {(p["row"], p["column"]) for p in report["problems"]} == {
        (2, ""),
        (3, "points"),
        (3, "pain_after"),
        (3, "area"),
    }
    confirm(logged_in, pending)
    session = PracticeSession.objects.get()
    assert (session.pain_later, session.area, session.notes) == (3, "neck", "from json")


def test_unknown_columns_are_ignored_and_said_so(logged_in):
    page, _ = review(logged_in, csv_file(GOOD_ROW + ",x", header=HEADER + ",mood"))
    assert "These columns are not ones we know, so they are ignored: mood." in page.text


def test_many_problems_are_capped_but_counted(logged_in, monkeypatch):
    monkeypatch.setattr("journal.importing.MAX_PROBLEMS_SHOWN", 3)
    _, pending = review(logged_in, csv_file(*["2026-03-01T09:00,ZZ1,,70,4,,lower-back,"] * 5))
    assert pending.report["problem_count"] == 10
    assert len(pending.report["problems"]) == 3


def test_a_new_upload_replaces_the_pending_one_and_clears_abandoned_ones(logged_in, user):
    stale = PendingImport.objects.create(user=UserFactory(username="gone"), file_name="old.csv")
    PendingImport.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=2))
    upload(logged_in, csv_file(GOOD_ROW))
    upload(logged_in, csv_file(GOOD_ROW))
    assert list(PendingImport.objects.values_list("user", flat=True)) == [user.pk]


def test_nul_characters_and_lone_surrogates_are_reported_not_stored(logged_in):
    data = [
        {"started_at": "\0", "points": ["\ud800"], "pain_before": 1, "pain_after": 1},
        {
            "started_at": "2026-03-01T09:00",
            "points": "BL23",
            "pain_before": 1,
            "pain_after": 1,
            "area": "neck",
            "notes": "a\ud800b\0",
        },
    ]
    text = json.dumps(data)  # ensure_ascii keeps the escapes, as a hostile file would
    page, pending = review(
        logged_in, SimpleUploadedFile("x.json", text.encode(), "application/json")
    )
    assert pending.report["invalid_rows"] == 2
    assert "cannot be saved" in page.text or "Null characters are not allowed" in page.text
    assert all("\0" not in problem["message"] for problem in pending.report["problems"])


def test_checking_and_importing_take_a_fixed_number_of_queries(logged_in, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from journal import importing

    def rows(count):
        return [GOOD_ROW.replace("2026-03-01", f"2025-01-{day:02d}") for day in range(1, count + 1)]

    def queries_to_import(count) -> int:
        content = "\n".join([HEADER, *rows(count)]).encode()
        with CaptureQueriesContext(connection) as queries:
            report = importing.check_file("a.csv", content, user=user, zone=ZoneInfo("UTC"))
            importing.save_rows(user, report.rows)
        PracticeSession.objects.all().delete()
        return len(queries)

    assert queries_to_import(3) == queries_to_import(28)
