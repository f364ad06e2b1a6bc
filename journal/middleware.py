import zoneinfo

from django.utils import timezone

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
                from .models import Profile

                profile, _ = Profile.objects.get_or_create(user=user)
                name = profile.time_zone
                remember_time_zone(request, name)
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
