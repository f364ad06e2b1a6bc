"""Switching push reminders on and off for one browser: the settings page's script
(static/js/push.js) posts the browser's subscription here as JSON, with the CSRF token."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .. import push
from ..forms.push import PushEndpointForm, PushSubscriptionForm

# Shown to the user by static/js/push.js.
NOT_SET_UP = _(
    "Push reminders are not set up on this site. E-mail and calendar reminders still work."
)
NOT_JSON = _("Send the subscription as a JSON object, as the browser's PushSubscription gives it.")


def _json_object(request: HttpRequest) -> dict | None:
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        return None
    return data if isinstance(data, dict) else None


def _refused(form) -> JsonResponse:
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return JsonResponse({"error": " ".join(str(error) for error in errors)}, status=400)


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    if not push.is_configured():
        return JsonResponse({"error": str(NOT_SET_UP)}, status=404)
    data = _json_object(request)
    if data is None:
        return JsonResponse({"error": str(NOT_JSON)}, status=400)
    form = PushSubscriptionForm.from_json(data)
    if not form.is_valid():
        return _refused(form)
    push.subscribe(request.user, **form.cleaned_data)
    return JsonResponse({"subscribed": True}, status=201)


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    data = _json_object(request)
    if data is None:
        return JsonResponse({"error": str(NOT_JSON)}, status=400)
    form = PushEndpointForm.from_json(data)
    if not form.is_valid():
        return _refused(form)
    push.unsubscribe(request.user, form.cleaned_data["endpoint"])
    return JsonResponse({"subscribed": False})
