"""A user's own routines: build, view, edit, delete, run, and the checks before saving."""

import pytest
from django.urls import reverse

from acupressure.models import Routine, RoutineStep
from journal.models import PracticeSession
from tests.factories import PointFactory, PracticeSessionFactory, RoutineFactory


@pytest.fixture
def points(db):
    return {
        "bl23": PointFactory(code="BL23", slug="bl23", region="lower-back", hold_seconds=60),
        "li4": PointFactory(code="LI4", slug="li4", region="hand", hold_seconds=45),
        "ki1": PointFactory(code="KI1", slug="ki1", region="foot", hold_seconds=90),
    }


def routine_data(rows, title="Morning back", initial=0, **extra):
    """POST data for the routine form: ``rows`` is a list of dicts of step fields."""
    data = {
        "title": title,
        "summary": "",
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(initial),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        values = {"point": "", "seconds": "60", "side": "", "instruction": "", "position": ""}
        values.update(row)
        for name, value in values.items():
            if value is not None:
                data[f"steps-{index}-{name}"] = value
    data.update(extra)
    return data


def stored_steps(routine):
    return list(
        routine.steps.order_by("position").values_list(
            "position", "point__code", "seconds", "side", "instruction"
        )
    )


def test_new_routine_form_offers_five_empty_step_rows(logged_in, points):
    response = logged_in.get("/journal/routines/new/")
    assert response.status_code == 200
    assert len(response.context["steps"].forms) == 5
    assert response.text.count("<legend>Step ") == 5
    assert 'value="60"' in response.text


def test_new_routine_can_start_from_points_in_the_address(logged_in, points):
    response = logged_in.get("/journal/routines/new/?points=ki1,zz99,bl23")
    steps = response.context["steps"]
    assert steps.initial == [
        {"position": 1, "point": "ki1", "seconds": 90},
        {"position": 2, "point": "bl23", "seconds": 60},
    ]
    assert len(steps.forms) == 5


def test_building_a_routine_saves_its_steps_in_the_chosen_order(logged_in, user, points):
    rows = [
        {"point": "li4", "seconds": "30", "side": "left", "position": "2"},
        {"point": "bl23", "seconds": "90", "side": "both", "position": "1", "instruction": "Lean"},
        {"point": "li4", "seconds": "30", "side": "right", "position": ""},
        {"point": "", "seconds": "60"},
    ]
    response = logged_in.post("/journal/routines/new/", routine_data(rows))
    routine = Routine.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("journal:routine_detail", args=[routine.pk])
    assert (routine.owner, routine.title, routine.slug) == (user, "Morning back", "")
    assert stored_steps(routine) == [
        (1, "BL23", 90, "both", "Lean"),
        (2, "LI4", 30, "left", ""),
        (3, "LI4", 30, "right", ""),
    ]
    assert "Routine saved." in logged_in.get(response.url).text


@pytest.mark.parametrize(
    ("rows", "overrides", "message"),
    [
        ([{"point": ""}], {}, "Add at least one step"),
        ([{"point": "bl23", "seconds": "4"}], {}, "At least 5 seconds."),
        (
            [{"point": "bl23", "seconds": "601"}],
            {},
            "At most 600 seconds (10 minutes) per step. A minute or two on each point is usual.",
        ),
        ([{"point": "bl23", "seconds": "ten"}], {}, "Enter whole seconds, e.g. 60."),
        ([{"point": "bl23", "seconds": ""}], {}, "How many seconds for this step?"),
        ([{"point": "zz99"}], {}, "That is not a point in the guides."),
        ([{"point": "", "seconds": "30"}], {}, "Choose a point for this step"),
        ([{"point": "bl23", "side": "up"}], {}, "Choose both sides, left, right or not set."),
        ([{"point": "bl23", "position": "0"}], {}, "Use 1 or more."),
        ([{"point": "bl23", "instruction": "x" * 201}], {}, "Keep it to 200 characters"),
        ([{"point": "bl23"}], {"title": ""}, "Give your routine a name"),
        ([{"point": "bl23"}], {"title": "x" * 101}, "Keep the name to 100 characters"),
    ],
)
def test_invalid_routines_are_explained_and_nothing_is_saved(
    logged_in, points, rows, overrides, message
):
    response = logged_in.post("/journal/routines/new/", routine_data(rows, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "Nothing has been saved yet" in response.text
    assert not Routine.objects.exists()


LONG_NOTE = "This is a long hold: a minute or two on one point is usual."


def test_the_builder_says_how_long_a_step_usually_is(logged_in, points):
    html = logged_in.get("/journal/routines/new/").text
    assert (
        '<p id="seconds-help">A minute or two on each point is usual (60 to 120 seconds).' in html
    )
    assert "a step can last at most 10 minutes (600 seconds)." in html
    assert html.count('aria-describedby="seconds-help"') == 5
    assert LONG_NOTE not in html


def test_a_ten_minute_step_is_saved_with_a_gentle_note(logged_in, user, points):
    rows = [{"point": "bl23", "seconds": "600"}, {"point": "ki1", "seconds": "300"}]
    response = logged_in.post("/journal/routines/new/", routine_data(rows))
    routine = Routine.objects.get()
    assert [step[2] for step in stored_steps(routine)] == [600, 300]
    page = logged_in.get(response.url).text
    assert page.count(LONG_NOTE) == 1, "only the step over five minutes"
    assert logged_in.get(routine.get_play_url()).text.count(LONG_NOTE) == 1


def test_the_builder_notes_a_six_minute_step_next_to_it(logged_in, user, points):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 360), (points["ki1"], 60)])
    html = logged_in.get(reverse("journal:routine_edit", args=[routine.pk])).text
    assert html.count(LONG_NOTE) == 1
    assert html.index(LONG_NOTE) < html.index("<legend>Step 2</legend>")
    # Also when the form comes back with another problem.
    rows = [{"point": "bl23", "seconds": "360"}, {"point": "zz99", "seconds": "60"}]
    html = logged_in.post("/journal/routines/new/", routine_data(rows)).text
    assert "That is not a point in the guides." in html and html.count(LONG_NOTE) == 1


def test_a_step_saved_before_the_limit_still_plays_and_asks_to_be_shortened(
    logged_in, user, points
):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 1800)])
    assert logged_in.get(routine.get_play_url()).status_code == 200
    assert LONG_NOTE in logged_in.get(routine.get_absolute_url()).text
    url = reverse("journal:routine_edit", args=[routine.pk])
    assert "the most a step can now last. Shorten it to save your changes." in (
        logged_in.get(url).text
    )
    rows = [{"point": "bl23", "seconds": "1800", "position": "1"}]
    response = logged_in.post(url, routine_data(rows, initial=1))
    assert "At most 600 seconds (10 minutes) per step." in response.text
    assert [step[2] for step in stored_steps(routine)] == [1800], "kept until the user changes it"


def test_a_routine_has_at_most_thirty_steps(logged_in, points):
    rows = [{"point": "bl23", "seconds": "10"}] * 31
    response = logged_in.post("/journal/routines/new/", routine_data(rows))
    assert "A routine can have at most 30 steps." in response.text
    assert not Routine.objects.exists()


def test_tampered_step_rows_are_an_error_not_a_crash(logged_in, points):
    data = routine_data([{"point": "bl23"}])
    del data["steps-TOTAL_FORMS"]
    response = logged_in.post("/journal/routines/new/", data)
    assert response.status_code == 200
    assert not Routine.objects.exists()


def test_routine_and_steps_are_saved_in_one_transaction(logged_in, points, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RoutineStep.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        logged_in.post("/journal/routines/new/", routine_data([{"point": "bl23"}]))
    assert not Routine.objects.exists()


def test_edit_form_shows_the_steps_then_three_empty_rows(logged_in, user, points):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 60, "both"), (points["ki1"], 45)])
    response = logged_in.get(reverse("journal:routine_edit", args=[routine.pk]))
    steps = response.context["steps"]
    assert [form.initial["point"] for form in steps.initial_forms] == ["bl23", "ki1"]
    assert len(steps.extra_forms) == 3
    assert response.text.count('type="checkbox" name="steps-') == 2


def test_editing_reorders_removes_and_adds_steps(logged_in, user, points):
    routine = RoutineFactory(
        owner=user,
        title="Old name",
        steps=[(points["bl23"], 60, "both"), (points["li4"], 30, "left"), (points["ki1"], 45)],
    )
    rows = [
        {"point": "bl23", "seconds": "60", "side": "both", "position": "3"},
        {"point": "li4", "seconds": "30", "side": "left", "position": "2", "DELETE": "on"},
        {"point": "ki1", "seconds": "45", "position": "1"},
        {"point": "li4", "seconds": "20", "side": "right", "position": "2"},
    ]
    url = reverse("journal:routine_edit", args=[routine.pk])
    response = logged_in.post(url, routine_data(rows, title="New name", initial=3))
    assert response.url == routine.get_absolute_url()
    routine.refresh_from_db()
    assert routine.title == "New name"
    assert stored_steps(routine) == [
        (1, "KI1", 45, "", ""),
        (2, "LI4", 20, "right", ""),
        (3, "BL23", 60, "both", ""),
    ]


def test_removing_every_step_is_refused_and_the_old_steps_stay(logged_in, user, points):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 60)])
    rows = [{"point": "bl23", "seconds": "60", "position": "1", "DELETE": "on"}]
    response = logged_in.post(
        reverse("journal:routine_edit", args=[routine.pk]), routine_data(rows, initial=1)
    )
    assert "Add at least one step" in response.text
    assert stored_steps(routine) == [(1, "BL23", 60, "", "")]


def test_a_failed_edit_keeps_the_old_steps(logged_in, user, points, monkeypatch):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 60)])

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RoutineStep.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        logged_in.post(
            reverse("journal:routine_edit", args=[routine.pk]),
            routine_data([{"point": "ki1", "seconds": "30"}], title="Changed", initial=0),
        )
    routine.refresh_from_db()
    assert routine.title != "Changed"
    assert stored_steps(routine) == [(1, "BL23", 60, "", "")]


def test_delete_asks_first_then_deletes_on_post_and_keeps_sessions(logged_in, user, points):
    routine = RoutineFactory(owner=user, steps=[(points["bl23"], 60)])
    session = PracticeSessionFactory(user=user, points=[points["bl23"]], routine=routine)
    url = reverse("journal:routine_delete", args=[routine.pk])
    assert "Delete this routine?" in logged_in.get(url).text
    assert Routine.objects.exists()
    response = logged_in.post(url)
    assert response.url == reverse("journal:routine_list")
    assert not Routine.objects.exists() and not RoutineStep.objects.exists()
    session.refresh_from_db()
    assert session.routine is None
    assert PracticeSession.objects.count() == 1


def test_my_routines_lists_only_mine(logged_in, user, points):
    mine = RoutineFactory(owner=user, title="Mine", steps=[(points["bl23"], 60)])
    RoutineFactory(title="Theirs", steps=[(points["li4"], 60)])
    response = logged_in.get("/journal/routines/")
    assert list(response.context["routines"]) == [mine]
    assert "Theirs" not in response.text
    assert "1 min · 1 step · BL23" in response.text


def test_empty_list_says_what_a_routine_is(logged_in):
    response = logged_in.get("/journal/routines/")
    assert "No routines yet" in response.text
    assert reverse("journal:routine_new") in response.text


def test_my_routines_list_query_count_does_not_grow(
    logged_in, user, points, django_assert_num_queries
):
    RoutineFactory(owner=user, steps=[(points["bl23"], 60), (points["ki1"], 30)])
    # session, user, routines, steps
    with django_assert_num_queries(4):
        logged_in.get("/journal/routines/")
    RoutineFactory.create_batch(5, owner=user, steps=[(points["li4"], 60), (points["ki1"], 30)])
    with django_assert_num_queries(4):
        logged_in.get("/journal/routines/")


def test_my_routine_page_and_timer_show_its_steps_and_link_by_number(logged_in, user, points):
    routine = RoutineFactory(owner=user, title="Desk break", steps=[(points["li4"], 30, "left")])
    detail = logged_in.get(routine.get_absolute_url())
    assert detail.status_code == 200
    assert "Desk break" in detail.text and "30 seconds · Left side" in detail.text
    assert reverse("journal:routine_edit", args=[routine.pk]) in detail.text
    play = logged_in.get(routine.get_play_url())
    assert routine.get_play_url() == f"/journal/routines/{routine.pk}/play/"
    assert f"/journal/new/?routine={routine.pk}" in play.text
    assert 'data-seconds="30"' in play.text
