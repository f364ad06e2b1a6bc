"""Forms for a user's own routines: the routine and its rows of steps."""

from __future__ import annotations

from django import forms
from django.db import transaction

from acupressure.models import (
    LONG_STEP_NOTE,
    STEP_SECONDS_LONG,
    STEP_SECONDS_MAX,
    STEP_SECONDS_MIN,
    Point,
    Region,
    Routine,
    RoutineStep,
    Side,
)

ROUTINE_STEPS_MAX = 30
STEP_POSITION_MAX = 99
# Under a step saved before steps were limited to 10 minutes, when its routine is edited.
STORED_TOO_LONG_NOTE = (
    f"This step is longer than {STEP_SECONDS_MAX // 60} minutes, the most a step can now last. "
    "Shorten it to save your changes."
)
# Shown once above the step rows (not under every row's seconds field).
SECONDS_HELP = (
    "A minute or two on each point is usual (60 to 120 seconds). Over "
    f"{STEP_SECONDS_LONG // 60} minutes is a long hold, and a step can last at most "
    f"{STEP_SECONDS_MAX // 60} minutes ({STEP_SECONDS_MAX} seconds)."
)


class RoutineForm(forms.ModelForm):
    """A user's own routine: its name and notes. The steps come from RoutineStepFormSet."""

    title = forms.CharField(
        label="Name",
        max_length=100,
        error_messages={
            "required": "Give your routine a name, e.g. “Morning back”.",
            "max_length": "Keep the name to %(limit_value)d characters (you wrote %(show_value)d).",
        },
    )
    summary = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=200,
        help_text="One line for yourself, e.g. when it suits you.",
        error_messages={
            "max_length": "Keep the notes to %(limit_value)d characters (you wrote %(show_value)d).",
        },
    )

    class Meta:
        model = Routine
        fields = ["title", "summary"]

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner

    @transaction.atomic
    def save_with_steps(self, steps: list[dict]) -> Routine:
        """Save the routine and replace its steps with ``steps``, all or nothing."""
        routine = self.save()
        routine.steps.all().delete()
        RoutineStep.objects.bulk_create(
            RoutineStep(routine=routine, position=position, **step)
            for position, step in enumerate(steps, start=1)
        )
        return routine


class RoutineStepForm(forms.Form):
    point = forms.ModelChoiceField(
        label="Point",
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin", "region", "sort_order"),
        to_field_name="slug",
        empty_label="Choose a point",
        error_messages={
            "required": "Choose a point for this step, or tick “Remove this step”.",
            "invalid_choice": "That is not a point in the guides. Choose one from the list.",
        },
    )
    seconds = forms.IntegerField(
        label="Seconds",
        initial=60,
        min_value=STEP_SECONDS_MIN,
        max_value=STEP_SECONDS_MAX,
        # The advice on how long is shown once, above the rows (templates: id="seconds-help").
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "aria-describedby": "seconds-help"}
        ),
        error_messages={
            "required": "How many seconds for this step? For example 60.",
            "min_value": f"At least {STEP_SECONDS_MIN} seconds.",
            "max_value": (
                f"At most {STEP_SECONDS_MAX} seconds (10 minutes) per step. "
                "A minute or two on each point is usual."
            ),
            "invalid": "Enter whole seconds, e.g. 60.",
        },
    )
    side = forms.ChoiceField(
        label="Side (optional)",
        choices=[("", "Not set"), *Side.choices],
        required=False,
        error_messages={"invalid_choice": "Choose both sides, left, right or not set."},
    )
    instruction = forms.CharField(
        label="Instruction (optional)",
        max_length=200,
        required=False,
        error_messages={
            "max_length": "Keep it to %(limit_value)d characters (you wrote %(show_value)d).",
        },
    )
    position = forms.IntegerField(
        label="Order",
        required=False,
        min_value=1,
        max_value=STEP_POSITION_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": "Use 1 or more.",
            "max_value": f"Use {STEP_POSITION_MAX} or less.",
            "invalid": "Enter a whole number, e.g. 2.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].label_from_instance = lambda point: (
            f"{point.code} {point.name_pinyin} ({Region(point.region).label.lower()})"
        )

    def long_note(self) -> str:
        """A note under a step held over 5 minutes (posted or stored). A posted time over the
        limit gets the field's error instead; a stored one, saved before the limit, is flagged."""
        try:
            seconds = int(self["seconds"].value())
        except (TypeError, ValueError):
            return ""
        if seconds > STEP_SECONDS_MAX:
            return "" if self.is_bound else STORED_TOO_LONG_NOTE
        return LONG_STEP_NOTE if seconds > STEP_SECONDS_LONG else ""


class BaseRoutineStepFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": f"A routine can have at most {ROUTINE_STEPS_MAX} steps.",
    }
    seconds_help = SECONDS_HELP

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this step"

    def clean(self):
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(
                "Add at least one step: choose a point and how many seconds to press it.",
                code="no_steps",
            )

    def steps(self) -> list[dict]:
        """The kept rows as step values, ordered by their numbers; unnumbered rows go last."""
        kept = [
            (form.cleaned_data.get("position") or STEP_POSITION_MAX + 1, row, form.cleaned_data)
            for row, form in enumerate(self.forms)
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        return [
            {name: data[name] for name in ("point", "seconds", "side", "instruction")}
            for _, _, data in sorted(kept, key=lambda item: item[:2])
        ]


def routine_step_formset(data=None, initial=None):
    """The step rows: the routine's steps, then blank rows (more when starting from nothing)."""
    formset_class = forms.formset_factory(
        RoutineStepForm,
        formset=BaseRoutineStepFormSet,
        extra=3 if initial else 5,
        can_delete=True,
        can_delete_extra=False,
        max_num=ROUTINE_STEPS_MAX,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="steps")


def step_rows_for_routine(routine: Routine) -> list[dict]:
    """The edit form's rows for a routine's (prefetched) steps."""
    return [
        {
            "position": step.position,
            "point": step.point.slug,
            "seconds": step.seconds,
            "side": step.side,
            "instruction": step.instruction,
        }
        for step in routine.step_list
    ]


def step_rows_for_points(slugs: list[str]) -> list[dict]:
    """Starting rows for ``?points=bl23,li4``: each known point, in order, at its guide's hold time."""
    points = {p.slug: p for p in Point.objects.filter(slug__in=slugs).only("slug", "hold_seconds")}
    return [
        {"position": position, "point": slug, "seconds": points[slug].hold_seconds}
        for position, slug in enumerate((slug for slug in slugs if slug in points), start=1)
    ]
