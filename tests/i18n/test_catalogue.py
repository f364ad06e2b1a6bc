"""Every catalogue is complete, its placeholders match the English, and it holds every string
the code marks for translation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete_with_nothing_fuzzy(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert len(po) > 500
    assert untranslated == [] and fuzzy == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_translation_keeps_the_english_placeholders(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            wanted = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            for form in entry.msgstr_plural.values():
                # A singular form may say "one" instead of the count.
                if not placeholders(form) <= wanted or not form.strip():
                    wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_used(language):
    from django.utils import translation

    with translation.override(language):
        assert translation.gettext("Change language") != "Change language"


def test_the_catalogue_holds_every_marked_string(tmp_path):
    """makemessages on a copy of the code adds no msgid the catalogue lacks (needs gettext)."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install gettext (see .ci/run)")
        pytest.skip("GNU gettext (xgettext) is not installed; .ci/run installs it")
    for name in ("acupressure", "journal", "config", "templates", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    command = [sys.executable, "manage.py", "makemessages", "--all", "--add-location=file"]
    command += ["--extension=html,txt,py,svg"]
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    for language in LANGUAGES:
        fresh = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        known = {(entry.msgctxt, entry.msgid) for entry in catalogue(language)}
        missing = sorted(
            entry.msgid for entry in fresh if (entry.msgctxt, entry.msgid) not in known
        )
        assert missing == [], f"run `make messages` and translate: {missing[:20]}"
