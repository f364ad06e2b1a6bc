"""The secrets that open parts of an account without a password, and how they are revoked.

Three keys work without logging in, because the programs that use them cannot log in:

- a personal API token (``ApiToken``; only its SHA-256 is stored);
- the calendar feed's address (``PracticePlan.feed_token_hash``; only its SHA-256 is stored, so the
  address is shown once, when it is made);
- the unsubscribe link in reminder e-mails (``PracticePlan.unsubscribe_token``; stored as is,
  because every reminder e-mail must carry it; see the model).

``revoke_secrets`` ends all three at once. A password reset always calls it (whoever resets may be
taking back an account someone else got into); a password change calls it when the box is ticked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, PracticePlan, hash_token, new_feed_token, new_unsubscribe_token


def new_feed_address(plan: PracticePlan) -> str:
    """Give the calendar feed a new secret and return it. Only its hash is kept, so this is the
    one moment the address can be shown; the old address stops working at once."""
    raw = new_feed_token()
    plan.feed_token_hash = hash_token(raw)
    plan.feed_token_created_at = timezone.now()
    # Not updated_at: the feed's first event starts from when the reminders were last saved.
    plan.save(update_fields=["feed_token_hash", "feed_token_created_at"])
    return raw


def plan_for_feed_token(raw: str) -> PracticePlan | None:
    """The plan whose calendar address carries ``raw``, if its account is active."""
    return (
        PracticePlan.objects.select_related("user__profile")
        .filter(feed_token_hash=hash_token(raw), user__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class Revoked:
    api_tokens: int
    calendar_address: bool


def revoke_secrets(user) -> Revoked:
    """Delete every API token of ``user``, remove the calendar address (a new one can be made in
    Settings) and replace the unsubscribe key, so links in earlier reminder e-mails stop working.
    """
    with transaction.atomic():
        api_tokens, _ = ApiToken.objects.filter(user=user).delete()
        had_address = PracticePlan.objects.filter(user=user, feed_token_hash__isnull=False).exists()
        PracticePlan.objects.filter(user=user).update(
            feed_token_hash=None,
            feed_token_created_at=None,
            unsubscribe_token=new_unsubscribe_token(),
        )
    return Revoked(api_tokens=api_tokens, calendar_address=had_address)
