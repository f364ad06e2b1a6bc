"""A page that shows someone's data is never kept in a browser's or a proxy's cache (issue 16,
item 9): after log-out, Back or the browser's history must not bring it back. Every private URL that
test_isolation discovers is checked, so a new one is covered without editing this file, and so are
the pages opened by a token in the address. The public guide pages stay cacheable for visitors.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from journal import revocation
from journal.models import PracticePlan

from .factories import UserFactory
from .test_isolation import PATTERNS, create_owned, url_for

OWNER_TOKEN = "owner-token"  # the raw token behind test_isolation's ApiToken


def assert_no_store(response, url: str) -> None:
    assert response.status_code < 500, url
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control, f"{url} ({response.status_code}): {cache_control!r}"
    assert "private" in cache_control, url


@pytest.fixture
def owner(db):
    owner = UserFactory(username="owner")
    create_owned(owner)
    return owner


def test_the_check_sees_the_pages_named_in_the_issue():
    names = {param.values[0] for param in PATTERNS}
    assert {"journal:list", "journal:report", "api:session-list", "api:insights"} <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS)
def test_every_private_url_is_no_store_for_its_owner(client, owner, name, pattern):
    url = url_for(name, pattern)
    client.force_login(owner)
    assert_no_store(client.get(url), url)


@pytest.mark.parametrize(
    ("name", "pattern"), [param for param in PATTERNS if param.values[0].startswith("api:")]
)
def test_every_private_api_url_is_no_store_with_a_token(owner, name, pattern):
    # DRF reads the token inside the view, after the middleware has seen an anonymous request.
    url = url_for(name, pattern)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {OWNER_TOKEN}")
    response = api.get(url)
    assert response.status_code != 401, url
    assert_no_store(response, url)


def test_the_pages_opened_by_a_token_in_the_address_are_no_store(client, owner):
    plan = PracticePlan.objects.create(user=owner, email_reminders=True)
    feed = reverse("calendar_feed", args=[revocation.new_feed_address(plan)])
    unsubscribe = reverse("unsubscribe", args=[plan.unsubscribe_token])
    for url in (feed, unsubscribe):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_store(response, url)


def test_a_guide_page_is_no_store_for_a_logged_in_user(client, owner, guides):
    client.force_login(owner)
    assert_no_store(client.get("/guides/bl23/"), "/guides/bl23/")


def test_a_guide_page_stays_cacheable_for_visitors(client, guides, django_assert_num_queries):
    first = client.get("/guides/bl23/")
    assert "no-store" not in first.get("Cache-Control", "")
    with django_assert_num_queries(1):  # still served from the guide-page cache
        second = client.get("/guides/bl23/")
    assert "no-store" not in second.get("Cache-Control", "")
    assert second.content == first.content
