"""The admission rules at their limits: sponsors (12 months together, official members), the 2/3
cell vote, and the working-day deadlines across the lunar New Year."""

from __future__ import annotations

import datetime

import pytest

from dangvu.admissions import rules
from dangvu.core.workdays import working_days_between

from .conftest import enter

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture
def official(org_tree, system_admin):
    """Official since 19/05/2011 (ceremony 19/05/2010)."""
    return enter(system_admin, org_tree.cell_a, "Nguyễn Văn Sơn")


@pytest.fixture
def probationary(org_tree, system_admin):
    """Ceremony 01/03/2026: probationary until 01/03/2027."""
    return enter(system_admin, org_tree.cell_a, "Đỗ Thị Mới", ceremony=D(2026, 3, 1))


def test_sponsor_with_twelve_months_together_is_accepted(official):
    assert (
        rules.sponsor_error(official, D(2025, 3, 2), on=D(2026, 3, 2), which="Người giới thiệu thứ nhất")
        is None
    )


def test_sponsor_a_day_short_of_twelve_months_is_refused_naming_the_rule(official):
    error = rules.sponsor_error(official, D(2025, 3, 3), on=D(2026, 3, 2), which="Người giới thiệu thứ nhất")
    assert error is not None
    assert "Nguyễn Văn Sơn" in error and "chưa đủ 12 tháng" in error
    assert "03/03/2026" in error  # the first day it would be enough
    assert "Điều 4" in error


def test_probationary_sponsor_is_refused(probationary):
    error = rules.sponsor_error(
        probationary, D(2024, 1, 1), on=D(2026, 6, 1), which="Người giới thiệu thứ hai"
    )
    assert error is not None and "đảng viên chính thức" in error and "Đỗ Thị Mới" in error


def test_sponsor_must_be_official_on_the_day_not_today(official):
    # Official from 19/05/2011 (ceremony + 12 months): the day before they were still probationary.
    assert rules.sponsor_error(official, D(2010, 1, 1), on=D(2011, 5, 19), which="Người giới thiệu") is None
    assert rules.sponsor_error(official, D(2010, 1, 1), on=D(2011, 5, 18), which="Người giới thiệu")


def test_sponsor_without_a_date_together_is_refused(official):
    error = rules.sponsor_error(official, None, on=D(2026, 3, 2), which="Người giới thiệu thứ nhất")
    assert error and "ngày bắt đầu" in error


def test_youth_union_resolution_may_replace_a_sponsor(db):
    assert rules.youth_union_replaces_sponsor(on=D(2026, 3, 2)) is True


@pytest.mark.parametrize(
    ("votes_for", "members", "passes"),
    [(6, 9, True), (5, 9, False), (2, 3, True), (1, 3, False), (7, 10, True), (6, 10, False), (9, 9, True)],
)
def test_two_thirds_of_the_official_members(db, votes_for, members, passes):
    error = rules.cell_vote_error(votes_for, members, on=D(2026, 5, 5))
    assert (error is None) is passes
    if error:
        assert "2/3" in error and "294-QĐ/TW" in error


def test_the_vote_rule_of_the_day_is_cited(db):
    error = rules.cell_vote_error(5, 9, on=D(2024, 5, 5))
    assert error and "24-QĐ/TW" in error and "cần ít nhất 6" in error


def test_decision_due_counts_sixty_working_days_across_tet(db):
    # Cell resolution 20/01/2026; Tết 16–20/02/2026 and Giỗ Tổ (27/4 is after the deadline) are off.
    due = rules.decision_due(D(2026, 1, 20))
    assert due == D(2026, 4, 21)
    assert working_days_between(D(2026, 1, 20), due) == 60
    # Without the five days of Tết it would have been a week earlier.
    assert due > D(2026, 1, 20) + datetime.timedelta(weeks=12)


def test_decision_due_skips_the_april_and_may_holidays(db):
    # 60 working days from 02/03/2026 run over 27/4, 30/4 and 1/5.
    due = rules.decision_due(D(2026, 3, 2))
    assert working_days_between(D(2026, 3, 2), due) == 60
    assert due == D(2026, 5, 28)


def test_ceremony_due_is_thirty_working_days_after_receipt(db):
    assert rules.ceremony_due(D(2026, 6, 18)) == D(2026, 7, 30)
    # Received before Tết 2027 (04–10/02): the holidays push it back.
    assert rules.ceremony_due(D(2027, 1, 28)) == D(2027, 3, 18)


def test_decision_late_is_the_day_after_the_deadline(db):
    due = rules.decision_due(D(2026, 1, 20))
    assert not rules.decision_late(D(2026, 1, 20), due)
    assert rules.decision_late(D(2026, 1, 20), due + datetime.timedelta(days=1))
