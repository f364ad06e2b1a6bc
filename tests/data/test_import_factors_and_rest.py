"""Import of the rest and factors columns: the rules, hostile cells, duplicates and the writes.

The round trip through the export is in test_round_trip.py; RowChecker against ImportRowForm on
generated rows in test_import_checks.py.
"""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal import importing
from journal.forms.data import ImportRowForm
from journal.models import Factor, PendingImport, PracticeSession, SessionFactor
from tests.factories import FactorFactory, PointFactory, PracticeSessionFactory, UserFactory

UTC = ZoneInfo("UTC")
HEADER = "started_at,points,pain_before,pain_after,area,rest,factors"
UNKNOWN = (
    "“{}” is not one of the built-in factors or yours. Check the spelling (factors are "
    "separated by ;), or add it on the “My factors” page first."
)


@pytest.fixture(autouse=True)
def points(db):
    return [PointFactory(code="BL23", slug="bl23"), PointFactory(code="LI4", slug="li4")]


def csv_row(rest: str = "", factors: str = "", points: str = "BL23", day: int = 1) -> list[str]:
    return [f"2026-03-{day:02d}T09:00:00+00:00", points, "7", "4", "neck", rest, factors]


def check(user, *rows: list[str], header: str = HEADER) -> importing.Report:
    """Check a CSV file of ``rows`` (lists of cells, quoted here) as the import page does."""

    def line(cells):
        return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)

    content = "\n".join([header, *(line(cells) for cells in rows)]).encode()
    return importing.check_file("mine.csv", content, user=user, zone=UTC)


def problems(report: importing.Report) -> list[tuple[int | None, str, str]]:
    return [(problem.row, problem.column, problem.message) for problem in report.problems]


def test_an_old_file_without_the_columns_imports_as_before(user):
    report = check(user, csv_row()[:5], header="started_at,points,pain_before,pain_after,area")
    assert problems(report) == []
    importing.save_rows(user, report.rows)
    session = PracticeSession.objects.get()
    assert session.rest_only is False
    assert not session.factors.exists()


def test_a_rest_session_has_no_points(user):
    report = check(
        user,
        csv_row(rest="yes", points=""),
        csv_row(rest="TRUE", points="BL23", day=2),
        csv_row(rest="no", points="", day=3),
        csv_row(rest="", points=" ", day=4),
    )
    assert problems(report) == [
        (3, "points", ImportRowForm.REST_WITH_POINTS),
        (4, "points", "Choose at least one point you pressed."),
        (5, "points", "Choose at least one point you pressed."),
    ]
    assert "A rest session has no points" in ImportRowForm.REST_WITH_POINTS
    importing.save_rows(user, report.rows)
    session = PracticeSession.objects.get()
    assert session.rest_only is True
    assert not session.session_points.exists()


def test_seconds_on_a_rest_session_are_refused_in_plain_words(user):
    header = "started_at,points,pain_before,pain_after,area,rest,factors,seconds"
    report = check(user, [*csv_row(rest="yes", points=""), "60"], header=header)
    assert problems(report) == [
        (2, "seconds", "This row has no points (a rest session), so leave the seconds cell empty.")
    ]


def test_factors_are_the_built_in_ones_by_name_or_slug_and_ones_own_archived_too(user):
    FactorFactory(owner=user, name="Hot bath")
    FactorFactory(owner=user, name="Old cushion", archived=True)
    report = check(
        user,
        csv_row(factors="painkiller;SLEPT BADLY; hot   bath ;old cushion;Slept-Badly;;"),
    )
    assert problems(report) == []
    importing.save_rows(user, report.rows)
    assert sorted(PracticeSession.objects.get().factors.values_list("name", flat=True)) == [
        "Hot bath",
        "Old cushion",
        "Painkiller in the last 4 hours",
        "Slept badly",
    ]


def test_an_unknown_factor_or_another_users_is_named_and_never_created(user):
    FactorFactory(owner=UserFactory(username="someone"), name="Their secret factor")
    factors_before = Factor.objects.count()
    report = check(user, csv_row(factors="Their secret factor;Slept badly;Moon phase"))
    assert problems(report) == [
        (2, "factors", UNKNOWN.format("Their secret factor")),
        (2, "factors", UNKNOWN.format("Moon phase")),
    ]
    assert report.rows == []
    assert Factor.objects.count() == factors_before


def test_an_own_factor_wins_over_a_built_in_slug_of_the_same_name(user):
    """ "stretched" is a built-in factor's slug, and may also be the name of one's own."""
    mine = FactorFactory(owner=user, name="Stretched")
    report = check(user, csv_row(factors="stretched;Stretched or exercised"))
    assert report.rows[0]["factors"] == [mine.pk, Factor.objects.get(slug="stretched").pk]


LONG = "x" * 10_000


@pytest.mark.parametrize(
    ("rest", "factors", "expected"),
    [
        ("", "", []),
        ("   ", " ; ; ", []),
        (LONG, "", [("rest", "Write yes or no.")]),
        ("yes\0", "", [("rest", "Null characters are not allowed.")]),
        ("\u202eyes", "", [("rest", "Write yes or no.")]),
        ("", LONG, [("factors", UNKNOWN.format("x" * 60 + "…"))]),
        ("", ";" * 10_000, []),
        ("", "a;" * 5_000, [("factors", "At most 50 factors in one session.")]),
        # Shown with U+FFFD, so the message cannot be hidden or turned around.
        ("", "Slept\0badly", [("factors", UNKNOWN.format("Slept\ufffdbadly"))]),
        ("", "Slept \u202ebadly", [("factors", UNKNOWN.format("Slept \ufffdbadly"))]),
        ("", "\u202edab tpelS", [("factors", UNKNOWN.format("\ufffddab tpelS"))]),
    ],
)
def test_hostile_cells_get_a_short_plain_problem(user, rest, factors, expected):
    report = check(user, csv_row(rest=rest, factors=factors))
    assert problems(report) == [(2, column, message) for column, message in expected]
    assert all(len(message) < 300 for _, _, message in problems(report))
    if not expected:
        importing.save_rows(user, report.rows)
        assert not PracticeSession.objects.get().factors.exists()


def test_json_takes_booleans_and_lists(logged_in, user):
    FactorFactory(owner=user, name="Hot bath")
    sessions = [
        {
            "started_at": "2026-03-01T09:00:00+00:00",
            "points": [],
            "pain_before": 6,
            "pain_after": 5,
            "area": "neck",
            "rest": True,
            "factors": ["Hot bath", "painkiller"],
        },
        {
            "started_at": "2026-03-02T09:00:00+00:00",
            "points": ["BL23"],
            "pain_before": 6,
            "pain_after": 5,
            "area": "neck",
            "rest": False,
            "factors": [None, "x" * 10_000, 7],
        },
    ]
    content = json.dumps({"sessions": sessions}).encode()
    logged_in.post("/journal/import/", {"file": SimpleUploadedFile("mine.json", content)})
    report = PendingImport.objects.get().report
    assert [(p["row"], p["column"]) for p in report["problems"]] == [
        (2, "factors"),
        (2, "factors"),
    ]
    assert report["valid_rows"] == 1


def test_a_rest_session_and_a_pressed_one_at_the_same_time_are_not_duplicates(user):
    report = check(user, csv_row(rest="yes", points=""), csv_row(points="BL23"))
    assert report.duplicates == 0
    importing.save_rows(user, report.rows)
    # Rest and time match: the same session, whatever the factors (which do not count).
    again = check(user, csv_row(rest="yes", points="", factors="Slept badly"))
    assert again.duplicates == 1
    assert importing.save_rows(user, again.rows).created == 0
    assert PracticeSession.objects.filter(rest_only=True).count() == 1
    assert not SessionFactor.objects.exists()


def test_an_existing_session_without_points_is_not_taken_for_a_rest_session(user):
    """A session from before rest sessions existed may have no points and not be rest only."""
    PracticeSessionFactory(user=user, points=[], started_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    report = check(user, csv_row(rest="yes", points=""))
    assert report.duplicates == 0


def test_a_factor_deleted_before_the_confirmation_is_left_off(user):
    mine = FactorFactory(owner=user, name="Hot bath")
    report = check(user, csv_row(factors="Hot bath;Slept badly"))
    mine.delete()
    importing.save_rows(user, report.rows)
    assert list(PracticeSession.objects.get().factors.values_list("slug", flat=True)) == [
        "slept-badly"
    ]


def test_rows_kept_before_the_columns_existed_still_import(user):
    """A pending import checked by the previous version has no rest or factors in its rows."""
    [row] = check(user, csv_row()).rows
    del row["rest"], row["factors"]
    assert importing.save_rows(user, [row]).created == 1


def test_a_failure_writing_the_factors_leaves_no_session(logged_in, user, monkeypatch):
    lines = [HEADER, ",".join(csv_row(factors="Slept badly"))]
    logged_in.post(
        "/journal/import/", {"file": SimpleUploadedFile("a.csv", "\n".join(lines).encode())}
    )
    pending = PendingImport.objects.get()
    insert = importing.bulk_insert.insert

    def broken(model, names, rows):
        if model is SessionFactor:
            raise RuntimeError("disk full")
        return insert(model, names, rows)

    monkeypatch.setattr(importing.bulk_insert, "insert", broken)
    with pytest.raises(RuntimeError):
        logged_in.post(f"/journal/import/{pending.pk}/", {"action": "import"})
    assert PracticeSession.objects.count() == 0


def test_checking_and_writing_factors_take_a_fixed_number_of_queries(user):
    mine = FactorFactory(owner=user, name="Hot bath")

    def queries_to_import(count: int) -> int:
        rows = [
            csv_row(
                rest="yes" if day % 3 == 0 else "no",
                points="" if day % 3 == 0 else "BL23;LI4",
                factors="Hot bath;painkiller" if day % 2 else "",
                day=day,
            )
            for day in range(1, count + 1)
        ]
        with CaptureQueriesContext(connection) as queries:
            importing.save_rows(user, check(user, *rows).rows)
        PracticeSession.objects.all().delete()
        return len(queries)

    assert queries_to_import(3) == queries_to_import(28)
    importing.save_rows(user, check(user, csv_row(factors="Hot bath")).rows)
    assert list(PracticeSession.objects.get().factors.all()) == [mine]


def test_many_sessions_get_their_own_factors(user):
    """More rows than one INSERT takes on SQLite; each session gets exactly its factors."""
    built_in = list(Factor.objects.built_in().order_by("position"))
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        {
            "row": i + 2,
            "started_at": (start + timedelta(minutes=i)).isoformat(),
            "points": [] if i % 2 else ["BL23"],
            "seconds": [] if i % 2 else [60],
            "pain_before": 7,
            "pain_after": 4,
            "pain_later": None,
            "area": "neck",
            "notes": "",
            "routine": None,
            "show_in_report": False,
            "rest": bool(i % 2),
            "factors": [factor.pk for factor in built_in[: i % 4]],
        }
        for i in range(1200)
    ]
    assert importing.save_rows(user, rows).created == 1200
    sessions = PracticeSession.objects.filter(user=user).with_factors().order_by("started_at")
    for i, session in enumerate(sessions):
        assert session.rest_only is bool(i % 2)
        assert sorted(f.pk for f in session.factors.all()) == sorted(
            factor.pk for factor in built_in[: i % 4]
        )


# A new factor name cannot contain ";", which separates factors in the export.


def test_a_new_factor_name_with_a_semicolon_is_refused(logged_in, user):
    response = logged_in.post(reverse("journal:factor_new"), {"name": "Tea; then a walk"})
    assert response.status_code == 200
    assert "A factor name cannot contain “;”" in response.text
    assert not user.factors.exists()


def test_an_older_name_with_a_semicolon_must_lose_it_when_renamed(logged_in, user):
    factor = FactorFactory(owner=user, name="Tea; walk")  # made before the rule
    url = reverse("journal:factor_edit", args=[factor.pk])
    assert "A factor name cannot contain “;”" in logged_in.post(url, {"name": "Tea; a walk"}).text
    logged_in.post(url, {"name": "Tea, a walk"})
    factor.refresh_from_db()
    assert factor.name == "Tea, a walk"


def test_an_older_name_with_a_semicolon_is_matched_as_the_export_writes_it(user):
    factor = FactorFactory(owner=user, name="Tea; walk")
    report = check(user, csv_row(factors="tea, walk;Slept badly"))
    assert problems(report) == []
    assert report.rows[0]["factors"] == [factor.pk, Factor.objects.get(slug="slept-badly").pk]
