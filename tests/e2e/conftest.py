"""Browser-test harness: Playwright driving Debian's Chromium, with axe for accessibility.

Tests here are marked `e2e`. Without /usr/bin/chromium they are skipped with a reason, unless
E2E_REQUIRED=1 (as in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# How long a test waits for the browser before failing. Generous on purpose: CI runs two test
# workers on two cores, and a service worker keeping the guides offline competes with them.
WAIT_MS = 30_000

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser):
    """page_at(viewport) -> a new page of that size; closed after the test.

    The service worker is blocked unless a test asks for it (service_workers="allow"): on its
    first visit it fetches every guide page to keep them offline, which would only slow the
    other tests' live server down."""
    contexts = []

    def open_page(viewport=PHONE, *, service_workers="block", color_scheme="light"):
        context = browser.new_context(
            viewport=viewport, service_workers=service_workers, color_scheme=color_scheme
        )
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def wait_for(page, read, timeout_ms: int = WAIT_MS):
    """What ``read()`` gives once it gives something truthy (else the last falsy value), within
    ``timeout_ms``. For what the browser reports as events (DevTools Protocol) or promises that
    page.wait_for_function cannot watch. Waits with the page, not time.sleep, so that Playwright
    goes on receiving the browser's events meanwhile."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (value := read()) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return value


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def serious_violations(axe, page) -> list[str]:
    """axe violations of impact serious or critical, described well enough to fix."""
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def check_page(page, axe, name: str) -> None:
    """Screenshot a page, and fail if it scrolls sideways or has serious accessibility problems."""
    screenshot(page, name)
    assert not has_horizontal_scroll(page), f"{name} scrolls sideways at 375px"
    assert serious_violations(axe, page) == [], name
