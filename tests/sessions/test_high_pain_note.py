"""Issue 15: a starting pain of 8 or more on the log form shows a calm link to the warning signs.

CSS shows it as soon as 8, 9 or 10 is ticked (no script); the server shows it too whenever the form
comes back with such a value, e.g. after a mistake elsewhere on the form. It never stops saving.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from journal.models import PracticeSession
from tests.factories import PointFactory, PracticeSessionFactory

NOTE = re.compile(r'<p class="high-pain-note( is-shown)?">(.*?)</p>', re.S)


@pytest.fixture
def point(db):
    return PointFactory(code="BL23", slug="bl23", region="lower-back")


def form_data(pain_before, **overrides):
    data = {
        "points": ["bl23"],
        "pain_before": str(pain_before),
        "pain_after": "4",
        "area": "lower-back",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def note(html: str) -> tuple[bool, str]:
    """(shown by the server, text) of the one note on the page."""
    [match] = NOTE.findall(html)
    return match[0] == " is-shown", match[1]


def test_the_note_links_to_the_warning_signs_and_is_always_in_the_form(logged_in, point):
    html = logged_in.get("/journal/new/").text
    shown, text = note(html)
    assert not shown  # nothing ticked yet: CSS keeps it out of sight
    assert 'href="/safety/#red-flags">warning signs that need a doctor</a>' in text
    assert "You can still save this session." in text
    # It follows the "Pain before" scale, before "Pain after".
    assert html.index('name="pain_before"') < html.index("high-pain-note")
    assert html.index("high-pain-note") < html.index('name="pain_after"')
    # No pop-up, no inline style or script (the CSP forbids them).
    assert 'role="alert"' not in text and "<dialog" not in html and "style=" not in text


@pytest.mark.parametrize("pain_before", [8, 9, 10])
def test_shown_when_the_form_comes_back_with_pain_8_or_more_and_saving_still_works(
    logged_in, point, pain_before
):
    # A time in the future is refused, so the form is shown again with the answers kept.
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = logged_in.post("/journal/new/", form_data(pain_before, started_at=future))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert note(response.text)[0]
    assert f'value="{pain_before}" id="id_pain_before_{pain_before}" checked' in response.text
    # The note never blocks: with the time put right, the session saves with its high pain.
    response = logged_in.post("/journal/new/", form_data(pain_before))
    assert response.status_code == 302
    assert PracticeSession.objects.get().pain_before == pain_before


@pytest.mark.parametrize("pain_before", [0, 7])
def test_not_shown_for_pain_below_8(logged_in, point, pain_before):
    response = logged_in.post("/journal/new/", form_data(pain_before, points=[]))
    assert response.status_code == 200
    assert not note(response.text)[0]


def test_not_shown_for_a_value_off_the_scale(logged_in, point):
    response = logged_in.post("/journal/new/", form_data(99))
    assert "Pain is a whole number from 0 to 10." in response.text
    assert not note(response.text)[0]


def test_shown_when_editing_a_session_that_started_at_9(logged_in, user, point):
    high = PracticeSessionFactory(user=user, pain_before=9, points=[point])
    low = PracticeSessionFactory(user=user, pain_before=7, points=[point])
    assert note(logged_in.get(f"/journal/{high.pk}/edit/").text)[0]
    assert not note(logged_in.get(f"/journal/{low.pk}/edit/").text)[0]


def test_the_css_shows_the_note_for_8_9_and_10_only():
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    rule = re.search(r"\.high-pain-note \{([^}]*)\}", css)
    assert rule and "display: none" in rule.group(1)
    assert ".high-pain-note.is-shown { display: block; }" in css
    # The one rule whose selectors name a ticked value of 8.
    shown = re.search(r"([^{}]*\[value=\"8\"\]:checked[^{}]*)\{ display: block; \}", css)
    assert shown
    for value in ["8", "9", "10"]:
        selector = (
            f'.session-form:has(input[name="pain_before"][value="{value}"]:checked) .high-pain-note'
        )
        assert selector in shown.group(1), value
    assert '[value="7"]' not in shown.group(1)
    # A lower value ticked in the browser hides a note the server had shown.
    assert (
        '.session-form:has(input[name="pain_before"]:checked) .high-pain-note { display: none; }'
        in css
    )
