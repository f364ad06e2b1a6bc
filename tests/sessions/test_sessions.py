"""Logging, listing, viewing, editing and deleting sessions."""

from datetime import timedelta
from datetime import timezone as dt_timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.models import PracticeSession, SessionPoint
from tests.factories import PointFactory, PracticeSessionFactory, UserFactory


@pytest.fixture
def points(db):
    return [
        PointFactory(code="BL23", slug="bl23", region="lower-back"),
        PointFactory(code="LI4", slug="li4", region="hand"),
    ]


def session_data(**overrides):
    data = {
        "points": ["bl23"],
        "pain_before": "7",
        "pain_after": "4",
        "area": "lower-back",
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "seconds": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_new_session_form_groups_points_by_region(logged_in, points):
    response = logged_in.get("/journal/new/")
    assert response.status_code == 200
    groups = response.context["form"].points_by_region()
    assert [label for label, _ in groups] == ["Lower back", "Hand"]
    assert 'type="radio" name="pain_before" value="10"' in response.text


def test_logging_a_session_saves_it_with_its_points_and_redirects(logged_in, user, points):
    response = logged_in.post(
        "/journal/new/", session_data(points=["bl23", "li4"], seconds="90", notes="Felt warm")
    )
    session = PracticeSession.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("journal:list") + f"?saved={session.pk}"
    assert session.user == user
    assert (session.pain_before, session.pain_after, session.notes) == (7, 4, "Felt warm")
    assert [(sp.point.code, sp.seconds, sp.position) for sp in session.session_points.all()] == [
        ("BL23", 90, 0),
        ("LI4", 90, 1),
    ]
    # The journal, not a confirmation page: the new session with an undo button.
    follow = logged_in.get(response.url)
    assert "Session saved." in follow.text
    assert follow.context["just_saved"] == session
    delete = reverse("journal:delete", args=[session.pk])
    assert f'action="{delete}"' in follow.text
    assert "Undo: delete this session" in follow.text


def test_undo_deletes_the_new_session_at_once(logged_in, user, points):
    logged_in.post("/journal/new/", session_data(points=["bl23"]))
    session = PracticeSession.objects.get()
    response = logged_in.post(reverse("journal:delete", args=[session.pk]), {"undo": "1"})
    assert response.url == reverse("journal:list")
    assert not PracticeSession.objects.exists()
    assert "Undone: that session is deleted." in logged_in.get(response.url).text


@pytest.mark.parametrize("saved", ["", "abc", "١٢", "9" * 40, "-1", "0"])
def test_a_made_up_saved_number_just_shows_the_journal(logged_in, user, points, saved):
    response = logged_in.get(reverse("journal:list"), {"saved": saved})
    assert response.status_code == 200
    assert response.context["just_saved"] is None


def test_undo_is_offered_only_for_ones_own_recent_session(logged_in, user, points):
    other = PracticeSessionFactory(points=[points[0]])
    mine = PracticeSessionFactory(user=user, points=[points[0]])
    for session in (other, mine):
        response = logged_in.get(reverse("journal:list"), {"saved": session.pk})
        assert response.context["just_saved"] == (session if session == mine else None)
    PracticeSession.objects.filter(pk=mine.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    response = logged_in.get(reverse("journal:list"), {"saved": mine.pk})
    assert response.context["just_saved"] is None


def test_log_the_same_again_ticks_the_points_and_area(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[1], points[0]], area="neck")
    form = logged_in.get(reverse("journal:new"), {"again": session.pk}).context["form"]
    assert form.initial["points"] == [points[1].slug, points[0].slug]
    assert form.initial["area"] == "neck"
    assert not form.initial["rest_only"]


@pytest.mark.parametrize("again", ["nope", "99999999", "9" * 40])
def test_log_the_same_again_with_an_unknown_session_explains_and_fills_nothing(
    logged_in, user, points, again
):
    response = logged_in.get(reverse("journal:new"), {"again": again})
    assert response.status_code == 200
    assert "points" not in response.context["form"].initial
    assert "could not find that session" in response.text


def test_log_the_same_again_never_reads_another_users_session(logged_in, points):
    other = PracticeSessionFactory(points=[points[0]])
    response = logged_in.get(reverse("journal:new"), {"again": other.pk})
    assert "points" not in response.context["form"].initial
    assert "could not find that session" in response.text


def test_prefill_from_query_ticks_known_points_and_warns_about_unknown(logged_in, points):
    response = logged_in.get("/journal/new/?points=bl23,LI4,zz99")
    form = response.context["form"]
    assert form.initial["points"] == ["bl23", "li4"]
    assert 'value="bl23" id="id_points_0" checked' in response.text.replace("\n", "")
    assert "Not in the guides, so not ticked: zz99" in response.text


def test_time_defaults_to_now_in_the_users_time_zone(client, points):
    user = UserFactory()
    user.profile.time_zone = "Pacific/Auckland"
    user.profile.save()
    client.force_login(user)
    response = client.get("/journal/new/")
    initial = response.context["form"].initial["started_at"]
    assert str(initial.tzinfo) == "Pacific/Auckland"
    assert abs(initial - timezone.now()) < timedelta(minutes=2)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"points": []}, "points", "Choose at least one point"),
        ({"points": ["zz99"]}, "points", "is not a point in the guides"),
        ({"pain_before": "11"}, "pain_before", "whole number from 0 to 10"),
        ({"pain_before": "-1"}, "pain_before", "whole number from 0 to 10"),
        ({"pain_after": "4.5"}, "pain_after", "whole number from 0 to 10"),
        ({"pain_after": ""}, "pain_after", "Choose a number from 0"),
        ({"area": "elbow"}, "area", "Choose one of the areas"),
        ({"started_at": "yesterday"}, "started_at", "Enter a date and time"),
        ({"notes": "x" * 2001}, "notes", "at most 2000 characters"),
        ({"notes": "bad\x00byte"}, "notes", "Null characters are not allowed"),
        ({"seconds": "3601"}, "seconds", "At most 3,600 seconds"),
        ({"seconds": "-5"}, "seconds", "cannot be negative"),
        ({"seconds": "ten"}, "seconds", "Enter whole seconds"),
    ],
)
def test_invalid_input_is_explained_next_to_the_field_and_nothing_is_saved(
    logged_in, points, overrides, field, message
):
    response = logged_in.post("/journal/new/", session_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing has been saved yet" in response.text
    assert not PracticeSession.objects.exists()
    assert not SessionPoint.objects.exists()


def test_time_more_than_five_minutes_ahead_is_rejected(logged_in, points):
    later = (timezone.localtime() + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    response = logged_in.post("/journal/new/", session_data(started_at=later))
    assert "in the future" in response.context["form"].errors["started_at"][0]
    assert not PracticeSession.objects.exists()


def test_time_a_few_minutes_ahead_is_allowed_for_clock_drift(logged_in, points):
    soon = (timezone.localtime() + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    logged_in.post("/journal/new/", session_data(started_at=soon))
    assert PracticeSession.objects.count() == 1


def test_session_and_points_are_written_in_one_transaction(logged_in, points, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SessionPoint.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        logged_in.post("/journal/new/", session_data())
    assert not PracticeSession.objects.exists()


def test_list_shows_newest_first_with_points_and_relief(logged_in, user, points):
    older = PracticeSessionFactory(
        user=user, points=[points[0]], started_at=timezone.now() - timedelta(days=2)
    )
    newer = PracticeSessionFactory(user=user, points=points, pain_before=5, pain_after=7)
    response = logged_in.get("/journal/")
    assert list(response.context["page"]) == [newer, older]
    assert "BL23, LI4" in response.text
    assert "2 points worse" in response.text
    assert "2 points better" in response.text


def test_list_paginates_25_a_page(logged_in, user, points):
    PracticeSessionFactory.create_batch(30, user=user, points=[points[0]])
    first = logged_in.get("/journal/")
    assert len(first.context["page"]) == 25
    second = logged_in.get("/journal/?page=2")
    assert len(second.context["page"]) == 5
    assert logged_in.get("/journal/?page=99").context["page"].number == 2


def test_list_filters_combine(logged_in, user, points):
    now = timezone.now()
    match = PracticeSessionFactory(
        user=user, points=[points[1]], area="neck", started_at=now - timedelta(days=1)
    )
    PracticeSessionFactory(
        user=user, points=[points[1]], area="lower-back", started_at=now - timedelta(days=1)
    )
    PracticeSessionFactory(
        user=user, points=[points[0]], area="neck", started_at=now - timedelta(days=1)
    )
    PracticeSessionFactory(
        user=user, points=[points[1]], area="neck", started_at=now - timedelta(days=30)
    )
    day = timezone.localdate(now - timedelta(days=1)).isoformat()
    response = logged_in.get(
        "/journal/", {"point": "li4", "area": "neck", "date_from": day, "date_to": day}
    )
    assert list(response.context["page"]) == [match]
    assert "1 session matches your filters" in response.text


def test_date_filter_uses_the_users_time_zone(client, points):
    user = UserFactory()
    user.profile.time_zone = "America/New_York"
    user.profile.save()
    client.force_login(user)
    # 02:30 UTC on 10 March is still 9 March in New York.
    started = timezone.datetime(2026, 3, 10, 2, 30, tzinfo=dt_timezone.utc)
    session = PracticeSessionFactory(user=user, points=[points[0]], started_at=started)
    assert list(
        client.get("/journal/", {"date_from": "2026-03-09", "date_to": "2026-03-09"}).context[
            "page"
        ]
    ) == [session]
    assert list(client.get("/journal/", {"date_from": "2026-03-10"}).context["page"]) == []


def test_bad_filter_values_are_explained_not_a_server_error(logged_in, user, points):
    PracticeSessionFactory(user=user, points=[points[0]])
    response = logged_in.get(
        "/journal/", {"point": "nope", "date_from": "2026-13-45", "date_to": "2020-01-01"}
    )
    assert response.status_code == 200
    errors = response.context["filter_form"].errors
    assert "point" in errors and "date_from" in errors


def test_empty_journal_says_what_to_do_first(logged_in):
    response = logged_in.get("/journal/")
    assert "Your journal is empty" in response.text
    assert reverse("journal:new") in response.text


def test_list_query_count_does_not_grow_with_sessions(logged_in, user, points):
    PracticeSessionFactory.create_batch(3, user=user, points=points)
    with CaptureQueriesContext(connection) as few:
        logged_in.get("/journal/")
    PracticeSessionFactory.create_batch(300, user=user, points=points)
    with CaptureQueriesContext(connection) as many:
        logged_in.get("/journal/")
    # Login session, user, count, weekly goal (2), running experiment, filter points, filter
    # factors, page, points, factors.
    assert len(few.captured_queries) <= 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_session_page_shows_everything(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=points, notes="Warm <b>hands</b>")
    response = logged_in.get(session.get_absolute_url())
    assert "BL23" in response.text and "LI4" in response.text
    assert "6 / 10" in response.text and "4 / 10" in response.text
    assert "Warm &lt;b&gt;hands&lt;/b&gt;" in response.text
    assert "not rated yet" in response.text


def test_editing_changes_the_session_and_its_points(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    url = reverse("journal:edit", args=[session.pk])
    assert list(logged_in.get(url).context["form"]["points"].value()) == ["bl23"]
    response = logged_in.post(url, session_data(points=["li4"], pain_after="2"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pain_after == 2
    assert [sp.point.code for sp in session.session_points.all()] == ["LI4"]


def test_editing_without_seconds_keeps_each_points_own_seconds(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[])
    SessionPoint.objects.create(session=session, point=points[0], position=0, seconds=30)
    SessionPoint.objects.create(session=session, point=points[1], position=1, seconds=90)
    logged_in.post(reverse("journal:edit", args=[session.pk]), session_data(points=["bl23", "li4"]))
    assert list(session.session_points.values_list("seconds", flat=True)) == [30, 90]


def test_follow_up_rating_can_be_added_later(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = logged_in.post(reverse("journal:follow_up", args=[session.pk]), {"pain_later": "3"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pain_later == 3


def test_invalid_follow_up_is_explained(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = logged_in.post(reverse("journal:follow_up", args=[session.pk]), {"pain_later": "12"})
    assert response.status_code == 400
    assert "whole number from 0 to 10" in response.text
    session.refresh_from_db()
    assert session.pain_later is None


def test_follow_up_address_opened_directly_leads_to_the_session_page(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = logged_in.get(reverse("journal:follow_up", args=[session.pk]))
    assert response.url == session.get_absolute_url()


def test_delete_asks_first_then_deletes_on_post(logged_in, user, points):
    session = PracticeSessionFactory(user=user, points=[points[0]])
    url = reverse("journal:delete", args=[session.pk])
    assert "Delete this session?" in logged_in.get(url).text
    assert PracticeSession.objects.exists()
    response = logged_in.post(url)
    assert response.url == reverse("journal:list")
    assert not PracticeSession.objects.exists()
    assert not SessionPoint.objects.exists()


def test_an_unreadable_time_is_not_echoed_into_the_date_picker(logged_in, points):
    response = logged_in.post("/journal/new/", session_data(started_at="<script>"))
    assert "Enter a date and time" in response.text
    assert 'value="&lt;script&gt;"' not in response.text


ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT+12"]


def user_in(zone: str):
    user = UserFactory()
    user.profile.time_zone = zone
    user.profile.save()
    return user


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_from": "1899-12-31"},
        {"date_to": "2101-01-01"},
    ],
)
def test_dates_outside_1900_to_2100_are_explained_not_a_server_error(client, points, zone, query):
    client.raise_request_exception = False
    client.force_login(user_in(zone))
    response = client.get("/journal/", query)
    assert response.status_code == 200
    errors = response.context["filter_form"].errors
    assert set(errors) == set(query)
    assert all(message == ["Choose a date between 1900 and 2100."] for message in errors.values())


@pytest.mark.parametrize("zone", ZONES)
def test_the_first_and_last_days_of_the_range_work_in_every_zone(client, points, zone):
    client.force_login(user := user_in(zone))
    session = PracticeSessionFactory(user=user, points=[points[0]])
    response = client.get("/journal/", {"date_from": "1900-01-01", "date_to": "2100-12-31"})
    assert response.status_code == 200
    assert not response.context["filter_form"].errors
    assert list(response.context["page"]) == [session]
