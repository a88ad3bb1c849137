"""Entering members and correcting their records: admission, registration, official recognition."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangvu.core.text import nfc, person_sort_string, search_key
from dangvu.organizations.models import Organization

from .. import rules
from ..choices import Status
from ..models import Member, MemberEvent
from .common import (
    lock,
    require_member_right,
    require_org_right,
    require_reason,
    save_member,
    today,
    write_event,
)

# Fields of the record (Phiếu đảng viên) that data entry and corrections may set.
RECORD_FIELDS = frozenset(
    {
        "full_name", "other_names", "gender", "birth_date", "birth_place", "home_town", "home_town_unit",
        "permanent_address", "permanent_unit", "current_address", "current_unit", "old_address",
        "ethnicity", "religion", "citizen_id", "phone", "email", "occupation", "workplace", "education",
        "qualification", "theory_level", "foreign_language", "dossier_number", "card_number",
        "admission_decision_date", "ceremony_date", "first_admission_date", "sponsor_1", "sponsor_2",
        "residence_liaison_org", "user",
    }
)  # fmt: skip
DATE_FIELDS = ("birth_date", "admission_decision_date", "ceremony_date", "first_admission_date")
FORBIDDEN_HINT = (
    "Tình trạng, tổ chức và ngày chính thức chỉ thay đổi qua các nghiệp vụ (kết nạp, chuyển sinh hoạt…)."
)


def _clean_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - RECORD_FIELDS
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationError({field: f"Không sửa trực tiếp trường này. {FORBIDDEN_HINT}"})
    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = nfc(value)
        if key in ("citizen_id", "card_number"):
            value = (value or "").replace(" ", "") or None
        cleaned[key] = value
    return cleaned


def _apply_record(member: Member, data: dict[str, Any]) -> None:
    """Set record fields, derived keys, and check identity numbers (format and uniqueness)."""
    for key, value in data.items():
        setattr(member, key, value)
    errors: dict[str, str] = {}
    if member.citizen_id is not None:
        if not (len(member.citizen_id) == 12 and member.citizen_id.isdigit()):
            errors["citizen_id"] = "Số CCCD gồm đúng 12 chữ số."
        elif Member.objects.filter(citizen_id=member.citizen_id).exclude(pk=member.pk).exists():
            errors["citizen_id"] = "Số CCCD này đã có trong hồ sơ của một đảng viên khác."
    if member.card_number is not None:
        if not (len(member.card_number) == 8 and member.card_number.isdigit()):
            errors["card_number"] = "Số thẻ đảng viên gồm đúng 8 chữ số."
        elif Member.objects.filter(card_number=member.card_number).exclude(pk=member.pk).exists():
            errors["card_number"] = "Số thẻ đảng viên này đã cấp cho một đảng viên khác."
    decided, ceremony = member.admission_decision_date, member.ceremony_date
    if decided and ceremony and ceremony < decided:
        errors["ceremony_date"] = "Ngày lễ kết nạp không được trước ngày quyết định kết nạp."
    if (
        member.birth_date
        and member.admission_decision_date
        and member.birth_date >= member.admission_decision_date
    ):
        errors["birth_date"] = "Ngày sinh phải trước ngày quyết định kết nạp."
    if errors:
        raise ValidationError(errors)
    member.search_key = search_key(" ".join(p for p in (member.full_name, member.other_names) if p))
    member.name_sort = person_sort_string(member.full_name)[:400]  # 4 chars per letter; 120-letter names fit
    member.full_clean(exclude=["citizen_id", "card_number", "search_key", "name_sort"], validate_unique=False)


def _new_member(organization: Organization, data: dict[str, Any]) -> Member:
    for field in ("full_name", "birth_date", "admission_decision_date", "ceremony_date", "gender"):
        if not data.get(field):
            raise ValidationError({field: "Trường này là bắt buộc."})
    member = Member(organization=organization, status=Status.PROBATIONARY)
    _apply_record(member, data)
    return member


def admission_checks(
    *,
    birth_date: date,
    considered_on: date,
    decided_on: date,
    ceremony_date: date,
    decision_received_on: date | None = None,
    over_age_consent_ref: str = "",
    over_age_consent_date: date | None = None,
    ceremony_late_consent: str = "",
) -> dict[str, Any]:
    """The rules of a (re)admission decision: age (with the over-60 consent) and the ceremony
    deadline. Raises ValidationError naming the rule; returns what the event records."""
    over_age_consent_ref = nfc(over_age_consent_ref or "").strip()
    ceremony_late_consent = nfc(ceremony_late_consent or "").strip()
    error = rules.over_age_consent_error(
        birth_date, considered_on, decided_on, over_age_consent_ref, over_age_consent_date
    )
    if error:
        field = "birth_date"
        if error != rules.admission_age_error(birth_date, considered_on):  # a fault in the consent
            field = "over_age_consent_ref" if not over_age_consent_ref else "over_age_consent_date"
        raise ValidationError({field: error})
    received = decision_received_on or decided_on
    if received < decided_on:
        raise ValidationError(
            {"decision_received_on": "Ngày nhận quyết định không được trước ngày quyết định kết nạp."}
        )
    if ceremony_date >= decided_on:
        error = rules.ceremony_lateness_error(received, ceremony_date, ceremony_late_consent)
        if error:
            raise ValidationError({"ceremony_date": error})
    recorded: dict[str, Any] = {
        "decision_received_on": received.isoformat(),
        "ceremony_due": rules.ceremony_due(received).isoformat(),
        "ceremony_late": ceremony_date > rules.ceremony_due(received),
    }
    if ceremony_late_consent:
        recorded["ceremony_late_consent"] = ceremony_late_consent
    if rules.is_over_admission_age(birth_date, considered_on):
        recorded["over_age_consent_ref"] = over_age_consent_ref
        consent_on = over_age_consent_date.isoformat() if over_age_consent_date else None
        recorded["over_age_consent_date"] = consent_on
    return recorded


@transaction.atomic
def member_admit(
    *,
    actor: Any,
    organization: Organization,
    data: dict[str, Any],
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
    decision_received_on: date | None = None,
    over_age_consent_ref: str = "",
    over_age_consent_date: date | None = None,
    ceremony_late_consent: str = "",
    considered_on: date | None = None,
) -> Member:
    """Admit a new probationary member.

    The age (18 to 60, in months) is checked at the cell's consideration (`considered_on`, else
    `decision_date`, else the admission decision date); past 60 only with the written consent of
    the provincial Standing Committee (`over_age_consent_ref`/`_date`, dated no later than the
    admission decision). The ceremony must be within 30 working days of receiving the decision
    (`decision_received_on`, by default the decision date) unless the directly-higher committee
    agreed (`ceremony_late_consent`).
    """
    require_org_right(actor, organization)
    data = _clean_data(data)
    member = _new_member(organization, data)
    # The age counts at the cell's consideration: given apart from the decision by the admission
    # pipeline (the cell's vote); a decision typed alone stands for both.
    considered_on = considered_on or decision_date or member.admission_decision_date
    recorded = admission_checks(
        birth_date=member.birth_date,
        considered_on=considered_on,
        decided_on=member.admission_decision_date,
        ceremony_date=member.ceremony_date,
        decision_received_on=decision_received_on,
        over_age_consent_ref=over_age_consent_ref,
        over_age_consent_date=over_age_consent_date,
        ceremony_late_consent=ceremony_late_consent,
    )
    save_member(member, actor, reason or "Kết nạp đảng viên")
    write_event(
        member=member,
        kind=MemberEvent.Kind.ADMITTED,
        effective_on=member.admission_decision_date,
        actor=actor,
        decision_ref=decision_ref,
        decision_date=decision_date or member.admission_decision_date,
        reason=reason,
        data={"ceremony_date": member.ceremony_date.isoformat(), **recorded},
    )
    return member


@transaction.atomic
def member_register(
    *, actor: Any, organization: Organization, data: dict[str, Any], reason: str = "", on: date | None = None
) -> Member:
    """Enter an existing member from paper records. The status is derived: official once the
    probation (ceremony + 12 months) has ended by `on` (today), else probationary."""
    require_org_right(actor, organization)
    data = _clean_data(data)
    member = _new_member(organization, data)
    on = on or today()
    official_on = rules.expected_official_on(member.ceremony_date)
    save_member(member, actor, reason or "Nhập hồ sơ đảng viên")
    write_event(
        member=member,
        kind=MemberEvent.Kind.ADMITTED,
        effective_on=member.admission_decision_date,
        actor=actor,
        decision_date=member.admission_decision_date,
        reason=reason,
        data={"ceremony_date": member.ceremony_date.isoformat(), "registered": True},
    )
    if official_on <= on:
        member.status = Status.OFFICIAL
        member.official_on = official_on
        save_member(member, actor, reason or "Nhập hồ sơ đảng viên")
        write_event(
            member=member,
            kind=MemberEvent.Kind.RECOGNIZED_OFFICIAL,
            effective_on=official_on,
            actor=actor,
            reason=reason,
            data={"registered": True},
        )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, changes: dict[str, Any], reason: str) -> Member:
    """Correct the record (reason required). Dates of admission and ceremony move their events."""
    reason = require_reason(reason)
    member = lock(member)
    require_member_right(actor, member)
    changes = _clean_data(changes)
    old_decision, old_ceremony = member.admission_decision_date, member.ceremony_date
    _apply_record(member, changes)
    if member.status == Status.OFFICIAL and member.ceremony_date != old_ceremony and not member.readmitted:
        member.official_on = rules.expected_official_on(member.ceremony_date)
        member.events.filter(kind=MemberEvent.Kind.RECOGNIZED_OFFICIAL).update(
            effective_on=member.official_on
        )
    if member.admission_decision_date != old_decision:
        kind = MemberEvent.Kind.READMITTED if member.readmitted else MemberEvent.Kind.ADMITTED
        event = member.events.filter(kind=kind).order_by("-effective_on", "-id").first()
        if event is not None:
            event.effective_on = member.admission_decision_date
            event.data = {**event.data, "corrected_from": old_decision.isoformat()}
            event.save(update_fields=["effective_on", "data", "updated_at"])
    return save_member(member, actor, reason)


@transaction.atomic
def member_recognize_official(
    *,
    actor: Any,
    member: Member,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
) -> Member:
    """Recognize a probationary member as official from ceremony + 12 months (computed)."""
    member = lock(member)
    require_member_right(actor, member)
    if member.status != Status.PROBATIONARY:
        raise ValidationError(
            {"member": f"Chỉ công nhận chính thức đảng viên dự bị (hiện: {member.get_status_display()})."}
        )
    effective = rules.expected_official_on(member.ceremony_date)
    citation = rules.probation_citation(member.ceremony_date)
    decided = decision_date or today()
    if decided < effective:
        raise ValidationError(
            {
                "decision_date": "Chưa hết 12 tháng dự bị: đảng viên chính thức từ ngày "
                f"{effective:%d/%m/%Y} ({citation})."
            }
        )
    member.status = Status.OFFICIAL
    member.official_on = effective
    save_member(member, actor, reason or "Công nhận đảng viên chính thức")
    write_event(
        member=member,
        kind=MemberEvent.Kind.RECOGNIZED_OFFICIAL,
        effective_on=effective,
        actor=actor,
        decision_ref=decision_ref,
        decision_date=decided,
        reason=reason,
        data={"late": decided > rules.recognition_due(member)},
    )
    return member


__all__ = [
    "admission_checks",
    "member_admit",
    "member_recognize_official",
    "member_register",
    "member_update",
]
