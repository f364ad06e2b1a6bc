"""Filters for the insights, compare and report pages."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from acupressure.models import Point

from .. import stats
from ..models import PainArea
from .fields import BoundedDateField

DEFAULT_RANGE = "90"
RANGE_CHOICES = [
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("365", _("Last year")),
    ("all", _("All time")),
]


class InsightsFilterForm(forms.Form):
    """Range, pain area and single-point filter for the insights and compare pages."""

    range = forms.ChoiceField(
        label=_("Period"), choices=RANGE_CHOICES, required=False, initial=DEFAULT_RANGE
    )
    area = forms.ChoiceField(
        label=_("Where it hurt"), choices=[("", _("Any area")), *PainArea.choices], required=False
    )
    single = forms.BooleanField(label=_("Single-point sessions only"), required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("range"):
            data = data.copy()
            data["range"] = DEFAULT_RANGE
        super().__init__(data, **kwargs)

    def filters(self) -> stats.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        days = data.get("range") or DEFAULT_RANGE
        # From the start of this hour: the same filters all hour, so the figures can be cached.
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        return stats.Filters(
            since=None if days == "all" else hour - timedelta(days=int(days)),
            area=data.get("area", ""),
            single_point_only=data.get("single", False),
        )

    def period_label(self) -> str:
        days = (self.cleaned_data.get("range") if self.is_valid() else None) or DEFAULT_RANGE
        return str(dict(RANGE_CHOICES)[days]).lower()


class CompareForm(InsightsFilterForm):
    a = forms.ModelChoiceField(
        label=_("First point"),
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("That point is not in the guides.")},
    )
    b = forms.ModelChoiceField(
        label=_("Second point"),
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("That point is not in the guides.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", gettext("Choose two different points to compare."))
        return cleaned


class ReportForm(forms.Form):
    date_from = BoundedDateField(label=pgettext_lazy("date range", "From"))
    date_to = BoundedDateField(label=pgettext_lazy("date range", "To"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned

    def filters(self) -> stats.Filters:
        zone = timezone.get_current_timezone()
        return stats.Filters(
            since=datetime.combine(self.cleaned_data["date_from"], time.min, tzinfo=zone),
            until=datetime.combine(
                self.cleaned_data["date_to"] + timedelta(days=1), time.min, tzinfo=zone
            ),
        )
