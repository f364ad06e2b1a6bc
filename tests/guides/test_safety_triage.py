"""Issue 15: two lists of warning signs, each with its own action, linked from every guide page.

Also the wording of the research section (NICE on acupuncture, Hsieh's 89 %, the Cochrane rating).
"""

import re
from html import unescape

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from acupressure.models import Point, Routine
from journal import reminders
from journal.models import PracticePlan
from tests.factories import PointFactory, RoutineFactory, UserFactory

EMERGENCY_LINK = 'href="/safety/#emergency"'
SAME_DAY_LINK = 'href="/safety/#same-day"'

# Each same-day sign from the issue, as a few words the list must contain.
SAME_DAY_SIGNS = [
    "a fever (high temperature), or you feel hot and shivery",
    "losing weight without meaning to",
    "you have had cancer",
    "worse at night, or it does not ease when you lie still",
    "between your shoulder blades",
    "coughing, sneezing or straining",
    "you are under 20 or over 50",
    "your immune system is weak",
    "steroid tablets long term",
    "you inject drugs",
    "an infection recently",
    "after a small fall or after lifting something, and you have osteoporosis",
    "a new lump on your back, or a change in the shape of your back",
]
EMERGENCY_SIGNS = [
    "numbness or tingling around your bottom or your genitals",
    "it is hard to start peeing, you cannot pee",
    "you cannot control or feel your bladder or bowels",
    "numbness, weakness or pain in both legs",
    "weakness in one leg that is getting worse",
    "chest pain",
    "a serious fall, a car crash",
]


def text_of(fragment: str) -> str:
    """Visible text, with whitespace and non-breaking spaces made plain, for phrase checks."""
    return " ".join(unescape(strip_tags(fragment)).replace("\xa0", " ").split())


def block(html: str, element_id: str) -> str:
    """The HTML of the <article> with this id (the lists do not nest articles)."""
    match = re.search(rf'<article[^>]*id="{element_id}"[^>]*>(.*?)</article>', html, re.S)
    assert match, f"no <article id={element_id!r}>"
    return match.group(1)


@pytest.fixture
def safety(client, guides):
    response = client.get("/safety/")
    assert response.status_code == 200
    return response.text


def test_two_lists_with_their_headings_and_their_own_actions(safety):
    emergency, same_day = text_of(block(safety, "emergency")), text_of(block(safety, "same-day"))
    assert "Get emergency help now" in emergency
    assert "See a doctor the same day" in same_day
    # The emergency list sends people to the emergency number or department, not to an appointment.
    assert "Call your emergency number" in emergency
    assert "emergency department (A&E)" in emergency
    assert "999" in emergency
    assert "Do not wait for a GP appointment" in emergency
    assert "111" not in emergency
    # The same-day list: an urgent appointment today or the non-emergency line.
    assert "urgent appointment today" in same_day
    assert "non-emergency health line (NHS 111 in the UK)" in same_day
    assert "999" not in same_day
    # The old single action ("emergency number, or contact your doctor urgently") is gone.
    assert "or contact your doctor urgently" not in text_of(safety)
    # Both lists sit in the section the footer and reminder e-mails link to, emergency first.
    section = safety[safety.index('id="red-flags"') : safety.index('id="who-should-ask-first"')]
    assert section.index('id="emergency"') < section.index('id="same-day"')


def test_early_cauda_equina_signs_are_emergencies_not_same_day(safety):
    emergency, same_day = text_of(block(safety, "emergency")), text_of(block(safety, "same-day"))
    for sign in EMERGENCY_SIGNS:
        assert sign in emergency, sign
    for early_sign in ["start peeing", "bottom or your genitals", "bladder", "both legs"]:
        assert early_sign not in same_day, early_sign


def test_every_same_day_sign_from_the_issue_is_in_the_same_day_list(safety):
    emergency, same_day = text_of(block(safety, "emergency")), text_of(block(safety, "same-day"))
    for sign in SAME_DAY_SIGNS:
        assert sign in same_day, sign
        assert sign not in emergency, sign


def test_the_lists_cite_the_nhs_and_nice(safety):
    section = text_of(safety[safety.index('id="red-flags"') : safety.index("</section>")])
    assert "NHS advice on back pain" in section and "NICE guidance on low back pain" in section
    assert 'href="#source-nhs"' in safety and 'id="source-nhs"' in safety
    assert 'href="#source-nice"' in safety and 'id="source-nice"' in safety


def test_research_wording_says_what_the_sources_say(safety):
    text = text_of(safety)
    # NICE NG59 tells clinicians not to offer acupuncture; it is not a mere lack of recommendation.
    assert "not recommend acupuncture" not in text
    assert "not to offer acupuncture for low back pain, with or without sciatica" in text
    # Hsieh 2006: a relative reduction in the chance of still being significantly disabled.
    assert "reduced significant disability by 89" not in text
    assert "lowered the chance of still having significant disability by 89 %" in text
    assert "relative figure" in text
    # Furlan 2015 (Cochrane): the evidence was rated low to very low.
    assert "Cochrane review of massage for low back pain" in text
    assert "low to very low" in text


def test_every_point_page_links_to_both_lists(client, guides):
    points = list(Point.objects.all())
    assert len(points) > 10
    for point in points:
        html = client.get(point.get_absolute_url()).text
        assert EMERGENCY_LINK in html and SAME_DAY_LINK in html, point.code


def test_every_guide_routine_page_and_its_timer_link_to_both_lists(client, guides):
    routines = list(Routine.objects.public())
    assert routines
    for routine in routines:
        for url in [routine.get_absolute_url(), routine.get_play_url()]:
            html = client.get(url).text
            assert EMERGENCY_LINK in html and SAME_DAY_LINK in html, url


def test_the_timer_shows_the_links_before_the_steps_and_without_javascript(client, guides):
    routine = Routine.objects.public().first()
    html = client.get(routine.get_play_url()).text
    # In the safety box above the steps, not in a part the script reveals.
    assert html.index(EMERGENCY_LINK) < html.index("data-steps")
    aside = html[html.index('<aside class="safety-note"') : html.index("</aside>")]
    assert EMERGENCY_LINK in aside and SAME_DAY_LINK in aside
    assert "hidden" not in aside


def test_a_users_own_routine_and_its_timer_link_to_both_lists(logged_in, user, db):
    routine = RoutineFactory(owner=user, steps=[(PointFactory(slug="bl23", code="BL23"), 60)])
    for url in [routine.get_absolute_url(), routine.get_play_url()]:
        response = logged_in.get(url)
        assert response.status_code == 200, url
        assert EMERGENCY_LINK in response.text and SAME_DAY_LINK in response.text, url


def test_the_footer_and_list_pages_still_point_to_the_warning_signs(client, guides):
    for url in ["/", "/guides/", "/guides/routines/"]:
        html = client.get(url).text
        assert 'href="/safety/#red-flags">Warning signs that need a doctor</a>' in html, url
    for url in ["/guides/", "/guides/routines/"]:
        html = client.get(url).text
        assert EMERGENCY_LINK in html and SAME_DAY_LINK in html, url


def test_the_link_text_is_plain(client, guides):
    html = client.get("/guides/bl23/").text
    assert '#emergency">warning signs that need emergency help now</a>' in html
    assert '#same-day">warning signs that need a doctor the same day</a>' in html


def test_reminder_emails_tell_emergency_signs_from_same_day_ones(db):
    plan = PracticePlan.objects.create(user=UserFactory())
    body = reminders.reminder_email(plan, timezone.now(), "https://example.org").body
    assert "trouble peeing or weak legs, do not press points: get emergency help now" in body
    assert "With a fever, see a doctor the same day" in body
    assert "https://example.org/safety/#red-flags" in body
