"""The target grid: the total and segment targets of every child of an organization, for one period."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.permissions import can_manage_organization

from .. import forms, services
from ..choices import Segment
from ..models import AdmissionTarget
from .common import Period, crumbs, forbidden, parse_period, period_choices, query, today, visible_org

# A party group admits no one: the cell it belongs to does.
NO_TARGET_KINDS = (Kind.PARTY_GROUP,)


class _GridRefused(Exception):
    """Raised inside the grid's transaction so that nothing is kept when one cell is refused."""


def _stored(orgs: list[Organization], period: Period) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = {o.pk: {} for o in orgs}
    for t in AdmissionTarget.objects.filter(
        organization__in=orgs, year_from=period.year_from, year_to=period.year_to
    ).only("organization_id", "segment", "target"):
        found[t.organization_id][t.segment] = t.target
    return found


def _grid(request: HttpRequest, org: Organization, period: Period) -> forms.TargetGrid:
    children = list(
        Organization.objects.visible_to(request.user)
        .active()
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .exclude(kind__in=NO_TARGET_KINDS)
        .order_by("path")
    )
    stored = _stored([org, *children], period)
    rows = [(org, stored[org.pk], services.can_set_target(request.user, org), True)]
    rows += [(c, stored[c.pk], services.can_set_target(request.user, c), False) for c in children]
    return forms.target_grid(rows)


def _sums(grid: forms.TargetGrid) -> dict[str, int]:
    """The sum of the children's stored or typed targets, per segment."""
    sums = {s.value: 0 for s in forms.TARGET_SEGMENTS}
    for row in grid.rows:
        if row.is_own:
            continue
        for cell in row.cells:
            if cell.typed.isdigit():
                sums[cell.segment] += int(cell.typed)
    return sums


def _write_order(change: dict[str, Any]) -> int:
    """The order that keeps every segment within its total while a row changes (the service checks
    each write): segments lowered first, then the total, then segments raised."""
    if change["segment"] == Segment.TOTAL:
        return 1
    return 0 if change["target"] <= (change["stored"] or 0) else 2


def _save(request: HttpRequest, grid: forms.TargetGrid, period: Period, meta: dict[str, Any]) -> None:
    """Every change in one transaction: the first refusal undoes the others."""
    try:
        with transaction.atomic():
            for change in sorted(grid.changes, key=_write_order):
                org, segment = change["organization"], change["segment"]
                try:
                    services.target_set(
                        actor=request.user,
                        organization=org,
                        year_from=period.year_from,
                        year_to=period.year_to,
                        segment=segment,
                        target=change["target"],
                        decision_ref=meta["decision_ref"],
                        note=meta["note"],
                    )
                except ValidationError as exc:
                    text = " ".join(exc.messages)
                    forms.apply_grid_error(
                        grid, org.pk, segment, f"{org.name}, {Segment(segment).label.lower()}: {text}"
                    )
                    raise _GridRefused from exc
    except _GridRefused:
        pass


@login_required
def target_edit(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = visible_org(request, org_pk)
    # The grid sets the children's targets: for the staff who manage `org`.
    if not can_manage_organization(request.user, org):
        return forbidden(
            request, PermissionDenied(f"Chỉ cán bộ tổ chức của «{org.name}» mới giao được chỉ tiêu kết nạp.")
        )
    now = today()
    period, period_error = parse_period(request.GET.get("ky"), now)
    grid = _grid(request, org, period)
    meta = forms.TargetMetaForm(request.POST or None)
    top_errors: list[str] = [period_error] if period_error else []
    status = 200
    if request.method == "POST":
        forms.parse_grid(request.POST, grid)
        if not meta.is_valid() or grid.has_errors:
            top_errors.append("Có ô chưa hợp lệ; chưa có chỉ tiêu nào được ghi. Hãy sửa các ô được đánh dấu.")
        elif not grid.changes:
            messages.info(request, "Không có chỉ tiêu nào thay đổi, không có gì được ghi.")
            return redirect(reverse("admissions:target_edit", args=[org.pk]) + query(period, None, now))
        else:
            try:
                _save(request, grid, period, meta.cleaned_data)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            if grid.has_errors:
                top_errors.append("Chưa có chỉ tiêu nào được ghi. Hãy sửa ô được đánh dấu rồi ghi lại.")
            else:
                messages.success(
                    request, f"Đã ghi {len(grid.changes)} chỉ tiêu kết nạp đảng viên {period.label}."
                )
                return redirect(reverse("admissions:progress_org", args=[org.pk]) + query(period, None, now))
        status = 400
    context = {
        "org": org,
        "ancestors": crumbs(request, org),
        "period": period,
        "keep": query(period, None, now),
        "periods": period_choices(period, now),
        "grid": grid,
        "own": grid.rows[0],
        "children": grid.rows[1:],
        "segments": [(s.value, s.label) for s in forms.TARGET_SEGMENTS],
        "footer": [
            {"segment": seg, "sum": total, "own": grid.rows[0].cell(seg).stored}
            for seg, total in _sums(grid).items()
        ],
        "meta": meta,
        "top_errors": top_errors,
    }
    return render(request, "admissions/target_edit.html", context, status=status)
