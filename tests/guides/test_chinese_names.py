"""Every point carries its Chinese name (issue 20, part 3): on its page and card, marked as
Chinese for screen readers and fonts, and found by search in characters or pinyin."""

import re
import unicodedata

import pytest
import tomllib

from acupressure.loader import CONTENT_FILE, ContentError, load_guides
from acupressure.models import Point
from acupressure.search import search_points

CONTENT = tomllib.loads(CONTENT_FILE.read_text())
HAN = re.compile(r"^[\u4e00-\u9fff]{2,3}$")


@pytest.mark.parametrize("entry", CONTENT["points"], ids=lambda entry: entry["code"])
def test_every_point_has_characters_and_pinyin_with_tones(entry):
    assert HAN.match(entry["name_hanzi"]), entry["name_hanzi"]
    tones = entry["name_pinyin_tones"]
    # The same letters as the plain pinyin, once the tone marks are taken off.
    plain = "".join(c for c in unicodedata.normalize("NFD", tones) if not unicodedata.combining(c))
    assert plain == entry["name_pinyin"]
    assert tones != plain  # at least one tone mark


def test_the_loader_refuses_a_point_without_characters(tmp_path, db):
    text = CONTENT_FILE.read_text().replace('name_hanzi = "肾俞"\n', "", 1)
    broken = tmp_path / "guides.toml"
    broken.write_text(text)
    with pytest.raises(ContentError, match="BL23: missing name_hanzi"):
        load_guides(broken)


def test_the_point_page_and_card_mark_the_characters_as_chinese(client, guides):
    page = client.get("/guides/bl23/").text
    assert '<span lang="zh-Hans">肾俞</span> <span lang="zh-Latn-pinyin">Shènshū</span>' in page
    assert '<span lang="zh-Hans">肾俞</span>' in client.get("/guides/").text


@pytest.mark.parametrize("query", ["肾俞", "肾", "shenshu", "Shènshū", "SHENSHU"])
def test_search_finds_a_point_by_characters_or_pinyin(client, guides, query):
    codes = [point.code for _, point in search_points(Point.objects.all(), query)]
    assert codes == ["BL23"]
    assert "/guides/bl23/" in client.get("/guides/", {"q": query}).text
