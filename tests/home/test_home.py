"""The home page: the introduction for visitors, log-first and today's state for logged-in people."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import experiments
from journal.home import day_words
from journal.models import PracticeSession

from ..factories import PracticeSessionFactory, UserFactory


@pytest.fixture
def logged_in(client, guides):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def test_visitors_keep_the_introduction(client, guides):
    response = client.get("/")
    assert "Acupressure for back pain, step by step" in response.text
    assert "Log a session" not in response.text


def test_a_new_user_sees_log_first_and_how_to_start(logged_in):
    response = logged_in.get("/")
    text = response.text
    assert response.templates[0].name == "journal/home/home.html"
    assert text.index("Log a session") < text.index("Getting started")
    assert f'href="{reverse("journal:new")}"' in text
    assert "Last session" not in text
    assert "no-store" in response["Cache-Control"]


def test_the_last_session_offers_the_same_again(logged_in):
    from acupressure.models import Point

    bl23, li4 = Point.objects.get(code="BL23"), Point.objects.get(code="LI4")
    session = PracticeSessionFactory(
        user=logged_in.user,
        points=[bl23, li4],
        pain_before=7,
        pain_after=4,
        started_at=timezone.now(),  # "Today" at any hour (minus 5 minutes was yesterday at 00:03)
    )
    text = logged_in.get("/").text
    assert "Today at" in text
    assert "BL23, LI4," in text
    assert "pain 7 → 4" in text
    assert f'href="{reverse("journal:new")}?again={session.pk}"' in text
    # Fewer than five sessions: no insights link yet.
    assert "See which points help you most" not in text


def test_a_rest_session_is_described_as_rest(logged_in):
    PracticeSessionFactory(user=logged_in.user, points=[], rest_only=True)
    assert "rested, no pressing" in logged_in.get("/").text


def test_insights_link_and_weekly_goal_once_there_are_sessions(logged_in):
    PracticeSessionFactory.create_batch(5, user=logged_in.user)
    text = logged_in.get("/").text
    assert "See which points help you most" in text
    assert "This week" in text


def test_the_running_experiments_next_session_is_shown(logged_in):
    from acupressure.models import Point

    experiments.start(logged_in.user, Point.objects.get(code="BL40"), None, 10)
    text = logged_in.get("/").text
    assert "Your experiment: next session" in text
    assert "?experiment=next" in text


def test_home_makes_the_same_queries_for_a_long_journal(logged_in):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get("/").status_code == 200
        return len(captured)

    PracticeSessionFactory.create_batch(3, user=logged_in.user)
    few = queries()
    PracticeSessionFactory.create_batch(30, user=logged_in.user)
    assert queries() == few


def test_another_users_sessions_never_show(logged_in):
    PracticeSessionFactory(notes="secret", pain_before=9, pain_after=1)
    text = logged_in.get("/").text
    assert "Getting started" in text
    assert "9 → 1" not in text
    assert PracticeSession.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 2), "today"),
        (date(2026, 12, 1), "yesterday"),
        (date(2026, 11, 27), "on Friday"),
        (date(2026, 11, 25), "on 25 November"),
        (date(2025, 12, 31), "on 31 December 2025"),
    ],
)
def test_day_words(day, expected):
    assert day_words(day, today=date(2026, 12, 2)) == expected


def test_a_routine_opened_and_not_logged_is_offered_until_a_session_is_logged(logged_in):
    from acupressure.models import Routine

    routine = Routine.objects.filter(owner=None).first()
    assert logged_in.get(f"/guides/routines/{routine.slug}/play/").status_code == 200
    text = logged_in.get("/").text
    assert "Not logged yet" in text
    assert routine.title in text
    assert f'href="{reverse("journal:new")}?routine={routine.slug}"' in text

    response = logged_in.post(
        reverse("journal:new"),
        {
            "points": [point.slug for point in routine.points],
            "pain_before": "6",
            "pain_after": "4",
            "area": "lower-back",
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert "Not logged yet" not in logged_in.get("/").text


def test_an_old_or_broken_routine_note_is_ignored(logged_in):
    session = logged_in.session
    session["routine_opened"] = {"title": "x", "reference": "y", "at": "not a time"}
    session.save()
    assert "Not logged yet" not in logged_in.get("/").text
    session["routine_opened"] = {
        "title": "Old",
        "reference": "old",
        "at": (timezone.now() - timedelta(hours=4)).isoformat(),
    }
    session.save()
    assert "Not logged yet" not in logged_in.get("/").text


def test_visitors_opening_a_timer_store_nothing(client, guides):
    from acupressure.models import Routine

    routine = Routine.objects.filter(owner=None).first()
    client.get(f"/guides/routines/{routine.slug}/play/")
    assert "routine_opened" not in client.session


def test_the_same_again_form_saves_a_session_like_the_last_one(logged_in):
    from acupressure.models import Point

    last = PracticeSessionFactory(
        user=logged_in.user, points=[Point.objects.get(code="BL40")], area="neck"
    )
    response = logged_in.get("/")
    form = response.text[response.text.index('class="session-form same-again-form"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="points" value="bl40">' in form
    assert '<input type="hidden" name="area" value="neck">' in form
    assert 'name="pain_before"' in form and 'name="pain_after"' in form
    started_at = response.context["now_local"]
    saved = logged_in.post(
        reverse("journal:new"),
        {
            "points": ["bl40"],
            "area": "neck",
            "started_at": started_at,
            "pain_before": "5",
            "pain_after": "2",
        },
    )
    assert saved.status_code == 302
    new = PracticeSession.objects.exclude(pk=last.pk).get()
    assert (new.area, new.pain_before, new.pain_after) == ("neck", 5, 2)


def test_the_same_again_form_for_a_rest_session_sends_rest(logged_in):
    PracticeSessionFactory(user=logged_in.user, points=[], rest_only=True)
    text = logged_in.get("/").text
    assert '<input type="hidden" name="rest_only" value="on">' in text
    assert 'name="points"' not in text
