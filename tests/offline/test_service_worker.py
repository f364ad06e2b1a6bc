"""The service worker at /sw.js: its headers, and the list of pages and files it keeps for offline
use, which comes from the guide content and changes version when a guide is edited."""

import json

from acupressure.models import Point
from tests.factories import RoutineFactory, UserFactory


def worker_config(client) -> dict:
    script = client.get("/sw.js").text
    start = script.index("const CONFIG = ") + len("const CONFIG = ")
    return json.JSONDecoder().raw_decode(script[start:])[0]


def test_the_worker_is_served_for_the_whole_site_and_never_stale(client, guides):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"


def test_the_worker_keeps_every_guide_routine_timer_and_the_offline_page(client, guides):
    precache = worker_config(client)["precache"]
    for point in Point.objects.all():
        assert f"/guides/{point.slug}/" in precache
    for page in [
        "/",
        "/safety/",
        "/offline/",
        "/guides/",
        "/guides/routines/",
        "/guides/routines/lower-back-five-minutes/",
        "/guides/routines/lower-back-five-minutes/play/",
    ]:
        assert page in precache
    for file in [
        "/static/css/site.css",
        "/static/pico/pico.min.css",
        "/static/js/strings.js",
        "/static/js/player.js",
        "/static/js/offline-queue.js",
        "/static/js/offline-log.js",
    ]:
        assert file in precache
    assert "/static/icons/icon-512.png" in precache


def test_every_kept_page_and_file_answers(client, guides):
    for url in worker_config(client)["precache"]:
        if url.startswith("/static/"):
            continue  # served by whitenoise or runserver, not the test client
        assert client.get(url).status_code == 200, url


def test_the_worker_keeps_no_journal_page(client, guides):
    config = worker_config(client)
    assert config["offlinePage"] == "/offline/"
    assert not [url for url in config["precache"] if url.startswith(("/journal/", "/accounts/"))]


def test_the_worker_keeps_no_ones_own_routine(client, guides):
    routine = RoutineFactory(title="My secret routine")
    script = client.get("/sw.js").text
    assert routine.get_absolute_url() not in script
    assert "secret" not in script


def test_a_logged_in_person_gets_the_same_worker_as_a_visitor(client, guides):
    as_visitor = worker_config(client)
    client.force_login(UserFactory())
    assert worker_config(client) == as_visitor


def test_an_edited_guide_gives_the_worker_a_new_version(client, guides):
    before = worker_config(client)["version"]
    point = Point.objects.get(code="BL23")
    point.name_en = "Kidney Transport"
    point.save()
    assert worker_config(client)["version"] != before


def test_the_version_stays_the_same_while_nothing_changes(client, guides):
    assert worker_config(client)["version"] == worker_config(client)["version"]
