"""My routines: a user's own sequences of points, their timer, and a rest timer as long as one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from acupressure.models import Routine

from .. import home, queries
from ..forms.routines import (
    RoutineForm,
    routine_step_formset,
    step_rows_for_points,
    step_rows_for_routine,
)
from .sessions import slugs_from_query


@login_required
def routine_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "journal/routines/routine_list.html",
        {"routines": queries.routine_list(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def routine_create(request: HttpRequest) -> HttpResponse:
    form = RoutineForm(request.POST or None, owner=request.user)
    if request.method == "POST":
        steps = routine_step_formset(request.POST)
        if all([form.is_valid(), steps.is_valid()]):
            routine = form.save_with_steps(steps.steps())
            messages.success(request, _("Routine saved. Start the timer when you are ready."))
            return redirect(routine)
    else:
        steps = routine_step_formset(
            initial=step_rows_for_points(slugs_from_query(request.GET.get("points", "")))
        )
    return render(
        request,
        "journal/routines/routine_form.html",
        {"form": form, "steps": steps, "creating": True},
    )


@login_required
def routine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    return render(request, "acupressure/routine_detail.html", {"routine": routine})


@login_required
def routine_play(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    home.remember_routine_opened(request, routine)
    return render(request, "acupressure/routine_play.html", {"routine": routine})


@login_required
@require_safe
def rest_timer(request: HttpRequest) -> HttpResponse:
    """Rest, pressing nothing, for as long as ``?routine=`` takes (a guide's slug or the number of
    one of the user's own); without one, a choice of routines."""
    reference = request.GET.get("routine", "")
    routine = queries.usable_routine(request.user, reference) if reference else None
    if routine is None:
        return render(
            request,
            "journal/routines/rest_choose.html",
            {
                "routines": Routine.objects.usable_by(request.user).with_steps(),
                "not_found": bool(reference),
            },
        )
    return render(request, "journal/routines/rest_timer.html", {"routine": routine})


@login_required
@require_http_methods(["GET", "POST"])
def routine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    form = RoutineForm(request.POST or None, instance=routine, owner=request.user)
    if request.method == "POST":
        steps = routine_step_formset(request.POST)
        if all([form.is_valid(), steps.is_valid()]):
            form.save_with_steps(steps.steps())
            messages.success(request, _("Routine saved."))
            return redirect(routine)
    else:
        steps = routine_step_formset(initial=step_rows_for_routine(routine))
    return render(
        request,
        "journal/routines/routine_form.html",
        {"form": form, "steps": steps, "routine": routine},
    )


@login_required
@require_http_methods(["GET", "POST"])
def routine_delete(request: HttpRequest, pk: int) -> HttpResponse:
    routine = queries.get_routine_for_user(request.user, pk)
    if request.method == "POST":
        routine.delete()
        messages.success(
            request, _("Routine deleted. Sessions you logged with it are still there.")
        )
        return redirect("journal:routine_list")
    return render(request, "journal/routines/routine_confirm_delete.html", {"routine": routine})
