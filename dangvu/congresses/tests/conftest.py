"""Fixtures of congresses: a day to work on, members entered as data entry does, the province's
round of affiliated-cell congresses (term 2025–2027) opened through the services.

Tests of this folder run on 15/12/2025: after QĐ 294 (01/7/2025) and while the age reference of
Chỉ thị 45 is in force. The round starts on 01/8/2025 and is due on 30/11/2025. Its congresses are
those of the three affiliated cells of `org_tree`: cell_a (commune A), school_cell (under the school
base committee in commune A) and cell_b (commune B).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from dangvu.congresses import services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import Congress, CongressRound
from dangvu.congresses.services import ElectedSeat
from dangvu.members.choices import Gender, Status
from dangvu.members.models import Member
from dangvu.members.tests.factories import MemberFactory

D = datetime.date
TODAY = D(2025, 12, 15)
STARTS_ON = D(2025, 8, 1)
DEADLINE = D(2025, 11, 30)
BORN = D(1980, 3, 10)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2025, 12, 15, 9, 0, tzinfo=datetime.UTC), tick=False)


def make_member(org, name: str, *, birth: datetime.date = BORN, gender: str = Gender.MALE, **kw) -> Member:
    return MemberFactory(organization=org, full_name=name, birth_date=birth, gender=gender, **kw)


@pytest.fixture
def people(org_tree):
    """Official members of cell_a (and one of cell_b), born so that the age rule is at its limits:
    Dũng (03/1968) retires 03/2030, 59 months after the reference month 04/2025; Hải (04/1968)
    retires 04/2030, 60 months after it."""
    cell = org_tree.cell_a
    return SimpleNamespace(
        an=make_member(cell, "Nguyễn Văn An"),
        binh=make_member(cell, "Trần Thị Bình", gender=Gender.FEMALE, birth=D(1985, 6, 1)),
        chi=make_member(cell, "Lê Văn Chi", birth=D(1990, 1, 20)),
        dung=make_member(cell, "Phạm Văn Dũng", birth=D(1968, 3, 5)),
        hai=make_member(cell, "Đỗ Văn Hải", birth=D(1968, 4, 5)),
        moi=make_member(
            cell,
            "Vũ Thị Mới",
            gender=Gender.FEMALE,
            birth=D(1998, 2, 2),
            status=Status.PROBATIONARY,
            ceremony_date=D(2025, 3, 1),
        ),
        hoa=make_member(org_tree.cell_b, "Vũ Thị Hoa", gender=Gender.FEMALE),
    )


@pytest.fixture
def draft_round(org_tree, province_staff, today) -> CongressRound:
    return services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2027,
        starts_on=STARTS_ON,
        deadline=DEADLINE,
    )


@pytest.fixture
def cell_round(draft_round, province_staff) -> CongressRound:
    return services.round_open(actor=province_staff, round=draft_round)


def congress_of(rnd: CongressRound, org) -> Congress:
    return Congress.objects.select_related("round", "organization").get(round=rnd, organization=org)


def seat(
    member: Member, position: str = Position.MEMBER, votes_for: int = 8, votes_valid: int = 10, **kw
) -> ElectedSeat:
    return ElectedSeat(member=member, position=position, votes_for=votes_for, votes_valid=votes_valid, **kw)


def record(actor, congress: Congress, seats: list[ElectedSeat], **kw) -> Congress:
    """Record a congress with valid defaults (10 of 12 summoned present, 9 official members)."""
    args = {"held_on": D(2025, 9, 10), "summoned": 12, "attending": 10, "official_members": 9}
    args.update(kw)
    return services.congress_record(actor=actor, congress=congress, seats=seats, **args)
