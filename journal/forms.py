from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.db import transaction
from django.utils import timezone

from acupressure.models import REGION_ORDER, Point, Region, Routine

from . import stats
from .models import (
    NOTES_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    SECONDS_MAX,
    WEEKLY_GOAL_MAX,
    WEEKLY_GOAL_MIN,
    PainArea,
    PracticePlan,
    PracticeSession,
    Profile,
    SessionPoint,
    Weekday,
    validate_time_zone,
)

FUTURE_TOLERANCE = timedelta(minutes=5)
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
PAIN_CHOICES = [(value, str(value)) for value in range(PAIN_MIN, PAIN_MAX + 1)]


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
        ]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            session_points = list(self.instance.session_points.all())
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
        if started_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError(
                "That time is in the future. Enter when you did the session."
            )
        return started_at

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
        session.user = self.user
        session.save()
        chosen = list(self.cleaned_data["points"])
        seconds = self.cleaned_data.get("seconds")
        previous = {sp.point_id: sp.seconds for sp in session.session_points.all()}
        session.session_points.all().delete()
        SessionPoint.objects.bulk_create(
            SessionPoint(
                session=session,
                point=point,
                position=position,
                seconds=seconds if seconds is not None else previous.get(point.pk),
            )
            for position, point in enumerate(chosen)
        )
        return session


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
            sessions = sessions.filter(session_points__point=data["point"])
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
    username = UsernameField(
        label="Username or e-mail",
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
