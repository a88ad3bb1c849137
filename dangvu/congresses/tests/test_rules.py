"""The congress rules at their limits: terms, a cell's leadership, quorum, majority, retirement and
the age of committee candidates (DOMAIN.md §1.3, §6)."""

from __future__ import annotations

import datetime

import pytest

from dangvu.congresses import rules
from dangvu.congresses.choices import Level
from dangvu.members.choices import Gender
from dangvu.organizations.models import Kind

pytestmark = pytest.mark.django_db
D = datetime.date
AFTER_294 = D(2025, 12, 1)
BEFORE_294 = D(2025, 6, 30)


# --- Terms -----------------------------------------------------------------------------------


def test_a_cell_term_is_two_or_three_years():
    assert rules.term_years_allowed(Level.CELL, on=AFTER_294)[:2] == (2, 3)
    assert rules.term_error(Level.CELL, 2025, 2027, on=AFTER_294) is None
    assert rules.term_error(Level.CELL, 2025, 2028, on=AFTER_294) is None
    error = rules.term_error(Level.CELL, 2025, 2029, on=AFTER_294)
    assert error and "từ 2 đến 3 năm" in error and "Điều lệ Đảng 2011" in error


def test_a_base_term_is_five_years():
    assert rules.term_error(Level.BASE, 2025, 2030, on=AFTER_294) is None
    error = rules.term_error(Level.BASE, 2025, 2029, on=AFTER_294)
    assert error and "phải 5 năm" in error and "Điều 22, Điều 24" in error


def test_the_pilot_cell_term_is_five_years_from_first_july_2025():
    assert rules.term_years_allowed(Level.CELL, on=D(2025, 7, 1), pilot=True)[:2] == (5, 5)
    assert rules.term_error(Level.CELL, 2025, 2030, on=D(2025, 7, 1), pilot=True) is None
    error = rules.term_error(Level.CELL, 2025, 2027, on=D(2025, 7, 1), pilot=True)
    assert error and "294-QĐ/TW" in error
    too_early = rules.term_error(Level.CELL, 2025, 2030, on=D(2025, 6, 30), pilot=True)
    assert too_early and "01/07/2025" in too_early and "Quy định 294-QĐ/TW" in too_early


def test_the_pilot_is_for_cells_only():
    assert "chi bộ" in rules.term_error(Level.BASE, 2025, 2030, on=AFTER_294, pilot=True)


def test_a_term_must_end_after_it_starts():
    assert rules.term_error(Level.CELL, 2027, 2025, on=AFTER_294)


# --- A cell's leadership ---------------------------------------------------------------------


def test_under_nine_official_members_a_cell_elects_a_secretary_and_a_deputy_only():
    assert rules.leadership_error(Kind.CELL, 8, 1, 0, on=AFTER_294) is None
    assert rules.leadership_error(Kind.CELL, 8, 2, 1, on=AFTER_294) is None
    error = rules.leadership_error(Kind.CELL, 8, 3, 1, on=AFTER_294)
    assert error and "dưới 9" in error and "Quy định 294-QĐ/TW" in error


def test_from_nine_official_members_a_cell_elects_a_committee():
    assert rules.leadership_error(Kind.CELL, 9, 3, 1, on=AFTER_294) is None
    assert rules.leadership_error(Kind.BASE_CELL, 9, 5, 1, on=AFTER_294) is None


def test_qd_294_caps_the_cell_committee_at_seven():
    assert rules.leadership_error(Kind.CELL, 40, 7, 1, on=D(2025, 7, 1)) is None
    error = rules.leadership_error(Kind.CELL, 40, 8, 1, on=D(2025, 7, 1))
    assert error and "không quá 7" in error and "Quy định 294-QĐ/TW" in error
    # Before QĐ 294 the Charter set no cap.
    assert rules.leadership_error(Kind.CELL, 40, 8, 1, on=BEFORE_294) is None


def test_a_cell_has_one_deputy_secretary():
    error = rules.leadership_error(Kind.CELL, 20, 5, 2, on=AFTER_294)
    assert error and "1 phó bí thư" in error


def test_the_leadership_rule_is_for_cells_only():
    assert rules.leadership_error(Kind.BASE_COMMITTEE, 200, 15, 2, on=AFTER_294) is None


# --- Quorum and majority ---------------------------------------------------------------------


def test_a_congress_needs_two_thirds_of_those_summoned():
    assert rules.quorum_error(30, 20, on=AFTER_294) is None
    error = rules.quorum_error(30, 19, on=AFTER_294)
    assert error and "19/30" in error and "cần ít nhất 20" in error and "Điều lệ Đảng 2011" in error


def test_attendance_cannot_exceed_those_summoned():
    assert "lớn hơn" in rules.quorum_error(30, 31, on=AFTER_294)


def test_election_needs_more_than_half_of_valid_ballots():
    what = "Bầu đồng chí Nguyễn Văn An vào chi ủy"
    error = rules.election_error(10, 20, on=AFTER_294, what=what)
    assert error and error.startswith(what) and "10/20" in error and "Quy định 244-QĐ/TW" in error
    assert rules.election_error(11, 20, on=AFTER_294, what=what) is None


def test_votes_for_cannot_exceed_valid_ballots():
    assert rules.election_error(21, 20, on=AFTER_294, what="Bầu")


# --- Retirement (Labour Code 2019 Điều 169, Decree 135/2020 appendix) -------------------------


@pytest.mark.parametrize(
    ("born", "gender", "retires"),
    [
        # Men: 60y3m in 2021, +3 months a year, 62 from 2028.
        (D(1961, 1, 15), Gender.MALE, D(2021, 4, 15)),  # 60y3m, reached in 2021
        (D(1961, 10, 10), Gender.MALE, D(2022, 4, 10)),  # 60y3m falls in 2022, whose age is 60y6m
        (D(1966, 1, 1), Gender.MALE, D(2027, 10, 1)),  # 61y9m
        (D(1970, 6, 1), Gender.MALE, D(2032, 6, 1)),  # 62
        (D(1960, 5, 1), Gender.MALE, D(2020, 5, 1)),  # before 2021: the old age, 60
        # Women: 55y4m in 2021, +4 months a year, 60 from 2035. Born 05/1970: 57 (2026's age) is
        # reached only in 05/2027, so 2027's age applies, 57y4m, reached in 09/2027: the appendix
        # of Decree 135 lists "tháng 01/1970 – 57 tuổi 4 tháng – tháng 5/2027", hence 05/1970 → 09/2027.
        (D(1970, 5, 15), Gender.FEMALE, D(2027, 9, 15)),
        (D(1969, 12, 1), Gender.FEMALE, D(2026, 12, 1)),  # 57, the last of 2026
        (D(1980, 3, 1), Gender.FEMALE, D(2040, 3, 1)),  # 60
    ],
)
def test_retirement_date_follows_the_decree_135_schedule(born, gender, retires):
    assert rules.retirement_date(born, gender) == retires


# --- Age of committee candidates (Chỉ thị 45-CT/TW) -----------------------------------------


def test_months_left_count_from_the_level_reference_month():
    months, retires, rule = rules.months_left(D(1968, 4, 5), Gender.MALE, Level.CELL, on=AFTER_294)
    assert (months, retires) == (60, D(2030, 4, 5))  # from 04/2025 to 04/2030
    assert rule.legal_basis.code == "45-CT/TW"
    # Communes count from 07/2025.
    assert rules.months_left(D(1968, 4, 5), Gender.MALE, Level.COMMUNE, on=AFTER_294)[0] == 57


def test_first_time_committee_members_need_a_full_term_left():
    assert rules.age_error(D(1968, 4, 5), Gender.MALE, Level.CELL, first_time=True, on=AFTER_294) is None
    error = rules.age_error(D(1968, 3, 5), Gender.MALE, Level.CELL, first_time=True, on=AFTER_294)
    assert error and "59 tháng" in error and "60 tháng" in error and "Chỉ thị 45-CT/TW" in error
    assert "135/2020/NĐ-CP" in error


def test_re_elected_members_need_48_months_left():
    # Born 04/1967: retires 04/2029, 48 months after 04/2025; born 03/1967: 03/2029, 47.
    assert rules.age_error(D(1967, 4, 5), Gender.MALE, Level.BASE, first_time=False, on=AFTER_294) is None
    error = rules.age_error(D(1967, 3, 5), Gender.MALE, Level.BASE, first_time=False, on=AFTER_294)
    assert error and "47 tháng" in error and "tái cử" in error
    # The same man could not join for the first time.
    assert rules.age_error(D(1967, 4, 5), Gender.MALE, Level.BASE, first_time=True, on=AFTER_294)


def test_women_retire_earlier_so_the_limit_is_earlier_too():
    # Born 12/1971: 58 (2029's age) reached in 12/2029, 56 months after 04/2025; born 01/1972:
    # 2029's age is reached only in 2030, whose age is 58y4m, reached in 05/2030 (61 months).
    assert rules.age_error(D(1971, 12, 1), Gender.FEMALE, Level.CELL, first_time=True, on=AFTER_294)
    assert rules.age_error(D(1972, 1, 1), Gender.FEMALE, Level.CELL, first_time=True, on=AFTER_294) is None


def test_no_age_check_without_an_age_reference_in_force():
    # Chỉ thị 45 covers the 2025–2030 congresses; a 2027 cell congress has no reference month.
    assert rules.months_left(D(1960, 1, 1), Gender.MALE, Level.CELL, on=D(2027, 4, 1)) is None
    assert rules.age_error(D(1960, 1, 1), Gender.MALE, Level.CELL, first_time=True, on=D(2027, 4, 1)) is None


def test_at_or_past_retirement_by_the_reference_month_reads_so_not_as_zero_or_negative_months():
    # Born 01/1964: 61 years 3 months (the men's age of 2025) in 04/2025, the cells' reference month.
    assert rules.months_left(D(1964, 1, 5), Gender.MALE, Level.CELL, on=AFTER_294)[0] == 0
    error = rules.age_error(D(1964, 1, 5), Gender.MALE, Level.CELL, first_time=False, on=AFTER_294)
    assert error and "đến tháng mốc 04/2025 đã đến tuổi nghỉ hưu, chưa đủ 48 tháng để tái cử" in error
    # Born 01/1960: retired at 60 in 01/2020, 63 months before the reference month.
    assert rules.months_left(D(1960, 1, 1), Gender.MALE, Level.CELL, on=AFTER_294)[0] == -63
    error = rules.age_error(D(1960, 1, 1), Gender.MALE, Level.CELL, first_time=False, on=AFTER_294)
    assert error and "đến tuổi nghỉ hưu tháng 01/2020" in error
    assert "đến tháng mốc 04/2025 đã quá tuổi nghỉ hưu" in error and "63" not in error
    assert "Chỉ thị 45-CT/TW" in error
