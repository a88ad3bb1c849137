"""The progress of a round under one organization: x/y per child, the distribution, what is missing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.organizations.models import Kind, Organization

from .. import selectors, services
from ..choices import LEVEL_ORDER, LEVEL_SHORT, Subject
from ..models import OrganizationRating
from .common import crumbs, org_in_round, partial, start_org, visible_round

PENDING_PER_PAGE = 25
CELL_KINDS = (Kind.CELL, Kind.BASE_CELL)


def _row_view(org: Organization, row: dict[str, int], user: Any) -> dict[str, Any]:
    rankable = row.get("rankable", 0)
    decided = row.get("decided", 0)
    return {
        "org": org,
        "row": row,
        "percent": round(100 * decided / rankable) if rankable else 0,
        "is_cell": org.kind in CELL_KINDS,
        "has_children": org.numchild > 0,
        "can_propose": org.kind in CELL_KINDS and services.can_propose(user, org),
        "is_decider": org.kind in services.DECIDING_KINDS and org.kind != Kind.PROVINCE,
    }


def collectives(rnd: Any, org: Organization) -> list[OrganizationRating]:
    """The collective ratings of `org` and of its direct children."""
    return list(
        OrganizationRating.objects.filter(round=rnd, organization__path__startswith=org.path)
        .filter(organization__depth__lte=org.depth + 1)
        .select_related("organization")
        .order_by("organization__path", "subject")
    )


@login_required
def round_progress(request: HttpRequest, pk: int, org_pk: int | None = None) -> HttpResponse:
    rnd = visible_round(request, pk)
    org = org_in_round(request, rnd, org_pk) if org_pk else start_org(request, rnd)
    prog = selectors.progress(round=rnd, organization=org)
    pending = Paginator(selectors.pending_ratings(round=rnd, organization=org), PENDING_PER_PAGE)
    page = pending.get_page(request.GET.get("page"))
    for rating in page.object_list:
        rating.reason = selectors.missing_reason(rating)
    org_dist = [
        {"label": lvl.label, "short": LEVEL_SHORT[lvl], "count": prog.organizations.get(lvl.value, 0)}
        for lvl in LEVEL_ORDER
    ]
    context = {
        "round": rnd,
        "org": org,
        "ancestors": crumbs(request, rnd, org),
        "progress": prog,
        "rows": [
            _row_view(c, row, request.user)
            for c, row in prog.children
            if row["total"] or c.kind != Kind.PARTY_GROUP  # a party group holds no ratings of its own
        ],
        "own": _row_view(org, prog.own, request.user) if prog.own else None,
        "total_percent": round(100 * prog.total["decided"] / prog.total["rankable"])
        if prog.total["rankable"]
        else 0,
        "distribution": prog.distribution(prog.total),
        "org_distribution": org_dist,
        "collectives": collectives(rnd, org),
        "page": page,
        "is_cell": org.kind in CELL_KINDS,
        "can_propose": org.kind in CELL_KINDS and services.can_propose(request.user, org),
        "is_decider": org.kind in services.DECIDING_KINDS,
        "leadership": Subject.LEADERSHIP,
    }
    return render(request, partial(request, "evaluations/round_progress.html", "pending"), context)
