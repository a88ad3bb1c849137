"""`dangvu seed`: a realistic, valid, deterministic tree and demo accounts, loaded once."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangvu.accounts.models import OrgRole, Role, User
from dangvu.core.rules import rule
from dangvu.organizations.admin_units import wards_of
from dangvu.organizations.models import CELL_KINDS, BaseType, Kind, Organization, OrganizationEvent
from dangvu.organizations.seeding import PROFILES, REASON, REORGANIZED_ON, plan_province
from dangvu.organizations.services import ALLOWED_CHILDREN


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def tree_rows() -> list[tuple[str, str, str, str]]:
    return list(Organization.objects.order_by("path").values_list("path", "code", "name", "kind"))


def test_same_seed_gives_the_same_tree_and_another_seed_a_different_one():
    def shape(seed: int) -> list[tuple[str, str, str, str]]:
        plan = plan_province("04", scale="demo", seed=seed, communes=4)
        return [(n.code, n.name, n.kind, n.base_type) for n in plan.walk()]

    assert shape(11) == shape(11)
    assert shape(11) != shape(12)


def test_limiting_communes_gives_the_first_communes_of_a_full_run():
    few = plan_province("04", scale="demo", seed=3, communes=2)
    full = plan_province("04", scale="demo", seed=3)
    assert [(n.code, n.name) for n in few.walk()] == [(n.code, n.name) for n in full.walk()][
        : len(list(few.walk()))
    ]


@pytest.mark.django_db
def test_loading_is_deterministic_in_the_database():
    seed("--province", "04", "--communes", "2", "--seed", "5", "--no-accounts", "--no-members")
    first = tree_rows()
    Organization.history.all().delete()
    OrganizationEvent.objects.all().delete()
    Organization.objects.all().delete()
    seed("--province", "04", "--communes", "2", "--seed", "5", "--no-accounts", "--no-members")
    assert tree_rows() == first


@pytest.mark.django_db
def test_seeded_tree_is_a_valid_treebeard_tree():
    seed("--province", "04", "--communes", "3", "--no-accounts")

    assert Organization.objects.find_problems() == ([], [], [], [], [])
    root = Organization.objects.get(code="TW")
    assert (root.name, root.kind, root.depth) == ("Đảng Cộng sản Việt Nam", Kind.CENTRAL, 1)
    province = Organization.objects.get(code="T04")
    assert (province.name, province.kind, province.admin_unit_code) == (
        "Đảng bộ tỉnh Cao Bằng",
        Kind.PROVINCE,
        "04",
    )
    assert Organization.objects.get_parent(province) == root
    assert Organization.objects.search("dang bo tinh cao bang").filter(pk=province.pk).exists()


@pytest.mark.django_db
def test_every_organization_is_allowed_under_its_parent_on_its_founding_date():
    seed("--province", "04", "--communes", "3", "--no-accounts")
    by_path = {o.path: o for o in Organization.objects.all()}
    for org in by_path.values():
        parent = by_path.get(org.path[: -Organization.steplen])
        allowed = rule(ALLOWED_CHILDREN, on=org.founded_on).value[parent.kind if parent else ""]
        assert org.kind in allowed, (org.code, org.kind, parent and parent.kind)
        if parent is not None:
            assert org.founded_on >= parent.founded_on
        assert bool(org.base_type) == (org.kind in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)), org.code


@pytest.mark.django_db
@pytest.mark.parametrize("scale", sorted(PROFILES))
def test_plans_at_every_scale_respect_the_structure_rules(scale):
    allowed = rule(ALLOWED_CHILDREN, on=REORGANIZED_ON).value
    kinds = Counter()
    for node in plan_province("79", scale=scale, seed=4).walk():
        kinds[node.kind] += 1
        for child in node.children:
            assert child.kind in allowed[node.kind], (node.code, child.code)
    assert set(kinds) == set(Kind) - {Kind.CENTRAL, Kind.DISTRICT}


@pytest.mark.django_db
def test_communes_carry_official_names_and_codes():
    seed("--province", "04", "--communes", "3", "--no-accounts")
    communes = list(Organization.objects.filter(kind=Kind.COMMUNE).order_by("path"))
    wards = wards_of("04")[:3]
    assert [c.admin_unit_code for c in communes] == [w.code for w in wards]
    assert [c.name for c in communes] == [
        f"Đảng bộ {w.division} {w.name[len(w.division) + 1 :]}" for w in wards
    ]
    assert communes[0].name == "Đảng bộ phường Thục Phán"
    assert {c.code for c in communes} == {f"T04-{w.code}" for w in wards}


@pytest.mark.django_db
def test_communes_have_residential_cells_base_organizations_and_groups():
    seed("--province", "04", "--communes", "3", "--no-accounts")
    for commune in Organization.objects.filter(kind=Kind.COMMUNE):
        below = Organization.objects.filter(path__startswith=commune.path).exclude(pk=commune.pk)
        cells = below.filter(kind__in=CELL_KINDS).count()
        assert 15 <= cells <= 60, (commune.name, cells)
        residential = below.filter(depth=commune.depth + 1, kind=Kind.CELL)
        assert residential.count() >= 9
        assert all(
            c.name.startswith(("Chi bộ tổ dân phố", "Chi bộ thôn", "Chi bộ xóm", "Chi bộ bản"))
            for c in residential
        )
        types = set(
            below.filter(depth=commune.depth + 1).exclude(base_type="").values_list("base_type", flat=True)
        )
        assert {BaseType.ADMINISTRATIVE, BaseType.POLICE, BaseType.MILITARY, BaseType.PUBLIC_SERVICE} <= types
    blocs = (
        Organization.objects.filter(kind=Kind.PROVINCIAL_BLOC).order_by("path").values_list("name", flat=True)
    )
    assert list(blocs) == [
        "Đảng bộ các cơ quan Đảng tỉnh Cao Bằng",
        "Đảng bộ Ủy ban nhân dân tỉnh Cao Bằng",
        "Đảng bộ Quân sự tỉnh Cao Bằng",
        "Đảng bộ Công an tỉnh Cao Bằng",
    ]


def test_demo_scale_is_the_size_of_cao_bang():
    kinds = Counter(n.kind for n in plan_province("04", scale="demo", seed=2025).walk())
    assert kinds[Kind.COMMUNE] == 56
    assert 1_500 <= kinds[Kind.BASE_CELL] + kinds[Kind.CELL] <= 1_900
    assert kinds[Kind.PARTY_GROUP] > 0
    assert kinds[Kind.SUB_COMMITTEE] > 0


def test_province_and_national_scales_are_denser():
    hcm = sum(1 for _ in plan_province("79", scale="province", seed=1).walk())
    assert 15_000 <= hcm <= 20_000
    # National: about 300,000 organizations over 3,321 communes, i.e. 80 to 100 per commune.
    sample = [plan_province(code, scale="national", seed=1) for code in ("04", "79")]
    per_commune = sum(sum(1 for _ in p.walk()) for p in sample) / sum(len(wards_of(c)) for c in ("04", "79"))
    assert 80 <= per_commune <= 100
    assert any(n.kind == Kind.SUB_COMMITTEE for n in sample[1].walk())


@pytest.mark.django_db
def test_every_organization_has_a_history_row_and_a_created_event():
    seed("--province", "04", "--communes", "2", "--no-accounts")
    orgs = {o.pk: o for o in Organization.objects.all()}
    history = Organization.history.filter(history_type="+")
    assert set(history.values_list("id", flat=True)) == set(orgs)
    assert set(history.exclude(code="TW").values_list("history_change_reason", flat=True)) == {REASON}
    events = OrganizationEvent.objects.filter(kind=OrganizationEvent.EventKind.CREATED)
    assert sorted(events.values_list("organization_id", flat=True)) == sorted(orgs)
    for event in events.select_related("organization", "new_parent"):
        org = event.organization
        assert event.new_parent == (Organization.objects.get_parent(org) if org.depth > 1 else None)
        assert (event.effective_on, event.new_name) == (org.founded_on, org.name)


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    first_out = seed("--province", "04", "--communes", "2", "--seed", "9")
    counts = (
        Organization.objects.count(),
        Organization.history.count(),
        OrganizationEvent.objects.count(),
        User.objects.count(),
        OrgRole.objects.count(),
    )
    rows = tree_rows()

    second_out = seed("--province", "04", "--communes", "2", "--seed", "9")

    assert "Đã tạo" in first_out
    assert "đã được nạp từ trước" in second_out
    assert counts == (
        Organization.objects.count(),
        Organization.history.count(),
        OrganizationEvent.objects.count(),
        User.objects.count(),
        OrgRole.objects.count(),
    )
    assert tree_rows() == rows


@pytest.mark.django_db
def test_a_second_province_goes_under_the_same_root():
    seed("--province", "04", "--communes", "1", "--no-accounts")
    seed("--province", "01", "--communes", "1", "--no-accounts")
    root = Organization.objects.get(code="TW")
    root.refresh_from_db()
    assert [p.code for p in Organization.objects.get_children(root)] == ["T04", "T01"]
    assert Organization.objects.get(code="T01").name == "Đảng bộ thành phố Hà Nội"
    assert Organization.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_demo_accounts_have_the_right_roles_and_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "Mat-khau-demo-1")
    out = seed("--province", "04", "--communes", "2")

    province = Organization.objects.get(code="T04")
    commune = Organization.objects.filter(kind=Kind.COMMUNE).order_by("path").first()
    expected = {
        "quantri": (Role.SYSTEM_ADMIN, "TW"),
        "tinh.tochuc": (Role.ORG_STAFF, province.code),
        "tinh.lanhdao": (Role.LEADER, province.code),
        "xa.tochuc": (Role.ORG_STAFF, commune.code),
        "xa.lanhdao": (Role.LEADER, commune.code),
    }
    for username, (role, code) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("Mat-khau-demo-1")
        assert len(user.full_name.split()) >= 3
        roles = list(OrgRole.objects.active().filter(user=user).values_list("role", "organization__code"))
        assert roles == [(role, code)]
    for username, role in (("chibo.bithu", Role.CELL_SECRETARY), ("dangvien", Role.MEMBER)):
        grant = OrgRole.objects.active().get(user__username=username)
        assert grant.role == role
        assert grant.organization.kind == Kind.CELL
        assert Organization.objects.get_parent(grant.organization) == commune
        assert grant.organization.name.startswith("Chi bộ tổ dân phố")
    assert not User.objects.filter(is_superuser=True).exists()
    # Roles other than the bootstrap administrator were granted by that administrator.
    assert set(
        OrgRole.objects.exclude(role=Role.SYSTEM_ADMIN).values_list("granted_by__username", flat=True)
    ) == {"quantri"}
    assert (
        "Mat-khau-demo-1" in out and "Bí thư, cấp ủy viên chi bộ" in out and "Đảng bộ phường Thục Phán" in out
    )


@pytest.mark.django_db
def test_no_accounts_flag_creates_no_user():
    seed("--province", "04", "--communes", "1", "--no-accounts")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_unknown_province_is_refused_in_vietnamese():
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố mã «99»"):
        seed("--province", "99")
    assert not Organization.objects.exists()
