"""Import forms: the upload, and the check of each row of a file."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from datetime import timezone as dt_timezone

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import FACTORS_PER_USER_MAX, NOTES_MAX_LENGTH, SECONDS_MAX, PainArea, SessionTool
from .fields import (
    BIDI_CONTROLS,
    INVISIBLE_CATEGORIES,
    SECONDS_MAX_MESSAGE,
    PainScaleField,
    validate_encodable,
    validate_started_at,
)


class ImportFileForm(forms.Form):
    """The upload step of an import: one CSV or JSON file, checked before anything is read."""

    ALLOWED_SUFFIXES = (".csv", ".json", ".txt")

    file = forms.FileField(
        label=_("Your file (.csv or .json)"),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("That file is empty. Choose the file you exported."),
            "invalid": _("That was not a file. Choose a file to import."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def __init__(self, *args, max_bytes: int, too_large: bool = False, **kwargs):
        self.max_bytes = max_bytes
        self.too_large = too_large
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A file from “Export”, or a spreadsheet saved as “CSV UTF-8”. Up to %(size)s."
        ) % {"size": filesizeformat(max_bytes)}

    def clean(self):
        if self.too_large:
            # The upload handler stopped reading the file, so there is no file to check.
            self.errors.pop("file", None)
            self.add_error("file", self.too_large_message())
        return super().clean()

    def too_large_message(self) -> str:
        return gettext(
            "That file is larger than %(size)s. "
            "Split it into smaller files and import them one at a time."
        ) % {"size": filesizeformat(self.max_bytes)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large_message())
        if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                gettext(
                    "Choose a .csv or .json file: the journal's export, or a spreadsheet saved as "
                    "“CSV UTF-8”."
                )
            )
        return upload


class PointCodesField(forms.Field):
    """Point codes separated by ";" (or ","), e.g. "BL23;LI4", checked against the guides."""

    MAX_POINTS = 30
    default_error_messages = {
        "required": _("Choose at least one point you pressed."),
        "unknown": _("“%(code)s” is not a point in the guides."),
        "repeated": _("%(code)s is listed twice."),
        "too_many": _("At most %(limit)d points in one session."),
    }

    def __init__(self, *, codes: frozenset[str], **kwargs):
        self.codes = codes
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        return [code.strip().upper() for code in re.split(r"[;,]", str(value)) if code.strip()]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        if len(value) > self.MAX_POINTS:
            raise forms.ValidationError(
                self.error_messages["too_many"], params={"limit": self.MAX_POINTS}
            )
        errors, seen = [], set()
        for code in value:
            if code not in self.codes:
                errors.append(
                    forms.ValidationError(self.error_messages["unknown"], params={"code": code})
                )
            elif code in seen:
                errors.append(
                    forms.ValidationError(self.error_messages["repeated"], params={"code": code})
                )
            seen.add(code)
        if errors:
            raise forms.ValidationError(errors)


def factor_key(name: str) -> str:
    """How an import file's factor is matched to a factor: case and runs of spaces do not matter,
    and ";" reads as "," (the export writes a ";" in an older factor's name as ",", since ";"
    separates factors; new names cannot contain it)."""
    return " ".join(name.replace(";", ",").split()).casefold()


def quoted_from_file(text: str, limit: int = 60) -> str:
    """A value from the file as a message quotes it: short, and with control and bidirectional
    characters shown as U+FFFD (�) so that they cannot hide or reorder the message around them."""
    shown = "".join(
        "\ufffd" if unicodedata.category(c) in INVISIBLE_CATEGORIES or c in BIDI_CONTROLS else c
        for c in text[:limit]
    )
    return shown + ("…" if len(text) > limit else "")


class FactorNamesField(forms.Field):
    """Factors separated by ";", e.g. "Slept badly;Hot bath", as ids of the user's usable factors
    (the built-in ones, by name or slug, and the user's own, archived ones included). A factor
    named twice counts once; a name the user has no factor for is refused, never created."""

    # A user has at most FACTORS_PER_USER_MAX of their own, plus the few built-in ones.
    MAX_FACTORS = FACTORS_PER_USER_MAX + 20
    default_error_messages = {
        "unknown": _(
            "“%(name)s” is not one of the built-in factors or yours. Check the spelling "
            "(factors are separated by ;), or add it on the “My factors” page first."
        ),
        "too_many": _("At most %(limit)d factors in one session."),
    }

    def __init__(self, *, factors: dict[str, int], **kwargs):
        self.factors = factors
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        return [name.strip() for name in str(value).split(";") if name.strip()]

    def clean(self, value) -> list[int]:
        names = self.to_python(value)
        if len(names) > self.MAX_FACTORS:
            raise forms.ValidationError(
                self.error_messages["too_many"], params={"limit": self.MAX_FACTORS}
            )
        errors, ids = [], []
        for name in names:
            pk = self.factors.get(factor_key(name))
            if pk is None:
                errors.append(
                    forms.ValidationError(
                        self.error_messages["unknown"], params={"name": quoted_from_file(name)}
                    )
                )
            elif pk not in ids:
                ids.append(pk)
        if errors:
            raise forms.ValidationError(errors)
        return ids


class IsoDateTimeField(forms.DateTimeField):
    """ISO 8601 with or without an offset; without one, the time is in the user's time zone."""

    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a date and time. Write it like 2026-11-25T18:30:00+01:00."
        ),
    }

    def __init__(self, *, zone, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            parsed = parse_datetime(text)
            if parsed is not None and timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, self.zone)
            if parsed is not None:
                parsed.astimezone(dt_timezone.utc)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is None:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:40]}
            )
        return parsed.replace(microsecond=0)


# Checks one value of an import's seconds column ("60;90" is split first).
ONE_POINT_SECONDS = forms.IntegerField(
    min_value=0,
    max_value=SECONDS_MAX,
    error_messages={
        "min_value": _("Seconds cannot be negative."),
        "max_value": SECONDS_MAX_MESSAGE,
        "invalid": _("Enter whole seconds, e.g. 60."),
    },
)


class PainAreaField(forms.ChoiceField):
    """A pain area's value; a refused one is answered with the list of values to use."""

    def __init__(self, **kwargs):
        super().__init__(choices=PainArea.choices, **kwargs)

    def validate(self, value) -> None:
        try:
            super().validate(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise forms.ValidationError(
                error.message,
                code=error.code,
                params={**(error.params or {}), "areas": ", ".join(PainArea.values)},
            ) from None


def by_name(choices: type[models.TextChoices]) -> dict[str, str]:
    """{label or value, in lower case: value}: the English labels, those of the language in use
    (the same in English) and the values themselves."""
    with translation.override(settings.LANGUAGE_CODE):
        names = {str(label).lower(): value for value, label in choices.choices}
    # gettext() for labels kept in English (SessionTool's, marked with gettext_noop); a lazy
    # label is translated by str() already.
    names.update((gettext(str(label)).lower(), value) for value, label in choices.choices)
    names.update((value, value) for value in choices.values)
    return names


class ImportRowForm(forms.Form):
    """One session from an import file, checked with the same rules as the journal's form.

    Field names are the file's column names, so each error names its column. This form states the
    import's rules and words its messages; files are checked with ``RowChecker``
    (journal/import_checks.py), which uses these fields and gives the same answers many times
    faster (tests/data/test_import_checks.py compares the two). Change a rule here, not there.
    """

    started_at = forms.Field()  # replaced in __init__: it needs the user's time zone
    # Before points: whether a session was rest only decides whether it needs points.
    rest = forms.CharField(required=False)
    points = forms.Field()  # replaced in __init__: it needs the guides' codes
    seconds = forms.CharField(required=False)
    pain_before = PainScaleField(label=_("Pain before"))
    pain_after = PainScaleField(label=_("Pain after"))
    pain_later = PainScaleField(label=_("Pain later"), required=False, empty_value=None)
    area = PainAreaField(
        error_messages={
            "required": _("Give the pain area, e.g. lower-back."),
            # Translators: %(areas)s lists the values an import file may use (not translated).
            "invalid_choice": _("“%(value)s” is not a pain area. Use one of: %(areas)s."),
        },
    )
    notes = forms.CharField(
        required=False,
        strip=False,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_encodable],
        error_messages={
            "max_length": _(
                "Notes can be at most %(limit_value)d characters (this has %(show_value)d)."
            )
        },
    )

    routine = forms.CharField(required=False)
    show_in_report = forms.CharField(required=False)
    factors = forms.Field(required=False)  # replaced in __init__: it needs the user's factors
    tool = forms.CharField(required=False)

    YES = {"yes", "true", "1", "y", "on"}
    NO = {"no", "false", "0", "n", "off", ""}

    REST_WITH_POINTS = _(
        "This row says rest (only rested, no pressing) but lists points. A rest session has no "
        "points: empty the points cell, or write no in the rest column."
    )

    def __init__(
        self,
        *,
        zone,
        codes: frozenset[str],
        routines: dict[str, int] | None = None,
        factors: dict[str, int] | None = None,
    ):
        """``routines`` and ``factors`` map what a file may write to an id: {reference: routine
        id} and {factor_key(name or built-in slug): factor id}."""
        super().__init__(data={})
        self.routines = routines or {}
        # Labels such as "Lower back" or "Ball" name an area or a tool too (see by_name).
        self.AREA_BY_NAME = by_name(PainArea)
        self.TOOL_BY_NAME = by_name(SessionTool)
        self.fields["started_at"] = IsoDateTimeField(
            zone=zone,
            validators=[validate_started_at],
            error_messages={"required": gettext("Give the date and time of the session.")},
        )
        self.fields["points"] = PointCodesField(codes=codes, required=False)
        self.fields["factors"] = FactorNamesField(factors=factors or {})

    def check(self, row: dict[str, str]) -> bool:
        """Check one row with this form, as is_valid() would; cleaned_data and errors follow.

        One form can check many rows: building a form deep-copies its fields, which costs more
        than the checks themselves.
        """
        data = dict(row)
        area = str(data.get("area") or "").strip()
        data["area"] = self.AREA_BY_NAME.get(area.lower(), area)
        self.data = data
        self.full_clean()
        return not self._errors

    def clean_routine(self) -> int | None:
        reference = self.cleaned_data["routine"].strip().lower()
        if not reference:
            return None
        if reference not in self.routines:
            raise forms.ValidationError(
                gettext(
                    "“%(reference)s” is not one of the guide's routines or yours. Leave it empty "
                    "to import the session without a routine."
                )
                % {"reference": reference}
            )
        return self.routines[reference]

    def clean_rest(self) -> bool:
        return self._yes_or_no(self.cleaned_data["rest"])

    def clean_points(self) -> list[str]:
        """A session has points, or is rest only with none (as on the log form)."""
        points = self.cleaned_data["points"]
        rest = self.cleaned_data.get("rest")
        if rest is None:  # the rest cell was refused; its problem says why
            return points
        if rest and points:
            raise forms.ValidationError(self.REST_WITH_POINTS)
        if not rest and not points:
            raise forms.ValidationError(self.fields["points"].error_messages["required"])
        return points

    def clean_tool(self) -> str:
        """A tool's value (balls) or its label (Ball), any case; empty when not noted."""
        tool = self.cleaned_data["tool"].strip().lower()
        if tool and tool not in self.TOOL_BY_NAME:
            raise forms.ValidationError(
                # Translators: %(tools)s lists the values an import file may use (not translated).
                gettext("“%(tool)s” is not a tool. Use one of: %(tools)s, or leave it empty.")
                % {"tool": tool[:40], "tools": ", ".join(SessionTool.values)}
            )
        return self.TOOL_BY_NAME.get(tool, "")

    def clean_show_in_report(self) -> bool:
        return self._yes_or_no(self.cleaned_data["show_in_report"])

    def _yes_or_no(self, value: str) -> bool:
        value = value.strip().lower()
        if value in self.YES:
            return True
        if value in self.NO:
            return False
        raise forms.ValidationError(gettext("Write yes or no."))

    def clean(self):
        cleaned = super().clean()
        if "points" in cleaned and "seconds" in cleaned:
            try:
                cleaned["seconds"] = self._seconds_per_point(
                    cleaned["seconds"], len(cleaned["points"])
                )
            except forms.ValidationError as error:
                self.add_error("seconds", error)
        return cleaned

    def _seconds_per_point(self, raw: str, point_count: int) -> list[int | None]:
        """ "60;90" -> [60, 90]; empty -> unknown for every point; one value per point otherwise."""
        if not raw.strip():
            return [None] * point_count
        if point_count == 0:
            raise forms.ValidationError(
                gettext("This row has no points (a rest session), so leave the seconds cell empty.")
            )
        values = raw.split(";")
        if len(values) != point_count:
            given = ngettext("%(count)s seconds value", "%(count)s seconds values", len(values)) % {
                "count": len(values)
            }
            points = ngettext("%(count)s point", "%(count)s points", point_count) % {
                "count": point_count
            }
            raise forms.ValidationError(
                # Translators: "3 seconds values for 2 points. …"; both parts are translated above.
                gettext(
                    "%(values)s for %(points)s. Give one per point, in the same order, separated "
                    "by ; (leave one empty if you do not know it)."
                )
                % {"values": given, "points": points}
            )
        return [
            ONE_POINT_SECONDS.clean(value.strip()) if value.strip() else None for value in values
        ]
