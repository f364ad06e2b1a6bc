"""A new user on a phone: sign up, log sessions from a point page, edit, delete, log out and in."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from journal.models import PracticeSession

from .conftest import PHONE, check_page

PASSWORD = "a long and quiet river 7"


def log_session(page, before: str, after: str):
    page.locator(f"label[for=id_pain_before_{before}]").click()
    page.locator(f"label[for=id_pain_after_{after}]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))


def test_sign_up_and_log_sessions_on_a_phone(live_server, guides, page_at, axe):
    page = page_at(PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    check_page(page, axe, "journal-signup-375")
    page.get_by_label("Username").fill("phoneuser")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()
    page.wait_for_url("**/journal/new/")

    # From a point page, the "log a session" button ticks that point.
    page.goto(live_server.url + "/guides/bl40/")
    page.get_by_role("button", name="Log a session with this point").click()
    page.wait_for_url("**/journal/new/?points=bl40")
    assert page.locator("#id_points input[value=bl40], input[value=bl40]").first.is_checked()
    check_page(page, axe, "journal-new-375")
    log_session(page, "7", "4")
    # Straight back to the journal: the new session, with undo.
    expect(page.get_by_role("button", name="Undo: delete this session")).to_be_visible()
    check_page(page, axe, "journal-saved-375")

    for before, after in [("6", "5"), ("8", "3"), ("9", "9")]:
        page.goto(live_server.url + "/journal/new/?points=bl23,li4")
        log_session(page, before, after)

    # The last one was a mistake: undo it, no confirmation page.
    page.get_by_role("button", name="Undo: delete this session").click()
    expect(page.locator("body")).to_contain_text("Undone: that session is deleted.")
    assert not PracticeSession.objects.filter(pain_before=9).exists()

    # Edit one: pain after becomes 2.
    page.goto(live_server.url + "/journal/")
    check_page(page, axe, "journal-list-375")
    page.locator(".session-row").first.click()
    page.get_by_role("button", name="Edit").click()
    page.locator("label[for=id_pain_after_2]").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/journal/\d+/([?#]|$)"))
    expect(page.locator("body")).to_contain_text("Changes saved.")

    # Delete another one, after confirming.
    page.goto(live_server.url + "/journal/")
    page.locator(".session-row").nth(1).click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("button", name="Yes, delete it")).to_be_visible()
    check_page(page, axe, "journal-delete-375")
    page.get_by_role("button", name="Yes, delete it").click()
    page.wait_for_url("**/journal/")

    # Log out (a POST button in the menu), log back in, see two sessions.
    # On a phone, log out is in the bottom bar's "More" menu.
    page.locator(".bottom-bar summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.goto(live_server.url + "/accounts/login/")
    check_page(page, axe, "journal-login-375")
    page.get_by_label("Username or e-mail").fill("phoneuser")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")
    assert page.locator(".session-row").count() == 2
    assert PracticeSession.objects.filter(user__username="phoneuser").count() == 2
    assert sorted(PracticeSession.objects.values_list("pain_after", flat=True)) == [2, 4]
