"""Account forms: sign-up, log-in, settings, deleting an account and API tokens."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.db import transaction
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from .. import verification
from ..models import Profile, validate_time_zone


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


# Marked only: the English text, which tests look for. Show it with gettext(TOO_MANY_EMAILS_MESSAGE).
TOO_MANY_EMAILS_MESSAGE = gettext_noop(
    "We have sent several e-mails to this address in the last hour. Try again in an hour, or "
    "leave the e-mail empty for now and add it in Settings later."
)


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_(
            "We e-mail you a link to confirm it. Once confirmed, you can log in with it and "
            "reset your password if you forget it."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        initial="UTC",
        help_text=_(
            "Dates in your journal are shown in this zone. We fill it in from your device."
        ),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own text allows "@", which this form refuses.
        self.fields["username"].help_text = gettext(
            "150 characters or fewer: letters, digits and . + - _ only. "
            "You can log in with it or with your e-mail address."
        )

    def clean_username(self) -> str:
        # Log-in takes a username or an e-mail address; a username that looks like an e-mail
        # address could be claimed by someone else's e-mail (see docs/security.md).
        if "@" in (self.cleaned_data.get("username") or ""):
            raise forms.ValidationError(
                gettext(
                    "A username cannot contain “@”. Put your e-mail address in the e-mail field."
                )
            )
        return super().clean_username()

    def clean_email(self) -> str:
        # An address that is already in use is not refused here: that would tell anyone who
        # has an account. It waits for confirmation like any other (journal/verification.py).
        email = self.cleaned_data["email"].strip()
        if email and verification.too_many_requests(email):
            raise forms.ValidationError(gettext(TOO_MANY_EMAILS_MESSAGE))
        return email

    @transaction.atomic
    def save(self, commit: bool = True):
        # The address is not the account's until confirmed: it is kept on the profile instead.
        self.instance.email = ""
        user = super().save(commit=True)
        Profile.objects.update_or_create(
            user=user, defaults={"time_zone": self.cleaned_data["time_zone"]}
        )
        return user


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, validators=[validate_time_zone]
    )
    # Optional: empty follows the language cookie, then the browser's (journal/language.py).
    # The languages are named in their own language (settings.LANGUAGES), so not translated.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Use my browser's language")), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of pages and e-mails when you are logged in."),
    )

    class Meta:
        model = Profile
        fields = ["time_zone", "language"]


class EmailChangeForm(forms.Form):
    """A new e-mail address for the account; it counts once confirmed from the mailbox."""

    email = forms.EmailField(
        label=_("New e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter the e-mail address you want to use.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("So that nobody else at your screen can change where your e-mail goes."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.casefold() == self.user.email.casefold():
            raise forms.ValidationError(gettext("That is already your confirmed address."))
        if verification.too_many_requests(email):
            raise forms.ValidationError(gettext(TOO_MANY_EMAILS_MESSAGE))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                gettext("That password is not right. Your address was not changed.")
            )
        return password


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                gettext("That password is not right. Your account was not deleted.")
            )
        return password


class LoginForm(AuthenticationForm):
    # Set here, not only by AuthenticationForm (which changes max_length after the validators are
    # built): a longer name would reach django-axes, whose username column PostgreSQL caps at 255.
    username = UsernameField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class ApiTokenForm(forms.Form):
    MAX_TOKENS = 20

    name = forms.CharField(
        # Translators: the name a user gives an API token.
        label=_("Name"),
        max_length=60,
        help_text=_("What will use it, e.g. “phone shortcut”."),
        error_messages={"required": _("Give the token a name, so you know what it is for.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.user.api_tokens.count() >= self.MAX_TOKENS:
            raise forms.ValidationError(
                ngettext(
                    "You have %(count)s token, the most allowed. Revoke one you no longer use.",
                    "You have %(count)s tokens, the most allowed. Revoke one you no longer use.",
                    self.MAX_TOKENS,
                )
                % {"count": self.MAX_TOKENS}
            )
        return super().clean()
