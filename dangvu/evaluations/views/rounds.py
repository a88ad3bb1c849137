"""Round pages: the list, the create form, the detail with open, close and reopen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.core.formats import fmt_int
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_any, can_manage_organization, managed_paths

from .. import forms, selectors, services
from ..choices import RoundState
from ..models import MemberRating
from .common import forbidden, rules_in_force, start_org, visible_round


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.round_list(user=request.user))
    context = {
        "rounds": rounds,
        "can_create": can_manage_any(request.user),
        "has_own": selectors.my_ratings(user=request.user).exists(),
    }
    return render(request, "evaluations/round_list.html", context)


def _openers(user: Any) -> Any:
    """Organizations the user may open a round for: the committees (not cells) they manage."""
    qs = Organization.objects.active().filter(kind__in=services.DECIDING_KINDS).order_by("path")
    paths = managed_paths(user)
    if paths is None:
        return qs
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return qs.filter(q)


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    if not can_manage_any(request.user):
        return forbidden(request, PermissionDenied("Chỉ cán bộ tổ chức mới tạo được đợt đánh giá."))
    form = forms.RoundCreateForm(request.POST or None, organizations=_openers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã tạo «{rnd.name}» (dự thảo). Kiểm tra lại rồi mở đợt.")
            return redirect("evaluations:round_detail", pk=rnd.pk)
    return render(request, "evaluations/round_form.html", {"form": form})


def _detail_context(request: HttpRequest, rnd: Any, **extra: Any) -> dict[str, Any]:
    manage = can_manage_organization(request.user, rnd.organization)
    context: dict[str, Any] = {
        "round": rnd,
        "start": start_org(request, rnd),
        "can_manage": manage,
        "rules": rules_in_force(rnd),
        "close_form": forms.CloseForm(),
        "reopen_form": forms.ReopenForm(),
        "history": list(rnd.history.select_related("history_user").order_by("-history_date")[:10]),
    }
    if manage and rnd.state == RoundState.OPEN:
        context["violations"] = services.round_violations(rnd)
        context["undecided_members"] = MemberRating.objects.filter(
            round=rnd, ranked=True, decided_level=""
        ).count()
        context["undecided_orgs"] = rnd.organization_ratings.filter(decided_level="").count()
    context.update(extra)
    return context


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    return render(request, "evaluations/round_detail.html", _detail_context(request, rnd))


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    try:
        result = services.round_open(actor=request.user, round=rnd)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"Đã mở đợt đánh giá: {fmt_int(result.members)} đảng viên trong danh sách "
            f"({fmt_int(result.ranked_members)} thuộc diện xếp loại), {fmt_int(result.organizations)} "
            "tập thể cần xếp loại.",
        )
    return redirect("evaluations:round_detail", pk=rnd.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.round_close(
                actor=request.user, round=rnd, override_reason=form.cleaned_data["override_reason"]
            )
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, "Đã kết thúc đợt đánh giá.")
            return redirect("evaluations:round_detail", pk=rnd.pk)
    context = _detail_context(request, rnd, close_form=form)
    return render(request, "evaluations/round_detail.html", context, status=400)


@login_required
@require_POST
def round_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.round_reopen(actor=request.user, round=rnd, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, "Đã mở lại đợt đánh giá.")
            return redirect("evaluations:round_detail", pk=rnd.pk)
    context = _detail_context(request, rnd, reopen_form=form)
    return render(request, "evaluations/round_detail.html", context, status=400)
