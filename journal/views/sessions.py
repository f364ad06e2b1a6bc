"""Sessions: the journal list, logging a session, one session, its follow-up and delete."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from acupressure.models import Point

from .. import experiments, habits, home, queries
from ..forms.sessions import FollowUpForm, JournalFilterForm, PracticeSessionForm

SESSIONS_PER_PAGE = 25
# After saving, the journal opens with ?saved=<id>: that session is shown with "Undo" for this
# long after it was logged (a reload later just shows the journal).
SAVED_PARAMETER = "saved"
UNDO_WINDOW = timedelta(minutes=10)


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    filter_form = JournalFilterForm(request.GET or None, user=request.user)
    sessions = queries.session_list(request.user, filter_form).with_factors()
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(SAVED_PARAMETER, None)
    filtered = filter_form.is_bound and filter_form.has_changed()
    return render(
        request,
        "journal/sessions/session_list.html",
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
            "just_saved": queries.just_saved(
                request.user, request.GET.get(SAVED_PARAMETER, ""), UNDO_WINDOW
            ),
        },
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
                    _(
                        "Your experiment moved on while this page was open (perhaps you logged a "
                        "session in another tab), so nothing was saved. Open “Log a session” "
                        "again to see which point is next."
                    ),
                )
            else:
                home.forget_routine_opened(request)
                messages.success(request, _saved_message(session))
                # Back to the journal, where the new session shows with an undo button (no
                # confirmation page in between): one page load from "Save" to done.
                return redirect(
                    reverse("journal:list") + "?" + urlencode({SAVED_PARAMETER: session.pk})
                )
    elif "experiment" in request.GET:
        form = PracticeSessionForm(user=request.user)
        upcoming = form.next_experiment_session
        if upcoming is None:
            messages.warning(
                request,
                _("You have no experiment running, so this session will be logged on its own."),
            )
        else:
            form.initial.update(
                {"rest_only": True, "points": []}
                if upcoming.rest
                else {"points": [upcoming.point.slug]}
            )
            form.initial["count_in_experiment"] = True
    elif "again" in request.GET:
        form = PracticeSessionForm(
            user=request.user, initial=_prefill_again(request, request.GET["again"])
        )
    elif "routine" in request.GET:
        form = PracticeSessionForm(
            user=request.user, initial=_prefill_routine(request, request.GET["routine"])
        )
    else:
        initial, unknown = _prefill_points(request.GET.get("points", ""))
        if unknown:
            messages.warning(
                request,
                _("Not in the guides, so not ticked: %(points)s.") % {"points": ", ".join(unknown)},
            )
        if request.GET.get("rest") == "1":
            initial["rest_only"] = True
        form = PracticeSessionForm(user=request.user, initial=initial)
    return render(request, "journal/sessions/session_form.html", {"form": form, "creating": True})


def _saved_message(session) -> str:
    if session.experiment_id is None:
        return _("Session saved.")
    experiment = session.experiment
    if experiment.is_active:
        return _("Session saved and counted in your experiment.")
    return _("Session saved. That was the last one: your experiment is complete.")


def _prefill_points(raw: str) -> tuple[dict, list[str]]:
    slugs = slugs_from_query(raw)
    if not slugs:
        return {}, []
    known = set(Point.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return {"points": [s for s in slugs if s in known]}, [s for s in slugs if s not in known]


def slugs_from_query(raw: str) -> list[str]:
    # PostgreSQL refuses NUL characters in text parameters; no slug has one.
    raw = raw.replace("\x00", "")
    return [slug.strip().lower() for slug in raw.split(",") if slug.strip()][:20]


def _prefill_again(request: HttpRequest, reference: str) -> dict:
    """Initial values from ``?again=``: the same points (or rest) and area as that session."""
    session = queries.session_to_repeat(request.user, reference)
    if session is None:
        messages.warning(
            request,
            _(
                "We could not find that session in your journal, so nothing was filled in. "
                "Tick the points you pressed below."
            ),
        )
        return {}
    return {
        "points": [session_point.point.slug for session_point in session.session_points.all()],
        "area": session.area,
        "rest_only": session.rest_only,
    }


def _prefill_routine(request: HttpRequest, reference: str) -> dict:
    """Initial values from ``?routine=``: its points ticked and the session linked to it."""
    routine = queries.usable_routine(request.user, reference)
    if routine is None:
        messages.warning(
            request,
            _(
                "We could not find the routine “%(routine)s”, so nothing was filled in. "
                "Tick the points you pressed below."
            )
            % {"routine": reference[:60]},
        )
        return {}
    return {"points": [point.slug for point in routine.points], "routine": routine}


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    return render(
        request,
        "journal/sessions/session_detail.html",
        {"session": session, "follow_up_form": FollowUpForm(instance=session)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    form = PracticeSessionForm(request.POST or None, instance=session, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(session)
    return render(request, "journal/sessions/session_form.html", {"form": form, "session": session})


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
        messages.success(request, _("Follow-up rating saved."))
        return redirect(session)
    return render(
        request,
        "journal/sessions/session_detail.html",
        {"session": session, "follow_up_form": form},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.get_session_for_user(request.user, pk)
    if request.method == "POST":
        session.delete()
        messages.success(
            request,
            _("Undone: that session is deleted.")
            if "undo" in request.POST
            else _("Session deleted."),
        )
        return redirect("journal:list")
    return render(request, "journal/sessions/session_confirm_delete.html", {"session": session})
