"""The practice plan: weekly goal and reminders, the calendar page and feed, unsubscribing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .. import habits, queries, reminders, revocation
from ..forms.plan import PracticePlanForm
from ..models import Weekday
from .accounts import settings_page


@login_required
def session_calendar(request: HttpRequest) -> HttpResponse:
    raw_month = request.GET.get("month", "")
    month = habits.parse_month(raw_month) if raw_month else None
    if raw_month and month is None:
        messages.warning(
            request,
            _(
                "We could not read that month. Months look like 2026-11 (year, then month). "
                "Here is this month instead."
            ),
        )
    month = month or timezone.localdate().replace(day=1)
    return render(
        request,
        "journal/plan/calendar.html",
        {
            "calendar": habits.month_calendar(request.user, month),
            # Translated once here; the table heading shows each name twice.
            "weekdays": [str(name) for name in Weekday.labels],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_plan(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The form lives on the settings page.
        return redirect(reverse("account_settings") + "#plan")
    form = PracticePlanForm(
        request.POST, instance=queries.practice_plan_for(request.user), user=request.user
    )
    if form.is_valid():
        plan = form.save()
        if plan.reminders_on:
            days = ", ".join(plan.day_names)
            messages.success(
                request,
                # Translators: %(days)s lists weekdays ("Monday, Thursday"), %(time)s is like 07:30.
                _("Saved. Reminders on %(days)s at %(time)s.")
                % {"days": days, "time": f"{plan.reminder_time:%H:%M}"},
            )
        else:
            messages.success(request, _("Saved. Reminders are off."))
        return redirect(reverse("account_settings") + "#plan")
    return settings_page(request, plan_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def new_feed_address(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect(reverse("account_settings") + "#calendar-feed")
    plan = queries.practice_plan_for(request.user)
    had_address = plan.feed_token_hash is not None
    raw = revocation.new_feed_address(plan)
    if had_address:
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works, so subscribe again "
                "with the new one."
            ),
        )
    # Only the address's hash is kept, so this page is the one chance to see it (like a new API
    # token). Rendered, not redirected, so the secret is never stored in the session; the page
    # is no-store, as every page for a logged-in user is.
    return settings_page(request, new_feed_token=raw)


@require_safe
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar of reminders. No log-in (calendar apps cannot): the token is the key."""
    plan = revocation.plan_for_feed_token(token)
    if plan is None:
        raise Http404("No calendar has this address.")
    site_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        reminders.feed(plan, site_url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="acupressure-reminders.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# Mail apps POST here with no cookies and no CSRF token (RFC 8058 one-click unsubscribe); the
# random token in the address is what proves the request comes from the mail we sent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    plan = reminders.plan_for_unsubscribe_token(token)
    if plan is None:
        # An old link (replaced when the account's secrets were revoked) or a mistyped one.
        return render(request, "journal/plan/unsubscribe_invalid.html", status=404)
    if request.method == "POST":
        reminders.stop_emails(plan)
        return render(request, "journal/plan/unsubscribed.html")
    return render(request, "journal/plan/unsubscribe.html", {"subscribed": plan.email_reminders})
