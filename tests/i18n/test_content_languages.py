"""The guide says the same in every language: same cautions, pregnancy levels, sources, figures."""

import re
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from acupressure.loader import (
    CONTENT_FILE,
    POINT_TEXT_FIELDS,
    ROUTINE_TEXT_FIELDS,
    TOOL_TEXT_FIELDS,
    ContentError,
    load_guides,
    read_content,
)
from acupressure.models import Point, Routine, Tool
from acupressure.search import search_points

OTHER_LANGUAGES = [code for code in settings.MODELTRANSLATION_LANGUAGES if code != "en"]
CODES = [entry["code"] for entry in read_content()["points"]]
ROUTINES = [entry["slug"] for entry in read_content()["routines"]]
TOOLS = [entry["slug"] for entry in read_content()["tools"]]


def numbers(text: str) -> Counter:
    """The figures in a text, whatever the decimal mark: "1.5" and "1,5" are both 1 and 5."""
    return Counter(re.findall(r"\d+", text or ""))


def point_codes(text: str) -> Counter:
    return Counter(re.findall(r"\b(?:[A-Z]{2,3}\d+|EX-UE\d+)\b", text or ""))


def check_same_facts(label, english_obj, fields, language):
    for name in fields:
        english = getattr(english_obj, f"{name}_en") or ""
        other = getattr(english_obj, f"{name}_{language}") or ""
        assert bool(english) == bool(other), f"{label}.{name}: {language} text missing or extra"
        assert len(english.splitlines()) == len(other.splitlines()), f"{label}.{name}: lines"
        assert numbers(english) == numbers(other), f"{label}.{name}: figures differ"
        assert point_codes(english) == point_codes(other), f"{label}.{name}: point codes"


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_every_point_says_the_same_in_every_language(guides, language, code):
    check_same_facts(code, Point.objects.get(code=code), POINT_TEXT_FIELDS, language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("slug", ROUTINES)
def test_every_routine_says_the_same_in_every_language(guides, language, slug):
    routine = Routine.objects.public().get(slug=slug)
    check_same_facts(slug, routine, ROUTINE_TEXT_FIELDS, language)
    for step in routine.steps.all():
        check_same_facts(f"{slug} step {step.position}", step, ["instruction"], language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("slug", TOOLS)
def test_every_tool_says_the_same_in_every_language(guides, language, slug):
    check_same_facts(slug, Tool.objects.get(slug=slug), TOOL_TEXT_FIELDS, language)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("code", CODES)
def test_each_point_page_shows_the_same_cautions_level_and_sources(client, guides, language, code):
    point = Point.objects.get(code=code)
    english = client.get(f"/guides/{point.slug}/").text
    other = client.get(f"/{language}/guides/{point.slug}/").text
    assert f'<html lang="{language}">' in other
    for page in (english, other):
        assert page.count("pregnancy-warning") == english.count("pregnancy-warning")
        for source in point.sources.all():
            assert escape(source.citation) in page
    with translation.override(language):
        point = Point.objects.get(code=code)
        cautions = point.caution_list
        assert cautions and all(escape(caution) in other for caution in cautions)
        assert escape(point.summary) in other and point.summary != point.summary_en


def _copy_translations(tmp_path):
    for file in (CONTENT_FILE.parent / "es").glob("*.toml"):
        (tmp_path / "es").mkdir(exist_ok=True)
        (tmp_path / "es" / file.name).write_text(file.read_text(encoding="utf-8"), "utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("points.toml", "[points.BL40]", "[points.XX99]", r"Point BL40: no es text"),
        ("routines.toml", "\nsteps = [", "\nsteps_old = [", r"not in English: steps_old"),
        ("tools.toml", "\nreaches = ", "\nreach = ", r"Tool \w+ \(es\): missing reaches"),
    ],
)
def test_a_language_falling_behind_english_is_refused(db, tmp_path, file, old, new, message):
    _copy_translations(tmp_path)
    target = tmp_path / "es" / file
    target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
    with pytest.raises(ContentError, match=message):
        load_guides(translations_dir=tmp_path)
    assert not Point.objects.exists()


def test_a_translation_with_fewer_cautions_is_refused(db, tmp_path):
    _copy_translations(tmp_path)
    target = tmp_path / "es" / "points.toml"
    text = target.read_text(encoding="utf-8")
    start = text.index("cautions = [", text.index("[points.BL23]"))
    first_item_end = text.index('",', start) + 2
    target.write_text(text[: start + len("cautions = [")] + text[first_item_end:], "utf-8")
    with pytest.raises(ContentError, match=r"Point BL23 \(es\): cautions must have as many"):
        load_guides(translations_dir=tmp_path)


def test_only_the_pregnancy_note_speaks_of_pregnancy_in_spanish(db, tmp_path):
    _copy_translations(tmp_path)
    target = tmp_path / "es" / "points.toml"
    text = target.read_text(encoding="utf-8")
    start = text.index("summary = ", text.index("[points.BL23]"))
    target.write_text(text[:start] + 'summary = "Evítelo en el embarazo. ' + text[start + 11 :])
    with pytest.raises(ContentError, match=r"BL23 \(es\): summary mentions pregnancy"):
        load_guides(translations_dir=tmp_path)


def test_search_folds_case_and_accents_in_each_language(client, guides):
    def codes(path, query):
        page = client.get(path, {"q": query}).text
        return set(re.findall(r'href="(?:/es)?/guides/([a-z0-9-]+)/"', page))

    assert "bl40" in codes("/guides/", "knee")
    assert "bl40" in codes("/guides/", "Knee")
    assert {"ki1", "lr3"} <= codes("/guides/", "foot")
    assert "li4" in codes("/guides/", "hand")
    for query in ("rodilla", "rodílla", "RODILLA"):
        assert "bl40" in codes("/es/guides/", query)


def test_the_example_search_finds_points_in_each_language(client, guides):
    """The "nothing matched" page suggests a use to search for, in the page's language."""
    for prefix in ("", "/es"):
        page = client.get(f"{prefix}/guides/", {"q": "zzzz"}).text
        # The second suggestion (the first is the code BL23).
        code, (query, shown) = re.findall(r'\?q=([^"&]+)">([^<]+)</a>', page)[:2]
        assert code == ("BL23", "BL23") and query == quote(shown)
        found = client.get(f"{prefix}/guides/", {"q": shown}).text
        assert "/guides/gb30/" in found


def test_search_lists_name_and_code_matches_before_text_matches():
    fields = {"region": "lower-back", "summary": "", "traditional_use": "", "how_to_find": ""}
    in_text = Point(
        code="AA1", name_en="Low Spot", location="In the crease behind the knee.", **fields
    )
    in_name = Point(code="AA2", name_en="Knee Eye", location="Below the kneecap.", **fields)
    neither = Point(code="AA3", name_en="Far Spot", location="On the foot.", **fields)
    ranked = search_points([in_text, in_name, neither], "KNEE")
    assert [point.code for _, point in ranked] == ["AA2", "AA1"]
    assert [point.code for _, point in search_points([in_text, in_name], "aa1")] == ["AA1"]
