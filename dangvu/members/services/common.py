"""Helpers shared by the member services: rights, events, saving with history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization
from dangvu.reports import tallies

from ..choices import ACTIVE_STATUSES, Status
from ..models import Member, MemberEvent
from ..permissions import can_manage_member

# Events that do not change the status: when one is written back-dated (official recognition takes
# effect at ceremony + 12 months), later neutral events take the new status.
NEUTRAL_KINDS = frozenset(
    {
        MemberEvent.Kind.TRANSFER_ISSUED,
        MemberEvent.Kind.TRANSFERRED_OUT,
        MemberEvent.Kind.TRANSFERRED_IN,
        MemberEvent.Kind.TRANSFER_CANCELLED,
        MemberEvent.Kind.TEMPORARY_START,
        MemberEvent.Kind.TEMPORARY_END,
        MemberEvent.Kind.EXEMPTED,
        MemberEvent.Kind.EXEMPTION_ENDED,
        MemberEvent.Kind.DISCIPLINED,
        MemberEvent.Kind.BADGE_AWARDED,
    }
)
CHARTER_DISCIPLINE = "Điều 35 Điều lệ Đảng"


def actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def today() -> date:
    return timezone.localdate()


def require_member_right(actor: Any, member: Member) -> None:
    if not can_manage_member(actor, member):
        raise PermissionDenied("Không có quyền cập nhật đảng viên này.")


def require_org_right(actor: Any, organization: Organization) -> None:
    if not can_manage_organization(actor, organization):
        raise PermissionDenied(f"Không có quyền quản lý đảng viên của «{organization.name}».")


def lock(member: Member) -> Member:
    """The member row, locked for the transaction, with its organization."""
    return Member.objects.select_for_update().select_related("organization").get(pk=member.pk)


def require_counted(member: Member, field: str = "member") -> None:
    if member.status not in ACTIVE_STATUSES:
        raise ValidationError(
            {
                field: f"Đảng viên đang ở tình trạng «{member.get_status_display()}», "
                "không thực hiện được thao tác này."
            }
        )


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Cần ghi lý do."})
    return reason


def latest_event(member: Member) -> MemberEvent | None:
    return member.events.order_by("-effective_on", "-id").first()


def require_not_before_latest(member: Member, effective_on: date, field: str = "effective_on") -> None:
    """Events are recorded in date order: a new one cannot be dated before the latest."""
    latest = latest_event(member)
    if latest is not None and effective_on < latest.effective_on:
        raise ValidationError(
            {
                field: f"Ngày hiệu lực {effective_on:%d/%m/%Y} trước sự kiện gần nhất "
                f"«{latest.get_kind_display()}» ngày {latest.effective_on:%d/%m/%Y}."
            }
        )


def save_member(member: Member, actor: Any, reason: str) -> Member:
    """Save with history, and carry the change into today's counters (both organizations when the
    member moved)."""
    member._history_user = actor_or_none(actor)
    member._change_reason = (reason or "")[:100]
    member.save()
    touched = {member.organization_id, getattr(member, "_loaded_organization_id", None)}
    # The admission counters by segment (gender, birth year…) sit where the member was admitted,
    # which a correction of those fields changes too.
    touched |= set(
        MemberEvent.objects.filter(member=member, kind=MemberEvent.Kind.ADMITTED).values_list(
            "organization_id", flat=True
        )
    )
    tallies.refresh_organizations(touched)
    member._loaded_organization_id = member.organization_id
    return member


def write_event(
    *,
    member: Member,
    kind: str,
    effective_on: date,
    actor: Any,
    organization: Organization | None = None,
    other_org: Organization | None = None,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
    data: dict | None = None,
) -> MemberEvent:
    """Write an event with the member's current status as `status_after` (save the member first)."""
    event = MemberEvent.objects.create(
        member=member,
        kind=kind,
        effective_on=effective_on,
        organization=organization or member.organization,
        other_org=other_org,
        status_after=member.status,
        decision_ref=(decision_ref or "").strip(),
        decision_date=decision_date,
        reason=(reason or "")[:500],
        data=data or {},
        actor=actor_or_none(actor),
    )
    if kind == MemberEvent.Kind.ADMITTED:
        # Admissions per year are counted from these events: the counters follow the event.
        tallies.refresh_organizations([event.organization_id])
    if kind not in NEUTRAL_KINDS:
        # A back-dated status change: the neutral events after it happened under the new status.
        later = member.events.filter(effective_on__gt=effective_on, kind__in=list(NEUTRAL_KINDS))
        for e in later:
            e.status_after = member.status
            e.save(update_fields=["status_after", "updated_at"])
    return event


def exit_statuses() -> dict[str, str]:
    return {
        "removed": Status.REMOVED,
        "expelled": Status.EXPELLED,
        "left": Status.LEFT,
        "deceased": Status.DECEASED,
        "contact_lost": Status.CONTACT_LOST,
    }
