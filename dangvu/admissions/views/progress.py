"""Admissions against targets at one organization: the headline, the segments, x/y per child."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangvu.core.formats import fmt_int, fmt_percent, fmt_progress
from dangvu.organizations.models import CELL_KINDS, Kind
from dangvu.organizations.permissions import can_manage_organization

from .. import selectors, services
from .common import (
    crumbs,
    parse_as_of,
    parse_period,
    period_choices,
    query,
    today,
    top_org,
    visible_org,
)


def bar_percent(admitted: int, target: int | None) -> int:
    """Width of a progress bar: the share of the target reached, capped at 100."""
    if not target:
        return 0
    return min(100, round(100 * admitted / target))


def headline(admitted: int, target: int | None, period_label: str) -> str:
    """ "Kết nạp được 344/629 đảng viên mới, đạt 54,69% chỉ tiêu" (the seeds' wording)."""
    if target:
        return (
            f"Kết nạp được {fmt_int(admitted)}/{fmt_int(target)} đảng viên mới, "
            f"đạt {fmt_percent(admitted, target)} chỉ tiêu"
        )
    return f"Kết nạp được {fmt_int(admitted)} đảng viên mới; chưa có chỉ tiêu {period_label}"


def children_sum(children: list[selectors.TargetRow]) -> dict[str, Any]:
    """The "Cộng" row of the per-child table: the children's targets and admissions added up, and
    how many of the children with a target have reached it ("3/5 tổ chức đạt chỉ tiêu")."""
    target = sum(r.target or 0 for r in children)
    admitted = sum(r.admitted for r in children)
    with_target = [r for r in children if r.target]
    reached = sum(1 for r in with_target if r.admitted >= r.target)
    return {
        "target": target,
        "admitted": admitted,
        "ratio_text": fmt_progress(admitted, target) if target else "",
        "reached": reached,
        "with_target": len(with_target),
        "reached_text": f"{fmt_int(reached)}/{fmt_int(len(with_target))} tổ chức đạt chỉ tiêu"
        if with_target
        else "",
    }


@login_required
def progress(request: HttpRequest, org_pk: int | None = None) -> HttpResponse:
    org = visible_org(request, org_pk) if org_pk else top_org(request)
    now = today()
    period, period_error = parse_period(request.GET.get("ky"), now)
    as_of, date_error = parse_as_of(request.GET.get("ngay"), now)
    tp = selectors.target_progress(org, year_from=period.year_from, year_to=period.year_to, as_of=as_of)
    keep = query(period, as_of, now)
    follow = services.can_manage_candidates(request.user, org)
    rows: list[dict[str, Any]] = [
        {
            "row": r,
            "percent": bar_percent(r.admitted, r.target),
            "url": reverse("admissions:progress_org", args=[r.id]) + keep if r.drillable else "",
        }
        for r in tp.children
    ]
    context = {
        "org": org,
        "ancestors": crumbs(request, org),
        "tp": tp,
        "period": period,
        "periods": period_choices(period, now),
        "as_of": as_of,
        "shown_on": as_of or now,
        "today": now,
        "errors": [e for e in (period_error, date_error) if e],
        "keep": keep,
        "keep_period": query(period, None, now),
        "headline": headline(tp.admitted, tp.target, period.label),
        "percent": bar_percent(tp.admitted, tp.target),
        "segments": [{"row": s, "percent": bar_percent(s.admitted, s.target)} for s in tp.segments],
        "rows": rows,
        "children_under": tp.target is not None and 0 < tp.children_target < tp.target,
        "children_sum": children_sum(tp.children),
        "can_follow": follow,
        # A cell's only children are party groups, which get no target of their own.
        "can_set_targets": org.numchild > 0
        and org.kind not in (*CELL_KINDS, Kind.PARTY_GROUP)
        and can_manage_organization(request.user, org),
        "pipeline": selectors.pipeline_counts(org) if follow else [],
        "overdue": selectors.candidates_overdue(org, on=now) if follow else [],
    }
    return render(request, "admissions/progress.html", context)
