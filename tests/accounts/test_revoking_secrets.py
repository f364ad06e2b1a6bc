"""Issue 16, item 10: the keys that work without a password (API tokens, the calendar address and
unsubscribe links) end when the password is reset, and when it is changed with the box ticked."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from journal import revocation
from journal.models import ApiToken, PracticePlan
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a much better pass phrase 42"
CHANGE_URL = "/accounts/password_change/"


class Keys:
    """One user's password-free keys, as their apps and old e-mails hold them."""

    def __init__(self, user):
        self.user = user
        self.plan = PracticePlan.objects.create(
            user=user,
            reminders_on=True,
            reminder_days="MO",
            reminder_time=time(8, 0),
            email_reminders=True,
        )
        _, self.api_token = ApiToken.objects.issue(user, "phone")
        self.feed_url = reverse("calendar_feed", args=[revocation.new_feed_address(self.plan)])
        self.unsubscribe_url = reverse("unsubscribe", args=[self.plan.unsubscribe_token])

    def api_status(self) -> int:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {self.api_token}")
        return api.get("/api/v1/sessions/").status_code

    def statuses(self) -> dict[str, int]:
        """Each key, sent again by a client with no log-in (GET and the mail app's POST)."""
        anonymous = Client(enforce_csrf_checks=True)
        return {
            "api": self.api_status(),
            "feed": anonymous.get(self.feed_url).status_code,
            "unsubscribe GET": anonymous.get(self.unsubscribe_url).status_code,
            "unsubscribe POST": anonymous.post(self.unsubscribe_url).status_code,
        }


WORKING = {"api": 200, "feed": 200, "unsubscribe GET": 200, "unsubscribe POST": 200}
REVOKED = {"api": 401, "feed": 404, "unsubscribe GET": 404, "unsubscribe POST": 404}


@pytest.fixture
def keys(db):
    return Keys(UserFactory(username="ana", email="ana@example.com"))


def still_subscribed(keys) -> bool:
    keys.plan.refresh_from_db()
    return keys.plan.email_reminders


def test_revoke_secrets_ends_every_key_of_that_user_only(keys):
    other = Keys(UserFactory(username="other"))
    revoked = revocation.revoke_secrets(keys.user)
    assert revoked == revocation.Revoked(api_tokens=1, calendar_address=True)
    assert keys.statuses() == REVOKED
    assert still_subscribed(keys)  # the old link did nothing
    assert other.statuses() == WORKING
    plan = PracticePlan.objects.get(user=keys.user)
    assert plan.feed_token_hash is None and plan.feed_token_created_at is None
    assert plan.reminders_on and plan.email_reminders  # reminders themselves carry on


# Password change ---------------------------------------------------------------------------


def change_password(client, **extra):
    return client.post(
        CHANGE_URL,
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            **extra,
        },
        follow=True,
    )


def test_the_change_form_offers_revoking_ticked_and_says_what_it_does(client, keys):
    client.force_login(keys.user)
    page = client.get(CHANGE_URL).text
    assert re.search(r'<input type="checkbox" name="revoke_secrets"[^>]* checked', page)
    assert "revoke my API tokens and give my calendar a new address" in page
    assert "logs you out everywhere else" in page


def test_a_change_with_the_box_ticked_revokes_every_key(client, keys):
    client.force_login(keys.user)
    response = change_password(client, revoke_secrets="on")
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your API tokens are revoked" in response.text
    assert keys.statuses() == REVOKED
    # The person who changed it stays logged in and can make a new address.
    settings_page = client.get(reverse("account_settings")).text
    assert "You have no calendar address" in settings_page


def test_a_change_with_the_box_unticked_keeps_every_key(client, keys):
    client.force_login(keys.user)
    response = change_password(client)
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your API tokens are revoked" not in response.text
    keys.user.refresh_from_db()
    assert keys.user.check_password(NEW_PASSWORD)
    assert keys.statuses() == WORKING


def test_a_failed_change_revokes_nothing(client, keys):
    client.force_login(keys.user)
    response = client.post(
        CHANGE_URL,
        {
            "old_password": "wrong",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "revoke_secrets": "on",
        },
    )
    assert response.status_code == 200
    assert keys.statuses() == WORKING


def test_password_and_revocation_are_saved_together_or_not_at_all(client, keys, monkeypatch):
    def fail(user):
        ApiToken.objects.filter(user=user).delete()
        raise RuntimeError("database went away")

    monkeypatch.setattr(revocation, "revoke_secrets", fail)
    client.raise_request_exception = True
    client.force_login(keys.user)
    with pytest.raises(RuntimeError):
        change_password(client, revoke_secrets="on")
    keys.user.refresh_from_db()
    assert keys.user.check_password(PASSWORD)
    assert keys.api_status() == 200


def test_a_change_logs_out_other_browsers_but_not_this_one(client, keys):
    elsewhere = Client()
    elsewhere.force_login(keys.user)
    assert elsewhere.get("/journal/").status_code == 200
    client.force_login(keys.user)
    change_password(client)
    assert client.get("/journal/").status_code == 200
    assert elsewhere.get("/journal/").status_code == 302


# Password reset ----------------------------------------------------------------------------


def reset_by_email(client, password=NEW_PASSWORD):
    client.post(reverse("password_reset"), {"email": "ana@example.com"})
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session key and redirects
    form = client.get(form_url)
    assert "revokes your API tokens, ends your private calendar address" in form.text
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_a_reset_through_the_emailed_link_always_revokes_every_key(client, keys):
    response = reset_by_email(client)
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "revoked your API tokens, ended your private calendar address" in response.text
    keys.user.refresh_from_db()
    assert keys.user.check_password(NEW_PASSWORD)
    assert keys.statuses() == REVOKED
    assert still_subscribed(keys)


def test_a_refused_reset_revokes_nothing(client, keys):
    response = reset_by_email(client, password="123")
    assert response.status_code == 200
    assert keys.statuses() == WORKING


def test_a_reset_logs_out_every_browser(client, keys):
    elsewhere = Client()
    elsewhere.force_login(keys.user)
    reset_by_email(client)
    assert elsewhere.get("/journal/").status_code == 302


def test_after_a_reset_a_new_address_and_token_work_again(client, keys):
    reset_by_email(client)
    client.post("/accounts/login/", {"username": "ana", "password": NEW_PASSWORD})
    response = client.post(reverse("new_feed_address"))
    new_feed = response.context["feed_url"].removeprefix("http://testserver")
    assert client.get(new_feed).status_code == 200
    assert client.get(keys.feed_url).status_code == 404
    _, raw = ApiToken.objects.issue(keys.user, "laptop")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/sessions/").status_code == 200
