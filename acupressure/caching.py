"""Guide pages for visitors, served from the cache until the guide content changes.

Only what every visitor sees alike is shared: a logged-in user's pages (their navigation differs),
a page carrying a CSRF token or a message, and anything but a plain 200 are never stored or served
from the cache. The key holds the content version from the database, so every process sees an
edit at once, whichever cache backend (per-process memory, or Redis via CACHE_URL) is configured.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from .models import ContentVersion, Point, Routine, RoutineStep, Source


def page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"guide-page:{ContentVersion.current()}:{path}"


def _personal(request: HttpRequest) -> bool:
    return request.user.is_authenticated or len(messages.get_messages(request)) > 0


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_for_visitors(view):
    """Serve ``view``'s GET responses to visitors from the shared cache (see the module doc)."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "GET" or _personal(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
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
