from django.core.management.base import BaseCommand, CommandError

from acupressure.loader import CONTENT_FILE, ContentError, load_guides


class Command(BaseCommand):
    help = "Load or update the point guides from acupressure/content/guides.toml (safe to re-run)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(CONTENT_FILE), help="Content file to load.")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            report = load_guides(Path(options["file"]))
        except (ContentError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Guides loaded: {report}"))
