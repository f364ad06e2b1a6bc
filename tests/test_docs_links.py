"""The README and docs/ link only to files (and headings) that exist, and the README stays short.

No database: these tests read Markdown files only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 150

# [text](target) and ![alt](target), with an optional "title" after the target. Nested brackets in
# the text (e.g. an image inside a link) are not needed by our docs.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
EXTERNAL = ("http:", "https:", "mailto:")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def links(text: str) -> list[tuple[int, str]]:
    """(line number, target) of every Markdown link and image outside code blocks and code spans."""
    found = []
    in_fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in LINK.finditer(INLINE_CODE.sub("", line)):
            found.append((number, match.group(1)))
    return found


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if in_fence or not heading:
            continue
        base = slug(heading.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def broken_links(source: Path, text: str) -> list[str]:
    """Every local link in `text` (read from `source`) whose file or heading does not exist."""
    problems = []
    for number, target in links(text):
        if target.startswith(EXTERNAL):
            continue
        path, _, fragment = target.partition("#")
        where = f"{source.relative_to(ROOT)}:{number}: {target}"
        if not path:  # "#heading" in the same file
            if fragment not in anchors(text):
                problems.append(f"{where} (no heading #{fragment})")
            continue
        destination = (source.parent / path).resolve()
        if not destination.exists():
            problems.append(f"{where} (no such file)")
        elif (
            fragment
            and destination.suffix == ".md"
            and fragment not in anchors(destination.read_text(encoding="utf-8"))
        ):
            problems.append(f"{where} (no heading #{fragment})")
    return problems


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_local_links_point_at_existing_files(path):
    assert broken_links(path, path.read_text(encoding="utf-8")) == []


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; move detail to docs/"


def test_docs_exist_and_are_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/architecture.md" in readme
    assert (ROOT / "docs" / "README.md").exists()


SAMPLE = """\
# Title

## Two words

See [the guide](docs/user-guide.md), ![a picture](docs/missing.png "a title") and
[a heading](#two-words), [a bad heading](#nowhere), [the web](https://example.com/x.md),
[mail](mailto:someone@example.com) and [a file with a part](docs/missing.md#part).

`[in code](not-checked.md)`

```
[in a block](also-not-checked.md)
```
"""


def test_link_extractor_finds_links_and_images_but_not_code():
    assert [target for _, target in links(SAMPLE)] == [
        "docs/user-guide.md",
        "docs/missing.png",
        "#two-words",
        "#nowhere",
        "https://example.com/x.md",
        "mailto:someone@example.com",
        "docs/missing.md#part",
    ]


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        ("docs/missing.png", True),
        ("docs/missing.md#part", True),
        ("#nowhere", True),
        ("docs/user-guide.md", False),
        ("#two-words", False),
        ("https://example.com/x.md", False),
        ("mailto:someone@example.com", False),
    ],
)
def test_broken_links_are_reported(reported, expected):
    problems = broken_links(ROOT / "README.md", SAMPLE)
    assert any(f": {reported} (" in problem for problem in problems) is expected, problems


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Reminders, calendar and weekly goal", "reminders-calendar-and-weekly-goal"),
        ("To change X, look in Y", "to-change-x-look-in-y"),
        ("Loading it: load_guides", "loading-it-load_guides"),
        ("Example: log a session with `curl`", "example-log-a-session-with-curl"),
    ],
)
def test_heading_anchors_follow_github(heading, anchor):
    assert slug(heading) == anchor
