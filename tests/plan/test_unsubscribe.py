"""Unsubscribing from reminder e-mails: no log-in, one click (RFC 8058), and only for that user."""

from datetime import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from journal import reminders
from journal.models import PracticePlan
from tests.factories import UserFactory


def subscribed(username: str) -> PracticePlan:
    return PracticePlan.objects.create(
        user=UserFactory(username=username),
        reminders_on=True,
        reminder_days="MO",
        reminder_time=time(8, 0),
        email_reminders=True,
    )


def unsubscribe_url(plan) -> str:
    return reverse("unsubscribe", args=[reminders.unsubscribe_token(plan)])


@pytest.fixture
def plan(db):
    return subscribed("maria")


def still_subscribed(plan) -> bool:
    plan.refresh_from_db()
    return plan.email_reminders


def test_the_link_lives_outside_the_private_areas(plan):
    assert unsubscribe_url(plan).startswith("/reminders/unsubscribe/")


def test_opening_the_link_asks_first_and_changes_nothing(client, plan):
    response = client.get(unsubscribe_url(plan))
    assert response.status_code == 200
    assert "Stop reminder e-mails?" in response.text
    assert '<form method="post">' in response.text
    assert still_subscribed(plan)


def test_confirming_unsubscribes_without_logging_in(client, plan):
    response = client.post(unsubscribe_url(plan))
    assert response.status_code == 200
    assert "Reminder e-mails stopped" in response.text
    assert not still_subscribed(plan)


def test_mail_apps_one_click_post_works_without_cookies_or_csrf_token(plan):
    mail_app = Client(enforce_csrf_checks=True)
    response = mail_app.post(unsubscribe_url(plan), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not still_subscribed(plan)


def test_unsubscribing_keeps_the_reminders_and_the_calendar_feed(client, plan):
    client.post(unsubscribe_url(plan))
    plan.refresh_from_db()
    assert plan.reminders_on
    assert client.get(reverse("calendar_feed", args=[plan.feed_token])).status_code == 200


def test_unsubscribing_twice_is_fine(client, plan):
    client.post(unsubscribe_url(plan))
    assert client.post(unsubscribe_url(plan)).status_code == 200
    assert "already off" in client.get(unsubscribe_url(plan)).text


def test_a_users_link_unsubscribes_only_that_user(client, plan):
    other = subscribed("other")
    client.post(unsubscribe_url(other))
    assert still_subscribed(plan)
    assert not still_subscribed(other)


def test_a_link_opened_while_logged_in_as_someone_else_still_acts_only_on_its_own_user(
    client, plan
):
    other = subscribed("other")
    client.force_login(other.user)
    client.post(unsubscribe_url(plan))
    assert not still_subscribed(plan)
    assert still_subscribed(other)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda plan: reminders.unsubscribe_token(plan)[:-2] + "xx",
        lambda plan: signing.dumps(plan.user_id + 1, salt="something else"),
        lambda plan: signing.dumps(plan.user_id, salt="django.core.signing"),
        lambda plan: signing.dumps(str(plan.user_id), salt=reminders.UNSUBSCRIBE_SALT),
        lambda plan: "not-a-token",
    ],
    ids=["tampered", "other salt", "default salt", "not a number", "junk"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_or_foreign_token_is_404_and_does_nothing(client, plan, make_token, method):
    response = getattr(client, method)(reverse("unsubscribe", args=[make_token(plan)]))
    assert response.status_code == 404
    assert still_subscribed(plan)


def test_a_token_for_a_user_changed_to_another_id_is_refused(client, plan):
    """The signature covers the user id: editing it inside the token breaks the signature."""
    other = subscribed("other")
    token = reminders.unsubscribe_token(plan)
    forged_payload = signing.dumps(other.user_id, salt=reminders.UNSUBSCRIBE_SALT).split(":")[0]
    forged = ":".join([forged_payload, *token.split(":")[1:]])
    assert client.post(reverse("unsubscribe", args=[forged])).status_code == 404
    assert still_subscribed(plan) and still_subscribed(other)


def test_a_deleted_account_link_is_404(client, plan):
    url = unsubscribe_url(plan)
    plan.user.delete()
    assert client.post(url).status_code == 404
