"""The member list (any subtree), its exports, the badge candidates and the access log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.models import AccessLog
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.permissions import can_manage_organization, is_system_admin

from .. import exporting, rules, selectors
from ..forms import BadgeFilterForm, MemberFilterForm
from ..models import Member
from .common import ancestors, default_org, partial

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: HttpRequest) -> tuple[MemberFilterForm, dict[str, Any]]:
    form = MemberFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()  # invalid filters are shown next to the field and left out
    return form, form.selector_kwargs() if form.is_bound else {"q": ""}


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    qs = selectors.member_list(user=request.user, **filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    org = form.cleaned_data.get("to_chuc") if form.is_bound and hasattr(form, "cleaned_data") else None
    register_org = org or default_org(request)
    context = {
        "form": form,
        "page": page,
        "org": org,
        "register_org": register_org,
        "filters_applied": any(v for k, v in filters.items() if k not in ("organization", "q")),
        "can_admit": register_org is not None and can_manage_organization(request.user, register_org),
        "ancestors": ancestors(request, org),
        "query": request.GET.urlencode(),
    }
    return render(request, partial(request, "members/list.html", "member-table"), context)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def member_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx. Every export is logged (who, which filters, how many rows)."""
    form, filters = _filtered(request)
    qs = selectors.member_list(user=request.user, **filters)
    org = form.cleaned_data.get("to_chuc") if hasattr(form, "cleaned_data") else None
    described = [
        f"{form[k].label}: {v}"
        for k, v in (form.cleaned_data if hasattr(form, "cleaned_data") else {}).items()
        if v
    ]
    # The exporter writes the access-log entry (who, how many rows, which filters).
    content = exporting.export_members_xlsx(
        user=request.user, queryset=qs, organization=org, filter_description="; ".join(described)[:300]
    )
    return _xlsx(content, f"danh-sach-dang-vien-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def member_register_export(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Sổ danh sách đảng viên (Mẫu 7-HSĐV) of an organization."""
    org = org_selectors.organization_get(user=request.user, pk=org_pk)
    content = exporting.export_member_register_xlsx(organization=org, user=request.user)  # logs the export
    return _xlsx(content, f"so-danh-sach-dang-vien-{org.code}.xlsx")


def _occasion(request: HttpRequest) -> date:
    return rules.next_badge_occasion(timezone.localdate())


@login_required
@require_GET
def badge_list(request: HttpRequest) -> HttpResponse:
    form = BadgeFilterForm(request.GET or None, user=request.user)
    org = form.cleaned_data.get("to_chuc") if form.is_bound and form.is_valid() else None
    org = org or default_org(request)
    if org is None:
        raise Http404
    occasion = _occasion(request)
    candidates = list(selectors.badge_candidates(user=request.user, organization=org, occasion=occasion))
    if request.GET.get("xuat") == "xlsx":
        content = exporting.export_members_xlsx(
            user=request.user,
            queryset=Member.objects.filter(pk__in=[c.pk for c in candidates]),
            title=f"Danh sách đảng viên đến hạn nhận Huy hiệu Đảng dịp {occasion:%d/%m/%Y}",
            organization=org,
        )
        return _xlsx(content, f"huy-hieu-dang-{occasion:%Y%m%d}-{org.code}.xlsx")
    context = {"form": form, "org": org, "occasion": occasion, "candidates": candidates}
    return render(request, "members/badges.html", context)


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    if not is_system_admin(request.user):
        raise Http404
    logs = AccessLog.objects.select_related("user").order_by("-at")
    action = request.GET.get("thao_tac")
    if action in AccessLog.Action.values:
        logs = logs.filter(action=action)
    page = Paginator(logs, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "actions": AccessLog.Action.choices, "action": action or ""}
    return render(request, "members/access_log.html", context)
