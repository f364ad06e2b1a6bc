"""Validators, widgets and fields that more than one feature's forms use."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import PAIN_MAX, PAIN_MIN, SECONDS_MAX

FUTURE_TOLERANCE = timedelta(minutes=5)
# Far enough back for any journal, and keeps every time convertible to any zone.
EARLIEST_SESSION = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
PAIN_CHOICES = [(value, str(value)) for value in range(PAIN_MIN, PAIN_MAX + 1)]


def _interpolate(message, params: dict) -> str:
    return message % {name: value() if callable(value) else value for name, value in params.items()}


# ``message % params``, worked out each time the text is shown, in the language active then: for
# module-level text with numbers in it (``message`` from gettext_lazy; a callable in ``params``,
# such as a number_format, is called then too). ``gettext_lazy(...) % params`` would translate
# once, at import.
interpolate_lazy = lazy(_interpolate, str)

# The log form's, the import's and the API's answer to more seconds on a point than SECONDS_MAX.
SECONDS_MAX_MESSAGE = interpolate_lazy(
    _("At most %(seconds)s seconds (one hour) per point."),
    {"seconds": lambda: number_format(SECONDS_MAX, force_grouping=True)},
)


def validate_started_at(value: datetime) -> None:
    """A session happened in the past (a few minutes' grace for clocks that differ)."""
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise forms.ValidationError(
            gettext("That time is in the future. Enter when you did the session.")
        )
    if value < EARLIEST_SESSION:
        raise forms.ValidationError(
            gettext("That date is too long ago. Enter when you did the session.")
        )


def validate_encodable(value: str) -> None:
    """Refuse text that cannot be stored as UTF-8 (lone surrogates, which JSON can carry)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise forms.ValidationError(
            gettext("This text contains characters that cannot be saved.")
        ) from None


# Characters that change how the text around them is displayed without being seen: with U+202E
# RIGHT-TO-LEFT OVERRIDE, "Slept badly" can be made to read as something else.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Control characters (tab, line feeds, escape codes) and line or paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def validate_single_line(value: str) -> None:
    """Refuse control characters, line breaks and bidirectional controls in a short name.

    NUL is left to Django's own validator, which every form CharField runs, so it is not
    reported twice.
    """
    if any(
        character != "\x00"
        and (unicodedata.category(character) in INVISIBLE_CATEGORIES or character in BIDI_CONTROLS)
        for character in value
    ):
        raise forms.ValidationError(
            gettext(
                "This name contains invisible control characters (such as a line break or a "
                "right-to-left mark). Type it again using letters, numbers, spaces and "
                "punctuation."
            )
        )


class DateInput(forms.DateInput):
    """<input type="date">, which needs ISO dates whatever the site's display format."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# The days a date filter accepts. Every zone (UTC-12 to UTC+14) can turn the start of any of
# them, and of the day after the last, into a time the database can store.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class BoundedDateField(forms.DateField):
    """A day from EARLIEST_DATE to LATEST_DATE, picked with <input type="date">."""

    default_error_messages = {
        "out_of_range": _("Choose a date between %(earliest)s and %(latest)s.")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            DateInput(attrs={"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}),
        )
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
            )


class PainScaleField(forms.TypedChoiceField):
    """A 0–10 rating shown as eleven radio buttons with the number visible."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose a number from 0 (no pain) to 10 (worst pain imaginable)."),
                "invalid_choice": _("Pain is a whole number from 0 to 10."),
            },
        )
        super().__init__(choices=PAIN_CHOICES, coerce=int, **kwargs)
