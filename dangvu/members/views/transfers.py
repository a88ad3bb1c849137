"""Chuyển sinh hoạt: an organization's inbox of pending incoming and outgoing transfers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.permissions import can_manage_organization

from .. import forms, selectors, services
from ..models import Member, Transfer
from .common import ancestors, default_org


def _deadline(t: Transfer, today: Any) -> str:
    if t.state != Transfer.State.PENDING:
        return ""
    if t.report_due_on < today:
        return "overdue"
    if (t.report_due_on - today).days <= 3:
        return "due"
    return ""


@login_required
@require_GET
def transfer_inbox(request: HttpRequest, org_pk: int | None = None) -> HttpResponse:
    org = org_selectors.organization_get(user=request.user, pk=org_pk) if org_pk else default_org(request)
    if org is None:
        raise Http404
    today = timezone.localdate()
    rows = [
        t
        for state in (Transfer.State.PENDING, Transfer.State.ACTIVE)
        for t in selectors.transfers_for(user=request.user, organization=org, state=state)
    ]
    rows = _members_visible(request, rows)
    incoming, outgoing = [], []
    for t in rows:
        t.deadline = _deadline(t, today)
        t.incoming = t.to_org_id is not None and t.to_org.path.startswith(org.path)
        t.may_accept = (
            t.state == Transfer.State.PENDING
            and t.incoming
            and can_manage_organization(request.user, t.to_org)
        )
        t.may_cancel = t.state == Transfer.State.PENDING and can_manage_organization(request.user, t.from_org)
        t.may_end = t.state == Transfer.State.ACTIVE and (
            can_manage_organization(request.user, t.from_org)
            or (t.to_org_id and can_manage_organization(request.user, t.to_org))
        )
        (incoming if t.incoming else outgoing).append(t)
    context = {
        "org": org,
        "ancestors": ancestors(request, org),
        "incoming": incoming,
        "outgoing": outgoing,
        "today": today,
    }
    return render(request, "members/transfers.html", context)


def _members_visible(request: HttpRequest, rows: list[Transfer]) -> list[Transfer]:
    """Only the transfers of members the user may see: a plain member's role covers the cell, but
    they see only their own record (`Member.objects.visible_to`), so not their cell's transfers."""
    ids = {t.member_id for t in rows}
    visible = set(Member.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    return [t for t in rows if t.member_id in visible]


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    if not _members_visible(request, [transfer]):
        raise Http404
    return transfer


TRANSFER_STEPS = {
    "tiep-nhan": ("Tiếp nhận đảng viên chuyển đến", "Tiếp nhận", "Ngày tiếp nhận", False),
    "huy": ("Hủy giới thiệu chuyển sinh hoạt", "Hủy giới thiệu", "Ngày", True),
    "ket-thuc": ("Kết thúc sinh hoạt tạm thời", "Kết thúc", "Ngày kết thúc", False),
    "gia-han": ("Gia hạn sinh hoạt tạm thời", "Gia hạn", "Ngày gia hạn", True),
}


@login_required
def transfer_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in TRANSFER_STEPS:
        raise Http404
    transfer = _transfer(request, pk)
    title, button, date_label, reason_required = TRANSFER_STEPS[step]
    if step == "gia-han":
        form: Any = forms.TransferExtendForm(request.POST or None)
    else:
        form = forms.TransferDecisionForm(
            request.POST or None, reason_required=reason_required, date_label=date_label
        )
    if step == "huy":
        del form.fields["on"]
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not back.startswith("/") or back.startswith("//"):
        back = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if step == "tiep-nhan":
                services.transfer_accept(
                    actor=request.user, transfer=transfer, accepted_on=d.get("on"), reason=d["reason"]
                )
                done = f"Đã tiếp nhận {transfer.member.full_name} về {transfer.to_org.name}."
            elif step == "huy":
                services.transfer_cancel(actor=request.user, transfer=transfer, reason=d["reason"])
                done = f"Đã hủy giới thiệu chuyển sinh hoạt của {transfer.member.full_name}."
            elif step == "gia-han":
                services.temporary_transfer_extend(
                    actor=request.user,
                    transfer=transfer,
                    new_end=d["new_end"],
                    reason=d["reason"],
                    on=d.get("on"),
                )
                done = (
                    f"Đã gia hạn sinh hoạt tạm thời của {transfer.member.full_name} "
                    f"đến ngày {d['new_end']:%d/%m/%Y}."
                )
            else:
                services.temporary_transfer_end(
                    actor=request.user, transfer=transfer, ended_on=d.get("on"), reason=d["reason"]
                )
                done = f"Đã kết thúc sinh hoạt tạm thời của {transfer.member.full_name}."
        except (ValidationError, PermissionDenied) as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, done)
            if back:
                return redirect(back)
            return redirect("members:transfer_inbox")
    context = {
        "transfer": transfer,
        "form": form,
        "title": title,
        "button": button,
        "step": step,
        "next": back,
    }
    return render(request, "members/transfer_step.html", context)
