"""Account forms: sign-up, log-in, settings, deleting an account and API tokens."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.db import transaction
from django.db.models import Q

from ..models import Profile, validate_time_zone


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


EMAIL_TAKEN_MESSAGE = (
    "Use a different e-mail address. If you already have an account, log in or reset your password."
)


def email_is_taken(email: str) -> bool:
    """Whether an e-mail address is already any account's e-mail address or username (any case)."""
    user_model = get_user_model()
    return user_model._default_manager.filter(
        Q(email__iexact=email) | Q(**{f"{user_model.USERNAME_FIELD}__iexact": email})
    ).exists()


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own text allows "@", which this form refuses.
        self.fields["username"].help_text = (
            "150 characters or fewer: letters, digits and . + - _ only. "
            "You can log in with it or with your e-mail address."
        )

    def clean_username(self) -> str:
        # Log-in takes a username or an e-mail address; a username that looks like an e-mail
        # address could be claimed by someone else's e-mail (see docs/security.md).
        if "@" in (self.cleaned_data.get("username") or ""):
            raise forms.ValidationError(
                "A username cannot contain “@”. Put your e-mail address in the e-mail field."
            )
        return super().clean_username()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and email_is_taken(email):
            # Worded so that it does not say whose account, or what kind of name, is in the way.
            raise forms.ValidationError(EMAIL_TAKEN_MESSAGE)
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
