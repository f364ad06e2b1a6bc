"""Which language a page is in, and changing it (issue 20).

English addresses have no prefix; every other language's pages live under /<code>/ (config/urls.py,
i18n_patterns with prefix_default_language=False). On an address without a prefix the language
is, in order: the logged-in user's setting (Profile.language, remembered in the login session),
the language cookie that the footer's switcher sets, then the browser's Accept-Language. A page
asked for in English by someone who prefers another language is redirected to that language's
address; anything else without a prefix (the API, the calendar feed) is answered in that
language where it has text.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path, get_supported_language_variant
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

SESSION_KEY = "journal_language"


def remember_language(request, language: str) -> None:
    """Keep the user's setting ("" for none) in the login session, so pages need no query."""
    request.session[SESSION_KEY] = language


def supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def preferred_language(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        chosen = supported(request.session.get(SESSION_KEY))
        if chosen:
            return chosen
    return translation.get_language_from_request(request)


class PreferredLanguageMiddleware:
    """After authentication: apply the user's language to addresses without a prefix (see the
    module docstring). Runs after Django's LocaleMiddleware, which handles prefixed addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if get_language_from_path(request.path_info) is not None:
            return self.get_response(request)
        language = preferred_language(request)
        if language != settings.LANGUAGE_CODE:
            target = f"/{language}{request.path_info}"
            with translation.override(language):
                page = is_valid_path(target, getattr(request, "urlconf", None))
            if page and request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING", "")
                address = f"{get_script_prefix().rstrip('/')}{target}"
                response = HttpResponseRedirect(f"{address}?{query}" if query else address)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
            if not page:
                # An address that is the same in every language (the API, the calendar feed).
                translation.activate(language)
                request.LANGUAGE_CODE = language
        # A page's English address posted to stays English: a redirect would lose the form.
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


@csrf_exempt
@require_POST
def set_language(request):
    """Django's set_language (sets the language cookie and goes back to ``next`` in the new
    language); for a logged-in user it also saves the choice as their setting.

    The footer's form carries a CSRF token only for logged-in users, so that visitors' guide pages
    can be shared from the cache (acupressure/caching.py): for a visitor the worst a forged post
    can do is change their language cookie. A logged-in user's post is checked as usual.
    """
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    language = supported(request.POST.get("language"))
    response = django_set_language(request)
    if language and request.user.is_authenticated:
        from .models import Profile

        Profile.objects.update_or_create(user=request.user, defaults={"language": language})
        remember_language(request, language)
    return response
