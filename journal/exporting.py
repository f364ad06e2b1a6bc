"""A user's whole journal as CSV or JSON, streamed a chunk of sessions at a time.

The columns are defined once, in ``COLUMNS``: a column name and how to read it from a session.
CSV and JSON are both written from it, and the importer reads the same names back.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import tzinfo

from .models import PracticeSession

# Sessions fetched per query; their points come in one more query per chunk.
CHUNK_SIZE = 1000
# Excel reads a CSV without a byte-order mark as the local code page and garbles accents;
# with it, Excel, LibreOffice and Numbers all read UTF-8. The importer accepts either.
CSV_BOM = "\ufeff"
# Several points or seconds in one CSV cell are separated by this (commas would need quoting).
LIST_SEPARATOR = ";"


def _points(session: PracticeSession, zone: tzinfo) -> list[str]:
    return [sp.point.code for sp in session.session_points.all()]


def _seconds(session: PracticeSession, zone: tzinfo) -> list[int | None]:
    return [sp.seconds for sp in session.session_points.all()]


def _started_at(session: PracticeSession, zone: tzinfo) -> str:
    return session.started_at.astimezone(zone).isoformat(timespec="seconds")


def _routine(session: PracticeSession, zone: tzinfo) -> str:
    """The routine as /journal/new/?routine= names it: a guide routine's slug, or your own's number."""
    routine = session.routine
    if routine is None:
        return ""
    return routine.slug if routine.owner_id is None else str(routine.pk)


ColumnReader = Callable[[PracticeSession, tzinfo], object]

# Column name -> value for one session. A new column is one line here (and one in the importer).
COLUMNS: dict[str, ColumnReader] = {
    "started_at": _started_at,
    "points": _points,
    "seconds": _seconds,
    "pain_before": lambda session, zone: session.pain_before,
    "pain_after": lambda session, zone: session.pain_after,
    "pain_later": lambda session, zone: session.pain_later,
    "area": lambda session, zone: session.area,
    "notes": lambda session, zone: session.notes,
    "routine": _routine,
    "show_in_report": lambda session, zone: "yes" if session.show_in_report else "no",
}


def sessions_to_export(user):
    """Oldest first, points prefetched per chunk (Django runs prefetches per iterator chunk)."""
    return (
        PracticeSession.objects.for_user(user)
        .select_related("routine")
        .with_points()
        .order_by("started_at", "pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def session_records(user, zone: tzinfo) -> Iterator[dict[str, object]]:
    for session in sessions_to_export(user):
        yield {name: read(session, zone) for name, read in COLUMNS.items()}


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join("" if item is None else str(item) for item in value)
    return value


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
