"""Round pages: the list, the create form, the detail with open, sync and close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.core.formats import fmt_int
from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.permissions import can_manage_any, managed_paths

from .. import forms, services
from ..models import Congress, CongressRound
from .common import forbidden, rules_in_force, start_org, visible_round

# Organizations that direct congresses below them; a cell or a party group has nobody under it to run.
OPENER_KINDS = (
    Kind.CENTRAL,
    Kind.PROVINCE,
    Kind.PROVINCIAL_BLOC,
    Kind.DISTRICT,
    Kind.COMMUNE,
    Kind.BASE_COMMITTEE,
    Kind.SUB_COMMITTEE,
)


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    # A round opened above the user's scope may hold nothing in it (a cell secretary and the
    # base-level round): the list says so instead of offering a progress of 0/0.
    in_scope = Exists(Congress.objects.visible_to(request.user).filter(round=OuterRef("pk")))
    rounds = list(
        CongressRound.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(in_scope=in_scope)
        .order_by("-term_start_year", "-starts_on", "-id")
    )
    context = {"rounds": rounds, "can_create": can_manage_any(request.user)}
    return render(request, "congresses/round_list.html", context)


def _openers(user: Any) -> QuerySet[Organization]:
    """Organizations the user may open a round for: the committees they manage."""
    qs = Organization.objects.active().filter(kind__in=OPENER_KINDS).order_by("path")
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
        return forbidden(request, PermissionDenied("Chỉ cán bộ tổ chức mới tạo được đợt đại hội."))
    form = forms.RoundCreateForm(request.POST or None, organizations=_openers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã tạo «{rnd.name}» (đang chuẩn bị). Kiểm tra lại rồi mở đợt.")
            return redirect("congresses:round_detail", pk=rnd.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "congresses/round_form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, rnd: CongressRound, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "round": rnd,
        "start": start_org(request, rnd),
        "can_manage": services.can_manage_round(request.user, rnd),
        "rules": rules_in_force(rnd),
        "close_form": forms.CloseForm(),
        "congress_count": rnd.congresses.count(),
        "history": list(rnd.history.select_related("history_user").order_by("-history_date")[:10]),
    }
    context.update(extra)
    return context


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    return render(request, "congresses/round_detail.html", _detail_context(request, rnd))


def _run(request: HttpRequest, rnd: CongressRound, action: Any, success: Any) -> HttpResponse:
    """Run a round service, with its refusal as a message (or the 403 page), back to the round."""
    try:
        result = action()
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success(result))
    return redirect("congresses:round_detail", pk=rnd.pk)


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)

    def done(result: CongressRound) -> str:
        n = result.congresses.count()
        return f"Đã mở đợt đại hội: {fmt_int(n)} tổ chức trong danh sách tổ chức đại hội."

    return _run(request, rnd, lambda: services.round_open(actor=request.user, round=rnd), done)


@login_required
@require_POST
def round_sync(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)

    def done(added: int) -> str:
        if not added:
            return "Danh sách đã đầy đủ: không có tổ chức mới thành lập cần bổ sung."
        return f"Đã bổ sung {fmt_int(added)} tổ chức mới thành lập vào danh sách tổ chức đại hội."

    return _run(request, rnd, lambda: services.round_sync(actor=request.user, round=rnd), done)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.round_close(actor=request.user, round=rnd, reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, "Đã kết thúc đợt đại hội.")
            return redirect("congresses:round_detail", pk=rnd.pk)
    context = _detail_context(request, rnd, close_form=form)
    return render(request, "congresses/round_detail.html", context, status=400)
