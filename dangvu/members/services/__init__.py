"""Writes of the member registry. Every write is keyword-only, atomic, re-checks the actor's right,
writes a dated MemberEvent and keeps the member's current state in step with it."""

from .lifecycle import (
    member_award_badge,
    member_discipline,
    member_end_exemption,
    member_exempt,
    member_exit,
    member_readmit,
    member_restore_contact,
    readmission_refusal,
)
from .records import member_admit, member_recognize_official, member_register, member_update
from .transfers import (
    temporary_duration_error,
    temporary_transfer_end,
    temporary_transfer_extend,
    transfer_accept,
    transfer_cancel,
    transfer_issue,
)

__all__ = [
    "member_admit",
    "member_award_badge",
    "member_discipline",
    "member_end_exemption",
    "member_exempt",
    "member_exit",
    "member_readmit",
    "member_recognize_official",
    "member_register",
    "member_restore_contact",
    "member_update",
    "readmission_refusal",
    "temporary_duration_error",
    "temporary_transfer_end",
    "temporary_transfer_extend",
    "transfer_accept",
    "transfer_cancel",
    "transfer_issue",
]
