"""The ranking rules at their thresholds, read from dated rule parameters (DOMAIN.md §2)."""

from __future__ import annotations

import datetime

import pytest

from dangvu.core.models import LegalBasis, RuleParameter
from dangvu.evaluations import rules
from dangvu.evaluations.choices import Level

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = datetime.date
Y2026 = D(2026, 12, 31)  # QĐ 366-QĐ/TW, HD 43-HD/BTCTW
Y2024 = D(2024, 12, 31)  # before QĐ 366: levels by criteria, no point scale


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, Level.NOT_COMPLETED),
        (49, Level.NOT_COMPLETED),
        (50, Level.COMPLETED),
        (69, Level.COMPLETED),
        (70, Level.GOOD),
        (89, Level.GOOD),
        (90, Level.EXCELLENT),
        (100, Level.EXCELLENT),
    ],
)
def test_level_for_score_at_the_thresholds_of_qd_366(score, level):
    assert rules.level_for_score(score, on=Y2026) == level


def test_excellent_needs_30_percent_of_tasks_exceeded():
    assert rules.level_for_score(95, on=Y2026, exceeded_share=29) == Level.GOOD
    assert rules.level_for_score(95, on=Y2026, exceeded_share=30) == Level.EXCELLENT


@pytest.mark.parametrize(
    ("level", "score", "allowed"),
    [
        (Level.COMPLETED, 49, False),
        (Level.COMPLETED, 50, True),
        (Level.GOOD, 69, False),
        (Level.GOOD, 70, True),
        (Level.EXCELLENT, 89, False),
        (Level.EXCELLENT, 90, True),
        (Level.NOT_COMPLETED, 100, True),  # a lower level than the score allows is the committee's call
    ],
)
def test_score_level_error_at_the_thresholds(level, score, allowed):
    error = rules.score_level_error(level, score, on=Y2026)

    assert (error is None) == allowed
    if error:
        assert f"{score} điểm không đủ" in error and "366-QĐ/TW" in error


def test_the_message_names_the_band_of_the_level():
    error = rules.score_level_error(Level.GOOD, 69, on=Y2026)
    assert "HTT: từ 70 đến dưới 90 điểm" in error


def test_a_collective_is_excellent_only_with_30_percent_exceeded():
    def check(share):
        return rules.score_level_error(Level.EXCELLENT, 95, on=Y2026, exceeded_share=share, collective=True)

    assert "ít nhất 30%" in check(29)
    assert "ít nhất 30%" in check(None)
    assert check(30) is None


def test_before_qd_366_there_is_no_point_scale():
    assert rules.level_for_score(40, on=Y2024) is None
    assert rules.score_level_error(Level.EXCELLENT, 40, on=Y2024) is None
    assert rules.score_level_error(Level.EXCELLENT, 40, on=Y2026) is not None


def test_the_scale_starts_on_the_day_qd_366_was_signed():
    assert rules.level_for_score(40, on=D(2025, 8, 29)) is None
    assert rules.level_for_score(40, on=D(2025, 8, 30)) == Level.NOT_COMPLETED


def test_a_disciplined_member_must_be_ranked_not_completed():
    assert "phải xếp loại KHT" in rules.disciplined_member_error(Level.COMPLETED, True, on=Y2026)
    assert rules.disciplined_member_error(Level.NOT_COMPLETED, True, on=Y2026) is None
    assert rules.disciplined_member_error(Level.EXCELLENT, False, on=Y2026) is None
    assert rules.disciplined_member_error("", True, on=Y2026) is None  # nothing proposed yet


def test_a_collective_with_a_disciplined_leader_cannot_be_excellent_under_qd_366():
    error = rules.collective_discipline_error(
        Level.EXCELLENT, subordinate_disciplined=False, leadership_disciplined=True, on=Y2026
    )
    assert "có cấp ủy viên bị kỷ luật" in error and "366-QĐ/TW" in error
    both = rules.collective_discipline_error(
        Level.EXCELLENT, subordinate_disciplined=True, leadership_disciplined=True, on=Y2026
    )
    assert "có tổ chức trực thuộc bị kỷ luật và có cấp ủy viên bị kỷ luật" in both
    good = rules.collective_discipline_error(
        Level.GOOD, subordinate_disciplined=True, leadership_disciplined=True, on=Y2026
    )
    assert good is None


def test_the_collective_block_does_not_exist_before_qd_366():
    error = rules.collective_discipline_error(
        Level.EXCELLENT, subordinate_disciplined=True, leadership_disciplined=True, on=Y2024
    )
    assert error is None


@pytest.mark.parametrize(
    ("excellent", "good", "allowed"),
    [
        (1, 5, True),  # 20% of 5 = 1
        (2, 10, True),  # exactly 20%
        (3, 10, False),  # one over
        (2, 9, False),  # 20% of 9 = 1.8: at most 1
        (1, 4, False),  # 20% of 4 = 0.8: none
        (0, 0, True),
    ],
)
def test_the_excellent_cap_is_20_percent_of_good(excellent, good, allowed):
    error = rules.cap_error(excellent, good, on=Y2026)

    assert (error is None) == allowed
    if error:
        assert f"Có {excellent} đảng viên HTXS, vượt mức tối đa {good * 20 // 100}" in error
        assert "43-HD/BTCTW" in error


def test_the_cap_before_hd_43_comes_from_hd_21():
    assert "21-HD/BTCTW" in rules.cap_error(2, 9, on=Y2024)


def switch_cap_off_for(year: int) -> None:
    """What an operator does to suspend the cap for one year: a new, dated parameter row."""
    RuleParameter.objects.create(
        key="evaluation.excellent_cap",
        value={"enabled": False},
        effective_from=D(year, 1, 1),
        effective_to=D(year + 1, 1, 1),
        legal_basis=LegalBasis.objects.get(code="43-HD/BTCTW"),
        description=f"Không áp dụng giới hạn tỷ lệ HTXS trong năm {year}.",
    )


def test_a_parameter_row_switches_the_cap_off_for_one_year_only():
    switch_cap_off_for(2026)

    assert rules.excellent_cap(on=Y2026)[0] is None
    assert rules.cap_error(5, 5, on=Y2026) is None
    assert rules.cap_error(2, 9, on=D(2027, 12, 31)) is not None  # the default is back the year after
    assert rules.cap_error(2, 9, on=D(2025, 12, 31)) is not None


def test_a_parameter_row_can_change_the_cap_percent():
    RuleParameter.objects.create(
        key="evaluation.excellent_cap",
        value={"enabled": True, "percent_of_good": 30},
        effective_from=D(2027, 1, 1),
        legal_basis=LegalBasis.objects.get(code="43-HD/BTCTW"),
    )

    assert rules.cap_error(3, 10, on=D(2027, 12, 31)) is None
    assert rules.cap_error(3, 10, on=Y2026) is not None


def test_probationary_members_are_ranked_by_default():
    assert rules.probationary_ranked(on=Y2026) is True
