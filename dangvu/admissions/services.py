"""Writes of party development: admission targets and the candidates' pipeline.

Each write is keyword-only, runs in one transaction, re-checks the actor's right and writes a
history row with its reason. A candidate's stages run in order (DOMAIN.md §1.1): each refuses to
run before the previous one is done (the message names the missing stage), refuses a date before
the previous stage's or in the future, and checks the rule of its stage. The ceremony hands the
candidate to the member registry (`member_admit`), which creates the probationary member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import OrgRole, Role
from dangvu.core.formats import fmt_percent, parse_date
from dangvu.core.text import nfc, person_sort_string, search_key
from dangvu.members import services as member_services
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.organizations.models import CELL_KINDS, Kind, Organization
from dangvu.organizations.permissions import can_manage_organization

from . import rules
from .choices import STAGE_ORDER, Segment, Stage, TargetPeriod
from .models import AdmissionTarget, Candidate

# The date field that records each stage (the stage is done when it is set).
STAGE_DATE_FIELD: dict[str, str] = {
    Stage.LISTED: "listed_on",
    Stage.CLASS: "class_certified_on",
    Stage.SPONSORED: "sponsors_assigned_on",
    Stage.VERIFIED: "verified_on",
    Stage.CELL_VOTED: "cell_voted_on",
    Stage.BASE_RESOLVED: "base_resolved_on",
    Stage.DECIDED: "decided_on",
    Stage.ADMITTED: "ceremony_on",
}
# The person's fields a candidate's record holds (the member record takes them at admission).
CANDIDATE_FIELDS = frozenset(
    {
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "religion",
        "citizen_id",
        "phone",
        "occupation",
        "workplace",
        "education",
        "home_town",
        "permanent_address",
        "youth_union",
    }
)
# Committees that decide admissions for the organizations under them (as in the quality review).
DECIDING_KINDS = (
    Kind.BASE_CELL,
    Kind.BASE_COMMITTEE,
    Kind.COMMUNE,
    Kind.DISTRICT,
    Kind.PROVINCIAL_BLOC,
    Kind.PROVINCE,
    Kind.CENTRAL,
)
# Organizations whose own target is set by themselves (nobody above them uses the system).
SELF_ASSIGNED_KINDS = (Kind.CENTRAL, Kind.PROVINCE)
FIRST_YEAR = 1930
# What the history keeps of a reason (simple-history's `history_change_reason`).
HISTORY_REASON_LENGTH = 100


def today() -> date:
    return timezone.localdate()


def _history(obj: Any, actor: Any, reason: str) -> None:
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj._change_reason = (reason or "")[:HISTORY_REASON_LENGTH]


def _require_reason(reason: str, message: str = "Cần ghi lý do.") -> str:
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


# ---------------------------------------------------------------------------------------------
# The tree: who is above whom


def _ancestors(org: Organization) -> list[Organization]:
    """Ancestors, nearest first."""
    step = Organization.steplen
    paths = [org.path[:i] for i in range(step, len(org.path), step)]
    by_path = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    return [by_path[p] for p in reversed(paths) if p in by_path]


def _parent(org: Organization) -> Organization | None:
    ancestors = _ancestors(org)
    return ancestors[0] if ancestors else None


def base_organization(org: Organization) -> Organization | None:
    """The base organization (đảng bộ cơ sở, chi bộ cơ sở) `org` belongs to, itself included;
    None for a cell directly under a commune committee (the commune acts as its base)."""
    for o in [org, *_ancestors(org)]:
        if o.is_base:
            return o
    return None


def deciding_committee(org: Organization) -> Organization:
    """The committee that decides admissions in `org`: the committee directly above the base
    organization (like `evaluations.services.deciding_parent`); for a cell directly under a
    commune, the commune committee."""
    base = base_organization(org)
    start = base or org
    for anc in _ancestors(start):
        if anc.kind in DECIDING_KINDS:
            return anc
    return start


def needs_base_resolution(org: Organization) -> bool:
    """Does the base committee consider the cell's proposal before the decision? (Not for a base
    cell, nor for a cell directly under a commune, whose committee decides itself.)"""
    base = base_organization(org)
    return base is not None and base.pk != org.pk and base.kind == Kind.BASE_COMMITTEE


def higher_committee(org: Organization) -> Organization:
    """The committee directly above a cell (where a cell vote that failed three times goes)."""
    for anc in _ancestors(org):
        if anc.kind != Kind.PARTY_GROUP:
            return anc
    return org


def required_stages(candidate: Candidate) -> list[str]:
    """The stages this candidate goes through, in order."""
    stages = list(STAGE_ORDER)
    if not needs_base_resolution(candidate.organization):
        stages.remove(Stage.BASE_RESOLVED)
    return stages


def next_stage(candidate: Candidate) -> str | None:
    """The first stage not done yet (None once admitted or withdrawn)."""
    if candidate.withdrawn_on or candidate.member_id:
        return None
    for stage in required_stages(candidate):
        if getattr(candidate, STAGE_DATE_FIELD[stage]) is None:
            return stage
    return None


# ---------------------------------------------------------------------------------------------
# Rights


def _role_paths(user: Any, roles: tuple[str, ...]) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        OrgRole.objects.active()
        .filter(user=user, role__in=list(roles))
        .values_list("organization__path", flat=True)
    )


def can_manage_candidates(user: Any, org: Organization) -> bool:
    """Organization staff above `org`, and its leaders and cell secretaries (on it or above it)."""
    if can_manage_organization(user, org):
        return True
    return any(org.path.startswith(p) for p in _role_paths(user, (Role.LEADER, Role.CELL_SECRETARY)))


def can_resolve_base(user: Any, org: Organization) -> bool:
    """May `user` record the base committee's resolution on a candidate of `org`? Staff who manage
    `org`, and the leaders and secretaries of the base organization or above it (not the cell's)."""
    if can_manage_organization(user, org):
        return True
    base = base_organization(org)
    if base is None:
        return False
    return any(base.path.startswith(p) for p in _role_paths(user, (Role.LEADER, Role.CELL_SECRETARY)))


def can_decide(user: Any, org: Organization) -> bool:
    """May `user` record the admission decision for a candidate of `org`? Staff who manage the
    deciding committee, and its leaders (on it or above it)."""
    committee = deciding_committee(org)
    if can_manage_organization(user, committee):
        return True
    return any(committee.path.startswith(p) for p in _role_paths(user, (Role.LEADER,)))


def stage_refusal(user: Any, candidate: Candidate, stage: str) -> str:
    """Why `user` may not record `stage` of `candidate` ("" when they may). The stages up to the
    cell's vote are the cell's; the base resolution, the decision and the admission into the member
    registry belong to the committees above it (DOMAIN.md §1.1)."""
    org = candidate.organization
    if not can_manage_candidates(user, org):
        return f"Không có quyền quản lý quần chúng ưu tú của «{org.name}»."
    if stage == Stage.BASE_RESOLVED and not can_resolve_base(user, org):
        base = base_organization(org)
        name = base.name if base else org.name
        return (
            f"Nghị quyết của đảng ủy cơ sở do {name} ghi nhận (cán bộ tổ chức, lãnh đạo, bí thư của "
            f"{name} hoặc cấp trên)."
        )
    if stage == Stage.DECIDED and not can_decide(user, org):
        committee = deciding_committee(org)
        return (
            f"Quyết định kết nạp do {committee.name} ghi nhận (cán bộ tổ chức, lãnh đạo của "
            f"{committee.name} hoặc cấp trên)."
        )
    if stage == Stage.ADMITTED and not can_manage_organization(user, org):
        return "Ghi nhận lễ kết nạp vào danh sách đảng viên do cán bộ tổ chức của cấp ủy cấp trên thực hiện."
    return ""


def correctable_stage(candidate: Candidate) -> str | None:
    """The stage a new recording would correct: the latest one done, while the next is not (the
    listing itself is corrected with the record, `candidate_update`). None once admitted or withdrawn."""
    if candidate.withdrawn_on or candidate.member_id:
        return None
    done = [s for s in required_stages(candidate) if getattr(candidate, STAGE_DATE_FIELD[s]) is not None]
    if not done or done[-1] == Stage.LISTED:
        return None
    return done[-1]


def target_assigner(org: Organization) -> Organization:
    """Who sets `org`'s admission target: the level above it (a province or the Centre sets its own)."""
    if org.kind in SELF_ASSIGNED_KINDS:
        return org
    return _parent(org) or org


def can_set_target(user: Any, org: Organization) -> bool:
    """Organization staff of the level that assigns the target (above `org`; a province's own
    target by its staff). A commune's staff set their cells' targets, not their own."""
    return can_manage_organization(user, target_assigner(org))


def _require_candidates_right(actor: Any, org: Organization) -> None:
    if not can_manage_candidates(actor, org):
        raise PermissionDenied(f"Không có quyền quản lý quần chúng ưu tú của «{org.name}».")


# ---------------------------------------------------------------------------------------------
# Targets


def _int(value: Any, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label} phải là số nguyên."}) from None
    if isinstance(value, float) and value != number:
        raise ValidationError({field: f"{label} phải là số nguyên."})
    return number


def check_years(year_from: Any, year_to: Any = None) -> tuple[int, int]:
    """The period's years, validated (a year, or a term of at most 10 years)."""
    start = _int(year_from, "year_from", "Năm bắt đầu")
    end = start if year_to in (None, "") else _int(year_to, "year_to", "Năm kết thúc")
    latest = today().year + 10
    if not FIRST_YEAR <= start <= latest:
        raise ValidationError({"year_from": f"Năm bắt đầu phải từ {FIRST_YEAR} đến {latest}."})
    if end < start:
        raise ValidationError({"year_to": "Năm kết thúc không được trước năm bắt đầu."})
    if end - start > 10 or end > latest:
        raise ValidationError({"year_to": "Một kỳ chỉ tiêu dài tối đa 10 năm."})
    return start, end


@transaction.atomic
def target_set(
    *,
    actor: Any,
    organization: Organization,
    year_from: int,
    year_to: int | None = None,
    segment: str = Segment.TOTAL,
    target: int,
    decision_ref: str = "",
    note: str = "",
) -> AdmissionTarget:
    """Set (or change) `organization`'s target for a year or a term, as a total or for a segment.

    One row per organization, period and segment: setting it again changes it, with history. A
    target of 0 withdraws it (the row stays, with its history).
    """
    if not can_set_target(actor, organization):
        raise PermissionDenied(f"Không có quyền giao chỉ tiêu kết nạp đảng viên cho «{organization.name}».")
    start, end = check_years(year_from, year_to)
    if segment not in Segment.values:
        raise ValidationError({"segment": "Đối tượng của chỉ tiêu không hợp lệ."})
    number = _int(target, "target", "Chỉ tiêu")
    if number < 0:
        raise ValidationError({"target": "Chỉ tiêu không được âm."})
    if organization.dissolved_on is not None:
        raise ValidationError(
            {"organization": f"«{organization.name}» đã giải thể ngày {organization.dissolved_on:%d/%m/%Y}."}
        )
    decision_ref = nfc(decision_ref or "").strip()[:120]
    note = nfc(note or "").strip()[:300]
    # The period's rows of this organization, locked: the total and its segments are checked together.
    rows = {
        t.segment: t
        for t in AdmissionTarget.objects.select_for_update().filter(
            organization=organization, year_from=start, year_to=end
        )
    }
    row = rows.get(segment)
    years = str(start) if start == end else f"{start}–{end}"
    _check_segments(organization, years, segment, number, rows)
    if row is None:
        row = AdmissionTarget(
            organization=organization,
            period=TargetPeriod.YEAR if start == end else TargetPeriod.TERM,
            year_from=start,
            year_to=end,
            segment=segment,
            target=number,
            assigned_by=target_assigner(organization),
            decision_ref=decision_ref,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        reason = f"Giao chỉ tiêu kết nạp {years}: {number}"
    else:
        reason = f"Điều chỉnh chỉ tiêu kết nạp {years}: {row.target} → {number}"
        row.target = number
        row.decision_ref = decision_ref or row.decision_ref
        row.note = note
    _history(row, actor, reason)
    row.save()
    return row


def _check_segments(
    organization: Organization, years: str, segment: str, number: int, rows: dict[str, AdmissionTarget]
) -> None:
    """A segment's target is a part of the total: it needs a total target for the same organization
    and period and may not exceed it; the total may not fall below a segment's target. Withdrawing
    a segment's target (0) is always allowed."""
    total = rows.get(Segment.TOTAL)
    total_target = total.target if total is not None else 0
    if segment != Segment.TOTAL:
        if number == 0:
            return
        label = Segment(segment).label
        if not total_target:
            raise ValidationError(
                {
                    "target": f"«{organization.name}» chưa có chỉ tiêu tổng số {years}: hãy giao chỉ tiêu "
                    f"tổng số trước khi giao chỉ tiêu «{label}»."
                }
            )
        if number > total_target:
            raise ValidationError(
                {
                    "target": f"Chỉ tiêu «{label}» ({number}) lớn hơn chỉ tiêu tổng số {years} của "
                    f"«{organization.name}» ({total_target})."
                }
            )
        return
    above = sorted(
        (t for s, t in rows.items() if s != Segment.TOTAL and t.target > number),
        key=lambda t: (-t.target, t.segment),
    )
    if above:
        parts = ", ".join(f"«{Segment(t.segment).label}» ({t.target})" for t in above)
        raise ValidationError(
            {
                "target": f"Chỉ tiêu tổng số {years} của «{organization.name}» ({number}) thấp hơn chỉ tiêu "
                f"đã giao theo đối tượng: {parts}. Hãy giảm chỉ tiêu theo đối tượng trước."
            }
        )


# ---------------------------------------------------------------------------------------------
# The candidate's record


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - CANDIDATE_FIELDS
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Trường này không có trong hồ sơ người vào Đảng."})
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = nfc(value).strip()
        if key == "citizen_id":
            value = (value or "").replace(" ", "")
        elif key == "birth_date" and isinstance(value, str) and value:
            try:
                value = parse_date(value)
            except ValueError as exc:
                raise ValidationError({key: str(exc)}) from None
        elif key == "youth_union":
            value = bool(value)
        elif value is None and key not in ("birth_date",):
            value = ""
        cleaned[key] = value
    return cleaned


def _apply_record(candidate: Candidate, data: dict[str, Any]) -> None:
    """Set the person's fields and check them as the member registry does."""
    for key, value in data.items():
        setattr(candidate, key, value)
    errors: dict[str, str] = {}
    if not (candidate.full_name or "").strip():
        errors["full_name"] = "Cần nhập họ và tên."
    if not candidate.gender:
        errors["gender"] = "Cần chọn giới tính."
    if not candidate.birth_date:
        errors["birth_date"] = "Cần nhập ngày sinh."
    elif candidate.listed_on and candidate.birth_date >= candidate.listed_on:
        errors["birth_date"] = "Ngày sinh phải trước ngày được giới thiệu là quần chúng ưu tú."
    if candidate.citizen_id:
        if not (len(candidate.citizen_id) == 12 and candidate.citizen_id.isdigit()):
            errors["citizen_id"] = "Số CCCD gồm đúng 12 chữ số."
        elif Member.objects.filter(citizen_id=candidate.citizen_id).exists():
            errors["citizen_id"] = "Số CCCD này đã có trong hồ sơ của một đảng viên."
        elif (
            Candidate.objects.active()
            .filter(citizen_id=candidate.citizen_id)
            .exclude(pk=candidate.pk)
            .exists()
        ):
            errors["citizen_id"] = "Số CCCD này đã có trong danh sách quần chúng ưu tú đang được xem xét."
    if errors:
        raise ValidationError(errors)
    # Derived keys are cut to their columns: a long name must not fail on its sort key.
    candidate.search_key = search_key(candidate.full_name)[:200]
    candidate.name_sort = person_sort_string(candidate.full_name)[:400]
    candidate.full_clean(
        exclude=["organization", "created_by", "member", "decided_by", "search_key", "name_sort"],
        validate_unique=False,
    )


def _check_day(on: Any, field: str, label: str) -> date:
    if isinstance(on, str):
        try:
            on = parse_date(on)
        except ValueError as exc:
            raise ValidationError({field: str(exc)}) from None
    if not isinstance(on, date):
        raise ValidationError({field: f"Cần nhập {label}."})
    if on > today():
        raise ValidationError({field: f"{label.capitalize()} {on:%d/%m/%Y} là ngày trong tương lai."})
    return on


@transaction.atomic
def candidate_create(
    *, actor: Any, organization: Organization, data: dict[str, Any], listed_on: date
) -> Candidate:
    """A person introduced by the cell as a candidate (quần chúng ưu tú) on `listed_on`."""
    _require_candidates_right(actor, organization)
    if organization.kind not in CELL_KINDS:
        raise ValidationError(
            {"organization": "Quần chúng ưu tú được theo dõi ở chi bộ (chi bộ trực thuộc hoặc chi bộ cơ sở)."}
        )
    listed_on = _check_day(listed_on, "listed_on", "ngày được giới thiệu")
    if organization.dissolved_on is not None and organization.dissolved_on <= listed_on:
        raise ValidationError({"organization": f"«{organization.name}» đã giải thể."})
    candidate = Candidate(
        organization=organization,
        listed_on=listed_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _apply_record(candidate, _clean_data(data))
    _history(candidate, actor, "Giới thiệu quần chúng ưu tú")
    candidate.save()
    return candidate


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update().select_related("organization").get(pk=candidate.pk)


@transaction.atomic
def candidate_update(*, actor: Any, candidate: Candidate, changes: dict[str, Any], reason: str) -> Candidate:
    """Correct the person's record (reason required). After admission the member record is corrected."""
    reason = _require_reason(reason)
    candidate = _lock(candidate)
    _require_candidates_right(actor, candidate.organization)
    if candidate.member_id:
        raise ValidationError(
            {"candidate": "Người này đã được kết nạp: sửa thông tin trong hồ sơ đảng viên."}
        )
    changes = dict(changes)
    if "listed_on" in changes:
        listed_on = _check_day(changes.pop("listed_on"), "listed_on", "ngày được giới thiệu")
        later = candidate.class_certified_on or candidate.withdrawn_on
        if later and listed_on > later:
            raise ValidationError(
                {"listed_on": f"Ngày được giới thiệu phải trước bước tiếp theo (ngày {later:%d/%m/%Y})."}
            )
        candidate.listed_on = listed_on
    _apply_record(candidate, _clean_data(changes))
    _history(candidate, actor, reason)
    candidate.save()
    return candidate


# ---------------------------------------------------------------------------------------------
# Stages


def _previous_done_on(candidate: Candidate, stage: str) -> date:
    """The date of the stage before `stage` (the latest done before it)."""
    stages = required_stages(candidate)
    before = stages[: stages.index(stage)]
    return getattr(candidate, STAGE_DATE_FIELD[before[-1]])


@dataclass
class _Step:
    """A stage about to be recorded: the locked candidate, its date, and the reason when the
    recording corrects the stage already recorded ("" for a first recording)."""

    candidate: Candidate
    on: date
    correction: str = ""

    def history(self, actor: Any, what: str) -> None:
        reason = what
        if self.correction:
            # The history keeps 100 characters: the typed reason goes first when both do not fit.
            reason = f"Sửa «{what}»: {self.correction}"
            if len(reason) > HISTORY_REASON_LENGTH:
                reason = f"Sửa: {self.correction}"
        _history(self.candidate, actor, reason)


def _prepare(
    actor: Any, candidate: Candidate, stage: str, on: Any, field: str, label: str, reason: str = ""
) -> _Step:
    """Lock, check the right, the order of stages and the date of `stage`.

    Recording a stage already done, while the next one is not, corrects it: the reason is then
    required and kept in the history. A stage followed by a recorded one is not recorded again.
    """
    candidate = _lock(candidate)
    _require_candidates_right(actor, candidate.organization)
    refusal = stage_refusal(actor, candidate, stage)
    if refusal:
        raise PermissionDenied(refusal)
    if candidate.member_id:
        raise ValidationError({"candidate": f"{candidate.full_name} đã được kết nạp vào Đảng."})
    if candidate.withdrawn_on:
        raise ValidationError(
            {"candidate": f"{candidate.full_name} đã dừng xem xét từ ngày {candidate.withdrawn_on:%d/%m/%Y}."}
        )
    stages = required_stages(candidate)
    if stage not in stages:
        raise ValidationError(
            {field: f"Bước «{Stage(stage).label}» không áp dụng với «{candidate.organization.name}»."}
        )
    index = stages.index(stage)
    for earlier in stages[:index]:
        if getattr(candidate, STAGE_DATE_FIELD[earlier]) is None:
            raise ValidationError({field: f"Chưa xong bước «{Stage(earlier).label}»."})
    for later in stages[index + 1 :]:
        done = getattr(candidate, STAGE_DATE_FIELD[later])
        if done is not None:
            raise ValidationError(
                {field: f"Đã qua bước «{Stage(later).label}» (ngày {done:%d/%m/%Y}); không ghi lại bước này."}
            )
    correction = ""
    recorded = getattr(candidate, STAGE_DATE_FIELD[stage])
    if recorded is not None:
        correction = _require_reason(
            reason,
            f"Bước «{Stage(stage).label}» đã ghi ngày {recorded:%d/%m/%Y}: ghi lại là sửa bước này, "
            "cần nêu lý do sửa.",
        )
    on = _check_day(on, field, label)
    previous = _previous_done_on(candidate, stage)
    if on < previous:
        prev_stage = stages[index - 1]
        raise ValidationError(
            {
                field: f"{label.capitalize()} {on:%d/%m/%Y} trước ngày của bước «{Stage(prev_stage).label}» "
                f"({previous:%d/%m/%Y})."
            }
        )
    return _Step(candidate, on, correction)


@transaction.atomic
def candidate_certify_class(
    *, actor: Any, candidate: Candidate, certificate_no: str, certified_on: date, reason: str = ""
) -> Candidate:
    """The certificate of the party-awareness class (lớp bồi dưỡng nhận thức về Đảng)."""
    step = _prepare(
        actor, candidate, Stage.CLASS, certified_on, "certified_on", "ngày cấp giấy chứng nhận", reason
    )
    candidate, certified_on = step.candidate, step.on
    certificate_no = nfc(certificate_no or "").strip()
    if not certificate_no:
        raise ValidationError(
            {"certificate_no": "Cần nhập số giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng."}
        )
    candidate.class_certificate_no = certificate_no[:60]
    candidate.class_certified_on = certified_on
    step.history(actor, "Học lớp bồi dưỡng nhận thức về Đảng")
    candidate.save()
    return candidate


@transaction.atomic
def candidate_assign_sponsors(
    *,
    actor: Any,
    candidate: Candidate,
    assigned_on: date,
    sponsor_1: Member,
    sponsor_1_since: date | None,
    sponsor_2: Member | None = None,
    sponsor_2_since: date | None = None,
    youth_union_resolution: str = "",
    reason: str = "",
) -> Candidate:
    """Two official members who worked with the candidate for 12 months; a Youth Union resolution
    may replace the second (for a Youth Union member)."""
    step = _prepare(
        actor,
        candidate,
        Stage.SPONSORED,
        assigned_on,
        "assigned_on",
        "ngày phân công người giới thiệu",
        reason,
    )
    candidate, assigned_on = step.candidate, step.on
    resolution = nfc(youth_union_resolution or "").strip()[:120]
    if sponsor_1 is None:
        raise ValidationError({"sponsor_1": "Cần chọn người giới thiệu thứ nhất."})
    if sponsor_2 is not None and sponsor_2.pk == sponsor_1.pk:
        raise ValidationError({"sponsor_2": "Hai người giới thiệu phải là hai đảng viên khác nhau."})
    citation = rules.rule(rules.SPONSOR, on=assigned_on).citation
    if sponsor_2 is None and not resolution:
        raise ValidationError(
            {
                "sponsor_2": "Cần người giới thiệu thứ hai, hoặc nghị quyết giới thiệu của Đoàn thanh niên "
                f"({citation})."
            }
        )
    if resolution and sponsor_2 is None:
        if not rules.youth_union_replaces_sponsor(on=assigned_on):
            raise ValidationError(
                {"youth_union_resolution": f"Nghị quyết của Đoàn không thay người giới thiệu ({citation})."}
            )
        if not candidate.youth_union:
            raise ValidationError(
                {
                    "youth_union_resolution": "Chỉ đoàn viên thanh niên mới được Đoàn giới thiệu; "
                    f"người này không là đoàn viên ({citation})."
                }
            )
    for field, sponsor, since, which in (
        ("sponsor_1", sponsor_1, sponsor_1_since, "Người giới thiệu thứ nhất"),
        ("sponsor_2", sponsor_2, sponsor_2_since, "Người giới thiệu thứ hai"),
    ):
        if sponsor is None:
            continue
        error = rules.sponsor_error(sponsor, since, on=assigned_on, which=which)
        if error:
            # Not an official member: the sponsor is wrong; otherwise the date they met is.
            official = rules.status_on(sponsor, assigned_on) == Status.OFFICIAL
            raise ValidationError({f"{field}_since" if official else field: error})
    candidate.sponsor_1 = sponsor_1
    candidate.sponsor_1_since = sponsor_1_since
    candidate.sponsor_2 = sponsor_2
    candidate.sponsor_2_since = sponsor_2_since if sponsor_2 is not None else None
    candidate.youth_union_resolution = resolution if sponsor_2 is None else ""
    candidate.sponsors_assigned_on = assigned_on
    step.history(actor, "Phân công người giới thiệu")
    candidate.save()
    return candidate


@transaction.atomic
def candidate_verify(
    *, actor: Any, candidate: Candidate, verified_on: date, note: str = "", reason: str = ""
) -> Candidate:
    """The personal history was verified (thẩm tra lý lịch)."""
    step = _prepare(
        actor,
        candidate,
        Stage.VERIFIED,
        verified_on,
        "verified_on",
        "ngày hoàn thành thẩm tra lý lịch",
        reason,
    )
    candidate, verified_on = step.candidate, step.on
    candidate.verified_on = verified_on
    candidate.verification_note = nfc(note or "").strip()[:300]
    step.history(actor, "Thẩm tra lý lịch")
    candidate.save()
    return candidate


@dataclass
class VoteResult:
    passed: bool
    attempt: int
    message: str


@transaction.atomic
def candidate_cell_vote(
    *,
    actor: Any,
    candidate: Candidate,
    voted_on: date,
    votes_for: int,
    official_members: int,
    reason: str = "",
) -> VoteResult:
    """The cell's vote on proposing the admission: at least 2/3 of its official members.

    A vote short of 2/3 is not an error: it is counted as an attempt and nothing else changes.
    After the last attempt (3) the matter goes to the committee above the cell, and the cell votes
    no more. The age (18 to 60, in months) is checked on the day of the vote; past 60 the vote is
    recorded and the admission will need the written consent named by the rule.

    Recording again a vote that passed corrects that same vote (it is no new attempt); if the
    corrected figures fall short of 2/3, the stage is undone and the attempt stays counted.
    """
    step = _prepare(
        actor, candidate, Stage.CELL_VOTED, voted_on, "voted_on", "ngày chi bộ biểu quyết", reason
    )
    candidate, voted_on = step.candidate, step.on
    members = _int(official_members, "official_members", "Số đảng viên chính thức")
    votes = _int(votes_for, "votes_for", "Số đảng viên tán thành")
    if members < 1:
        raise ValidationError({"official_members": "Số đảng viên chính thức của chi bộ phải lớn hơn 0."})
    if not 0 <= votes <= members:
        raise ValidationError(
            {"votes_for": f"Số tán thành phải từ 0 đến số đảng viên chính thức ({members})."}
        )
    age_error = rules.admission_age_error(candidate.birth_date, voted_on)
    over_age = rules.is_over_admission_age(candidate.birth_date, voted_on)
    if age_error and not over_age:
        raise ValidationError({"voted_on": age_error})
    attempts = rules.vote_attempts(on=voted_on)
    num, den = rules.vote_share(on=voted_on)
    citation = rules.rule(rules.CELL_VOTE, on=voted_on).citation
    higher = higher_committee(candidate.organization)
    if not step.correction and candidate.cell_vote_attempts >= attempts:
        raise ValidationError(
            {
                "voted_on": f"Chi bộ đã biểu quyết {candidate.cell_vote_attempts} lần không đủ {num}/{den}; "
                f"việc kết nạp do {higher.name} xem xét ({citation})."
            }
        )
    # A correction rewrites the vote already counted; a new vote is one more attempt.
    attempt = max(candidate.cell_vote_attempts, 1) if step.correction else candidate.cell_vote_attempts + 1
    candidate.cell_vote_attempts = attempt
    error = rules.cell_vote_error(votes, members, on=voted_on)
    share = fmt_percent(votes, members)
    if error:
        if attempt >= attempts:
            message = (
                f"{error} Đã {attempt} lần biểu quyết không đủ {num}/{den}: chi bộ báo cáo {higher.name} "
                "xem xét, quyết định."
            )
        else:
            message = f"{error} Lần biểu quyết thứ {attempt}/{attempts}."
        if step.correction:
            # The vote recorded as passed did not reach the share after all: the stage is undone.
            candidate.cell_voted_on = None
            candidate.cell_votes_for = None
            candidate.cell_official_members = None
        step.history(actor, f"Chi bộ biểu quyết lần {attempt}: {votes}/{members}, không đủ {num}/{den}")
        candidate.save()
        return VoteResult(passed=False, attempt=attempt, message=message)
    candidate.cell_voted_on = voted_on
    candidate.cell_votes_for = votes
    candidate.cell_official_members = members
    message = (
        f"Chi bộ biểu quyết đề nghị kết nạp ngày {voted_on:%d/%m/%Y}: {votes}/{members} đảng viên chính thức "
        f"tán thành ({share}), đạt {num}/{den}."
    )
    if over_age and age_error:
        message += (
            " Người này đã quá 60 tuổi: cần văn bản đồng ý của Ban Thường vụ cấp ủy trực thuộc Trung ương "
            "trước khi quyết định kết nạp."
        )
    step.history(actor, f"Chi bộ biểu quyết lần {attempt}: {votes}/{members}, đề nghị kết nạp")
    candidate.save()
    return VoteResult(passed=True, attempt=attempt, message=message)


@transaction.atomic
def candidate_base_resolve(
    *, actor: Any, candidate: Candidate, resolved_on: date, resolution_ref: str, reason: str = ""
) -> Candidate:
    """The base committee's resolution on the cell's proposal (not for a base cell, whose own
    resolution goes straight to the deciding committee). Recorded by the base committee: staff who
    manage the cell, the leaders and secretaries of the base organization or above it."""
    locked = _lock(candidate)
    if not needs_base_resolution(locked.organization):
        raise ValidationError(
            {
                "resolved_on": f"«{locked.organization.name}» không qua bước đảng ủy cơ sở xét: đề nghị "
                f"của chi bộ gửi thẳng {deciding_committee(locked.organization).name}."
            }
        )
    step = _prepare(
        actor, locked, Stage.BASE_RESOLVED, resolved_on, "resolved_on", "ngày đảng ủy cơ sở xét", reason
    )
    candidate, resolved_on = step.candidate, step.on
    ref = nfc(resolution_ref or "").strip()
    if not ref:
        raise ValidationError({"resolution_ref": "Cần nhập số nghị quyết của đảng ủy cơ sở."})
    candidate.base_resolved_on = resolved_on
    candidate.base_resolution_ref = ref[:120]
    step.history(actor, "Đảng ủy cơ sở xét, đề nghị kết nạp")
    candidate.save()
    return candidate


@transaction.atomic
def candidate_decide(
    *,
    actor: Any,
    candidate: Candidate,
    decided_on: date,
    decision_ref: str,
    received_on: date | None = None,
    reason: str = "",
) -> Candidate:
    """The admission decision of the committee above the base organization, recorded by that
    committee (its staff or leaders, or those above). A decision later than 60 working days after
    the cell's resolution is recorded, and flagged (`decision_late`)."""
    step = _prepare(
        actor, candidate, Stage.DECIDED, decided_on, "decided_on", "ngày quyết định kết nạp", reason
    )
    candidate, decided_on = step.candidate, step.on
    ref = nfc(decision_ref or "").strip()
    if not ref:
        raise ValidationError({"decision_ref": "Cần nhập số quyết định kết nạp."})
    if received_on is not None:
        received_on = _check_day(received_on, "received_on", "ngày chi bộ nhận quyết định")
        if received_on < decided_on:
            raise ValidationError(
                {"received_on": "Ngày chi bộ nhận quyết định không được trước ngày quyết định kết nạp."}
            )
    late = rules.decision_late(candidate.cell_voted_on, decided_on)
    candidate.decided_on = decided_on
    candidate.decision_ref = ref[:120]
    candidate.decided_by = deciding_committee(candidate.organization)
    candidate.decision_received_on = received_on
    what = "Quyết định kết nạp"
    if late:
        due = rules.decision_due(candidate.cell_voted_on)
        what += f" (quá hạn {due:%d/%m/%Y})"
    step.history(actor, what)
    candidate.save()
    candidate.decision_late = late
    return candidate


def _sponsor_names(candidate: Candidate) -> tuple[str, str]:
    first = candidate.sponsor_1.full_name if candidate.sponsor_1_id else ""
    if candidate.sponsor_2_id:
        second = candidate.sponsor_2.full_name
    elif candidate.youth_union_resolution:
        second = f"Đoàn TNCS Hồ Chí Minh ({candidate.youth_union_resolution})"
    else:
        second = ""
    return first[:120], second[:120]


# member_admit's fields → this service's arguments, for its error messages.
_ADMIT_FIELDS = {"ceremony_date": "ceremony_on", "admission_decision_date": "decided_on"}


@transaction.atomic
def candidate_admit(
    *,
    actor: Any,
    candidate: Candidate,
    ceremony_on: date,
    ceremony_late_consent: str = "",
    over_age_consent_ref: str = "",
    over_age_consent_date: date | None = None,
    extra: dict[str, Any] | None = None,
) -> Member:
    """The admission ceremony: the member registry creates the probationary member (official date
    = ceremony + 12 months) and writes the ADMITTED event counted by the statistics.

    `extra` adds record fields the candidate's record does not hold (birth place, qualification…).
    The registry checks the age at the cell's vote and the ceremony deadline; its right (organization
    staff) applies, so a cell secretary records the stages but not the admission itself.
    """
    # The right (organization staff) is checked by `_prepare` (`stage_refusal`).
    step = _prepare(actor, candidate, Stage.ADMITTED, ceremony_on, "ceremony_on", "ngày lễ kết nạp")
    candidate, ceremony_on = step.candidate, step.on
    received = candidate.decision_received_on or candidate.decided_on
    if ceremony_on < received:
        raise ValidationError(
            {"ceremony_on": f"Ngày lễ kết nạp trước ngày chi bộ nhận quyết định ({received:%d/%m/%Y})."}
        )
    sponsor_1, sponsor_2 = _sponsor_names(candidate)
    data: dict[str, Any] = dict(extra or {})
    data.update(
        {
            "full_name": candidate.full_name,
            "gender": candidate.gender,
            "birth_date": candidate.birth_date,
            "ethnicity": candidate.ethnicity,
            "religion": candidate.religion,
            "citizen_id": candidate.citizen_id or None,
            "admission_decision_date": candidate.decided_on,
            "ceremony_date": ceremony_on,
            "sponsor_1": sponsor_1,
            "sponsor_2": sponsor_2,
        }
    )
    for field in ("phone", "occupation", "workplace", "education", "home_town", "permanent_address"):
        value = getattr(candidate, field)
        if value:
            data.setdefault(field, value)
    try:
        member = member_services.member_admit(
            actor=actor,
            organization=candidate.organization,
            data=data,
            decision_ref=candidate.decision_ref,
            decision_date=candidate.decided_on,
            considered_on=candidate.cell_voted_on,
            reason="Kết nạp đảng viên",
            decision_received_on=candidate.decision_received_on,
            over_age_consent_ref=over_age_consent_ref,
            over_age_consent_date=over_age_consent_date,
            ceremony_late_consent=ceremony_late_consent,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({_ADMIT_FIELDS.get(k, k): v for k, v in exc.error_dict.items()}) from None
        raise
    candidate.ceremony_on = ceremony_on
    candidate.decision_received_on = received
    candidate.member = member
    _history(candidate, actor, "Lễ kết nạp đảng viên")
    candidate.save()
    return member


@transaction.atomic
def candidate_withdraw(*, actor: Any, candidate: Candidate, withdrawn_on: date, reason: str) -> Candidate:
    """Stop considering the candidate (kept, with the reason)."""
    reason = _require_reason(reason)
    candidate = _lock(candidate)
    _require_candidates_right(actor, candidate.organization)
    if candidate.member_id:
        raise ValidationError({"candidate": f"{candidate.full_name} đã được kết nạp vào Đảng."})
    if candidate.withdrawn_on:
        raise ValidationError(
            {"candidate": f"{candidate.full_name} đã dừng xem xét từ ngày {candidate.withdrawn_on:%d/%m/%Y}."}
        )
    withdrawn_on = _check_day(withdrawn_on, "withdrawn_on", "ngày dừng xem xét")
    done = [
        (getattr(candidate, STAGE_DATE_FIELD[s]), s)
        for s in required_stages(candidate)
        if getattr(candidate, STAGE_DATE_FIELD[s]) is not None
    ]
    last_on, last_stage = max(done, key=lambda d: d[0])
    if withdrawn_on < last_on:
        raise ValidationError(
            {
                "withdrawn_on": f"Ngày dừng xem xét trước ngày của bước «{Stage(last_stage).label}» "
                f"({last_on:%d/%m/%Y})."
            }
        )
    candidate.withdrawn_on = withdrawn_on
    candidate.withdrawn_reason = reason[:300]
    _history(candidate, actor, f"Dừng xem xét: {reason}")
    candidate.save()
    return candidate


__all__ = [
    "STAGE_DATE_FIELD",
    "VoteResult",
    "can_decide",
    "can_manage_candidates",
    "can_resolve_base",
    "can_set_target",
    "candidate_admit",
    "candidate_assign_sponsors",
    "candidate_base_resolve",
    "candidate_cell_vote",
    "candidate_certify_class",
    "candidate_create",
    "candidate_decide",
    "candidate_update",
    "candidate_verify",
    "candidate_withdraw",
    "correctable_stage",
    "deciding_committee",
    "needs_base_resolution",
    "next_stage",
    "required_stages",
    "stage_refusal",
    "target_set",
]
