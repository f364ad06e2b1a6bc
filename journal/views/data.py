"""Your data: export as CSV or JSON, and import a file after checking every row."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from .. import exporting, importing
from ..forms.data import ImportFileForm
from ..models import NOTES_MAX_LENGTH, PainArea
from ..uploads import SizeLimitUploadHandler


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
    return render(request, "journal/data/import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    pending = get_object_or_404(request.user.pending_imports, pk=pk)
    if request.method == "GET":
        return render(
            request, "journal/data/import_review.html", {"pending": pending, **pending.report}
        )
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
