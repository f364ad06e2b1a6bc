"""Load the guide content file (acupressure/content/guides.toml) into the database.

guides.toml holds the English text and everything that is the same in every language (codes,
timings, pregnancy levels, sources). Each other language in MODELTRANSLATION_LANGUAGES has its
text in content/<language>/*.toml: a [points.<code>], [routines.<slug>] or [tools.<slug>] table per
entry, with exactly the text fields the English entry has (lists item for item; a routine's
``steps`` lists its step instructions in order). A missing or extra translation is refused, so
no language can fall silently behind English.

Idempotent: rows are matched by natural key (source key, point code, public routine slug, tool
slug), written
only when a field differs, and the result says how many rows were created, updated or left unchanged.
A routine's steps are compared as a whole and replaced when any of them differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import tomllib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from modeltranslation.translator import translator

from .models import ContentVersion, Point, Pregnancy, Routine, RoutineStep, Source, Tool

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "guides.toml"
SOURCE_LANGUAGE = "en"

LIST_FIELDS = ("how_to_find", "technique", "cautions")
POINT_FIELDS = (
    "slug",
    "name_en",
    "name_pinyin",
    "name_hanzi",
    "name_pinyin_tones",
    "folk_name",
    "other_names",
    "meridian",
    "region",
    "summary",
    "popular_advice",
    "location",
    "how_to_find",
    "technique",
    "hold_seconds",
    "repetitions",
    "both_sides",
    "traditional_use",
    "cautions",
    "pregnancy",
    "pregnancy_note",
    "diagram",
)
# Only these fields may talk about pregnancy, so what a point says about it has one source: its
# level (pregnancy) and, for a level other than "none", a point's own reason (pregnancy_note).
PREGNANCY_WORDS = ("pregnan", "midwife", "midwives", "embaraz", "gestaci", "matrona", "partera")
WHO_2008 = "who-2008"


ROUTINE_FIELDS = ("title", "summary", "who_for", "description")
ROUTINE_OPTIONAL_FIELDS = ("pregnancy_note",)
STEP_FIELDS = ("point", "seconds", "side", "instruction")

TOOL_FIELDS = ("name", "summary", "what_it_is", "reaches", "illustration")
TOOL_LIST_FIELDS = ("how_to_start", "cautions", "evidence")


def translated_fields(model) -> tuple[str, ...]:
    """The text fields of ``model`` that have a version per language, as registered in
    acupressure/translation.py, in the model's order."""
    registered = translator.get_options_for_model(model).fields
    return tuple(field.name for field in model._meta.fields if field.name in registered)


POINT_TEXT_FIELDS = translated_fields(Point)
ROUTINE_TEXT_FIELDS = translated_fields(Routine)
TOOL_TEXT_FIELDS = translated_fields(Tool)


class ContentError(Exception):
    """The content file is malformed; the message names the entry and the problem."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def read_content(path: Path = CONTENT_FILE) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: {error}") from error


def translation_languages() -> list[str]:
    return [code for code in settings.MODELTRANSLATION_LANGUAGES if code != SOURCE_LANGUAGE]


def read_translations(directory: Path = CONTENT_FILE.parent) -> dict[str, dict]:
    """Each other language's tables, merged from <directory>/<language>/*.toml."""
    found = {}
    for language in translation_languages():
        merged: dict[str, dict] = {"points": {}, "routines": {}, "tools": {}}
        for file in sorted((directory / language).glob("*.toml")):
            for kind, entries in read_content(file).items():
                if kind not in merged or not isinstance(entries, dict):
                    raise ContentError(f"{file}: unknown table {kind!r}")
                merged[kind].update(entries)
        found[language] = merged
    return found


def _translated(
    label: str,
    english: dict,
    tables: dict[str, dict],
    kind: str,
    key: str,
    fields,
    *,
    pregnancy_fields: tuple[str, ...] = ("pregnancy_note",),
) -> dict:
    """The other languages' columns for one entry, e.g. {"summary_es": ...}, checked against
    ``english`` (the entry's English values, lists already joined into lines)."""
    values = {}
    for language, content in tables.items():
        entry = content[kind].get(key)
        if entry is None:
            raise ContentError(f"{label}: no {language} text in content/{language}/")
        wanted = {name for name in fields if english.get(name)}
        given = {name for name, text in entry.items() if text}
        if wanted != given:
            problems = []
            if wanted - given:
                problems.append(f"missing {', '.join(sorted(wanted - given))}")
            if given - wanted:
                problems.append(f"not in English: {', '.join(sorted(given - wanted))}")
            raise ContentError(f"{label} ({language}): {'; '.join(problems)}")
        for name in fields:
            text = entry.get(name, "")
            if isinstance(text, list):
                if len(text) != len(english[name].split("\n")):
                    raise ContentError(
                        f"{label} ({language}): {name} must have as many lines as the English"
                    )
                text = "\n".join(str(line).strip() for line in text)
            text = str(text).strip()
            if name not in pregnancy_fields and any(
                word in text.lower() for word in PREGNANCY_WORDS
            ):
                raise ContentError(
                    f"{label} ({language}): {name} mentions pregnancy; only pregnancy_note may"
                )
            values[f"{name}_{language}"] = text
    return values


def _point_values(entry: dict, position: int) -> dict:
    code = entry.get("code", f"entry {position}")
    missing = [name for name in POINT_FIELDS if name not in entry and name not in OPTIONAL]
    if missing:
        raise ContentError(f"Point {code}: missing {', '.join(missing)}")
    values = {name: entry.get(name, OPTIONAL.get(name)) for name in POINT_FIELDS}
    for name in LIST_FIELDS:
        if not isinstance(values[name], list):
            raise ContentError(f"Point {code}: {name} must be a list of lines")
        values[name] = "\n".join(line.strip() for line in values[name])
    _check_pregnancy(code, values)
    _check_sources(code, entry.get("sources", []))
    values["sort_order"] = position
    return values


def _check_pregnancy(code: str, values: dict) -> None:
    if values["pregnancy"] not in Pregnancy.values:
        raise ContentError(
            f"Point {code}: pregnancy must be one of {', '.join(Pregnancy.values)} "
            f"(got {values['pregnancy']!r})"
        )
    if values["pregnancy"] == Pregnancy.NONE and values["pregnancy_note"]:
        raise ContentError(
            f"Point {code}: a pregnancy_note needs a pregnancy level other than none"
        )
    for name, text in values.items():
        if name in ("pregnancy", "pregnancy_note") or not isinstance(text, str):
            continue
        if any(word in text.lower() for word in PREGNANCY_WORDS):
            raise ContentError(
                f"Point {code}: {name} mentions pregnancy; say it with pregnancy and "
                "pregnancy_note only"
            )


def _check_sources(code: str, keys: list[str]) -> None:
    # WHO 2008 standardises the 361 points on the 14 meridians, not the extra (EX-) points.
    if code.upper().startswith("EX-") and WHO_2008 in keys:
        raise ContentError(
            f"Point {code}: WHO 2008 covers only the 361 meridian points; cite another source "
            "for an extra point"
        )


OPTIONAL = {
    "folk_name": "",
    "other_names": "",
    "popular_advice": "",
    "pregnancy_note": "",
    "both_sides": True,
}


def _sync(instance, values: dict) -> bool:
    """Copy ``values`` onto ``instance``; return True if anything differed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


@transaction.atomic
def load_guides(
    path: Path = CONTENT_FILE, translations_dir: Path = CONTENT_FILE.parent
) -> LoadReport:
    # The plain field names (summary, title...) are the English columns while loading.
    with translation.override(SOURCE_LANGUAGE):
        return _load_guides(read_content(path), read_translations(translations_dir))


def _load_guides(content: dict, translations: dict[str, dict]) -> LoadReport:
    report = LoadReport()

    sources: dict[str, Source] = {}
    for key, entry in content.get("sources", {}).items():
        values = {"citation": entry["citation"].strip(), "url": entry.get("url", "")}
        source = Source.objects.filter(key=key).first()
        label = f"source {key}"
        if source is None:
            source = Source(key=key, **values)
            _save(source, label)
            report.created.append(label)
        elif _sync(source, values):
            _save(source, label)
            report.updated.append(label)
        else:
            report.unchanged.append(label)
        sources[key] = source

    for position, entry in enumerate(content.get("points", []), start=1):
        values = _point_values(entry, position)
        code = entry["code"]
        try:
            wanted_sources = {sources[key].pk for key in entry.get("sources", [])}
        except KeyError as error:
            raise ContentError(f"Point {code}: unknown source {error.args[0]!r}") from error
        if not wanted_sources:
            raise ContentError(f"Point {code}: at least one source is required")
        values |= _translated(
            f"Point {code}", values, translations, "points", code, POINT_TEXT_FIELDS
        )

        _upsert(Point, {"code": code}, values, {"sources": wanted_sources}, f"point {code}", report)

    points_by_code = {point.code: point for point in Point.objects.all()}
    for position, entry in enumerate(content.get("routines", []), start=1):
        _load_routine(entry, position, points_by_code, translations, report)
    for position, entry in enumerate(content.get("tools", []), start=1):
        _load_tool(entry, position, sources, points_by_code, translations, report)
    if report.changed:
        # Saves already bumped it through signals; bulk-created routine steps send none.
        ContentVersion.bump()
    return report


def _routine_values(entry: dict, position: int) -> dict:
    slug = entry.get("slug", f"entry {position}")
    missing = [name for name in ("slug", *ROUTINE_FIELDS) if not entry.get(name)]
    if missing:
        raise ContentError(f"Routine {slug}: missing {', '.join(missing)}")
    values = {name: entry[name].strip() for name in ROUTINE_FIELDS}
    values.update({name: str(entry.get(name, "")).strip() for name in ROUTINE_OPTIONAL_FIELDS})
    texts = [values[name] for name in ROUTINE_FIELDS]
    texts += [str(step.get("instruction", "")) for step in entry.get("steps", [])]
    if any(word in text.lower() for text in texts for word in PREGNANCY_WORDS):
        raise ContentError(
            f"Routine {slug}: pregnancy advice goes in pregnancy_note (the points' own "
            "pregnancy levels add the rest)"
        )
    values["sort_order"] = position
    return values


def _step_rows(entry: dict, points_by_code: dict[str, Point]) -> list[tuple]:
    """The steps as comparable (point id, position, seconds, side, instruction) rows."""
    slug = entry["slug"]
    steps = entry.get("steps", [])
    if not steps:
        raise ContentError(f"Routine {slug}: at least one step is required")
    rows = []
    for position, step in enumerate(steps, start=1):
        unknown = set(step) - set(STEP_FIELDS)
        if unknown or "point" not in step or "seconds" not in step:
            raise ContentError(
                f"Routine {slug}, step {position}: needs point and seconds, "
                f"may have side and instruction (got {', '.join(sorted(step))})"
            )
        if not isinstance(step["seconds"], int):
            raise ContentError(f"Routine {slug}, step {position}: seconds must be a whole number")
        point = points_by_code.get(step["point"])
        if point is None:
            raise ContentError(f"Routine {slug}, step {position}: unknown point {step['point']!r}")
        rows.append(
            (point.pk, position, step["seconds"], step.get("side", ""), step.get("instruction", ""))
        )
    return rows


def _with_translated_steps(slug: str, rows: list[tuple], translated: dict) -> list[tuple]:
    """``rows`` with each other language's instruction added (language -> instructions)."""
    for language, instructions in translated.items():
        if not isinstance(instructions, list) or len(instructions) != len(rows):
            raise ContentError(
                f"Routine {slug} ({language}): steps must list one instruction per step "
                f"({len(rows)})"
            )
        for position, (row, text) in enumerate(zip(rows, instructions, strict=True), start=1):
            text = str(text).strip()
            if bool(text) != bool(row[4]) or any(w in text.lower() for w in PREGNANCY_WORDS):
                raise ContentError(
                    f"Routine {slug} ({language}), step {position}: the instruction must be "
                    "given exactly where the English has one, and not mention pregnancy"
                )
    others = list(translated.values())
    return [
        (*row, *(str(instructions[index]).strip() for instructions in others))
        for index, row in enumerate(rows)
    ]


def _step_columns() -> tuple[str, ...]:
    others = tuple(f"instruction_{language}" for language in translation_languages())
    return ("point_id", "position", "seconds", "side", "instruction", *others)


def _load_routine(
    entry: dict, position: int, points_by_code: dict, translations: dict, report: LoadReport
) -> None:
    values = _routine_values(entry, position)
    slug = entry["slug"]
    label = f"routine {slug}"
    english_steps = _step_rows(entry, points_by_code)
    # The English steps are checked first, so their errors are not hidden by a translation's.
    _checked_steps(Routine(), english_steps, label)
    tables, step_texts = {}, {}
    for language, content in translations.items():
        text = dict(content["routines"].get(slug) or {})
        if not text:
            raise ContentError(f"Routine {slug}: no {language} text in content/{language}/")
        step_texts[language] = text.pop("steps", None)
        tables[language] = {"routines": {slug: text}}
    values |= _translated(f"Routine {slug}", values, tables, "routines", slug, ROUTINE_TEXT_FIELDS)
    wanted_steps = _with_translated_steps(slug, english_steps, step_texts)

    routine = Routine.objects.public().filter(slug=slug).first()
    if routine is None:
        routine = Routine(slug=slug, **values)
        _save(routine, label)
        _replace_steps(routine, wanted_steps, label)
        report.created.append(label)
        return
    fields_changed = _sync(routine, values)
    if fields_changed:
        _save(routine, label)
    current_steps = list(routine.steps.order_by("position").values_list(*_step_columns()))
    steps_changed = current_steps != wanted_steps
    if steps_changed:
        _replace_steps(routine, wanted_steps, label)
    (report.updated if fields_changed or steps_changed else report.unchanged).append(label)


def _checked_steps(routine: Routine, rows: list[tuple], label: str) -> list[RoutineStep]:
    columns = _step_columns()
    steps = [RoutineStep(routine=routine, **dict(zip(columns, row, strict=False))) for row in rows]
    for step in steps:
        try:
            # The point was found by its code just before: no query to check it again.
            step.full_clean(exclude=["routine", "point"], validate_unique=False)
        except ValidationError as error:
            raise ContentError(f"{label}, step {step.position}: {error.message_dict}") from error
    return steps


def _replace_steps(routine: Routine, rows: list[tuple], label: str) -> None:
    steps = _checked_steps(routine, rows, label)
    routine.steps.all().delete()
    RoutineStep.objects.bulk_create(steps)


def _tool_values(entry: dict, position: int) -> dict:
    slug = entry.get("slug", f"entry {position}")
    missing = [name for name in ("slug", *TOOL_FIELDS, *TOOL_LIST_FIELDS) if not entry.get(name)]
    if missing:
        # An empty cautions list is refused here too: every tool says who should not use it.
        raise ContentError(f"Tool {slug}: missing {', '.join(missing)}")
    values = {name: str(entry[name]).strip() for name in TOOL_FIELDS}
    for name in TOOL_LIST_FIELDS:
        lines = entry[name]
        if not isinstance(lines, list) or not all(str(line).strip() for line in lines):
            raise ContentError(f"Tool {slug}: {name} must be a list of non-empty lines")
        values[name] = "\n".join(str(line).strip() for line in lines)
    values["sort_order"] = position
    return values


def _load_tool(
    entry: dict,
    position: int,
    sources: dict,
    points_by_code: dict,
    translations: dict,
    report: LoadReport,
) -> None:
    values = _tool_values(entry, position)
    slug = entry["slug"]
    # A tool's cautions may speak of pregnancy, in every language (they are not checked in English).
    values |= _translated(
        f"Tool {slug}",
        values,
        translations,
        "tools",
        slug,
        TOOL_TEXT_FIELDS,
        pregnancy_fields=TOOL_TEXT_FIELDS,
    )
    try:
        wanted_sources = {sources[key].pk for key in entry.get("sources", [])}
        wanted_points = {points_by_code[code].pk for code in entry.get("points", [])}
    except KeyError as error:
        raise ContentError(f"Tool {slug}: unknown source or point {error.args[0]!r}") from error
    if not wanted_sources:
        raise ContentError(f"Tool {slug}: at least one source is required")

    relations = {"sources": wanted_sources, "points": wanted_points}
    _upsert(Tool, {"slug": slug}, values, relations, f"tool {slug}", report)


def _upsert(
    model, lookup: dict, values: dict, relations: dict[str, set[int]], label: str, report
) -> None:
    """Create the entry found by ``lookup``, or bring it up to date: its fields, then each
    many-to-many relation (name -> wanted ids). The report says whether anything changed."""
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup, **values)
        _save(instance, label)
        changed = True
    else:
        changed = _sync(instance, values)
        if changed:
            _save(instance, label)
    for name, wanted in relations.items():
        manager = getattr(instance, name)
        if created or set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            changed = True
    if created:
        report.created.append(label)
    else:
        (report.updated if changed else report.unchanged).append(label)


def _save(instance, label: str) -> None:
    related = {Point: ["sources"], Tool: ["sources", "points"]}
    try:
        instance.full_clean(exclude=related.get(type(instance)))
    except ValidationError as error:
        raise ContentError(f"{label}: {error.message_dict}") from error
    instance.save()
