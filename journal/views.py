from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from acupressure.models import Point

from . import charts, experiments, exporting, habits, importing, queries, reminders, stats
from .forms import (
    ApiTokenForm,
    CompareForm,
    DeleteAccountForm,
    ExperimentForm,
    FollowUpForm,
    ImportFileForm,
    InsightsFilterForm,
    JournalFilterForm,
    PracticePlanForm,
    PracticeSessionForm,
    ProfileForm,
    ReportForm,
    RoutineForm,
    SignUpForm,
    routine_step_formset,
    step_rows_for_points,
    step_rows_for_routine,
)
from .middleware import remember_time_zone
from .models import (
    NOTES_MAX_LENGTH,
    ApiToken,
    ExperimentStatus,
    PainArea,
    PracticePlan,
    Weekday,
    new_feed_token,
)
from .uploads import SizeLimitUploadHandler

SESSIONS_PER_PAGE = 25


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    filter_form = JournalFilterForm(request.GET or None)
    sessions = queries.session_list(request.user, filter_form)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = filter_form.is_bound and filter_form.has_changed()
    return render(
        request,
        "journal/session_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filtered": filtered,
            "query_string": query.urlencode(),
            "progress": None
            if filtered
            else habits.weekly_progress(request.user, habits.weekly_goal(request.user)),
            "upcoming": None
            if filtered
            else experiments.next_session(experiments.active_experiment(request.user)),
        },
    )


@login_required
def session_calendar(request: HttpRequest) -> HttpResponse:
    raw_month = request.GET.get("month", "")
    month = habits.parse_month(raw_month) if raw_month else None
    if raw_month and month is None:
        messages.warning(
            request,
            "We could not read that month. Months look like 2026-11 (year, then month). "
            "Here is this month instead.",
        )
    month = month or timezone.localdate().replace(day=1)
    return render(
        request,
        "journal/calendar.html",
        {"calendar": habits.month_calendar(request.user, month), "weekdays": Weekday.labels},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PracticeSessionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                session = form.save()
            except experiments.SlotTaken:
                form.add_error(
                    "count_in_experiment",
                    "Your experiment moved on while this page was open (perhaps you logged a "
                    "session in another tab), so nothing was saved. Open “Log a session” again "
                    "to see which point is next.",
                )
            else:
                messages.success(request, _saved_message(session))
                return redirect(session)
    elif "experiment" in request.GET:
        form = PracticeSessionForm(user=request.user)
        upcoming = form.next_experiment_session
        if upcoming is None:
            messages.warning(
                request,
                "You have no experiment running, so this session will be logged on its own.",
            )
        else:
            form.initial.update({"points": [upcoming.point.slug], "count_in_experiment": True})
    elif "routine" in request.GET:
        form = PracticeSessionForm(
            user=request.user, initial=_prefill_routine(request, request.GET["routine"])
        )
    else:
        initial, unknown = _prefill_points(request.GET.get("points", ""))
        if unknown:
            messages.warning(request, f"Not in the guides, so not ticked: {', '.join(unknown)}.")
        form = PracticeSessionForm(user=request.user, initial=initial)
    return render(request, "journal/session_form.html", {"form": form, "creating": True})


def _saved_message(session) -> str:
    if session.experiment_id is None:
        return "Session saved."
    experiment = session.experiment
    if experiment.is_active:
        return "Session saved and counted in your experiment."
    return (
        "Session saved. That was the last one: your experiment is complete. See the result below."
    )


def _prefill_points(raw: str) -> tuple[dict, list[str]]:
    slugs = _slugs(raw)
    if not slugs:
        return {}, []
    known = set(Point.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return {"points": [s for s in slugs if s in known]}, [s for s in slugs if s not in known]


def _slugs(raw: str) -> list[str]:
    # PostgreSQL refuses NUL characters in text parameters; no slug has one.
    raw = raw.replace("\x00", "")
    return [slug.strip().lower() for slug in raw.split(",") if slug.strip()][:20]


def _prefill_routine(request: HttpRequest, reference: str) -> dict:
    """Initial values from ``?routine=``: its points ticked and the session linked to it."""
    routine = queries.usable_routine(request.user, reference)
    if routine is None:
        messages.warning(
            request,
            f"We could not find the routine “{reference[:60]}”, so nothing was filled in. "
            "Tick the points you pressed below.",
        )
        return {}
    return {"points": [point.slug for point in routine.points], "routine": routine}


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    return render(
        request,
        "journal/session_detail.html",
        {"session": session, "follow_up_form": FollowUpForm(instance=session)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    form = PracticeSessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Changes saved.")
        return redirect(session)
    return render(request, "journal/session_form.html", {"form": form, "session": session})


@login_required
@require_http_methods(["GET", "POST"])
def session_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    if request.method == "GET":
        # The rating form lives on the session page; fetching first keeps others' ids a 404.
        return redirect(session)
    form = FollowUpForm(request.POST, instance=session)
    if form.is_valid():
        form.save()
        messages.success(request, "Follow-up rating saved.")
        return redirect(session)
    return render(
        request,
        "journal/session_detail.html",
        {"session": session, "follow_up_form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    if request.method == "POST":
        session.delete()
        messages.success(request, "Session deleted.")
        return redirect("journal:list")
    return render(request, "journal/session_confirm_delete.html", {"session": session})


@login_required
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "journal/routine_list.html", {"routines": queries.routine_list(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def routine_create(request: HttpRequest) -> HttpResponse:
    form = RoutineForm(request.POST or None, owner=request.user)
    if request.method == "POST":
        steps = routine_step_formset(request.POST)
        if all([form.is_valid(), steps.is_valid()]):
            routine = form.save_with_steps(steps.steps())
            messages.success(request, "Routine saved. Start the timer when you are ready.")
            return redirect(routine)
    else:
        steps = routine_step_formset(
            initial=step_rows_for_points(_slugs(request.GET.get("points", "")))
        )
    return render(
        request, "journal/routine_form.html", {"form": form, "steps": steps, "creating": True}
    )


@login_required
def routine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    return render(request, "acupressure/routine_detail.html", {"routine": routine})


@login_required
def routine_play(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    return render(request, "acupressure/routine_play.html", {"routine": routine})


@login_required
@require_http_methods(["GET", "POST"])
def routine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    form = RoutineForm(request.POST or None, instance=routine, owner=request.user)
    if request.method == "POST":
        steps = routine_step_formset(request.POST)
        if all([form.is_valid(), steps.is_valid()]):
            form.save_with_steps(steps.steps())
            messages.success(request, "Routine saved.")
            return redirect(routine)
    else:
        steps = routine_step_formset(initial=step_rows_for_routine(routine))
    return render(
        request, "journal/routine_form.html", {"form": form, "steps": steps, "routine": routine}
    )


@login_required
@require_http_methods(["GET", "POST"])
def routine_delete(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    if request.method == "POST":
        routine.delete()
        messages.success(request, "Routine deleted. Sessions you logged with it are still there.")
        return redirect("journal:routine_list")
    return render(request, "journal/routine_confirm_delete.html", {"routine": routine})


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
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user.profile)
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        remember_time_zone(request, profile.time_zone)
        messages.success(request, "Settings saved.")
        return redirect("account_settings")
    return _settings_page(request, form=form)


def _settings_page(request: HttpRequest, form=None, plan_form=None) -> HttpResponse:
    plan = queries.practice_plan_for(request.user)
    feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[plan.feed_token]))
    return render(
        request,
        "registration/settings.html",
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
            messages.success(request, f"Saved. Reminders on {days} at {plan.reminder_time:%H:%M}.")
        else:
            messages.success(request, "Saved. Reminders are off.")
        return redirect(reverse("account_settings") + "#plan")
    return _settings_page(request, plan_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def new_feed_address(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        plan = queries.practice_plan_for(request.user)
        plan.feed_token = new_feed_token()
        plan.save(update_fields=["feed_token"])
        messages.success(
            request,
            "Your calendar has a new address. The old one no longer works, so subscribe again "
            "with the new one.",
        )
    return redirect(reverse("account_settings") + "#calendar-feed")


@require_safe
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar of reminders. No log-in (calendar apps cannot): the token is the key."""
    plan = get_object_or_404(
        PracticePlan.objects.select_related("user__profile"),
        feed_token=token,
        user__is_active=True,
    )
    site_url = request.build_absolute_uri("/").rstrip("/")
    response = HttpResponse(
        reminders.feed(plan, site_url), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="acupressure-reminders.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


# Mail apps POST here with no cookies and no CSRF token (RFC 8058 one-click unsubscribe); the
# signed token in the address is what proves the request comes from the mail we sent.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    plan = reminders.plan_for_unsubscribe_token(token)
    if plan is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        reminders.stop_emails(plan)
        return render(request, "journal/unsubscribed.html")
    return render(request, "journal/unsubscribe.html", {"subscribed": plan.email_reminders})


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
    return render(request, "registration/delete_account.html", {"form": form})


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    form = InsightsFilterForm(request.GET or None)
    filters = form.filters()
    summaries = stats.point_summaries(request.user, filters)
    ranked = [s for s in summaries if s.enough_data]
    trend_by = stats.trend_granularity(filters)
    trend = stats.trend(request.user, filters, by=trend_by)
    return render(
        request,
        "journal/insights.html",
        {
            "form": form,
            "period": form.period_label(),
            "overview": stats.overview(request.user, filters),
            "total_sessions": queries.sessions_for(request.user).count(),
            "ranked": ranked,
            "thin": [s for s in summaries if not s.enough_data],
            "best": ranked[0] if ranked else None,
            "min_sessions": stats.MIN_SESSIONS,
            "trend": trend,
            "trend_by": trend_by,
            "relief_chart": charts.relief_chart(ranked),
            "trend_chart": charts.trend_chart(trend),
        },
    )


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_valid():
        comparison = stats.compare(
            request.user, form.cleaned_data["a"].slug, form.cleaned_data["b"].slug, form.filters()
        )
    return render(
        request,
        "journal/compare.html",
        {
            "form": form,
            "comparison": comparison,
            "period": form.period_label() if form.is_bound else "",
            "min_sessions": stats.MIN_SESSIONS,
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReportForm(request.GET or {"date_from": today - timedelta(days=89), "date_to": today})
    context = {"form": form}
    if form.is_valid():
        filters = form.filters()
        context.update(
            overview=stats.overview(request.user, filters),
            summaries=stats.point_summaries(request.user, filters),
            trend=stats.trend(request.user, filters, by="week"),
            notes=queries.report_notes(request.user, filters),
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            min_sessions=stats.MIN_SESSIONS,
        )
    return render(request, "journal/report.html", context)


@login_required
@never_cache
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    zone = timezone.get_current_timezone()
    return _attachment(
        exporting.csv_lines(request.user, zone), "text/csv; charset=utf-8", "csv", zone
    )


@login_required
@never_cache
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    zone = timezone.get_current_timezone()
    lines = exporting.json_lines(request.user, zone, time_zone_name=str(zone))
    return _attachment(lines, "application/json", "json", zone)


def _attachment(lines, content_type: str, extension: str, zone) -> StreamingHttpResponse:
    today = timezone.localdate(timezone=zone)
    response = StreamingHttpResponse(exporting.in_blocks(lines), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="acupressure-journal-{today:%Y-%m-%d}.{extension}"'
    )
    return response


@login_required
@csrf_exempt  # CSRF is checked by _import_upload, once the size limit below is in place.
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    # Upload handlers must be set before anything reads the body, and CSRF checking reads it.
    size_limit = SizeLimitUploadHandler(request, settings.IMPORT_MAX_BYTES)
    request.upload_handlers.insert(0, size_limit)
    return _import_upload(request, size_limit)


@csrf_protect
def _import_upload(request: HttpRequest, size_limit: SizeLimitUploadHandler) -> HttpResponse:
    form_kwargs = {"max_bytes": settings.IMPORT_MAX_BYTES}
    if request.method == "GET":
        return _import_page(request, ImportFileForm(**form_kwargs))
    form = ImportFileForm(
        request.POST, request.FILES, too_large=size_limit.too_large, **form_kwargs
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importing.check_file(
                upload.name,
                upload.read(),
                user=request.user,
                zone=timezone.get_current_timezone(),
            )
        except importing.FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            pending = importing.keep_pending(request.user, report)
            return redirect("journal:import_review", pk=pending.pk)
    return _import_page(request, form, status=400)


def _import_page(request: HttpRequest, form: ImportFileForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "areas": PainArea.values, "notes_max_length": NOTES_MAX_LENGTH}
    return render(request, "journal/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(request.user.pending_imports, pk=pk)
    if request.method == "GET":
        return render(request, "journal/import_review.html", {"pending": pending, **pending.report})
    if request.POST.get("action") == "cancel":
        pending.delete()
        messages.info(request, "Import cancelled. Nothing was added to your journal.")
        return redirect("journal:import")
    try:
        outcome = importing.import_pending(request.user, pending.pk)
    except importing.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("journal:import")
    if outcome is None:
        messages.info(request, "That file has already been imported.")
    else:
        skipped = (
            f" {outcome.skipped} {'was' if outcome.skipped == 1 else 'were'} already in your "
            "journal and skipped."
            if outcome.skipped
            else ""
        )
        messages.success(
            request, f"Imported {outcome.created} session{pluralize(outcome.created)}.{skipped}"
        )
    return redirect("journal:list")


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
        "registration/api_tokens.html",
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


@login_required
@require_safe
def experiment_list(request: HttpRequest) -> HttpResponse:
    running = experiments.active_experiment(request.user)
    return render(
        request,
        "journal/experiment_list.html",
        {
            "running": running,
            "upcoming": experiments.next_session(running),
            "past": experiments.with_progress(
                experiments.experiments_for(request.user).exclude(status="active")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_create(request: HttpRequest) -> HttpResponse:
    running = experiments.active_experiment(request.user)
    if request.method == "POST":
        form = ExperimentForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                experiment = form.save()
            except IntegrityError:
                # Another tab started one between the check and the save.
                form.add_error(None, "You already have an experiment running.")
            else:
                messages.success(request, "Experiment started. Your first session is below.")
                return redirect(experiment)
    else:
        form = ExperimentForm(
            user=request.user,
            initial={key: request.GET[key] for key in ("point_a", "point_b") if key in request.GET},
        )
    return render(request, "journal/experiment_form.html", {"form": form, "running": running})


@login_required
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Looked up before the method check, so another user's id is a 404 whatever the method.
    experiment = queries.get_experiment_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    counts = experiments.arm_counts(experiment)
    return render(
        request,
        "journal/experiment_detail.html",
        {
            "experiment": experiment,
            "counts": counts,
            "done": counts["A"] + counts["B"],
            "upcoming": experiments.next_session(experiment),
            "slots": experiments.slots(experiment),
            "comparison": experiments.result(experiment)
            if experiment.status == ExperimentStatus.COMPLETED
            else None,
            "min_sessions": stats.MIN_SESSIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = queries.get_experiment_for_user(request.user, pk)
    if not experiment.is_active:
        messages.info(request, "This experiment has already ended.")
        return redirect(experiment)
    if request.method == "POST":
        experiments.abandon(experiment)
        messages.success(
            request, "Experiment abandoned. Its sessions stay in your journal as ordinary sessions."
        )
        return redirect("journal:experiment_list")
    return render(request, "journal/experiment_confirm_abandon.html", {"experiment": experiment})
