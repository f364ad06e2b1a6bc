"""Fair experiments: point A against point B, or against resting, in a random, balanced order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .. import experiments, queries, stats
from ..forms.experiments import ExperimentForm
from ..models import ExperimentStatus


@login_required
@require_safe
def experiment_list(request: HttpRequest) -> HttpResponse:
    running = experiments.active_experiment(request.user)
    return render(
        request,
        "journal/experiments/experiment_list.html",
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
                form.add_error(None, _("You already have an experiment running."))
            else:
                messages.success(request, _("Experiment started. Your first session is below."))
                return redirect(experiment)
    else:
        form = ExperimentForm(
            user=request.user,
            initial={key: request.GET[key] for key in ("point_a", "point_b") if key in request.GET},
        )
    return render(
        request, "journal/experiments/experiment_form.html", {"form": form, "running": running}
    )


@login_required
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Looked up before the method check, so another user's id is a 404 whatever the method.
    experiment = queries.get_experiment_for_user(request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    counts = experiments.arm_counts(experiment)
    return render(
        request,
        "journal/experiments/experiment_detail.html",
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
        messages.info(request, _("This experiment has already ended."))
        return redirect(experiment)
    if request.method == "POST":
        experiments.abandon(experiment)
        messages.success(
            request,
            _("Experiment abandoned. Its sessions stay in your journal as ordinary sessions."),
        )
        return redirect("journal:experiment_list")
    return render(
        request, "journal/experiments/experiment_confirm_abandon.html", {"experiment": experiment}
    )
