"""Starting a fair experiment."""

from __future__ import annotations

from django import forms

from acupressure.models import Point

from .. import experiments
from ..models import (
    EXPERIMENT_SESSIONS_DEFAULT,
    EXPERIMENT_SESSIONS_MAX,
    EXPERIMENT_SESSIONS_MIN,
    Experiment,
)


class PointChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Point.objects.only("pk", "code", "slug", "name_pinyin", "name_en"),
            to_field_name="slug",
            empty_label="Choose a point",
            error_messages={
                "required": "Choose a point.",
                "invalid_choice": "That point is not in the guides.",
            },
            **kwargs,
        )

    def label_from_instance(self, point: Point) -> str:
        return f"{point.code} {point.name_pinyin} ({point.name_en})"


class ExperimentForm(forms.Form):
    """Start a fair test of two points. The schedule is drawn on save."""

    point_a = PointChoiceField(label="Point A")
    point_b = PointChoiceField(label="Point B")
    planned_sessions = forms.TypedChoiceField(
        label="How many sessions in all",
        coerce=int,
        choices=[
            (n, f"{n} sessions ({n // 2} with each point)")
            for n in range(EXPERIMENT_SESSIONS_MIN, EXPERIMENT_SESSIONS_MAX + 1, 2)
        ],
        initial=EXPERIMENT_SESSIONS_DEFAULT,
        error_messages={
            "required": "Choose how many sessions.",
            "invalid_choice": (
                f"Choose an even number from {EXPERIMENT_SESSIONS_MIN} to "
                f"{EXPERIMENT_SESSIONS_MAX}, so both points get the same number of sessions."
            ),
        },
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("point_a") and cleaned.get("point_a") == cleaned.get("point_b"):
            self.add_error("point_b", "Choose a different point from A: the test needs two.")
        running = experiments.active_experiment(self.user)
        if running is not None:
            raise forms.ValidationError(
                f"You already have an experiment running ({running.point_a.code} against "
                f"{running.point_b.code}). Finish or abandon it before you start another."
            )
        return cleaned

    def save(self) -> Experiment:
        return experiments.start(
            self.user,
            self.cleaned_data["point_a"],
            self.cleaned_data["point_b"],
            self.cleaned_data["planned_sessions"],
        )
