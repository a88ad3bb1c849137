"""The stored counters stay equal to a fresh recount after every kind of write: each service keeps
them in step in its own transaction, so `tallies.rebuild()` never has anything to correct."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
import time_machine

from dangvu.members import services
from dangvu.members.choices import Gender, Status
from dangvu.members.models import Member
from dangvu.members.tests.test_importing import person as import_row
from dangvu.members.tests.test_importing import run as run_import
from dangvu.members.tests.test_importing import workbook_bytes
from dangvu.organizations import services as org_services
from dangvu.organizations.models import BaseType, Kind, Organization
from dangvu.reports import tallies
from dangvu.reports.models import Tally

from .test_figures import NOW, admit, comparable, register, transfer

pytestmark = pytest.mark.django_db
D = datetime.date


def stored() -> dict[tuple[int, str], tuple[int, int]]:
    rows = Tally.objects.values_list("organization_id", "key", "own", "total")
    return {(o, k): (own, total) for o, k, own, total in rows}


def assert_counters_equal_a_rebuild(step: str) -> None:
    before = stored()
    tallies.rebuild()
    after = stored()
    missing = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    extra = {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v}
    assert not missing and not extra, f"after {step}: {missing or extra}"


@pytest.fixture
def tree(org_tree):
    with time_machine.travel(NOW, tick=False):
        tallies.rebuild()
        yield org_tree


def test_every_kind_of_write_keeps_the_counters_equal_to_a_rebuild(tree, province_staff, system_admin):
    t, staff = tree, province_staff
    steps = []

    def step(name, fn):
        fn()
        steps.append(name)
        assert_counters_equal_a_rebuild(name)

    an = register(staff, t.cell_a, "Nguyễn Văn An", gender=Gender.FEMALE, ethnicity="03")
    assert_counters_equal_a_rebuild("register")
    binh = admit(staff, t.cell_b, "Trần Văn Bình", D(2025, 3, 1))
    assert_counters_equal_a_rebuild("admit")
    cuong = register(staff, t.school_cell, "Lê Văn Cường", religion="buddhism")
    dung = register(staff, t.cell_b, "Phạm Văn Dũng")

    step("recognize official", lambda: services.member_recognize_official(actor=staff, member=binh))
    step("exempt", lambda: services.member_exempt(actor=staff, member=an, reason="Tuổi cao"))
    step("end exemption", lambda: services.member_end_exemption(actor=staff, member=an))
    step(
        "exit (removed)",
        lambda: services.member_exit(
            actor=staff, member=dung, kind="removed", effective_on=D(2021, 1, 10), reason="Vi phạm"
        ),
    )
    step(
        "readmit",
        lambda: services.member_readmit(
            actor=staff,
            member=Member.objects.get(pk=dung.pk),
            organization=t.cell_a,
            admission_decision_date=D(2026, 2, 1),
            ceremony_date=D(2026, 2, 1),
        ),
    )
    step("transfer accepted", lambda: transfer(staff, staff, Member.objects.get(pk=an.pk), t.cell_b))

    def external():
        tr = services.transfer_issue(
            actor=staff, member=cuong, kind="official", external_destination="Đảng bộ tỉnh Khác"
        )
        services.transfer_accept(actor=staff, transfer=tr)

    step("external transfer", external)
    # Bình, admitted in cell B in 2025, moves to cell A: a correction of his gender and birth date
    # then changes the admission counters by segment in cell B, where he was admitted.
    step("transfer Bình", lambda: transfer(staff, staff, Member.objects.get(pk=binh.pk), t.cell_a))
    step(
        "correction of an admitted member's gender",
        lambda: services.member_update(
            actor=staff,
            member=Member.objects.get(pk=binh.pk),
            changes={"gender": Gender.FEMALE, "birth_date": D(2000, 1, 1)},
            reason="Sửa theo CCCD",
        ),
    )
    assert Tally.objects.get(organization=t.cell_b, key="ad:2025:female").own == 1
    step(
        "import",
        lambda: run_import(
            staff,
            t.commune_a,
            workbook_bytes([import_row(1), import_row(2, **{"Mã chi bộ*": "T99-AB-THPT-GV"})]),
        ),
    )
    created = {}

    def create():
        created["cell"] = org_services.organization_create(
            actor=staff, parent=t.commune_b, code="T99-BS-2", name="Chi bộ khu phố 2", kind=Kind.CELL
        )

    step("organization create", create)
    step(
        "organization move",
        lambda: org_services.organization_move(actor=staff, org=t.school, new_parent=t.commune_b),
    )
    step(
        "base type change",
        lambda: org_services.organization_update(
            actor=staff, org=t.school, base_type=BaseType.ADMINISTRATIVE, reason="Sửa loại hình"
        ),
    )
    step(
        "organization dissolve",
        lambda: org_services.organization_dissolve(actor=staff, org=created["cell"], reason="Sáp nhập"),
    )
    assert len(steps) == 14
    assert (
        Counter(dict(Tally.objects.filter(organization=t.province).values_list("key", "total")))["all"]
        == Member.objects.filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY]).count()
        == 5
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_sequence_of_writes_keeps_the_counters_equal_to_a_rebuild(tree, province_staff, seed):
    rng = random.Random(seed)
    t, staff = tree, province_staff
    cells = [t.cell_a, t.group_a, t.school_cell, t.cell_b]
    for i in range(6):
        register(
            staff,
            rng.choice(cells),
            f"Đảng Viên Số {i}",
            gender=rng.choice([Gender.MALE, Gender.FEMALE]),
            birth_date=D(rng.randint(1950, 1990), 5, 1),
        )
    tallies.rebuild()
    done: list[str] = []
    for i in range(14):
        counted = list(
            Member.objects.filter(status__in=[Status.OFFICIAL, Status.PROBATIONARY], transfers=None)
        )
        action = rng.choice(["admit", "exempt", "transfer", "exit", "move", "create"])
        if action == "admit":
            admit(staff, rng.choice(cells), f"Người Mới {i}", D(2026, rng.randint(1, 5), 3))
        elif action == "exempt" and counted:
            m = rng.choice(counted)
            if m.exempted:
                services.member_end_exemption(actor=staff, member=m)
            else:
                services.member_exempt(actor=staff, member=m, reason="Sức khỏe")
        elif action == "transfer" and counted:
            m = rng.choice(counted)
            targets = [c for c in cells if c.pk != m.organization_id]
            transfer(staff, staff, m, rng.choice(targets))
        elif action == "exit" and counted:
            m = rng.choice(counted)
            services.member_exit(
                actor=staff, member=m, kind="deceased", effective_on=D(2026, 6, 15), reason="Từ trần"
            )
        elif action == "move":
            cell = rng.choice([t.cell_a, t.cell_b, t.school_cell])
            cell.refresh_from_db()
            parent = Organization.objects.get_parent(cell)
            to = rng.choice([c for c in (t.commune_a, t.commune_b) if c.pk != parent.pk])
            org_services.organization_move(actor=staff, org=cell, new_parent=to)
        elif action == "create":
            org_services.organization_create(
                actor=staff,
                parent=rng.choice([t.commune_a, t.commune_b]),
                code=f"T99-N{i}",
                name=f"Chi bộ mới {i}",
                kind=Kind.CELL,
            )
        else:
            continue
        done.append(action)
        assert_counters_equal_a_rebuild(f"{done}")
    assert done


def test_rebuild_counts_today_from_the_tables(tree, province_staff):
    register(province_staff, tree.cell_a, "Nguyễn Văn An")
    register(province_staff, tree.cell_b, "Trần Thị Bình", gender=Gender.FEMALE)
    Tally.objects.all().delete()

    tallies.rebuild()

    rows = dict(Tally.objects.filter(organization=tree.province).values_list("key", "total"))
    assert (rows["all"], rows["g:female"], rows["org:commune"], rows["org:cell"]) == (2, 1, 2, 3)
    assert comparable(Counter(rows))["by:1980:female"] == 1
