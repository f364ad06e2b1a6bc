import zoneinfo

from django.utils import timezone
from django.utils.cache import patch_cache_control

SESSION_KEY = "journal_time_zone"


def remember_time_zone(request, time_zone: str) -> None:
    request.session[SESSION_KEY] = time_zone


class UserTimeZoneMiddleware:
    """Show and filter dates in the logged-in user's time zone (stored in UTC).

    The zone is cached in the login session so most requests need no profile query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if name is None:
                from .language import remember_language
                from .models import Profile

                # One query a login session for both settings; the language is applied by
                # journal.language.PreferredLanguageMiddleware.
                profile, _ = Profile.objects.get_or_create(user=user)
                name = profile.time_zone
                remember_time_zone(request, name)
                remember_language(request, profile.language)
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


USER_HEADER = "X-Journal-User"


class PrivatePagesNoStoreMiddleware:
    """Keep every response to a logged-in user out of browser and proxy caches.

    ``Cache-Control: no-store, private``, so after log-out the browser's Back button or history
    cannot show the journal again. It is decided after the view: DRF reads an API token inside
    the view and sets the user on this request then. Visitors' responses are left alone, so the
    public guide pages stay cacheable (acupressure/caching.py). The pages opened by a token in
    the address (calendar feed, unsubscribe) say ``never_cache`` themselves.

    ``X-Journal-User`` names the logged-in user to the service worker, which keeps a copy of the
    log form for that user alone and drops it when a page comes for anyone else
    (acupressure/installable.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            response[USER_HEADER] = str(user.pk)
        return response
