"""Forms for a user's own routines: the routine and its rows of steps."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

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

from .fields import interpolate_lazy

ROUTINE_STEPS_MAX = 30
STEP_POSITION_MAX = 99
# Under a step saved before steps were limited to 10 minutes, when its routine is edited.
STORED_TOO_LONG_NOTE = interpolate_lazy(
    _(
        "This step is longer than %(minutes)s minutes, the most a step can now last. "
        "Shorten it to save your changes."
    ),
    {"minutes": STEP_SECONDS_MAX // 60},
)
# Shown once above the step rows (not under every row's seconds field).
SECONDS_HELP = interpolate_lazy(
    _(
        "A minute or two on each point is usual (60 to 120 seconds). Over %(long_minutes)s "
        "minutes is a long hold, and a step can last at most %(max_minutes)s minutes "
        "(%(max_seconds)s seconds)."
    ),
    {
        "long_minutes": STEP_SECONDS_LONG // 60,
        "max_minutes": STEP_SECONDS_MAX // 60,
        "max_seconds": STEP_SECONDS_MAX,
    },
)


class RoutineForm(forms.ModelForm):
    """A user's own routine: its name and notes. The steps come from RoutineStepFormSet."""

    title = forms.CharField(
        # Translators: the name of a user's own routine.
        label=_("Name"),
        max_length=100,
        error_messages={
            "required": _("Give your routine a name, e.g. “Morning back”."),
            "max_length": _(
                "Keep the name to %(limit_value)d characters (you wrote %(show_value)d)."
            ),
        },
    )
    summary = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=200,
        help_text=_("One line for yourself, e.g. when it suits you."),
        error_messages={
            "max_length": _(
                "Keep the notes to %(limit_value)d characters (you wrote %(show_value)d)."
            ),
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
        label=_("Point"),
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin", "region", "sort_order"),
        to_field_name="slug",
        empty_label=_("Choose a point"),
        error_messages={
            "required": _("Choose a point for this step, or tick “Remove this step”."),
            "invalid_choice": _("That is not a point in the guides. Choose one from the list."),
        },
    )
    seconds = forms.IntegerField(
        label=_("Seconds"),
        initial=60,
        min_value=STEP_SECONDS_MIN,
        max_value=STEP_SECONDS_MAX,
        # The advice on how long is shown once, above the rows (templates: id="seconds-help").
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "aria-describedby": "seconds-help"}
        ),
        error_messages={
            "required": _("How many seconds for this step? For example 60."),
            # MinValueValidator and MaxValueValidator give %(limit_value)s.
            "min_value": _("At least %(limit_value)s seconds."),
            "max_value": _(
                "At most %(limit_value)s seconds (10 minutes) per step. "
                "A minute or two on each point is usual."
            ),
            "invalid": _("Enter whole seconds, e.g. 60."),
        },
    )
    side = forms.ChoiceField(
        label=_("Side (optional)"),
        choices=[("", _("Not set")), *Side.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose both sides, left, right or not set.")},
    )
    instruction = forms.CharField(
        label=_("Instruction (optional)"),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _("Keep it to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    position = forms.IntegerField(
        # Translators: a step's place in a routine (1, 2, 3…).
        label=_("Order"),
        required=False,
        min_value=1,
        max_value=STEP_POSITION_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Use 1 or more."),
            "max_value": _("Use %(limit_value)s or less."),
            "invalid": _("Enter a whole number, e.g. 2."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].label_from_instance = lambda point: (
            f"{point.code} {point.name_pinyin} ({str(Region(point.region).label).lower()})"
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
        # BaseFormSet gives %(num)d: max_num, which is ROUTINE_STEPS_MAX.
        "too_many_forms": ngettext_lazy(
            "A routine can have at most %(num)d step.",
            "A routine can have at most %(num)d steps.",
            "num",
        ),
    }
    seconds_help = SECONDS_HELP

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove this step")

    def clean(self):
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(
                gettext("Add at least one step: choose a point and how many seconds to press it."),
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
