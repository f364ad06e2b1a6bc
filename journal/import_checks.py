"""The rows of an import file, checked with the journal's rules but without a Django form per row.

``ImportRowForm`` (journal/forms/data.py) states the rules and words the messages. Cleaning a form
costs about 100 µs a row, most of it Django's machinery rather than the checks, so a full file
took longer than the server's timeout. ``RowChecker`` gives the same answer far faster:

- a column with few distinct values (the pain ratings, the area, the points, the seconds, the
  routine, the factors, yes/no) is checked once per distinct value, by the form's own field, and
  remembered (the points once per value and rest flag, as rest decides whether points are needed);
- a time is parsed once with ``datetime.fromisoformat`` (what Django's ``parse_datetime`` tries
  first) and accepted straight away when it is plainly in range; notes are accepted when plainly
  short and clean;
- anything else goes to the form's own field, so every message is the form's.

tests/data/test_import_checks.py checks on thousands of generated rows that ``RowChecker`` and
``ImportRowForm`` accept the same rows, clean them to the same values and word the same problems.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from datetime import timezone as dt_timezone

from django import forms
from django.utils import timezone

from .forms.data import ImportRowForm
from .forms.fields import EARLIEST_SESSION, FUTURE_TOLERANCE

UTC = dt_timezone.utc


class RowChecker:
    """Checks rows ({column: cell or None}) as ``ImportRowForm.check`` does, many times faster."""

    def __init__(
        self,
        *,
        zone: tzinfo,
        codes: frozenset[str],
        routines: dict[str, int],
        factors: dict[str, int] | None = None,
    ):
        self.zone = zone
        self.form = ImportRowForm(zone=zone, codes=codes, routines=routines, factors=factors)
        self.fields = self.form.fields
        self.notes_max = self.fields["notes"].max_length
        # A time up to this is accepted without asking the field; the field's own check uses the
        # clock at each row, which is never earlier.
        self.latest = timezone.now() + FUTURE_TOLERANCE
        # {column: {cell: (valid, cleaned value or messages)}} for the columns with few values.
        self.memory: dict[str, dict] = {name: {} for name in self.fields}
        self.per_point: dict[tuple[str, int], tuple[list | None, list[str]]] = {}

    def check(self, record: dict) -> tuple[dict | None, list[tuple[str, str]]]:
        """(the cleaned row, no problems) or (None, [(column, message), ...]).

        Problems come in the order of the form's fields, then the seconds per point (which the
        form's clean() checks last, once the points are known)."""
        get = record.get
        problems: list[tuple[str, str]] = []
        cleaned: dict = {}
        started_at = self._started_at(get("started_at"), problems)
        self._remembered("rest", get("rest"), cleaned, problems)
        # Whether points are needed, or refused, depends on rest (the form's clean_points()).
        rest = cleaned.get("rest")
        self._remembered("points", get("points"), cleaned, problems, rest=rest)
        self._remembered("seconds", get("seconds"), cleaned, problems)
        self._remembered("pain_before", get("pain_before"), cleaned, problems)
        self._remembered("pain_after", get("pain_after"), cleaned, problems)
        self._remembered("pain_later", get("pain_later"), cleaned, problems)
        # As ImportRowForm.check: labels such as "Lower back" name an area too.
        area = str(get("area") or "").strip()
        self._remembered("area", self.form.AREA_BY_NAME.get(area.lower(), area), cleaned, problems)
        notes = self._notes(get("notes"), problems)
        self._remembered("routine", get("routine"), cleaned, problems)
        self._remembered("show_in_report", get("show_in_report"), cleaned, problems)
        self._remembered("factors", get("factors"), cleaned, problems)
        self._remembered("tool", get("tool"), cleaned, problems)
        seconds = None
        if "points" in cleaned and "seconds" in cleaned:
            seconds = self._seconds_per_point(cleaned["seconds"], len(cleaned["points"]), problems)
        if problems:
            return None, problems
        return {
            "started_at": started_at,
            "points": cleaned["points"],
            "seconds": seconds,
            "pain_before": cleaned["pain_before"],
            "pain_after": cleaned["pain_after"],
            "pain_later": cleaned["pain_later"],
            "area": cleaned["area"],
            "notes": notes,
            "routine": cleaned["routine"],
            "show_in_report": cleaned["show_in_report"],
            "rest": cleaned["rest"],
            "factors": cleaned["factors"],
            "tool": cleaned["tool"],
        }, []

    def _started_at(self, value, problems) -> str | None:
        """The time in UTC as ISO text, as the importer keeps it."""
        if value:
            text = str(value).strip()
            try:
                parsed = datetime.fromisoformat(text)
                if parsed.utcoffset() is None:
                    parsed = parsed.replace(tzinfo=self.zone)
                parsed = parsed.replace(microsecond=0)
                if EARLIEST_SESSION <= parsed <= self.latest:
                    return parsed.astimezone(UTC).isoformat()
            except (ValueError, OverflowError):
                pass
        try:
            parsed = self.fields["started_at"].clean(value)
        except forms.ValidationError as error:
            problems.extend(("started_at", message) for message in error.messages)
            return None
        return parsed.astimezone(UTC).isoformat()

    def _remembered(self, name: str, value, cleaned: dict, problems: list, **context) -> None:
        """Check a cell of a column with few distinct values; each value is checked once (for
        each ``context``: the other columns' cleaned values its check reads; a refused one is
        None and left out). The cleaned values are shared between rows (a list of points, say)
        and never changed."""
        memory = self.memory[name]
        key = (value, *context.values()) if context else value
        result = memory.get(key)
        if result is None:
            known = {column: v for column, v in context.items() if v is not None}
            result = memory[key] = self._clean_field(name, value, known)
        ok, outcome = result
        if ok:
            cleaned[name] = outcome
        else:
            problems.extend((name, message) for message in outcome)

    def _clean_field(self, name: str, value, context: dict | None = None) -> tuple[bool, object]:
        """The field's clean() and the form's clean_<name>(), as full_clean runs them."""
        try:
            cleaned = self.fields[name].clean(value)
            if hasattr(self.form, f"clean_{name}"):
                # clean_routine(), clean_points() and the others read the field's value (and
                # clean_points() the rest column's) from here.
                self.form.cleaned_data = {**(context or {}), name: cleaned}
                cleaned = getattr(self.form, f"clean_{name}")()
        except forms.ValidationError as error:
            return False, error.messages
        return True, cleaned

    def _seconds_per_point(self, raw: str, count: int, problems) -> list | None:
        key = (raw, count)
        if key not in self.per_point:
            try:
                self.per_point[key] = (self.form._seconds_per_point(raw, count), [])
            except forms.ValidationError as error:
                self.per_point[key] = (None, error.messages)
        values, messages = self.per_point[key]
        # As the form's clean(): this problem comes after those of every field.
        problems.extend(("seconds", message) for message in messages)
        return values

    def _notes(self, value, problems) -> str:
        if not value:
            return ""
        text = str(value)
        if len(text) <= self.notes_max and "\0" not in text and _encodable(text):
            return text
        try:
            return self.fields["notes"].clean(value)
        except forms.ValidationError as error:
            problems.extend(("notes", message) for message in error.messages)
            return ""


def _encodable(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
