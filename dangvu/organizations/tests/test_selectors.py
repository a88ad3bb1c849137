"""Reads of the tree: scoping per persona, counts, search, and the tree as of a past date."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404

from dangvu.organizations import selectors, services
from dangvu.organizations.models import Kind, Organization

pytestmark = pytest.mark.django_db


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_province_staff_sees_the_whole_province_but_not_the_centre(org_tree, province_staff):
    seen = codes(Organization.objects.visible_to(province_staff))
    assert "TW" not in seen
    assert {"T99", "T99-AB", "T99-AB-D-1", "T99-BS-1"} <= seen


def test_commune_staff_sees_only_their_commune(org_tree, commune_a_staff):
    assert codes(Organization.objects.visible_to(commune_a_staff)) == {
        "T99-AB",
        "T99-AB-D",
        "T99-AB-D-1",
        "T99-AB-THPT",
        "T99-AB-THPT-GV",
    }
    with pytest.raises(Http404):
        selectors.organization_get(user=commune_a_staff, pk=org_tree.commune_b.pk)
    with pytest.raises(Http404):
        selectors.organization_list(user=commune_a_staff, parent=org_tree.commune_b.pk)


def test_member_sees_only_their_own_cell(org_tree, member):
    assert codes(Organization.objects.visible_to(member)) == {"T99-AB-D"}


def test_outsider_and_anonymous_see_nothing(org_tree, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(outsider).exists()
    assert not Organization.objects.visible_to(AnonymousUser()).exists()
    with pytest.raises(Http404):
        selectors.organization_get(user=outsider, pk=org_tree.cell_a.pk)


def test_revoked_role_gives_no_access(org_tree, commune_a_staff):
    role = commune_a_staff.org_roles.get()
    role.revoked_on = datetime.date(2024, 1, 1)
    role.save()
    fresh = type(commune_a_staff).objects.get(pk=commune_a_staff.pk)
    assert not Organization.objects.visible_to(fresh).exists()


def test_system_admin_sees_everything(org_tree, system_admin):
    assert Organization.objects.visible_to(system_admin).count() == Organization.objects.count()


def test_scope_is_computed_once_per_request(org_tree, province_staff, django_assert_num_queries):
    with django_assert_num_queries(2):  # roles once, then one query per queryset
        list(Organization.objects.visible_to(province_staff))
    with django_assert_num_queries(1):
        list(Organization.objects.visible_to(province_staff))


def test_scope_roots_and_breadcrumbs_stop_at_the_scope(org_tree, commune_a_staff):
    assert selectors.scope_roots(user=commune_a_staff) == [org_tree.commune_a]
    crumbs = selectors.breadcrumbs(user=commune_a_staff, org=org_tree.group_a)
    assert crumbs == [org_tree.commune_a, org_tree.cell_a]


def test_search_ignores_diacritics_and_case(org_tree, province_staff):
    found = selectors.organization_list(user=province_staff, q="dang bo xa an binh")
    assert list(found) == [org_tree.commune_a]
    assert list(selectors.organization_list(user=province_staff, q="CHI BỘ KHU PHỐ")) == [org_tree.cell_b]
    assert list(selectors.organization_list(user=province_staff, q="t99-bs-1")) == [org_tree.cell_b]


def test_search_is_scoped(org_tree, commune_b_staff):
    assert not selectors.organization_list(user=commune_b_staff, q="an binh").exists()


def test_children_with_counts(org_tree, province_staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        children = selectors.children_with_counts(user=province_staff, org=org_tree.province)
    by_code = {c.code: c for c in children}
    assert by_code["T99-AB"].descendant_counts == {
        Kind.CELL: 2,
        Kind.PARTY_GROUP: 1,
        Kind.BASE_COMMITTEE: 1,
    }
    assert by_code["T99-AB"].descendant_total == 4
    assert by_code["T99-BS"].descendant_counts == {Kind.CELL: 1}


def test_dissolved_organizations_are_hidden_by_default(org_tree, province_staff):
    services.organization_dissolve(actor=province_staff, org=org_tree.group_a, reason="Sáp nhập")
    assert not selectors.organization_list(user=province_staff, parent=org_tree.cell_a.pk).exists()
    assert selectors.organization_list(
        user=province_staff, parent=org_tree.cell_a.pk, include_dissolved=True
    ).exists()
    assert selectors.subtree_kind_counts(org=org_tree.cell_a) == {}


def test_parent_map_as_of_rebuilds_the_tree_before_a_move(org_tree, province_staff):
    services.organization_move(
        actor=province_staff,
        org=org_tree.cell_a,
        new_parent=org_tree.commune_b,
        effective_on=datetime.date(2026, 3, 1),
        reason="Sáp nhập thôn",
    )
    before = selectors.parent_map_as_of(on=datetime.date(2026, 2, 28))
    after = selectors.parent_map_as_of(on=datetime.date(2026, 3, 1))
    assert before[org_tree.cell_a.pk] == org_tree.commune_a.pk
    assert after[org_tree.cell_a.pk] == org_tree.commune_b.pk
    # Not yet founded: absent.
    assert org_tree.commune_a.pk not in selectors.parent_map_as_of(on=datetime.date(2025, 6, 30))
