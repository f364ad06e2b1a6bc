"""Fair A-against-B experiments: the schedule, starting, logging, the result, abandoning."""

import random
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal import experiments
from journal.forms.sessions import PracticeSessionForm
from journal.models import Experiment, ExperimentStatus, PracticeSession
from tests.factories import ExperimentFactory, PointFactory, PracticeSessionFactory


@pytest.fixture
def bl23(db):
    return PointFactory(code="BL23", slug="bl23", name_pinyin="Shenshu")


@pytest.fixture
def li4(db):
    return PointFactory(code="LI4", slug="li4", name_pinyin="Hegu", region="hand")


def session_data(point, before=6, after=4, **extra):
    data = {
        "points": [point.slug],
        "pain_before": str(before),
        "pain_after": str(after),
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "area": "lower-back",
    }
    data.update(extra)
    return data


# The schedule ------------------------------------------------------------------------------


@pytest.mark.parametrize("sessions", range(4, 41, 2))
def test_every_schedule_is_balanced_and_never_drifts_far(sessions):
    rng = random.Random(sessions)
    for _ in range(50):
        schedule = experiments.make_schedule(sessions, rng)
        assert len(schedule) == sessions
        assert schedule.count("A") == schedule.count("B") == sessions // 2
        # Blocks of two or four are each balanced, so A and B never differ by more than two.
        lead = 0
        for letter in schedule:
            lead += 1 if letter == "A" else -1
            assert abs(lead) <= 2, schedule


def test_schedules_are_random_but_reproducible_from_a_seed():
    first = [experiments.make_schedule(10, random.Random(seed)) for seed in range(400)]
    again = [experiments.make_schedule(10, random.Random(seed)) for seed in range(400)]
    assert first == again
    assert len(set(first)) > 50  # many different orders, not a fixed pattern
    starts_with_a = sum(schedule[0] == "A" for schedule in first)
    assert 160 < starts_with_a < 240  # A goes first about half the time
    # Not simply alternating: some schedules repeat a point twice in a row.
    assert any("AA" in schedule or "BB" in schedule for schedule in first)


def test_production_schedules_use_the_system_random_source():
    schedules = {experiments.make_schedule(20) for _ in range(30)}
    assert len(schedules) > 1


@pytest.mark.parametrize("sessions", [0, 1, 3, 11])
def test_an_odd_or_tiny_schedule_is_refused(sessions):
    with pytest.raises(ValueError):
        experiments.make_schedule(sessions, random.Random(1))


def test_the_next_place_reopens_after_a_deletion():
    # ABBA with one A and one B logged: the next place is the second B (index 2).
    assert experiments.next_place("ABBA", {"A": 1, "B": 1}) == 2
    # The first A was deleted, leaving only the B: place 0 (A) is open again.
    assert experiments.next_place("ABBA", {"A": 0, "B": 1}) == 0
    assert experiments.next_place("ABBA", {"A": 2, "B": 2}) is None


# Starting ----------------------------------------------------------------------------------


def test_starting_an_experiment_draws_a_balanced_schedule(logged_in, user, bl23, li4):
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "bl23", "point_b": "li4", "planned_sessions": "10"},
    )
    experiment = Experiment.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == experiment.get_absolute_url()
    assert (experiment.point_a, experiment.point_b) == (bl23, li4)
    assert experiment.status == ExperimentStatus.ACTIVE
    assert len(experiment.schedule) == 10
    assert experiment.schedule.count("A") == 5


def test_the_form_is_prefilled_from_the_compare_page(logged_in, bl23, li4):
    response = logged_in.get(reverse("journal:experiment_new") + "?point_a=bl23&point_b=li4")
    html = response.content.decode()
    assert '<option value="bl23" selected>' in html
    assert '<option value="li4" selected>' in html
    assert '<option value="10" selected>' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"point_a": "bl23", "point_b": "bl23", "planned_sessions": "10"}, "point_b", "different"),
        (
            {"point_a": "bl23", "point_b": "li4", "planned_sessions": "7"},
            "planned_sessions",
            "even",
        ),
        (
            {"point_a": "bl23", "point_b": "li4", "planned_sessions": "400"},
            "planned_sessions",
            "even",
        ),
        ({"point_a": "nope", "point_b": "li4", "planned_sessions": "10"}, "point_a", "not in the"),
        ({"point_a": "", "point_b": "li4", "planned_sessions": "10"}, "point_a", "Choose a point"),
    ],
)
def test_bad_choices_are_explained_and_nothing_starts(logged_in, bl23, li4, data, field, message):
    response = logged_in.post(reverse("journal:experiment_new"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Experiment.objects.exists()


def test_one_experiment_at_a_time(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4)
    response = logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "li4", "point_b": "bl23", "planned_sessions": "10"},
    )
    assert "already have an experiment running" in response.content.decode()
    assert Experiment.objects.count() == 1


def test_the_database_also_allows_only_one_running_experiment(user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExperimentFactory(user=user, point_a=li4, point_b=bl23)
    # Ended ones do not count.
    Experiment.objects.update(status=ExperimentStatus.ABANDONED)
    ExperimentFactory(user=user, point_a=li4, point_b=bl23)


# Logging its sessions ----------------------------------------------------------------------


def test_the_journal_page_says_which_point_is_next(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="BAAB")
    html = logged_in.get(reverse("journal:list")).content.decode()
    assert "next session, use B" in html
    assert "Press only LI4 Hegu" in html
    assert "session 1 of 4" in html


def test_the_log_form_from_the_journal_page_is_prefilled(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="BAAB")
    form = logged_in.get(reverse("journal:new") + "?experiment=next").context["form"]
    assert form.initial["points"] == ["li4"]
    assert form.initial["count_in_experiment"] is True


def test_a_session_with_the_scheduled_point_is_linked(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    response = logged_in.post(
        reverse("journal:new"), session_data(bl23, count_in_experiment="on"), follow=True
    )
    assert "counted in your experiment" in response.content.decode()
    session = PracticeSession.objects.get()
    assert session.experiment == experiment
    html = logged_in.get(reverse("journal:list")).content.decode()
    assert "next session, use B" in html
    assert "session 2 of 4" in html


def test_the_wrong_point_is_refused_and_nothing_is_saved(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    for points in (["li4"], ["bl23", "li4"]):
        data = session_data(bl23, count_in_experiment="on")
        data["points"] = points
        response = logged_in.post(reverse("journal:new"), data)
        assert response.status_code == 200
        assert "press only BL23 Shenshu" in " ".join(response.context["form"].errors["points"])
    assert not PracticeSession.objects.exists()


def test_a_session_not_ticked_for_the_experiment_is_logged_on_its_own(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    logged_in.post(reverse("journal:new"), session_data(li4))
    assert PracticeSession.objects.get().experiment is None


def test_without_a_running_experiment_the_box_is_not_offered(logged_in, user, bl23):
    response = logged_in.get(reverse("journal:new") + "?experiment=next")
    assert "count_in_experiment" not in response.context["form"].fields
    assert "no experiment running" in response.content.decode()
    logged_in.post(reverse("journal:new"), session_data(bl23, count_in_experiment="on"))
    assert PracticeSession.objects.get().experiment is None


def test_a_place_taken_meanwhile_saves_nothing(logged_in, user, bl23, li4):
    """Two tabs: the form was valid for place 1 (A), but another session took it first."""
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    form = PracticeSessionForm(session_data(bl23, count_in_experiment="on"), user=user)
    assert form.is_valid(), form.errors
    other = PracticeSessionFactory(user=user, points=[bl23])
    experiments.link_session(other, experiment.pk, bl23)
    with pytest.raises(experiments.SlotTaken):
        form.save()
    assert PracticeSession.objects.count() == 1


def test_an_experiment_session_keeps_its_point_when_edited(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    session = PracticeSessionFactory(user=user, points=[bl23], experiment=experiment)
    response = logged_in.post(reverse("journal:edit", args=[session.pk]), session_data(li4))
    assert "cannot be changed" in " ".join(response.context["form"].errors["points"])
    logged_in.post(reverse("journal:edit", args=[session.pk]), session_data(bl23, after=1))
    session.refresh_from_db()
    assert session.pain_after == 1
    assert session.experiment == experiment


def complete(client, experiment, relief_a=3, relief_b=1):
    """Log every scheduled session through the form, with the given relief for each point."""
    for _ in experiment.schedule:
        upcoming = experiments.next_session(
            Experiment.objects.select_related("point_a", "point_b").get(pk=experiment.pk)
        )
        relief = relief_a if upcoming.letter == "A" else relief_b
        response = client.post(
            reverse("journal:new"),
            session_data(upcoming.point, before=6, after=6 - relief, count_in_experiment="on"),
        )
        assert response.status_code == 302, response.context["form"].errors


def test_the_last_session_completes_it_and_shows_the_result(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(
        user=user, point_a=bl23, point_b=li4, planned_sessions=10, schedule="ABBABAABBA"
    )
    complete(logged_in, experiment)
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.COMPLETED
    assert experiment.ended_at is not None
    response = logged_in.get(experiment.get_absolute_url())
    html = response.content.decode()
    assert "10 of 10 sessions logged" in html
    assert "Result" in html
    assert "BL23 gave you more relief" in html
    assert "next session" not in html
    # And the journal page no longer asks for a next session.
    assert "Your experiment" not in logged_in.get(reverse("journal:list")).content.decode()


def test_the_result_uses_only_the_experiments_sessions(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(
        user=user, point_a=bl23, point_b=li4, planned_sessions=4, schedule="ABBA"
    )
    # Before the experiment, BL23 did badly and LI4 well: they must not count.
    earlier = timezone.now() - timedelta(days=3)
    for _ in range(6):
        PracticeSessionFactory(user=user, points=[bl23], pain_before=3, pain_after=9)
        PracticeSessionFactory(user=user, points=[li4], pain_before=9, started_at=earlier)
    complete(logged_in, experiment, relief_a=3, relief_b=1)
    comparison = experiments.result(Experiment.objects.get(pk=experiment.pk))
    assert (comparison.a.sessions, comparison.b.sessions) == (2, 2)
    assert comparison.a.mean_relief == 3
    assert comparison.b.mean_relief == 1
    assert comparison.difference == 2


def test_no_result_is_shown_before_the_end(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    logged_in.post(reverse("journal:new"), session_data(bl23, count_in_experiment="on"))
    response = logged_in.get(experiment.get_absolute_url())
    assert response.context["comparison"] is None
    html = response.content.decode()
    assert "1 of 4 sessions logged" in html
    assert "The result appears when all 4 sessions are logged" in html
    # Places still to come do not give the order away.
    assert html.count("To come") == 2


def test_deleting_an_experiment_session_reopens_its_place(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    logged_in.post(reverse("journal:new"), session_data(bl23, count_in_experiment="on"))
    logged_in.post(reverse("journal:new"), session_data(li4, count_in_experiment="on"))
    logged_in.post(reverse("journal:delete", args=[PracticeSession.objects.earliest("pk").pk]))
    upcoming = experiments.next_session(Experiment.objects.get(pk=experiment.pk))
    assert (upcoming.letter, upcoming.number, upcoming.place) == ("A", 2, 1)


# Abandoning --------------------------------------------------------------------------------


def test_abandoning_asks_first_then_stops_it(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(user=user, point_a=bl23, point_b=li4)
    url = reverse("journal:experiment_abandon", args=[experiment.pk])
    assert "Abandon this experiment?" in logged_in.get(url).content.decode()
    experiment.refresh_from_db()
    assert experiment.is_active
    response = logged_in.post(url)
    assert response.url == reverse("journal:experiment_list")
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.ABANDONED
    # A new one can start now.
    logged_in.post(
        reverse("journal:experiment_new"),
        {"point_a": "li4", "point_b": "bl23", "planned_sessions": "4"},
    )
    assert Experiment.objects.filter(user=user).active().count() == 1


def test_an_ended_experiment_cannot_be_abandoned(logged_in, user, bl23, li4):
    experiment = ExperimentFactory(
        user=user, point_a=bl23, point_b=li4, status=ExperimentStatus.COMPLETED
    )
    response = logged_in.post(reverse("journal:experiment_abandon", args=[experiment.pk]))
    assert response.url == experiment.get_absolute_url()
    experiment.refresh_from_db()
    assert experiment.status == ExperimentStatus.COMPLETED


def test_the_list_shows_the_running_and_past_experiments(logged_in, user, bl23, li4):
    ExperimentFactory(user=user, point_a=li4, point_b=bl23, status=ExperimentStatus.ABANDONED)
    ExperimentFactory(user=user, point_a=bl23, point_b=li4, schedule="ABBA")
    html = logged_in.get(reverse("journal:experiment_list")).content.decode()
    assert "next session, use A" in html
    assert "LI4 against BL23" in html
    assert "abandoned, 0 of 4 sessions logged" in html


def test_another_users_experiment_does_not_show_or_count(logged_in, user, bl23, li4):
    ExperimentFactory(point_a=bl23, point_b=li4)  # someone else's
    assert "Your experiment" not in logged_in.get(reverse("journal:list")).content.decode()
    form = logged_in.get(reverse("journal:new")).context["form"]
    assert "count_in_experiment" not in form.fields


def test_the_point_and_compare_pages_offer_an_experiment(logged_in, user, bl23, li4):
    html = logged_in.get(reverse("acupressure:point", args=["bl23"])).content.decode()
    assert reverse("journal:experiment_new") + "?point_a=bl23" in html
    PracticeSessionFactory(user=user, points=[bl23])
    PracticeSessionFactory(user=user, points=[li4])
    html = logged_in.get(reverse("journal:compare") + "?a=bl23&b=li4").content.decode()
    assert reverse("journal:experiment_new") + "?point_a=bl23&amp;point_b=li4" in html


def test_a_session_logged_on_its_own_costs_no_experiment_lookup(logged_in, user, bl23, li4):
    with CaptureQueriesContext(connection) as without:
        logged_in.post(reverse("journal:new"), session_data(bl23))
    ExperimentFactory(user=user, point_a=bl23, point_b=li4)
    with CaptureQueriesContext(connection) as during:
        logged_in.post(reverse("journal:new"), session_data(li4))
    assert len(during.captured_queries) == len(without.captured_queries)
    assert not any("journal_experiment" in q["sql"] for q in during.captured_queries)
    assert PracticeSession.objects.filter(experiment__isnull=False).count() == 0
