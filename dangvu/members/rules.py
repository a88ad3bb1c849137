"""Rule computations for members: ages in months, official dates, party age, badges, deadlines.

Values come only from dated rule parameters (`dangvu.core.rules.rule`). Month arithmetic clamps
to the end of the month (29/02/2024 + 12 months = 28/02/2025), the convention of
`dateutil.relativedelta`, and a person born on 29/02 is "đủ 18 tuổi" on 28/02 of a non-leap year.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from dangvu.core.rules import Rule
from dangvu.core.rules import rule as _rule

from .choices import ACTIVE_STATUSES, Status

# Event kinds that open a gap in party age, and those that close one (DOMAIN.md §1.8).
GAP_OPENING = ("removed", "expelled", "left", "contact_lost")
GAP_CLOSING = ("readmitted", "contact_restored")
DISCIPLINE_FORMS = ("reprimand", "warning", "dismissal")


def rule(key: str, *, on: date) -> Rule:
    """`dangvu.core.rules.rule`, falling back to the earliest recorded value for dates before it
    (paper records of members admitted decades ago)."""
    return _rule(key, on=on, before_first=True)


def add_months(d: date, months: int) -> date:
    """`d` plus `months` calendar months, clamped to the last day of the target month."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def age_in_months(birth: date, on: date) -> int:
    """Completed months from `birth` to `on` (the largest n with birth + n months <= on)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    while months > 0 and add_months(birth, months) > on:
        months -= 1
    while add_months(birth, months + 1) <= on:
        months += 1
    return months


def admission_age_error(birth: date, on: date) -> str | None:
    """Why someone born on `birth` may not be admitted at a cell decision on `on`, or None."""
    limits = rule("member.admission_age_months", on=on)
    low, high = limits.value["min"], limits.value["max"]
    if on < add_months(birth, low):
        return (
            f"Chưa đủ {low // 12} tuổi đời (tính theo tháng) tại ngày chi bộ xét kết nạp "
            f"{on:%d/%m/%Y} ({limits.citation})."
        )
    if on > add_months(birth, high):
        return (
            f"Quá {high // 12} tuổi đời tại ngày chi bộ xét kết nạp {on:%d/%m/%Y}; kết nạp người trên "
            f"{high // 12} tuổi do cấp ủy trực thuộc Trung ương quyết định ({limits.citation})."
        )
    return None


def is_over_admission_age(birth: date, on: date) -> bool:
    """Past the upper admission age (60 years, in months) at the cell's decision on `on`."""
    high = rule("member.admission_age_months", on=on).value["max"]
    return on > add_months(birth, int(high))


def over_age_consent_error(
    birth: date, on: date, decided_on: date, consent_ref: str, consent_date: date | None
) -> str | None:
    """The age check with the exception for people over 60 (DOMAIN.md §1.1).

    Someone past 60 at the cell's decision (`on`) may be admitted only with the written consent of
    the Standing Committee of the committee directly under the Centre, dated no later than the
    admission decision (`decided_on`). Without a consent the usual age error stands; under 18 there
    is no exception.
    """
    error = admission_age_error(birth, on)
    if error is None or not is_over_admission_age(birth, on):
        return error
    if not consent_ref and consent_date is None:
        return error
    consent = rule("member.admission_over_age_consent", on=decided_on)
    authority = consent.value["authority"]
    if not consent_ref or consent_date is None:
        return (
            f"Kết nạp người trên 60 tuổi cần cả số văn bản và ngày văn bản đồng ý của {authority} "
            f"({consent.citation})."
        )
    if consent.value.get("not_after_decision", True) and consent_date > decided_on:
        return (
            f"Văn bản đồng ý của {authority} ngày {consent_date:%d/%m/%Y} phải có trước khi quyết định "
            f"kết nạp ngày {decided_on:%d/%m/%Y} ({consent.citation})."
        )
    return None


def ceremony_due(decision_received_on: date) -> date:
    """The last day for the admission ceremony: 30 working days after the decision is received."""
    from dangvu.core.workdays import add_working_days

    days = rule("member.ceremony_deadline", on=decision_received_on).value["working_days"]
    return add_working_days(decision_received_on, int(days))


def ceremony_lateness_error(decision_received_on: date, ceremony: date, late_consent: str) -> str | None:
    """A ceremony after the deadline needs the consent of the directly-higher committee (§1.1)."""
    if ceremony <= ceremony_due(decision_received_on) or late_consent:
        return None
    deadline = rule("member.ceremony_deadline", on=decision_received_on)
    value = deadline.value
    return (
        f"Lễ kết nạp phải tổ chức trong {value['working_days']} ngày làm việc kể từ ngày nhận quyết định "
        f"{decision_received_on:%d/%m/%Y}, chậm nhất ngày {ceremony_due(decision_received_on):%d/%m/%Y}; "
        f"tổ chức muộn hơn phải có ý kiến đồng ý của {value['late_consent_by']} ({deadline.citation})."
    )


def ceremony_state(decision_received_on: date, ceremony: date, on: date) -> str:
    """ "done" (held in time), "late" (held after the deadline), "due" (planned, deadline not passed)
    or "overdue" (not held and the deadline has passed)."""
    due = ceremony_due(decision_received_on)
    if ceremony <= on:
        return "late" if ceremony > due else "done"
    return "overdue" if on > due else "due"


def conviction_wait_error(cleared_on: date | None, category: str, decided_on: date) -> str | None:
    """Readmission after a conviction (DOMAIN.md §1.7): never after corruption or a serious crime;
    after a less serious crime only 60 months after the record was expunged (`cleared_on`)."""
    if not category and cleared_on is None:
        return None
    param = rule("member.readmission_conviction", on=decided_on)
    if category in param.value.get("never", []):
        return (
            "Không kết nạp lại người bị kết án về tội tham nhũng hoặc tội nghiêm trọng trở lên "
            f"({param.citation})."
        )
    if cleared_on is None:
        return (
            f"Người từng bị kết án phải được xóa án tích; hãy nhập ngày được xóa án tích ({param.citation})."
        )
    months = int(param.value["wait_months"])
    earliest = add_months(cleared_on, months)
    if decided_on < earliest:
        return (
            f"Chưa đủ {months} tháng kể từ ngày được xóa án tích {cleared_on:%d/%m/%Y}; sớm nhất từ ngày "
            f"{earliest:%d/%m/%Y} ({param.citation})."
        )
    return None


def _ceremony(member_or_ceremony_date: Any) -> date:
    if isinstance(member_or_ceremony_date, date):
        return member_or_ceremony_date
    return member_or_ceremony_date.ceremony_date


def expected_official_on(member_or_ceremony_date: Any) -> date:
    """Official membership takes effect at ceremony + the probation (12 months), never typed."""
    ceremony = _ceremony(member_or_ceremony_date)
    months = rule("member.probation_months", on=ceremony).value
    return add_months(ceremony, int(months))


def probation_citation(ceremony: date) -> str:
    return rule("member.probation_months", on=ceremony).citation


def _events(member: Any) -> list[Any]:
    """The member's events in date order (uses a prefetch when there is one)."""
    cache = getattr(member, "_prefetched_objects_cache", {})
    events = cache["events"] if "events" in cache else member.events.all()
    return sorted(events, key=lambda e: (e.effective_on, e.pk or 0))


def party_age_days(member: Any, on: date, events: Iterable[Any] | None = None) -> tuple[date | None, int]:
    """(first admission decision, days outside party activity up to `on`)."""
    events = (
        sorted(events, key=lambda e: (e.effective_on, e.pk or 0)) if events is not None else _events(member)
    )
    admitted = [e.effective_on for e in events if e.kind == "admitted"]
    start = min(
        [d for d in [*admitted[:1], member.first_admission_date, member.admission_decision_date] if d],
        default=None,
    )
    if start is None or start > on:
        return start, 0
    gap_days, gap_from = 0, None
    for event in events:
        if event.effective_on > on:
            break
        if event.kind in GAP_OPENING and gap_from is None:
            gap_from = event.effective_on
        elif event.kind in GAP_CLOSING and gap_from is not None:
            gap_days += (event.effective_on - gap_from).days
            gap_from = None
        elif event.kind == "deceased" and gap_from is None:
            gap_from = event.effective_on  # party age stops at death
    if gap_from is not None:
        gap_days += (on - gap_from).days
    return start, gap_days


def party_age(member: Any, on: date, events: Iterable[Any] | None = None) -> tuple[int, int]:
    """Party age on `on` as (years, months): from the first admission decision, minus the gaps
    between an exit (removal, expulsion, leaving, lost contact) and readmission or restored contact
    (DOMAIN.md §1.8)."""
    start, gap_days = party_age_days(member, on, events)
    if start is None or start > on:
        return (0, 0)
    from datetime import timedelta

    months = age_in_months(start + timedelta(days=gap_days), on)
    return divmod(max(months, 0), 12)


def discipline_delay_end(member: Any, on: date, events: Iterable[Any] | None = None) -> date | None:
    """The date until which the latest discipline (before `on`) blocks a badge, or None."""
    events = list(events) if events is not None else _events(member)
    delays = rule("badge.discipline_delay_months", on=on).value
    end = None
    for event in events:
        if event.kind == "disciplined" and event.effective_on <= on:
            form = (event.data or {}).get("form")
            if form in delays:
                candidate = add_months(event.effective_on, int(delays[form]))
                end = candidate if end is None or candidate > end else end
    return end


def awarded_milestones(member: Any, events: Iterable[Any] | None = None) -> set[int]:
    events = events if events is not None else _events(member)
    return {int((e.data or {}).get("years", 0)) for e in events if e.kind == "badge_awarded"}


def badge_due(member: Any, occasion: date, events: Iterable[Any] | None = None) -> int | None:
    """The badge milestone (years) `member` should receive at `occasion`, or None.

    The highest milestone reached by then and not yet awarded (nor any higher one); none for members
    who are not counted (exited, lost contact, transferred out) or while a discipline delay runs.
    """
    if member.status not in ACTIVE_STATUSES:
        return None
    events = list(events) if events is not None else _events(member)
    milestones = sorted(int(m) for m in rule("badge.milestones", on=occasion).value)
    years, _months = party_age(member, occasion, events)
    reached = [m for m in milestones if m <= years]
    if not reached:
        return None
    awarded = awarded_milestones(member, events)
    if any(a >= reached[-1] for a in awarded):
        return None
    delay_end = discipline_delay_end(member, occasion, events)
    if delay_end is not None and occasion < delay_end:
        return None
    return reached[-1]


EARLY_REASONS = {"seriously_ill": "đảng viên bị bệnh nặng", "posthumous": "truy tặng đảng viên đã từ trần"}


def early_award_margin(years: int, early: str, on: date) -> tuple[int, Rule]:
    """How many months before the `years` milestone the badge may be given for reason `early`."""
    param = rule("badge.early_award_months", on=on)
    for low, high, months in param.value.get(early, []):
        if int(low) <= years <= int(high):
            return int(months), param
    return 0, param


def badge_age_on(member: Any, on: date, early: str, events: Iterable[Any] | None = None) -> date:
    """The date party age is measured on for a badge: the award date, or the day of death for a
    posthumous award (party age stops at death)."""
    if early != "posthumous":
        return on
    events = list(events) if events is not None else _events(member)
    deaths = [e.effective_on for e in events if e.kind == "deceased" and e.effective_on <= on]
    return deaths[-1] if deaths else on


def badge_refusal(member: Any, years: int, on: date, *, early: str = "") -> str | None:
    """Why `member` may not receive the `years` badge on `on`, or None.

    `early` ("seriously_ill" or "posthumous") allows the award before the milestone within the
    margin of the guidance (DOMAIN.md §3); a posthumous award is only for a deceased member, whose
    party age stops at death.
    """
    events = _events(member)
    milestones = rule("badge.milestones", on=on)
    if years not in [int(m) for m in milestones.value]:
        return f"{years} năm không phải mốc tuổi đảng xét tặng Huy hiệu ({milestones.citation})."
    if early and early not in EARLY_REASONS:
        return "Lý do trao sớm không hợp lệ."
    if early == "posthumous":
        if member.status != Status.DECEASED:
            margin_rule = rule("badge.early_award_months", on=on)
            return f"Chỉ truy tặng Huy hiệu cho đảng viên đã từ trần ({margin_rule.citation})."
    elif member.status not in ACTIVE_STATUSES:
        status = member.get_status_display()
        return f"Đảng viên ở tình trạng «{status}» không được xét tặng Huy hiệu ({milestones.citation})."
    if years in awarded_milestones(member, events):
        return f"Đảng viên đã được tặng Huy hiệu {years} năm tuổi Đảng ({milestones.citation})."
    age_on = badge_age_on(member, on, early, events)
    age_years, age_months = party_age(member, age_on, events)
    if age_years < years:
        if not early:
            return (
                f"Tuổi đảng tại ngày {on:%d/%m/%Y} là {age_years} năm, chưa đủ {years} năm "
                f"({milestones.citation})."
            )
        margin, margin_rule = early_award_margin(years, early, on)
        short = years * 12 - (age_years * 12 + age_months)
        if short > margin:
            return (
                f"Tuổi đảng tại ngày {age_on:%d/%m/%Y} là {age_years} năm {age_months} tháng, "
                f"còn thiếu {short} tháng; trao sớm Huy hiệu {years} năm ({EARLY_REASONS[early]}) "
                f"tối đa {margin} tháng ({margin_rule.citation})."
            )
    delay_end = discipline_delay_end(member, on, events)
    if delay_end is not None and on < delay_end:
        delays = rule("badge.discipline_delay_months", on=on)
        return (
            f"Đang trong thời gian chưa xét tặng Huy hiệu sau kỷ luật (đến {delay_end:%d/%m/%Y}) "
            f"({delays.citation})."
        )
    return None


def occasions_in_year(year: int, on: date) -> list[date]:
    values = rule("badge.occasions", on=on).value
    return sorted(date(year, int(v[:2]), int(v[3:])) for v in values)


def next_badge_occasion(on: date) -> date:
    """The first badge occasion (3/2, 19/5, 2/9, 7/11) on or after `on`."""
    for occasion in occasions_in_year(on.year, on):
        if occasion >= on:
            return occasion
    return occasions_in_year(on.year + 1, on)[0]


def deadline_state(due: date, on: date, *, done_on: date | None = None) -> str:
    """ "done" once the act is done, else "overdue" after `due`, else "due"."""
    if done_on is not None:
        return "done"
    return "overdue" if on > due else "due"


def transfer_report_due(issued_on: date) -> date:
    """Deadline to present an introduction letter: 30 working days after it is issued."""
    from dangvu.core.workdays import add_working_days

    days = rule("member.deadlines_working_days", on=issued_on).value["transfer_report"]
    return add_working_days(issued_on, int(days))


def recognition_due(member: Any) -> date:
    """Deadline for the cell to consider recognition: 30 working days after probation ends."""
    from dangvu.core.workdays import add_working_days

    end = expected_official_on(member)
    days = rule("member.deadlines_working_days", on=end).value["recognition"]
    return add_working_days(end, int(days))


def transfer_deadline_state(transfer: Any, on: date) -> str:
    """The reporting deadline of a transfer on `on`: "done" once accepted or cancelled."""
    finished = transfer.accepted_on or (transfer.updated_at.date() if transfer.state == "cancelled" else None)
    return deadline_state(transfer.report_due_on, on, done_on=finished)
