"""Search the guide's points the way people type: any case, with or without accents.

The guide has a few dozen points, so the search reads them all (one query) and matches in Python,
which folds case and accents alike on SQLite and PostgreSQL. It looks in the active language's
text: names, code, pinyin (with or without tones), Chinese characters, folk and other names, then
the summary, the traditional use, the location, the how-to-find steps, the meridian and the
region's name. Every word of the query must match somewhere; points whose names or code match come
first, then the rest, each in the guide's order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .models import Point

NAME_FIELDS = (
    "code",
    "name_en",
    "name_pinyin",
    "name_hanzi",
    "name_pinyin_tones",
    "folk_name",
    "other_names",
)
TEXT_FIELDS = ("summary", "traditional_use", "location", "how_to_find", "meridian")
NAME_MATCH, TEXT_MATCH = 0, 1


def fold(text: str) -> str:
    """Lower case without accents: "Rodílla" and "rodilla" fold alike, as do "Shènshū" and
    "shenshu". Characters without accents (肾俞) are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def rank(point: Point, words: list[str]) -> int | None:
    """NAME_MATCH or TEXT_MATCH, or None when some word is found nowhere. ``words`` are folded."""
    names = fold(" ".join(str(getattr(point, name)) for name in NAME_FIELDS))
    texts = fold(
        " ".join(
            [*(str(getattr(point, name)) for name in TEXT_FIELDS), str(point.get_region_display())]
        )
    )
    if not all(word in names or word in texts for word in words):
        return None
    return NAME_MATCH if any(word in names for word in words) else TEXT_MATCH


def search_points(points: Iterable[Point], query: str) -> list[tuple[int, Point]]:
    """(rank, point) for each point matching every word of ``query``, best first."""
    words = [fold(word) for word in query.split()]
    found = [(rank(point, words), position, point) for position, point in enumerate(points)]
    return [
        (score, point) for score, _, point in sorted(item for item in found if item[0] is not None)
    ]
