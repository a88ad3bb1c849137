"""Lifecycle of a member after admission: exemption, exits, contact, readmission, discipline, badges."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangvu.organizations.models import Organization

from .. import rules
from ..choices import ACTIVE_STATUSES, EXIT_STATUSES, Status
from ..models import Member, MemberEvent, Transfer
from .common import (
    CHARTER_DISCIPLINE,
    exit_statuses,
    lock,
    require_counted,
    require_member_right,
    require_not_before_latest,
    require_org_right,
    require_reason,
    save_member,
    today,
    write_event,
)
from .records import admission_checks

EXIT_KINDS = {
    "removed": MemberEvent.Kind.REMOVED,
    "expelled": MemberEvent.Kind.EXPELLED,
    "left": MemberEvent.Kind.LEFT,
    "deceased": MemberEvent.Kind.DECEASED,
    "contact_lost": MemberEvent.Kind.CONTACT_LOST,
}
DISCIPLINE_LABELS = {"reprimand": "Khiển trách", "warning": "Cảnh cáo", "dismissal": "Cách chức"}


@transaction.atomic
def member_exempt(
    *, actor: Any, member: Member, effective_on: date | None = None, decision_ref: str = "", reason: str
) -> Member:
    """Exempt from party work and meetings (decided by the cell; the member stays counted)."""
    reason = require_reason(reason)
    member = lock(member)
    require_member_right(actor, member)
    require_counted(member)
    if member.exempted:
        raise ValidationError({"member": "Đảng viên đã được miễn công tác và sinh hoạt đảng."})
    effective_on = effective_on or today()
    require_not_before_latest(member, effective_on)
    member.exempted = True
    save_member(member, actor, reason)
    write_event(
        member=member,
        kind=MemberEvent.Kind.EXEMPTED,
        effective_on=effective_on,
        actor=actor,
        decision_ref=decision_ref,
        reason=reason,
    )
    return member


@transaction.atomic
def member_end_exemption(
    *, actor: Any, member: Member, effective_on: date | None = None, decision_ref: str = "", reason: str = ""
) -> Member:
    member = lock(member)
    require_member_right(actor, member)
    if not member.exempted:
        raise ValidationError({"member": "Đảng viên không ở diện miễn công tác và sinh hoạt đảng."})
    effective_on = effective_on or today()
    require_not_before_latest(member, effective_on)
    member.exempted = False
    save_member(member, actor, reason or "Thôi miễn công tác và sinh hoạt đảng")
    write_event(
        member=member,
        kind=MemberEvent.Kind.EXEMPTION_ENDED,
        effective_on=effective_on,
        actor=actor,
        decision_ref=decision_ref,
        reason=reason,
    )
    return member


def _require_no_open_transfer(member: Member) -> None:
    open_transfer = member.transfers.filter(state__in=[Transfer.State.PENDING, Transfer.State.ACTIVE]).first()
    if open_transfer is not None:
        raise ValidationError(
            {
                "member": "Đảng viên đang có giấy giới thiệu chuyển sinh hoạt "
                f"«{open_transfer.get_state_display()}»; hủy hoặc kết thúc trước."
            }
        )


@transaction.atomic
def member_exit(
    *,
    actor: Any,
    member: Member,
    kind: str,
    effective_on: date,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str,
    cause: str = "",
) -> Member:
    """Removal (xóa tên), expulsion, leaving, death or lost contact. The member stops being counted.

    `cause` records why (e.g. "abandoned" for giving up party activity): it decides readmission.
    """
    if kind not in EXIT_KINDS:
        raise ValidationError({"kind": "Hình thức không hợp lệ."})
    reason = require_reason(reason)
    member = lock(member)
    require_member_right(actor, member)
    if kind == "deceased" and member.status == Status.CONTACT_LOST:
        pass  # a member lost from contact may be reported dead
    else:
        require_counted(member)
    if kind == "expelled" and member.status != Status.OFFICIAL:
        raise ValidationError(
            {
                "kind": "Khai trừ chỉ áp dụng với đảng viên chính thức; đảng viên dự bị thì xóa tên "
                f"({CHARTER_DISCIPLINE})."
            }
        )
    _require_no_open_transfer(member)
    require_not_before_latest(member, effective_on)
    status_before = member.status
    member.status = exit_statuses()[kind]
    save_member(member, actor, reason)
    write_event(
        member=member,
        kind=EXIT_KINDS[kind],
        effective_on=effective_on,
        actor=actor,
        decision_ref=decision_ref,
        decision_date=decision_date,
        reason=reason,
        data={"status_before": status_before, "cause": cause},
    )
    return member


@transaction.atomic
def member_restore_contact(
    *, actor: Any, member: Member, effective_on: date | None = None, reason: str = ""
) -> Member:
    """A member whose contact was lost is found again: back to the status they had."""
    member = lock(member)
    require_member_right(actor, member)
    if member.status != Status.CONTACT_LOST:
        raise ValidationError({"member": "Đảng viên không ở tình trạng mất liên lạc."})
    effective_on = effective_on or today()
    require_not_before_latest(member, effective_on)
    lost = member.events.filter(kind=MemberEvent.Kind.CONTACT_LOST).order_by("-effective_on", "-id").first()
    previous = (lost.data or {}).get("status_before") if lost else None
    member.status = previous if previous in ACTIVE_STATUSES else Status.OFFICIAL
    save_member(member, actor, reason or "Liên lạc lại")
    write_event(
        member=member,
        kind=MemberEvent.Kind.CONTACT_RESTORED,
        effective_on=effective_on,
        actor=actor,
        reason=reason,
    )
    return member


def readmission_refusal(member: Member, admission_decision_date: date) -> str | None:
    """Why `member` may not be readmitted by a decision on `admission_decision_date`, or None."""
    params = rules.rule("member.readmission", on=admission_decision_date)
    value, citation = params.value, params.citation
    if member.status not in EXIT_STATUSES:
        return f"Chỉ kết nạp lại người đã ra khỏi Đảng (xóa tên, khai trừ, ra khỏi Đảng) ({citation})."
    times = member.events.filter(kind=MemberEvent.Kind.READMITTED).count()
    if member.readmitted or times >= int(value.get("max_times", 1)):
        return f"Chỉ được kết nạp lại một lần ({citation})."
    exit_event = (
        member.events.filter(kind__in=[EXIT_KINDS[k] for k in ("removed", "expelled", "left")])
        .order_by("-effective_on", "-id")
        .first()
    )
    if exit_event is None:
        return f"Không tìm thấy quyết định ra khỏi Đảng của đảng viên ({citation})."
    if exit_event.kind in value.get("excluded_exit_kinds", []):
        return f"Không kết nạp lại người đã xin ra khỏi Đảng ({citation})."
    if (exit_event.data or {}).get("cause") in value.get("excluded_removal_causes", []):
        return f"Không kết nạp lại người tự bỏ sinh hoạt đảng ({citation})."
    earliest = rules.add_months(exit_event.effective_on, int(value["wait_months"]))
    if admission_decision_date < earliest:
        return (
            f"Chưa đủ {value['wait_months']} tháng kể từ ngày ra khỏi Đảng "
            f"{exit_event.effective_on:%d/%m/%Y}; sớm nhất từ ngày {earliest:%d/%m/%Y} ({citation})."
        )
    return None


CONVICTION_CATEGORIES = {
    "less_serious": "Tội ít nghiêm trọng",
    "serious": "Tội nghiêm trọng trở lên",
    "corruption": "Tội tham nhũng",
}


@transaction.atomic
def member_readmit(
    *,
    actor: Any,
    member: Member,
    organization: Organization,
    admission_decision_date: date,
    ceremony_date: date,
    decision_ref: str = "",
    reason: str = "",
    conviction: str = "",
    conviction_cleared_on: date | None = None,
    decision_received_on: date | None = None,
    over_age_consent_ref: str = "",
    over_age_consent_date: date | None = None,
    ceremony_late_consent: str = "",
) -> Member:
    """Readmit once, at least 36 months after leaving, never for the excluded categories; the member
    goes through probation again. Party age still counts from the first admission decision.

    A person once convicted (`conviction`: "less_serious", "serious", "corruption") is readmitted
    only after a less serious crime, 60 months after the record was expunged
    (`conviction_cleared_on`). The age and ceremony rules of a first admission apply too.
    """
    member = lock(member)
    require_org_right(actor, organization)
    if conviction and conviction not in CONVICTION_CATEGORIES:
        raise ValidationError({"conviction": "Loại tội danh không hợp lệ."})
    if conviction_cleared_on is not None and conviction_cleared_on > admission_decision_date:
        raise ValidationError(
            {"conviction_cleared_on": "Ngày được xóa án tích không được sau ngày quyết định kết nạp lại."}
        )
    refusal = readmission_refusal(member, admission_decision_date)
    if refusal:
        raise ValidationError({"admission_decision_date": refusal})
    refusal = rules.conviction_wait_error(conviction_cleared_on, conviction, admission_decision_date)
    if refusal:
        field = "conviction" if conviction in ("serious", "corruption") else "conviction_cleared_on"
        raise ValidationError({field: refusal})
    if ceremony_date < admission_decision_date:
        raise ValidationError({"ceremony_date": "Ngày lễ kết nạp không được trước ngày quyết định kết nạp."})
    recorded = admission_checks(
        birth_date=member.birth_date,
        considered_on=admission_decision_date,
        decided_on=admission_decision_date,
        ceremony_date=ceremony_date,
        decision_received_on=decision_received_on,
        over_age_consent_ref=over_age_consent_ref,
        over_age_consent_date=over_age_consent_date,
        ceremony_late_consent=ceremony_late_consent,
    )
    if conviction or conviction_cleared_on:
        recorded["conviction"] = conviction or "less_serious"
        cleared = conviction_cleared_on.isoformat() if conviction_cleared_on else None
        recorded["conviction_cleared_on"] = cleared
    first = member.events.filter(kind=MemberEvent.Kind.ADMITTED).order_by("effective_on", "id").first()
    member.first_admission_date = (
        member.first_admission_date
        or (first.effective_on if first else None)
        or member.admission_decision_date
    )
    member.organization = organization
    member.admission_decision_date = admission_decision_date
    member.ceremony_date = ceremony_date
    member.official_on = None
    member.status = Status.PROBATIONARY
    member.exempted = False
    member.readmitted = True
    save_member(member, actor, reason or "Kết nạp lại")
    write_event(
        member=member,
        kind=MemberEvent.Kind.READMITTED,
        effective_on=admission_decision_date,
        organization=organization,
        actor=actor,
        decision_ref=decision_ref,
        decision_date=admission_decision_date,
        reason=reason,
        data={"ceremony_date": ceremony_date.isoformat(), **recorded},
    )
    return member


@transaction.atomic
def member_discipline(
    *, actor: Any, member: Member, form: str, effective_on: date, decision_ref: str = "", reason: str
) -> Member:
    """Reprimand, warning or dismissal from post (expulsion is `member_exit(kind="expelled")`)."""
    if form not in DISCIPLINE_LABELS:
        raise ValidationError({"form": "Hình thức kỷ luật không hợp lệ."})
    reason = require_reason(reason)
    member = lock(member)
    require_member_right(actor, member)
    require_counted(member)
    if form == "dismissal" and member.status != Status.OFFICIAL:
        raise ValidationError(
            {"form": f"Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo ({CHARTER_DISCIPLINE})."}
        )
    require_not_before_latest(member, effective_on)
    write_event(
        member=member,
        kind=MemberEvent.Kind.DISCIPLINED,
        effective_on=effective_on,
        actor=actor,
        decision_ref=decision_ref,
        reason=reason,
        data={"form": form, "label": DISCIPLINE_LABELS[form]},
    )
    return save_member(member, actor, f"Kỷ luật: {DISCIPLINE_LABELS[form]}")


@transaction.atomic
def member_award_badge(
    *,
    actor: Any,
    member: Member,
    years: int,
    effective_on: date,
    decision_ref: str = "",
    early: str = "",
    reason: str = "",
) -> Member:
    """Award the `years` badge: a milestone reached, not awarded before, no discipline delay running.

    `early` ("seriously_ill", "posthumous") gives it before the milestone within the margin of the
    guidance; an early award needs the decision number and a reason.
    """
    if early and early not in rules.EARLY_REASONS:
        raise ValidationError({"early": "Lý do trao sớm không hợp lệ."})
    member = lock(member)
    require_member_right(actor, member)
    refusal = rules.badge_refusal(member, int(years), effective_on, early=early)
    if refusal:
        raise ValidationError({"years": refusal})
    require_not_before_latest(member, effective_on)
    data: dict[str, Any] = {"years": int(years)}
    age_years, age_months = rules.party_age(member, rules.badge_age_on(member, effective_on, early))
    if early and age_years < int(years):
        _margin, param = rules.early_award_margin(int(years), early, effective_on)
        if not decision_ref.strip():
            raise ValidationError(
                {"decision_ref": f"Trao sớm Huy hiệu phải ghi số quyết định ({param.citation})."}
            )
        reason = require_reason(reason)
        data.update(early=early, months_early=int(years) * 12 - (age_years * 12 + age_months))
    write_event(
        member=member,
        kind=MemberEvent.Kind.BADGE_AWARDED,
        effective_on=effective_on,
        actor=actor,
        decision_ref=decision_ref,
        reason=reason,
        data=data,
    )
    verb = "Truy tặng" if early == "posthumous" else "Trao"
    return save_member(member, actor, f"{verb} Huy hiệu {int(years)} năm tuổi Đảng")
