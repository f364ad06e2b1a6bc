"""Starting a fair experiment."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from acupressure.models import Point

from .. import experiments
from ..models import (
    EXPERIMENT_SESSIONS_DEFAULT,
    EXPERIMENT_SESSIONS_MAX,
    EXPERIMENT_SESSIONS_MIN,
    Experiment,
)
from .fields import interpolate_lazy

# The value of the "resting" choice for B; no point's slug looks like it.
REST_CHOICE = "rest"
REST_CHOICE_LABEL = _("Resting for the same time (no pressing)")


class PointChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Point.objects.only("pk", "code", "slug", "name_pinyin", "name_en"),
            to_field_name="slug",
            empty_label=_("Choose a point"),
            error_messages={
                "required": _("Choose a point."),
                "invalid_choice": _("That point is not in the guides."),
            },
            **kwargs,
        )

    def label_from_instance(self, point: Point) -> str:
        return f"{point.code} {point.name_pinyin} ({point.name_en})"


class RestFirstIterator(ModelChoiceIterator):
    """The points, with "Resting for the same time" first, right after the empty choice."""

    def __iter__(self):
        choices = super().__iter__()
        if self.field.empty_label is not None:
            yield next(choices)
        yield (REST_CHOICE, REST_CHOICE_LABEL)
        yield from choices

    def __len__(self):
        return super().__len__() + 1


class PointOrRestChoiceField(PointChoiceField):
    """A point, or REST_CHOICE, which cleans to None: the arm is resting for the same time."""

    iterator = RestFirstIterator

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["required"] = _("Choose a point, or resting for the same time.")

    def clean(self, value):
        if value == REST_CHOICE:
            return None
        return super().clean(value)


def planned_sessions_choices() -> list[tuple[int, str]]:
    """The even numbers of sessions, in the language in use (a callable: read per form)."""
    return [
        (
            n,
            ngettext(
                "%(count)s session (%(each)s of each)", "%(count)s sessions (%(each)s of each)", n
            )
            % {"count": n, "each": n // 2},
        )
        for n in range(EXPERIMENT_SESSIONS_MIN, EXPERIMENT_SESSIONS_MAX + 1, 2)
    ]


class ExperimentForm(forms.Form):
    """Start a fair test of two points, or of a point against rest. The schedule is drawn on save."""

    point_a = PointChoiceField(label=_("Point A"))
    point_b = PointOrRestChoiceField(label=_("Point B, or rest"))
    planned_sessions = forms.TypedChoiceField(
        label=_("How many sessions in all"),
        coerce=int,
        choices=planned_sessions_choices,
        initial=EXPERIMENT_SESSIONS_DEFAULT,
        error_messages={
            "required": _("Choose how many sessions."),
            "invalid_choice": interpolate_lazy(
                _(
                    "Choose an even number from %(min)s to %(max)s, so A and B get the same "
                    "number of sessions."
                ),
                {"min": EXPERIMENT_SESSIONS_MIN, "max": EXPERIMENT_SESSIONS_MAX},
            ),
        },
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("point_a") and cleaned.get("point_a") == cleaned.get("point_b"):
            self.add_error(
                "point_b",
                gettext("Choose a different point from A, or resting: the test needs two."),
            )
        running = experiments.active_experiment(self.user)
        if running is not None:
            raise forms.ValidationError(
                gettext(
                    "You already have an experiment running (%(title)s). Finish or abandon it "
                    "before you start another."
                )
                % {"title": running.title}
            )
        return cleaned

    def save(self) -> Experiment:
        return experiments.start(
            self.user,
            self.cleaned_data["point_a"],
            self.cleaned_data["point_b"],
            self.cleaned_data["planned_sessions"],
        )
