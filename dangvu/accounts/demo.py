"""Demo accounts: one login per role at province, commune and cell level of a seeded province.

Used by `dangvu seed`. The accounts are created once; running the seed again neither duplicates
them nor changes their passwords.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

from django.db import transaction

from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.seeding.names import person_name, region_of

from .models import OrgRole, Role, User
from .services import org_role_grant

DEFAULT_PASSWORD = "DangVu@2026"
GRANT_REASON = "Tài khoản dùng thử (dữ liệu mẫu)"

# (username, role, where, female): where is "root", "province", "commune" or "cell".
DEMO_ACCOUNTS = (
    ("quantri", Role.SYSTEM_ADMIN, "root", False),
    ("tinh.tochuc", Role.ORG_STAFF, "province", True),
    ("tinh.lanhdao", Role.LEADER, "province", False),
    ("xa.tochuc", Role.ORG_STAFF, "commune", True),
    ("xa.lanhdao", Role.LEADER, "commune", False),
    ("chibo.bithu", Role.CELL_SECRETARY, "cell", False),
    ("dangvien", Role.MEMBER, "cell", True),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role_label: str
    organization: str
    created: bool  # False: the account was already there (its password was left alone)
    password: str  # the demo password, or "" if the account's password has been changed since


def demo_password() -> str:
    return os.getenv("DEMO_PASSWORD") or DEFAULT_PASSWORD


def demo_places(province: Organization) -> dict[str, Organization]:
    """The organizations the demo accounts work in: root, province, its first commune and the
    first residential cell of that commune (a cell directly under a commune is a residential one)."""
    root = Organization.objects.get(path=province.path[: Organization.steplen])
    commune = (
        Organization.objects.filter(
            path__startswith=province.path, depth=province.depth + 1, kind=Kind.COMMUNE
        )
        .order_by("path")
        .first()
    )
    if commune is None:
        raise ValueError(f"«{province.name}» chưa có đảng bộ xã, phường.")
    cell = (
        Organization.objects.filter(path__startswith=commune.path, depth=commune.depth + 1, kind=Kind.CELL)
        .order_by("path")
        .first()
    )
    if cell is None:
        raise ValueError(f"«{commune.name}» chưa có chi bộ thôn, tổ dân phố.")
    return {"root": root, "province": province, "commune": commune, "cell": cell}


@transaction.atomic
def demo_accounts_ensure(
    *, province: Organization, seed: int, password: str | None = None
) -> list[DemoAccount]:
    """Create the demo users and their roles where missing; return one row per account."""
    password = password or demo_password()
    places = demo_places(province)
    rng = random.Random(f"{seed}:accounts:{province.code}")
    region = region_of(province.admin_unit_code)
    taken: set[str] = set()
    users: dict[str, tuple[User, bool]] = {}
    for username, _role, _where, female in DEMO_ACCOUNTS:
        name = person_name(rng, region=region, female=female)
        while name in taken:
            name = person_name(rng, region=region, female=female)
        taken.add(name)
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, full_name=name)
            user.set_password(password)
            user.save()
        users[username] = (user, created)

    admin, _ = users["quantri"]
    root = places["root"]
    if not OrgRole.objects.active().filter(user=admin, organization=root, role=Role.SYSTEM_ADMIN).exists():
        # Bootstrap: the first system administrator cannot be granted by anyone, so this one row is
        # written directly. Every other role below goes through org_role_grant with it as the actor.
        grant = OrgRole(user=admin, organization=root, role=Role.SYSTEM_ADMIN, reason=GRANT_REASON)
        grant._change_reason = GRANT_REASON
        grant.save()

    demo_member_link(user=users[DEMO_MEMBER][0], cell=places["cell"], actor=admin)
    rows = []
    for username, role, where, _female in DEMO_ACCOUNTS:
        user, created = users[username]
        org = places[where]
        if not OrgRole.objects.active().filter(user=user, organization=org, role=role).exists():
            org_role_grant(actor=admin, user=user, organization=org, role=role, reason=GRANT_REASON)
        shown = password if created or user.check_password(password) else ""
        rows.append(DemoAccount(username, user.full_name, Role(role).label, org.name, created, shown))
    return rows


DEMO_MEMBER = "dangvien"


def demo_member_link(*, user: User, cell: Organization, actor: User) -> object | None:
    """Link the demo member account to a seeded member of its cell, so that "my record" is a real
    one; the account takes that member's name. Does nothing if the account is already linked or the
    cell has no seeded members (a tree seeded without members). Returns the linked member."""
    from dangvu.members.choices import Gender, Status
    from dangvu.members.models import Member
    from dangvu.members.services import member_update

    linked = Member.objects.filter(user=user).first()
    if linked is not None:
        return linked
    candidates = Member.objects.filter(organization=cell, user__isnull=True, status=Status.OFFICIAL)
    member = (
        candidates.filter(gender=Gender.FEMALE).order_by("name_sort", "id").first()
        or candidates.order_by("name_sort", "id").first()
    )
    if member is None:
        return None
    member_update(actor=actor, member=member, changes={"user": user}, reason=GRANT_REASON)
    if user.full_name != member.full_name:
        user.full_name = member.full_name
        user.save(update_fields=["full_name"])
    return member
