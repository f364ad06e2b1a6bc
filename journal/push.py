"""Web Push reminders: browsers' subscriptions, and pushing each due reminder to them.

A third way to be reminded, beside e-mail and the calendar feed (journal/reminders.py). pywebpush
encrypts each reminder for the browser (RFC 8291, aes128gcm) and signs the request with the
site's VAPID key (RFC 8292); the browser's push service delivers it, and the service worker
(templates/acupressure/service-worker.js) shows it. Push is off unless settings.VAPID_* are set.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core import checks
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

from . import reminders
from .models import PracticePlan, PushSubscription
from .reminders import (
    DEFAULT_WINDOW,
    SendReport,
    _in_batches,
    latest_occurrence,
    routine_url,
    user_language,
)

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

# One per phone, tablet and computer; more is someone filling the table, and every reminder
# would go to all of them. The oldest go first.
MAX_SUBSCRIPTIONS_PER_USER = 10
# How long a push service keeps a reminder for a phone that is off. Later than that it is noise;
# and the Topic lets the service keep only the newest reminder for a phone that is off for days.
PUSH_TTL = timedelta(hours=1)
PUSH_TOPIC = "practice-reminder"
PUSH_TIMEOUT_SECONDS = 10
GONE = {404, 410}  # RFC 8030: the subscription has expired or was ended in the browser


def is_configured() -> bool:
    """Whether the site can push (config/settings.py makes sure the keys come as a pair)."""
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def public_key_of(vapid: Vapid) -> str:
    """The key the browser needs to subscribe: the uncompressed point, in base64url."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(raw)


@checks.register(checks.Tags.security)
def check_vapid_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A key pair that cannot sign, or that does not match, would fail every push quietly."""
    if not is_configured():
        return []
    hint = "Make a new pair with `python manage.py make_vapid_keys` (docs/operations.md)."
    try:
        vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
    except Exception:
        return [
            checks.Error("VAPID_PRIVATE_KEY is not a key we can read.", hint, id="journal.E001")
        ]
    if public_key_of(vapid) != settings.VAPID_PUBLIC_KEY.rstrip("="):
        return [
            checks.Error(
                "VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY.",
                hint,
                id="journal.E002",
            )
        ]
    return []


# Subscribing ---------------------------------------------------------------------------------


def subscribe(user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep the browser's subscription for ``user`` (again: a browser may renew its keys)."""
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            user=user, endpoint=endpoint, defaults={"p256dh": p256dh, "auth": auth}
        )
        oldest = user.push_subscriptions.order_by("-created_at", "-pk").values_list(
            "pk", flat=True
        )[MAX_SUBSCRIPTIONS_PER_USER:]
        PushSubscription.objects.filter(pk__in=list(oldest)).delete()
    return subscription


def unsubscribe(user, endpoint: str) -> None:
    """End ``user``'s subscription at ``endpoint``; anyone else's at the same address stays."""
    user.push_subscriptions.filter(endpoint=endpoint).delete()


# Sending -------------------------------------------------------------------------------------


def reminder_payload(plan: PracticePlan) -> dict:
    """What the service worker shows, in the recipient's language. The address is a path: the
    worker opens it on its own site, whatever settings.SITE_URL says."""
    with translation.override(user_language(plan.user)):
        routine = plan.reminder_routine
        if routine is None:
            return {
                # Translators: the title of a reminder notification on a phone or computer.
                "title": _("Time for acupressure"),
                "body": _("A few minutes for your points, then note how your pain is."),
                "url": reverse("journal:new"),
            }
        return {
            # Translators: the title of a reminder notification on a phone or computer.
            "title": _("Time for acupressure"),
            # Translators: a reminder notification's text; %(routine)s is a routine's title.
            "body": _("%(routine)s: tap to start.") % {"routine": routine.title},
            "url": routine_url(routine),
        }


def plans_to_push():
    has_subscription = Exists(PushSubscription.objects.filter(user=OuterRef("user")))
    return PracticePlan.objects.filter(
        has_subscription, reminders_on=True, user__is_active=True
    ).select_related("user__profile", "reminder_routine")


def claim(subscription: PushSubscription, occurrence: datetime) -> bool:
    """Mark ``occurrence`` as pushed to this browser, unless another run already has."""
    return reminders.claim_occurrence(subscription, "last_reminded_for", occurrence)


def release(subscription: PushSubscription, occurrence: datetime) -> None:
    """Undo a claim after a failure worth trying again."""
    reminders.release_occurrence(subscription, "last_reminded_for", occurrence)


def push(
    subscription: PushSubscription, payload: str, vapid: Vapid, http: requests.Session
) -> None:
    """Send ``payload`` to one browser; raises WebPushException for a refusal."""
    from pywebpush import webpush

    webpush(
        subscription.as_subscription_info(),
        data=payload,
        vapid_private_key=vapid,
        # A new dict each time: pywebpush writes the push service's origin ("aud") into it.
        vapid_claims={"sub": settings.VAPID_SUBJECT},
        ttl=int(PUSH_TTL.total_seconds()),
        headers={"Topic": PUSH_TOPIC, "Urgency": "normal"},
        timeout=PUSH_TIMEOUT_SECONDS,
        requests_session=http,
    )


def send_due_pushes(now: datetime | None = None, window: timedelta = DEFAULT_WINDOW) -> SendReport:
    """Push every reminder whose time passed within ``window`` to each of the user's browsers
    that has not had it yet.

    Like the e-mails, each reminder is claimed before it is sent, per browser, so runs may
    overlap. A subscription whose push service answers 404 or 410 has ended and is deleted. Any
    other failure is logged and the run goes on; when it may pass (a server error, a time-out,
    429) the claim is released, so the next run within the window tries that browser again.
    """
    if not is_configured():
        return SendReport(sent=0, failed=0)
    # Imported here, not at the top: with aiohttp, pywebpush takes a quarter of a second to
    # import, which every web process would pay at start-up for nothing.
    import requests
    from pywebpush import WebPushException

    now = now or timezone.now()
    vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
    sent = failed = 0
    with requests.Session() as http:
        for plan in _in_batches(plans_to_push()):
            occurrence = latest_occurrence(plan, now, window)
            if occurrence is None:
                continue
            payload = json.dumps(reminder_payload(plan))
            for subscription in plan.user.push_subscriptions.order_by("pk"):
                if not claim(subscription, occurrence):
                    continue
                log = {"user_id": plan.user_id, "subscription_id": subscription.pk}
                try:
                    push(subscription, payload, vapid, http)
                except WebPushException as error:
                    status = error.status_code
                    if status in GONE:
                        subscription.delete()
                        logger.info("push subscription ended by the browser", extra=log)
                        continue
                    if status is None or status >= 500 or status == 429:
                        release(subscription, occurrence)
                    failed += 1
                    logger.warning("reminder push refused", extra={**log, "status": status})
                except Exception:
                    # A time-out, a refused connection, a key pywebpush cannot use.
                    release(subscription, occurrence)
                    failed += 1
                    logger.exception("reminder push failed", extra=log)
                else:
                    sent += 1
                    PushSubscription.objects.filter(pk=subscription.pk).update(last_used=now)
                    logger.info("reminder pushed", extra=log)
    return SendReport(sent=sent, failed=failed)
