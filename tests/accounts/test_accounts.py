"""Sign up, log in (username or e-mail), log out, passwords, settings, deleting the account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from journal.models import PracticeSession
from tests.factories import PASSWORD, PracticeSessionFactory, UserFactory

User = get_user_model()
NEW_PASSWORD = "a much better pass phrase 42"


def test_sign_up_creates_the_account_logs_in_and_keeps_the_time_zone(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "email": "maria@example.com",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.url == reverse("journal:new")
    user = User.objects.get(username="maria")
    assert user.profile.time_zone == "Europe/Madrid"
    assert client.get("/journal/").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "123", "password2": "123"}, "too short"),
        ({"password2": "something else"}, "didn’t match"),
        ({"time_zone": "Mars/Olympus"}, "not one of the available choices"),
        ({"email": "not an address"}, "valid email address"),
        ({"username": "newbie@example.com"}, "cannot contain “@”"),
    ],
)
def test_sign_up_explains_problems(client, db, overrides, message):
    UserFactory(username="taken", email="taken@example.com")
    data = {
        "username": "newbie",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "time_zone": "UTC",
    }
    data.update(overrides)
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.filter(username__startswith="newbie").exists()


@pytest.mark.parametrize("login_name", ["ana", "ana@example.com", "ANA@example.com"])
def test_log_in_with_username_or_email(client, db, login_name):
    UserFactory(username="ana", email="ana@example.com")
    response = client.post("/accounts/login/", {"username": login_name, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("journal:list")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_an_email_that_is_someone_elses_username_never_reaches_the_new_account(client, db):
    # Issue 16: Carol's username is an e-mail address and she gave no e-mail; a stranger must not
    # be able to claim that address, or "carol@example.org" at log-in would mean the stranger.
    carol = UserFactory(username="carol@example.org", email="")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "stranger",
            "email": "CAROL@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "UTC",
        },
    )
    # Sign-up looks as it does for any address (it does not say the name is in use) ...
    assert response.status_code == 302
    stranger = User.objects.get(username="stranger")
    # ... but the address is not the stranger's, no link is sent, and Carol keeps her log-in.
    assert stranger.email == ""
    assert mail.outbox == []
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "carol@example.org", "password": PASSWORD})
    assert logged_in_user_id(client) == str(carol.pk)


@pytest.mark.parametrize("login_name", ["carol@example.org", "Carol@Example.ORG"])
def test_a_username_that_is_an_email_beats_someone_elses_email(client, db, login_name):
    # Rows made before sign-up refused this: Carol's username is the stranger's e-mail address.
    carol = UserFactory(username="carol@example.org", email="")
    stranger = UserFactory(username="stranger", email="CAROL@example.org", password="other pw 77")

    refused = client.post("/accounts/login/", {"username": login_name, "password": "other pw 77"})
    assert refused.status_code == 200
    assert logged_in_user_id(client) is None

    response = client.post("/accounts/login/", {"username": login_name, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(carol.pk)

    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "stranger", "password": "other pw 77"})
    assert logged_in_user_id(client) == str(stranger.pk)


def test_log_in_goes_back_to_next(client, db):
    UserFactory(username="ana")
    response = client.post(
        "/accounts/login/?next=/journal/new/%3Fpoints%3Dbl23",
        {"username": "ana", "password": PASSWORD, "next": "/journal/new/?points=bl23"},
    )
    assert response.url == "/journal/new/?points=bl23"


def test_wrong_password_is_explained(client, db):
    UserFactory(username="ana")
    response = client.post("/accounts/login/", {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.text


def test_log_out_is_post_only(client, db):
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.url == reverse("home")
    assert client.get("/journal/").status_code == 302


def test_password_change(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_by_email_end_to_end(client, db):
    user = UserFactory(email="ana@example.com")
    response = client.post("/accounts/password_reset/", {"email": "ana@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_looks_the_same_for_unknown_addresses(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_settings_change_the_time_zone_used_for_display(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/settings/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Asia/Tokyo"
    assert "Asia/Tokyo" in client.get("/journal/new/").text


def test_settings_reject_unknown_time_zone(client, db):
    client.force_login(UserFactory())
    response = client.post("/accounts/settings/", {"time_zone": "Nowhere/Land"})
    assert response.status_code == 200
    assert "not one of the available choices" in response.text


def test_delete_account_needs_the_password(client, db):
    user = PracticeSessionFactory().user
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": "wrong"})
    assert "not right" in response.text
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_account_removes_every_session_and_logs_out(client, db):
    user = PracticeSessionFactory().user
    PracticeSessionFactory(user=user)
    other = PracticeSessionFactory()
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.url == reverse("home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert list(PracticeSession.objects.all()) == [other]
    assert client.get("/journal/").status_code == 302


@pytest.mark.parametrize(
    "url", ["/accounts/settings/", "/accounts/delete/", "/accounts/password_change/"]
)
def test_account_pages_need_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
