"""Progress of a round rolled up province → commune → cell, as of any date, and what is missing.

The province's cell round has three congresses: cell_a and school_cell in commune A, cell_b in
commune B. Due 30/11/2025; today is 15/12/2025.
"""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from dangvu.congresses import selectors, services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import Congress
from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.tests.factories import OrganizationFactory

from .conftest import congress_of, make_member, record, seat
from .factories import CommitteeMembershipFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def two_held(org_tree, people, cell_round, province_staff):
    """cell_a held its congress on 10/9/2025, the school's cell on 20/10/2025; cell_b has not."""
    record(province_staff, congress_of(cell_round, org_tree.cell_a), [seat(people.an, Position.SECRETARY)])
    teacher = make_member(org_tree.school_cell, "Hoàng Thị Giang")
    record(
        province_staff,
        congress_of(cell_round, org_tree.school_cell),
        [seat(teacher, Position.SECRETARY)],
        held_on=D(2025, 10, 20),
    )
    return cell_round


def rows(progress) -> dict[str, tuple[str, bool]]:
    return {r.code: (r.ratio_text, r.drillable) for r in progress.children}


def test_roll_up_from_cells_to_the_province(org_tree, two_held):
    p = selectors.progress(two_held, org_tree.province)
    assert (p.held, p.total, p.ratio_text, p.as_of) == (2, 3, "2/3 (66,67%)", D(2025, 12, 15))
    assert rows(p) == {"T99-AB": ("2/2 (100,00%)", True), "T99-BS": ("0/1 (0,00%)", True)}
    commune = selectors.progress(two_held, org_tree.commune_a)
    assert rows(commune) == {"T99-AB-D": ("1/1 (100,00%)", False), "T99-AB-THPT": ("1/1 (100,00%)", True)}
    assert commune.children[0].kind_label == "Chi bộ trực thuộc"
    cell = selectors.progress(two_held, org_tree.cell_a)
    assert (cell.ratio_text, cell.children) == ("1/1 (100,00%)", [])


def test_one_more_congress_changes_the_commune_and_the_province_at_once(
    org_tree, people, two_held, commune_b_staff
):
    record(commune_b_staff, congress_of(two_held, org_tree.cell_b), [seat(people.hoa, Position.SECRETARY)])
    assert selectors.progress(two_held, org_tree.province).ratio_text == "3/3 (100,00%)"
    assert selectors.progress(two_held, org_tree.commune_b).ratio_text == "1/1 (100,00%)"


def test_progress_as_of_a_past_date(org_tree, two_held):
    def ratio(on):
        return selectors.progress(two_held, org_tree.province, as_of=on).ratio_text

    assert ratio(D(2025, 9, 9)) == "0/3 (0,00%)"
    assert ratio(D(2025, 9, 10)) == "1/3 (33,33%)"
    assert ratio(D(2025, 10, 19)) == "1/3 (33,33%)"
    assert ratio(D(2025, 10, 20)) == "2/3 (66,67%)"


def test_overdue_after_the_deadline(org_tree, two_held):
    assert selectors.progress(two_held, org_tree.province, as_of=D(2025, 11, 30)).overdue == 0
    p = selectors.progress(two_held, org_tree.province, as_of=D(2025, 12, 1))
    assert p.overdue == 1
    assert {r.code: r.overdue for r in p.children} == {"T99-AB": 0, "T99-BS": 1}
    late = selectors.missing(two_held, org_tree.province, as_of=D(2025, 12, 1))
    assert [(c.organization.code, c.overdue) for c in late] == [("T99-BS-1", True)]
    before = selectors.missing(two_held, org_tree.province, as_of=D(2025, 10, 1))
    assert [(c.organization.code, c.overdue) for c in before] == [
        ("T99-AB-THPT-GV", False),
        ("T99-BS-1", False),
    ]


def test_planned_congresses_are_counted_until_held(org_tree, two_held, commune_b_staff):
    services.congress_plan(
        actor=commune_b_staff, congress=congress_of(two_held, org_tree.cell_b), planned_on=D(2025, 12, 20)
    )
    p = selectors.progress(two_held, org_tree.province)
    assert p.planned == 1
    assert selectors.missing(two_held, org_tree.commune_b)[0].planned_on == D(2025, 12, 20)


def test_an_excluded_cell_leaves_the_total_from_its_dissolution(org_tree, two_held, commune_b_staff):
    services.congress_exclude(
        actor=commune_b_staff, congress=congress_of(two_held, org_tree.cell_b), reason="Giải thể, sáp nhập"
    )
    Organization.objects.filter(pk=org_tree.cell_b.pk).update(dissolved_on=D(2025, 12, 1))
    assert selectors.progress(two_held, org_tree.province).ratio_text == "2/2 (100,00%)"
    # Before it was dissolved it still counted.
    assert selectors.progress(two_held, org_tree.province, as_of=D(2025, 11, 1)).ratio_text == "2/3 (66,67%)"
    assert selectors.missing(two_held, org_tree.province) == []


def test_an_excluded_cell_that_was_not_dissolved_never_counts(org_tree, two_held, commune_b_staff):
    services.congress_exclude(
        actor=commune_b_staff, congress=congress_of(two_held, org_tree.cell_b), reason="Sinh hoạt ghép"
    )
    for on in (D(2025, 11, 1), D(2025, 12, 15)):
        assert selectors.progress(two_held, org_tree.province, as_of=on).ratio_text == "2/2 (100,00%)"


def test_a_cell_founded_later_counts_from_its_founding(org_tree, two_held, province_staff):
    OrganizationFactory(
        parent=org_tree.commune_b,
        name="Chi bộ khu phố 3",
        code="T99-BS-3",
        kind=Kind.CELL,
        founded_on=D(2025, 11, 1),
    )
    services.round_sync(actor=province_staff, round=two_held)
    assert selectors.progress(two_held, org_tree.province, as_of=D(2025, 10, 31)).total == 3
    assert selectors.progress(two_held, org_tree.province).ratio_text == "2/4 (50,00%)"


def test_an_empty_subtree_shows_no_ratio(org_tree, cell_round):
    assert selectors.progress(cell_round, org_tree.group_a).ratio_text == "0/0 (—)"


def test_a_base_round_counts_the_organization_itself(org_tree, province_staff, today):
    rnd = services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.BASE,
        term_start_year=2025,
        term_end_year=2030,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 9, 30),
    )
    services.round_open(actor=province_staff, round=rnd)
    Congress.objects.filter(round=rnd, organization=org_tree.school).update(held_on=D(2025, 9, 1))
    p = selectors.progress(rnd, org_tree.school)
    assert (p.ratio_text, p.children) == ("1/1 (100,00%)", [])
    assert rows(selectors.progress(rnd, org_tree.commune_a)) == {"T99-AB-THPT": ("1/1 (100,00%)", False)}


def test_progress_queries_do_not_grow_with_the_tree(
    org_tree, two_held, province_staff, django_assert_max_num_queries
):
    for i in range(5):
        OrganizationFactory(
            parent=org_tree.commune_b, name=f"Chi bộ {i}", code=f"T99-BS-X{i}", kind=Kind.CELL
        )
    assert services.round_sync(actor=province_staff, round=two_held) == 5
    with django_assert_max_num_queries(2):  # the GROUP BY, the children
        selectors.progress(two_held, org_tree.province)


# --- Scope ------------------------------------------------------------------------------------


def test_rounds_for_an_organization(org_tree, cell_round, commune_a_staff, commune_b_staff, outsider, today):
    commune_round = services.round_create(
        actor=commune_a_staff,
        organization=org_tree.commune_a,
        level=Level.CELL,
        term_start_year=2026,
        term_end_year=2028,
        starts_on=D(2026, 1, 1),
        deadline=D(2026, 6, 30),
    )
    assert set(selectors.rounds_for(commune_a_staff, org_tree.cell_a)) == {cell_round, commune_round}
    assert set(selectors.rounds_for(commune_b_staff, org_tree.commune_b)) == {cell_round}
    assert not selectors.rounds_for(outsider, org_tree.province).exists()
    with pytest.raises(Http404):
        selectors.round_get(user=commune_b_staff, pk=commune_round.pk)
    with pytest.raises(Http404):
        selectors.round_get(user=outsider, pk=cell_round.pk)


def test_a_congress_out_of_scope_is_not_found(org_tree, cell_round, cell_secretary, commune_b_staff):
    mine = congress_of(cell_round, org_tree.cell_a)
    assert selectors.congress_get(user=cell_secretary, pk=mine.pk) == mine
    with pytest.raises(Http404):
        selectors.congress_get(user=commune_b_staff, pk=mine.pk)
    with pytest.raises(Http404):
        selectors.congress_get(user=cell_secretary, pk=congress_of(cell_round, org_tree.cell_b).pk)


def test_current_committee_in_order(org_tree, people, today):
    cell = org_tree.cell_a
    CommitteeMembershipFactory(organization=cell, member=people.chi)
    CommitteeMembershipFactory(organization=cell, member=people.an)
    CommitteeMembershipFactory(organization=cell, member=people.binh, position=Position.DEPUTY)
    CommitteeMembershipFactory(organization=cell, member=people.hai, position=Position.SECRETARY)
    CommitteeMembershipFactory(organization=cell, member=people.dung, ended_on=D(2025, 9, 10))
    committee = selectors.current_committee(cell)
    assert [m.member.full_name for m in committee] == [
        "Đỗ Văn Hải",
        "Trần Thị Bình",
        "Nguyễn Văn An",  # An before Chi: Vietnamese order by given name
        "Lê Văn Chi",
    ]
    assert len(selectors.current_committee(cell, on=D(2025, 9, 9))) == 5
