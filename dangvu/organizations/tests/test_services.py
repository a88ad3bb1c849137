"""The tree's write paths: structure rules by date, rights, history and events."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.organizations import services
from dangvu.organizations.models import Kind, Organization, OrganizationEvent

pytestmark = pytest.mark.django_db
JULY_2025 = datetime.date(2025, 7, 1)


def create(actor, parent, **kw):
    defaults = {
        "code": "NEW-1",
        "name": "Chi bộ thôn Mới",
        "kind": Kind.CELL,
        "founded_on": datetime.date(2026, 1, 5),
    }
    defaults.update(kw)
    return services.organization_create(actor=actor, parent=parent, **defaults)


def test_create_records_history_and_created_event(org_tree, commune_a_staff):
    org = create(commune_a_staff, org_tree.commune_a, decision_ref="12-QĐ/ĐU", reason="Chia tách chi bộ")

    assert Organization.objects.get_parent(org) == org_tree.commune_a
    event = org.events.get()
    assert (event.kind, event.effective_on, event.decision_ref) == (
        "created",
        datetime.date(2026, 1, 5),
        "12-QĐ/ĐU",
    )
    assert event.new_parent == org_tree.commune_a and event.actor == commune_a_staff
    record = org.history.get()
    assert record.history_user == commune_a_staff and record.history_change_reason == "Chia tách chi bộ"


def test_create_normalizes_text_and_builds_search_key(org_tree, commune_a_staff):
    decomposed = "Chi bo\u0302\u0323 tho\u0302n  \u0110a\u0300i"  # NFD input with a double space
    org = create(commune_a_staff, org_tree.commune_a, name=decomposed, code=" new-2 ")
    assert org.name == "Chi bộ thôn Đài"
    assert org.code == "NEW-2"
    assert org.search_key == "chi bo thon dai new-2"


@pytest.mark.parametrize(
    ("parent_attr", "kind"),
    [
        ("cell_a", Kind.BASE_COMMITTEE),  # a cell cannot contain a committee
        ("commune_a", Kind.PARTY_GROUP),  # a party group only sits in a cell
        ("cell_a", Kind.CELL),  # no cells under a cell
        ("group_a", Kind.PARTY_GROUP),  # nothing under a party group
        ("province", Kind.DISTRICT),  # no district level after 01/7/2025
    ],
)
def test_structure_violations_name_the_regulation(org_tree, province_staff, parent_attr, kind):
    with pytest.raises(ValidationError) as exc:
        create(province_staff, getattr(org_tree, parent_attr), kind=kind)
    message = exc.value.message_dict["kind"][0]
    assert "294-QĐ/TW" in message
    assert not Organization.objects.filter(code="NEW-1").exists()
    assert not OrganizationEvent.objects.filter(organization__code="NEW-1").exists()


def test_district_level_is_allowed_for_dates_before_july_2025(org_tree, province_staff):
    district = create(
        province_staff,
        org_tree.province,
        kind=Kind.DISTRICT,
        code="H01",
        name="Đảng bộ huyện Cũ",
        founded_on=datetime.date(2010, 5, 1),
    )
    assert district.kind == Kind.DISTRICT
    with pytest.raises(ValidationError) as exc:
        create(province_staff, org_tree.province, kind=Kind.DISTRICT, code="H02", founded_on=JULY_2025)
    assert "294-QĐ/TW" in exc.value.message_dict["kind"][0]


def test_a_base_cell_has_no_cells_but_may_have_party_groups(org_tree, province_staff):
    base_cell = create(
        province_staff, org_tree.commune_a, kind=Kind.BASE_CELL, code="BC1", name="Chi bộ Trạm y tế"
    )
    with pytest.raises(ValidationError):
        create(province_staff, base_cell, kind=Kind.CELL, code="BC1-1")
    group = create(province_staff, base_cell, kind=Kind.PARTY_GROUP, code="BC1-T1", name="Tổ đảng 1")
    assert Organization.objects.get_parent(group) == base_cell


def test_duplicate_code_is_refused_in_vietnamese(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        create(province_staff, org_tree.commune_a, code="T99-BS-1")
    assert "đã được dùng" in exc.value.message_dict["code"][0]


def test_unknown_administrative_unit_is_refused(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        create(province_staff, org_tree.province, kind=Kind.COMMUNE, code="X1", admin_unit_code="99999")
    assert "admin_unit_code" in exc.value.message_dict


def test_base_type_only_on_base_organizations(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        create(province_staff, org_tree.commune_a, kind=Kind.CELL, base_type="police")
    assert "base_type" in exc.value.message_dict


def test_staff_cannot_create_outside_their_subtree(org_tree, commune_a_staff, province_leader, outsider):
    for actor in (commune_a_staff, province_leader, outsider):
        with pytest.raises(PermissionDenied):
            create(actor, org_tree.commune_b)
    assert not Organization.objects.filter(code="NEW-1").exists()


def test_only_system_admin_creates_roots(org_tree, province_staff, system_admin):
    with pytest.raises(PermissionDenied):
        create(province_staff, None, kind=Kind.PROVINCE, code="T98")
    root = create(system_admin, None, kind=Kind.CENTRAL, code="TW2", name="Gốc thử")
    assert root.is_root()


def test_move_writes_event_and_moves_the_subtree(org_tree, province_staff):
    moved = services.organization_move(
        actor=province_staff,
        org=org_tree.cell_a,
        new_parent=org_tree.commune_b,
        effective_on=datetime.date(2026, 3, 1),
        decision_ref="45-QĐ/TU",
        reason="Sáp nhập thôn",
    )
    assert Organization.objects.get_parent(moved) == org_tree.commune_b
    group = Organization.objects.get(pk=org_tree.group_a.pk)
    assert group.path.startswith(moved.path)
    event = moved.events.get(kind="moved")
    assert (event.old_parent, event.new_parent) == (org_tree.commune_a, org_tree.commune_b)
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_move_into_own_subtree_or_same_parent_is_refused(org_tree, province_staff):
    with pytest.raises(ValidationError):
        services.organization_move(actor=province_staff, org=org_tree.commune_a, new_parent=org_tree.school)
    with pytest.raises(ValidationError):
        services.organization_move(actor=province_staff, org=org_tree.cell_a, new_parent=org_tree.commune_a)


def test_move_checks_structure_rule(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        services.organization_move(actor=province_staff, org=org_tree.group_a, new_parent=org_tree.commune_b)
    assert "294-QĐ/TW" in exc.value.message_dict["kind"][0]


def test_move_to_a_parent_outside_scope_is_refused(org_tree, commune_a_staff):
    with pytest.raises(PermissionDenied):
        services.organization_move(actor=commune_a_staff, org=org_tree.cell_a, new_parent=org_tree.commune_b)
    assert (
        Organization.objects.get_parent(Organization.objects.get(pk=org_tree.cell_a.pk)) == org_tree.commune_a
    )


def test_rename_is_a_dated_event_with_the_old_name(org_tree, commune_a_staff):
    services.organization_update(
        actor=commune_a_staff,
        org=org_tree.cell_a,
        name="Chi bộ thôn Đông Hải",
        effective_on=datetime.date(2026, 2, 1),
        reason="Đổi tên thôn",
    )
    event = OrganizationEvent.objects.get(organization=org_tree.cell_a, kind="renamed")
    assert (event.old_name, event.new_name) == ("Chi bộ thôn Đông", "Chi bộ thôn Đông Hải")
    assert Organization.objects.get(pk=org_tree.cell_a.pk).search_key.startswith("chi bo thon dong hai")


def test_dissolve_needs_children_gone_and_a_reason(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        services.organization_dissolve(actor=province_staff, org=org_tree.cell_a, reason="Giải thể")
    assert "còn 1 tổ chức trực thuộc" in exc.value.message_dict["organization"][0]
    with pytest.raises(ValidationError):
        services.organization_dissolve(actor=province_staff, org=org_tree.group_a, reason=" ")
    group = services.organization_dissolve(
        actor=province_staff,
        org=org_tree.group_a,
        effective_on=datetime.date(2026, 4, 1),
        reason="Sáp nhập tổ",
    )
    assert group.dissolved_on == datetime.date(2026, 4, 1)
    assert Organization.objects.filter(pk=group.pk).exists()  # never hard-deleted
    services.organization_dissolve(actor=province_staff, org=org_tree.cell_a, reason="Sáp nhập chi bộ")
    with pytest.raises(ValidationError):
        create(province_staff, Organization.objects.get(pk=org_tree.cell_a.pk), kind=Kind.PARTY_GROUP)


def test_a_date_before_any_structure_rule_is_a_form_error_not_a_crash(org_tree, system_admin):
    with pytest.raises(ValidationError) as exc:
        create(system_admin, None, kind=Kind.CENTRAL, code="X9", founded_on=datetime.date(1900, 1, 1))
    assert "Không có quy định" in exc.value.message_dict["founded_on"][0]


def test_move_cannot_take_effect_before_the_new_parent_existed(org_tree, province_staff):
    with pytest.raises(ValidationError) as exc:
        services.organization_move(
            actor=province_staff,
            org=org_tree.cell_a,
            new_parent=org_tree.commune_b,
            effective_on=datetime.date(2025, 6, 15),
            reason="Sáp nhập",
        )
    assert "trước ngày thành lập" in exc.value.message_dict["effective_on"][0]
