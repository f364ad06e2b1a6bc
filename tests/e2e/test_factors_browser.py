"""On a phone: log a session with a factor, add a factor of your own, log a rest session, and
filter the journal to rest sessions."""

import re

from playwright.sync_api import expect

from journal.models import FACTOR_NAME_MAX_LENGTH, PracticeSession
from tests.factories import PASSWORD, FactorFactory, UserFactory

from .conftest import PHONE, check_page


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/journal/")


def rate_and_save(page, before: str, after: str):
    page.locator(f"label[for=id_pain_before_{before}]").click()
    page.locator(f"label[for=id_pain_after_{after}]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(re.compile(r"/journal/\?saved=\d+$"))


def test_factors_and_rest_sessions_on_a_phone(live_server, guides, page_at, axe):
    user = UserFactory(username="factors")
    # The longest name, with no space to wrap at, must not push any page sideways.
    FactorFactory(owner=user, name="W" * FACTOR_NAME_MAX_LENGTH)
    page = page_at(PHONE)
    log_in(page, live_server, "factors")

    # A session with a point and a built-in factor, from the collapsed "Anything else today?".
    page.goto(live_server.url + "/journal/new/?points=bl40")
    slept_badly = page.get_by_label("Slept badly")
    expect(slept_badly).to_be_hidden()
    page.get_by_text("Anything else today?").click()
    slept_badly.check()
    check_page(page, axe, "factors-log-form-375")
    rate_and_save(page, "7", "4")
    assert "Also: Slept badly" in page.locator("main").inner_text()
    check_page(page, axe, "factors-session-detail-375")

    # A factor of one's own, linked from the log form.
    page.goto(live_server.url + "/journal/new/")
    page.get_by_text("Anything else today?").click()
    page.get_by_role("link", name="Add your own").click()
    page.wait_for_url("**/journal/factors/")
    page.get_by_role("button", name="Add a factor").click()
    page.get_by_label("Name").fill("Hot-water bottle")
    check_page(page, axe, "factors-new-375")
    page.get_by_role("button", name="Add factor").click()
    page.wait_for_url("**/journal/factors/")
    expect(page.locator("body")).to_contain_text("“Hot-water bottle” added")
    check_page(page, axe, "factors-list-375")

    # Rest and a point together: explained, nothing saved, the points stay in view.
    page.goto(live_server.url + "/journal/new/?points=bl23")
    page.get_by_label("I only rested, no pressing").check()
    assert page.locator("fieldset.point-grid").is_visible()  # BL23 is ticked: still in view
    page.locator("label[for=id_pain_before_6]").click()
    page.locator("label[for=id_pain_after_5]").click()
    page.get_by_role("button", name="Save session").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Untick the points, or untick “I only rested”")
    expect(page.locator("fieldset.point-grid")).to_be_visible()
    check_page(page, axe, "factors-rest-error-375")

    # A rest session with the new factor: ticking "I only rested" hides the points.
    page.goto(live_server.url + "/journal/new/")
    page.get_by_label("I only rested, no pressing").check()
    expect(page.locator("fieldset.point-grid")).to_be_hidden()
    page.get_by_text("Anything else today?").click()
    page.get_by_label("Hot-water bottle").check()
    check_page(page, axe, "factors-rest-form-375")
    rate_and_save(page, "6", "5")
    expect(page.locator(".just-saved")).to_contain_text("rested, no pressing")
    page.get_by_role("link", name="Open it (to rate your pain an hour later)").click()
    main = page.locator("main")
    expect(main).to_contain_text("Rest only, no pressing")
    expect(main).to_contain_text("Also: Hot-water bottle")
    check_page(page, axe, "factors-rest-detail-375")

    # The journal: rest shown instead of points; the rest filter lists only the rest session.
    page.goto(live_server.url + "/journal/")
    assert page.locator(".session-row").count() == 2
    page.get_by_text("Filter sessions").click()
    page.get_by_label("Rest sessions only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/journal/?*rest=on*")
    assert page.locator(".session-row").count() == 1
    assert page.locator(".session-row .session-points").first.inner_text().startswith("Rest")
    check_page(page, axe, "factors-list-filtered-375")

    sessions = PracticeSession.objects.filter(user__username="factors").order_by("started_at", "pk")
    assert [(s.rest_only, [f.name for f in s.factors.all()]) for s in sessions] == [
        (False, ["Slept badly"]),
        (True, ["Hot-water bottle"]),
    ]
