"""Guide pages are cached for visitors and retired the moment the guide content changes."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db.models import F
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory

from acupressure.caching import cache_for_visitors
from acupressure.loader import CONTENT_FILE, load_guides
from acupressure.models import ContentVersion, Point, Routine
from tests.factories import PASSWORD, UserFactory


def test_a_visitor_gets_the_second_view_from_the_cache(client, guides, django_assert_num_queries):
    first = client.get("/guides/bl23/")
    with django_assert_num_queries(1):  # the content version only
        second = client.get("/guides/bl23/")
    assert second.status_code == 200
    assert second.content == first.content


def test_load_guides_with_an_edited_file_changes_the_cached_page(client, guides, tmp_path):
    assert "Kidney Shu" in client.get("/guides/bl23/").text
    edited = tmp_path / "guides.toml"
    edited.write_text(
        CONTENT_FILE.read_text().replace('name_en = "Kidney Shu"', 'name_en = "Kidney Back-Shu"')
    )
    load_guides(edited)
    assert "Kidney Back-Shu" in client.get("/guides/bl23/").text


def test_an_admin_edit_changes_the_cached_page(admin_client, client, guides):
    assert "Kidney Shu" in client.get("/guides/").text
    point = Point.objects.get(code="BL23")
    point.name_en = "Kidney Transport"
    point.save()  # what the admin's change form does
    assert "Kidney Transport" in client.get("/guides/").text


def test_an_admin_routine_edit_changes_the_cached_page(client, guides):
    routine = Routine.objects.public().first()
    assert routine.title in client.get("/guides/routines/").text
    routine.title = "Evening unwind"
    routine.save()
    assert "Evening unwind" in client.get("/guides/routines/").text


def test_an_edit_in_another_process_changes_the_cached_page(client, guides):
    client.get("/guides/bl23/")
    # Another gunicorn worker (no signal reaches this process) saves and bumps the version.
    Point.objects.filter(code="BL23").update(name_en="Kidney Elsewhere")
    ContentVersion.objects.update(number=F("number") + 1)
    assert "Kidney Elsewhere" in client.get("/guides/bl23/").text


def test_logged_in_users_never_get_a_visitors_cached_page(client, guides):
    client.get("/guides/")  # cached for visitors, without the log-out button
    client.force_login(UserFactory())
    assert "Log out" in client.get("/guides/").text


def test_a_logged_in_users_page_is_never_served_to_visitors(client, guides):
    client.force_login(UserFactory(username="maria"))
    client.get("/guides/")
    client.logout()
    response = client.get("/guides/")
    assert "Log out" not in response.text
    assert "maria" not in response.text


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(client, guides):
    client.get("/")
    client.force_login(UserFactory())
    response = client.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "have been deleted" in response.text
    assert "have been deleted" not in client.get("/").text


def _render(request, template: str) -> HttpResponse:
    return HttpResponse(engines["django"].from_string(template).render({}, request))


def _visitor_request():
    request = RequestFactory().get("/guides/")
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_page_carrying_a_csrf_token_is_not_stored(db):
    renders = []

    @cache_for_visitors
    def view(request):
        renders.append(1)
        return _render(request, f"<form>{get_token(request)}</form>")

    view(_visitor_request())
    view(_visitor_request())
    assert len(renders) == 2


def test_a_plain_page_is_rendered_once(db):
    renders = []

    @cache_for_visitors
    def view(request):
        renders.append(1)
        return _render(request, "<p>guide</p>")

    view(_visitor_request())
    assert view(_visitor_request()).content == b"<p>guide</p>"
    assert len(renders) == 1
