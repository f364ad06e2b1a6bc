"""Crawl every page reachable from the navigation, as a visitor and as a logged-in user with demo
data, in English and in Spanish, and check each one: Nu HTML Checker, axe, 375 px layout and tap
targets, title, h1, skip link, labelled fields and visible focus; in Spanish also <html lang="es">
and no English interface text left. Failures name the page and the problem."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import Resolver404, resolve

from journal.models import Profile

from .conftest import PHONE, WAIT_MS, serious_violations

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
MAX_PAGES = 120
MAX_VARIANTS_PER_VIEW = 4
DOWNLOADS = (".csv", ".json", ".ics")
SKIP_PREFIXES = ("/admin/", "/static/", "/api/schema", "/api/docs")

PAGE_CHECKS = """() => {
  const problems = [];
  const main = document.querySelector("main");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) problems.push(`${h1s.length} <h1> elements`);
  const skip = document.querySelector("a.skip-link[href='#main']");
  if (!skip) problems.push("no skip link to #main");
  if (!document.title.trim()) problems.push("empty <title>");
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    problems.push(`scrolls sideways: ${document.documentElement.scrollWidth}px wide`);
  for (const field of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset"].includes(field.type)) continue;
    const labelled = (field.labels && field.labels.length) || field.getAttribute("aria-label") || field.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`unlabelled field ${field.name || field.id}`);
  }
  if (main) {
    const textParents = new Set(["P", "LI", "TD", "DD", "FIGCAPTION", "SMALL", "SPAN", "LABEL", "CAPTION", "DT", "TH", "STRONG", "EM"]);
    for (const el of main.querySelectorAll("a[href], button, select, textarea, input:not([type=hidden]), summary")) {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none" || el.closest("[hidden]")) continue;
      let target = el;
      if (el.matches("input[type=checkbox], input[type=radio]")) target = el.closest("label") || el;
      // Links inside running text are exempt (WCAG 2.5.8 "inline" exception).
      if (el.tagName === "A" && style.display === "inline" && textParents.has(el.parentElement.tagName)) continue;
      if (el.closest("svg")) continue;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.width < 43.5 || box.height < 43.5)
        problems.push(`small tap target ${Math.round(box.width)}x${Math.round(box.height)}: ${el.outerHTML.slice(0, 80)}`);
    }
  }
  return problems;
}"""

FOCUS_CHECK = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== "none");
  return visible ? "" : el.outerHTML.slice(0, 80);
}"""

LINKS_AND_FORMS = """() => {
  // Links with a download attribute fetch files (e.g. the .ics calendar), not pages.
  const urls = [...document.querySelectorAll("a[href]:not([download])")].map(a => a.href);
  for (const form of document.querySelectorAll("form")) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") continue;
    const params = new URLSearchParams(new FormData(form));
    urls.push(new URL(form.getAttribute("action") || location.pathname, location.href).pathname + "?" + params.toString());
  }
  return urls;
}"""


# The text a reader meets: visible text, the title and the attributes read aloud or shown. Parts
# marked as another language (lang="en" on citations, lang="zh-Hans" on Chinese names, the
# switcher's "English") are left out: they are meant to be in that language.
READER_TEXT = """() => {
  const skip = "[lang]:not([lang|='es']), script, style, noscript, [hidden]";
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest(skip)) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    parts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    if (el.closest(skip)) continue;
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      if (el.getAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join("\\n").replace(/\\s+/g, " ");
}"""
SPLIT_MSGID = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\n|[“”\"():;]")


@functools.cache
def english_phrases(language: str) -> frozenset[str]:
    """Phrases of three words or more from the English msgids that the catalogue translates
    differently: finding one on a page in ``language`` means a string was left in English."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    phrases = set()
    for entry in polib.pofile(str(path)).translated_entries():
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            for fragment in SPLIT_MSGID.split(msgid):
                fragment = " ".join(fragment.split()).strip(" .,!?")
                if len(fragment.split()) >= 3 and not any(fragment in t for t in translations):
                    phrases.add(fragment)
    return frozenset(phrases)


def in_the_wrong_language(page, language: str) -> list[str]:
    problems = []
    lang = page.evaluate("() => document.documentElement.lang")
    if lang != language:
        problems.append(f'<html lang="{lang}">, not "{language}"')
    text = page.evaluate(READER_TEXT)
    left = sorted(phrase for phrase in english_phrases(language) if phrase in text)
    if left:
        problems.append(f"English left: {left[:5]}")
    return problems


def crawl(
    page, base: str, start: str = "/", language: str = settings.LANGUAGE_CODE
) -> dict[str, dict]:
    """Breadth-first over same-site links and GET forms; returns {url: {"html": …, "problems": […]}}."""
    seen, variants, results = {start}, {}, {}
    queue = deque([start])
    while queue and len(results) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        final = urlparse(page.url)
        path = final.path + (f"?{final.query}" if final.query else "")
        if path in results:  # a redirect to a page already checked (e.g. to the log-in page)
            continue
        seen.add(path)
        problems = [] if response.status == 200 else [f"HTTP {response.status}"]
        problems += page.evaluate(PAGE_CHECKS)
        for _ in range(3):
            page.keyboard.press("Tab")
            invisible = page.evaluate(FOCUS_CHECK)
            if invisible:
                problems.append(f"focus not visible on {invisible}")
        if language != settings.LANGUAGE_CODE:
            problems += in_the_wrong_language(page, language)
        results[path] = {
            "html": response.text(),
            "title": page.title(),
            "problems": problems,
            "page": page,
        }
        results[path]["problems"] += serious_violations(page.context.axe, page)
        for url in page.evaluate(LINKS_AND_FORMS):
            url = urldefrag(urljoin(base + path, url))[0]
            parsed = urlparse(url)
            if f"{parsed.scheme}://{parsed.netloc}" != base or parsed.path.startswith(
                SKIP_PREFIXES
            ):
                continue
            if parsed.path.endswith(DOWNLOADS):  # files, not pages
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if target in seen:
                continue
            # Bound the crawl by view: a few sessions or filter settings are enough to check a
            # template. Content pages (a slug per point or routine) are all visited: each differs.
            try:
                match = resolve(re.sub(r"^/es/", "/", parsed.path))
                view, numbered = (
                    match.view_name,
                    any(isinstance(v, int) for v in match.kwargs.values()),
                )
            except Resolver404:
                view, numbered = parsed.path, False
            if parsed.query or numbered:
                variants[view] = variants.get(view, 0) + 1
                if variants[view] > MAX_VARIANTS_PER_VIEW:
                    continue
            seen.add(target)
            queue.append(target)
    return results


def nu_html_errors(pages: dict[str, dict], tmp_path: Path) -> dict[str, list[str]]:
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail(f"the Nu HTML Checker needs java and {VNU} (npm ci installs vnu-jar)")
    files = {}
    for index, (url, result) in enumerate(pages.items()):
        file = tmp_path / f"page{index}.html"
        file.write_text(result["html"], encoding="utf-8")
        files[file.resolve().as_uri()] = url
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *[str(tmp_path / Path(u).name) for u in files],
        ],
        capture_output=True,
        text=True,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stderr or "{}").get("messages", []):
        url = files.get(message.get("url", ""), message.get("url", "?"))
        errors.setdefault(url, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def report(pages: dict[str, dict], html_errors: dict[str, list[str]]) -> list[str]:
    lines = []
    titles: dict[str, list[str]] = {}
    for url, result in pages.items():
        titles.setdefault(result["title"], []).append(url)
        for problem in result["problems"] + html_errors.get(url, []):
            lines.append(f"{url}: {problem}")
    for title, urls in titles.items():
        paths = {u.split("?")[0] for u in urls}
        if len(paths) > 1:
            lines.append(f"title {title!r} is shared by {sorted(paths)}")
    return lines


@pytest.fixture
def crawl_page(browser, axe):
    context = browser.new_context(service_workers="block", viewport=PHONE)
    context.set_default_timeout(WAIT_MS)
    context.axe = axe
    yield context.new_page()
    context.close()


def test_crawl_as_a_visitor(live_server, guides, crawl_page, tmp_path):
    pages = crawl(crawl_page, live_server.url)
    assert len(pages) >= 20, sorted(pages)
    assert "/guides/tools/" in pages, "the tools page is linked from the home page and the guides"
    problems = report(pages, nu_html_errors(pages, tmp_path))
    print(f"crawled {len(pages)} pages as a visitor")
    assert problems == [], "\n".join(problems)


def log_in_as_demo(page, base_url: str, *, lands_on: str) -> None:
    """Log in as seed_demo's user through the English log-in form, and wait for the journal."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or e-mail").fill("demo")
    page.get_by_label("Password").fill("acupressure-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**" + lands_on)


def test_crawl_as_a_logged_in_user_with_demo_data(live_server, guides, crawl_page, tmp_path):
    call_command("seed_demo")
    log_in_as_demo(crawl_page, live_server.url, lands_on="/journal/")
    pages = crawl(crawl_page, live_server.url, start="/journal/")
    assert len(pages) < MAX_PAGES, "the crawl was cut short; raise MAX_PAGES"
    assert len(pages) >= 20, sorted(pages)
    assert any(url.startswith("/journal/insights/") for url in pages)
    problems = report(pages, nu_html_errors(pages, tmp_path))
    print(f"crawled {len(pages)} pages as a logged-in user")
    assert problems == [], "\n".join(problems)


@pytest.fixture
def spanish_crawl_page(browser, axe):
    """A phone whose browser asks for Spanish (Accept-Language: es-ES)."""
    context = browser.new_context(service_workers="block", viewport=PHONE, locale="es-ES")
    context.set_default_timeout(WAIT_MS)
    context.axe = axe
    yield context.new_page()
    context.close()


def test_crawl_in_spanish_as_a_visitor(live_server, guides, spanish_crawl_page, tmp_path):
    pages = crawl(spanish_crawl_page, live_server.url, language="es")
    assert len(pages) >= 20, sorted(pages)
    assert all(url.startswith("/es/") for url in pages), sorted(pages)
    assert "/es/guides/tools/" in pages
    problems = report(pages, nu_html_errors(pages, tmp_path))
    print(f"crawled {len(pages)} pages in Spanish as a visitor")
    assert problems == [], "\n".join(problems)


def test_crawl_in_spanish_as_a_logged_in_user(live_server, guides, crawl_page, tmp_path):
    """The demo user picks Spanish in their settings; their browser asks for English."""
    call_command("seed_demo")
    Profile.objects.filter(user__username="demo").update(language="es")
    log_in_as_demo(crawl_page, live_server.url, lands_on="/es/journal/")
    pages = crawl(crawl_page, live_server.url, start="/es/journal/", language="es")
    assert len(pages) < MAX_PAGES, "the crawl was cut short; raise MAX_PAGES"
    assert len(pages) >= 20, sorted(pages)
    assert any(url.startswith("/es/journal/insights/") for url in pages)
    problems = report(pages, nu_html_errors(pages, tmp_path))
    print(f"crawled {len(pages)} pages in Spanish as a logged-in user")
    assert problems == [], "\n".join(problems)


def test_the_spanish_check_finds_english_left_on_a_page(live_server, guides, spanish_crawl_page):
    """The check above is not blind: an English interface sentence on a Spanish page is caught,
    and so is a page whose <html lang> is wrong; a citation marked lang="en" is not."""
    page = spanish_crawl_page
    page.goto(live_server.url + "/es/guides/bl23/")
    assert in_the_wrong_language(page, "es") == []
    page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", "<p>Warning signs that need a doctor</p>")"""
    )
    [problem] = in_the_wrong_language(page, "es")
    assert problem.startswith("English left:") and "Warning signs that need a doctor" in problem
    page.evaluate("() => { document.documentElement.lang = 'en-gb'; }")
    assert '<html lang="en-gb">, not "es"' in in_the_wrong_language(page, "es")
