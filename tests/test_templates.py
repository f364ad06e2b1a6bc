"""Template source checks that rendering alone would not catch."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_every_template_comment_closes_on_its_own_line():
    """Django's {# #} comments are single-line: one left open is printed on the page as text."""
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") != line.count("#}")
    ]
    assert open_comments == []
