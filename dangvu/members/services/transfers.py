"""Transfers of party activity: a handover the sender issues and the receiver accepts.

Until acceptance the transfer is PENDING, visible to both sides, and the member stays counted at
the sender. Acceptance of an official transfer moves `organization` and writes TRANSFERRED_OUT and
TRANSFERRED_IN with the same date. A temporary transfer lists the member at the host (not counted
there) from acceptance until it ends. A transfer outside the system is completed by the sender.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dangvu.core.text import nfc
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization

from .. import rules
from ..choices import Status
from ..models import Member, MemberEvent, Transfer
from .common import (
    actor_or_none,
    lock,
    require_counted,
    require_member_right,
    require_not_before_latest,
    require_reason,
    save_member,
    today,
    write_event,
)


def temporary_duration_error(starts_on: date, ends_on: date | None, *, for_study: bool) -> str | None:
    """Temporary activity lasts 3 months to under 1 year; full-time study up to 2 years."""
    params = rules.rule("member.temporary_transfer_months", on=starts_on)
    low, high_excl, study_max = (
        int(params.value["min"]),
        int(params.value["max_exclusive"]),
        int(params.value["study_max"]),
    )
    if ends_on is None:
        return f"Sinh hoạt tạm thời phải có ngày kết thúc ({params.citation})."
    if ends_on < rules.add_months(starts_on, low):
        return f"Sinh hoạt tạm thời ít nhất {low} tháng ({params.citation})."
    if for_study:
        if ends_on > rules.add_months(starts_on, study_max):
            return f"Sinh hoạt tạm thời khi đi học tập trung không quá {study_max} tháng ({params.citation})."
    elif ends_on >= rules.add_months(starts_on, high_excl):
        return (
            f"Sinh hoạt tạm thời dưới {high_excl} tháng; từ {high_excl} tháng trở lên thì chuyển sinh hoạt "
            f"chính thức ({params.citation})."
        )
    return None


@transaction.atomic
def transfer_issue(
    *,
    actor: Any,
    member: Member,
    kind: str,
    to_org: Organization | None = None,
    external_destination: str = "",
    issued_on: date | None = None,
    ends_on: date | None = None,
    for_study: bool = False,
    decision_ref: str = "",
    reason: str = "",
) -> Transfer:
    """The sending side introduces the member to `to_org` (or a destination outside the system)."""
    member = lock(member)
    require_member_right(actor, member)
    require_counted(member)
    if kind not in Transfer.Kind.values:
        raise ValidationError({"kind": "Hình thức chuyển sinh hoạt không hợp lệ."})
    external_destination = nfc(external_destination)
    if (to_org is None) == (not external_destination):
        raise ValidationError(
            {"to_org": "Chọn một nơi đến: tổ chức trong hệ thống hoặc nơi đến ngoài hệ thống."}
        )
    if to_org is not None:
        if to_org.pk == member.organization_id:
            raise ValidationError({"to_org": "Nơi đến trùng với nơi đảng viên đang sinh hoạt."})
        if to_org.dissolved_on is not None:
            raise ValidationError({"to_org": f"«{to_org.name}» đã giải thể."})
    if member.transfers.filter(state__in=[Transfer.State.PENDING, Transfer.State.ACTIVE]).exists():
        raise ValidationError(
            {"member": "Đảng viên đang có một giấy giới thiệu chuyển sinh hoạt chưa kết thúc."}
        )
    issued_on = issued_on or today()
    require_not_before_latest(member, issued_on, field="issued_on")
    if kind == Transfer.Kind.TEMPORARY:
        error = temporary_duration_error(issued_on, ends_on, for_study=for_study)
        if error:
            raise ValidationError({"ends_on": error})
    else:
        ends_on, for_study = None, False
    transfer = Transfer(
        member=member,
        kind=kind,
        from_org=member.organization,
        to_org=to_org,
        external_destination=external_destination,
        issued_on=issued_on,
        report_due_on=rules.transfer_report_due(issued_on),
        starts_on=issued_on if kind == Transfer.Kind.TEMPORARY else None,
        ends_on=ends_on,
        for_study=for_study,
        decision_ref=nfc(decision_ref),
        reason=nfc(reason),
        issued_by=actor_or_none(actor),
    )
    transfer.full_clean(exclude=["issued_by", "accepted_by"])
    transfer.save()
    write_event(
        member=member,
        kind=MemberEvent.Kind.TRANSFER_ISSUED,
        effective_on=issued_on,
        actor=actor,
        other_org=to_org,
        decision_ref=decision_ref,
        reason=reason,
        data={"transfer": transfer.pk, "kind": kind, "destination": external_destination},
    )
    return transfer


def _lock_transfer(transfer: Transfer) -> Transfer:
    # Lock only the transfer row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join that `to_org` (empty for external destinations) would bring in.
    return (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_org", "to_org")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def transfer_accept(
    *, actor: Any, transfer: Transfer, accepted_on: date | None = None, reason: str = ""
) -> Transfer:
    """The receiving side accepts (or, for a destination outside the system, the sender completes)."""
    transfer = _lock_transfer(transfer)
    member = lock(transfer.member)
    if transfer.to_org is not None:
        if not can_manage_organization(actor, transfer.to_org):
            raise PermissionDenied(f"Chỉ nơi đến «{transfer.to_org.name}» mới tiếp nhận được đảng viên này.")
    elif not can_manage_organization(actor, transfer.from_org):
        raise PermissionDenied("Chỉ nơi đi mới xác nhận hoàn tất chuyển sinh hoạt ra ngoài hệ thống.")
    if transfer.state != Transfer.State.PENDING:
        raise ValidationError(
            {"transfer": f"Giấy giới thiệu đang ở trạng thái «{transfer.get_state_display()}»."}
        )
    accepted_on = accepted_on or today()
    if accepted_on < transfer.issued_on:
        raise ValidationError({"accepted_on": "Ngày tiếp nhận không được trước ngày giới thiệu."})
    require_not_before_latest(member, accepted_on, field="accepted_on")
    late = accepted_on > transfer.report_due_on
    data = {"transfer": transfer.pk, "late": late, "destination": transfer.external_destination}
    transfer.accepted_on = accepted_on
    transfer.accepted_by = actor_or_none(actor)
    if transfer.kind == Transfer.Kind.OFFICIAL:
        transfer.state = Transfer.State.COMPLETED
        from_org = member.organization
        if transfer.to_org is not None:
            write_event(
                member=member,
                kind=MemberEvent.Kind.TRANSFERRED_OUT,
                effective_on=accepted_on,
                actor=actor,
                organization=from_org,
                other_org=transfer.to_org,
                decision_ref=transfer.decision_ref,
                reason=reason,
                data=data,
            )
            member.organization = transfer.to_org
            save_member(member, actor, reason or "Chuyển sinh hoạt đảng chính thức")
            write_event(
                member=member,
                kind=MemberEvent.Kind.TRANSFERRED_IN,
                effective_on=accepted_on,
                actor=actor,
                organization=transfer.to_org,
                other_org=from_org,
                decision_ref=transfer.decision_ref,
                reason=reason,
                data=data,
            )
        else:
            member.status = Status.TRANSFERRED_OUT
            save_member(member, actor, reason or "Chuyển sinh hoạt ra ngoài hệ thống")
            write_event(
                member=member,
                kind=MemberEvent.Kind.TRANSFERRED_OUT,
                effective_on=accepted_on,
                actor=actor,
                organization=from_org,
                decision_ref=transfer.decision_ref,
                reason=reason,
                data=data,
            )
    else:
        transfer.state = Transfer.State.ACTIVE
        transfer.starts_on = accepted_on
        write_event(
            member=member,
            kind=MemberEvent.Kind.TEMPORARY_START,
            effective_on=accepted_on,
            actor=actor,
            other_org=transfer.to_org,
            decision_ref=transfer.decision_ref,
            reason=reason,
            data={**data, "ends_on": transfer.ends_on.isoformat() if transfer.ends_on else None},
        )
    transfer.save()
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer, reason: str) -> Transfer:
    """Withdraw (sender) or decline (receiver) a pending transfer; the member stays where they are."""
    reason = require_reason(reason)
    transfer = _lock_transfer(transfer)
    sides = [transfer.from_org, *([transfer.to_org] if transfer.to_org else [])]
    if not any(can_manage_organization(actor, org) for org in sides):
        raise PermissionDenied("Không có quyền hủy giấy giới thiệu này.")
    if transfer.state != Transfer.State.PENDING:
        raise ValidationError(
            {"transfer": f"Giấy giới thiệu đang ở trạng thái «{transfer.get_state_display()}»."}
        )
    member = lock(transfer.member)
    transfer.state = Transfer.State.CANCELLED
    transfer.reason = f"{transfer.reason} | Hủy: {reason}".strip(" |")[:500]
    transfer.save()
    write_event(
        member=member,
        kind=MemberEvent.Kind.TRANSFER_CANCELLED,
        effective_on=max(today(), transfer.issued_on),
        actor=actor,
        other_org=transfer.to_org,
        reason=reason,
        data={"transfer": transfer.pk},
    )
    return transfer


def _lock_running_temporary(actor: Any, transfer: Transfer, action: str) -> Transfer:
    """The transfer, locked, if it is a running temporary stay and `actor` manages either side."""
    transfer = _lock_transfer(transfer)
    sides = [transfer.from_org, *([transfer.to_org] if transfer.to_org else [])]
    if not any(can_manage_organization(actor, org) for org in sides):
        raise PermissionDenied(f"Không có quyền {action} sinh hoạt tạm thời này.")
    if transfer.kind != Transfer.Kind.TEMPORARY or transfer.state != Transfer.State.ACTIVE:
        raise ValidationError({"transfer": f"Chỉ {action} được sinh hoạt tạm thời đang diễn ra."})
    return transfer


@transaction.atomic
def temporary_transfer_end(
    *, actor: Any, transfer: Transfer, ended_on: date | None = None, reason: str = ""
) -> Transfer:
    """A temporary stay ends (return, or the planned end date); either side may record it."""
    transfer = _lock_running_temporary(actor, transfer, "kết thúc")
    member = lock(transfer.member)
    ended_on = ended_on or today()
    if ended_on < (transfer.starts_on or transfer.issued_on):
        raise ValidationError({"ended_on": "Ngày kết thúc không được trước ngày bắt đầu sinh hoạt tạm thời."})
    require_not_before_latest(member, ended_on, field="ended_on")
    planned = transfer.ends_on
    transfer.state = Transfer.State.COMPLETED
    transfer.ends_on = ended_on
    transfer.save()
    write_event(
        member=member,
        kind=MemberEvent.Kind.TEMPORARY_END,
        effective_on=ended_on,
        actor=actor,
        other_org=transfer.to_org,
        reason=reason,
        data={"transfer": transfer.pk, "planned_end": planned.isoformat() if planned else None},
    )
    return transfer


@transaction.atomic
def temporary_transfer_extend(
    *, actor: Any, transfer: Transfer, new_end: date, reason: str, on: date | None = None
) -> Transfer:
    """Extend a running temporary stay (gia hạn sinh hoạt tạm thời); either side may record it.

    The extension is asked of the host committee and reported to the home one (DOMAIN.md §1.5);
    the whole stay, from its start to `new_end`, must stay within the limits: 3 months to under
    1 year, or up to 2 years for full-time study. Beyond that the member transfers officially.
    """
    reason = require_reason(reason)
    transfer = _lock_running_temporary(actor, transfer, "gia hạn")
    old_end = transfer.ends_on
    if old_end is not None and new_end <= old_end:
        raise ValidationError(
            {"new_end": f"Ngày kết thúc mới phải sau ngày kết thúc hiện tại {old_end:%d/%m/%Y}."}
        )
    starts_on = transfer.starts_on or transfer.issued_on
    error = temporary_duration_error(starts_on, new_end, for_study=transfer.for_study)
    if error:
        raise ValidationError({"new_end": f"Tính từ ngày bắt đầu {starts_on:%d/%m/%Y}: {error}"})
    member = lock(transfer.member)
    on = on or today()
    if old_end is not None and on > old_end:
        raise ValidationError(
            {"on": f"Sinh hoạt tạm thời đã hết hạn ngày {old_end:%d/%m/%Y}; gia hạn trước ngày đó."}
        )
    on = max(on, starts_on)
    require_not_before_latest(member, on, field="on")
    transfer.ends_on = new_end
    transfer.reason = f"{transfer.reason} | Gia hạn: {nfc(reason)}".strip(" |")[:500]
    transfer.save()
    write_event(
        member=member,
        kind=MemberEvent.Kind.TEMPORARY_START,
        effective_on=on,
        actor=actor,
        other_org=transfer.to_org,
        reason=reason,
        data={
            "transfer": transfer.pk,
            "extended": True,
            "old_end": old_end.isoformat() if old_end else None,
            "new_end": new_end.isoformat(),
        },
    )
    return transfer
