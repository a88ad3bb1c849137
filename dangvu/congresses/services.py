"""Writes of congress rounds: open a round for a level, plan and record each congress with the
committee it elects, documents. Each runs in one transaction, re-checks the actor's right and the
round's state, and keeps who and why on the history rows (DOMAIN.md §1.3, §6)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dangvu.accounts.models import OrgRole, Role
from dangvu.core.formats import fmt_date, fmt_decimal
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.members.rules import add_months
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization
from dangvu.reports import figures

from . import rules
from .choices import LEVEL_KINDS, DocumentKind, Level, Position, RoundState
from .models import CommitteeMembership, Congress, CongressDocument, CongressRound

NOT_OPEN = "Đợt đại hội không ở trạng thái đang tổ chức."
TERM_ENDED = "Hết nhiệm kỳ"
CORRECTED = "Ghi nhận lại kết quả đại hội"
# Documents of a congress: what may be attached, and how large (the same limit as member imports).
DOCUMENT_EXTENSIONS = ("pdf", "docx", "doc", "xlsx", "jpg", "jpeg", "png")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# A congress may be held up to six months before the round starts (Điều lệ Điều 24.3: a cell's
# congress may come up to six months early).
EARLY_MONTHS = 6


# ---------------------------------------------------------------------------------------------
# Who may act


def _role_paths(user: Any, roles: tuple[str, ...]) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        OrgRole.objects.active()
        .filter(user=user, role__in=list(roles))
        .values_list("organization__path", flat=True)
    )


def can_manage_round(user: Any, round: CongressRound) -> bool:
    """Organization staff (or administrators) who manage the organization that opened the round."""
    return can_manage_organization(user, round.organization)


def can_record(user: Any, congress: Congress) -> bool:
    """Staff who manage the organization, or its leaders and cell secretaries (on the organization or
    above it, inside the round's subtree) record its plan, result and documents."""
    org = congress.organization
    if can_manage_organization(user, org):
        return True
    top = congress.round.organization.path
    return any(
        org.path.startswith(p) and p.startswith(top)
        for p in _role_paths(user, (Role.LEADER, Role.CELL_SECRETARY))
    )


def _history(obj: Any, actor: Any, reason: str) -> None:
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj._change_reason = (reason or "")[:100]


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _require_open(rnd: CongressRound) -> None:
    if rnd.state != RoundState.OPEN:
        raise ValidationError({"round": NOT_OPEN})


def _check_date(value: Any, field: str, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise ValidationError({field: "Hãy nhập ngày."})
        return None
    if not isinstance(value, date):
        raise ValidationError({field: "Ngày không hợp lệ."})
    return value


def _count(value: Any, field: str, label: str, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: f"Hãy nhập {label}."})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label.capitalize()} phải là số nguyên."}) from None
    if number < 0:
        raise ValidationError({field: f"{label.capitalize()} không được âm."})
    return number


# ---------------------------------------------------------------------------------------------
# Rounds


def default_round_name(level: str, term_start_year: int, term_end_year: int) -> str:
    """ "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"."""
    return f"Đại hội {Level(level).label.lower()} nhiệm kỳ {term_start_year}–{term_end_year}"


@transaction.atomic
def round_create(
    *,
    actor: Any,
    organization: Organization,
    level: str,
    term_start_year: int,
    term_end_year: int,
    starts_on: date,
    deadline: date,
    pilot_five_year: bool = False,
    name: str = "",
    note: str = "",
) -> CongressRound:
    """A draft round of `level` congresses for `organization`'s subtree. The term is checked against
    the term length in force on `starts_on`; the round keeps that rule's regulation and length."""
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền mở đợt đại hội cho «{organization.name}».")
    if level not in Level.values:
        raise ValidationError({"level": "Cấp đại hội không hợp lệ."})
    start = _count(term_start_year, "term_start_year", "năm bắt đầu nhiệm kỳ")
    end = _count(term_end_year, "term_end_year", "năm kết thúc nhiệm kỳ")
    assert start is not None and end is not None
    if not 1930 <= start <= 2200:
        raise ValidationError({"term_start_year": "Năm bắt đầu nhiệm kỳ không hợp lệ."})
    starts_on = _check_date(starts_on, "starts_on")
    deadline = _check_date(deadline, "deadline")
    assert starts_on is not None and deadline is not None
    if deadline < starts_on:
        raise ValidationError({"deadline": "Hạn hoàn thành phải sau ngày bắt đầu tổ chức."})
    pilot = bool(pilot_five_year)
    if pilot and (error := rules.pilot_error(level, on=starts_on)):
        raise ValidationError({"pilot_five_year": error})
    if error := rules.term_error(level, start, end, on=starts_on, pilot=pilot):
        raise ValidationError({"term_end_year": error})
    _low, _high, term_rule = rules.term_years_allowed(level, on=starts_on, pilot=pilot)
    duplicate = CongressRound.objects.filter(
        organization=organization, level=level, term_start_year=start, term_end_year=end
    ).exists()
    if duplicate:
        raise ValidationError(
            {
                "term_start_year": f"«{organization.name}» đã có đợt đại hội {Level(level).label.lower()} "
                f"nhiệm kỳ {start}–{end}."
            }
        )
    rnd = CongressRound(
        organization=organization,
        name=(name or "").strip()[:255] or default_round_name(level, start, end),
        level=level,
        term_start_year=start,
        term_end_year=end,
        pilot_five_year=pilot,
        term_months=int(term_rule.value[level]),
        starts_on=starts_on,
        deadline=deadline,
        legal_basis=term_rule.legal_basis,
        note=(note or "").strip(),
        created_by=_user(actor),
    )
    _history(rnd, actor, "Tạo đợt đại hội")
    rnd.save()
    return rnd


def _congress_organizations(rnd: CongressRound) -> Any:
    """Organizations of the round's level in its subtree that are not dissolved."""
    return (
        Organization.objects.filter(path__startswith=rnd.organization.path, kind__in=LEVEL_KINDS[rnd.level])
        .active()
        .order_by("path")
    )


def _add_rows(rnd: CongressRound, org_ids: list[int], actor: Any, reason: str) -> int:
    # A province's cells are thousands of rows: one bulk insert, with their history rows.
    rows = [Congress(round=rnd, organization_id=pk) for pk in org_ids]
    bulk_create_with_history(
        rows, Congress, batch_size=1000, default_user=_user(actor), default_change_reason=reason
    )
    return len(rows)


@transaction.atomic
def round_open(*, actor: Any, round: CongressRound, on: date | None = None) -> CongressRound:
    """Open the round: one congress row for every organization of its level in the subtree."""
    rnd = CongressRound.objects.select_for_update().select_related("organization").get(pk=round.pk)
    if not can_manage_round(actor, rnd):
        raise PermissionDenied("Không có quyền mở đợt đại hội này.")
    if rnd.state != RoundState.DRAFT:
        raise ValidationError({"round": "Chỉ mở được đợt đại hội đang chuẩn bị."})
    ids = list(_congress_organizations(rnd).values_list("pk", flat=True))
    if not ids:
        raise ValidationError(
            {
                "round": f"Không có tổ chức nào thuộc cấp «{Level(rnd.level).label}» "
                f"trong «{rnd.organization.name}»."
            }
        )
    _add_rows(rnd, ids, actor, "Mở đợt đại hội")
    rnd.state = RoundState.OPEN
    rnd.opened_on = on or timezone.localdate()
    _history(rnd, actor, "Mở đợt đại hội")
    rnd.save()
    return rnd


@transaction.atomic
def round_sync(*, actor: Any, round: CongressRound) -> int:
    """Add the organizations of the level founded (or moved in) since the round opened; how many."""
    rnd = CongressRound.objects.select_for_update().select_related("organization").get(pk=round.pk)
    if not can_manage_round(actor, rnd):
        raise PermissionDenied("Không có quyền cập nhật đợt đại hội này.")
    _require_open(rnd)
    have = Congress.objects.filter(round=rnd).values("organization_id")
    ids = list(_congress_organizations(rnd).exclude(pk__in=have).values_list("pk", flat=True))
    return _add_rows(rnd, ids, actor, "Bổ sung tổ chức vào đợt đại hội")


@transaction.atomic
def round_close(*, actor: Any, round: CongressRound, reason: str = "") -> CongressRound:
    rnd = CongressRound.objects.select_for_update().select_related("organization").get(pk=round.pk)
    if not can_manage_round(actor, rnd):
        raise PermissionDenied("Không có quyền kết thúc đợt đại hội này.")
    _require_open(rnd)
    rnd.state = RoundState.CLOSED
    rnd.closed_on = timezone.localdate()
    _history(rnd, actor, (reason or "").strip() or "Kết thúc đợt đại hội")
    rnd.save()
    return rnd


# ---------------------------------------------------------------------------------------------
# Congresses


def _lock(congress: Congress) -> Congress:
    return (
        Congress.objects.select_for_update(of=("self",))
        .select_related("round", "round__organization", "organization")
        .get(pk=congress.pk)
    )


def _earliest(rnd: CongressRound) -> date:
    return add_months(rnd.starts_on, -EARLY_MONTHS)


@transaction.atomic
def congress_plan(
    *, actor: Any, congress: Congress, planned_on: date, pilot: bool | None = None, reason: str = ""
) -> Congress:
    """Set (or move) the planned date of a congress, and whether it is a pilot congress."""
    c = _lock(congress)
    if not can_record(actor, c):
        raise PermissionDenied(f"Không có quyền lập kế hoạch đại hội của «{c.organization.name}».")
    _require_open(c.round)
    if c.excluded:
        raise ValidationError({"congress": f"«{c.organization.name}» không tính trong đợt đại hội này."})
    planned_on = _check_date(planned_on, "planned_on")
    assert planned_on is not None
    if planned_on < _earliest(c.round):
        raise ValidationError(
            {
                "planned_on": f"Ngày dự kiến không được trước ngày {fmt_date(_earliest(c.round))} "
                f"(sớm hơn ngày bắt đầu đợt quá {EARLY_MONTHS} tháng)."
            }
        )
    c.planned_on = planned_on
    if pilot is not None:
        c.pilot = bool(pilot)
    _history(c, actor, (reason or "").strip() or "Lập kế hoạch đại hội")
    c.save()
    return c


@dataclass
class ElectedSeat:
    """One person elected at a congress: the seat, the committee vote, and the vote for the position
    (secretary, deputy) when there was one. `first_time` None is decided from the history: re-elected
    if the member held a seat in this organization's committee on the day before the congress."""

    member: Member
    position: str
    votes_for: int | None
    votes_valid: int | None
    position_votes_for: int | None = None
    position_votes_valid: int | None = None
    first_time: bool | None = None
    age_exception: str = ""


def _counted_on(org: Organization, on: date, member_ids: list[int]) -> dict[int, str]:
    """member id → status on `on`, for those of `member_ids` counted in `org`'s subtree then."""
    tree = figures.tree_as_of(org, on)
    return {
        fields["member_id"]: status for _o, status, _ex, fields in figures.members_as_of(tree, member_ids)
    }


def _seat_errors(
    c: Congress, seats: list[ElectedSeat], held_on: date, committee_word: str
) -> tuple[list[str], dict[int, bool]]:
    """Messages about individual seats, and each member's first-time flag as decided."""
    errors: list[str] = []
    ids = [s.member.pk for s in seats]
    counted = _counted_on(c.organization, held_on, ids)
    day_before = held_on - timedelta(days=1)
    sitting = set(
        CommitteeMembership.objects.current(on=day_before)
        .filter(organization=c.organization, member_id__in=ids)
        .exclude(congress=c)
        .values_list("member_id", flat=True)
    )
    # When correcting, the committee the earlier recording ended was still sitting the day before.
    sitting |= set(
        _ended_by(c).filter(member_id__in=ids, started_on__lte=day_before).values_list("member_id", flat=True)
    )
    first: dict[int, bool] = {}
    seen: Counter[int] = Counter(ids)
    for s in seats:
        m = s.member
        name = f"Đồng chí {m.full_name}"
        if seen[m.pk] > 1:
            errors.append(f"{name} có tên nhiều lần trong danh sách trúng cử.")
            seen[m.pk] = 0
            continue
        if s.position not in Position.values:
            errors.append(f"{name}: chức vụ không hợp lệ.")
            continue
        status = counted.get(m.pk)
        if status is None:
            errors.append(
                f"{name} không phải đảng viên của «{c.organization.name}» vào ngày {fmt_date(held_on)}."
            )
            continue
        if status != Status.OFFICIAL:
            errors.append(
                f"{name} là đảng viên dự bị vào ngày {fmt_date(held_on)}, "
                "không có quyền ứng cử (Điều 3, Điều lệ Đảng)."
            )
            continue
        if s.votes_for is None or s.votes_valid is None:
            errors.append(f"{name}: hãy nhập số phiếu bầu và số phiếu hợp lệ.")
        else:
            error = rules.election_error(
                s.votes_for,
                s.votes_valid,
                on=held_on,
                what=f"Bầu đồng chí {m.full_name} vào {committee_word}",
            )
            if error:
                errors.append(error)
        if s.position_votes_for is not None or s.position_votes_valid is not None:
            label = Position(s.position).label.lower()
            error = rules.election_error(
                s.position_votes_for if s.position_votes_for is not None else -1,
                s.position_votes_valid or 0,
                on=held_on,
                what=f"Bầu đồng chí {m.full_name} làm {label}",
            )
            if error:
                errors.append(error)
        first_time = s.first_time if s.first_time is not None else m.pk not in sitting
        first[m.pk] = first_time
        if not (s.age_exception or "").strip():
            error = rules.age_error(m.birth_date, m.gender, c.round.level, first_time=first_time, on=held_on)
            if error:
                errors.append(f"{name}: {error} Nếu có ngoại lệ, hãy ghi lý do.")
    return errors, first


def _undo_earlier_recording(c: Congress, actor: Any) -> None:
    """A second recording corrects the first: its rows end on the day they started (so they were
    never in force), and the rows it ended as "Hết nhiệm kỳ" run on until the new recording ends them."""
    for row in CommitteeMembership.objects.select_for_update().filter(congress=c):
        if row.ended_on == row.started_on:
            continue  # undone by an earlier correction already
        row.ended_on = row.started_on
        row.end_reason = CORRECTED
        _history(row, actor, CORRECTED)
        row.save()
    for row in _ended_by(c).select_for_update():
        row.ended_on = None
        row.end_reason = ""
        _history(row, actor, CORRECTED)
        row.save()


def _ended_by(c: Congress) -> Any:
    """The rows the recorded congress `c` ended as "Hết nhiệm kỳ" (none when not recorded yet)."""
    if c.held_on is None:
        return CommitteeMembership.objects.none()
    return CommitteeMembership.objects.filter(
        organization=c.organization, ended_on=c.held_on, end_reason=TERM_ENDED
    ).exclude(congress=c)


@transaction.atomic
def congress_record(
    *,
    actor: Any,
    congress: Congress,
    held_on: date,
    summoned: int,
    attending: int,
    official_members: int | None,
    seats: list[ElectedSeat],
    delegate_congress: bool = False,
    pilot: bool | None = None,
    secretary_elected_directly: bool = False,
    note: str = "",
    reason: str = "",
) -> Congress:
    """Record that the congress was held and whom it elected. Checks the date, the quorum, the
    majority of every seat, the leadership a cell may elect, one secretary, and the age of every
    seat (unless an exception is written); then ends the committee in office on `held_on` and
    writes the new one. Recording again corrects the earlier recording."""
    c = _lock(congress)
    org, rnd = c.organization, c.round
    if not can_record(actor, c):
        raise PermissionDenied(f"Không có quyền ghi nhận kết quả đại hội của «{org.name}».")
    _require_open(rnd)
    if c.excluded:
        raise ValidationError({"congress": f"«{org.name}» không tính trong đợt đại hội này."})
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    held_on = _check_date(held_on, "held_on")
    assert held_on is not None
    today = timezone.localdate()
    if held_on > today:
        raise ValidationError({"held_on": "Ngày tổ chức đại hội không được sau ngày hôm nay."})
    if held_on < _earliest(rnd):
        raise ValidationError(
            {
                "held_on": f"Ngày tổ chức không được trước ngày {fmt_date(_earliest(rnd))} "
                f"(sớm hơn ngày bắt đầu đợt «{rnd.name}» quá {EARLY_MONTHS} tháng)."
            }
        )
    summoned_n = _count(summoned, "summoned", "số được triệu tập")
    attending_n = _count(attending, "attending", "số có mặt")
    is_cell = org.kind in rules.CELL_LEADERSHIP_KINDS
    official_n = _count(official_members, "official_members", "số đảng viên chính thức", required=is_cell)
    assert summoned_n is not None and attending_n is not None
    error = rules.quorum_error(summoned_n, attending_n, on=held_on)
    if error:
        add("attending", error)
    seats = list(seats or [])
    if not seats:
        raise ValidationError({"seats": "Hãy nhập những đồng chí trúng cử."})
    committee_word = "chi ủy" if is_cell else "cấp ủy"
    seat_errors, first = _seat_errors(c, seats, held_on, committee_word)
    for message in seat_errors:
        add("seats", message)
    positions = Counter(s.position for s in seats)
    if positions[Position.SECRETARY] != 1:
        add("seats", f"Phải bầu đúng một bí thư (đang có {positions[Position.SECRETARY]}).")
    error = rules.leadership_error(org.kind, official_n, len(seats), positions[Position.DEPUTY], on=held_on)
    if error:
        add("seats", error)
    if errors:
        raise ValidationError(errors)

    correcting = c.held_on is not None
    if correcting:
        _undo_earlier_recording(c, actor)
    for row in (
        CommitteeMembership.objects.select_for_update()
        .current(on=held_on)
        .filter(organization=org)
        .exclude(congress=c)
    ):
        row.ended_on = held_on
        row.end_reason = TERM_ENDED
        _history(row, actor, f"Hết nhiệm kỳ: đại hội ngày {fmt_date(held_on)}")
        row.save()
    by = _user(actor)
    for s in seats:
        row = CommitteeMembership(
            organization=org,
            member=s.member,
            position=s.position,
            congress=c,
            started_on=held_on,
            votes_for=s.votes_for,
            votes_valid=s.votes_valid,
            position_votes_for=s.position_votes_for,
            position_votes_valid=s.position_votes_valid,
            elected_directly=bool(secretary_elected_directly) and s.position == Position.SECRETARY,
            first_time=first[s.member.pk],
            age_exception=(s.age_exception or "").strip()[:300],
            created_by=by,
        )
        _history(row, actor, "Trúng cử tại đại hội")
        row.save()
    c.held_on = held_on
    c.summoned, c.attending, c.official_members = summoned_n, attending_n, official_n
    c.committee_size = len(seats)
    c.delegate_congress = bool(delegate_congress)
    if pilot is not None:
        c.pilot = bool(pilot)
    c.secretary_elected_directly = bool(secretary_elected_directly)
    c.note = (note or "").strip()
    c.recorded_by = by
    default = "Sửa kết quả đại hội" if correcting else "Ghi nhận kết quả đại hội"
    _history(c, actor, (reason or "").strip() or default)
    c.save()
    return c


def _require_manage_congress(actor: Any, c: Congress, what: str) -> None:
    if not can_manage_organization(actor, c.organization):
        raise PermissionDenied(f"Không có quyền {what} «{c.organization.name}».")


@transaction.atomic
def congress_exclude(*, actor: Any, congress: Congress, reason: str) -> Congress:
    """Take an organization out of the round's total (dissolved or merged before its congress)."""
    c = _lock(congress)
    _require_manage_congress(actor, c, "điều chỉnh đợt đại hội của")
    _require_open(c.round)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do không tính tổ chức này vào tổng số."})
    if c.held_on is not None:
        raise ValidationError(
            {"congress": f"«{c.organization.name}» đã tổ chức đại hội, không loại khỏi tổng số được."}
        )
    if c.excluded:
        raise ValidationError({"congress": f"«{c.organization.name}» đã không tính vào tổng số."})
    c.excluded = True
    c.excluded_reason = reason[:300]
    _history(c, actor, f"Không tính vào tổng số: {reason}")
    c.save()
    return c


@transaction.atomic
def congress_include(*, actor: Any, congress: Congress, reason: str = "") -> Congress:
    c = _lock(congress)
    _require_manage_congress(actor, c, "điều chỉnh đợt đại hội của")
    _require_open(c.round)
    if not c.excluded:
        raise ValidationError({"congress": f"«{c.organization.name}» đang được tính vào tổng số."})
    c.excluded = False
    c.excluded_reason = ""
    _history(c, actor, (reason or "").strip() or "Tính lại vào tổng số")
    c.save()
    return c


# ---------------------------------------------------------------------------------------------
# Documents


def _check_file(file: Any) -> str:
    name = os.path.basename(getattr(file, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": f"Tệp «{name}» không đúng định dạng; "
                "chỉ nhận PDF, Word (.docx, .doc), Excel (.xlsx), JPG, PNG."
            }
        )
    size = getattr(file, "size", None) or 0
    if size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"file": f"Tệp «{name}» quá lớn ({fmt_decimal(size / 1048576, 1)} MB); giới hạn là 20 MB."}
        )
    if size == 0:
        raise ValidationError({"file": f"Tệp «{name}» rỗng."})
    return name


@transaction.atomic
def document_add(
    *,
    actor: Any,
    congress: Congress,
    kind: str,
    title: str,
    signed_on: date | None = None,
    file: Any = None,
) -> CongressDocument:
    """Add a document; its number is the next in the congress's one sequence from 01 (HD 36)."""
    c = _lock(congress)  # the lock serializes numbering
    if not can_record(actor, c):
        raise PermissionDenied(f"Không có quyền thêm văn bản đại hội của «{c.organization.name}».")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "Loại văn bản không hợp lệ."})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Hãy nhập trích yếu văn bản."})
    if len(title) > 300:
        raise ValidationError({"title": "Trích yếu không quá 300 ký tự."})
    signed_on = _check_date(signed_on, "signed_on", required=False)
    if signed_on and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "Ngày ký không được sau ngày hôm nay."})
    original = _check_file(file) if file else ""
    last = CongressDocument.objects.filter(congress=c).aggregate(n=Max("number"))["n"] or 0
    doc = CongressDocument(
        congress=c,
        number=last + 1,
        kind=kind,
        title=title,
        signed_on=signed_on,
        original_name=original[:255],
        created_by=_user(actor),
    )
    if file:
        doc.file = file
    _history(doc, actor, "Thêm văn bản đại hội")
    doc.save()
    return doc


@transaction.atomic
def document_withdraw(*, actor: Any, document: CongressDocument, reason: str) -> CongressDocument:
    """Withdraw a document; it keeps its number (numbers are never reused)."""
    doc = (
        CongressDocument.objects.select_for_update(of=("self",))
        .select_related(
            "congress", "congress__round", "congress__round__organization", "congress__organization"
        )
        .get(pk=document.pk)
    )
    if not can_record(actor, doc.congress):
        raise PermissionDenied("Không có quyền thu hồi văn bản này.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do thu hồi văn bản."})
    if doc.withdrawn:
        raise ValidationError({"document": "Văn bản đã được thu hồi."})
    doc.withdrawn = True
    _history(doc, actor, f"Thu hồi: {reason}")
    doc.save()
    return doc
