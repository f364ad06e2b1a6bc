"""Password change and reset: Django's views with forms that also revoke API tokens, the calendar
address and unsubscribe links (journal/revocation.py).

Django itself ends the account's other log-in sessions when the password changes: each session
keeps a hash of the password, and one that no longer matches is logged out. The change view
keeps the current session (``update_session_auth_hash``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from ..forms.passwords import ChangePasswordForm, ResetPasswordForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.revoked is not None:
            messages.success(
                self.request,
                _(
                    "Your API tokens are revoked, your calendar address no longer works and "
                    "unsubscribe links in earlier reminder e-mails are replaced. Make a new "
                    "calendar address and new tokens in Settings when you need them."
                ),
            )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
