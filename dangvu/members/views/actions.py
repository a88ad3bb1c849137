"""The forms that change a member: admit, corrections, and the lifecycle actions.

Each form asks for the effective date, the decision and a reason, then calls one service. A
service refusal (a rule of the regulations, a duplicate CCCD…) is shown on the form in Vietnamese;
nothing is half-written because every service runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import managed_paths

from .. import forms, rules, services
from ..choices import ACTIVE_STATUSES, Status
from ..models import Member
from .common import ancestors, managed_member, visible_member, wants_fragment

DESTINATIONS_SHOWN = 20


@dataclass(frozen=True)
class Action:
    title: str
    button: str
    form: type
    run: Callable[[Any, Member, dict[str, Any]], Any]
    done: str
    available: Callable[[Member], bool] = lambda m: m.status in ACTIVE_STATUSES
    danger: bool = False
    icon: str = "bi-check2"


def _recognize(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_recognize_official(actor=actor, member=member, **d)


def _exempt(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_exempt(actor=actor, member=member, **d)


def _end_exemption(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_end_exemption(actor=actor, member=member, **d)


def _exit(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_exit(actor=actor, member=member, **d)


def _discipline(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_discipline(actor=actor, member=member, **d)


def _badge(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_award_badge(actor=actor, member=member, **d)


def _transfer(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.transfer_issue(actor=actor, member=member, **d)


def _restore(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_restore_contact(actor=actor, member=member, **d)


def _readmit(actor: Any, member: Member, d: dict[str, Any]) -> Any:
    return services.member_readmit(actor=actor, member=member, **d)


ACTIONS: dict[str, Action] = {
    "cong-nhan-chinh-thuc": Action(
        "Công nhận đảng viên chính thức", "Công nhận chính thức", forms.RecognizeForm, _recognize,
        "Đã công nhận {m} là đảng viên chính thức.", lambda m: m.status == Status.PROBATIONARY,
        icon="bi-patch-check",
    ),
    "chuyen-sinh-hoat": Action(
        "Giới thiệu chuyển sinh hoạt đảng", "Giới thiệu chuyển sinh hoạt", forms.TransferIssueForm, _transfer,
        "Đã giới thiệu chuyển sinh hoạt cho {m}; chờ nơi đến tiếp nhận.", icon="bi-box-arrow-right",
    ),
    "mien-sinh-hoat": Action(
        "Miễn công tác và sinh hoạt đảng", "Miễn sinh hoạt", forms.ExemptForm, _exempt,
        "Đã miễn công tác và sinh hoạt đảng cho {m}.",
        lambda m: m.status in ACTIVE_STATUSES and not m.exempted, icon="bi-pause-circle",
    ),
    "thoi-mien": Action(
        "Thôi miễn công tác và sinh hoạt đảng", "Thôi miễn", forms.ExemptForm, _end_exemption,
        "Đã thôi miễn công tác và sinh hoạt đảng cho {m}.", lambda m: m.exempted, icon="bi-play-circle",
    ),
    "ky-luat": Action(
        "Kỷ luật đảng viên", "Ghi nhận kỷ luật", forms.DisciplineForm, _discipline,
        "Đã ghi nhận kỷ luật đối với {m}.", danger=True, icon="bi-exclamation-triangle",
    ),
    "huy-hieu": Action(
        "Trao Huy hiệu Đảng", "Ghi nhận Huy hiệu", forms.BadgeForm, _badge,
        "Đã ghi nhận trao Huy hiệu Đảng cho {m}.",
        lambda m: m.status in (*ACTIVE_STATUSES, Status.DECEASED), icon="bi-award",
    ),
    "ra-khoi-dang": Action(
        "Xóa tên, khai trừ, ra khỏi Đảng, từ trần", "Ghi nhận", forms.ExitForm, _exit,
        "Đã ghi nhận: {m} thôi là đảng viên trong danh sách.",
        lambda m: m.status in (*ACTIVE_STATUSES, Status.CONTACT_LOST), danger=True, icon="bi-person-x",
    ),
    "ket-nap-lai": Action(
        "Kết nạp lại vào Đảng", "Kết nạp lại", forms.ReadmitForm, _readmit,
        "Đã kết nạp lại {m}; đảng viên dự bị từ ngày lễ kết nạp.",
        lambda m: m.status in (Status.REMOVED, Status.EXPELLED), icon="bi-person-plus",
    ),
    "lien-lac-lai": Action(
        "Đảng viên liên lạc lại", "Ghi nhận liên lạc lại", forms.RestoreContactForm, _restore,
        "Đã ghi nhận {m} liên lạc lại.", lambda m: m.status == Status.CONTACT_LOST, icon="bi-telephone",
    ),
}  # fmt: skip


def actions_for(member: Member) -> list[tuple[str, Action]]:
    return [(slug, a) for slug, a in ACTIONS.items() if a.available(member)]


def _apply_service_errors(form: Any, exc: ValidationError | PermissionDenied) -> None:
    forms.add_service_errors(form, exc)


@login_required
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    member = managed_member(request, pk)
    initial = {"kind": request.GET.get("hinh_thuc")} if action == "ra-khoi-dang" else {}
    extra: dict[str, Any] = {} if action == "chuyen-sinh-hoat" else {"member": member}
    if action == "ket-nap-lai":
        extra["organizations"] = admit_organizations(request.user)
    form = spec.form(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)
        try:
            spec.run(request.user, member, data)
        except (ValidationError, PermissionDenied) as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, spec.done.format(m=member.full_name))
            return redirect("members:member_detail", pk=member.pk)
    context = {
        "member": member,
        "org": member.organization,
        "ancestors": ancestors(request, member.organization),
        "form": form,
        "action": spec,
        "slug": action,
        "expected_official_on": rules.expected_official_on(member)
        if action == "cong-nhan-chinh-thuc"
        else None,
        "destinations": list(forms.transfer_destinations()[:DESTINATIONS_SHOWN])
        if action == "chuyen-sinh-hoat"
        else [],
    }
    return render(request, "members/action.html", context)


@login_required
@require_GET
def transfer_destinations(request: HttpRequest) -> HttpResponse:
    """The destination search of the transfer form: name and code of active cells, any scope."""
    q = request.GET.get("q", "").strip()
    found = list(forms.transfer_destinations(q)[: DESTINATIONS_SHOWN + 1])
    context = {
        "destinations": found[:DESTINATIONS_SHOWN],
        "more": len(found) > DESTINATIONS_SHOWN,
        "q": q,
        "selected": request.GET.get("to_org", ""),
    }
    return render(request, "members/includes/destinations.html", context)


@login_required
def member_correct(request: HttpRequest, pk: int) -> HttpResponse:
    member = managed_member(request, pk)
    form = forms.MemberCorrectForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "Không có thông tin nào thay đổi, không có gì được ghi.")
            return redirect("members:member_detail", pk=member.pk)
        try:
            services.member_update(
                actor=request.user, member=member, changes=changes, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, f"Đã sửa hồ sơ của {member.full_name}.")
            return redirect("members:member_detail", pk=member.pk)
    context = {
        "member": member,
        "org": member.organization,
        "ancestors": ancestors(request, member.organization),
        "form": form,
    }
    return render(request, "members/correct.html", context)


def admit_organizations(user: Any) -> Any:
    """Where the user may admit: the active cells and base cells they manage."""
    from django.db.models import Q

    qs = Organization.objects.visible_to(user).active().filter(kind__in=forms.HOST_KINDS)
    paths = managed_paths(user)
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(path__startswith=p)
        qs = qs.filter(q)
    return qs.order_by("path")


@login_required
def member_admit(request: HttpRequest) -> HttpResponse:
    orgs = admit_organizations(request.user)
    if not orgs.exists():
        raise Http404
    initial = {}
    if request.GET.get("to_chuc", "").isdigit():
        initial["organization"] = int(request.GET["to_chuc"])
    form = forms.MemberAdmitForm(request.POST or None, organizations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.record_data()
        try:
            member = services.member_admit(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=data,
                decision_ref=form.cleaned_data["decision_ref"],
                decision_date=data.get("admission_decision_date"),
                reason=form.cleaned_data["reason"],
                **form.special_kwargs(),
            )
        except (ValidationError, PermissionDenied) as exc:
            _apply_service_errors(form, exc)
        else:
            messages.success(request, f"Đã kết nạp {member.full_name} vào {member.organization.name}.")
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/admit.html", {"form": form})


__all__ = ["visible_member", "wants_fragment"]
