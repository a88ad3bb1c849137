"""Reads: scope per persona, search without diacritics, Vietnamese name order, query budgets."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from dangvu.members import selectors, services
from dangvu.members.choices import Status

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(org_tree, member):
    own = MemberFactory(organization=org_tree.cell_a, full_name="Nguyễn Văn An", user=member)
    return {
        "an": own,
        "binh": MemberFactory(
            organization=org_tree.cell_a, full_name="Trần Thị Bình", citizen_id="001085012345"
        ),
        "cuong": MemberFactory(
            organization=org_tree.school_cell, full_name="Lê Văn Cường", card_number="12345678"
        ),
        "dung": MemberFactory(organization=org_tree.cell_b, full_name="Phạm Thị Dung"),
    }


def names(qs):
    return [m.full_name for m in qs]


def test_outsider_sees_nothing(people, outsider):
    assert names(selectors.member_list(user=outsider)) == []
    with pytest.raises(Http404):
        selectors.member_get(user=outsider, pk=people["an"].pk)


def test_commune_staff_sees_only_their_subtree(people, commune_a_staff, commune_b_staff):
    assert set(names(selectors.member_list(user=commune_a_staff))) == {
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    }
    assert names(selectors.member_list(user=commune_b_staff)) == ["Phạm Thị Dung"]
    with pytest.raises(Http404):
        selectors.member_get(user=commune_b_staff, pk=people["an"].pk)


def test_member_role_sees_only_their_own_record(people, member):
    assert names(selectors.member_list(user=member)) == ["Nguyễn Văn An"]
    assert selectors.member_get(user=member, pk=people["an"].pk) == people["an"]
    with pytest.raises(Http404):
        selectors.member_get(user=member, pk=people["binh"].pk)


def test_organization_filter_includes_the_subtree(people, org_tree, province_staff):
    got = selectors.member_list(user=province_staff, organization=org_tree.commune_a.pk)
    assert set(names(got)) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"}
    assert names(selectors.member_list(user=province_staff, organization=org_tree.school.pk)) == [
        "Lê Văn Cường"
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("NGUYEN AN", ["Nguyễn Văn An"]),
        ("Cường", ["Lê Văn Cường"]),
        ("thi", ["Trần Thị Bình", "Phạm Thị Dung"]),
        ("001085012345", ["Trần Thị Bình"]),
        ("12345678", ["Lê Văn Cường"]),
        ("khong co ai", []),
    ],
)
def test_search_without_diacritics_or_by_number(people, province_staff, q, expected):
    assert names(selectors.member_list(user=province_staff, q=q)) == expected


def test_vietnamese_name_order_is_given_name_family_middle(org_tree, province_staff):
    for name in ["Trần Văn Ân", "Nguyễn Thị Bình", "Lê An", "Đỗ Văn An", "Dương Văn An", "Nguyễn Văn Ấn"]:
        MemberFactory(organization=org_tree.cell_a, full_name=name)

    assert names(selectors.member_list(user=province_staff)) == [
        "Dương Văn An",  # given names first: An < Ân < Ấn < Bình; then family: Dương < Đỗ < Lê
        "Đỗ Văn An",
        "Lê An",
        "Trần Văn Ân",
        "Nguyễn Văn Ấn",
        "Nguyễn Thị Bình",
    ]


def test_inactive_members_only_when_asked(people, commune_a_staff):
    services.member_exit(
        actor=commune_a_staff,
        member=people["binh"],
        kind="deceased",
        effective_on=D(2026, 1, 5),
        reason="Từ trần",
    )

    assert "Trần Thị Bình" not in names(selectors.member_list(user=commune_a_staff))
    assert "Trần Thị Bình" in names(selectors.member_list(user=commune_a_staff, include_inactive=True))
    assert names(selectors.member_list(user=commune_a_staff, status=Status.DECEASED)) == ["Trần Thị Bình"]


def test_filters_by_gender_age_band_and_admission_year(org_tree, province_staff):
    MemberFactory(organization=org_tree.cell_a, full_name="Bà Già", gender="female", birth_date=D(1940, 1, 1))
    MemberFactory(
        organization=org_tree.cell_a,
        full_name="Anh Trẻ",
        birth_date=D(2001, 1, 1),
        admission_decision_date=D(2022, 3, 1),
        ceremony_date=D(2022, 3, 10),
    )

    assert names(selectors.member_list(user=province_staff, gender="female")) == ["Bà Già"]
    assert names(selectors.member_list(user=province_staff, age_band="61-")) == ["Bà Già"]
    assert names(selectors.member_list(user=province_staff, age_band="-30")) == ["Anh Trẻ"]
    assert names(selectors.member_list(user=province_staff, admission_year=2022)) == ["Anh Trẻ"]


def test_member_list_query_budget_does_not_grow_with_rows(org_tree, province_staff):
    def count_queries():
        user = type(province_staff).objects.get(pk=province_staff.pk)  # fresh: no cached scope
        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.member_list(user=user, q="nguyen"))
            for m in rows:
                _ = m.organization.name
        return len(ctx.captured_queries), len(rows)

    for i in range(3):
        MemberFactory(organization=org_tree.cell_a, full_name=f"Nguyễn Văn Số {i}")
    few, n_few = count_queries()
    for i in range(20):
        MemberFactory(organization=org_tree.cell_b, full_name=f"Nguyễn Thị Số {i}")
    many, n_many = count_queries()

    assert (n_few, n_many) == (3, 23)
    assert few == many <= 4  # scope, role and incoming transfers, the page


def test_badge_candidates_at_an_occasion(org_tree, commune_a_staff):
    veteran = MemberFactory(
        organization=org_tree.cell_a,
        full_name="Hoàng Văn Lão",
        admission_decision_date=D(1996, 5, 9),
        ceremony_date=D(1996, 5, 19),
    )
    MemberFactory(organization=org_tree.cell_a, full_name="Người Mới")
    MemberFactory(
        organization=org_tree.cell_b,
        full_name="Ngoài Phạm Vi",
        admission_decision_date=D(1986, 5, 9),
        ceremony_date=D(1986, 5, 19),
    )

    got = selectors.badge_candidates(
        user=commune_a_staff, organization=org_tree.commune_a, occasion=D(2026, 5, 19)
    )

    assert [(m.full_name, m.badge_years) for m in got] == [("Hoàng Văn Lão", 30)]
    assert got[0].party_age == (30, 0)
    assert got[0] == veteran
