"""On a phone: sign up with an e-mail address, open the link from the mail, see it confirmed."""

import re
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from .conftest import PHONE, check_page

PASSWORD = "a long and quiet river 7"
LINK = re.compile(r"https?://[^/\s]+(/accounts/email/confirm/[^/\s]+/)")


def test_confirm_an_email_address_on_a_phone(live_server, page_at, axe):
    page = page_at(PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("mailuser")
    page.get_by_label("E-mail (optional)").fill("mailuser@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create my journal").click()
    page.wait_for_url("**/journal/new/")
    expect(page.locator("body")).to_contain_text("We e-mailed a link to mailuser@example.com")

    page.goto(live_server.url + "/accounts/settings/#email")
    check_page(page, axe, "settings-email-waiting-375")
    assert "Waiting to be confirmed" in page.locator("#email").inner_text()
    assert get_user_model().objects.get(username="mailuser").email == ""

    link = LINK.search(mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    check_page(page, axe, "confirm-email-375")
    page.get_by_role("button", name="Yes, confirm this address").click()
    page.wait_for_url("**/accounts/settings/#email")
    check_page(page, axe, "settings-email-confirmed-375")
    expect(page.locator("body")).to_contain_text("mailuser@example.com is now your e-mail address")
    assert get_user_model().objects.get(username="mailuser").email == "mailuser@example.com"

    # The same link a second time explains itself.
    page.goto(live_server.url + link)
    check_page(page, axe, "confirm-email-used-375")
    expect(page.locator("body")).to_contain_text("already been used")

    # Log out, and log in with the confirmed address.
    # On a phone, log out is in the bottom bar's "More" menu.
    page.locator(".bottom-bar summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill("MailUser@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")
