"""The form for a user's own factors: things around a session that may change the relief."""

from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import FACTOR_NAME_MAX_LENGTH, FACTORS_PER_USER_MAX, Factor
from .fields import validate_encodable, validate_single_line

# Letters, marks, numbers, punctuation and symbols: a name needs at least one of them to be read.
VISIBLE_CATEGORY_GROUPS = frozenset("LMNPS")


def validate_no_semicolon(value: str) -> None:
    """The export and import separate a session's factors with ";" (journal/exporting.py), so a
    name cannot contain one. Older names that do are exported with "," in its place."""
    if ";" in value:
        raise forms.ValidationError(
            gettext(
                "A factor name cannot contain “;”: exported journals use it to separate factors. "
                "Use a comma or “/” instead."
            )
        )


class FactorForm(forms.ModelForm):
    """Create or rename one of the owner's factors."""

    name = forms.CharField(
        # Translators: the name of a factor (something around a session, e.g. "Hot bath").
        label=_("Name"),
        max_length=FACTOR_NAME_MAX_LENGTH,
        help_text=_("Something you may have done or had before a session, e.g. “Hot bath”."),
        validators=[validate_encodable, validate_single_line, validate_no_semicolon],
        error_messages={
            "required": _("Give the factor a name, e.g. “Hot bath”."),
            "max_length": _(
                "Keep the name to %(limit_value)d characters (you wrote %(show_value)d)."
            ),
        },
    )

    class Meta:
        model = Factor
        fields = ["name"]

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.instance.owner = owner

    def clean_name(self) -> str:
        # Runs of spaces count as one, so "Hot  bath" and "Hot bath" are the same factor.
        name = " ".join(self.cleaned_data["name"].split())
        if not any(unicodedata.category(c)[0] in VISIBLE_CATEGORY_GROUPS for c in name):
            raise forms.ValidationError(
                gettext("Give the factor a name with letters or numbers in it.")
            )
        # Compared in Python with casefold(), which matches at least every pair the database's
        # case-insensitive constraint does (a user has at most a few dozen factors).
        same = [
            factor
            for factor in Factor.objects.usable_by(self.owner).exclude(pk=self.instance.pk)
            if factor.name.casefold() == name.casefold()
        ]
        if same:
            raise forms.ValidationError(duplicate_message(same[0]))
        return name

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and self.owner.factors.count() >= FACTORS_PER_USER_MAX:
            raise forms.ValidationError(
                ngettext(
                    "You already have %(count)s factor of your own, the most you can keep. "
                    "Rename one you no longer use instead.",
                    "You already have %(count)s factors of your own, the most you can keep. "
                    "Rename one you no longer use instead.",
                    FACTORS_PER_USER_MAX,
                )
                % {"count": FACTORS_PER_USER_MAX}
            )
        return cleaned


def duplicate_message(factor: Factor) -> str:
    if factor.built_in:
        message = gettext(
            "“%(name)s” is already one of the built-in factors, so you can tick it on the log "
            "form as it is."
        )
    elif factor.archived:
        message = gettext(
            "You already have an archived factor called “%(name)s”. Unarchive it on the "
            "“My factors” page to offer it again."
        )
    else:
        message = gettext("You already have a factor called “%(name)s”.")
    return message % {"name": factor.name}
