"""Import is bounded: rows per file, problems kept per report, uploads per hour, queries per file.

Issue 16: a 5 MB file of two-byte rows took minutes of CPU in one request. Each test sends the
abusive request (most of them twice) and checks the safe answer; none times anything.
"""

import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from journal import importing, uploads
from journal.import_checks import RowChecker
from journal.models import PendingImport, PracticeSession
from tests.factories import PointFactory, UserFactory

HEADER = "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes"


@pytest.fixture(autouse=True)
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


@pytest.fixture
def rows_checked(monkeypatch):
    """How many rows reached the row check."""
    seen = []
    check = RowChecker.check

    def counting(self, record):
        seen.append(record)
        return check(self, record)

    monkeypatch.setattr(RowChecker, "check", counting)
    return seen


def good_rows(count: int) -> list[str]:
    """``count`` different valid sessions, a minute apart."""
    return [
        f"2025-01-{1 + i // 1440:02d}T{i // 60 % 24:02d}:{i % 60:02d}:00+00:00,BL23;LI4,60;90,7,4,,neck,"
        for i in range(count)
    ]


def csv_upload(lines: list[str], name: str = "journal.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(), "text/csv")


def json_upload(count: int) -> SimpleUploadedFile:
    sessions = [
        {
            "started_at": f"2025-01-01T{i // 60:02d}:{i % 60:02d}:00+00:00",
            "points": ["BL23"],
            "pain_before": 5,
            "pain_after": 3,
            "area": "neck",
        }
        for i in range(count)
    ]
    return SimpleUploadedFile("journal.json", json.dumps({"sessions": sessions}).encode())


def upload(client, file):
    return client.post("/journal/import/", {"file": file})


def filled(unit: str, size: int) -> bytes:
    """A header, then ``unit`` again and again: exactly ``size`` bytes."""
    head = HEADER + "\n"
    return (head + unit * (size // len(unit))).encode()[:size]


# The row cap ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        # The file: 2.6 million rows of "a" (245 s of CPU before the cap).
        ("a\n", "This file has more than 20,000 rows of sessions"),
        # About 80,000 valid rows: each checkable, but not all in one request.
        (good_rows(1)[0] + "\n", "This file has more than 20,000 rows of sessions"),
        # Blank rows are skipped, not counted; millions of them are refused all the same.
        (",,,\n", "This file has more than 40,000 rows, most of them empty."),
    ],
)
def test_a_file_of_millions_of_tiny_rows_is_refused_before_any_row_is_checked(
    logged_in, settings, rows_checked, unit, message
):
    content = filled(unit, settings.IMPORT_MAX_BYTES)
    assert len(content) == settings.IMPORT_MAX_BYTES == 5 * 1024 * 1024
    for _ in range(2):
        response = upload(logged_in, SimpleUploadedFile("big.csv", content, "text/csv"))
        assert response.status_code == 400
        assert message in response.text
        assert "Nothing has been added to your journal." in response.text
    assert rows_checked == []
    assert not PendingImport.objects.exists()


def test_the_refusal_says_how_to_split_the_file(logged_in, settings):
    settings.IMPORT_MAX_ROWS = 5
    response = upload(logged_in, csv_upload([HEADER, *good_rows(6)]))
    assert response.status_code == 400
    assert (
        "This file has more than 5 rows of sessions, and at most 5 can be imported at a time. "
        "Split it into files of at most 5 rows each, keep the first row (the column names) at the "
        "top of every file, and import them one after another."
    ) in response.text


def test_a_file_at_the_row_cap_is_checked_and_one_row_more_is_refused(
    logged_in, settings, rows_checked
):
    settings.IMPORT_MAX_ROWS = 5
    response = upload(logged_in, csv_upload([HEADER, *good_rows(6)]))
    assert response.status_code == 400
    assert rows_checked == []
    assert not PendingImport.objects.exists()

    # Blank rows do not count towards the cap.
    response = upload(logged_in, csv_upload([HEADER, "", *good_rows(5), ",,,", ""]))
    assert response.status_code == 302
    assert len(rows_checked) == 5
    pending = PendingImport.objects.get()
    assert pending.report["total_rows"] == 5
    logged_in.post(response.url, {"action": "import"})
    assert PracticeSession.objects.count() == 5


def test_json_has_the_same_row_cap(logged_in, settings, rows_checked):
    settings.IMPORT_MAX_ROWS = 5
    for _ in range(2):
        response = upload(logged_in, json_upload(6))
        assert response.status_code == 400
        assert "This file has 6 sessions, and at most 5 can be imported at a time." in response.text
        assert "Split its list of sessions into files of at most 5 sessions each" in response.text
    assert rows_checked == []
    assert not PendingImport.objects.exists()

    response = upload(logged_in, json_upload(5))
    assert response.status_code == 302
    assert PendingImport.objects.get().report["total_rows"] == 5


def test_a_json_file_of_millions_of_tiny_items_is_refused(logged_in, settings, rows_checked):
    items = (settings.IMPORT_MAX_BYTES - 2) // 2
    content = ("[" + "0," * (items - 1) + "0]").encode()
    response = upload(logged_in, SimpleUploadedFile("big.json", content))
    assert response.status_code == 400
    assert f"This file has {items:,} sessions, and at most 20,000" in response.text
    assert rows_checked == []


def test_a_header_of_thousands_of_columns_is_refused(logged_in, rows_checked):
    header = HEADER + "," + ",".join(f"extra{i}" for i in range(50_000))
    response = upload(logged_in, csv_upload([header, good_rows(1)[0]]))
    assert response.status_code == 400
    assert "The first row has 50,008 columns; an import file has at most 100." in response.text
    assert rows_checked == []


def test_many_repeated_columns_are_named_once(logged_in):
    header = HEADER + ",mood,mood" + ",x" * 80
    response = upload(logged_in, csv_upload([header, good_rows(1)[0]]))
    assert response.status_code == 400
    assert "These columns appear twice: mood, x." in response.text


# Problems -----------------------------------------------------------------------------------------


def test_a_file_of_bad_rows_lists_the_first_problems_and_counts_the_rest(logged_in):
    bad = [f"2025-01-01T09:00,ZZ{i},,7,4,,neck," for i in range(300)]
    response = upload(logged_in, csv_upload([HEADER, *bad, *good_rows(2)]))
    assert response.status_code == 302
    report = PendingImport.objects.get().report
    assert len(report["problems"]) == importing.MAX_PROBLEMS_SHOWN == 200
    assert (report["problem_count"], report["invalid_rows"], report["new_rows"]) == (300, 300, 2)
    assert report["problems"][-1]["message"] == "“ZZ199” is not a point in the guides."
    page = logged_in.get(response.url).text
    assert "Problems (300)" in page
    assert "…and 100 more problems, not listed here." in page
    assert "Fix these in your file and upload it again to see the rest." in page
    assert "Import the 2 valid rows" in page


def test_every_problem_is_listed_when_there_are_few(logged_in):
    response = upload(logged_in, csv_upload([HEADER, "2025-01-01T09:00,ZZ1,,7,4,,neck,"]))
    page = logged_in.get(response.url).text
    assert "Problems (1)" in page
    assert "more problem" not in page


# Uploads per hour ---------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(uploads.time, "time", lambda: now[0])
    return now


def test_uploads_over_the_hourly_limit_get_429_and_nothing_is_read(
    logged_in, user, settings, clock, rows_checked
):
    settings.IMPORT_UPLOADS_PER_HOUR = 2
    assert (
        upload(logged_in, csv_upload([HEADER, *good_rows(1)], name="first.csv")).status_code == 302
    )
    clock[0] += 600
    # A refused file counts too: it was read and checked all the same.
    assert upload(logged_in, csv_upload([HEADER], name="second.csv")).status_code == 400
    checked = len(rows_checked)
    clock[0] += 60
    for _ in range(2):
        response = upload(logged_in, csv_upload([HEADER, *good_rows(3)], name="third.csv"))
        assert response.status_code == 429
        assert response["Retry-After"] == str(3600 - 660)
        assert (
            "You have sent 2 files to import in the last hour, the most the journal checks in an "
            "hour. You can send another in 49 minutes."
        ) in response.text
        assert "The file was not checked" in response.text
    assert len(rows_checked) == checked
    assert list(PendingImport.objects.values_list("file_name", flat=True)) == ["first.csv"]

    # An hour after the first upload, one more may go.
    clock[0] += 3600 - 660
    assert (
        upload(logged_in, csv_upload([HEADER, *good_rows(3)], name="fourth.csv")).status_code == 302
    )
    assert upload(logged_in, csv_upload([HEADER, *good_rows(3)])).status_code == 429
    # Another person has their own count, and looking at the page is not an upload.
    assert logged_in.get("/journal/import/").status_code == 200
    other = Client()
    other.force_login(UserFactory(username="someone-else"))
    assert upload(other, csv_upload([HEADER, *good_rows(3)])).status_code == 302


def test_a_cross_site_post_does_not_use_up_the_hourly_limit(user, settings, clock):
    settings.IMPORT_UPLOADS_PER_HOUR = 1
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    for _ in range(3):
        assert upload(browser, csv_upload([HEADER, *good_rows(1)])).status_code == 403
    browser.get("/journal/import/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/journal/import/",
        {"file": csv_upload([HEADER, *good_rows(1)]), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_the_page_states_the_limits(logged_in, settings):
    settings.IMPORT_MAX_ROWS = 12_345
    page = logged_in.get("/journal/import/").text
    assert "One file can hold up to 12,345 sessions." in page
    assert "You can send up to 20 files an hour." in page


# Queries --------------------------------------------------------------------------------------


def test_checking_a_file_takes_the_same_few_queries_however_many_rows(user):
    def queries_to_check(count: int) -> int:
        content = "\n".join([HEADER, *good_rows(count)]).encode()
        with CaptureQueriesContext(connection) as queries:
            report = importing.check_file("a.csv", content, user=user, zone=ZoneInfo("UTC"))
        assert report.valid_rows == count
        return len(queries)

    assert queries_to_check(3) == queries_to_check(1000) <= 5


def test_confirming_takes_the_same_few_queries_however_many_rows(user):
    def queries_to_save(count: int) -> tuple[int, int]:
        content = "\n".join([HEADER, *good_rows(count)]).encode()
        report = importing.check_file("a.csv", content, user=user, zone=ZoneInfo("UTC"))
        with CaptureQueriesContext(connection) as queries:
            outcome = importing.save_rows(user, report.rows)
        assert outcome.created == count == PracticeSession.objects.count()
        PracticeSession.objects.all().delete()
        inserts = sum("INSERT INTO" in query["sql"] for query in queries)
        return len(queries) - inserts, inserts

    few, many = queries_to_save(3), queries_to_save(1000)
    assert few[0] == many[0] <= 10  # the look-ups, and the savepoint around them
    # SQLite: as many rows per INSERT as it takes (999 values: some 75 sessions, or 249 of their
    # 2,000 points), not one per row. PostgreSQL: a COPY, which is not counted here.
    assert many[1] <= 3000 // 75
