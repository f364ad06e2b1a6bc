"""My factors: the built-in ones, and the user's own to add, rename and archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import queries
from ..forms.factors import FactorForm
from ..models import FACTORS_PER_USER_MAX


@login_required
def factor_list(request: HttpRequest) -> HttpResponse:
    factors = queries.factor_list(request.user)
    own = [factor for factor in factors if not factor.built_in]
    return render(
        request,
        "journal/factors/factor_list.html",
        {
            "built_in": [factor for factor in factors if factor.built_in],
            "own": own,
            "can_add": len(own) < FACTORS_PER_USER_MAX,
            "factors_max": FACTORS_PER_USER_MAX,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def factor_create(request: HttpRequest) -> HttpResponse:
    form = FactorForm(request.POST or None, owner=request.user)
    if request.method == "POST" and _saved(form):
        messages.success(
            request,
            _("“%(name)s” added. The log form offers it under “Anything else today?”.")
            % {"name": form.instance.name},
        )
        return redirect("journal:factor_list")
    return render(request, "journal/factors/factor_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def factor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    factor = queries.get_factor_for_user(request.user, pk)
    old_name = factor.name
    form = FactorForm(request.POST or None, instance=factor, owner=request.user)
    if request.method == "POST" and _saved(form):
        messages.success(
            request,
            _("“%(old_name)s” is now called “%(new_name)s”, on past sessions too.")
            % {"old_name": old_name, "new_name": factor.name},
        )
        return redirect("journal:factor_list")
    return render(
        request,
        "journal/factors/factor_form.html",
        {"form": form, "factor": factor, "old_name": old_name},
    )


def _saved(form: FactorForm) -> bool:
    """Save a valid form. The same name saved twice at once (two tabs) is refused, not a 500."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error("name", _("You already have a factor with this name."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def factor_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive a factor (it stays on past sessions, no longer offered), or offer it again."""
    factor = queries.get_factor_for_user(request.user, pk)
    if request.method == "POST":
        factor.archived = not factor.archived
        factor.save(update_fields=["archived"])
        if factor.archived:
            messages.success(
                request,
                _("“%(name)s” archived. Past sessions keep it; the log form no longer offers it.")
                % {"name": factor.name},
            )
        else:
            messages.success(
                request, _("“%(name)s” is offered on the log form again.") % {"name": factor.name}
            )
    # Opened directly: the button lives on the list. Fetching first keeps others' ids a 404.
    return redirect("journal:factor_list")
