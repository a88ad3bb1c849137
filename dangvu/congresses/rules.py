"""The congress rules, read from dated rule parameters (DOMAIN.md §1.3, §5.4, §6).

Term lengths (Điều lệ Điều 22, 24; the QĐ 294 pilot of five-year cell terms), the leadership a cell
elects by its number of official members, the quorum, the election majority, and the age check of
Chỉ thị 45 against the retirement ages of the Labour Code 2019 / Decree 135. Each function returns a
Vietnamese message naming the regulation (`Rule.citation`), or None when the rule is met.
"""

from __future__ import annotations

import math
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from dangvu.core.formats import fmt_date, fmt_int
from dangvu.core.rules import Rule, rule
from dangvu.members.rules import add_months
from dangvu.organizations.models import Kind

from .choices import Level

# Kinds whose congress elects a secretary or a cell committee (chi ủy) by Điều lệ Điều 24.
CELL_LEADERSHIP_KINDS = (Kind.CELL, Kind.BASE_CELL)


def _level_label(level: str) -> str:
    try:
        return Level(level).label.lower()
    except ValueError:
        return level


def _month(d: date) -> str:
    return f"{d.month:02d}/{d.year}"


# ---------------------------------------------------------------------------------------------
# Terms


def term_years_allowed(level: str, *, on: date, pilot: bool = False) -> tuple[int, int, Rule]:
    """(fewest years, most years, rule) a term of `level` may span, from the term length in force
    on `on`: a cell's 30 months ± 6 give 2..3 years, five-year levels 5..5.

    With `pilot`, a cell follows `congress.cell_term_pilot` (QĐ 294, from 01/7/2025); raises
    ImproperlyConfigured when no such parameter is in force (use `term_error` for a message).
    """
    if pilot and level == Level.CELL:
        r = rule("congress.cell_term_pilot", on=on)
        months, tolerance = int(r.value[level]), 0
    else:
        r = rule("congress.term_months", on=on)
        if level not in r.value:
            raise ImproperlyConfigured(f"Chưa có độ dài nhiệm kỳ cho cấp «{level}».")
        months = int(r.value[level])
        tolerance = int(r.value.get("tolerance_months", {}).get(level, 0))
    return math.ceil((months - tolerance) / 12), (months + tolerance) // 12, r


def pilot_error(level: str, *, on: date) -> str | None:
    """May a round of `level` starting on `on` follow the five-year cell pilot (QĐ 294)?"""
    if level != Level.CELL:
        return "Thí điểm đại hội 5 năm một lần chỉ áp dụng cho chi bộ trực thuộc."
    try:
        rule("congress.cell_term_pilot", on=on)
    except ImproperlyConfigured:
        first = _first_effective("congress.cell_term_pilot")
        since = f" từ ngày {fmt_date(first[0])}" if first else ""
        source = f" ({first[1]})" if first else ""
        return (
            f"Thí điểm đại hội chi bộ 5 năm một lần chỉ áp dụng{since}{source}; "
            f"ngày {fmt_date(on)} chưa áp dụng được."
        )
    return None


def term_error(level: str, start_year: int, end_year: int, *, on: date, pilot: bool = False) -> str | None:
    """Is `start_year`–`end_year` a term `level` may have? (None when it is.)"""
    if end_year <= start_year:
        return "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu."
    if pilot and (error := pilot_error(level, on=on)):
        return error
    low, high, r = term_years_allowed(level, on=on, pilot=pilot)
    years = end_year - start_year
    if low <= years <= high:
        return None
    allowed = f"{low} năm" if low == high else f"từ {low} đến {high} năm"
    return (
        f"Nhiệm kỳ {start_year}–{end_year} dài {years} năm; nhiệm kỳ đại hội {_level_label(level)}"
        f"{' (thí điểm 5 năm một lần)' if pilot else ''} phải {allowed} (theo {r.citation})."
    )


def _first_effective(key: str) -> tuple[date, str] | None:
    """(first effective date, citation) of a rule key, for messages about a rule not yet in force."""
    from dangvu.core.models import RuleParameter

    p = RuleParameter.objects.select_related("legal_basis").filter(key=key).order_by("effective_from").first()
    if p is None:
        return None
    return p.effective_from, Rule(key, p.value, p.legal_basis, p.article).citation


# ---------------------------------------------------------------------------------------------
# Leadership, quorum, majority


def leadership_error(
    kind: str, official_members: int | None, committee_size: int, deputies: int, *, on: date
) -> str | None:
    """The leadership a cell (or base cell) may elect for its number of official members (Điều lệ
    Điều 24; QĐ 294): under the threshold a secretary and at most the allowed deputies, no committee;
    from the threshold a cell committee of at most `max_committee` (when set). `committee_size`
    counts everyone elected, the secretary and deputies included."""
    if kind not in CELL_LEADERSHIP_KINDS:
        return None
    r = rule("congress.cell_leadership", on=on)
    threshold = int(r.value["committee_from_official"])
    max_committee = r.value.get("max_committee")
    max_deputies = int(r.value.get("max_deputies") or 1)
    if deputies > max_deputies:
        return f"Chi bộ chỉ bầu {max_deputies} phó bí thư, không bầu {deputies} (theo {r.citation})."
    if official_members is None:
        return None
    if official_members < threshold:
        allowed = 1 + max_deputies
        if committee_size > allowed:
            return (
                f"Chi bộ có {fmt_int(official_members)} đảng viên chính thức (dưới {threshold}) "
                f"chỉ bầu bí thư và phó bí thư nếu cần, không bầu chi ủy {committee_size} đồng chí "
                f"(theo {r.citation})."
            )
        return None
    if max_committee is not None and committee_size > int(max_committee):
        return (
            f"Chi ủy được bầu không quá {max_committee} đồng chí, không bầu {committee_size} đồng chí "
            f"(theo {r.citation})."
        )
    return None


def quorum_error(summoned: int, attending: int, *, on: date) -> str | None:
    """Is the congress valid? At least the share (2/3) of those summoned must attend."""
    r = rule("congress.quorum", on=on)
    num, den = (int(x) for x in r.value["attendance_share"])
    if summoned is None or summoned <= 0:
        return "Số đại biểu, đảng viên được triệu tập phải lớn hơn 0."
    if attending is None or attending < 0:
        return "Số có mặt không được âm."
    if attending > summoned:
        return "Số có mặt không được lớn hơn số được triệu tập."
    if attending * den >= summoned * num:
        return None
    needed = math.ceil(summoned * num / den)
    return (
        f"Có mặt {fmt_int(attending)}/{fmt_int(summoned)} người được triệu tập, chưa đủ {num}/{den} "
        f"(cần ít nhất {fmt_int(needed)}): đại hội không hợp lệ (theo {r.citation})."
    )


def election_error(votes_for: int, votes_valid: int, *, on: date, what: str) -> str | None:
    """Is `what` ("bầu đồng chí X vào chi ủy") elected? More than the share (1/2) of valid ballots."""
    r = rule("congress.election_majority", on=on)
    num, den = (int(x) for x in r.value["more_than_share"])
    if votes_valid is None or votes_valid <= 0:
        return f"{what}: số phiếu hợp lệ phải lớn hơn 0."
    if votes_for is None or votes_for < 0 or votes_for > votes_valid:
        return f"{what}: số phiếu bầu phải từ 0 đến số phiếu hợp lệ ({fmt_int(votes_valid)})."
    if votes_for * den > votes_valid * num:
        return None
    return (
        f"{what}: {fmt_int(votes_for)}/{fmt_int(votes_valid)} phiếu hợp lệ, chưa quá {num}/{den} "
        f"nên không trúng cử (theo {r.citation})."
    )


# ---------------------------------------------------------------------------------------------
# Retirement and the age of committee candidates


def _required_months(value: dict, year: int) -> int:
    """Retirement age in months for people reaching it in `year` (Decree 135 schedule): it rises by
    `step_months` a year from `start_year` up to `max_months`. Before the schedule began, the old
    Labour Code's age applied (60 for men, 55 for women), one step below the first year's."""
    start_year, start, step = int(value["start_year"]), int(value["start_months"]), int(value["step_months"])
    if year < start_year:
        return start - step
    return min(int(value["max_months"]), start + step * (year - start_year))


def retirement_date(birth_date: date, gender: str) -> date:
    """The day a worker in normal conditions reaches retirement age (Labour Code 2019 Điều 169,
    Decree 135/2020 Điều 4 and its appendix): the first year Y in which the person reaches the age
    required in Y. A man born 01/1961 reaches 60y3m (2021's age) in 04/2021; a man born 10/1961
    would reach it only in 2022, whose age is 60y6m, reached in 04/2022.

    The retirement itself takes effect at the end of that month (Decree 135 Điều 4)."""
    r = rule("labour.retirement_age", on=max(birth_date, date(2021, 1, 1)), before_first=True)
    value = r.value.get(gender) or r.value["male"]
    year = birth_date.year + 50  # nobody retires before 55
    while True:
        reached = add_months(birth_date, _required_months(value, year))
        if reached.year <= year:
            return reached
        year += 1


def _reference_month(level: str, r: Rule) -> date:
    months = r.value["months"]
    text = months.get(level) or months.get(Level.BASE)
    year, month = (int(x) for x in str(text).split("-")[:2])
    return date(year, month, 1)


def months_left(birth_date: date, gender: str, level: str, *, on: date) -> tuple[int, date, Rule] | None:
    """(working months left from the level's reference month to the retirement month, the
    retirement date, the age-reference rule), or None when no `congress.age_reference` is in force
    on `on` (outside the 2025–2030 congresses there is nothing to check)."""
    try:
        r = rule("congress.age_reference", on=on)
    except ImproperlyConfigured:
        return None
    reference = _reference_month(level, r)
    retires = retirement_date(birth_date, gender)
    months = (retires.year - reference.year) * 12 + (retires.month - reference.month)
    return months, retires, r


def age_error(birth_date: date | None, gender: str, level: str, *, first_time: bool, on: date) -> str | None:
    """Does the candidate have enough working time left (Chỉ thị 45): one full term when joining the
    committee for the first time, `reelected_months` when re-elected?"""
    if birth_date is None:
        return None
    found = months_left(birth_date, gender, level, on=on)
    if found is None:
        return None
    months, retires, r = found
    needed = int(r.value["first_time_months" if first_time else "reelected_months"])
    if months >= needed:
        return None
    reference = _reference_month(level, r)
    retirement = rule("labour.retirement_age", on=max(retires, date(2021, 1, 1)), before_first=True)
    what = "tham gia cấp ủy lần đầu" if first_time else "tái cử"
    # Past the retirement month by the reference month, "còn -10 tháng" would read as nonsense.
    mark = _month(reference)
    left = (
        f"tính từ tháng mốc {mark} chỉ còn {months} tháng công tác"
        if months > 0
        else f"đến tháng mốc {mark} đã {'đến' if months == 0 else 'quá'} tuổi nghỉ hưu"
    )
    return (
        f"Sinh tháng {_month(birth_date)}, đến tuổi nghỉ hưu tháng {_month(retires)} "
        f"(theo {retirement.citation}): {left}, "
        f"chưa đủ {needed} tháng để {what} (theo {r.citation})."
    )
