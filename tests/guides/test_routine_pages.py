"""The public routine pages: the list, one routine with its cautions, and the timer page."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from acupressure.models import Point, Routine, format_duration
from tests.factories import PointFactory, PublicRoutineFactory, RoutineFactory


def content_routine(slug: str) -> Routine:
    return Routine.objects.public().with_steps().get(slug=slug)


def test_routine_urls_do_not_swallow_point_pages(client, guides):
    assert reverse("acupressure:routines") == "/guides/routines/"
    assert client.get("/guides/bl23/").context["point"].code == "BL23"
    assert client.get("/guides/routines/").status_code == 200


def test_list_shows_every_public_routine_with_its_time_and_steps(client, guides):
    response = client.get("/guides/routines/")
    assert [r.slug for r in response.context["routines"]] == [
        "lower-back-five-minutes",
        "sciatica-and-stiffness",
        "desk-hands-and-feet",
    ]
    assert "5 min · 6 steps · BL23, BL52, GV4, BL40, KI1" in response.text
    # Each card shows the badge of its most cautious point.
    assert response.text.count(">Includes points to avoid in pregnancy</span>") == 2
    assert response.text.count(">Pregnant? Ask your midwife first</span>") == 1


def test_list_never_shows_a_users_own_routine(client, guides):
    RoutineFactory(title="Someone's secret routine")
    response = client.get("/guides/routines/")
    assert "Someone&#x27;s secret routine" not in response.text
    assert len(response.context["routines"]) == 3


def test_list_query_count_does_not_grow_with_routines(client, guides, django_assert_num_queries):
    # Routines and their steps, plus the content version that keys the page cache.
    with django_assert_num_queries(3):
        client.get("/guides/routines/")
    PublicRoutineFactory.create_batch(4, steps=[(PointFactory(), 30), (PointFactory(), 30)])
    with django_assert_num_queries(3):
        client.get("/guides/routines/")


def test_home_and_guide_list_link_to_the_routines(client, guides):
    assert reverse("acupressure:routines") in client.get("/").text
    assert reverse("acupressure:routines") in client.get("/guides/").text


def test_routine_page_lists_steps_with_links_seconds_sides_and_total(client, guides):
    routine = content_routine("lower-back-five-minutes")
    response = client.get(routine.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    for step in routine.step_list:
        assert step.point.get_absolute_url() in html
        assert escape(step.instruction) in html
    assert "45 seconds · Left side" in html
    assert "30 seconds · Centre line" in html
    assert "Total: 5 min." in html
    assert routine.get_play_url() in html
    assert "/journal/new/?routine=lower-back-five-minutes" in html


def test_routine_page_shows_the_cautions_of_every_point_before_the_steps(client, guides):
    routine = content_routine("sciatica-and-stiffness")
    html = client.get(routine.get_absolute_url()).text
    for point in routine.points:
        for caution in point.caution_list:
            assert escape(caution) in html, f"{point.code}: {caution}"
    assert html.index('id="cautions"') < html.index('id="steps"')


def test_a_caution_shared_by_two_points_is_listed_once(client, guides):
    routine = content_routine("sciatica-and-stiffness")
    shared = "Numbness around the bottom or genitals, trouble peeing, losing control"
    assert sum(shared in c for p in routine.points for c in p.caution_list) == 2
    assert client.get(routine.get_absolute_url()).text.count(shared) == 1


def warning_box(html: str) -> str:
    start = html.index('class="warning-box pregnancy-warning"')
    return html[start : html.index("</div>", start)]


def test_pregnancy_warning_names_the_points_when_a_routine_needs_it(client, guides):
    desk = client.get("/guides/routines/desk-hands-and-feet/").text
    assert (
        "<strong>Avoid in pregnancy.</strong> If you are or might be pregnant, do not press "
        'this point: <a href="/guides/li4/">LI4 Hegu</a>.'
    ) in warning_box(desk)
    assert desk.index("pregnancy-warning") < desk.index('id="steps"')
    sciatica = warning_box(client.get("/guides/routines/sciatica-and-stiffness/").text)
    assert "do not press this point: <a" in sciatica and "BL60 Kunlun</a>." in sciatica
    assert "ask your midwife before you press these points: <a" in sciatica
    assert "BL53 Baohuang</a>, <a" in sciatica and "GB30 Huantiao</a> and <a" in sciatica
    assert sciatica.index("Avoid in pregnancy.") < sciatica.index("Ask your midwife first.")


@pytest.mark.parametrize("page", ["", "play/"])
def test_the_lower_back_routine_warns_about_pregnancy_and_lying_on_balls(client, guides, page):
    html = client.get(f"/guides/routines/lower-back-five-minutes/{page}").text
    box = warning_box(html)
    assert (
        "<strong>Pregnant? Ask your midwife first.</strong> If you are or might be pregnant, ask "
        "your midwife before you press these points: "
        '<a href="/guides/bl23/">BL23 Shenshu</a>, <a href="/guides/bl52/">BL52 Zhishi</a> and '
        '<a href="/guides/gv4/">GV4 Mingmen</a>.'
    ) in box
    assert "Later in pregnancy, do not lie on your back on the balls." in box
    assert "Avoid in pregnancy" not in box


def test_each_step_shows_its_points_pregnancy_badge(client, guides):
    html = client.get("/guides/routines/desk-hands-and-feet/play/").text
    steps = html[html.index('<ol class="play-steps"') : html.index("</ol>")]
    li4_steps = [item for item in steps.split('<li class="play-step"') if "LI4 Hegu" in item]
    assert len(li4_steps) == 2
    for item in li4_steps:
        assert '<span class="badge badge-warning">Avoid in pregnancy</span>' in item
    assert steps.count('<span class="badge') == 2


def test_a_routine_without_pregnancy_cautions_has_no_warning(client, guides):
    PublicRoutineFactory(slug="te3-only", steps=[(Point.objects.get(code="TE3"), 60)])
    html = client.get("/guides/routines/te3-only/").text
    assert "pregnancy-warning" not in html
    assert "pregnan" not in html.lower()


@pytest.mark.parametrize(("seconds", "warned"), [(300, False), (301, True)])
def test_a_step_over_five_minutes_gets_a_gentle_note(client, guides, seconds, warned):
    PublicRoutineFactory(slug="long", steps=[(Point.objects.get(code="TE3"), seconds)])
    for page in ["", "play/"]:
        html = client.get(f"/guides/routines/long/{page}").text
        assert ("This is a long hold: a minute or two on one point is usual." in html) is warned


def test_unknown_routine_is_a_styled_404(client, guides):
    response = client.get("/guides/routines/no-such-routine/")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert client.get("/guides/routines/no-such-routine/play/").status_code == 404


def test_a_users_own_routine_is_not_a_public_page(client, guides):
    mine = RoutineFactory()
    assert client.get(f"/guides/routines/{mine.pk}/").status_code == 404
    assert client.get(f"/guides/routines/{mine.pk}/play/").status_code == 404


@pytest.mark.parametrize("page", ["", "play/"])
def test_routine_pages_use_a_fixed_number_of_queries(
    client, guides, django_assert_max_num_queries, page
):
    # The routine with its steps, plus the content version that keys the page cache.
    with django_assert_max_num_queries(3):
        client.get(f"/guides/routines/sciatica-and-stiffness/{page}")


def test_timer_page_is_the_whole_routine_as_a_list_without_javascript(client, guides):
    routine = content_routine("desk-hands-and-feet")
    html = client.get(routine.get_play_url()).text
    steps_list = html[html.index('<ol class="play-steps"') : html.index("</ol>")]
    assert steps_list.count('<li class="play-step"') == len(routine.step_list)
    for step in routine.step_list:
        assert escape(step.instruction) in steps_list
        assert f'data-seconds="{step.seconds}"' in steps_list
    assert steps_list.count('class="diagram"') == len(routine.step_list)
    # The timer controls wait for the script; the list and the journal link do not.
    assert re.search(r'<section class="player"[^>]*\bhidden\b', html)
    assert "How is your pain now?" in html
    assert "/journal/new/?routine=desk-hands-and-feet" in html


def test_timer_page_has_no_inline_script_or_style(client, guides):
    html = client.get("/guides/routines/lower-back-five-minutes/play/").text
    # The one script without src is data (the JavaScript's strings), which CSP does not run.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/js/register-sw.js" data-worker="/sw.js" defer>',
        '<script id="js-strings" type="application/json">',
        '<script src="/static/js/strings.js" defer>',
        '<script src="/static/js/player.js" defer>',
    ]
    assert "style=" not in html
    assert "onclick" not in html


def test_diagram_ids_are_unique_when_a_point_appears_twice(client, guides):
    html = client.get("/guides/routines/lower-back-five-minutes/play/").text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(45, "45 s"), (60, "1 min"), (300, "5 min"), (375, "6 min 15 s"), (3600, "60 min")],
)
def test_durations_read_like_people_say_them(seconds, label):
    assert format_duration(seconds) == label
