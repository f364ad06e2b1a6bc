"""Guide pages for visitors, served from the cache until the guide content changes.

Only what every visitor sees alike is shared: a logged-in user's pages (their navigation differs),
a page carrying a CSRF token or a message, and anything but a plain 200 are never stored or served
from the cache. The key holds the content version from the database, so every process sees an
edit at once, whichever cache backend (per-process memory, or Redis via CACHE_URL) is configured.

The key holds the path and only the query parameters the view reads, as the view reads them
(``query=``): a request with any other parameter (``?utm_source=…``) is answered fresh and not
stored, so made-up query strings cannot fill the cache with copies of the same page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import get_language

from .models import ContentVersion, Point, Routine, RoutineStep, Source, Tool

# Reads a query string: the values that make the page, or None when it must not be cached.
QueryReader = Callable[[QueryDict], Mapping[str, str] | None]


def page_key(request: HttpRequest, params: Mapping[str, str]) -> str:
    page = request.path + "?" + urlencode(sorted(params.items()))
    digest = hashlib.sha256(page.encode()).hexdigest()
    return f"guide-page:{ContentVersion.current()}:{get_language()}:{digest}"


def _no_query(params: QueryDict) -> Mapping[str, str] | None:
    return None if params else {}


def _personal(request: HttpRequest) -> bool:
    return request.user.is_authenticated or len(messages.get_messages(request)) > 0


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_for_visitors(view=None, *, query: QueryReader = _no_query):
    """Serve ``view``'s GET responses to visitors from the shared cache (see the module doc).

    ``query`` returns the normalised parameters the view reads, or None for a query string the
    cache should not keep; by default only a request without one is cached.
    """
    if view is None:
        return lambda view: cache_for_visitors(view, query=query)

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        params = query(request.GET)
        if params is None:
            return view(request, *args, **kwargs)
        key = page_key(request, params)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if _shareable(request, response):
                cache.set(key, response, settings.GUIDE_PAGE_CACHE_SECONDS)
        return response

    return cached_view


@receiver([post_save, post_delete], sender=Point)
@receiver([post_save, post_delete], sender=Source)
@receiver(m2m_changed, sender=Point.sources.through)
@receiver([post_save, post_delete], sender=Tool)
@receiver(m2m_changed, sender=Tool.sources.through)
@receiver(m2m_changed, sender=Tool.points.through)
def point_or_source_changed(sender, **kwargs) -> None:
    ContentVersion.bump()


@receiver([post_save, post_delete], sender=Routine)
def routine_changed(sender, instance: Routine, **kwargs) -> None:
    if instance.owner_id is None:  # users' own routines are not on the public pages
        ContentVersion.bump()


@receiver([post_save, post_delete], sender=RoutineStep)
def routine_step_changed(sender, instance: RoutineStep, **kwargs) -> None:
    if Routine.objects.filter(pk=instance.routine_id, owner__isnull=True).exists():
        ContentVersion.bump()
