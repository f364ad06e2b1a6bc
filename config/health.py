"""``/healthz`` answered early in the middleware chain, before anything reads the session.

A liveness probe must not depend on the database. Further down, a logged-in browser's session
cookie would cost a session and a user query (AuthenticationMiddleware, UserTimeZoneMiddleware),
so this middleware sits before SessionMiddleware in settings.MIDDLEWARE and hands exactly the
health path to the view itself. The middleware above it still apply: the request id, the
security headers, the Content-Security-Policy and X-Frame-Options.
"""

from __future__ import annotations

from django.views.decorators.cache import never_cache

from acupressure.views import healthz

HEALTH_PATH = "/healthz"  # config/urls.py names it "healthz" too, so reverse() keeps working

# A stale "ok" from a cache would hide an outage, so the answer is never cached.
_health_view = never_cache(healthz)


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return _health_view(request)
        return self.get_response(request)
