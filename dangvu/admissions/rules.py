"""The rules of the admission pipeline (DOMAIN.md §1.1), read from dated rule parameters.

Every message names its regulation (`Rule.citation`). The ages, the ceremony deadline and the
probation are the member registry's rules (`dangvu.members.rules`), reused here so that a
candidate and the member they become are judged by the same parameters.
"""

from __future__ import annotations

from datetime import date

from dangvu.core.rules import Rule
from dangvu.core.workdays import add_working_days
from dangvu.members import rules as member_rules
from dangvu.members.choices import Status
from dangvu.members.models import Member, MemberEvent

SPONSOR = "admission.sponsor"
CELL_VOTE = "admission.cell_vote"

# Events that set a member's status (the same list as the statistics engine's STATE_KINDS).
_K = MemberEvent.Kind
_STATE_KINDS = (
    _K.ADMITTED,
    _K.RECOGNIZED_OFFICIAL,
    _K.TRANSFERRED_OUT,
    _K.TRANSFERRED_IN,
    _K.REMOVED,
    _K.EXPELLED,
    _K.LEFT,
    _K.DECEASED,
    _K.CONTACT_LOST,
    _K.CONTACT_RESTORED,
    _K.READMITTED,
)


def rule(key: str, *, on: date) -> Rule:
    """The parameter in force on `on`; dates before the first recorded value take that value."""
    return member_rules.rule(key, on=on)


def status_on(member: Member, on: date) -> str:
    """The member's status on `on`, from the last status-changing event on or before it."""
    last = (
        MemberEvent.objects.filter(member=member, effective_on__lte=on, kind__in=_STATE_KINDS)
        .order_by("-effective_on", "-id")
        .values_list("status_after", flat=True)
        .first()
    )
    if last is not None:
        return last
    # No event (should not happen for members entered through the services): the record says.
    if member.status == Status.OFFICIAL and member.official_on and member.official_on <= on:
        return Status.OFFICIAL
    return "" if member.admission_decision_date > on else member.status


def sponsor_error(sponsor: Member, since: date | None, *, on: date, which: str) -> str | None:
    """Why `sponsor` may not sponsor a candidate on `on`, or None.

    A sponsor is an official member on that day who has worked, studied or lived with the
    candidate for at least 12 months (`since` is the day they started). `which` names the sponsor
    in the message ("Người giới thiệu thứ nhất").
    """
    r = rule(SPONSOR, on=on)
    months = int(r.value["worked_together_months"])
    name = f"{which} ({sponsor.full_name})"
    if status_on(sponsor, on) != Status.OFFICIAL:
        return f"{name} phải là đảng viên chính thức tại ngày {on:%d/%m/%Y} ({r.citation})."
    if since is None:
        return f"{name}: cần nhập ngày bắt đầu cùng công tác, học tập hoặc cư trú với người vào Đảng."
    if since > on:
        return f"{name}: ngày bắt đầu cùng công tác {since:%d/%m/%Y} sau ngày phân công {on:%d/%m/%Y}."
    enough_on = member_rules.add_months(since, months)
    if on < enough_on:
        return (
            f"{name} mới cùng công tác với người vào Đảng từ ngày {since:%d/%m/%Y}, chưa đủ {months} tháng "
            f"(đủ từ ngày {enough_on:%d/%m/%Y}) ({r.citation})."
        )
    return None


def youth_union_replaces_sponsor(*, on: date) -> bool:
    """May a Youth Union resolution replace one of the two sponsors on `on`?"""
    return bool(rule(SPONSOR, on=on).value.get("youth_union_replaces_one", False))


def vote_share(*, on: date) -> tuple[int, int]:
    """The share of official members that must vote for (2, 3)."""
    num, den = rule(CELL_VOTE, on=on).value["share"]
    return int(num), int(den)


def vote_attempts(*, on: date) -> int:
    """How many votes short of the share before the matter goes to the higher committee."""
    return int(rule(CELL_VOTE, on=on).value.get("attempts", 3))


def cell_vote_error(votes_for: int, official_members: int, *, on: date) -> str | None:
    """Why a cell resolution with `votes_for` of `official_members` does not admit, or None.

    At least 2/3 of the cell's official members must vote for (exact arithmetic: 6 of 9 passes).
    """
    r = rule(CELL_VOTE, on=on)
    num, den = (int(x) for x in r.value["share"])
    if votes_for * den >= official_members * num:
        return None
    # The smallest number of votes that reaches the share, for the message.
    needed = -(-official_members * num // den)
    return (
        f"Nghị quyết chi bộ đề nghị kết nạp phải được ít nhất {num}/{den} số đảng viên chính thức tán "
        f"thành: {votes_for}/{official_members} tán thành, cần ít nhất {needed} ({r.citation})."
    )


def decision_due(cell_voted_on: date) -> date:
    """The last day for the competent committee to decide: 60 working days after the cell's resolution."""
    days = rule("member.deadlines_working_days", on=cell_voted_on).value["admission_decision"]
    return add_working_days(cell_voted_on, int(days))


def decision_citation(cell_voted_on: date) -> str:
    return rule("member.deadlines_working_days", on=cell_voted_on).citation


def ceremony_due(received_on: date) -> date:
    """The last day for the ceremony: 30 working days after the cell receives the decision."""
    return member_rules.ceremony_due(received_on)


def decision_late(cell_voted_on: date, decided_on: date) -> bool:
    return decided_on > decision_due(cell_voted_on)


def admission_age_error(birth_date: date, on: date) -> str | None:
    """The age rule at the cell's consideration (18 to 60, in months)."""
    return member_rules.admission_age_error(birth_date, on)


def is_over_admission_age(birth_date: date, on: date) -> bool:
    return member_rules.is_over_admission_age(birth_date, on)


__all__ = [
    "admission_age_error",
    "ceremony_due",
    "cell_vote_error",
    "decision_due",
    "decision_late",
    "sponsor_error",
    "status_on",
    "vote_attempts",
    "vote_share",
    "youth_union_replaces_sponsor",
]
