"""Template source checks that rendering alone would not catch."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
SCRIPT_TAG = re.compile(r"<script src=\"\{% static '(js/[\w.-]+)' %\}\"[^>]*>")


def test_every_template_comment_closes_on_its_own_line():
    """Django's {# #} comments are single-line: one left open is printed on the page as text."""
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") != line.count("#}")
    ]
    assert open_comments == []


def test_every_script_that_shows_text_comes_after_strings_js():
    """The scripts with texts to show take them from window.AcupressureStrings
    (static/js/strings.js), so each template loading one loads strings.js before it, deferred
    the same way: a deferred script runs after every script that is not, whatever the order."""
    users = {
        path.relative_to(ROOT / "static").as_posix()
        for path in (ROOT / "static" / "js").glob("*.js")
        if "window.AcupressureStrings" in path.read_text() and path.name != "strings.js"
    }
    assert {"js/insights.js", "js/offline-log.js", "js/player.js", "js/push.js"} <= users
    loaded = set()
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        tags = [(match[1], " defer" in match[0]) for match in SCRIPT_TAG.finditer(path.read_text())]
        for index, (script, deferred) in enumerate(tags):
            if script not in users:
                continue
            loaded.add(script)
            if ("js/strings.js", deferred) not in tags[:index]:
                problems.append(f"{path.relative_to(TEMPLATES)}: {script}")
    assert problems == []
    assert loaded == users
