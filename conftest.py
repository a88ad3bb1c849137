"""Shared fixtures: a small party tree and the personas every scoping test uses.

Tree (2025 structure):
    Trung ương (central)
    └── Tỉnh Thử Nghiệm (province)                       ← province_staff, province_leader
        ├── Đảng bộ xã An Bình (commune A)                ← commune_a_staff
        │   ├── Chi bộ thôn Đông (cell)                   ← cell_secretary, member
        │   │   └── Tổ đảng số 1 (party group)
        │   └── Đảng bộ Trường THPT An Bình (base committee)
        │       └── Chi bộ giáo viên (cell)
        └── Đảng bộ phường Bắc Sơn (commune B)            ← commune_b_staff
            └── Chi bộ khu phố 1 (cell)
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import settings as hypothesis_settings

from dangvu.accounts.models import Role
from dangvu.accounts.tests.factories import OrgRoleFactory, UserFactory
from dangvu.organizations.models import BaseType, Kind
from dangvu.organizations.tests.factories import OrganizationFactory

PASSWORD = "mat-khau-thu-nghiem"

# No per-example deadline: CI machines have 2 cores shared with a browser and two databases, and a
# slow example is not a wrong one.
hypothesis_settings.register_profile("dangvu", deadline=None, print_blob=True)
hypothesis_settings.load_profile("dangvu")


@pytest.fixture
def org_tree(db):
    f = OrganizationFactory
    d = datetime.date(2025, 7, 1)
    central = f(
        name="Đảng Cộng sản Việt Nam", code="TW", kind=Kind.CENTRAL, founded_on=datetime.date(1930, 2, 3)
    )
    province = f(
        parent=central,
        name="Đảng bộ tỉnh Thử Nghiệm",
        code="T99",
        kind=Kind.PROVINCE,
        founded_on=datetime.date(1945, 1, 1),
    )
    commune_a = f(
        parent=province,
        name="Đảng bộ xã An Bình",
        code="T99-AB",
        kind=Kind.COMMUNE,
        founded_on=d,
        admin_unit_code="00004",
    )
    cell_a = f(parent=commune_a, name="Chi bộ thôn Đông", code="T99-AB-D", kind=Kind.CELL, founded_on=d)
    group_a = f(parent=cell_a, name="Tổ đảng số 1", code="T99-AB-D-1", kind=Kind.PARTY_GROUP, founded_on=d)
    school = f(
        parent=commune_a,
        name="Đảng bộ Trường THPT An Bình",
        code="T99-AB-THPT",
        kind=Kind.BASE_COMMITTEE,
        base_type=BaseType.PUBLIC_SERVICE,
        founded_on=d,
    )
    school_cell = f(
        parent=school, name="Chi bộ giáo viên", code="T99-AB-THPT-GV", kind=Kind.CELL, founded_on=d
    )
    commune_b = f(
        parent=province, name="Đảng bộ phường Bắc Sơn", code="T99-BS", kind=Kind.COMMUNE, founded_on=d
    )
    cell_b = f(parent=commune_b, name="Chi bộ khu phố 1", code="T99-BS-1", kind=Kind.CELL, founded_on=d)
    return SimpleNamespace(
        central=central,
        province=province,
        commune_a=commune_a,
        cell_a=cell_a,
        group_a=group_a,
        school=school,
        school_cell=school_cell,
        commune_b=commune_b,
        cell_b=cell_b,
    )


def _persona(username: str, role: str | None, org) -> object:
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    if role:
        OrgRoleFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def system_admin(org_tree):
    return _persona("system_admin", Role.SYSTEM_ADMIN, org_tree.central)


@pytest.fixture
def province_staff(org_tree):
    return _persona("province_staff", Role.ORG_STAFF, org_tree.province)


@pytest.fixture
def province_leader(org_tree):
    return _persona("province_leader", Role.LEADER, org_tree.province)


@pytest.fixture
def commune_a_staff(org_tree):
    return _persona("commune_a_staff", Role.ORG_STAFF, org_tree.commune_a)


@pytest.fixture
def commune_b_staff(org_tree):
    return _persona("commune_b_staff", Role.ORG_STAFF, org_tree.commune_b)


@pytest.fixture
def cell_secretary(org_tree):
    return _persona("cell_secretary", Role.CELL_SECRETARY, org_tree.cell_a)


@pytest.fixture
def member(org_tree):
    return _persona("member", Role.MEMBER, org_tree.cell_a)


@pytest.fixture
def outsider(db):
    return _persona("outsider", None, None)
