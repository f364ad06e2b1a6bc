"""Password change and reset forms that also revoke the account's password-free keys.

See ``journal/revocation.py`` for what is revoked. Saving the password and revoking happen in one
transaction: either both or neither.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .. import revocation


class ChangePasswordForm(PasswordChangeForm):
    # Ticked by default: people often change a password because they fear someone else has it,
    # and then a token or calendar address left working would keep that person in, unseen. The
    # cost of an unneeded tick is visible and easy to undo (make a new address and new tokens);
    # whoever only wants a new password unticks it.
    revoke_secrets = forms.BooleanField(
        label=_("Also sign out my apps: revoke my API tokens and give my calendar a new address"),
        required=False,
        initial=True,
        help_text=_(
            "Tick this if someone else may know your password or has used your account. Apps and "
            "scripts using an API token stop working, and so does your calendar subscription, "
            "until you make a new address and new tokens in Settings. Unsubscribe links in "
            "earlier reminder e-mails stop working too."
        ),
    )

    revoked: revocation.Revoked | None = None

    def save(self, commit: bool = True):
        with transaction.atomic():
            user = super().save(commit=commit)
            if commit and self.cleaned_data.get("revoke_secrets"):
                self.revoked = revocation.revoke_secrets(user)
        return user


class ResetPasswordForm(SetPasswordForm):
    """The form behind the e-mailed reset link. Whoever resets may be taking back an account that
    someone else got into, so every API token, the calendar address and the unsubscribe links
    are always revoked."""

    revoked: revocation.Revoked | None = None

    def save(self, commit: bool = True):
        with transaction.atomic():
            user = super().save(commit=commit)
            if commit:
                self.revoked = revocation.revoke_secrets(user)
        return user


class RecipientLanguagePasswordResetForm(PasswordResetForm):
    """Django's reset request, with the e-mail in its recipient's language: their setting if they
    chose one, else the language of the page the request came from."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from ..models import Profile

        user = context["user"]
        chosen = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        with translation.override(chosen or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
