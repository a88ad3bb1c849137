"""Writes of the quality review. Each runs in one transaction, re-checks the actor's right and the
round's state, and keeps who and when (history rows carry the reason)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import OrgRole, Role
from dangvu.core.rules import cached_rules, rule
from dangvu.members.choices import Status
from dangvu.members.models import MemberEvent
from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.permissions import can_manage_organization
from dangvu.organizations.seeding.load import bulk_insert
from dangvu.reports import figures

from . import rules
from .choices import Level, Period, RoundState, Subject
from .models import EvaluationRound, MemberRating, OrganizationRating

# Organizations ranked as collectives, and those that also have a leadership collective (cấp ủy).
RANKED_KINDS = (Kind.COMMUNE, Kind.BASE_COMMITTEE, Kind.BASE_CELL, Kind.SUB_COMMITTEE, Kind.CELL)
COMMITTEE_KINDS = (Kind.COMMUNE, Kind.BASE_COMMITTEE, Kind.SUB_COMMITTEE)
# Committees that decide the levels of the members and collectives below them.
DECIDING_KINDS = (
    Kind.BASE_CELL,
    Kind.BASE_COMMITTEE,
    Kind.COMMUNE,
    Kind.DISTRICT,
    Kind.PROVINCIAL_BLOC,
    Kind.PROVINCE,
    Kind.CENTRAL,
)
NOT_OPEN = "Đợt đánh giá không ở trạng thái đang đánh giá."


# ---------------------------------------------------------------------------------------------
# Who decides, who may act


def _ancestors(org: Organization) -> list[Organization]:
    """Ancestors, nearest first."""
    step = Organization.steplen
    paths = [org.path[:i] for i in range(step, len(org.path), step)]
    by_path = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    return [by_path[p] for p in reversed(paths) if p in by_path]


def competent_map(org_ids: Iterable[int]) -> dict[int, Organization]:
    """`competent_organization` of many organizations in two queries."""
    orgs = list(Organization.objects.filter(pk__in=list(org_ids)))
    step = Organization.steplen
    paths = {o.path[:i] for o in orgs for i in range(step, len(o.path), step)}
    by_path = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    result = {}
    for org in orgs:
        result[org.pk] = org
        if org.kind == Kind.BASE_CELL:
            continue
        for i in range(len(org.path) - step, 0, -step):
            anc = by_path.get(org.path[:i])
            if anc is not None and anc.kind in DECIDING_KINDS:
                result[org.pk] = anc
                break
    return result


def competent_organization(org: Organization) -> Organization:
    """The committee that decides the levels of members counted in `org`: a base cell decides for its
    own members; a cell's members are decided by the nearest base committee or commune above it."""
    if org.kind == Kind.BASE_CELL:
        return org
    for anc in _ancestors(org):
        if anc.kind in DECIDING_KINDS:
            return anc
    return org


def deciding_parent(org: Organization) -> Organization:
    """The directly higher committee that decides a collective's level (HD 43)."""
    for anc in _ancestors(org):
        if anc.kind in DECIDING_KINDS:
            return anc
    return org


def _role_paths(user: Any, roles: Iterable[str]) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        OrgRole.objects.active()
        .filter(user=user, role__in=list(roles))
        .values_list("organization__path", flat=True)
    )


def can_propose(user: Any, org: Organization) -> bool:
    """The cell committee proposes: organization staff above it, its leaders and cell secretaries."""
    if can_manage_organization(user, org):
        return True
    return any(org.path.startswith(p) for p in _role_paths(user, (Role.LEADER, Role.CELL_SECRETARY)))


def can_decide(user: Any, org: Organization) -> bool:
    """The competent committee decides: its leaders and the organization staff above it. A base
    cell is its own competent committee, so its secretary (role cell_secretary) decides too."""
    if can_manage_organization(user, org):
        return True
    roles = (Role.LEADER, Role.CELL_SECRETARY) if org.kind == Kind.BASE_CELL else (Role.LEADER,)
    return any(org.path.startswith(p) for p in _role_paths(user, roles))


def _require_open(round: EvaluationRound) -> None:
    if round.state != RoundState.OPEN:
        raise ValidationError({"round": NOT_OPEN})


def _history(obj: Any, actor: Any, reason: str) -> None:
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj._change_reason = (reason or "")[:100]


# ---------------------------------------------------------------------------------------------
# Rounds


def period_bounds(period: str, year: int, quarter: int | None) -> tuple[date, date]:
    if period == Period.QUARTER:
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": "Quý phải là 1, 2, 3 hoặc 4."})
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1)
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def round_create(
    *,
    actor: Any,
    organization: Organization,
    year: int,
    period: str = Period.YEAR,
    quarter: int | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    reference_date: date | None = None,
    name: str = "",
    member_deadline: date | None = None,
    cell_deadline: date | None = None,
    decision_deadline: date | None = None,
) -> EvaluationRound:
    """A draft round for `organization`'s subtree. The legal basis is that of the ranking rules in
    force on the period's last day."""
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền mở đợt đánh giá cho «{organization.name}».")
    if not 2000 <= int(year) <= timezone.localdate().year + 1:
        raise ValidationError({"year": "Năm đánh giá không hợp lệ."})
    if period == Period.TERM:
        if not (period_start and period_end):
            raise ValidationError({"period_start": "Đánh giá theo nhiệm kỳ cần ngày bắt đầu và kết thúc."})
    else:
        period_start, period_end = period_bounds(period, int(year), quarter)
    if period_end < period_start:
        raise ValidationError({"period_end": "Ngày kết thúc trước ngày bắt đầu."})
    reference_date = reference_date or min(period_end, timezone.localdate())
    if not period_start <= reference_date <= period_end:
        raise ValidationError({"reference_date": "Ngày chốt danh sách phải nằm trong kỳ đánh giá."})
    for field, value in (("member_deadline", member_deadline), ("cell_deadline", cell_deadline)):
        if value and decision_deadline and value > decision_deadline:
            raise ValidationError({field: "Hạn này phải trước hạn cấp có thẩm quyền quyết định."})
    duplicate = EvaluationRound.objects.filter(
        organization=organization, period=period, year=year, quarter=quarter, period_start=period_start
    ).exists()
    if duplicate:
        raise ValidationError({"year": f"«{organization.name}» đã có đợt đánh giá cho kỳ này."})
    basis = rule("evaluation.levels", on=period_end, before_first=True).legal_basis
    label = {Period.YEAR: f"năm {year}", Period.QUARTER: f"quý {quarter} năm {year}"}.get(
        period, f"nhiệm kỳ {period_start.year}–{period_end.year}"
    )
    rnd = EvaluationRound(
        organization=organization,
        name=name.strip() or f"Đánh giá, xếp loại chất lượng {label} – {organization.name}",
        period=period,
        year=year,
        quarter=quarter if period == Period.QUARTER else None,
        period_start=period_start,
        period_end=period_end,
        reference_date=reference_date,
        legal_basis=basis,
        member_deadline=member_deadline,
        cell_deadline=cell_deadline,
        decision_deadline=decision_deadline,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _history(rnd, actor, "Tạo đợt đánh giá")
    rnd.save()
    return rnd


@dataclass
class OpenResult:
    members: int
    ranked_members: int
    organizations: int


@transaction.atomic
def round_open(*, actor: Any, round: EvaluationRound) -> OpenResult:
    """Open the round and write its work list: every member counted under the organization on the
    reference date (as the tree stood then), every organization to rank, each leadership collective."""
    rnd = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if not can_manage_organization(actor, rnd.organization):
        raise PermissionDenied("Không có quyền mở đợt đánh giá này.")
    if rnd.state != RoundState.DRAFT:
        raise ValidationError({"round": "Chỉ mở được đợt đánh giá đang ở trạng thái dự thảo."})
    tree = figures.tree_as_of(rnd.organization, rnd.reference_date)
    counted = figures.members_as_of(tree)
    member_ids = [fields["member_id"] for _org, _status, _ex, fields in counted]
    disciplined = set(
        MemberEvent.objects.filter(
            member_id__in=member_ids,
            kind=MemberEvent.Kind.DISCIPLINED,
            effective_on__gte=rnd.period_start,
            effective_on__lte=rnd.period_end,
        ).values_list("member_id", flat=True)
    )
    rank_probationary = rules.probationary_ranked(on=rnd.period_end)
    now = timezone.now()
    ratings = []
    for org_id, status, exempted, fields in counted:
        reason = ""
        if exempted:
            reason = "Được miễn công tác và sinh hoạt đảng"
        elif status == Status.PROBATIONARY and not rank_probationary:
            reason = "Đảng viên dự bị (không xếp loại theo quy định)"
        ratings.append(
            {
                "round_id": rnd.pk,
                "member_id": fields["member_id"],
                "organization_id": org_id,
                "probationary": status == Status.PROBATIONARY,
                "ranked": not reason,
                "not_ranked_reason": reason,
                "disciplined": fields["member_id"] in disciplined,
                "created_at": now,
                "updated_at": now,
            }
        )
    # The work list of a province is tens of thousands of rows: the bulk path (COPY on PostgreSQL).
    bulk_insert(MemberRating, ratings)
    org_ratings = []
    for org_id, info in tree.info.items():
        subjects = []
        if info["kind"] in RANKED_KINDS:
            subjects.append(Subject.ORGANIZATION)
        if info["kind"] in COMMITTEE_KINDS:
            subjects.append(Subject.LEADERSHIP)
        for subject in subjects:
            org_ratings.append(
                {
                    "round_id": rnd.pk,
                    "organization_id": org_id,
                    "subject": subject,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    bulk_insert(OrganizationRating, org_ratings)
    rnd.state = RoundState.OPEN
    rnd.opened_on = timezone.localdate()
    _history(rnd, actor, "Mở đợt đánh giá")
    rnd.save()
    return OpenResult(
        members=len(ratings),
        ranked_members=sum(1 for r in ratings if r["ranked"]),
        organizations=len(org_ratings),
    )


@transaction.atomic
def round_close(*, actor: Any, round: EvaluationRound, override_reason: str = "") -> EvaluationRound:
    """Close the round. With violations or undecided ratings left, a recorded reason is required."""
    rnd = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if not can_manage_organization(actor, rnd.organization):
        raise PermissionDenied("Không có quyền kết thúc đợt đánh giá này.")
    _require_open(rnd)
    problems = round_violations(rnd)
    undecided = rnd.member_ratings.filter(ranked=True, decided_level="").count()
    undecided += rnd.organization_ratings.filter(decided_level="").count()
    override_reason = (override_reason or "").strip()
    if (problems or undecided) and not override_reason:
        parts = []
        if problems:
            parts.append(f"{len(problems)} vi phạm quy định (ví dụ: {problems[0].message})")
        if undecided:
            parts.append(f"{undecided} trường hợp chưa có quyết định xếp loại")
        raise ValidationError(
            {"override_reason": "Còn " + "; ".join(parts) + ". Muốn kết thúc đợt, hãy ghi rõ lý do."}
        )
    rnd.state = RoundState.CLOSED
    rnd.closed_on = timezone.localdate()
    rnd.override_reason = override_reason
    _history(rnd, actor, override_reason or "Kết thúc đợt đánh giá")
    rnd.save()
    return rnd


@transaction.atomic
def round_reopen(*, actor: Any, round: EvaluationRound, reason: str) -> EvaluationRound:
    rnd = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if not can_manage_organization(actor, rnd.organization):
        raise PermissionDenied("Không có quyền mở lại đợt đánh giá này.")
    if rnd.state != RoundState.CLOSED:
        raise ValidationError({"round": "Chỉ mở lại được đợt đánh giá đã kết thúc."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Mở lại đợt đánh giá phải ghi lý do."})
    rnd.state = RoundState.OPEN
    rnd.closed_on = None
    _history(rnd, actor, f"Mở lại: {reason.strip()}")
    rnd.save()
    return rnd


# ---------------------------------------------------------------------------------------------
# Member ratings


def _score(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: "Điểm phải là số nguyên từ 0 đến 100."}) from None
    if not 0 <= score <= 100:
        raise ValidationError({field: "Điểm phải từ 0 đến 100."})
    return score


def _level(value: Any, field: str, *, required: bool = True) -> str:
    if not value:
        if required:
            raise ValidationError({field: "Hãy chọn mức xếp loại."})
        return ""
    if value not in Level.values:
        raise ValidationError({field: "Mức xếp loại không hợp lệ."})
    return value


@transaction.atomic
def self_assess(
    *,
    actor: Any,
    rating: MemberRating,
    score: Any,
    level: str,
    strengths: str = "",
    shortcomings: str = "",
    remedies: str = "",
) -> MemberRating:
    """The member's own self-assessment (Mẫu 2A/2B/2C), from their own login, while the round is open."""
    rating = MemberRating.objects.select_for_update().select_related("round", "member").get(pk=rating.pk)
    if not (getattr(actor, "pk", None) and rating.member.user_id == actor.pk):
        raise PermissionDenied("Chỉ đảng viên mới tự đánh giá được cho chính mình.")
    _require_open(rating.round)
    if not rating.ranked:
        raise ValidationError({"rating": f"Không thuộc diện xếp loại: {rating.not_ranked_reason}."})
    if rating.decided_level:
        raise ValidationError({"rating": "Đã có quyết định xếp loại, không sửa được bản tự đánh giá."})
    score = _score(score, "self_score")
    if score is None:
        raise ValidationError({"self_score": "Hãy tự chấm điểm (0–100)."})
    level = _level(level, "self_level")
    error = rules.score_level_error(level, score, on=rating.round.period_end)
    if error:
        raise ValidationError({"self_level": error})
    rating.self_score = score
    rating.self_level = level
    rating.strengths = strengths.strip()
    rating.shortcomings = shortcomings.strip()
    rating.remedies = remedies.strip()
    rating.self_submitted_at = timezone.now()
    _history(rating, actor, "Tự đánh giá")
    rating.save()
    return rating


def _ratings_for(round: EvaluationRound, ids: Iterable[int]) -> dict[int, MemberRating]:
    found = {
        r.pk: r
        for r in MemberRating.objects.select_for_update(of=("self",))
        .select_related("organization")
        .filter(round=round, pk__in=list(ids))
    }
    missing = set(ids) - set(found)
    if missing:
        raise ValidationError({"ratings": "Có đảng viên không thuộc đợt đánh giá này."})
    return found


@transaction.atomic
def propose_member_levels(
    *, actor: Any, round: EvaluationRound, proposals: list[dict[str, Any]]
) -> list[MemberRating]:
    """The cell committee's proposals for many members at once (one screen): each item has
    `rating` (id), `level`, optional `score` and `note`. All or nothing; errors keyed `rating-<id>`."""
    rnd = EvaluationRound.objects.get(pk=round.pk)
    _require_open(rnd)
    ratings = _ratings_for(rnd, [int(p["rating"]) for p in proposals])
    errors: dict[str, str] = {}
    now = timezone.now()
    changed = []
    for p in proposals:
        r = ratings[int(p["rating"])]
        key = f"rating-{r.pk}"
        if not can_propose(actor, r.organization):
            raise PermissionDenied(
                f"Không có quyền đề xuất xếp loại cho đảng viên của «{r.organization.name}»."
            )
        try:
            if not r.ranked:
                raise ValidationError(
                    {key: f"{r.member}: không thuộc diện xếp loại ({r.not_ranked_reason})."}
                )
            if r.decided_level:
                raise ValidationError({key: f"{r.member}: đã có quyết định xếp loại."})
            level = _level(p.get("level"), key, required=False)
            score = _score(p.get("score"), key)
            error = rules.score_level_error(
                level, score if score is not None else r.self_score, on=rnd.period_end
            )
            if error:
                raise ValidationError({key: f"{r.member}: {error}"})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[field] = messages[0]
            continue
        r.proposed_level = level
        r.score = score
        r.note = (p.get("note") or "").strip()[:500]
        r.proposed_by = actor
        r.proposed_at = now
        changed.append(r)
    if errors:
        raise ValidationError(errors)
    for r in changed:
        _history(r, actor, "Chi ủy đề xuất xếp loại")
        r.save()
    return changed


@transaction.atomic
def record_votes(*, actor: Any, round: EvaluationRound, votes: list[dict[str, Any]]) -> list[MemberRating]:
    """The cell meeting's vote on each proposal: `rating`, `votes_for`, `votes_total`."""
    rnd = EvaluationRound.objects.get(pk=round.pk)
    _require_open(rnd)
    ratings = _ratings_for(rnd, [int(v["rating"]) for v in votes])
    errors: dict[str, str] = {}
    now = timezone.now()
    for v in votes:
        r = ratings[int(v["rating"])]
        key = f"rating-{r.pk}"
        if not can_propose(actor, r.organization):
            raise PermissionDenied(f"Không có quyền ghi kết quả biểu quyết của «{r.organization.name}».")
        try:
            votes_for, votes_total = int(v["votes_for"]), int(v["votes_total"])
        except (KeyError, TypeError, ValueError):
            errors[key] = f"{r.member}: số phiếu phải là số nguyên."
            continue
        if votes_total <= 0 or not 0 <= votes_for <= votes_total:
            errors[key] = f"{r.member}: số phiếu tán thành phải từ 0 đến số đảng viên biểu quyết."
            continue
        if not r.proposed_level:
            errors[key] = f"{r.member}: chưa có đề xuất của chi ủy để biểu quyết."
            continue
        r.votes_for, r.votes_total, r.voted_by, r.voted_at = votes_for, votes_total, actor, now
    if errors:
        raise ValidationError(errors)
    for r in ratings.values():
        _history(r, actor, "Chi bộ biểu quyết")
        r.save()
    return list(ratings.values())


@transaction.atomic
def decide_member_levels(
    *, actor: Any, round: EvaluationRound, decisions: list[dict[str, Any]], decision_ref: str = ""
) -> list[MemberRating]:
    """The competent committee decides (`rating`, `level`); the decided level is the final one."""
    rnd = EvaluationRound.objects.get(pk=round.pk)
    _require_open(rnd)
    ratings = _ratings_for(rnd, [int(d["rating"]) for d in decisions])
    competent = competent_map({r.organization_id for r in ratings.values()})
    errors: dict[str, str] = {}
    now = timezone.now()
    for d in decisions:
        r = ratings[int(d["rating"])]
        key = f"rating-{r.pk}"
        body = competent[r.organization_id]
        if not can_decide(actor, body):
            raise PermissionDenied(f"Việc quyết định xếp loại đảng viên này thuộc «{body.name}».")
        try:
            if not r.ranked:
                raise ValidationError(
                    {key: f"{r.member}: không thuộc diện xếp loại ({r.not_ranked_reason})."}
                )
            level = _level(d.get("level"), key)
            score = r.score if r.score is not None else r.self_score
            error = rules.score_level_error(level, score, on=rnd.period_end)
            if error:
                raise ValidationError({key: f"{r.member}: {error}"})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[field] = messages[0]
            continue
        r.decided_level, r.decided_by, r.decided_at = level, actor, now
        r.decision_ref = (decision_ref or "").strip()
    if errors:
        raise ValidationError(errors)
    for r in ratings.values():
        _history(r, actor, "Quyết định xếp loại")
        r.save()
    return list(ratings.values())


# ---------------------------------------------------------------------------------------------
# Collective ratings


@transaction.atomic
def propose_organization_level(
    *,
    actor: Any,
    rating: OrganizationRating,
    level: str,
    score: Any = None,
    exceeded_share: Any = None,
    subordinate_disciplined: bool = False,
    leadership_disciplined: bool = False,
    report: str = "",
) -> OrganizationRating:
    """The organization's own proposal for its collective (Mẫu 01)."""
    rating = (
        OrganizationRating.objects.select_for_update()
        .select_related("round", "organization")
        .get(pk=rating.pk)
    )
    if not can_propose(actor, rating.organization):
        raise PermissionDenied(f"Không có quyền đề xuất xếp loại cho «{rating.organization.name}».")
    _require_open(rating.round)
    if rating.decided_level:
        raise ValidationError({"level": "Đã có quyết định xếp loại."})
    level = _level(level, "level")
    score = _score(score, "score")
    share = _score(exceeded_share, "exceeded_share")
    error = rules.score_level_error(
        level, score, on=rating.round.period_end, exceeded_share=share, collective=True
    )
    if error:
        raise ValidationError({"level": error})
    rating.proposed_level, rating.score, rating.exceeded_share = level, score, share
    rating.subordinate_disciplined = bool(subordinate_disciplined)
    rating.leadership_disciplined = bool(leadership_disciplined)
    rating.report = report.strip()
    rating.proposed_by, rating.proposed_at = actor, timezone.now()
    _history(rating, actor, "Tự đề xuất xếp loại tập thể")
    rating.save()
    return rating


@transaction.atomic
def decide_organization_level(
    *, actor: Any, rating: OrganizationRating, level: str, decision_ref: str = ""
) -> OrganizationRating:
    """The directly higher committee decides a collective's level."""
    rating = (
        OrganizationRating.objects.select_for_update()
        .select_related("round", "organization")
        .get(pk=rating.pk)
    )
    body = deciding_parent(rating.organization)
    if not can_decide(actor, body):
        raise PermissionDenied(f"Việc quyết định xếp loại «{rating.organization.name}» thuộc «{body.name}».")
    _require_open(rating.round)
    level = _level(level, "level")
    error = rules.score_level_error(
        level, rating.score, on=rating.round.period_end, exceeded_share=rating.exceeded_share, collective=True
    )
    if error:
        raise ValidationError({"level": error})
    rating.decided_level, rating.decided_by, rating.decided_at = level, actor, timezone.now()
    rating.decision_ref = (decision_ref or "").strip()
    _history(rating, actor, "Cấp trên quyết định xếp loại tập thể")
    rating.save()
    return rating


# ---------------------------------------------------------------------------------------------
# Violations


def current_level(rating: MemberRating | OrganizationRating | dict) -> str:
    """The decided level, or the proposal while no decision exists."""
    if isinstance(rating, dict):
        return rating["decided_level"] or rating["proposed_level"]
    return rating.decided_level or rating.proposed_level


def round_violations(round: EvaluationRound, under: Organization | None = None) -> list[rules.Violation]:
    """Every rule the round's ratings break now (decided levels, or proposals where none is decided),
    optionally only under one organization."""
    with cached_rules():
        return _round_violations(round, under)


def _round_violations(round: EvaluationRound, under: Organization | None) -> list[rules.Violation]:
    on = round.period_end
    found: list[rules.Violation] = []
    members = MemberRating.objects.filter(round=round, ranked=True)
    orgs = OrganizationRating.objects.filter(round=round)
    if under is not None:
        members = members.filter(organization__path__startswith=under.path)
        orgs = orgs.filter(organization__path__startswith=under.path)
    rows = list(
        members.values(
            "pk", "organization_id", "disciplined", "decided_level", "proposed_level", "member__full_name"
        )
    )
    for r in rows:
        error = rules.disciplined_member_error(current_level(r), r["disciplined"], on=on)
        if error:
            found.append(
                rules.Violation(
                    "disciplined",
                    f"{r['member__full_name']}: {error}",
                    r["organization_id"],
                    member_rating_id=r["pk"],
                )
            )
    for o in orgs.select_related("organization"):
        error = rules.collective_discipline_error(
            current_level(o),
            subordinate_disciplined=o.subordinate_disciplined,
            leadership_disciplined=o.leadership_disciplined,
            on=on,
        )
        if error:
            found.append(
                rules.Violation(
                    "collective_discipline",
                    f"{o.organization.name}: {error}",
                    o.organization_id,
                    organization_rating_id=o.pk,
                )
            )
    found.extend(cap_violations(round, rows))
    return found


def cap_violations(round: EvaluationRound, rows: list[dict]) -> list[rules.Violation]:
    """The HTXS cap, checked per deciding committee (the base organization, or the commune for the
    residential cells under it)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    body_of = competent_map({r["organization_id"] for r in rows})
    for r in rows:
        counts[body_of[r["organization_id"]].pk][current_level(r)] += 1
    bodies = {b.pk: b for b in body_of.values()}
    found = []
    for body_id, c in counts.items():
        error = rules.cap_error(c[Level.EXCELLENT], c[Level.GOOD], on=round.period_end)
        if error:
            found.append(rules.Violation("cap", f"{bodies[body_id].name}: {error}", body_id))
    return found
