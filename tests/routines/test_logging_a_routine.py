"""Logging a session from a routine: `/journal/new/?routine=…` prefills it and links the session."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acupressure.models import Routine
from journal.models import PracticeSession
from tests.factories import PracticeSessionFactory, RoutineFactory, UserFactory

LOWER_BACK = "lower-back-five-minutes"


def public_routine(slug=LOWER_BACK) -> Routine:
    return Routine.objects.public().get(slug=slug)


def session_data(routine, **overrides):
    data = {
        "points": ["bl23", "bl52", "gv4", "bl40", "ki1"],
        "pain_before": "6",
        "pain_after": "4",
        "area": "lower-back",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "seconds": "",
        "notes": "",
        "routine": str(routine.pk) if routine else "",
    }
    data.update(overrides)
    return data


def stored_seconds(session):
    return {sp.point.code: sp.seconds for sp in session.session_points.select_related("point")}


def test_a_guide_routine_in_the_address_ticks_its_points_and_links_it(logged_in, guides):
    response = logged_in.get(f"/journal/new/?routine={LOWER_BACK}")
    form = response.context["form"]
    assert response.status_code == 200
    assert form.initial["points"] == ["bl23", "bl52", "gv4", "bl40", "ki1"]
    assert form.initial["routine"] == public_routine()
    html = response.text
    assert f'<input type="hidden" name="routine" value="{public_routine().pk}"' in html
    assert "Following the routine" in html
    # KI1 is pressed twice (left, then right): its seconds are added up.
    assert "BL23 60 s, BL52 60 s, GV4 30 s, BL40 60 s, KI1 90 s." in html


def test_saving_links_the_session_and_stores_each_points_own_seconds(logged_in, user, guides):
    response = logged_in.post("/journal/new/", session_data(public_routine()))
    session = PracticeSession.objects.get()
    assert response.url == f"/journal/?saved={session.pk}"
    assert (session.user, session.routine) == (user, public_routine())
    assert stored_seconds(session) == {"BL23": 60, "BL52": 60, "GV4": 30, "BL40": 60, "KI1": 90}


def test_one_time_for_every_point_overrides_the_routines_times(logged_in, guides):
    logged_in.post("/journal/new/", session_data(public_routine(), seconds="45"))
    assert set(stored_seconds(PracticeSession.objects.get()).values()) == {45}


def test_a_point_added_beyond_the_routine_has_no_time(logged_in, guides):
    logged_in.post("/journal/new/", session_data(public_routine(), points=["bl23", "li4"]))
    assert stored_seconds(PracticeSession.objects.get()) == {"BL23": 60, "LI4": None}


def test_my_own_routine_is_named_by_its_number(logged_in, user, guides):
    bl23 = public_routine().step_list[0].point
    mine = RoutineFactory(owner=user, title="My lunch break", steps=[(bl23, 40), (bl23, 20)])
    response = logged_in.get(f"/journal/new/?routine={mine.pk}")
    assert response.context["form"].initial["points"] == ["bl23"]
    assert "My lunch break" in response.text
    logged_in.post("/journal/new/", session_data(mine, points=["bl23"]))
    session = PracticeSession.objects.get()
    assert session.routine == mine
    assert stored_seconds(session) == {"BL23": 60}


@pytest.mark.parametrize(
    "reference", ["no-such-routine", "99999", "9" * 30, "x" * 200, "²", "<b>bold</b>"]
)
def test_an_unknown_routine_in_the_address_is_explained_not_an_error(logged_in, guides, reference):
    response = logged_in.get("/journal/new/", {"routine": reference})
    assert response.status_code == 200
    assert "We could not find the routine" in response.text
    assert "<b>bold</b>" not in response.text
    assert "points" not in response.context["form"].initial


def test_a_tampered_routine_is_refused_then_the_session_saves_without_it(logged_in, guides):
    other = RoutineFactory(owner=UserFactory(username="other"))
    data = session_data(public_routine())
    data["routine"] = str(other.pk)
    response = logged_in.post("/journal/new/", data)
    assert response.status_code == 200
    assert "not in the guides or in your routines" in response.text
    assert "Nothing has been saved yet" in response.text
    assert not PracticeSession.objects.exists()
    # The page sends an empty routine back, so saving again works, without the link.
    assert '<input type="hidden" name="routine" value="">' in response.text
    logged_in.post("/journal/new/", {**data, "routine": ""})
    assert PracticeSession.objects.get().routine is None


def test_nonsense_in_the_hidden_routine_field_is_refused(logged_in, guides):
    response = logged_in.post("/journal/new/", {**session_data(None), "routine": "lots"})
    assert response.status_code == 200
    assert not PracticeSession.objects.exists()


def test_the_session_page_and_list_name_the_routine(logged_in, user, guides):
    routine = public_routine()
    session = PracticeSessionFactory(user=user, points=routine.points, routine=routine)
    detail = logged_in.get(session.get_absolute_url()).text
    assert f'<a href="{routine.get_absolute_url()}">{routine.title}</a>' in detail
    assert f"/journal/new/?routine={LOWER_BACK}" in detail
    assert f"Routine: {routine.title}" in logged_in.get("/journal/").text


def test_editing_keeps_the_routine_and_each_points_seconds(logged_in, user, guides):
    logged_in.post("/journal/new/", session_data(public_routine()))
    session = PracticeSession.objects.get()
    edit_form = logged_in.get(f"/journal/{session.pk}/edit/")
    assert f'name="routine" value="{public_routine().pk}"' in edit_form.text
    logged_in.post(f"/journal/{session.pk}/edit/", session_data(public_routine(), pain_after="2"))
    session.refresh_from_db()
    assert (session.pain_after, session.routine) == (2, public_routine())
    assert stored_seconds(session)["KI1"] == 90


def test_session_list_queries_do_not_grow_with_routine_sessions(logged_in, user, guides):
    routine = public_routine()
    PracticeSessionFactory.create_batch(2, user=user, points=routine.points, routine=routine)
    with CaptureQueriesContext(connection) as few:
        logged_in.get("/journal/")
    PracticeSessionFactory.create_batch(20, user=user, points=routine.points, routine=routine)
    with CaptureQueriesContext(connection) as many:
        logged_in.get("/journal/")
    assert len(many.captured_queries) == len(few.captured_queries)
