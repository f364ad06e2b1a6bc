"""Compile the translation catalogues (locale/<language>/LC_MESSAGES/*.po) into .mo files.

Django's compilemessages needs GNU gettext's msgfmt; this uses polib, a Python package installed
with the project, so `make install` works on a machine without gettext. Fuzzy entries are left
out, as msgfmt leaves them out.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def compile_catalogue(po_path: Path) -> int:
    """Write ``po_path``'s .mo beside it; return the percentage translated."""
    try:
        catalogue = polib.pofile(str(po_path))
    except (OSError, ValueError) as error:
        raise CommandError(f"{po_path}: {error}") from error
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return catalogue.percent_translated()


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (no GNU gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                percent = compile_catalogue(po_path)
                compiled += 1
                self.stdout.write(f"{po_path}: {percent}% translated")
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
