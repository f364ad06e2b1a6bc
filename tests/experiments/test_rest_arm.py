"""Experiments of a point against resting for the same time: starting, logging, the result."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from journal import experiments, queries
from journal.models import Experiment, ExperimentStatus, PracticeSession
from tests.factories import ExperimentFactory, PointFactory, PracticeSessionFactory


@pytest.fixture
def bl40(db):
    return PointFactory(code="BL40", slug="bl40", name_pinyin="Weizhong")


def rest_experiment(user, point, schedule="ABBA", **kwargs):
    return ExperimentFactory(
        user=user,
        point_a=point,
        point_b=None,
        planned_sessions=len(schedule),
        schedule=schedule,
        **kwargs,
    )


def session_data(point=None, before=6, after=4, **extra):
    """A posted log form: pressing ``point``, or a rest session when ``point`` is None."""
    data = {
        "pain_before": str(before),
        "pain_after": str(after),
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "area": "lower-back",
    }
    if point is None:
        data["rest_only"] = "on"
    else:
        data["points"] = [point.slug]
    data.update(extra)
    return data


def fresh(experiment):
    return Experiment.objects.select_related("point_a", "point_b").get(pk=experiment.pk)


# Starting ----------------------------------------------------------------------------------


def test_the_form_offers_resting_as_the_second_choice(logged_in, bl40):
    response = logged_in.get(reverse("journal:experiment_new"))
    html = response.content.decode()
    assert '<option value="rest">Resting for the same time (no pressing)</option>' in html
    # Right after "Choose a point", before any point; and only for B.
    choices = [value for value, _ in response.context["form"].fields["point_b"].choices]
    assert choices[:3] == ["", "rest", choices[2]]
    assert "rest" not in [value for value, _ in response.context["form"].fields["point_a"].choices]


def test_starting_a_point_against_rest_draws_a_balanced_schedule(logged_in, user, bl40):
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "bl40", "point_b": "rest", "planned_sessions": "12"},
    )
    experiment = Experiment.objects.get(user=user)
    assert response.url == experiment.get_absolute_url()
    assert (experiment.point_a, experiment.point_b) == (bl40, None)
    assert experiment.title == "BL40 against resting"
    assert str(experiment) == f"BL40 against resting for {user}"
    assert len(experiment.schedule) == 12
    assert experiment.schedule.count("A") == experiment.schedule.count("B") == 6


def test_rest_schedules_are_drawn_like_any_other(bl40, user):
    """The same blocks of two or four, each balanced, whatever B is."""
    for seed in range(100):
        experiment = experiments.start(user, bl40, None, 20, rng=random.Random(seed))
        assert experiment.schedule == experiments.make_schedule(20, random.Random(seed))
        lead = 0
        for letter in experiment.schedule:
            lead += 1 if letter == "A" else -1
            assert abs(lead) <= 2
        assert lead == 0
        experiment.delete()


def test_the_form_is_prefilled_with_rest(logged_in, bl40):
    html = logged_in.get(
        reverse("journal:experiment_new") + "?point_a=bl40&point_b=rest"
    ).content.decode()
    assert '<option value="bl40" selected>' in html
    assert '<option value="rest" selected>' in html


@pytest.mark.parametrize("value", ["REST", " rest", "rest\x00", "resting"])
def test_only_the_exact_rest_value_means_rest(logged_in, bl40, value):
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "bl40", "point_b": value, "planned_sessions": "10"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["point_b"]
    assert not Experiment.objects.exists()


def test_an_empty_b_is_refused_with_both_choices_named(logged_in, bl40):
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "bl40", "point_b": "", "planned_sessions": "10"},
    )
    assert response.context["form"].errors["point_b"] == [
        "Choose a point, or resting for the same time."
    ]


def test_a_running_rest_experiment_is_named_when_another_is_refused(logged_in, user, bl40):
    rest_experiment(user, bl40)
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "bl40", "point_b": "rest", "planned_sessions": "10"},
    )
    assert "already have an experiment running (BL40 against resting)" in (
        response.content.decode()
    )
    assert Experiment.objects.count() == 1


# Logging its sessions ----------------------------------------------------------------------


def test_the_journal_says_when_the_next_session_is_rest(logged_in, user, bl40):
    rest_experiment(user, bl40, schedule="BAAB")
    html = logged_in.get(reverse("journal:list")).content.decode()
    assert "next session, use B" in html
    assert "This time: rest only, no pressing, for the same time" in html
    assert "Log session 1: rest" in html
    assert reverse("journal:rest_timer") in html


def test_the_log_form_for_a_rest_place_is_prefilled_and_says_so(logged_in, user, bl40):
    rest_experiment(user, bl40, schedule="BAAB")
    response = logged_in.get(reverse("journal:new") + "?experiment=next")
    form = response.context["form"]
    assert form.initial["rest_only"] is True
    assert not form.initial["points"]
    assert form.initial["count_in_experiment"] is True
    assert "This time: rest only, no pressing, for the same time" in response.content.decode()


def test_a_rest_session_fills_the_rest_place(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40, schedule="BAAB")
    response = logged_in.post(
        reverse("journal:new"), session_data(count_in_experiment="on"), follow=True
    )
    assert "counted in your experiment" in response.content.decode()
    session = PracticeSession.objects.get()
    assert session.rest_only
    assert session.experiment == experiment
    assert experiments.arm_counts(fresh(experiment)) == {"A": 0, "B": 1}
    progress = queries.get_experiment_for_user(user, experiment.pk)
    assert (progress.done_a, progress.done_b) == (0, 1)
    upcoming = experiments.next_session(fresh(experiment))
    assert (upcoming.letter, upcoming.point, upcoming.number) == ("A", bl40, 2)


@pytest.mark.parametrize(
    "data",
    [
        {"points": ["bl40"]},  # pressed the point instead
        {"points": ["bl40"], "rest_only": "on"},  # both
        {},  # neither
    ],
)
def test_a_rest_place_needs_a_rest_session(logged_in, user, bl40, data):
    rest_experiment(user, bl40, schedule="BAAB")
    posted = session_data(bl40, count_in_experiment="on")
    posted.pop("points")
    posted.update(data)
    response = logged_in.post(reverse("journal:new"), posted)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["count_in_experiment"])
    assert "Session 1 of your experiment is rest only" in errors
    assert not PracticeSession.objects.exists()


def test_a_rest_session_cannot_take_the_points_place(logged_in, user, bl40):
    rest_experiment(user, bl40, schedule="ABBA")
    response = logged_in.post(reverse("journal:new"), session_data(count_in_experiment="on"))
    assert response.status_code == 200
    assert "press only BL40 Weizhong" in " ".join(response.context["form"].errors["points"])
    assert not PracticeSession.objects.exists()


def test_a_rest_session_not_ticked_for_the_experiment_is_logged_on_its_own(logged_in, user, bl40):
    rest_experiment(user, bl40, schedule="BAAB")
    logged_in.post(reverse("journal:new"), session_data())
    session = PracticeSession.objects.get()
    assert session.rest_only and session.experiment is None


def test_link_session_refuses_a_session_with_points_for_a_rest_place(user, bl40):
    experiment = rest_experiment(user, bl40, schedule="BAAB")
    pressed = PracticeSessionFactory(user=user, points=[bl40])
    with pytest.raises(experiments.SlotTaken):
        experiments.link_session(pressed, experiment.pk, bl40)
    with pytest.raises(experiments.SlotTaken):
        experiments.link_session(pressed, experiment.pk, None)  # not marked as rest
    rested = PracticeSessionFactory(user=user, points=[], rest_only=True)
    experiments.link_session(rested, experiment.pk, None)
    rested.refresh_from_db()
    assert rested.experiment == experiment


def test_a_rest_session_in_an_experiment_stays_rest_when_edited(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40)
    session = PracticeSessionFactory(user=user, points=[], rest_only=True, experiment=experiment)
    response = logged_in.post(reverse("journal:edit", args=[session.pk]), session_data(bl40))
    assert "cannot be changed" in " ".join(response.context["form"].errors["points"])
    logged_in.post(reverse("journal:edit", args=[session.pk]), session_data(after=2))
    session.refresh_from_db()
    assert (session.pain_after, session.rest_only, session.experiment) == (2, True, experiment)


def complete(client, experiment, relief_a, relief_rest):
    """Log every scheduled session through the form; ``relief_*`` are lists used in turn."""
    reliefs = {"A": list(relief_a), "B": list(relief_rest)}
    for _ in experiment.schedule:
        upcoming = experiments.next_session(fresh(experiment))
        relief = reliefs[upcoming.letter].pop(0)
        response = client.post(
            reverse("journal:new"),
            session_data(upcoming.point, before=7, after=7 - relief, count_in_experiment="on"),
        )
        assert response.status_code == 302, response.context["form"].errors


def test_the_result_compares_the_point_with_its_rest_sessions(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40, schedule="ABBABAABBA")
    # Rest sessions outside the experiment do not count.
    PracticeSessionFactory(user=user, points=[], rest_only=True, pain_before=9, pain_after=0)
    complete(logged_in, experiment, relief_a=[3, 4, 3, 4, 3], relief_rest=[1, 2, 1, 2, 1])
    experiment = fresh(experiment)
    assert experiment.status == ExperimentStatus.COMPLETED
    comparison = experiments.result(experiment)
    assert (comparison.a.code, comparison.b.code) == ("BL40", "Rest")
    assert (comparison.a.sessions, comparison.b.sessions) == (5, 5)
    assert comparison.a.mean_relief == pytest.approx(3.4)
    assert comparison.b.mean_relief == pytest.approx(1.4)
    assert comparison.difference == pytest.approx(2.0)
    assert comparison.clear
    # Welch's interval with both SDs 0.5477 and n = 5: 2.0 ± 2.306 × 0.3464.
    assert comparison.interval.low == pytest.approx(2.0 - 0.7988, abs=1e-3)
    assert comparison.interval.high == pytest.approx(2.0 + 0.7988, abs=1e-3)

    html = logged_in.get(experiment.get_absolute_url()).content.decode()
    assert "<h1>BL40 against resting</h1>" in html
    assert "B: Resting for the same time" in html
    assert "BL40 gave 2.0 points more relief than resting for the same time" in html
    assert "(95&nbsp;% interval 1.2 to 2.8)" in html
    assert "B: Rest, logged" in html
    assert "5 with A, 5 resting" in html


def test_resting_can_come_out_ahead(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40, schedule="ABBABAABBA")
    complete(logged_in, experiment, relief_a=[0, 1, 0, 1, 0], relief_rest=[3, 4, 3, 4, 3])
    html = logged_in.get(experiment.get_absolute_url()).content.decode()
    assert "Resting for the same time gave 3.0 points more relief than BL40" in html
    assert "pressing it added nothing to rest alone" in html


def test_an_unclear_result_says_so(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40, schedule="ABBA")
    complete(logged_in, experiment, relief_a=[1, 4], relief_rest=[2, 2])
    comparison = experiments.result(fresh(experiment))
    assert not comparison.clear
    html = logged_in.get(experiment.get_absolute_url()).content.decode()
    assert "Not clear yet whether BL40 adds anything to resting." in html
    assert "BL40 gave 0.5 points more relief than resting for the same time" in html


def test_the_list_and_abandon_pages_name_the_rest_arm(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40, status=ExperimentStatus.ABANDONED)
    PracticeSessionFactory(user=user, points=[], rest_only=True, experiment=experiment)
    html = logged_in.get(reverse("journal:experiment_list")).content.decode()
    assert "BL40 against resting</a>" in html
    assert "abandoned, 1 of 4 sessions logged" in html
    running = rest_experiment(user, bl40)
    html = logged_in.get(reverse("journal:experiment_abandon", args=[running.pk])).content.decode()
    assert "Your test of BL40 against resting will stop" in html


def test_the_session_page_names_the_rest_experiment(logged_in, user, bl40):
    experiment = rest_experiment(user, bl40)
    session = PracticeSessionFactory(user=user, points=[], rest_only=True, experiment=experiment)
    html = logged_in.get(session.get_absolute_url()).content.decode()
    assert "BL40 against resting</a>" in html
