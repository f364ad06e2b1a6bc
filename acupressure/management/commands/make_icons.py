from django.core.management.base import BaseCommand

from acupressure.icons import ICON_DIR, SOURCE, render_icons


class Command(BaseCommand):
    help = f"Make the app's PNG icons in {ICON_DIR.name}/ from {SOURCE.name} (needs cairosvg)."

    def handle(self, *args, **options):
        for path in render_icons():
            self.stdout.write(f"wrote {path}")
