"""On a phone: export, import a file with a bad row (see the report, import the rest), tokens."""

import re

from playwright.sync_api import expect

from journal.models import ApiToken, PracticeSession
from tests.factories import PASSWORD, PracticeSessionFactory, UserFactory

from .conftest import PHONE, check_page

CSV = (
    "started_at,points,seconds,pain_before,pain_after,pain_later,area,notes\n"
    '2026-03-01T09:00:00+01:00,BL23;LI4,60;90,7,4,,lower-back,"Walked, then rested"\n'
    "2026-03-02T09:00:00+01:00,BL99,,12,4,,elbow,\n"
)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")


def test_import_with_a_report_on_a_phone(live_server, guides, page_at, axe, tmp_path):
    user = UserFactory(username="importer")
    PracticeSessionFactory(user=user, points=[])
    page = page_at(PHONE)
    log_in(page, live_server, "importer")

    page.get_by_role("link", name="Export / import").click()
    page.wait_for_url("**/journal/import/")
    check_page(page, axe, "data-import-375")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV (spreadsheet)").click()
    assert download.value.suggested_filename.endswith(".csv")

    upload = tmp_path / "edited.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Your file (.csv or .json)").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/journal/import/\d+/([?#]|$)"))
    check_page(page, axe, "data-import-report-375")
    expect(page.get_by_role("cell", name="“BL99” is not a point in the guides.")).to_be_visible()
    assert PracticeSession.objects.filter(user=user).count() == 1

    page.get_by_role("button", name="Import the 1 valid row").click()
    page.wait_for_url("**/journal/")
    expect(page.locator("body")).to_contain_text("Imported 1 session.")
    assert PracticeSession.objects.filter(user=user).count() == 2


def test_create_and_revoke_a_token_on_a_phone(live_server, page_at, axe, db):
    UserFactory(username="scripter")
    page = page_at(PHONE)
    log_in(page, live_server, "scripter")
    page.goto(live_server.url + "/accounts/settings/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("phone shortcut")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("Token", exact=True)).to_be_visible()
    check_page(page, axe, "data-token-created-375")
    raw = page.get_by_label("Token", exact=True).input_value()
    assert raw.startswith("aj_")
    assert ApiToken.objects.get().prefix == raw[:10]

    page.goto(live_server.url + "/accounts/tokens/")
    assert raw not in page.content()
    page.get_by_role("button", name="Revoke token phone shortcut").click()
    expect(page.locator("body")).to_contain_text("Token “phone shortcut” revoked.")
    check_page(page, axe, "data-token-revoked-375")
    assert not ApiToken.objects.exists()
