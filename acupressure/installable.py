"""The site as an app on a phone: the web app manifest, the service worker and the offline page.

The worker (templates/acupressure/service-worker.js) is served by Django at /sw.js so that its
scope is the whole site, and the list of what it keeps for offline use comes from here: the guide
pages, the routines and their timer, the safety page, the offline page, and the static files they
need, named by the static storage (with their content hash in production). The worker's version
holds the guide content version (acupressure.models.ContentVersion) and that list, so an edited
guide or a changed static file changes /sw.js, and the browser fetches every page afresh on the
next visit.

Journal pages are never kept: they are private, and the worker stores what it fetches without
the visitor's cookies (a page as any visitor sees it); with one exception, so that a session can be
logged with no connection (issue 18, part 3). The log form (/journal/new/) is kept as the
logged-in user last fetched it, in a cache of its own, and served only when there is no
connection. The choice, and why it is safe enough:

- the copy names its user (the X-Journal-User header, set by journal.middleware on every answer
  to a logged-in user), and the worker deletes it as soon as any page comes for someone else or
  for nobody (logged out, or logged in as another person), so it is never shown to a different
  user; it holds what that form shows (the points, the user's factors and time zone), no session;
- log-out and deleting the account answer with Clear-Site-Data: "cache", "storage", which empties
  every cache of the site and its IndexedDB, where the sessions waiting to be sent are kept
  (static/js/offline-queue.js), in that browser.

Sessions saved with no connection carry a UUID made on the phone (client_id), and the API stores
a session once per user and client_id, so a sync that is cut off and repeated stores it once.
"""

from __future__ import annotations

import hashlib
import json
import os

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext, to_locale
from django.views.decorators.http import require_GET

from . import queries
from .icons import ICONS
from .models import ContentVersion, Point, Routine

THEME_COLOUR = "#0172ad"  # Pico.css's primary colour, as in static/favicon.svg
BACKGROUND_COLOUR = "#ffffff"

# What the public pages load, and the scripts of the log form; the journal's other scripts are
# left out with the journal pages.
STATIC_FILES = [
    "pico/pico.min.css",
    "css/site.css",
    "js/strings.js",  # the JavaScript's texts: the timer's and the log form's scripts need it
    "js/player.js",
    "js/register-sw.js",
    # Logging with no connection: the log form (kept for its user) needs these.
    "idb/umd.js",
    "js/offline-queue.js",
    "js/offline-log.js",
    "favicon.svg",
    *(f"icons/{name}" for name in ICONS),
]


def offline_pages() -> list[str]:
    """Every public page a visitor may want with no connection."""
    pages = [
        reverse("home"),
        reverse("safety"),
        reverse("offline"),
        reverse("acupressure:list"),
        reverse("acupressure:routines"),
        reverse("acupressure:tools"),
    ]
    pages += [point.get_absolute_url() for point in Point.objects.only("slug").order_by("slug")]
    for slug in Routine.objects.public().order_by("slug").values_list("slug", flat=True):
        pages.append(reverse("acupressure:routine", kwargs={"slug": slug}))
        pages.append(reverse("acupressure:routine_play", kwargs={"slug": slug}))
    return pages


def _fingerprint(name: str) -> str:
    """With DEBUG on, static names carry no content hash: the file's modification time stands in."""
    if not settings.DEBUG:
        return ""
    path = finders.find(name)
    return str(os.stat(path).st_mtime_ns) if path else ""


def worker_config() -> dict:
    static_urls = [static(name) for name in STATIC_FILES]
    precache = offline_pages() + static_urls
    content = ContentVersion.current()
    digest = hashlib.sha256(
        json.dumps([precache, [_fingerprint(name) for name in STATIC_FILES]]).encode()
    ).hexdigest()[:12]
    return {
        "version": f"{content}-{digest}",
        "precache": precache,
        "offlinePage": reverse("offline"),
        "logForm": reverse("journal:new"),
        "queueScripts": [static("idb/umd.js"), static("js/offline-queue.js")],
        "staticPrefix": static(""),
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "acupressure/service-worker.js",
        {"config": json.dumps(worker_config(), indent=2)},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser asks for the worker again on each visit; no-cache makes that reach Django,
    # so a new content version is seen at once.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def _manifest_lang() -> str:
    """The active language as a BCP 47 tag for the manifest: "en-GB", "es"."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {
            "src": static(f"icons/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if "maskable" in name else "any",
        }
        for name, (size, _share, _opaque) in ICONS.items()
        if name != "apple-touch-icon.png"
    ]
    icons.append({"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"})
    shortcut_icon = [{"src": static("icons/icon-192.png"), "sizes": "192x192"}]
    data = {
        "id": "/",
        # The product name stays as it is in every language.
        "name": "Acupressure Journal",
        # Translators: the app's name under its icon on a phone's home screen; keep it short.
        "short_name": gettext("Acupressure"),
        "description": gettext(
            "Plain guides to acupressure points for back pain, with cautions, "
            "and a private journal of what helps you."
        ),
        "lang": _manifest_lang(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
        "shortcuts": [
            {
                "name": gettext("Log a session"),
                "url": reverse("journal:new"),
                "description": gettext(
                    "Note the points you pressed and your pain before and after."
                ),
                "icons": shortcut_icon,
            },
            {
                "name": gettext("Start a routine"),
                "url": reverse("acupressure:routines"),
                "description": gettext("Follow a few points with the guided timer."),
                "icons": shortcut_icon,
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "acupressure/offline.html",
        {"routines": queries.public_routines()},
    )
