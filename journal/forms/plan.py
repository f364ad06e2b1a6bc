"""The practice plan form: weekly goal and reminders."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from acupressure.models import Routine

from ..models import WEEKLY_GOAL_MAX, WEEKLY_GOAL_MIN, PracticePlan, Weekday


class RoutineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, routine: Routine) -> str:
        if routine.is_private:
            return gettext("%(title)s (your own)") % {"title": routine.title}
        return routine.title


class PracticePlanForm(forms.ModelForm):
    """The weekly goal and the reminders, on the settings page."""

    weekly_goal = forms.IntegerField(
        label=_("Sessions per week"),
        min_value=WEEKLY_GOAL_MIN,
        max_value=WEEKLY_GOAL_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_(
            "Your journal shows how many you have done this week, and how many weeks in a "
            "row you reached this."
        ),
        error_messages={
            "required": _("Enter how many sessions a week you aim for, from 1 to 21."),
            "invalid": _("Enter a whole number of sessions, from 1 to 21."),
            "min_value": _("Aim for at least 1 session a week."),
            "max_value": _("At most 21 sessions a week (three a day)."),
        },
    )
    reminder_days = forms.MultipleChoiceField(
        label=_("On these days"),
        choices=Weekday.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose days from the list.")},
    )
    reminder_time = forms.TimeField(
        label=_("At this time"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time like 18:30.")},
    )
    reminder_routine = RoutineChoiceField(
        label=_("Suggest this routine"),
        queryset=Routine.objects.none(),
        required=False,
        empty_label=_("No particular routine"),
        error_messages={"invalid_choice": _("Choose one of the routines listed.")},
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
        self.fields["reminder_time"].help_text = gettext(
            "In your time zone, %(time_zone)s. It stays at this time when the clocks change."
        ) % {"time_zone": user.profile.time_zone.replace("_", " ")}
        if user.email:
            self.fields["email_reminders"].help_text = gettext("Sent to %(email)s.") % {
                "email": user.email
            }
        else:
            self.fields["email_reminders"].help_text = gettext(
                "Your account has no confirmed e-mail address, so there is nothing to send them "
                "to. Add or confirm one under “E-mail address” above. The calendar feed below "
                "works without one."
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
                self.add_error(
                    "reminder_days", gettext("Choose at least one day for your reminders.")
                )
            if "reminder_time" in cleaned and cleaned["reminder_time"] is None:
                self.add_error(
                    "reminder_time", gettext("Choose a time for your reminders, e.g. 18:30.")
                )
        return cleaned
