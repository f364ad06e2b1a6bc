"""Accounts: sign-up, the settings page, deleting an account and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from .. import queries, reminders
from ..forms.accounts import ApiTokenForm, DeleteAccountForm, ProfileForm, SignUpForm
from ..forms.plan import PracticePlanForm
from ..middleware import remember_time_zone
from ..models import ApiToken


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("journal:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="journal.backends.UsernameOrEmailBackend")
        messages.success(request, "Welcome! Your journal is ready. Log your first session below.")
        return redirect("journal:new")
    return render(request, "journal/accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        remember_time_zone(request, profile.time_zone)
        messages.success(request, "Settings saved.")
        return redirect("account_settings")
    return settings_page(request, form=form)


def settings_page(request: HttpRequest, form=None, plan_form=None) -> HttpResponse:
    plan = queries.practice_plan_for(request.user)
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[plan.feed_token]))
    return render(
        request,
        "journal/accounts/settings.html",
        {
            "form": form or ProfileForm(instance=request.user.profile),
            "plan_form": plan_form or PracticePlanForm(instance=plan, user=request.user),
            "plan": plan,
            "next_reminder": reminders.next_occurrence(plan, timezone.now()),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, "Your account and every session in it have been deleted.")
        return redirect("home")
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
        f"Token “{token.name}” revoked. Anything using it can no longer reach your journal.",
    )
    return redirect("api_tokens")
