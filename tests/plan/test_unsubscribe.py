"""Unsubscribing from reminder e-mails: no log-in, one click (RFC 8058), and only for that user.
The link carries a random token, not the user id, and revoking it ends every older link."""

from datetime import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from journal import revocation
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
    return reverse("unsubscribe", args=[plan.unsubscribe_token])


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
    feed_token = revocation.new_feed_address(plan)
    client.post(unsubscribe_url(plan))
    plan.refresh_from_db()
    assert plan.reminders_on
    assert client.get(reverse("calendar_feed", args=[feed_token])).status_code == 200


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


OLD_SALT = "journal.reminders.unsubscribe"  # the links e-mailed before issue 16


@pytest.mark.parametrize(
    "make_token",
    [
        lambda plan: plan.unsubscribe_token[:-2] + "xx",
        lambda plan: signing.dumps(plan.user_id, salt=OLD_SALT),
        lambda plan: signing.dumps(plan.user_id, salt="django.core.signing"),
        lambda plan: str(plan.user_id),
        lambda plan: "not-a-token",
        lambda plan: "a" * 65,
    ],
    ids=["tampered", "old signed link", "default salt", "user id", "junk", "too long"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_old_or_foreign_token_is_404_and_does_nothing(client, plan, make_token, method):
    response = getattr(client, method)(reverse("unsubscribe", args=[make_token(plan)]))
    assert response.status_code == 404
    assert "This unsubscribe link does not work" in response.text
    assert "Settings" in response.text
    assert still_subscribed(plan)


def test_the_token_is_random_and_says_nothing_about_the_account(plan):
    other = subscribed("other")
    assert len(plan.unsubscribe_token) >= 43
    assert plan.unsubscribe_token != other.unsubscribe_token
    with pytest.raises(signing.BadSignature):
        signing.loads(plan.unsubscribe_token, salt=OLD_SALT)


@pytest.mark.parametrize("method", ["get", "post"])
def test_after_revoking_the_old_link_is_404_and_the_new_one_works(client, plan, method):
    old = unsubscribe_url(plan)
    revocation.revoke_secrets(plan.user)
    plan.refresh_from_db()
    assert unsubscribe_url(plan) != old
    assert getattr(client, method)(old).status_code == 404
    assert still_subscribed(plan)
    assert getattr(client, method)(unsubscribe_url(plan)).status_code == 200


def test_a_deleted_account_link_is_404(client, plan):
    url = unsubscribe_url(plan)
    plan.user.delete()
    assert client.post(url).status_code == 404
