"""Confirming e-mail addresses, and what sign-up does with an address that is already in use.

``User.email`` only ever holds a confirmed address, so log-in, reminders and password resets
(which all read ``User.email``) never use an address its owner has not confirmed. A new address
waits on the profile (``Profile.new_email``) until someone opens the link mailed to it.

The link holds a random key, signed with a timestamp so it expires; the profile keeps only the
key's hash, and a new request replaces it, so only the latest link works.

If the address already belongs to another account, nobody is told so on the page: the person
sees the same "we sent you a link" as for a new address, and the address's owner gets an e-mail
saying someone tried to use it (docs/security.md).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import throttling
from .models import Profile, hash_token
from .reminders import user_language

SALT = "journal.verification.email"
# Counted per address in the cache: confirmation links and "someone used your address" notices.
ADDRESS_SCOPE = "email-address"


def link_lifetime() -> timedelta:
    return timedelta(days=settings.EMAIL_CONFIRM_DAYS)


def address_key(email: str) -> str:
    return email.strip().casefold()


def too_many_requests(email: str) -> bool:
    """Whether this address has had as many e-mails from us this hour as we send."""
    return throttling.exhausted(
        ADDRESS_SCOPE, address_key(email), limit=settings.EMAILS_PER_ADDRESS_PER_HOUR
    )


def other_account_using(email: str, user=None):
    """Another account whose confirmed e-mail or whose username is ``email`` (any case)."""
    user_model = get_user_model()
    # With the profile: the notice to the address's owner is written in their language.
    others = user_model._default_manager.select_related("profile").filter(
        Q(email__iexact=email) | Q(**{f"{user_model.USERNAME_FIELD}__iexact": email})
    )
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    return others.order_by("pk").first()


def request_address(user, email: str, *, site_url: str) -> None:
    """Make ``email`` the user's address waiting for confirmation, and send the mail for it."""
    key = secrets.token_urlsafe(24)
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.new_email = email
    profile.new_email_key_hash = hash_token(key)
    profile.new_email_sent_at = timezone.now()
    profile.save(update_fields=["new_email", "new_email_key_hash", "new_email_sent_at"])
    throttling.record(ADDRESS_SCOPE, address_key(email))
    owner = other_account_using(email, user)
    if owner is None:
        language = profile.language or translation.get_language()
        _send_link(email, signing.TimestampSigner(salt=SALT).sign(key), site_url, language)
    elif owner.email.casefold() == address_key(email):
        _send_notice(owner.email, site_url, user_language(owner))
    # Otherwise the address is someone's username and they gave no address: nobody to tell.


def resend(user, *, site_url: str) -> bool:
    """Send a new link for the waiting address (the earlier link stops working)."""
    profile = user.profile
    if not profile.new_email:
        return False
    request_address(user, profile.new_email, site_url=site_url)
    return True


def cancel(user) -> None:
    Profile.objects.filter(user=user).update(
        new_email="", new_email_key_hash="", new_email_sent_at=None
    )


class LinkProblem(Exception):
    """The link cannot confirm anything; the message says why, in plain words."""


def profile_for_link(token: str) -> Profile:
    """The profile whose waiting address a link confirms. Raises LinkProblem."""
    try:
        key = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=link_lifetime().total_seconds()
        )
    except signing.SignatureExpired:
        raise LinkProblem(
            _("This link has expired. Log in and send a new one from Settings.")
        ) from None
    except signing.BadSignature:
        raise LinkProblem(
            _("This link is not valid. Check that you opened the whole link from the e-mail.")
        ) from None
    profile = (
        Profile.objects.select_related("user")
        .filter(new_email_key_hash=hash_token(key), user__is_active=True)
        .exclude(new_email="")
        .first()
    )
    if profile is None:
        raise LinkProblem(
            _(
                "This link has already been used or a newer one was sent. Check Settings for the "
                "address on your account."
            )
        )
    return profile


@transaction.atomic
def confirm(token: str):
    """Make the waiting address the account's e-mail address. Returns the user."""
    profile = profile_for_link(token)
    profile = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    user = profile.user
    email = profile.new_email
    if not email or other_account_using(email, user) is not None:
        cancel(user)
        raise LinkProblem(
            _(
                "This address is already used by another account, so it was not added. "
                "Log in to that account instead, or reset its password."
            )
        )
    user.email = email
    user.save(update_fields=["email"])
    cancel(user)
    return user


def _send_link(email: str, signed_key: str, site_url: str, language: str) -> None:
    """The confirmation link, in ``language`` (the recipient's; its links open that language)."""
    with translation.override(language):
        context = {
            "confirm_url": site_url + reverse("confirm_email", args=[signed_key]),
            "days": settings.EMAIL_CONFIRM_DAYS,
        }
        # Translators: an e-mail's subject; "Acupressure Journal" is the app's name.
        subject = _("Confirm your e-mail address for Acupressure Journal")
        body = render_to_string("journal/accounts/emails/confirm_address.txt", context)
    send_mail(subject, body, None, [email])


def _send_notice(email: str, site_url: str, language: str) -> None:
    """The notice to an address's owner that someone gave it, in the owner's ``language``."""
    with translation.override(language):
        context = {
            "login_url": site_url + reverse("login"),
            "reset_url": site_url + reverse("password_reset"),
        }
        # Translators: an e-mail's subject; "Acupressure Journal" is the app's name.
        subject = _("Someone tried to use your e-mail address on Acupressure Journal")
        body = render_to_string("journal/accounts/emails/address_in_use.txt", context)
    send_mail(subject, body, None, [email])
