"""Log in with the username or the e-mail address, and the key django-axes locks out on.

One identifier means one account, whatever its spelling:

1. the username, exactly as typed (as Django's ModelBackend compares it);
2. only if the identifier has an "@": a username equal to it ignoring case (accounts made before
   usernames were refused an "@" keep logging in, even if someone else's e-mail is the same text);
3. then the e-mail address, ignoring case.

`lockout_key` gives django-axes (`AXES_USERNAME_CALLABLE`) the account the identifier resolves to,
so every spelling of a name or an e-mail address shares one failure count.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# django-axes stores the key in a 255-character column.
LOCKOUT_KEY_MAX_LENGTH = 255


def find_user(identifier: str | None):
    """The account a log-in identifier names, or None."""
    if not identifier or not isinstance(identifier, str) or "\x00" in identifier:
        return None
    user_model = get_user_model()
    users = user_model._default_manager
    try:
        return users.get_by_natural_key(identifier)
    except user_model.DoesNotExist:
        pass
    if "@" not in identifier:
        return None
    same_name = list(users.filter(**{f"{user_model.USERNAME_FIELD}__iexact": identifier})[:2])
    if same_name:
        # Two old accounts whose names differ only in case: only the exact spelling logs in.
        return same_name[0] if len(same_name) == 1 else None
    return users.filter(email__iexact=identifier).order_by("pk").first()


def lockout_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the resolved account's username, or the identifier, casefolded."""
    if credentials is not None:
        identifier = credentials.get("username")
    else:
        identifier = getattr(request, "data", request.POST).get("username")
    if not isinstance(identifier, str):
        return None
    # The same clean-up as the log-in form's UsernameField, so POST data and credentials agree.
    identifier = unicodedata.normalize("NFKC", identifier).strip()
    user = find_user(identifier)
    name = user.get_username() if user is not None else identifier
    return name.casefold()[:LOCKOUT_KEY_MAX_LENGTH]


class UsernameOrEmailBackend(ModelBackend):
    """Log in with either the username or the e-mail address given at sign-up (see find_user)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Hash anyway, as ModelBackend does, so a missing account takes as long as a wrong
            # password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
