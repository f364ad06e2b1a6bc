"""Print a new VAPID key pair for push reminders, in the form config/settings.py reads."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

from journal.push import public_key_of


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair as VAPID_PUBLIC_KEY=... and VAPID_PRIVATE_KEY=... lines, "
        "ready for an environment file. Nothing is stored. Changing the keys of a running site "
        "ends every push subscription: people switch push reminders on again."
    )

    def handle(self, *args, **options):
        vapid = Vapid()
        vapid.generate_keys()
        # The raw 32-byte private number in base64url: one short line, which py_vapid reads
        # back with Vapid.from_string (a PEM file would not fit in one variable).
        private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        self.stdout.write(f"VAPID_PUBLIC_KEY={public_key_of(vapid)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={b64urlencode(private)}")
        self.stderr.write(
            "Keep VAPID_PRIVATE_KEY secret, and set VAPID_SUBJECT=mailto:you@example.org (or the "
            "site's https:// address) beside them."
        )
