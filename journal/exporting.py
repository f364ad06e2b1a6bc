"""A user's whole journal as CSV or JSON, streamed a chunk of rows at a time: sessions with their
points from one query, their factors from a second one read alongside it.

The columns are defined once, in ``COLUMNS``: a column name and how to read it from a session.
CSV and JSON are both written from it, and the importer reads the same names back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import groupby
from operator import itemgetter

from django.db.models import F

from .models import PracticeSession, SessionFactor

# Rows (one per point of a session) fetched from the database at a time.
CHUNK_SIZE = 2000
# Excel reads a CSV without a byte-order mark as the local code page and garbles accents;
# with it, Excel, LibreOffice and Numbers all read UTF-8. The importer accepts either.
CSV_BOM = "\ufeff"
# Several points or seconds in one CSV cell are separated by this (commas would need quoting).
LIST_SEPARATOR = ";"
# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...) can send
# the sheet's contents away). Such a cell is exported with a ' before it, which spreadsheets
# read as "this is text", and the importer takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"

SESSION_FIELDS = (
    "pk",
    "started_at",
    "pain_before",
    "pain_after",
    "pain_later",
    "area",
    "notes",
    "show_in_report",
    "routine_id",
    "routine__slug",
    "routine__owner_id",
    "rest_only",
    "tool",
)
POINT_FIELDS = ("session_points__point__code", "session_points__seconds")


@dataclass
class ExportedSession:
    """One session as the export reads it: its own fields, plus its points in order."""

    pk: int
    started_at: datetime
    pain_before: int
    pain_after: int
    pain_later: int | None
    area: str
    notes: str
    show_in_report: bool
    routine_id: int | None
    routine__slug: str | None
    routine__owner_id: int | None
    rest_only: bool
    tool: str
    point_codes: list[str] = field(default_factory=list)
    point_seconds: list[int | None] = field(default_factory=list)
    factor_names: list[str] = field(default_factory=list)


def _started_at(session: ExportedSession, zone: tzinfo) -> str:
    return session.started_at.astimezone(zone).isoformat(timespec="seconds")


def _routine(session: ExportedSession, zone: tzinfo) -> str:
    """The routine as /journal/new/?routine= names it: a guide routine's slug, or your own's number."""
    if session.routine_id is None:
        return ""
    return session.routine__slug if session.routine__owner_id is None else str(session.routine_id)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


ColumnReader = Callable[[ExportedSession, tzinfo], object]

# Column name -> value for one session. A new column is one line here (and one in the importer).
COLUMNS: dict[str, ColumnReader] = {
    "started_at": _started_at,
    "points": lambda session, zone: session.point_codes,
    "seconds": lambda session, zone: session.point_seconds,
    "pain_before": lambda session, zone: session.pain_before,
    "pain_after": lambda session, zone: session.pain_after,
    "pain_later": lambda session, zone: session.pain_later,
    "area": lambda session, zone: session.area,
    "notes": lambda session, zone: session.notes,
    "routine": _routine,
    "show_in_report": lambda session, zone: _yes_no(session.show_in_report),
    "rest": lambda session, zone: _yes_no(session.rest_only),
    "factors": lambda session, zone: session.factor_names,
    "tool": lambda session, zone: session.tool,
}


def sessions_to_export(user) -> Iterator[ExportedSession]:
    """Oldest first, in one query streamed a chunk at a time, so neither the number of queries
    nor memory grows with the journal: a row per point of a session (a session without points
    still has one), grouped back into sessions here. The factors come from a second query in
    the same order, read alongside (joining them into the first would repeat each point once
    per factor)."""
    rows = (
        PracticeSession.objects.for_user(user)
        .order_by("started_at", "pk", "session_points__position")
        .values_list(*SESSION_FIELDS, *POINT_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    factors = _FactorNames(user)
    width = len(SESSION_FIELDS)
    for _pk, session_rows in groupby(rows, key=itemgetter(0)):
        first, *rest = session_rows
        session = ExportedSession(*first[:width])
        for code, seconds in (row[width:] for row in (first, *rest)):
            if code is not None:
                session.point_codes.append(code)
                session.point_seconds.append(seconds)
        session.factor_names = factors.of(session)
        yield session


class _FactorNames:
    """The names of each session's factors, read from one query ordered as the sessions are
    (time, then number) and, within a session, as the log form lists the factors."""

    def __init__(self, user):
        self.rows = (
            SessionFactor.objects.filter(session__user=user)
            .order_by(
                "session__started_at",
                "session_id",
                F("factor__owner").asc(nulls_first=True),
                "factor__position",
                "factor__name",
                "factor_id",
            )
            .values_list("session__started_at", "session_id", "factor__name")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        self.next = None  # the row read but not yet used: (started_at, session id, name)
        self.started = False

    def of(self, session: ExportedSession) -> list[str]:
        """The names for ``session``, which comes after every session asked about before.
        Rows of sessions the first query did not see (one logged since it ran) are passed over."""
        if not self.started:
            # Not before the first session: an empty journal asks nothing more of the database.
            self.started = True
            self.next = next(self.rows, None)
        key = (session.started_at, session.pk)
        names = []
        while self.next is not None and (self.next[0], self.next[1]) <= key:
            if (self.next[0], self.next[1]) == key:
                names.append(factor_cell(self.next[2]))
            self.next = next(self.rows, None)
        return names


def factor_cell(name: str) -> str:
    """A factor's name as the export writes it: ";" separates factors, so one in a name (which
    new names cannot have) is written as "," (the importer matches it either way)."""
    return name.replace(LIST_SEPARATOR, ",")


def session_records(user, zone: tzinfo) -> Iterator[dict[str, object]]:
    for session in sessions_to_export(user):
        yield {name: read(session, zone) for name, read in COLUMNS.items()}


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
    return mark_as_text(value) if isinstance(value, str) else value


def _needs_mark(text: str) -> bool:
    """Whether ``text``, less any ' it starts with, starts like a formula. "'=x" counts too,
    so that it is exported as "''=x" and the importer can tell it from an exported "=x"."""
    return text.lstrip(TEXT_MARK).startswith(FORMULA_STARTS)


def mark_as_text(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: "=1+2" -> "'=1+2"."""
    return TEXT_MARK + text if _needs_mark(text) else text


def unmark_text(cell: str) -> str:
    """The inverse of mark_as_text, for the importer: "'=1+2" -> "=1+2", "'hello" unchanged."""
    return cell[1:] if cell.startswith(TEXT_MARK) and _needs_mark(cell) else cell


class _LineBuffer:
    """csv.writer writes each row here and gets the text back, so rows can be yielded one by one."""

    def write(self, text: str) -> str:
        return text


def csv_lines(user, zone: tzinfo) -> Iterator[str]:
    writer = csv.writer(_LineBuffer())
    yield CSV_BOM + writer.writerow(COLUMNS)
    for record in session_records(user, zone):
        yield writer.writerow([_csv_cell(value) for value in record.values()])


def json_lines(user, zone: tzinfo, *, time_zone_name: str) -> Iterator[str]:
    yield '{"format": "acupressure-journal", "version": 1, '
    yield f'"time_zone": {json.dumps(time_zone_name)}, "sessions": ['
    separator = "\n"
    for record in session_records(user, zone):
        yield separator + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def in_blocks(lines: Iterator[str], block_size: int = 64 * 1024) -> Iterator[bytes]:
    """Join small lines into blocks of about ``block_size`` bytes, so the server sends few packets."""
    block: list[str] = []
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= block_size:
            yield "".join(block).encode()
            block, size = [], 0
    if block:
        yield "".join(block).encode()
