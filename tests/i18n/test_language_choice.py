"""Which language a page is in: the address, then the user's setting, the cookie, the browser."""

import re

import pytest
from django.conf import settings
from django.test import Client

from journal.models import Profile

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_english_addresses_stay_as_they_are(client, guides):
    response = client.get("/guides/bl23/")
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"
    assert "A pair of spots on the lower back" in response.text


def test_spanish_pages_live_under_es(client, guides):
    response = client.get("/es/guides/bl23/")
    assert response.status_code == 200
    assert html_lang(response) == "es"
    assert "Shu del Riñón" in response.text
    assert "A pair of spots on the lower back" not in response.text


def test_a_browser_asking_for_spanish_is_sent_to_the_spanish_address(client, guides):
    response = client.get("/guides/bl23/?from=home", **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/es/guides/bl23/?from=home"
    assert "Accept-Language" in response["Vary"]


def test_a_browser_asking_for_a_language_we_lack_gets_english(client, guides):
    response = client.get("/guides/", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.8")
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


def test_the_language_cookie_beats_the_browser(client, guides):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    response = client.get("/guides/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


def test_the_address_beats_every_preference(client, guides):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert html_lang(client.get("/es/guides/")) == "es"


def test_machine_addresses_have_no_language_prefix(client, db):
    assert client.get("/es/healthz").status_code == 404
    assert client.get("/es/api/v1/sessions/").status_code == 404
    assert client.get("/healthz", **SPANISH_BROWSER).status_code == 200


def test_a_visitor_switches_language_without_a_csrf_token(guides):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/i18n/setlang/", {"language": "es", "next": "/guides/bl23/"})
    assert response.status_code == 302
    assert response["Location"] == "/es/guides/bl23/"
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    back = visitor.post("/i18n/setlang/", {"language": "en-gb", "next": "/es/guides/bl23/"})
    assert back["Location"] == "/guides/bl23/"
    assert html_lang(visitor.get("/guides/bl23/", **SPANISH_BROWSER)) == "en-gb"


def test_switching_to_an_unknown_language_changes_nothing(client, guides):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/guides/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_setlang_only_takes_posts(client, db):
    assert client.get("/i18n/setlang/?language=es").status_code == 405


def test_a_logged_in_switch_needs_the_csrf_token_and_is_saved(user, guides):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post("/i18n/setlang/", {"language": "es", "next": "/journal/"})
    assert refused.status_code == 403
    assert Profile.objects.get(user=user).language == ""

    page = browser.get("/journal/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        "/i18n/setlang/",
        {"language": "es", "next": "/journal/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/es/journal/"
    assert Profile.objects.get(user=user).language == "es"
    # The setting now beats the browser, on every address without a prefix.
    assert browser.get("/journal/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/es/journal/"


def test_the_users_setting_beats_cookie_and_browser(client, user, guides):
    Profile.objects.filter(user=user).update(language="es")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    response = client.get("/journal/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/es/journal/"
    assert html_lang(client.get("/es/journal/")) == "es"


def test_a_user_without_a_setting_follows_the_browser(client, user, guides):
    client.force_login(user)
    assert client.get("/journal/", **SPANISH_BROWSER)["Location"] == "/es/journal/"
    assert client.get("/journal/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_a_post_to_an_english_address_is_answered_not_redirected(client, user, guides):
    """A form posted from an old page must not lose its data to a redirect."""
    Profile.objects.filter(user=user).update(language="es")
    client.force_login(user)
    response = client.post("/journal/new/", {"pain_before": "x"})
    assert response.status_code == 200
    assert html_lang(response) == "en-gb"


@pytest.mark.parametrize("path", ["/guides/bl23/", "/guides/", "/safety/", "/"])
def test_guide_pages_carry_hreflang_alternates(client, guides, path):
    page = client.get(path).text
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{path}">' in page
    assert f'<link rel="alternate" hreflang="es" href="http://testserver/es{path}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">' in page


def test_the_visitor_page_cache_keeps_each_language_apart(client, guides):
    english = client.get("/guides/bl23/").text
    spanish = client.get("/es/guides/bl23/").text
    assert "Shu del Riñón" in spanish and "Shu del Riñón" not in english
    assert client.get("/guides/bl23/").text == english
    assert client.get("/es/guides/bl23/").text == spanish


def test_the_offline_copy_is_kept_in_the_visitors_language(client, guides):
    spanish = client.get("/sw.js", **SPANISH_BROWSER).text
    english = client.get("/sw.js").text
    assert '"/es/guides/bl23/"' in spanish and '"/guides/bl23/"' not in spanish
    assert '"/guides/bl23/"' in english and "/es/" not in english
