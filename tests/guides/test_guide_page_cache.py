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


# Issue 16, item 8: only the parameters the point list reads make a page of its own. Anything else
# in the query string (?utm=…) is answered fresh and stored nowhere, so it cannot fill the cache.


def _stored_pages() -> list[str]:
    from django.core.cache import cache

    return [key for key in cache._cache if "guide-page:" in key]  # the local-memory cache's keys


def test_unknown_query_parameters_add_no_cache_entries(client, guides):
    client.get("/guides/")
    client.get("/guides/bl23/")
    assert len(_stored_pages()) == 2
    for number in range(25):
        listing = client.get(f"/guides/?utm_source={number}")
        detail = client.get(f"/guides/bl23/?utm={number}")
        search = client.get(f"/guides/?q=BL23&utm={number}")
        assert listing.status_code == detail.status_code == search.status_code == 200
        assert "Kidney Shu" in listing.text
        assert "Kidney Shu" in detail.text
        assert "Kidney Shu" in search.text
        assert "found for “BL23”" in search.text
    assert client.get("/guides/?q=BL23&q=CV6").status_code == 200  # a form never repeats q
    assert len(_stored_pages()) == 2


def test_search_variants_that_render_the_same_page_share_one_entry(
    client, guides, django_assert_num_queries
):
    first = client.get("/guides/?q=BL23")
    assert "found for “BL23”" in first.text
    assert len(_stored_pages()) == 1
    # The view strips spaces and NULs: these pages are the same page, byte for byte.
    for variant in ["/guides/?q=%20BL23%20", "/guides/?q=BL23%00", "/guides/?q=BL23&region="]:
        with django_assert_num_queries(1):  # the content version only: served from the cache
            assert client.get(variant).content == first.content
    assert len(_stored_pages()) == 1


def test_a_search_in_another_case_is_its_own_entry(client, guides):
    upper = client.get("/guides/?q=BL23")
    lower = client.get("/guides/?q=bl23")
    # The same point is found, but the search box and the status line show what was typed, so
    # the two pages differ and must not share an entry.
    assert "Kidney Shu" in upper.text and "Kidney Shu" in lower.text
    assert 'value="bl23"' in lower.text
    assert 'value="BL23"' in upper.text
    assert len(_stored_pages()) == 2


def test_a_long_search_is_keyed_on_the_100_characters_the_view_reads(client, guides):
    words = "back " * 19 + "pains"
    assert len(words) == 100
    first = client.get("/guides/", {"q": words})
    longer = client.get("/guides/", {"q": words + " and more words"})
    assert longer.content == first.content
    assert len(_stored_pages()) == 1


def test_a_known_region_is_cached_and_an_unknown_one_is_not(client, guides):
    region = client.get("/guides/?region=lower-back")
    assert "Kidney Shu" in region.text
    assert "Yongquan" not in region.text  # KI1, on the foot
    assert len(_stored_pages()) == 1
    for number in range(10):
        unknown = client.get(f"/guides/?region=moon{number}")
        assert unknown.status_code == 200
        assert "Kidney Shu" in unknown.text and "Yongquan" in unknown.text  # every point
    assert len(_stored_pages()) == 1
