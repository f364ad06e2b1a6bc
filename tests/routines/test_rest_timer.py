"""The rest timer: rest, pressing nothing, for as long as a chosen routine takes."""

import pytest
from django.urls import reverse

from tests.factories import PointFactory, PublicRoutineFactory, RoutineFactory, UserFactory

URL = reverse("journal:rest_timer")


@pytest.fixture
def bl23(db):
    return PointFactory(code="BL23", slug="bl23", name_pinyin="Shenshu")


@pytest.fixture
def guide_routine(bl23):
    return PublicRoutineFactory(
        slug="evening-back", title="Evening back", steps=[(bl23, 60), (bl23, 90)]
    )


@pytest.fixture
def own_routine(user, bl23):
    return RoutineFactory(owner=user, title="Before bed", steps=[(bl23, 45)])


def test_a_guide_routine_sets_the_length(logged_in, guide_routine):
    response = logged_in.get(URL + "?routine=evening-back")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Rest for 2 min 30 s</h1>" in html
    assert "Lie or sit comfortably; press nothing" in html
    # One step of the whole length, for the routine timer's script to count down.
    assert 'data-seconds="150"' in html
    assert html.count("data-seconds=") == 1
    assert "js/player.js" in html
    # player.js takes its texts from strings.js, which comes first.
    assert html.index("js/strings.js") < html.index("js/player.js")


def test_without_javascript_the_page_is_plain_text_and_a_link(logged_in, guide_routine):
    html = logged_in.get(URL + "?routine=evening-back").content.decode()
    # The timer's controls start hidden; the text, the length and the log link do not.
    assert '<section class="player" aria-label="Timer" data-player hidden>' in html
    assert "<p data-without-player>Without JavaScript there is no countdown" in html
    assert "rest for 2 min 30 s" in html
    assert (
        f'<a role="button" href="{reverse("journal:new")}?rest=1">Log this rest session</a>' in html
    )


def test_the_log_link_ticks_rest_only(logged_in, guide_routine):
    form = logged_in.get(reverse("journal:new") + "?rest=1").context["form"]
    assert form.initial["rest_only"] is True
    assert not form.initial.get("points")


def test_ones_own_routine_sets_the_length_by_its_number(logged_in, own_routine):
    html = logged_in.get(URL + f"?routine={own_routine.pk}").content.decode()
    assert "<h1>Rest for 45 s</h1>" in html
    assert "Before bed" in html


def test_without_a_routine_the_page_offers_a_choice(logged_in, guide_routine, own_routine):
    response = logged_in.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="evening-back">Evening back (2 min 30 s)</option>' in html
    assert f'<option value="{own_routine.pk}">Before bed (45 s), one of mine</option>' in html
    assert "We could not find that routine" not in html


@pytest.mark.parametrize("reference", ["no-such-routine", "999999", "\x00", "x" * 500])
def test_an_unknown_routine_falls_back_to_the_choice(logged_in, guide_routine, reference):
    response = logged_in.get(URL, {"routine": reference})
    assert response.status_code == 200
    assert "We could not find that routine" in response.content.decode()


def test_another_users_routine_is_neither_shown_nor_offered(client, bl23, guide_routine):
    theirs = RoutineFactory(owner=UserFactory(), title="Owner's private routine")
    client.force_login(UserFactory())
    for url in (URL, URL + f"?routine={theirs.pk}"):
        html = client.get(url).content.decode()
        assert "Owner&#x27;s private routine" not in html
        assert f'value="{theirs.pk}"' not in html


def test_visitors_must_log_in(client, guide_routine):
    response = client.get(URL + "?routine=evening-back")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_only_answers_get(logged_in, guide_routine):
    assert logged_in.post(URL + "?routine=evening-back").status_code == 405


def test_the_routine_pages_lead_to_it(logged_in, guide_routine, own_routine):
    html = logged_in.get(guide_routine.get_play_url()).content.decode()
    assert f"{URL}?routine=evening-back" in html
    html = logged_in.get(own_routine.get_play_url()).content.decode()
    assert f"{URL}?routine={own_routine.pk}" in html
    assert URL in logged_in.get(reverse("journal:routine_list")).content.decode()
