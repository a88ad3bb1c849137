"""The cell secretary's screen: proposals and the meeting's vote for every member of one cell."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import forms, selectors, services
from ..choices import LEVEL_SHORT, Level, RoundState
from .common import crumbs, forbidden, org_in_round, visible_round


@login_required
def cell_entry(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    org = org_in_round(request, rnd, org_pk)
    ratings = list(selectors.cell_ratings(round=rnd, organization=org))
    can_edit = rnd.state == RoundState.OPEN and services.can_propose(request.user, org)
    rows = forms.cell_rows(ratings)
    top_errors: list[str] = []
    status = 200
    if request.method == "POST":
        sub = forms.parse_cell(request.POST, ratings)
        rows = sub.rows
        if any(r.error for r in rows):
            top_errors.append("Có dòng chưa hợp lệ; chưa có gì được ghi. Hãy sửa các dòng được đánh dấu.")
        else:
            try:
                # One submit, one transaction: a bad vote leaves the proposals unsaved too.
                with transaction.atomic():
                    if sub.proposals:
                        services.propose_member_levels(actor=request.user, round=rnd, proposals=sub.proposals)
                    if sub.votes:
                        services.record_votes(actor=request.user, round=rnd, votes=sub.votes)
            except PermissionDenied as exc:
                return forbidden(request, exc)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                top_errors = forms.apply_row_errors(rows, errors)
                top_errors.insert(0, "Chưa có gì được ghi. Hãy sửa các dòng được đánh dấu rồi ghi lại.")
            else:
                messages.success(
                    request,
                    f"Đã ghi đề xuất của {len(sub.proposals)} và kết quả biểu quyết của "
                    f"{len(sub.votes)} đảng viên.",
                )
                return redirect("evaluations:cell_entry", pk=rnd.pk, org_pk=org.pk)
        status = 400
    context = {
        "round": rnd,
        "org": org,
        "ancestors": crumbs(request, rnd, org),
        "rows": rows,
        "can_edit": can_edit,
        "top_errors": top_errors,
        "levels": [(lvl.value, LEVEL_SHORT[lvl], lvl.label) for lvl in Level],
        "ranked_count": sum(1 for r in ratings if r.ranked),
        "competent": services.competent_organization(org),
    }
    return render(request, "evaluations/cell_entry.html", context, status=status)
