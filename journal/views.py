from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from acupressure.models import Point

from . import exporting, importing, queries
from .forms import (
    ApiTokenForm,
    DeleteAccountForm,
    FollowUpForm,
    ImportFileForm,
    JournalFilterForm,
    PracticeSessionForm,
    ProfileForm,
    SignUpForm,
)
from .middleware import remember_time_zone
from .models import NOTES_MAX_LENGTH, ApiToken, PainArea
from .uploads import SizeLimitUploadHandler

SESSIONS_PER_PAGE = 25


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    filter_form = JournalFilterForm(request.GET or None)
    sessions = queries.session_list(request.user, filter_form)
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "journal/session_list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filtered": filter_form.is_bound and filter_form.has_changed(),
            "query_string": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PracticeSessionForm(request.POST, user=request.user)
        if form.is_valid():
            session = form.save()
            messages.success(request, "Session saved.")
            return redirect(session)
    else:
        initial, unknown = _prefill_points(request.GET.get("points", ""))
        if unknown:
            messages.warning(request, f"Not in the guides, so not ticked: {', '.join(unknown)}.")
        form = PracticeSessionForm(user=request.user, initial=initial)
    return render(request, "journal/session_form.html", {"form": form, "creating": True})


def _prefill_points(raw: str) -> tuple[dict, list[str]]:
    slugs = [slug.strip().lower() for slug in raw.split(",") if slug.strip()][:20]
    if not slugs:
        return {}, []
    known = set(Point.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return {"points": [s for s in slugs if s in known]}, [s for s in slugs if s not in known]


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


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("journal:list")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
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
    return render(request, "registration/settings.html", {"form": form})


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
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    token.delete()
    messages.success(
        request,
        f"Token “{token.name}” revoked. Anything using it can no longer reach your journal.",
    )
    return redirect("api_tokens")
