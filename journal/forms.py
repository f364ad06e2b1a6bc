from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.db import transaction
from django.template.defaultfilters import filesizeformat, pluralize
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from acupressure.models import (
    REGION_ORDER,
    STEP_SECONDS_MAX,
    STEP_SECONDS_MIN,
    Point,
    Region,
    Routine,
    RoutineStep,
    Side,
)

from . import experiments, stats
from .models import (
    EXPERIMENT_SESSIONS_DEFAULT,
    EXPERIMENT_SESSIONS_MAX,
    EXPERIMENT_SESSIONS_MIN,
    NOTES_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    SECONDS_MAX,
    WEEKLY_GOAL_MAX,
    WEEKLY_GOAL_MIN,
    Experiment,
    PainArea,
    PracticePlan,
    PracticeSession,
    Profile,
    SessionPoint,
    Weekday,
    validate_time_zone,
)

FUTURE_TOLERANCE = timedelta(minutes=5)
# Far enough back for any journal, and keeps every time convertible to any zone.
EARLIEST_SESSION = datetime(1900, 1, 1, tzinfo=dt_timezone.utc)
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
PAIN_CHOICES = [(value, str(value)) for value in range(PAIN_MIN, PAIN_MAX + 1)]


def validate_started_at(value: datetime) -> None:
    """A session happened in the past (a few minutes' grace for clocks that differ)."""
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise forms.ValidationError("That time is in the future. Enter when you did the session.")
    if value < EARLIEST_SESSION:
        raise forms.ValidationError("That date is too long ago. Enter when you did the session.")


def validate_encodable(value: str) -> None:
    """Refuse text that cannot be stored as UTF-8 (lone surrogates, which JSON can carry)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise forms.ValidationError("This text contains characters that cannot be saved.") from None


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class DateInput(forms.DateInput):
    """<input type="date">, which needs ISO dates whatever the site's display format."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class PainScaleField(forms.TypedChoiceField):
    """A 0–10 rating shown as eleven radio buttons with the number visible."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose a number from 0 (no pain) to 10 (worst pain imaginable).",
                "invalid_choice": "Pain is a whole number from 0 to 10.",
            },
        )
        super().__init__(choices=PAIN_CHOICES, coerce=int, **kwargs)


class PointsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Point.objects.only("pk", "code", "slug", "name_pinyin", "name_en", "region"),
            to_field_name="slug",
            error_messages={
                "required": "Choose at least one point you pressed.",
                "invalid_choice": "“%(value)s” is not a point in the guides.",
                "invalid_pk_value": "“%(pk)s” is not a point in the guides.",
            },
            **kwargs,
        )

    def label_from_instance(self, point: Point) -> str:
        return f"{point.code} {point.name_pinyin}"


class PracticeSessionForm(forms.ModelForm):
    """Log or edit a session. Saving writes the session and its points in one transaction."""

    points = PointsField(label="Points you pressed")
    pain_before = PainScaleField(label="Pain before")
    pain_after = PainScaleField(label="Pain after")
    started_at = forms.DateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=DateTimeLocalInput(),
        error_messages={"invalid": "Enter a date and time, e.g. 2026-11-25 18:30."},
    )
    area = forms.ChoiceField(
        label="Where it hurt",
        choices=PainArea.choices,
        widget=forms.RadioSelect,
        initial=PainArea.LOWER_BACK,
        error_messages={
            "required": "Choose where it hurt.",
            "invalid_choice": "Choose one of the areas listed.",
        },
    )
    seconds = forms.IntegerField(
        label="Seconds on each point (optional)",
        required=False,
        min_value=0,
        max_value=SECONDS_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": "Seconds cannot be negative.",
            "max_value": f"At most {SECONDS_MAX:,} seconds (one hour) per point.",
            "invalid": "Enter whole seconds, e.g. 60.",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Notes can be at most %(limit_value)d characters (you wrote %(show_value)d)."
        },
    )
    routine = forms.ModelChoiceField(
        queryset=Routine.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": (
                "The routine this session was linked to is not in the guides or in your "
                "routines any more. Save again to log the session without it."
            ),
        },
    )

    count_in_experiment = forms.BooleanField(
        label="Count this session in my experiment", required=False
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
        ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        # Only the guide's routines and the user's own: another user's routine number is refused.
        self.fields["routine"].queryset = Routine.objects.usable_by(user).with_steps()
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
                self.fields[
                    "seconds"
                ].help_text = "The points had different times. Leave this empty to keep them."
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
        points = cleaned.get("points")
        if points is None:
            return cleaned
        chosen = {point.pk for point in points}
        upcoming = self.next_experiment_session
        if cleaned.get("count_in_experiment") and chosen != {upcoming.point.pk}:
            self.add_error(
                "points",
                f"This session counts in your experiment, so press only {upcoming.point.code} "
                f"{upcoming.point.name_pinyin} this time. Or untick “Count this session in my "
                "experiment” to save it on its own.",
            )
        if self.instance.experiment_id and chosen != self.original_point_ids:
            self.add_error(
                "points",
                "This session counts in one of your experiments, so its point cannot be changed. "
                "If it was logged by mistake, delete it instead.",
            )
        return cleaned

    def selected_routine(self) -> Routine | None:
        """The routine this form links the session to, for the page to name it."""
        if self.is_bound:
            return self.cleaned_data.get("routine") if hasattr(self, "cleaned_data") else None
        initial = self.initial.get("routine")
        return initial if isinstance(initial, Routine) else self.instance.routine

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
        if self.cleaned_data.get("count_in_experiment"):
            # Raises experiments.SlotTaken (and so rolls all of this back) if the experiment
            # moved on since the form was shown, e.g. a session logged in another tab.
            experiments.link_session(session, self.next_experiment_session.experiment.pk, chosen[0])
        return session


ROUTINE_STEPS_MAX = 30
STEP_POSITION_MAX = 99


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
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "How many seconds for this step? For example 60.",
            "min_value": f"At least {STEP_SECONDS_MIN} seconds.",
            "max_value": f"At most {STEP_SECONDS_MAX:,} seconds (one hour) per step.",
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


class BaseRoutineStepFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": f"A routine can have at most {ROUTINE_STEPS_MAX} steps.",
    }

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


class FollowUpForm(forms.ModelForm):
    pain_later = PainScaleField(label="Pain an hour later")

    class Meta:
        model = PracticeSession
        fields = ["pain_later"]


class JournalFilterForm(forms.Form):
    """Filters for the session list; every field optional and combinable."""

    point = forms.ModelChoiceField(
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        required=False,
        empty_label="Any point",
        error_messages={"invalid_choice": "That point is not in the guides."},
    )
    area = forms.ChoiceField(
        choices=[("", "Any area"), *PainArea.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the areas listed."},
    )
    date_from = forms.DateField(label="From", required=False, widget=DateInput())
    date_to = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date is before the start date.")
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


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        help_text="Only used to reset your password if you forget it.",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Dates in your journal are shown in this zone. We fill it in from your device.",
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this e-mail already exists. Try logging in."
            )
        return email

    @transaction.atomic
    def save(self, commit: bool = True):
        user = super().save(commit=True)
        Profile.objects.update_or_create(
            user=user, defaults={"time_zone": self.cleaned_data["time_zone"]}
        )
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label="Time zone", choices=time_zone_choices, validators=[validate_time_zone]
    )

    class Meta:
        model = Profile
        fields = ["time_zone"]


class RoutineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, routine: Routine) -> str:
        return f"{routine.title} (your own)" if routine.is_private else routine.title


class PracticePlanForm(forms.ModelForm):
    """The weekly goal and the reminders, on the settings page."""

    weekly_goal = forms.IntegerField(
        label="Sessions per week",
        min_value=WEEKLY_GOAL_MIN,
        max_value=WEEKLY_GOAL_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="Your journal shows how many you have done this week, and how many weeks in a "
        "row you reached this.",
        error_messages={
            "required": "Enter how many sessions a week you aim for, from 1 to 21.",
            "invalid": "Enter a whole number of sessions, from 1 to 21.",
            "min_value": "Aim for at least 1 session a week.",
            "max_value": "At most 21 sessions a week (three a day).",
        },
    )
    reminder_days = forms.MultipleChoiceField(
        label="On these days",
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose days from the list."},
    )
    reminder_time = forms.TimeField(
        label="At this time",
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Enter a time like 18:30."},
    )
    reminder_routine = RoutineChoiceField(
        label="Suggest this routine",
        queryset=Routine.objects.none(),
        required=False,
        empty_label="No particular routine",
        error_messages={"invalid_choice": "Choose one of the routines listed."},
    )

    class Meta:
        model = PracticePlan
        fields = [
            "weekly_goal",
            "reminders_on",
            "reminder_days",
            "reminder_time",
            "reminder_routine",
            "email_reminders",
        ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.initial["reminder_days"] = self.instance.days
        self.fields["reminder_routine"].queryset = Routine.objects.usable_by(user)
        self.fields["reminder_time"].help_text = (
            f"In your time zone, {user.profile.time_zone.replace('_', ' ')}. "
            "It stays at this time when the clocks change."
        )
        if user.email:
            self.fields["email_reminders"].help_text = f"Sent to {user.email}."
        else:
            self.fields["email_reminders"].help_text = (
                "Your account has no e-mail address, so there is nothing to send them to. "
                "The calendar feed below works without one."
            )

    def clean_reminder_days(self) -> str:
        chosen = set(self.cleaned_data["reminder_days"])
        return ",".join(code for code in Weekday.values if code in chosen)

    def clean_reminder_time(self):
        reminder_time = self.cleaned_data["reminder_time"]
        return reminder_time.replace(second=0, microsecond=0) if reminder_time else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reminders_on"):
            if "reminder_days" in cleaned and not cleaned["reminder_days"]:
                self.add_error("reminder_days", "Choose at least one day for your reminders.")
            if "reminder_time" in cleaned and cleaned["reminder_time"] is None:
                self.add_error("reminder_time", "Choose a time for your reminders, e.g. 18:30.")
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Your account was not deleted.")
        return password


class LoginForm(AuthenticationForm):
    # Set here, not only by AuthenticationForm (which changes max_length after the validators are
    # built): a longer name would reach django-axes, whose username column PostgreSQL caps at 255.
    username = UsernameField(
        label="Username or e-mail",
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


DEFAULT_RANGE = "90"
RANGE_CHOICES = [
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last year"),
    ("all", "All time"),
]


class InsightsFilterForm(forms.Form):
    """Range, pain area and single-point filter for the insights and compare pages."""

    range = forms.ChoiceField(
        label="Period", choices=RANGE_CHOICES, required=False, initial=DEFAULT_RANGE
    )
    area = forms.ChoiceField(
        label="Where it hurt", choices=[("", "Any area"), *PainArea.choices], required=False
    )
    single = forms.BooleanField(label="Single-point sessions only", required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None and not data.get("range"):
            data = data.copy()
            data["range"] = DEFAULT_RANGE
        super().__init__(data, **kwargs)

    def filters(self) -> stats.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        days = data.get("range") or DEFAULT_RANGE
        return stats.Filters(
            since=None if days == "all" else timezone.now() - timedelta(days=int(days)),
            area=data.get("area", ""),
            single_point_only=data.get("single", False),
        )

    def period_label(self) -> str:
        days = (self.cleaned_data.get("range") if self.is_valid() else None) or DEFAULT_RANGE
        return dict(RANGE_CHOICES)[days].lower()


class CompareForm(InsightsFilterForm):
    a = forms.ModelChoiceField(
        label="First point",
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        error_messages={"invalid_choice": "That point is not in the guides."},
    )
    b = forms.ModelChoiceField(
        label="Second point",
        queryset=Point.objects.only("pk", "code", "slug", "name_pinyin"),
        to_field_name="slug",
        error_messages={"invalid_choice": "That point is not in the guides."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", "Choose two different points to compare.")
        return cleaned


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


class ReportForm(forms.Form):
    date_from = forms.DateField(label="From", widget=DateInput())
    date_to = forms.DateField(label="To", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> stats.Filters:
        zone = timezone.get_current_timezone()
        return stats.Filters(
            since=datetime.combine(self.cleaned_data["date_from"], time.min, tzinfo=zone),
            until=datetime.combine(
                self.cleaned_data["date_to"] + timedelta(days=1), time.min, tzinfo=zone
            ),
        )


class ImportFileForm(forms.Form):
    """The upload step of an import: one CSV or JSON file, checked before anything is read."""

    ALLOWED_SUFFIXES = (".csv", ".json", ".txt")

    file = forms.FileField(
        label="Your file (.csv or .json)",
        error_messages={
            "required": "Choose a file to import.",
            "empty": "That file is empty. Choose the file you exported.",
            "invalid": "That was not a file. Choose a file to import.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def __init__(self, *args, max_bytes: int, too_large: bool = False, **kwargs):
        self.max_bytes = max_bytes
        self.too_large = too_large
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"A file from “Export”, or a spreadsheet saved as “CSV UTF-8”. "
            f"Up to {filesizeformat(max_bytes)}."
        )

    def clean(self):
        if self.too_large:
            # The upload handler stopped reading the file, so there is no file to check.
            self.errors.pop("file", None)
            self.add_error("file", self.too_large_message())
        return super().clean()

    def too_large_message(self) -> str:
        return (
            f"That file is larger than {filesizeformat(self.max_bytes)}. "
            "Split it into smaller files and import them one at a time."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large_message())
        if not upload.name.lower().endswith(self.ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                "Choose a .csv or .json file: the journal's export, or a spreadsheet saved as "
                "“CSV UTF-8”."
            )
        return upload


class PointCodesField(forms.Field):
    """Point codes separated by ";" (or ","), e.g. "BL23;LI4", checked against the guides."""

    MAX_POINTS = 30
    default_error_messages = {
        "required": "Choose at least one point you pressed.",
        "unknown": "“%(code)s” is not a point in the guides.",
        "repeated": "%(code)s is listed twice.",
        "too_many": "At most %(limit)d points in one session.",
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


class IsoDateTimeField(forms.DateTimeField):
    """ISO 8601 with or without an offset; without one, the time is in the user's time zone."""

    default_error_messages = {
        "invalid": "“%(value)s” is not a date and time. Write it like 2026-11-25T18:30:00+01:00.",
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
        "min_value": "Seconds cannot be negative.",
        "max_value": f"At most {SECONDS_MAX:,} seconds (one hour) per point.",
        "invalid": "Enter whole seconds, e.g. 60.",
    },
)


class ImportRowForm(forms.Form):
    """One session from an import file, checked with the same rules as the journal's form.

    Field names are the file's column names, so each error names its column.
    """

    started_at = forms.Field()  # replaced in __init__: it needs the user's time zone
    points = forms.Field()  # replaced in __init__: it needs the guides' codes
    seconds = forms.CharField(required=False)
    pain_before = PainScaleField(label="Pain before")
    pain_after = PainScaleField(label="Pain after")
    pain_later = PainScaleField(label="Pain later", required=False, empty_value=None)
    area = forms.ChoiceField(
        choices=PainArea.choices,
        error_messages={
            "required": "Give the pain area, e.g. lower-back.",
            "invalid_choice": "“%(value)s” is not a pain area. Use one of: "
            + ", ".join(PainArea.values)
            + ".",
        },
    )
    notes = forms.CharField(
        required=False,
        strip=False,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_encodable],
        error_messages={
            "max_length": "Notes can be at most %(limit_value)d characters (this has %(show_value)d)."
        },
    )

    routine = forms.CharField(required=False)
    show_in_report = forms.CharField(required=False)

    YES = {"yes", "true", "1", "y", "on"}
    NO = {"no", "false", "0", "n", "off", ""}

    AREA_BY_NAME = {
        **{label.lower(): value for value, label in PainArea.choices},
        **{value: value for value in PainArea.values},
    }

    def __init__(self, *, zone, codes: frozenset[str], routines: dict[str, int] | None = None):
        super().__init__(data={})
        self.routines = routines or {}
        self.fields["started_at"] = IsoDateTimeField(
            zone=zone,
            validators=[validate_started_at],
            error_messages={"required": "Give the date and time of the session."},
        )
        self.fields["points"] = PointCodesField(codes=codes)

    def check(self, row: dict[str, str]) -> bool:
        """Check one row with this form, as is_valid() would; cleaned_data and errors follow.

        One form checks every row of a file: building a form deep-copies its fields, which costs
        more than the checks themselves, and a file can hold 50,000 rows.
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
                f"“{reference}” is not one of the guide's routines or yours. Leave it empty to "
                "import the session without a routine."
            )
        return self.routines[reference]

    def clean_show_in_report(self) -> bool:
        value = self.cleaned_data["show_in_report"].strip().lower()
        if value in self.YES:
            return True
        if value in self.NO:
            return False
        raise forms.ValidationError("Write yes or no.")

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
        values = raw.split(";")
        if len(values) != point_count:
            raise forms.ValidationError(
                f"{len(values)} seconds value{pluralize(len(values))} for {point_count} "
                f"point{pluralize(point_count)}. Give one per point, in the same order, "
                "separated by ; (leave one empty if you do not know it)."
            )
        return [
            ONE_POINT_SECONDS.clean(value.strip()) if value.strip() else None for value in values
        ]


class ApiTokenForm(forms.Form):
    MAX_TOKENS = 20

    name = forms.CharField(
        label="Name",
        max_length=60,
        help_text="What will use it, e.g. “phone shortcut”.",
        error_messages={"required": "Give the token a name, so you know what it is for."},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.user.api_tokens.count() >= self.MAX_TOKENS:
            raise forms.ValidationError(
                f"You have {self.MAX_TOKENS} tokens, the most allowed. Revoke one you no longer use."
            )
        return super().clean()
