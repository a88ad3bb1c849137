"""The competent committee's screen: decide the members' levels, cell by cell, and the collectives'."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from dangvu.organizations.models import Organization

from .. import forms, services
from ..choices import LEVEL_SHORT, Level, RoundState
from ..models import MemberRating, OrganizationRating
from .common import crumbs, forbidden, org_in_round, visible_round


def _decided_here(rnd: Any, org: Organization) -> list[MemberRating]:
    """The ratings whose competent committee is `org`, by cell then name."""
    ratings = list(
        MemberRating.objects.filter(round=rnd, organization__path__startswith=org.path)
        .select_related("member", "organization")
        .order_by("organization__path", "member__name_sort", "pk")
    )
    competent = services.competent_map({r.organization_id for r in ratings})
    return [r for r in ratings if competent[r.organization_id].pk == org.pk]


def collectives_decided_here(rnd: Any, org: Organization) -> list[OrganizationRating]:
    """The collectives whose directly higher committee is `org`."""
    deciders = list(
        Organization.objects.filter(path__startswith=org.path, kind__in=services.DECIDING_KINDS)
        .exclude(pk=org.pk)
        .values_list("path", flat=True)
    )
    found = (
        OrganizationRating.objects.filter(round=rnd, organization__path__startswith=org.path)
        .exclude(organization=org)
        .select_related("organization")
        .order_by("organization__path", "subject")
    )
    return [
        o
        for o in found
        if not any(o.organization.path.startswith(p) and o.organization.path != p for p in deciders)
    ]


def _latest_ref(ratings: list[MemberRating]) -> str:
    """The decision number used last here: a later correction usually cites the same decision."""
    decided = [r for r in ratings if r.decision_ref and r.decided_at]
    return max(decided, key=lambda r: r.decided_at).decision_ref if decided else ""


def _context(request: HttpRequest, rnd: Any, org: Organization, **extra: Any) -> dict[str, Any]:
    ratings = extra.pop("ratings", None) or _decided_here(rnd, org)
    groups = [(cell, list(rows)) for cell, rows in groupby(ratings, key=lambda r: r.organization)]
    return {
        "round": rnd,
        "org": org,
        "ancestors": crumbs(request, rnd, org),
        "groups": groups,
        "count": sum(1 for r in ratings if r.ranked),
        "can_decide": rnd.state == RoundState.OPEN and services.can_decide(request.user, org),
        "levels": [(lvl.value, LEVEL_SHORT[lvl], lvl.label) for lvl in Level],
        "collectives": [
            {
                "rating": c,
                "can_propose": rnd.state == RoundState.OPEN
                and not c.decided_level
                and services.can_propose(request.user, c.organization),
            }
            for c in collectives_decided_here(rnd, org)
        ],
        "decision_ref": _latest_ref(ratings),
        "top_errors": [],
        **extra,
    }


@login_required
def decide_members(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    rnd = visible_round(request, pk)
    org = org_in_round(request, rnd, org_pk)
    if org.kind not in services.DECIDING_KINDS:
        raise Http404
    if request.method != "POST":
        return render(request, "evaluations/decide.html", _context(request, rnd, org))
    ratings = _decided_here(rnd, org)
    accept_all = "accept_all" in request.POST
    decisions = []
    for r in ratings:
        if not r.ranked:
            continue
        level = r.proposed_level if accept_all else request.POST.get(f"level-{r.pk}", "").strip()
        if accept_all and r.decided_level:
            continue
        if level and level != r.decided_level:
            decisions.append({"rating": r.pk, "level": level})
        r.chosen = level or r.decided_level
    ref = request.POST.get("decision_ref", "").strip()
    if not decisions:
        messages.info(request, "Không có mức xếp loại nào thay đổi, không có gì được ghi.")
        return redirect("evaluations:decide_members", pk=rnd.pk, org_pk=org.pk)
    try:
        services.decide_member_levels(actor=request.user, round=rnd, decisions=decisions, decision_ref=ref)
    except PermissionDenied as exc:
        return forbidden(request, exc)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        by_key = {f"rating-{r.pk}": r for r in ratings}
        top = ["Chưa có gì được ghi. Hãy sửa các dòng được đánh dấu rồi ghi lại."]
        for key, msgs in errors.items():
            if key in by_key:
                by_key[key].error = msgs[0]
            else:
                top.extend(msgs)
        context = _context(request, rnd, org, ratings=ratings, decision_ref=ref, top_errors=top)
        return render(request, "evaluations/decide.html", context, status=400)
    messages.success(request, f"Đã ghi quyết định xếp loại của {len(decisions)} đảng viên.")
    return redirect("evaluations:decide_members", pk=rnd.pk, org_pk=org.pk)


def _collective(request: HttpRequest, pk: int, rating_pk: int) -> tuple[Any, OrganizationRating]:
    rnd = visible_round(request, pk)
    rating = get_object_or_404(
        OrganizationRating.objects.visible_to(request.user).select_related("organization"),
        round=rnd,
        pk=rating_pk,
    )
    return rnd, rating


@login_required
def collective_propose(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    rnd, rating = _collective(request, pk, rating_pk)
    initial = {
        "level": rating.proposed_level,
        "score": rating.score,
        "exceeded_share": rating.exceeded_share,
        "subordinate_disciplined": rating.subordinate_disciplined,
        "leadership_disciplined": rating.leadership_disciplined,
        "report": rating.report,
    }
    form = forms.CollectiveProposeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_organization_level(actor=request.user, rating=rating, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi đề xuất xếp loại của «{rating.organization.name}».")
            return redirect("evaluations:round_progress_org", pk=rnd.pk, org_pk=rating.organization_id)
    parent = services.deciding_parent(rating.organization)
    context = {
        "round": rnd,
        "rating": rating,
        "org": rating.organization,
        "ancestors": crumbs(request, rnd, rating.organization),
        "form": form,
        "parent": parent,
    }
    return render(request, "evaluations/collective_form.html", context, status=400 if form.errors else 200)


@login_required
def collective_decide(request: HttpRequest, pk: int, rating_pk: int) -> HttpResponse:
    rnd, rating = _collective(request, pk, rating_pk)
    parent = services.deciding_parent(rating.organization)
    if request.method != "POST":
        return redirect("evaluations:decide_members", pk=rnd.pk, org_pk=parent.pk)
    form = forms.CollectiveDecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_organization_level(actor=request.user, rating=rating, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, f"{rating.organization.name}: {e}")
    else:
        messages.success(request, f"Đã ghi quyết định xếp loại của «{rating.organization.name}».")
    return redirect("evaluations:decide_members", pk=rnd.pk, org_pk=parent.pk)
