"""An organization's committee: who holds a seat today, and the committees before it, dated."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangvu.organizations import selectors as org_selectors

from .. import selectors
from ..models import CommitteeMembership, Congress
from ..selectors import POSITION_ORDER


@dataclass
class PastCommittee:
    """The seats that started on one day (one congress or one appointment), with when they ended."""

    started_on: date
    congress: Congress | None
    ended_on: date | None = None
    seats: list[CommitteeMembership] = field(default_factory=list)


def past_committees(org_id: int, today: date) -> list[PastCommittee]:
    """Ended seats grouped by the day they started, newest first; rows voided by a correction
    (closed the day they started) are left out."""
    rows = (
        CommitteeMembership.objects.filter(
            organization_id=org_id, ended_on__isnull=False, ended_on__lte=today
        )
        .exclude(ended_on=F("started_on"))
        .select_related("member", "congress")
        .order_by("-started_on", "member__name_sort", "id")
    )
    groups: dict[tuple[date, int | None], PastCommittee] = {}
    for row in rows:
        key = (row.started_on, row.congress_id)
        group = groups.setdefault(key, PastCommittee(started_on=row.started_on, congress=row.congress))
        group.seats.append(row)
        group.ended_on = max(group.ended_on or row.ended_on, row.ended_on)
    for group in groups.values():
        group.seats.sort(key=lambda s: POSITION_ORDER.get(s.position, 9))
    return list(groups.values())


@login_required
def committee(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = org_selectors.organization_get(user=request.user, pk=org_pk)
    today = timezone.localdate()
    context = {
        "org": org,
        "ancestors": org_selectors.breadcrumbs(user=request.user, org=org),
        "current": selectors.current_committee(org, on=today),
        "past": past_committees(org.pk, today),
        "congresses": list(
            Congress.objects.filter(organization=org)
            .select_related("round")
            .order_by("-round__term_start_year", "-id")
        ),
        "today": today,
    }
    return render(request, "congresses/committee.html", context)
