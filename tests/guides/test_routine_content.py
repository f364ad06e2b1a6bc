"""The guide's routines: loaded from the content file with the points, idempotently, and sound."""

import pytest
from django.db import IntegrityError, transaction

from acupressure.loader import CONTENT_FILE, ContentError, load_guides
from acupressure.models import (
    STEP_SECONDS_MAX,
    STEP_SECONDS_STORED_MAX,
    Point,
    Pregnancy,
    Routine,
    RoutineStep,
    Side,
)
from tests.factories import PointFactory, PublicRoutineFactory, RoutineFactory

CONTENT_ROUTINES = ["lower-back-five-minutes", "sciatica-and-stiffness", "desk-hands-and-feet"]
# Words that would promise an outcome; the guides say "traditionally used for" instead.
PROMISES = ["cure", "heal", "guarantee", "will relieve", "relieves", "gets rid of", "fixes"]
# Each routine's pregnancy warning: its points by level (from the points' own pregnancy field),
# and whether the routine adds a note of its own (lying on the back on balls).
EXPECTED_PREGNANCY = {
    "lower-back-five-minutes": (
        {Pregnancy.ASK_MIDWIFE: ["BL23", "BL52", "GV4"]},
        "do not lie on your back on the balls",
    ),
    "sciatica-and-stiffness": (
        {Pregnancy.AVOID: ["BL60"], Pregnancy.ASK_MIDWIFE: ["BL53", "GB30", "BL57"]},
        "do not lie on your back on the balls",
    ),
    "desk-hands-and-feet": ({Pregnancy.AVOID: ["LI4"]}, ""),
}


def routine(slug: str) -> Routine:
    return Routine.objects.public().with_steps().get(slug=slug)


def file_with_routine(tmp_path, routine_toml: str):
    """The real content file with one more routine appended."""
    path = tmp_path / "guides.toml"
    path.write_text(CONTENT_FILE.read_text(encoding="utf-8") + routine_toml, encoding="utf-8")
    return path


def test_the_content_file_has_the_three_kinds_of_routine(guides):
    assert list(Routine.objects.public().values_list("slug", flat=True)) == CONTENT_ROUTINES


@pytest.mark.parametrize("slug", CONTENT_ROUTINES)
def test_every_content_routine_has_three_or_more_sensible_steps(guides, slug):
    steps = routine(slug).step_list
    assert len(steps) >= 3
    assert [step.position for step in steps] == list(range(1, len(steps) + 1))
    for step in steps:
        assert 5 <= step.seconds <= STEP_SECONDS_MAX
        assert not step.is_long, f"{slug} step {step.position}: over five minutes on one point"
        assert step.instruction.strip(), f"{slug} step {step.position} has no instruction"
        if step.point.both_sides:
            assert step.side in Side.values, f"{slug} step {step.position}: which side?"
        else:
            assert step.side == "", f"{step.point.code} is on the centre line: no side"


@pytest.mark.parametrize("slug", CONTENT_ROUTINES)
def test_every_content_routine_says_who_it_is_for_and_promises_nothing(guides, slug):
    content = routine(slug)
    assert content.title and content.summary and content.who_for and content.description
    text = " ".join(
        [content.title, content.summary, content.who_for, content.description]
        + [step.instruction for step in content.step_list]
    ).lower()
    for promise in PROMISES:
        assert promise not in text, f"{slug} says “{promise}”"


def test_every_content_routine_has_its_pregnancy_warning():
    assert set(EXPECTED_PREGNANCY) == set(CONTENT_ROUTINES)


@pytest.mark.parametrize("slug", CONTENT_ROUTINES)
def test_each_routines_pregnancy_warning_comes_from_its_points(guides, slug):
    levels, note = EXPECTED_PREGNANCY[slug]
    content = routine(slug)
    groups = {
        level: [point.code for point in points]
        for level in Pregnancy.values
        if (points := [point for point in content.points if point.pregnancy == level])
        and level != Pregnancy.NONE
    }
    assert groups == levels
    assert [[p.code for p in points] for _, points in content.pregnancy_groups] == [
        levels[level] for level in (Pregnancy.AVOID, Pregnancy.ASK_MIDWIFE) if level in levels
    ]
    assert (note in content.pregnancy_note) if note else content.pregnancy_note == ""


def test_the_lower_back_routine_warns_against_lying_on_the_back_later_in_pregnancy(guides):
    note = routine("lower-back-five-minutes").pregnancy_note
    assert note.startswith("Later in pregnancy, do not lie on your back on the balls.")
    assert "16 weeks" in note and "feel faint" in note
    assert "sitting on a firm chair" in note


def test_ki1_is_rolled_on_a_ball_seated_never_standing(guides):
    ki1_steps = [
        step
        for slug in CONTENT_ROUTINES
        for step in routine(slug).step_list
        if step.point.code == "KI1"
    ]
    assert ki1_steps
    for step in ki1_steps:
        text = step.instruction.lower()
        assert "stand" not in text, step.instruction
        if "roll" in text:
            assert "seated" in text, step.instruction


def test_the_lower_back_routine_takes_five_minutes(guides):
    assert routine("lower-back-five-minutes").total_seconds == 300


def test_the_desk_routine_uses_only_hands_and_feet(guides):
    regions = {point.region for point in routine("desk-hands-and-feet").points}
    assert regions <= {"hand", "foot"}


def test_the_sciatica_routine_works_on_buttocks_and_legs(guides):
    regions = {point.region for point in routine("sciatica-and-stiffness").points}
    assert regions <= {"hip-buttock", "knee-leg", "foot"}
    assert "hip-buttock" in regions


def test_loading_twice_changes_no_routine(guides):
    step_ids = list(RoutineStep.objects.order_by("pk").values_list("pk", flat=True))
    report = load_guides()
    assert [label for label in report.unchanged if label.startswith("routine")] == [
        f"routine {slug}" for slug in CONTENT_ROUTINES
    ]
    assert report.created == [] and report.updated == []
    assert list(RoutineStep.objects.order_by("pk").values_list("pk", flat=True)) == step_ids


def test_editing_a_step_in_the_file_replaces_that_routines_steps(guides, tmp_path):
    edited = tmp_path / "guides.toml"
    text = CONTENT_FILE.read_text(encoding="utf-8")
    old = 'point = "GV4"\nseconds = 30\n'
    assert text.count(old) == 1
    edited.write_text(text.replace(old, 'point = "GV4"\nseconds = 45\n'), encoding="utf-8")
    report = load_guides(edited)
    assert report.updated == ["routine lower-back-five-minutes"]
    gv4_step = next(
        s for s in routine("lower-back-five-minutes").step_list if s.point.code == "GV4"
    )
    assert gv4_step.seconds == 45
    assert load_guides(edited).updated == []


def test_editing_a_routines_title_updates_that_row_only(guides, tmp_path):
    edited = tmp_path / "guides.toml"
    text = CONTENT_FILE.read_text(encoding="utf-8")
    edited.write_text(
        text.replace("Five minutes for the lower back", "Lower back, five minutes", 1),
        encoding="utf-8",
    )
    report = load_guides(edited)
    assert report.updated == ["routine lower-back-five-minutes"]
    assert routine("lower-back-five-minutes").title == "Lower back, five minutes"


def test_loading_leaves_users_own_routines_alone(guides):
    mine = RoutineFactory(title="My evening", steps=[(Point.objects.get(code="BL23"), 90)])
    load_guides()
    mine.refresh_from_db()
    assert mine.title == "My evening"
    assert list(mine.steps.values_list("seconds", flat=True)) == [90]


ROUTINE_HEAD = """
[[routines]]
slug = "broken"
title = "Broken"
summary = "For tests."
who_for = "Nobody."
description = "Nothing."
"""


@pytest.mark.parametrize(
    ("steps_toml", "message"),
    [
        ("", "Routine broken: at least one step is required"),
        (
            '[[routines.steps]]\npoint = "XX1"\nseconds = 60\n',
            "Routine broken, step 1: unknown point 'XX1'",
        ),
        ('[[routines.steps]]\npoint = "BL23"\n', "step 1: needs point and seconds"),
        ('[[routines.steps]]\npoint = "BL23"\nseconds = 2\n', "routine broken, step 1"),
        ('[[routines.steps]]\npoint = "BL23"\nseconds = 601\n', "routine broken, step 1.*600"),
        ('[[routines.steps]]\npoint = "BL23"\nseconds = "a minute"\n', "whole number"),
        ('[[routines.steps]]\npoint = "BL23"\nseconds = 60\nside = "up"\n', "step 1"),
        ('[[routines.steps]]\npoint = "BL23"\nseconds = 60\ncolour = "red"\n', "colour"),
    ],
)
def test_a_broken_routine_is_refused_with_a_message_and_nothing_is_written(
    db, tmp_path, steps_toml, message
):
    path = file_with_routine(tmp_path, ROUTINE_HEAD + steps_toml)
    with pytest.raises(ContentError, match=message):
        load_guides(path)
    assert not Point.objects.exists()
    assert not Routine.objects.exists()


def test_a_routine_missing_its_title_is_refused(db, tmp_path):
    path = file_with_routine(tmp_path, ROUTINE_HEAD.replace('title = "Broken"\n', ""))
    with pytest.raises(ContentError, match="Routine broken: missing title"):
        load_guides(path)


def test_the_database_refuses_a_public_routine_without_a_slug(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Routine.objects.create(owner=None, slug="", title="No address")


def test_public_slugs_are_unique_but_private_routines_need_none(db):
    PublicRoutineFactory(slug="morning")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicRoutineFactory(slug="morning")
    RoutineFactory(slug="")
    RoutineFactory(slug="")
    assert Routine.objects.filter(slug="").count() == 2


@pytest.mark.parametrize("seconds", [4, 3601])
def test_the_database_refuses_step_times_outside_5_to_3600_seconds(db, seconds):
    mine = RoutineFactory(steps=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineStep.objects.create(routine=mine, point=PointFactory(), position=1, seconds=seconds)


def test_a_routine_saved_before_the_ten_minute_limit_still_loads(db):
    # New steps stop at 10 minutes (forms, content file, admin); the database keeps an hour, so a
    # longer step saved earlier still loads and plays.
    assert STEP_SECONDS_STORED_MAX == 3600 > STEP_SECONDS_MAX == 600
    mine = RoutineFactory(steps=[(PointFactory(), 1800)])
    step = Routine.objects.with_steps().get(pk=mine.pk).step_list[0]
    assert (step.seconds, step.is_long) == (1800, True)
