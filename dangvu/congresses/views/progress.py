"""The progress of a round under one organization: held/total per child, what is missing, as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangvu.core.formats import fmt_date, fmt_int, fmt_percent

from .. import selectors
from ..models import Congress
from .common import LEVEL_UNIT, crumbs, org_in_round, parse_as_of, start_org, visible_round, wants_fragment

MISSING_PER_PAGE = 25


def percent(held: int, total: int) -> int:
    """Whole percent for a progress bar (the text shows the exact ratio)."""
    return min(100, int(100 * held / total)) if total else 0


def headline(level: str, held: int, total: int) -> str:
    """«Đã tổ chức đại hội: 1.352/1.719 chi bộ (78,65%)», worded by the round's level."""
    unit = LEVEL_UNIT.get(level, "tổ chức")
    return f"Đã tổ chức đại hội: {fmt_int(held)}/{fmt_int(total)} {unit} ({fmt_percent(held, total)})"


def empty_note(level: str, org_name: str, as_of: date | None) -> str:
    """What the headline says when nothing of the round lies in the scope (a cell secretary looking
    at the base-level round): not "0/0 (—)" and not "every organization has held its congress"."""
    unit = LEVEL_UNIT.get(level, "tổ chức")
    when = f"Tính đến ngày {fmt_date(as_of)}, trong" if as_of else "Trong"
    return f"{when} phạm vi {org_name} không có {unit} nào phải tổ chức đại hội trong đợt này."


@login_required
def progress(request: HttpRequest, pk: int, org_pk: int | None = None) -> HttpResponse:
    rnd = visible_round(request, pk)
    org = org_in_round(request, rnd, org_pk) if org_pk else start_org(request, rnd)
    as_of, date_error = parse_as_of(request.GET.get("ngay"))
    prog = selectors.progress(rnd, org, as_of=as_of)
    on = as_of or timezone.localdate()
    missing = Paginator(selectors.missing(rnd, org, as_of=as_of), MISSING_PER_PAGE)
    page = missing.get_page(request.GET.get("page"))
    keep = f"?{urlencode({'ngay': as_of.isoformat()})}" if as_of else ""
    # Children that hold a congress of the round themselves (cells in a cell round) link to it, so a
    # held congress is reached from the commune or the province to add documents or correct it.
    own_congress = dict(
        Congress.objects.filter(round=rnd, organization_id__in=[r.id for r in prog.children]).values_list(
            "organization_id", "pk"
        )
    )
    context: dict[str, Any] = {
        "round": rnd,
        "org": org,
        "ancestors": crumbs(request, rnd, org),
        "progress": prog,
        "headline": headline(rnd.level, prog.held, prog.total),
        "empty_note": "" if prog.total else empty_note(rnd.level, org.name, as_of),
        "percent": percent(prog.held, prog.total),
        "rows": [
            {"row": r, "percent": percent(r.held, r.total), "congress_pk": own_congress.get(r.id)}
            for r in prog.children
        ],
        "own": Congress.objects.filter(round=rnd, organization=org).first(),
        "page": page,
        "as_of": as_of,
        "on": on,
        "today": timezone.localdate(),
        "date_error": date_error,
        "keep": keep,
        "past_deadline": on > rnd.deadline,
    }
    template = "congresses/progress.html"
    if wants_fragment(request):
        template += "#missing"
    return render(request, template, context)
