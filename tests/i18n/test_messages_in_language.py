"""E-mails in the recipient's language; the settings and sign-up keep a user's language; the API
answers in the language asked for."""

import re

from django.conf import settings
from django.core import mail
from django.utils import translation

from journal.models import Profile
from tests.plan.test_send_reminders import plan_due_now, run


def spanish(msgid: str, **values) -> str:
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, f"{msgid!r} has no Spanish translation"
    return text % values if values else text


def test_each_reminder_is_written_in_its_recipients_language(db):
    ana = plan_due_now(username="ana")
    Profile.objects.filter(user=ana.user).update(language="es")
    plan_due_now(username="bob")
    assert run() == "2 reminders sent.\n"
    by_recipient = {message.to[0]: message for message in mail.outbox}
    to_ana = by_recipient[ana.user.email]
    title = "Five minutes for the lower back"
    assert to_ana.subject == spanish("Time for acupressure: %(title)s", title=title)
    assert "http://127.0.0.1:8000/es/" in to_ana.body
    to_bob = next(message for to, message in by_recipient.items() if to != ana.user.email)
    assert to_bob.subject == f"Time for acupressure: {title}"
    assert "/es/" not in to_bob.body
    # Sending does not leave the process in the last recipient's language.
    assert translation.get_language() == settings.LANGUAGE_CODE


def test_choosing_spanish_in_settings(logged_in, user):
    response = logged_in.post("/accounts/settings/", {"time_zone": "UTC", "language": "es"})
    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/settings/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert Profile.objects.get(user=user).language == "es"
    page = logged_in.get("/es/accounts/settings/").text
    assert spanish("Settings saved.") in page
    # Every English address now leads to the Spanish page, whatever the browser says.
    assert logged_in.get("/journal/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/es/journal/"


def test_back_to_the_browsers_language(logged_in, user):
    Profile.objects.filter(user=user).update(language="es")
    response = logged_in.post("/es/accounts/settings/", {"time_zone": "UTC", "language": ""})
    assert response["Location"] == "/accounts/settings/"
    assert Profile.objects.get(user=user).language == ""
    assert logged_in.get("/journal/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_an_unknown_language_in_settings_is_refused_with_a_message(logged_in, user):
    response = logged_in.post("/accounts/settings/", {"time_zone": "UTC", "language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Profile.objects.get(user=user).language == ""


def test_signing_up_in_spanish_keeps_spanish_for_the_emails(client, db):
    response = client.post(
        "/es/accounts/signup/",
        {
            "username": "lucia",
            "email": "lucia@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 302, response.text
    assert Profile.objects.get(user__username="lucia").language == "es"
    [message] = mail.outbox
    assert "/es/accounts/email/confirm/" in message.body


def test_password_reset_email_comes_in_the_pages_language(client, user):
    user.email = "reset@example.com"
    user.save()
    client.post("/es/accounts/password_reset/", {"email": "reset@example.com"})
    [message] = mail.outbox
    assert re.search(r"/es/accounts/reset/\S+", message.body)
    assert "Someone (hopefully you)" not in message.body
    assert spanish("Choose a new password here:") in message.body


def test_the_api_answers_in_the_language_asked_for(client, db):
    english = client.get("/api/v1/sessions/").json()
    spanish_answer = client.get("/api/v1/sessions/", HTTP_ACCEPT_LANGUAGE="es").json()
    assert english != spanish_answer
    assert english.keys() == spanish_answer.keys()


def test_password_reset_email_follows_the_owners_setting(client, user):
    user.email = "owner@example.com"
    user.save()
    Profile.objects.filter(user=user).update(language="es")
    client.post("/accounts/password_reset/", {"email": "owner@example.com"})
    [message] = mail.outbox
    assert spanish("Choose a new password here:") in message.body
    assert re.search(r"/es/accounts/reset/\S+", message.body)
