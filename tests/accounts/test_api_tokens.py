"""Personal API tokens: created on the settings pages, shown once, stored hashed, revocable."""

import hashlib
import re

import pytest
from rest_framework.test import APIClient

from journal.models import ApiToken
from tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="maria")


def create_token(client, name="phone") -> str:
    response = client.post("/accounts/tokens/", {"name": name})
    assert response.status_code == 200
    match = re.search(r'id="new-token-value" type="text" value="(aj_[\w-]+)"', response.text)
    assert match, response.text
    return match.group(1)


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def test_settings_link_to_tokens_and_export(logged_in):
    page = logged_in.get("/accounts/settings/").text
    assert 'href="/accounts/tokens/"' in page
    assert 'href="/journal/import/"' in page


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(logged_in, user):
    response = logged_in.post("/accounts/tokens/", {"name": "phone"})
    raw = re.search(r'value="(aj_[\w-]+)"', response.text).group(1)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (user, "phone", raw[:10])
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(value) for value in ApiToken.objects.values().get().values())
    assert raw not in stored

    later = logged_in.get("/accounts/tokens/").text
    assert raw not in later
    assert "phone" in later
    assert f"{raw[:10]}…" in later
    assert "never used" in later


def test_a_token_authenticates_and_records_its_last_use(logged_in, user):
    raw = create_token(logged_in)
    response = token_client(raw).get("/api/v1/sessions/")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/v1/sessions/").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer aj_not-a-real-token", "Bearer", "Bearer two parts", "Token ünïcode"],
)
def test_a_bad_token_is_a_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/sessions/")
    assert response.status_code == 401


def test_a_revoked_token_no_longer_works(logged_in):
    raw = create_token(logged_in)
    token = ApiToken.objects.get()
    response = logged_in.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.url == "/accounts/tokens/"
    assert "Token “phone” revoked." in logged_in.get(response.url).text
    assert not ApiToken.objects.exists()
    assert token_client(raw).get("/api/v1/sessions/").status_code == 401


def test_revoke_needs_post(logged_in):
    create_token(logged_in)
    token = ApiToken.objects.get()
    response = logged_in.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.url == "/accounts/tokens/"
    assert ApiToken.objects.exists()


def test_another_users_token_is_404(client, user):
    theirs, _ = ApiToken.objects.issue(UserFactory(username="them"), "theirs")
    client.force_login(user)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert "theirs" not in client.get("/accounts/tokens/").text


def test_a_deactivated_users_token_is_refused(logged_in, user):
    raw = create_token(logged_in)
    user.is_active = False
    user.save()
    assert token_client(raw).get("/api/v1/sessions/").status_code == 401


def test_a_token_needs_a_name_and_there_is_a_limit(logged_in, user):
    response = logged_in.post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 400
    assert "Give the token a name" in response.text
    for number in range(20):
        ApiToken.objects.issue(user, f"t{number}")
    response = logged_in.post("/accounts/tokens/", {"name": "one more"})
    assert "the most allowed" in response.text
    assert ApiToken.objects.count() == 20


def test_token_pages_need_login(client, db):
    assert client.get("/accounts/tokens/").url.startswith("/accounts/login/")
    assert client.post("/accounts/tokens/1/revoke/").url.startswith("/accounts/login/")
