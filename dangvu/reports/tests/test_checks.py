"""Reconciliation: total == own + children for every indicator at every date, counters equal the
history today, the period identity holds; a corrupted counter is reported with its numbers."""

from __future__ import annotations

import pytest
import time_machine

from dangvu.members import services
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Kind
from dangvu.reports import checks, figures, statistics, tallies
from dangvu.reports.models import Tally

from .test_figures import NOW, TODAY, D, admit, build_history, transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org_tree, province_staff):
    """The history of test_figures, on 15/06/2026."""
    with time_machine.travel(NOW, tick=False):
        yield build_history(org_tree, province_staff)


@pytest.fixture
def settled(history):
    """The history as the services left it: the counters need no recount."""
    return history


@pytest.mark.parametrize("on", [D(2025, 12, 31), D(2026, 3, 1), TODAY])
def test_history_reconciles_at_every_date(history, org_tree, province_staff, on):
    transfer(province_staff, province_staff, history.a1, org_tree.cell_b, on=D(2026, 4, 2))

    assert checks.check_statistics(org_tree.central, on) == []


def test_sum_of_children_plus_own_equals_the_total_for_every_indicator(history, org_tree):
    tree = figures.tree_as_of(org_tree.province, D(2026, 3, 1))
    own, total = figures.counts_as_of(tree)

    for org_id in tree.ids():
        summed = own[org_id].copy()
        for child in tree.children(org_id):
            summed.update(total[child])
        assert +summed == +total[org_id]
    assert total[org_tree.province.pk]["all"] == 7


def test_a_corrupted_counter_is_reported_with_both_numbers(settled, org_tree):
    Tally.objects.filter(organization=org_tree.commune_b, key="all").update(total=99)

    found = checks.check_statistics(org_tree.province)

    on_commune_b = {(d.check, d.key, d.left, d.right) for d in found if d.code == "T99-BS"}
    assert (checks.HISTORY, "all", 99, 2) in on_commune_b
    assert (checks.ROLLUP, "all", 99, 2) in on_commune_b  # own 0 + cell 2
    assert any(d.code == "T99" and d.key == "all" and d.check == checks.ROLLUP for d in found)
    assert "T99-BS «Đảng bộ phường Bắc Sơn» — all: tổng (bộ đếm) 99 ≠" in "\n".join(map(str, found))


def test_an_own_counter_that_disagrees_with_the_members_table_is_reported(settled, org_tree):
    Tally.objects.filter(organization=org_tree.cell_a, key="g:male").update(own=1)

    found = [d for d in checks.check_statistics(org_tree.commune_a) if d.check == checks.OWN]

    assert [(d.code, d.key, d.left, d.right) for d in found] == [("T99-AB-D", "g:male", 1, 3)]


def test_past_dates_do_not_read_the_counters(history, org_tree):
    Tally.objects.filter(organization=org_tree.commune_b, key="all").update(total=99)

    assert checks.check_statistics(org_tree.province, D(2026, 3, 1)) == []


def test_period_identity_holds_for_the_year_to_date(history, org_tree, province_staff):
    services.member_exit(
        actor=province_staff, member=history.b2, kind="left", effective_on=D(2026, 4, 1), reason="Xin ra"
    )
    tallies.rebuild()

    assert [d for d in checks.check_statistics(org_tree.province) if d.check == checks.PERIOD] == []
    p = statistics.period(org_tree.province, D(2026, 1, 1), TODAY)
    assert (p["opening"], p["increase"]["admitted"], p["decrease"]["left"], p["closing"]) == (6, 1, 1, 6)


def test_difference_reads_as_a_sentence():
    d = checks.Difference(
        checks.ROLLUP, 1, "T99", "Đảng bộ tỉnh", "all", "tổng", 1352, "riêng + trực thuộc", 1351
    )
    assert str(d) == "T99 «Đảng bộ tỉnh» — all: tổng 1.352 ≠ riêng + trực thuộc 1.351"


def test_today_is_the_default_date(settled, org_tree):
    assert (
        checks.check_statistics(org_tree.province) == checks.check_statistics(org_tree.province, TODAY) == []
    )


def test_admissions_of_a_dissolved_cell_stay_in_the_year(org_tree, province_staff):
    with time_machine.travel(NOW, tick=False):
        tallies.rebuild()
        s = province_staff
        cell = org_services.organization_create(
            actor=s, parent=org_tree.commune_b, code="T99-BS-9", name="Chi bộ 9", kind=Kind.CELL,
            founded_on=D(2025, 8, 1),
        )  # fmt: skip
        newcomer = admit(s, cell, "Người Mới", D(2026, 2, 10))
        transfer(s, s, newcomer, org_tree.cell_b, on=D(2026, 5, 1))
        org_services.organization_dissolve(actor=s, org=cell, reason="Sáp nhập", effective_on=D(2026, 5, 2))
        tallies.rebuild()

        after = statistics.snapshot(org_tree.province, D(2026, 5, 10)).figures["admissions_per_year"]
        assert after[-1] == {"year": 2026, "admitted": 1}
        assert checks.check_statistics(org_tree.province) == []
