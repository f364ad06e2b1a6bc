"""A browser's push subscription, as the settings page's script sends it (static/js/push.js).

Anyone logged in can send anything here, and the server later POSTs to the address given, so
the address must look like a browser's push service: https, a host name (not an IP address or
localhost), no user name or password in it. The keys must be what RFC 8291 says they are, so a
reminder can always be encrypted for them.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import PUSH_ENDPOINT_MAX_LENGTH

BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
P256DH_BYTES = 65  # an uncompressed P-256 point
AUTH_BYTES = 16
BAD_ENDPOINT = _("This is not the address of a browser's push service.")


def decode_base64url(value: str) -> bytes | None:
    """The bytes of a base64url string, with or without its padding; None if it is not one."""
    if not BASE64URL.fullmatch(value):
        return None
    unpadded = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except (binascii.Error, ValueError):
        return None


def _is_local_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith((".localhost", ".local", ".internal"))
    return True


def _is_p256_point(raw: bytes | None) -> bool:
    if raw is None or len(raw) != P256DH_BYTES:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True


def validate_endpoint(value: str) -> None:
    local_allowed = settings.PUSH_ALLOW_LOCAL_ENDPOINTS
    schemes = ["https", "http"] if local_allowed else ["https"]
    URLValidator(schemes=schemes, message=BAD_ENDPOINT)(value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError as error:
        raise ValidationError(BAD_ENDPOINT) from error
    if parts.username is not None or parts.password is not None:
        raise ValidationError(BAD_ENDPOINT)
    if not local_allowed and _is_local_host(parts.hostname or ""):
        raise ValidationError(BAD_ENDPOINT)


class PushSubscriptionForm(forms.Form):
    endpoint = forms.CharField(
        max_length=PUSH_ENDPOINT_MAX_LENGTH,
        validators=[validate_endpoint],
        error_messages={
            "required": _("The subscription has no endpoint address."),
            "max_length": _("The endpoint address is too long for a push service's."),
        },
    )
    p256dh = forms.CharField(
        max_length=100,
        error_messages={"required": _("The subscription has no p256dh key.")},
    )
    auth = forms.CharField(
        max_length=50,
        error_messages={"required": _("The subscription has no auth secret.")},
    )

    @classmethod
    def from_json(cls, data: dict) -> PushSubscriptionForm:
        """The form for ``PushSubscription.toJSON()``: {endpoint, keys: {p256dh, auth}}."""
        keys = data.get("keys")
        keys = keys if isinstance(keys, dict) else {}
        fields = {"endpoint": data.get("endpoint"), **keys}
        # Only text: a number or a list is as good as missing.
        return cls({name: value for name, value in fields.items() if isinstance(value, str)})

    def clean_p256dh(self) -> str:
        if not _is_p256_point(decode_base64url(self.cleaned_data["p256dh"])):
            raise ValidationError(gettext("The p256dh key is not a P-256 public key in base64url."))
        return self.cleaned_data["p256dh"].rstrip("=")

    def clean_auth(self) -> str:
        raw = decode_base64url(self.cleaned_data["auth"])
        if raw is None or len(raw) != AUTH_BYTES:
            raise ValidationError(gettext("The auth secret is not 16 bytes in base64url."))
        return self.cleaned_data["auth"].rstrip("=")


class PushEndpointForm(forms.Form):
    """Which subscription to end: only its address is needed."""

    endpoint = forms.CharField(
        max_length=PUSH_ENDPOINT_MAX_LENGTH,
        error_messages={
            "required": _("Say which subscription to end: send its endpoint address."),
            "max_length": _("No push subscription has an address this long."),
        },
    )

    @classmethod
    def from_json(cls, data: dict) -> PushEndpointForm:
        endpoint = data.get("endpoint")
        return cls({"endpoint": endpoint} if isinstance(endpoint, str) else {})
