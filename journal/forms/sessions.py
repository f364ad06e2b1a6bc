"""Forms for logging, editing, following up and filtering sessions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from acupressure.models import REGION_ORDER, Point, Region, Routine

from .. import experiments
from ..models import (
    NOTES_MAX_LENGTH,
    PAIN_MAX,
    SECONDS_MAX,
    Factor,
    PainArea,
    PracticeSession,
    SessionFactor,
    SessionPoint,
    SessionTool,
)
from .fields import SECONDS_MAX_MESSAGE, BoundedDateField, PainScaleField, validate_started_at

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# A starting pain this high or higher shows a short note pointing to the warning signs.
HIGH_PAIN = 8


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local">; a value the browser could not show is left out, not echoed."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL_FORMAT, **kwargs)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.strptime(value.strip()[:16], DATETIME_LOCAL_FORMAT)
            except ValueError:
                return None
        return super().format_value(value)


class PointsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            # pregnancy: the grid shows each point's pregnancy hint (Point.pregnancy_wording).
            queryset=Point.objects.only(
                "pk", "code", "slug", "name_pinyin", "name_en", "region", "pregnancy"
            ),
            to_field_name="slug",
            error_messages={
                "required": _("Choose at least one point you pressed."),
                "invalid_choice": _("“%(value)s” is not a point in the guides."),
                "invalid_pk_value": _("“%(pk)s” is not a point in the guides."),
            },
            **kwargs,
        )

    def label_from_instance(self, point: Point) -> str:
        return f"{point.code} {point.name_pinyin}"


# The largest row number either database can compare with (SQLite overflows past it).
ID_MAX = 2**63 - 1


def is_row_number(value) -> bool:
    """Only the digits 0-9 (int() also reads "١" as 1), and no more than ID_MAX."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= ID_MAX


class FactorsField(forms.ModelMultipleChoiceField):
    """The built-in factors and the user's own, by number; set the queryset per user."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Factor.objects.none(),
            required=False,
            error_messages={
                "invalid_choice": _(
                    "Factor number %(value)s is not one of the built-in factors or yours. "
                    "Tick the factors shown below."
                ),
                "invalid_pk_value": _("“%(pk)s” is not a factor you can choose."),
            },
            **kwargs,
        )

    def _check_values(self, value):
        for pk in value:
            if not is_row_number(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


REST_AND_POINTS = _(
    "You ticked “I only rested, no pressing” and some points. Untick the points, or untick "
    "“I only rested”."
)


class PracticeSessionForm(forms.ModelForm):
    """Log or edit a session. Saving writes the session, its points and its factors in one
    transaction."""

    # Required unless the session is rest only: see clean_rest_or_points().
    points = PointsField(label=_("Points you pressed"), required=False)
    factors = FactorsField(label=_("Anything else today?"))
    pain_before = PainScaleField(label=_("Pain before"))
    pain_after = PainScaleField(label=_("Pain after"))
    started_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeLocalInput(),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-11-25 18:30.")},
    )
    area = forms.ChoiceField(
        label=_("Where it hurt"),
        choices=PainArea.choices,
        widget=forms.RadioSelect,
        initial=PainArea.LOWER_BACK,
        error_messages={
            "required": _("Choose where it hurt."),
            "invalid_choice": _("Choose one of the areas listed."),
        },
    )
    tool = forms.ChoiceField(
        label=_("What you pressed with (optional)"),
        # SessionTool's labels are English (gettext_noop): translated here, when shown.
        choices=[
            ("", _("Not noted")),
            *((value, _(label)) for value, label in SessionTool.choices),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the tools listed, or “Not noted”.")},
    )
    seconds = forms.IntegerField(
        label=_("Seconds on each point (optional)"),
        required=False,
        min_value=0,
        max_value=SECONDS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Seconds cannot be negative."),
            "max_value": SECONDS_MAX_MESSAGE,
            "invalid": _("Enter whole seconds, e.g. 60."),
        },
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Notes can be at most %(limit_value)d characters (you wrote %(show_value)d)."
            )
        },
    )
    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "The routine this session was linked to is not in the guides or in your "
                "routines any more. Save again to log the session without it."
            ),
        },
    )

    count_in_experiment = forms.BooleanField(
        label=_("Count this session in my experiment"), required=False
    )

    class Meta:
        model = PracticeSession
        fields = [
            "points",
            "pain_before",
            "pain_after",
            "started_at",
            "area",
            "seconds",
            "notes",
            "show_in_report",
            "routine",
            "rest_only",
            "factors",
            "tool",
        ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Only the guide's routines and the user's own: another user's routine number is refused.
        self.fields["routine"].queryset = Routine.objects.usable_by(user).with_steps()
        # Archived factors are accepted (an edited session keeps them) but offered only when ticked.
        self.fields["factors"].queryset = Factor.objects.usable_by(user)
        # Only a new session can join the running experiment, and only when one is running.
        # A posted form without the box ticked needs no lookup: the session is logged on its own.
        unticked = self.is_bound and "count_in_experiment" not in self.data
        self.next_experiment_session = (
            None
            if self.instance.pk or unticked
            else experiments.next_session(experiments.active_experiment(user))
        )
        if self.next_experiment_session is None:
            del self.fields["count_in_experiment"]
        self.original_point_ids = set()
        if self.instance.pk:
            session_points = list(self.instance.session_points.all())
            self.original_point_ids = {sp.point_id for sp in session_points}
            self.initial["points"] = [sp.point.slug for sp in session_points]
            seconds = {sp.seconds for sp in session_points}
            if len(seconds) == 1:
                self.initial.setdefault("seconds", seconds.pop())
            elif len(seconds) > 1:
                self.fields["seconds"].help_text = gettext(
                    "The points had different times. Leave this empty to keep them."
                )
        else:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_started_at(self) -> datetime:
        started_at = self.cleaned_data["started_at"]
        validate_started_at(started_at)
        return started_at

    def clean(self):
        cleaned = super().clean()
        # The experiment's next place, when this session is to count in it.
        upcoming = self.next_experiment_session if cleaned.get("count_in_experiment") else None
        if upcoming and upcoming.rest and (cleaned.get("points") or not cleaned.get("rest_only")):
            # The one thing to fix; the points' own errors would only contradict it.
            self.add_error(
                "count_in_experiment",
                gettext(
                    "Session %(number)s of your experiment is rest only: tick “I only rested, no "
                    "pressing” and no points this time. Or untick “Count this session in my "
                    "experiment” to save it on its own."
                )
                % {"number": upcoming.number},
            )
            return cleaned
        self.clean_rest_or_points(cleaned)
        points = cleaned.get("points")
        if points is None:
            return cleaned
        chosen = {point.pk for point in points}
        if upcoming and not upcoming.rest and chosen != {upcoming.point.pk}:
            self.add_error(
                "points",
                gettext(
                    "This session counts in your experiment, so press only %(code)s %(name)s this "
                    "time. Or untick “Count this session in my experiment” to save it on its own."
                )
                % {"code": upcoming.point.code, "name": upcoming.point.name_pinyin},
            )
        if self.instance.experiment_id and chosen != self.original_point_ids:
            self.add_error(
                "points",
                gettext(
                    "This session counts in one of your experiments, so its point cannot be "
                    "changed. If it was logged by mistake, delete it instead."
                ),
            )
        return cleaned

    def clean_rest_or_points(self, cleaned: dict) -> None:
        """A session has points, or is rest only with none."""
        points = cleaned.get("points")
        if points is None:  # refused already, e.g. a point not in the guides
            return
        if cleaned.get("rest_only") and points:
            self.add_error("points", REST_AND_POINTS)
        elif not cleaned.get("rest_only") and not points:
            self.add_error("points", self.fields["points"].error_messages["required"])

    def selected_routine(self) -> Routine | None:
        """The routine this form links the session to, for the page to name it."""
        if self.is_bound:
            return self.cleaned_data.get("routine") if hasattr(self, "cleaned_data") else None
        initial = self.initial.get("routine")
        return initial if isinstance(initial, Routine) else self.instance.routine

    def high_pain_before(self) -> bool:
        """Whether the form shows a starting pain of HIGH_PAIN or more (posted, prefilled or stored).

        The page then shows its note about the warning signs without waiting for the browser.
        """
        value = self["pain_before"].value()
        try:
            return HIGH_PAIN <= int(value) <= PAIN_MAX
        except (TypeError, ValueError):
            return False

    def points_by_region(self) -> list[tuple[str, list]]:
        """The point checkboxes grouped by body region, for the grid."""
        groups: dict[str, list] = {}
        for checkbox in self["points"]:
            point = checkbox.data["value"].instance
            groups.setdefault(point.region, []).append(checkbox)
        return [
            (Region(region).label, groups[region])
            for region in sorted(groups, key=REGION_ORDER.__getitem__)
        ]

    def factor_checkboxes(self) -> list:
        """The factor checkboxes to show: every factor offered, and archived ones already ticked."""
        return [
            checkbox
            for checkbox in self["factors"]
            if checkbox.data["selected"] or not checkbox.data["value"].instance.archived
        ]

    def factors_open(self) -> bool:
        """Whether "Anything else today?" starts open: a factor is ticked, or one was refused."""
        return bool(self["factors"].errors or self["factors"].value())

    @transaction.atomic
    def save(self, commit: bool = True) -> PracticeSession:
        session = super().save(commit=False)
        adding = session._state.adding
        session.user = self.user
        session.save()
        chosen = list(self.cleaned_data["points"])
        seconds = self.cleaned_data.get("seconds")
        routine = self.cleaned_data.get("routine")
        # One number for every point wins; else keep what was stored; else the routine's time for
        # that point (summed when the routine presses it more than once, e.g. left then right).
        from_routine = routine.seconds_per_point() if routine else {}
        previous = {}
        if not adding:  # a new session has no points to read or replace
            previous = {sp.point_id: sp.seconds for sp in session.session_points.all()}
            session.session_points.all().delete()
        SessionPoint.objects.bulk_create(
            SessionPoint(
                session=session,
                point=point,
                position=position,
                seconds=(
                    seconds
                    if seconds is not None
                    else previous.get(point.pk, from_routine.get(point.pk))
                ),
            )
            for position, point in enumerate(chosen)
        )
        if not adding:
            session.session_factors.all().delete()
        SessionFactor.objects.bulk_create(
            SessionFactor(session=session, factor=factor) for factor in self.cleaned_data["factors"]
        )
        if self.cleaned_data.get("count_in_experiment"):
            # Raises experiments.SlotTaken (and so rolls all of this back) if the experiment
            # moved on since the form was shown, e.g. a session logged in another tab.
            experiments.link_session(
                session,
                self.next_experiment_session.experiment.pk,
                chosen[0] if chosen else None,  # a rest session has no point
            )
        return session


class SameAgainForm(forms.Form):
    """The two pain ratings of "log the same again" on the home page. It posts to the log form
    (``PracticeSessionForm`` checks and saves it) with the last session's points, area and rest
    as hidden fields, and the time the home page was opened."""

    pain_before = PainScaleField(label=_("Pain before"))
    pain_after = PainScaleField(label=_("Pain after"))


class FollowUpForm(forms.ModelForm):
    pain_later = PainScaleField(label=_("Pain an hour later"))

    class Meta:
        model = PracticeSession
        fields = ["pain_later"]


class FactorChoiceField(forms.ModelChoiceField):
    """One factor, by number; set the queryset per user."""

    def to_python(self, value):
        if value not in self.empty_values and not is_row_number(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, factor: Factor) -> str:
        if factor.archived:
            return gettext("%(name)s (archived)") % {"name": factor.name}
        return factor.name


class JournalFilterForm(forms.Form):
    """Filters for the session list; every field optional and combinable."""

    point = forms.ModelChoiceField(
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any point"),
        error_messages={"invalid_choice": _("That point is not in the guides.")},
    )
    area = forms.ChoiceField(
        choices=[("", _("Any area")), *PainArea.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the areas listed.")},
    )
    factor = FactorChoiceField(
        queryset=Factor.objects.none(),
        required=False,
        empty_label=_("Any factor"),
        error_messages={"invalid_choice": _("That is not one of your factors or a built-in one.")},
    )
    date_from = BoundedDateField(label=pgettext_lazy("date range", "From"), required=False)
    date_to = BoundedDateField(label=pgettext_lazy("date range", "To"), required=False)
    rest = forms.BooleanField(label=_("Rest sessions only"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Without a user (the API, for now) no factor can be chosen.
        if user is not None:
            self.fields["factor"].queryset = Factor.objects.usable_by(user)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned

    def filter(self, sessions):
        """Apply the valid filters to ``sessions``; dates are whole days in the active time zone."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("point"):
            # A subquery rather than a join, so the list needs no DISTINCT (which sorts the
            # whole journal before the first page can be cut from it).
            sessions = sessions.filter(
                pk__in=SessionPoint.objects.filter(point=data["point"]).values("session_id")
            )
        if data.get("factor"):
            sessions = sessions.filter(
                pk__in=SessionFactor.objects.filter(factor=data["factor"]).values("session_id")
            )
        if data.get("rest"):
            sessions = sessions.filter(rest_only=True)
        if data.get("area"):
            sessions = sessions.filter(area=data["area"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            sessions = sessions.filter(
                started_at__gte=datetime.combine(data["date_from"], time.min, tzinfo=zone)
            )
        if data.get("date_to"):
            next_day = data["date_to"] + timedelta(days=1)
            sessions = sessions.filter(
                started_at__lt=datetime.combine(next_day, time.min, tzinfo=zone)
            )
        return sessions
