"""Accounts: sign-up, the settings page, deleting an account and personal API tokens."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import push, queries, reminders, throttling, verification
from ..forms.accounts import (
    TOO_MANY_EMAILS_MESSAGE,
    ApiTokenForm,
    DeleteAccountForm,
    EmailChangeForm,
    ProfileForm,
    SignUpForm,
)
from ..forms.plan import PracticePlanForm
from ..language import remember_language
from ..middleware import remember_time_zone
from ..models import ApiToken, Profile

SIGNUP_SCOPE = "signup-ip"

# Sent with the answer to logging out or deleting the account: the browser empties the site's
# HTTP cache and its storage (the service worker's caches and anything else the site kept on this
# phone), so the next person to use it finds nothing of the last one's.
CLEAR_THIS_BROWSER = '"cache", "storage"'


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_THIS_BROWSER
        return response


def site_url(request: HttpRequest) -> str:
    """This site's address as the request reached it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("journal:list")
    form = SignUpForm(request.POST or None)
    client = get_client_ip_address(request) or ""
    if request.method == "POST" and throttling.exhausted(
        SIGNUP_SCOPE, client, limit=django_settings.SIGNUPS_PER_IP_PER_HOUR
    ):
        form.is_valid()  # so the form shows what was typed
        form.add_error(
            None, _("Too many new journals from your network in the last hour. Try again later.")
        )
        return render(request, "journal/accounts/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if translation.get_language() != django_settings.LANGUAGE_CODE:
            # Signed up on a page in another language: their e-mails come in it too.
            Profile.objects.filter(user=user).update(language=translation.get_language())
        throttling.record(SIGNUP_SCOPE, client)
        email = form.cleaned_data["email"]
        if email:
            verification.request_address(user, email, site_url=site_url(request))
        login(request, user, backend="journal.backends.UsernameOrEmailBackend")
        messages.success(
            request, _("Welcome! Your journal is ready. Log your first session below.")
        )
        if email:
            # The same words whether or not the address is already in use (docs/security.md).
            messages.info(request, confirmation_sent_message(email))
        return redirect("journal:new")
    return render(request, "journal/accounts/signup.html", {"form": form})


def confirmation_sent_message(email: str) -> str:
    days = django_settings.EMAIL_CONFIRM_DAYS
    return ngettext(
        "We e-mailed a link to %(email)s. Open it within %(days)s day to confirm the address; "
        "until then it is not used for anything.",
        "We e-mailed a link to %(email)s. Open it within %(days)s days to confirm the address; "
        "until then it is not used for anything.",
        days,
    ) % {"email": email, "days": days}


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        remember_time_zone(request, profile.time_zone)
        remember_language(request, profile.language)
        # The page comes back in the language just chosen (blank: the cookie's or the browser's,
        # which journal.language picks on the English address).
        with translation.override(profile.language or django_settings.LANGUAGE_CODE):
            messages.success(request, _("Settings saved."))
            response = redirect("account_settings")
        if profile.language:
            response.set_cookie(
                django_settings.LANGUAGE_COOKIE_NAME,
                profile.language,
                max_age=django_settings.LANGUAGE_COOKIE_AGE,
                samesite=django_settings.LANGUAGE_COOKIE_SAMESITE,
                secure=django_settings.LANGUAGE_COOKIE_SECURE,
                httponly=django_settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response
    return settings_page(request, form=form)


def settings_page(
    request: HttpRequest,
    form=None,
    plan_form=None,
    new_feed_token: str = "",
    email_form=None,
    status: int = 200,
) -> HttpResponse:
    plan = queries.practice_plan_for(request.user)
    # The calendar address is shown only right after it is made: only its hash is stored.
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[new_feed_token]))
        if new_feed_token
        else ""
    )
    return render(
        request,
        "journal/accounts/settings.html",
        {
            "form": form or ProfileForm(instance=request.user.profile),
            "plan_form": plan_form or PracticePlanForm(instance=plan, user=request.user),
            "plan": plan,
            "next_reminder": reminders.next_occurrence(plan, timezone.now()),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
            "email_form": email_form or EmailChangeForm(user=request.user),
            "profile": request.user.profile,
            "email_confirm_days": django_settings.EMAIL_CONFIRM_DAYS,
            "push_public_key": django_settings.VAPID_PUBLIC_KEY if push.is_configured() else "",
            # This person's browsers, so the page can tell whether this one is among them.
            "push_endpoints": list(
                request.user.push_subscriptions.values_list("endpoint", flat=True)
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST, user=request.user)
    if not form.is_valid():
        return settings_page(request, email_form=form, status=400)
    email = form.cleaned_data["email"]
    verification.request_address(request.user, email, site_url=site_url(request))
    messages.success(request, confirmation_sent_message(email))
    return redirect(reverse("account_settings") + "#email")


@login_required
@require_http_methods(["POST"])
def email_resend(request: HttpRequest) -> HttpResponse:
    waiting = request.user.profile.new_email
    if not waiting:
        messages.info(request, _("No address is waiting to be confirmed."))
    elif verification.too_many_requests(waiting):
        messages.error(request, TOO_MANY_EMAILS_MESSAGE)
    else:
        verification.resend(request.user, site_url=site_url(request))
        messages.success(request, confirmation_sent_message(waiting))
    return redirect(reverse("account_settings") + "#email")


@login_required
@require_http_methods(["POST"])
def email_cancel(request: HttpRequest) -> HttpResponse:
    if request.user.profile.new_email:
        verification.cancel(request.user)
        messages.success(request, _("Cancelled. The link we sent no longer works."))
    return redirect(reverse("account_settings") + "#email")


@login_required
@require_http_methods(["POST"])
def email_remove(request: HttpRequest) -> HttpResponse:
    if request.user.email:
        request.user.email = ""
        request.user.save(update_fields=["email"])
        messages.success(
            request,
            _(
                "Your e-mail address is removed. Without one you cannot reset a forgotten "
                "password or get e-mail reminders."
            ),
        )
    return redirect(reverse("account_settings") + "#email")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail. Opening it shows a button: mail scanners that
    follow links must not confirm anything, so only the POST does."""
    template = "journal/accounts/confirm_email.html"
    try:
        if request.method == "POST":
            user = verification.confirm(token)
        else:
            profile = verification.profile_for_link(token)
            return render(request, template, {"email": profile.new_email})
    except verification.LinkProblem as problem:
        return render(request, template, {"problem": str(problem)}, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(
            request, _("Confirmed. %(email)s is now your e-mail address.") % {"email": user.email}
        )
        return redirect(reverse("account_settings") + "#email")
    return render(request, template, {"confirmed": user.email})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, _("Your account and every session in it have been deleted."))
        response = redirect("home")
        response["Clear-Site-Data"] = CLEAR_THIS_BROWSER
        return response
    return render(request, "journal/accounts/delete_account.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        created, new_token = ApiToken.objects.issue(request.user, form.cleaned_data["name"])
        form = ApiTokenForm(user=request.user)
    response = render(
        request,
        "journal/accounts/api_tokens.html",
        {
            "form": form,
            "tokens": request.user.api_tokens.all(),
            "new_token": new_token,
            "new_token_name": created.name if new_token else "",
        },
        status=400 if form.errors else 200,
    )
    if new_token:
        # The secret is on this page only once; keep it out of every cache.
        patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    if request.method == "GET":
        # Revoking is a button on the tokens page; fetching first keeps others' ids a 404.
        return redirect("api_tokens")
    token.delete()
    messages.success(
        request,
        _("Token “%(name)s” revoked. Anything using it can no longer reach your journal.")
        % {"name": token.name},
    )
    return redirect("api_tokens")
