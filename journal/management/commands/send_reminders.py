"""Send the practice reminders that are due, by e-mail and push. Safe to run every few minutes,
from several places."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from journal.push import send_due_pushes
from journal.reminders import DEFAULT_WINDOW, send_due_reminders

MAX_WINDOW_MINUTES = 24 * 60


class Command(BaseCommand):
    help = (
        "E-mail each reminder whose time passed within the last --window minutes and has not "
        "been e-mailed yet, and push it to each of the person's browsers that has not had it. "
        "Run it every 5 minutes from cron or a systemd timer; running it twice, or on two "
        "machines at once, sends each reminder once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--window",
            type=int,
            default=int(DEFAULT_WINDOW.total_seconds() // 60),
            metavar="MINUTES",
            help="How late a reminder may still be sent (default 15). Keep it longer than the "
            "time between runs; a reminder missed by more is skipped, not sent late.",
        )

    def handle(self, *args, window: int, **options):
        if not 1 <= window <= MAX_WINDOW_MINUTES:
            raise CommandError(f"--window is in minutes, from 1 to {MAX_WINDOW_MINUTES}.")
        emailed = send_due_reminders(window=timedelta(minutes=window))
        pushed = send_due_pushes(window=timedelta(minutes=window))
        sent, failed = emailed.sent + pushed.sent, emailed.failed + pushed.failed
        message = f"{sent} reminder{'s' if sent != 1 else ''} sent"
        if failed:
            # A non-zero exit, so cron mails it and systemd marks the run as failed.
            raise CommandError(
                f"{message}; {failed} failed (see the log). Runs within the window try "
                "again those that may pass."
            )
        self.stdout.write(f"{message}.")
