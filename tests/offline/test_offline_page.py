"""The offline page says what still works without a connection, and log-out tells the browser to
empty what the site kept on it."""

from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, UserFactory


def test_the_offline_page_says_what_still_works(client, guides):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>No connection</h1>" in html
    assert 'href="/guides/"' in html
    assert 'href="/guides/routines/lower-back-five-minutes/play/"' in html
    assert 'href="/safety/"' in html
    assert "What needs a connection" in html


def test_log_out_clears_the_browsers_copy_of_the_site(client, db):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session


def test_deleting_the_account_clears_the_browsers_copy_too(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not get_user_model().objects.filter(pk=user.pk).exists()


def test_a_wrong_password_on_delete_clears_nothing(client, db):
    client.force_login(UserFactory())
    response = client.post("/accounts/delete/", {"password": "not it"})
    assert response.status_code == 200
    assert "Clear-Site-Data" not in response
