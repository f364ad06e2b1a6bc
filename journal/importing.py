"""Bring sessions in from a file made by the export (perhaps edited in a spreadsheet).

Two steps with nothing written in between. ``check_file`` reads the whole file, checks every row
with the journal's own rules and returns a report plus the valid rows. ``save_rows`` writes the rows
the user chose, in one transaction, skipping sessions the journal already has: the same time (to
the second), the same set of points and both rest only or both not.

The work is bounded by rows, not bytes (a row can be two bytes): a file with more than
``settings.IMPORT_MAX_ROWS`` sessions is refused before any row is checked, the rows are checked
by ``RowChecker`` (journal/import_checks.py) with a fixed number of queries, and the report keeps
the first ``MAX_PROBLEMS_SHOWN`` problems and counts the rest.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from acupressure.models import Point, Routine

from . import bulk_insert, exporting
from .forms.data import factor_key
from .import_checks import RowChecker
from .models import Factor, PendingImport, PracticeSession, SessionFactor, SessionPoint

REQUIRED_COLUMNS = ("started_at", "points", "pain_before", "pain_after", "area")
KNOWN_COLUMNS = tuple(exporting.COLUMNS)
# The report keeps this many problems; the count of the rest is still given.
MAX_PROBLEMS_SHOWN = 200
# More columns than this is not a journal file (the export has twelve).
MAX_COLUMNS = 100
CSV_DELIMITERS = (",", ";", "\t")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, in plain words."""


@dataclass
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class Report:
    """What the check found. ``rows`` are the valid sessions, ready for ``save_rows``."""

    file_name: str
    # Not translated: the review page compares it and words the column's heading itself.
    row_label: str = "Row"
    total_rows: int = 0
    invalid_rows: int = 0
    duplicates: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)

    @property
    def valid_rows(self) -> int:
        return len(self.rows)

    @property
    def new_rows(self) -> int:
        return self.valid_rows - self.duplicates

    def add_problem(self, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(Problem(row, storable(column), storable(message)))

    def summary(self) -> dict:
        """The report without the rows, as stored with a pending import (JSON-friendly)."""
        # Not asdict(self): it would deep-copy every row only to drop them.
        data = {item.name: getattr(self, item.name) for item in fields(self) if item.name != "rows"}
        data.update(
            problems=[asdict(problem) for problem in self.problems],
            ignored_columns=list(self.ignored_columns),
            valid_rows=self.valid_rows,
            new_rows=self.new_rows,
        )
        return data


def storable(text: str) -> str:
    """Text from the file made safe to keep in a report: messages quote the bad values, and
    the database refuses NUL characters and unpaired surrogates."""
    return text.encode("utf-8", "replace").decode().replace("\0", "\ufffd")


def check_file(
    name: str, content: bytes, *, user, zone: tzinfo, max_rows: int | None = None
) -> Report:
    """Read and check every row. Raises FileProblem when the file itself is unusable, or has more
    than ``max_rows`` (settings.IMPORT_MAX_ROWS) sessions: then no row is checked at all."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    report = Report(file_name=storable(name))
    text = _decode(content)
    if not text.strip():
        raise FileProblem(gettext("That file is empty. Choose the file you exported."))
    if name.lower().endswith(".json") or text.lstrip()[:1] in ("{", "["):
        report.row_label = "Session"
        records = _json_records(text, max_rows)
    else:
        records = _csv_records(text, report, max_rows)
    checker = RowChecker(
        zone=zone,
        codes=frozenset(Point.objects.values_list("code", flat=True)),
        routines=routine_references(user),
        factors=factor_references(user),
    )
    for number, record in records:
        report.total_rows += 1
        if isinstance(record, str):
            row, problems = None, [("", record)]
        else:
            row, problems = checker.check(record)
        if problems:
            report.invalid_rows += 1
            for column, message in problems:
                report.add_problem(number, column, message)
        else:
            report.rows.append({"row": number, **row})
    if report.total_rows == 0:
        raise FileProblem(gettext("The file has no sessions in it, only the column names."))
    report.duplicates = report.valid_rows - len(_new_rows(user, report.rows))
    return report


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            gettext(
                "This is not a CSV or JSON text file in UTF-8. Choose the file you exported; from "
                "a spreadsheet, save as “CSV UTF-8”."
            )
        ) from None


def _csv_records(
    text: str, report: Report, max_rows: int
) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Rows as {column: cell} (or why the row is unreadable), numbered as a spreadsheet numbers
    them: the header is row 1. The rows are counted, and too many refused, before any is used."""
    # The header is short; a first line of megabytes is not one, and is refused below anyway.
    first_line = text[:10_000].split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=lambda d: _known_count(first_line.split(d)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    # Blank rows are skipped, not counted, but even skipping millions of them takes seconds.
    most_rows = 2 * max_rows + 1
    try:
        header = _check_header(next(reader), report)
        for number, cells in enumerate(reader, start=2):
            if not "".join(cells).strip():
                if number > most_rows:
                    raise FileProblem(
                        gettext(
                            "This file has more than %(count)s rows, most of them empty. "
                            "Delete the empty rows and upload it again."
                        )
                        % {"count": _grouped(most_rows - 1)}
                    )
                continue  # a blank row, as spreadsheets leave at the end
            if len(rows) == max_rows:
                raise FileProblem(too_many_rows_message(max_rows))
            rows.append((number, cells))
    except csv.Error as error:
        # The reason is Python's csv module's, in English.
        raise FileProblem(
            gettext("The file could not be read as CSV (%(error)s).") % {"error": error}
        ) from None
    return _csv_cells(rows, header)


def _grouped(number: int) -> str:
    """A count as the language in use writes it, with thousands grouped (5,000 in English)."""
    return number_format(number, force_grouping=True)


def too_many_rows_message(max_rows: int, count: int | None = None) -> str:
    if count is None:  # CSV: counting stopped at the limit
        return ngettext(
            "This file has more than %(max)s row of sessions, and at most %(max)s can be imported "
            "at a time. Split it into files of at most %(max)s rows each, keep the first row (the "
            "column names) at the top of every file, and import them one after another.",
            "This file has more than %(max)s rows of sessions, and at most %(max)s can be imported "
            "at a time. Split it into files of at most %(max)s rows each, keep the first row (the "
            "column names) at the top of every file, and import them one after another.",
            max_rows,
        ) % {"max": _grouped(max_rows)}
    return ngettext(
        "This file has %(count)s session, and at most %(max)s can be imported at a time. Split "
        "its list of sessions into files of at most %(max)s sessions each, and import them one "
        "after another.",
        "This file has %(count)s sessions, and at most %(max)s can be imported at a time. Split "
        "its list of sessions into files of at most %(max)s sessions each, and import them one "
        "after another.",
        count,
    ) % {"count": _grouped(count), "max": _grouped(max_rows)}


def _csv_cells(
    rows: list[tuple[int, list[str]]], header: list[str]
) -> Iterator[tuple[int, dict[str, str] | str]]:
    width = len(header)
    for number, cells in rows:
        if len(cells) > width and "".join(cells[width:]).strip():
            has = ngettext(
                "This row has %(count)s cell", "This row has %(count)s cells", len(cells)
            ) % {"count": len(cells)}
            columns = ngettext(
                "there is %(count)s column", "there are %(count)s columns", width
            ) % {"count": width}
            # Translators: "This row has 14 cells but there are 12 columns. …"; both parts are
            # translated just above.
            message = gettext(
                "%(row_has)s but %(columns)s. Put notes that contain commas in quotes."
            ) % {"row_has": has, "columns": columns}
            yield number, message
        else:
            cells = [exporting.unmark_text(cell) for cell in cells]
            yield number, dict(zip(header, cells, strict=False))


def _known_count(names: list[str]) -> int:
    return sum(name.strip().strip('"').lower() in KNOWN_COLUMNS for name in names)


def _check_header(cells: list[str], report: Report) -> list[str]:
    """The column names, in lower case; refuses a header the import cannot use."""
    if len(cells) > MAX_COLUMNS:
        raise FileProblem(
            gettext(
                "The first row has %(count)s columns; an import file has at most %(max)s. "
                "The columns are: %(columns)s."
            )
            % {
                "count": _grouped(len(cells)),
                "max": MAX_COLUMNS,
                "columns": ", ".join(KNOWN_COLUMNS),
            }
        )
    header = [name.strip().lower() for name in cells]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise FileProblem(
            gettext(
                "The first row must name the columns. Missing: %(missing)s. "
                "The columns are: %(columns)s."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(KNOWN_COLUMNS)}
        )
    repeated = sorted(name for name, count in Counter(header).items() if name and count > 1)
    if repeated:
        raise FileProblem(
            gettext("These columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    report.ignored_columns = [
        storable(name) for name in header if name and name not in KNOWN_COLUMNS
    ]
    return header


def _json_records(text: str, max_rows: int) -> Iterator[tuple[int, dict[str, str] | str]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        line = getattr(error, "lineno", None)
        if line:
            message = gettext("The file is not valid JSON (near line %(line)s).") % {"line": line}
        else:
            message = gettext("The file is not valid JSON.")
        raise FileProblem(message) from None
    sessions = data.get("sessions") if isinstance(data, dict) else data
    if not isinstance(sessions, list):
        raise FileProblem(
            gettext("The JSON file needs a list of sessions, as the export writes it.")
        )
    if len(sessions) > max_rows:
        raise FileProblem(too_many_rows_message(max_rows, len(sessions)))
    return _json_cells(sessions)


def _json_cells(sessions: list) -> Iterator[tuple[int, dict[str, str] | str]]:
    for number, item in enumerate(sessions, start=1):
        if isinstance(item, dict):
            yield number, _json_to_cells(item)
        else:
            yield number, gettext("Each session must be an object with the column names as keys.")


def _json_to_cells(item: dict) -> dict[str, str]:
    """JSON values as the CSV cells they would be, so both formats share one set of checks."""
    cells = {}
    for name, value in item.items():
        if isinstance(value, list) and all(isinstance(v, str | int | type(None)) for v in value):
            value = exporting.LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
        cells[str(name)] = "" if value is None else str(value)
    return cells


def routine_references(user) -> dict[str, int]:
    """{reference: routine id} for the routines ``user`` may log: guide slugs and own numbers."""
    return {
        (slug if owner_id is None else str(pk)): pk
        for pk, slug, owner_id in Routine.objects.usable_by(user).values_list(
            "pk", "slug", "owner_id"
        )
    }


def factor_references(user) -> dict[str, int]:
    """{factor_key(name): factor id} for the factors ``user`` may log: the built-in ones by name
    or slug, and the user's own by name (archived ones too: they are on old sessions). Factors
    of other users are not here, so a file naming one gets "not one of yours" like any unknown.

    Where two keys collide, a name beats a slug and the user's own factor beats a built-in one:
    the export writes names, and the user chose theirs."""
    # A built-in factor's name in any language: a file exported in English imports in Spanish.
    names = [f"name_{language}" for language in settings.MODELTRANSLATION_LANGUAGES]
    factors = sorted(
        Factor.objects.usable_by(user).values_list("pk", "owner_id", "slug", "name", *names),
        key=lambda factor: (factor[1] is not None, factor[0]),
    )
    references = {factor_key(slug): pk for pk, owner_id, slug, *_ in factors if slug}
    for pk, _, _, *factor_names in factors:
        references.update((factor_key(name), pk) for name in factor_names if name)
    return references


DedupeKey = tuple[datetime, frozenset[str], bool]


def _key(started_at: datetime, codes: Iterable[str], rest: bool = False) -> DedupeKey:
    """What makes two sessions the same: the time to the second, the set of points, and whether
    it was rest only (a rest session has no points). Factors, pain and notes do not count."""
    return (
        started_at.astimezone(dt_timezone.utc).replace(microsecond=0),
        frozenset(codes),
        bool(rest),
    )


def _existing_keys(user, rows: list[dict]) -> set[DedupeKey]:
    """Keys of the user's sessions in the time span of ``rows`` (two queries)."""
    times = [datetime.fromisoformat(row["started_at"]) for row in rows]
    sessions = PracticeSession.objects.for_user(user).filter(
        started_at__gte=min(times), started_at__lt=max(times) + timedelta(seconds=1)
    )
    codes: dict[int, set[str]] = {}
    for session_id, code in SessionPoint.objects.filter(session__in=sessions).values_list(
        "session_id", "point__code"
    ):
        codes.setdefault(session_id, set()).add(code)
    return {
        _key(started_at, codes.get(pk, ()), rest_only)
        for pk, started_at, rest_only in sessions.values_list("pk", "started_at", "rest_only")
    }


def _new_rows(user, rows: list[dict]) -> list[dict]:
    """``rows`` less those already in the journal or earlier in the same file."""
    if not rows:
        return []
    seen = _existing_keys(user, rows)
    new = []
    for row in rows:
        key = _key(datetime.fromisoformat(row["started_at"]), row["points"], row.get("rest", False))
        if key not in seen:
            seen.add(key)
            new.append(row)
    return new


# What save_rows writes for each session; the other columns get their defaults (bulk_insert.py).
SESSION_COLUMNS = (
    "user",
    "started_at",
    "pain_before",
    "pain_after",
    "pain_later",
    "area",
    "notes",
    "routine",
    "show_in_report",
    "rest_only",
    "tool",
)


@dataclass
class Outcome:
    created: int
    skipped: int


@transaction.atomic
def save_rows(user, rows: list[dict]) -> Outcome:
    """Write the new sessions, their points and their factors in one transaction: all of them
    or none. Rows kept before the file had rest, factors and tool columns lack those keys."""
    new = _new_rows(user, rows)
    point_ids = dict(Point.objects.values_list("code", "pk"))
    # A routine or factor deleted between the report and the confirmation is simply left off.
    routine_ids = set(Routine.objects.usable_by(user).values_list("pk", flat=True))
    factor_ids = set(Factor.objects.usable_by(user).values_list("pk", flat=True))
    if any(code not in point_ids for row in new for code in row["points"]):
        raise FileProblem(
            gettext("The guides changed since you uploaded the file. Upload it again.")
        )
    session_ids = bulk_insert.insert_returning_ids(
        PracticeSession,
        SESSION_COLUMNS,
        [
            (
                user.pk,
                datetime.fromisoformat(row["started_at"]),
                row["pain_before"],
                row["pain_after"],
                row["pain_later"],
                row["area"],
                row["notes"],
                row.get("routine") if row.get("routine") in routine_ids else None,
                bool(row.get("show_in_report", False)),
                bool(row.get("rest", False)),
                row.get("tool", ""),
            )
            for row in new
        ],
    )
    bulk_insert.insert(
        SessionPoint,
        ("session", "point", "position", "seconds"),
        [
            (session_id, point_ids[code], position, seconds)
            for session_id, row in zip(session_ids, new, strict=True)
            for position, (code, seconds) in enumerate(
                zip(row["points"], row["seconds"], strict=True)
            )
        ],
    )
    bulk_insert.insert(
        SessionFactor,
        ("session", "factor"),
        [
            (session_id, factor_id)
            for session_id, row in zip(session_ids, new, strict=True)
            for factor_id in row.get("factors", ())
            if factor_id in factor_ids
        ],
    )
    return Outcome(created=len(new), skipped=len(rows) - len(new))


PENDING_LIFETIME = timedelta(days=1)


@transaction.atomic
def keep_pending(user, report: Report) -> PendingImport:
    """Store the checked rows until the user decides; replaces the user's earlier pending import
    and clears anyone's that were abandoned more than a day ago."""
    PendingImport.objects.filter(
        Q(user=user) | Q(created_at__lt=timezone.now() - PENDING_LIFETIME)
    ).delete()
    return PendingImport.objects.create(
        user=user, file_name=report.file_name[:255], rows=report.rows, report=report.summary()
    )


@transaction.atomic
def import_pending(user, pk: int) -> Outcome | None:
    """Import a pending file's valid rows and forget the file; None if it was already done."""
    pending = PendingImport.objects.select_for_update().filter(user=user, pk=pk).first()
    if pending is None:
        return None
    outcome = save_rows(user, pending.rows)
    pending.delete()
    return outcome
