"""Helpers shared by the evaluation pages: scoped lookups, the 403 page, the rules in force."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.core.rules import rule
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization

from .. import rules, selectors
from ..models import EvaluationRound


def wants_fragment(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def partial(request: HttpRequest, template: str, name: str) -> str:
    return f"{template}#{name}" if wants_fragment(request) else template


def visible_round(request: HttpRequest, pk: int) -> EvaluationRound:
    return selectors.round_get(user=request.user, pk=pk)


def org_in_round(request: HttpRequest, rnd: EvaluationRound, org_pk: int) -> Organization:
    """The organization if the user sees it and it lies under the round's organization; 404 otherwise."""
    org = org_selectors.organization_get(user=request.user, pk=org_pk)
    if not org.path.startswith(rnd.organization.path) or not _may_follow(request, org):
        raise Http404
    return org


def _may_follow(request: HttpRequest, org: Organization) -> bool:
    """Progress and cell pages name who was disciplined and how each member was ranked: for the
    cell committee and above, not for a member who only holds the member role (their own result is
    on «Đánh giá của tôi»)."""
    from .. import services

    return services.can_propose(request.user, org)


def start_org(request: HttpRequest, rnd: EvaluationRound) -> Organization:
    """Where a user's view of a round starts: the round's organization if visible, else the top of
    the user's scope under it (a commune in the province's round)."""
    visible = Organization.objects.visible_to(request.user).filter(pk=rnd.organization_id).exists()
    if visible and _may_follow(request, rnd.organization):
        return rnd.organization
    for root in org_selectors.scope_roots(user=request.user):
        if root.path.startswith(rnd.organization.path) and _may_follow(request, root):
            return root
    raise Http404


def crumbs(request: HttpRequest, rnd: EvaluationRound, org: Organization) -> list[Organization]:
    """The visible organizations from the round's organization down to `org`'s parent."""
    return [
        a
        for a in org_selectors.breadcrumbs(user=request.user, org=org)
        if a.path.startswith(rnd.organization.path)
    ]


def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The 403 page with the service's own Vietnamese message."""
    message = str(exc) or "Tài khoản của bạn không được phép thực hiện thao tác này."
    return render(request, "evaluations/forbidden.html", {"message": message}, status=403)


@dataclass(frozen=True)
class RuleLine:
    title: str
    text: str
    source: str


def _source(r: Any) -> str:
    return f"{r.article} {r.legal_basis.label}".strip() if r.article else r.legal_basis.label


def rules_in_force(rnd: EvaluationRound) -> list[RuleLine]:
    """The ranking rules that apply to the round (those in force on its last day), with their source."""
    on = rnd.period_end
    lines = []
    levels = rule("evaluation.levels", on=on, before_first=True)
    s = levels.value
    if s.get("excellent") is None:
        text = "Xếp loại theo tiêu chí, không theo thang điểm."
    else:
        text = (
            f"HTXS từ {s['excellent']} điểm và có ít nhất {s['excellent_exceeded_share']}% chỉ tiêu, "
            f"nhiệm vụ vượt; HTT từ {s['good']} đến dưới {s['excellent']}; HT từ {s['completed']} đến dưới "
            f"{s['good']}; KHT dưới {s['completed']} điểm."
        )
    lines.append(RuleLine("Thang điểm xếp loại", text, _source(levels)))
    percent, source = rules.excellent_cap(on=on)
    cap = (
        "Không áp dụng trong kỳ này."
        if percent is None
        else f"Số đảng viên HTXS không quá {percent}% số đảng viên HTT trong mỗi tổ chức cơ sở đảng."
    )
    lines.append(RuleLine("Tỷ lệ hoàn thành xuất sắc", cap, source))
    disc = rule("evaluation.disciplined_member_not_completed", on=on, before_first=True)
    text = "Xếp loại KHT." if disc.value else "Không bắt buộc xếp loại KHT."
    lines.append(RuleLine("Đảng viên bị kỷ luật trong kỳ", text, _source(disc)))
    try:
        blocked = rule("evaluation.collective_excellent_blocked", on=on)
    except ImproperlyConfigured:
        blocked = None
    if blocked is not None:
        reasons = [
            label
            for key, label in (
                ("subordinate_disciplined", "có tổ chức trực thuộc bị kỷ luật"),
                ("leadership_disciplined", "có cấp ủy viên bị kỷ luật"),
            )
            if blocked.value.get(key)
        ]
        if reasons:
            text = "Không được xếp loại HTXS nếu " + " hoặc ".join(reasons) + "."
            lines.append(RuleLine("Tập thể", text, _source(blocked)))
    prob = rule("evaluation.probationary_ranked", on=on, before_first=True)
    text = "Được đánh giá, xếp loại." if prob.value else "Không xếp loại."
    lines.append(RuleLine("Đảng viên dự bị", text, _source(prob)))
    return lines
