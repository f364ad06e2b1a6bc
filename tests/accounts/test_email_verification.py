"""Issue 16 items 4 and 5: e-mail addresses count only once confirmed, and sign-up never says
whether an address already has an account."""

import importlib
import re
import time
from datetime import time as time_of_day
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail

from journal import reminders
from journal.forms.accounts import TOO_MANY_EMAILS_MESSAGE
from journal.models import PracticePlan
from tests.factories import PASSWORD, UserFactory

User = get_user_model()
NEW_PASSWORD = "a much better pass phrase 42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/email/confirm/[^/\s]+/)")


def sign_up(client, username, email):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "UTC",
        },
        follow=True,
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def log_in(client, name, password=NEW_PASSWORD) -> bool:
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": name, "password": password})
    return "_auth_user_id" in client.session


def test_sign_up_address_waits_until_the_link_is_opened(client, db):
    response = sign_up(client, "maria", "Maria@Example.com")
    assert "We e-mailed a link to Maria@Example.com" in response.text
    maria = User.objects.get(username="maria")
    assert maria.email == ""
    assert maria.profile.new_email == "Maria@Example.com"
    assert [m.to for m in mail.outbox] == [["Maria@Example.com"]]
    link = link_in(mail.outbox[0])

    # Until confirmed, the address does nothing: no log-in with it, no password reset.
    assert not log_in(client, "maria@example.com")
    client.post("/accounts/password_reset/", {"email": "maria@example.com"})
    assert len(mail.outbox) == 1

    # Opening the link (as a mail scanner would) only shows a button, and no cache keeps it.
    page = client.get(link)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Yes, confirm this address" in page.text
    maria.refresh_from_db()
    assert maria.email == ""

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Address confirmed" in confirmed.text
    maria.refresh_from_db()
    assert maria.email == "Maria@Example.com"
    assert maria.profile.new_email == ""
    assert log_in(client, "maria@example.com")

    # A link works once.
    again = client.post(link)
    assert again.status_code == 400
    assert "already been used" in again.text


def test_sign_up_with_a_taken_address_looks_the_same_and_tells_the_owner(client, db):
    owner = UserFactory(username="owner", email="owner@example.com")
    new_address = sign_up(client, "first", "fresh@example.com")
    client.post("/accounts/logout/")
    taken_address = sign_up(client, "second", "OWNER@example.com")

    # The same page and the same words, but for the address itself.
    assert new_address.redirect_chain == taken_address.redirect_chain
    said_new = [str(m).replace("fresh@example.com", "X") for m in new_address.context["messages"]]
    said_taken = [
        str(m).replace("OWNER@example.com", "X") for m in taken_address.context["messages"]
    ]
    assert said_new == said_taken
    assert len(said_new) == 2
    # The owner hears about it, with no link that could confirm anything; nobody else gets mail.
    notice = mail.outbox[-1]
    assert notice.to == ["owner@example.com"]
    assert "Someone just tried to use this e-mail address" in notice.body
    assert not LINK.search(notice.body)
    assert "second" not in notice.body
    second = User.objects.get(username="second")
    assert second.email == ""
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"
    assert log_in(client, "owner@example.com", PASSWORD)
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_an_address_taken_after_the_link_was_sent_is_not_confirmed(client, db):
    sign_up(client, "late", "shared@example.com")
    link = link_in(mail.outbox[0])
    UserFactory(username="early", email="SHARED@example.com")
    response = client.post(link)
    assert response.status_code == 400
    assert "already used by another account" in response.text
    assert User.objects.get(username="late").email == ""


def test_reminders_go_only_to_a_confirmed_address(db):
    waiting = UserFactory(email="")
    waiting.profile.new_email = "waiting@example.com"
    waiting.profile.save()
    confirmed = UserFactory(email="confirmed@example.com")
    for user in (waiting, confirmed):
        PracticePlan.objects.create(
            user=user, reminders_on=True, reminder_days="MO", reminder_time=time_of_day(18, 30)
        )
    assert {plan.user for plan in reminders.plans_to_email()} == {confirmed}


def test_an_expired_link_says_so(client, db):
    sign_up(client, "slow", "slow@example.com")
    link = link_in(mail.outbox[0])
    four_days_later = time.time() + 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_later):
        response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.text
    assert User.objects.get(username="slow").email == ""


@pytest.mark.parametrize(
    "token",
    ["x", "a:b:c", "%00", "é" * 300, "abc:1vZ:" + "A" * 43, ":::", "1" * 2000],
)
def test_a_garbled_link_is_a_clear_400(client, db, token):
    for response in (
        client.get(f"/accounts/email/confirm/{token}/"),
        client.post(f"/accounts/email/confirm/{token}/"),
    ):
        assert response.status_code == 400
        assert "not valid" in response.text


def test_change_address_in_settings_needs_the_password_and_a_new_link(client, db):
    user = UserFactory(username="ana", email="ana@example.com")
    client.force_login(user)
    wrong = client.post(
        "/accounts/settings/email/", {"email": "ana@new.example", "password": "nope"}
    )
    assert wrong.status_code == 400
    assert "That password is not right" in wrong.text
    assert mail.outbox == []

    client.post("/accounts/settings/email/", {"email": "ana@new.example", "password": PASSWORD})
    user.refresh_from_db()
    # The old confirmed address stays in use until the new one is confirmed.
    assert user.email == "ana@example.com"
    settings_page = client.get("/accounts/settings/")
    assert "Waiting to be confirmed" in settings_page.text
    assert "ana@new.example" in settings_page.text
    first_link = link_in(mail.outbox[0])

    # Sending again makes the first link stop working.
    client.post("/accounts/settings/email/resend/")
    assert len(mail.outbox) == 2
    assert client.post(first_link).status_code == 400
    assert client.post(link_in(mail.outbox[1])).status_code == 302
    user.refresh_from_db()
    assert user.email == "ana@new.example"


def test_cancel_and_remove(client, db):
    user = UserFactory(email="kept@example.com")
    client.force_login(user)
    client.post("/accounts/settings/email/", {"email": "other@example.com", "password": PASSWORD})
    link = link_in(mail.outbox[0])
    client.post("/accounts/settings/email/cancel/")
    assert client.post(link).status_code == 400
    client.post("/accounts/settings/email/remove/")
    user.refresh_from_db()
    assert user.email == ""
    assert user.profile.new_email == ""


def test_e_mails_to_one_address_are_limited_the_same_for_new_and_taken_addresses(
    client, db, settings
):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 2
    UserFactory(username="owner", email="owner@example.com")
    for address in ("owner@example.com", "nobody@example.com"):
        for number in range(2):
            client.post("/accounts/logout/")
            sign_up(client, f"u{number}{address[0]}", address.upper())
        client.post("/accounts/logout/")
        refused = sign_up(client, f"refused{address[0]}", address)
        assert refused.status_code == 200
        assert TOO_MANY_EMAILS_MESSAGE in refused.text
        assert not User.objects.filter(username=f"refused{address[0]}").exists()
    assert len(mail.outbox) == 4


def test_resend_is_limited_too(client, db, settings):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 2
    user = UserFactory(email="")
    client.force_login(user)
    client.post("/accounts/settings/email/", {"email": "me@example.com", "password": PASSWORD})
    client.post("/accounts/settings/email/resend/")
    response = client.post("/accounts/settings/email/resend/", follow=True)
    assert TOO_MANY_EMAILS_MESSAGE in response.text
    assert len(mail.outbox) == 2


def test_sign_ups_from_one_network_are_limited(client, db, settings):
    settings.SIGNUPS_PER_IP_PER_HOUR = 2
    for number in range(2):
        client.post("/accounts/logout/")
        assert sign_up(client, f"user{number}", "").redirect_chain
    client.post("/accounts/logout/")
    refused = client.post(
        "/accounts/signup/",
        {
            "username": "third",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "UTC",
        },
    )
    assert refused.status_code == 429
    assert "Too many new journals" in refused.text
    assert not User.objects.filter(username="third").exists()


def test_existing_unconfirmed_addresses_wait_for_confirmation_after_the_upgrade(db):
    migration = importlib.import_module("journal.migrations.0007_email_verification")
    member = UserFactory(email="member@example.com")
    admin = UserFactory(email="admin@example.com", is_staff=True)
    migration.hold_unconfirmed_addresses(apps, None)
    member.refresh_from_db()
    admin.refresh_from_db()
    assert member.email == ""
    assert member.profile.new_email == "member@example.com"
    assert admin.email == "admin@example.com"
