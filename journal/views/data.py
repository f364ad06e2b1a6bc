"""Your data: export as CSV or JSON, and import a file after checking every row."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from .. import exporting, importing
from ..forms.data import ImportFileForm
from ..models import NOTES_MAX_LENGTH, PainArea
from ..uploads import MULTIPART_OVERHEAD, HourlyUploadLimit, SizeLimitUploadHandler


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
    uploads = HourlyUploadLimit(request.user, settings.IMPORT_UPLOADS_PER_HOUR)
    if request.method == "POST" and (wait := uploads.wait_seconds()):
        # Refused before anything parses the body: the file is not read, checked or kept.
        return _too_many_uploads(request, wait)
    # Upload handlers must be set before anything reads the body, and CSRF checking reads it.
    size_limit = SizeLimitUploadHandler(request, settings.IMPORT_MAX_BYTES)
    request.upload_handlers.insert(0, size_limit)
    return _import_upload(request, size_limit, uploads)


@csrf_protect
def _import_upload(
    request: HttpRequest, size_limit: SizeLimitUploadHandler, uploads: HourlyUploadLimit
) -> HttpResponse:
    form_kwargs = {"max_bytes": settings.IMPORT_MAX_BYTES}
    if request.method == "GET":
        return _import_page(request, ImportFileForm(**form_kwargs))
    # Counted once the CSRF check has passed, so another site cannot use up someone's uploads.
    uploads.record()
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


def _import_page(
    request: HttpRequest, form: ImportFileForm, status: int = 200, **extra
) -> HttpResponse:
    context = {
        "form": form,
        "areas": PainArea.values,
        "notes_max_length": NOTES_MAX_LENGTH,
        "max_rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
        "uploads_per_hour": settings.IMPORT_UPLOADS_PER_HOUR,
        **extra,
    }
    return render(request, "journal/data/import.html", context, status=status)


def _too_many_uploads(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with the import page, saying when the next upload can go."""
    # Read and drop the body (at most one file's worth) without parsing it: a server that closes
    # the connection with a request unread can reset it before the browser reads the answer.
    left = settings.IMPORT_MAX_BYTES + MULTIPART_OVERHEAD
    while left > 0 and (chunk := request.read(min(left, 64 * 1024))):
        left -= len(chunk)
    minutes = -(-wait // 60)
    limit = settings.IMPORT_UPLOADS_PER_HOUR
    sent = ngettext(
        "You have sent %(count)s file to import in the last hour, the most the journal checks "
        "in an hour.",
        "You have sent %(count)s files to import in the last hour, the most the journal checks "
        "in an hour.",
        limit,
    ) % {"count": limit}
    next_one = ngettext(
        "You can send another in %(count)s minute.",
        "You can send another in %(count)s minutes.",
        minutes,
    ) % {"count": minutes}
    message = f"{sent} {next_one}"
    form = ImportFileForm(max_bytes=settings.IMPORT_MAX_BYTES)
    response = _import_page(request, form, status=429, too_many_uploads=message)
    response["Retry-After"] = str(wait)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, pk: int) -> HttpResponse:
    # The rows (up to IMPORT_MAX_ROWS of them) are read only to import them.
    pending = get_object_or_404(request.user.pending_imports.defer("rows"), pk=pk)
    if request.method == "GET":
        report = pending.report
        not_listed = report.get("problem_count", 0) - len(report.get("problems", []))
        context = {"pending": pending, "problems_not_listed": not_listed, **report}
        return render(request, "journal/data/import_review.html", context)
    if request.POST.get("action") == "cancel":
        pending.delete()
        messages.info(request, _("Import cancelled. Nothing was added to your journal."))
        return redirect("journal:import")
    try:
        outcome = importing.import_pending(request.user, pending.pk)
    except importing.FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("journal:import")
    if outcome is None:
        messages.info(request, _("That file has already been imported."))
    else:
        message = ngettext(
            "Imported %(count)s session.", "Imported %(count)s sessions.", outcome.created
        ) % {"count": outcome.created}
        if outcome.skipped:
            skipped = ngettext(
                "%(count)s was already in your journal and skipped.",
                "%(count)s were already in your journal and skipped.",
                outcome.skipped,
            ) % {"count": outcome.skipped}
            message = f"{message} {skipped}"
        messages.success(request, message)
    return redirect("journal:list")
