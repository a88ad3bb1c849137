"""Probationary members to follow: whose 12 months end soon, are due for recognition, or overdue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.members import permissions as member_permissions

from .. import selectors
from .common import crumbs, followed_org, today

WITHIN_DAYS = 60
STATE_BADGES = {
    selectors.UPCOMING: ("Sắp đến hạn", "text-bg-info"),
    selectors.DUE: ("Đến hạn", "text-bg-warning"),
    selectors.OVERDUE: ("Quá hạn", "text-bg-danger"),
}


@login_required
def probation(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = followed_org(request, org_pk)
    now = today()
    rows = [
        {
            "r": r,
            "badge": STATE_BADGES[r.state],
            "can_recognize": member_permissions.can_manage_member(request.user, r.member),
        }
        for r in selectors.probation_followup(org, on=now, within_days=WITHIN_DAYS)
    ]
    counts = {state: sum(1 for row in rows if row["r"].state == state) for state in STATE_BADGES}
    context = {
        "org": org,
        "ancestors": crumbs(request, org),
        "rows": rows,
        "today": now,
        "within_days": WITHIN_DAYS,
        "counts": [(STATE_BADGES[s][0], STATE_BADGES[s][1], n) for s, n in counts.items()],
    }
    return render(request, "admissions/probation.html", context)
