"""Candidates (quần chúng ưu tú): the list of a subtree, the create form, the page with its stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.core.formats import fmt_date, fmt_int
from dangvu.core.rules import cached_rules
from dangvu.core.text import search_key
from dangvu.members import rules as member_rules
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.organizations.models import CELL_KINDS, Organization

from .. import forms, rules, services
from ..choices import STAGE_ORDER, Stage
from ..models import Candidate
from .common import crumbs, followed_org, forbidden, partial, today, visible_candidate

PER_PAGE = 50

# The date that marks each stage done, in pipeline order (after the listing).
STAGE_DATE = services.STAGE_DATE_FIELD


# ---------------------------------------------------------------------------------------------
# Deadlines


@dataclass
class Deadline:
    """A deadline the regulation sets on a stage: the decision (60 working days after the cell's
    resolution) and the ceremony (30 working days after the decision is received)."""

    what: str
    basis: str  # "60 ngày làm việc từ nghị quyết của chi bộ"
    due: date
    on: date
    done_on: date | None = None
    citation: str = ""

    @property
    def state(self) -> str:
        """ "done", "due" (not passed yet) or "overdue"."""
        return member_rules.deadline_state(self.due, self.on, done_on=self.done_on)

    @property
    def late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due

    @property
    def days_left(self) -> int:
        return (self.due - self.on).days

    @property
    def days_over(self) -> int:
        return -self.days_left


def deadlines(c: Candidate, on: date) -> list[Deadline]:
    if c.withdrawn_on:
        return []
    found = []
    if c.cell_voted_on:
        rule = member_rules.rule("member.deadlines_working_days", on=c.cell_voted_on)
        days = rule.value["admission_decision"]
        found.append(
            Deadline(
                "Quyết định kết nạp",
                f"{days} ngày làm việc từ nghị quyết của chi bộ",
                rules.decision_due(c.cell_voted_on),
                on,
                c.decided_on,
                rule.citation,
            )
        )
    if c.decided_on:
        received = c.decision_received_on or c.decided_on
        rule = member_rules.rule("member.ceremony_deadline", on=received)
        found.append(
            Deadline(
                "Lễ kết nạp",
                f"{rule.value['working_days']} ngày làm việc từ khi chi bộ nhận quyết định",
                rules.ceremony_due(received),
                on,
                c.ceremony_on,
                rule.citation,
            )
        )
    return found


def next_deadline(c: Candidate, on: date) -> Deadline | None:
    return next((d for d in deadlines(c, on) if d.state != "done"), None)


# ---------------------------------------------------------------------------------------------
# The list


def stage_q(stage: str) -> Q:
    """Candidates whose `Candidate.stage` is `stage`, as a database filter: the stage's date is set
    and no later stage's is."""
    if stage == Stage.WITHDRAWN:
        return Q(withdrawn_on__isnull=False)
    q = Q(withdrawn_on__isnull=True)
    if stage == Stage.ADMITTED:
        return q & (Q(member__isnull=False) | Q(ceremony_on__isnull=False))
    order = list(STAGE_ORDER)
    q &= Q(member__isnull=True)
    for later in order[order.index(stage) + 1 :]:
        q &= Q(**{f"{STAGE_DATE[later]}__isnull": True})
    if stage != Stage.LISTED:
        q &= Q(**{f"{STAGE_DATE[stage]}__isnull": False})
    return q


def candidates_in(user: Any, org: Organization, *, stage: str = "", q: str = "") -> QuerySet[Candidate]:
    """Candidates of `org`'s subtree the user sees, in Vietnamese name order."""
    qs = (
        Candidate.objects.visible_to(user)
        .filter(organization__path__startswith=org.path)
        .select_related("organization", "member")
    )
    if stage == forms.CandidateFilterForm.ACTIVE:
        qs = qs.active()
    elif stage != forms.CandidateFilterForm.ALL:
        qs = qs.filter(stage_q(stage))
    for word in search_key(q).split():
        qs = qs.filter(search_key__contains=word)
    return qs.order_by("name_sort", "id")


@login_required
def candidate_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = followed_org(request, org_pk)
    form = forms.CandidateFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = candidates_in(request.user, org, stage=filters.get("giai_doan", ""), q=filters.get("q", ""))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    now = today()
    with cached_rules():
        rows = [
            {"c": c, "stage": c.stage, "stage_label": Stage(c.stage).label, "deadline": next_deadline(c, now)}
            for c in page.object_list
        ]
    context = {
        "org": org,
        "ancestors": crumbs(request, org),
        "form": form,
        "page": page,
        "rows": rows,
        "can_create": org.kind in CELL_KINDS or _cells(request, org).exists(),
    }
    return render(request, partial(request, "admissions/candidate_list.html", "candidate-table"), context)


# ---------------------------------------------------------------------------------------------
# Create


def _cells(request: HttpRequest, org: Organization) -> QuerySet[Organization]:
    """The cells of `org`'s subtree (itself included) where the user may list a candidate."""
    return (
        Organization.objects.visible_to(request.user)
        .active()
        .filter(path__startswith=org.path, kind__in=CELL_KINDS)
        .order_by("path")
    )


@login_required
def candidate_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = followed_org(request, org_pk)
    cells = _cells(request, org)
    initial = {"organization": org.pk} if org.kind in CELL_KINDS else {}
    form = forms.CandidateForm(request.POST or None, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.person(),
                listed_on=form.cleaned_data["listed_on"],
            )
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm quần chúng ưu tú {candidate.full_name}.")
            return redirect("admissions:candidate_detail", pk=candidate.pk)
    context = {"org": org, "ancestors": crumbs(request, org), "form": form, "has_cells": cells.exists()}
    return render(request, "admissions/candidate_form.html", context, status=400 if form.errors else 200)


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a candidate's record (the person and the day the cell listed them), with a reason."""
    c = visible_candidate(request, pk)
    if not services.can_manage_candidates(request.user, c.organization):
        return forbidden(
            request, PermissionDenied(f"Không có quyền quản lý quần chúng ưu tú của «{c.organization.name}».")
        )
    if c.member_id:
        messages.info(request, f"{c.full_name} đã được kết nạp: sửa thông tin trong hồ sơ đảng viên.")
        return redirect("members:member_detail", pk=c.member_id)
    if request.method == "GET":
        # The form shows the citizen ID, ethnicity and religion unmasked: opening it is a reveal.
        access_log_write(
            user=request.user,
            action=AccessLog.Action.REVEAL,
            object_type="candidate",
            object_id=str(c.pk),
            detail=f"Mở biểu mẫu sửa thông tin (CCCD, dân tộc, tôn giáo) của quần chúng ưu tú {c.full_name}",
            request=request,
        )
    form = forms.CandidateEditForm(request.POST or None, candidate=c)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "Không có thông tin nào thay đổi.")
            return redirect("admissions:candidate_detail", pk=c.pk)
        try:
            c = services.candidate_update(
                actor=request.user, candidate=c, changes=changes, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã sửa thông tin của {c.full_name}.")
            return redirect("admissions:candidate_detail", pk=c.pk)
    context = {
        "org": c.organization,
        "c": c,
        "ancestors": crumbs(request, c.organization),
        "form": form,
        "editing": True,
        "has_cells": True,
    }
    return render(request, "admissions/candidate_form.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# The candidate's page


@dataclass
class Step:
    stage: str
    label: str
    state: str  # "done", "current", "todo", "skipped", "stopped"
    done_on: date | None
    details: list[str] = field(default_factory=list)
    slug: str = ""


def _details(c: Candidate, stage: str) -> list[str]:
    if stage == Stage.LISTED:
        return [f"Chi bộ: {c.organization.name}"]
    if stage == Stage.CLASS and c.class_certificate_no:
        return [f"Giấy chứng nhận số {c.class_certificate_no}"]
    if stage == Stage.SPONSORED and c.sponsors_assigned_on:
        lines = []
        if c.sponsor_1_id:
            lines.append(
                f"Người giới thiệu: {c.sponsor_1.full_name} (cùng công tác từ {fmt_date(c.sponsor_1_since)})"
            )
        if c.sponsor_2_id:
            lines.append(
                f"Người giới thiệu: {c.sponsor_2.full_name} (cùng công tác từ {fmt_date(c.sponsor_2_since)})"
            )
        elif c.youth_union_resolution:
            lines.append(f"Nghị quyết giới thiệu của Đoàn: {c.youth_union_resolution}")
        return lines
    if stage == Stage.VERIFIED and c.verification_note:
        return [c.verification_note]
    if stage == Stage.CELL_VOTED:
        lines = []
        if c.cell_voted_on:
            lines.append(
                f"{fmt_int(c.cell_votes_for)}/{fmt_int(c.cell_official_members)} "
                "đảng viên chính thức tán thành"
            )
        failed = c.cell_vote_attempts - (1 if c.cell_voted_on else 0)
        if failed > 0:
            lines.append(f"{failed} lần biểu quyết trước không đủ số tán thành")
        return lines
    if stage == Stage.BASE_RESOLVED and c.base_resolution_ref:
        return [f"Nghị quyết số {c.base_resolution_ref}"]
    if stage == Stage.DECIDED and c.decided_on:
        lines = [f"Quyết định số {c.decision_ref}" + (f" của {c.decided_by.name}" if c.decided_by_id else "")]
        if c.decision_received_on:
            lines.append(f"Chi bộ nhận quyết định ngày {fmt_date(c.decision_received_on)}")
        return lines
    return []


def timeline(c: Candidate) -> list[Step]:
    required = services.required_stages(c)
    upcoming = services.next_stage(c)
    steps = []
    for stage in STAGE_ORDER:
        done_on = getattr(c, STAGE_DATE[stage])
        if stage not in required:
            state = "skipped"
        elif done_on:
            state = "done"
        elif c.withdrawn_on:
            state = "stopped"
        elif stage == upcoming:
            state = "current"
        else:
            state = "todo"
        steps.append(
            Step(
                stage,
                Stage(stage).label,
                state,
                done_on,
                _details(c, stage),
                forms.SLUG_OF_STAGE.get(stage, ""),
            )
        )
    return steps


def _sponsors(request: HttpRequest, c: Candidate) -> QuerySet[Member]:
    """Official members of the candidate's organization and below, in Vietnamese name order."""
    return (
        Member.objects.visible_to(request.user)
        .filter(status=Status.OFFICIAL, organization__path__startswith=c.organization.path)
        .select_related("organization")
        .order_by("name_sort", "id")
    )


def _correcting(c: Candidate, slug: str) -> bool:
    """Would recording `slug` correct the stage already recorded (the latest one done)?"""
    return forms.STAGE_SLUGS[slug] == services.correctable_stage(c)


def _stage_form(request: HttpRequest, c: Candidate, slug: str, data: Any = None) -> django_forms.Form:
    form = _new_stage_form(request, c, slug, data)
    if _correcting(c, slug):
        forms.add_correction_reason(form)
    return form


def _new_stage_form(request: HttpRequest, c: Candidate, slug: str, data: Any = None) -> django_forms.Form:
    cls = forms.STAGE_FORMS[slug]
    if _correcting(c, slug):
        # A correction starts from what is recorded.
        recorded = forms.recorded_values(c, slug)
        if slug == "sponsors":
            return cls(data, sponsors=_sponsors(request, c), initial=recorded)
        return cls(data, initial=recorded)
    if slug == "sponsors":
        return cls(data, sponsors=_sponsors(request, c))
    initial: dict[str, Any] = {}
    if slug == "cell_vote":
        # The cell's official members today: a starting point the secretary corrects (§5.4).
        initial["official_members"] = (
            Member.objects.filter(
                status=Status.OFFICIAL, organization__path__startswith=c.organization.path
            ).count()
            or None
        )
    if slug == "decide" and c.decision_ref:
        initial["decision_ref"] = c.decision_ref
    if slug == "admit":
        over_age = member_rules.is_over_admission_age(c.birth_date, c.cell_voted_on or today())
        return cls(data, initial=initial, over_age=over_age)
    return cls(data, initial=initial)


def _vote_info(c: Candidate, form: Any) -> dict[str, Any]:
    """The share a cell vote needs, the attempt it would be (a correction rewrites the vote counted
    last), and the votes needed for the number of official members shown in the form."""
    on = today()
    num, den = rules.vote_share(on=on)
    raw = form["official_members"].value() if form is not None else None
    try:
        members = int(raw) if raw not in (None, "") else 0
    except (TypeError, ValueError):
        members = 0
    return {
        "num": num,
        "den": den,
        "attempt": c.cell_vote_attempts if _correcting(c, "cell_vote") else c.cell_vote_attempts + 1,
        "attempts": rules.vote_attempts(on=on),
        "citation": rules.rule(rules.CELL_VOTE, on=on).citation,
        "members": members,
        "needed": -(-members * num // den) if members > 0 else None,
    }


# What to do when the user may not record a stage themselves.
REFUSAL_HINTS: dict[str, str] = {
    "base_resolve": "Hãy gửi nghị quyết đề nghị kết nạp của chi bộ lên {base}.",
    "decide": "Hãy báo {committee} để ghi quyết định kết nạp khi có quyết định.",
    "admit": "Hãy báo ngày tổ chức lễ kết nạp cho cấp ủy cấp trên.",
}


def _refusal(request: HttpRequest, c: Candidate, slug: str) -> str:
    """Why the user may not record `slug` ("" when they may), with what to do instead."""
    message = services.stage_refusal(request.user, c, forms.STAGE_SLUGS[slug])
    if not message:
        return ""
    base = services.base_organization(c.organization)
    hint = REFUSAL_HINTS.get(slug, "").format(
        base=(base or c.organization).name, committee=services.deciding_committee(c.organization).name
    )
    return f"{message} {hint}".strip()


def _blocked(c: Candidate, slug: str) -> str:
    """Why `slug` cannot be recorded whoever asks ("" when it can): a stage that does not apply to
    the candidate's cell, or one already followed by a recorded stage."""
    stage = forms.STAGE_SLUGS[slug]
    stages = services.required_stages(c)
    if stage not in stages:
        return (
            f"Bước «{Stage(stage).label}» không áp dụng với {c.organization.name}: đề nghị của chi bộ gửi "
            f"thẳng {services.deciding_committee(c.organization).name}."
        )
    done_on = getattr(c, STAGE_DATE[stage])
    if done_on is None or _correcting(c, slug):
        return ""
    later = next(
        (s for s in stages[stages.index(stage) + 1 :] if getattr(c, STAGE_DATE[s]) is not None), None
    )
    if later is None:
        return ""
    return (
        f"Bước này đã ghi ngày {fmt_date(done_on)}, và đã có bước sau «{Stage(later).label}» "
        f"(ngày {fmt_date(getattr(c, STAGE_DATE[later]))}): không sửa được bước này nữa."
    )


def _detail_context(
    request: HttpRequest, c: Candidate, *, slug: str | None = None, form: Any = None, **extra: Any
) -> dict[str, Any]:
    upcoming = services.next_stage(c)
    current_slug = forms.SLUG_OF_STAGE.get(upcoming, "") if upcoming else ""
    slug = slug or current_slug
    active = not c.withdrawn_on and not c.member_id
    refusal = _refusal(request, c, slug) if slug and active else ""
    blocked = _blocked(c, slug) if slug and active else ""
    correcting = bool(slug) and active and _correcting(c, slug)
    if slug and form is None and not refusal and not blocked:
        form = _stage_form(request, c, slug)
    correctable = services.correctable_stage(c)
    correct_slug = forms.SLUG_OF_STAGE.get(correctable, "") if correctable else ""
    if correct_slug and services.stage_refusal(request.user, c, correctable):
        correct_slug = ""
    action = forms.STAGE_ACTIONS[slug] if slug else ""
    now = today()
    context: dict[str, Any] = {
        "c": c,
        "org": c.organization,
        "ancestors": [*crumbs(request, c.organization), c.organization],
        "steps": timeline(c),
        "deadlines": deadlines(c, now),
        "slug": slug,
        "current_slug": current_slug,
        "stage_label": f"Sửa: {action}" if correcting else action,
        "form": form,
        "refusal": refusal,
        "blocked": blocked,
        "correcting": correcting,
        "recorded_on": getattr(c, STAGE_DATE[forms.STAGE_SLUGS[slug]]) if correcting else None,
        "correct_slug": correct_slug,
        "vote": _vote_info(c, form) if slug == "cell_vote" else None,
        "can_edit": not c.member_id and services.can_manage_candidates(request.user, c.organization),
        "withdraw_form": forms.WithdrawForm(),
        "active": active,
        "stage_now": Stage(c.stage).label,
        "history": list(
            c.history.select_related("history_user").order_by("-history_date", "-history_id")[:10]
        ),
    }
    context.update(extra)
    return context


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = visible_candidate(request, pk)
    return render(request, "admissions/candidate_detail.html", _detail_context(request, c))


def _run(request: HttpRequest, c: Candidate, slug: str, kw: dict[str, Any]) -> Any:
    actor = request.user
    if slug == "class":
        return services.candidate_certify_class(actor=actor, candidate=c, **kw)
    if slug == "sponsors":
        return services.candidate_assign_sponsors(actor=actor, candidate=c, **kw)
    if slug == "verify":
        return services.candidate_verify(actor=actor, candidate=c, **kw)
    if slug == "cell_vote":
        return services.candidate_cell_vote(actor=actor, candidate=c, **kw)
    if slug == "base_resolve":
        return services.candidate_base_resolve(actor=actor, candidate=c, **kw)
    if slug == "decide":
        return services.candidate_decide(actor=actor, candidate=c, **kw)
    return services.candidate_admit(actor=actor, candidate=c, **kw)


def _done_message(request: HttpRequest, c: Candidate, slug: str, result: Any, *, corrected: bool) -> None:
    """The message after a stage is recorded. The admission has none: the candidate's page shows
    the admission for good (`#admitted-note`), with the link to the member's record."""
    if slug == "admit":
        return
    # The stage's own words, capitals kept ("nhận thức về Đảng").
    done = f"{'Đã sửa' if corrected else 'Đã ghi'}: {forms.STAGE_ACTIONS[slug]} — {c.full_name}."
    if slug == "cell_vote":
        text = f"{done} {result.message}" if corrected else result.message
        (messages.success if result.passed else messages.warning)(request, text)
    elif slug == "decide" and getattr(result, "decision_late", False):
        late = deadlines(result, today())[0]
        messages.warning(
            request,
            f"{done} Quyết định sau hạn {fmt_date(late.due)} ({late.basis}, {late.citation}).",
        )
    else:
        messages.success(request, done)


@login_required
def candidate_stage(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    if stage not in forms.STAGE_FORMS:
        raise Http404
    c = visible_candidate(request, pk)
    if request.method != "POST":
        return render(request, "admissions/candidate_detail.html", _detail_context(request, c, slug=stage))
    form = _stage_form(request, c, stage, request.POST)
    corrected = _correcting(c, stage)
    if form.is_valid():
        try:
            result = _run(request, c, stage, form.service_kwargs())
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            _done_message(request, c, stage, result, corrected=corrected)
            return redirect("admissions:candidate_detail", pk=c.pk)
    context = _detail_context(request, c, slug=stage, form=form)
    return render(request, "admissions/candidate_detail.html", context, status=400)


@login_required
@require_POST
def candidate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    c = visible_candidate(request, pk)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_withdraw(actor=request.user, candidate=c, **form.cleaned_data)
        except PermissionDenied as exc:
            return forbidden(request, exc)
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã dừng xem xét kết nạp {c.full_name}.")
            return redirect("admissions:candidate_detail", pk=c.pk)
    context = _detail_context(request, c, withdraw_form=form, show_withdraw=True)
    return render(request, "admissions/candidate_detail.html", context, status=400)
