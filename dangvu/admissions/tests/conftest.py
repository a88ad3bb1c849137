"""Fixtures of party development: sponsors entered through the member services, candidates walked
through the pipeline by the services.

Sponsors (official members since 2011, entered from paper records):
    cell_a (Chi bộ thôn Đông, commune A):   Nguyễn Văn Sơn, Lê Thị Hạnh
    school_cell (Chi bộ giáo viên, under the school base committee):   Phạm Văn Giáo
    cell_b (Chi bộ khu phố 1, commune B):   Vũ Văn Bắc
The tests of this folder that use `today` run on 23/11/2026. The default pipeline of a candidate
listed on 05/01/2026 is in `DATES`.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from dangvu.accounts.models import Role
from dangvu.accounts.tests.factories import OrgRoleFactory, UserFactory
from dangvu.admissions import services
from dangvu.admissions.choices import STAGE_ORDER, Stage
from dangvu.admissions.models import Candidate
from dangvu.members import services as member_services
from dangvu.members.models import Member

D = datetime.date
TODAY = D(2026, 11, 23)
WORKED_SINCE = D(2024, 1, 1)
OLD_CEREMONY = D(2010, 5, 19)
DATES = {
    Stage.LISTED: D(2026, 1, 5),
    Stage.CLASS: D(2026, 2, 10),
    Stage.SPONSORED: D(2026, 3, 2),
    Stage.VERIFIED: D(2026, 4, 1),
    Stage.CELL_VOTED: D(2026, 5, 5),
    Stage.BASE_RESOLVED: D(2026, 5, 20),
    Stage.DECIDED: D(2026, 6, 15),
    "received": D(2026, 6, 18),
    Stage.ADMITTED: D(2026, 7, 1),
}


def enter(actor, organization, name: str, *, ceremony: datetime.date = OLD_CEREMONY, gender="male") -> Member:
    """A member entered from paper records (official once 12 months after the ceremony have passed)."""
    return member_services.member_register(
        actor=actor,
        organization=organization,
        data={
            "full_name": name,
            "gender": gender,
            "birth_date": D(1980, 3, 10),
            "admission_decision_date": ceremony - datetime.timedelta(days=10),
            "ceremony_date": ceremony,
        },
    )


def persona(username: str, role: str, organization):
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    OrgRoleFactory(user=user, organization=organization, role=role)
    return user


def listed(actor, organization, name: str = "Trần Văn Ưu", *, listed_on: datetime.date | None = None, **data):
    """A candidate created through the service (born 10/05/2000 unless given)."""
    record = {"full_name": name, "gender": "male", "birth_date": D(2000, 5, 10), **data}
    return services.candidate_create(
        actor=actor, organization=organization, data=record, listed_on=listed_on or DATES[Stage.LISTED]
    )


def walk(
    candidate: Candidate,
    actor: Any,
    until: str,
    *,
    sponsors: tuple[Member, Member] | None = None,
    dates: dict | None = None,
    votes: tuple[int, int] = (6, 9),
) -> Candidate | Member:
    """Take `candidate` through every stage up to `until` with the services (default dates in
    `DATES`, overridden by `dates`). Returns the candidate, or the member after the ceremony."""
    on = {**DATES, **(dates or {})}
    stages = STAGE_ORDER[1 : STAGE_ORDER.index(until) + 1]
    result: Candidate | Member = candidate
    for stage in stages:
        candidate = Candidate.objects.get(pk=candidate.pk)
        if getattr(candidate, services.STAGE_DATE_FIELD[stage]) is not None:
            continue  # done already
        if stage == Stage.CLASS:
            result = services.candidate_certify_class(
                actor=actor, candidate=candidate, certificate_no="125-GCN/TTCT", certified_on=on[stage]
            )
        elif stage == Stage.SPONSORED:
            first, second = sponsors or _sponsors_for(candidate)
            result = services.candidate_assign_sponsors(
                actor=actor,
                candidate=candidate,
                assigned_on=on[stage],
                sponsor_1=first,
                sponsor_1_since=WORKED_SINCE,
                sponsor_2=second,
                sponsor_2_since=WORKED_SINCE,
            )
        elif stage == Stage.VERIFIED:
            result = services.candidate_verify(actor=actor, candidate=candidate, verified_on=on[stage])
        elif stage == Stage.CELL_VOTED:
            vote = services.candidate_cell_vote(
                actor=actor,
                candidate=candidate,
                voted_on=on[stage],
                votes_for=votes[0],
                official_members=votes[1],
            )
            assert vote.passed, vote.message
            result = Candidate.objects.get(pk=candidate.pk)
        elif stage == Stage.BASE_RESOLVED:
            if services.needs_base_resolution(candidate.organization):
                result = services.candidate_base_resolve(
                    actor=actor, candidate=candidate, resolved_on=on[stage], resolution_ref="45-NQ/ĐU"
                )
        elif stage == Stage.DECIDED:
            result = services.candidate_decide(
                actor=actor,
                candidate=candidate,
                decided_on=on[stage],
                decision_ref="125-QĐ/ĐU",
                received_on=on["received"],
            )
        elif stage == Stage.ADMITTED:
            result = services.candidate_admit(actor=actor, candidate=candidate, ceremony_on=on[stage])
    return result


def _sponsors_for(candidate: Candidate) -> tuple[Member, Member]:
    """Two official members of the candidate's cell (made on the spot if the cell has none)."""
    found = list(
        Member.objects.filter(organization=candidate.organization, status="official").order_by("pk")[:2]
    )
    admin = UserFactory(is_superuser=True) if len(found) < 2 else None
    while len(found) < 2:
        found.append(enter(admin, candidate.organization, f"Đảng Viên Giới Thiệu {len(found) + 1}"))
    return found[0], found[1]


@pytest.fixture
def today(time_machine):
    """Tests that use this run on 23/11/2026 (deadlines and "not in the future" depend on today)."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def sponsors(org_tree, system_admin):
    people = {
        "son": (org_tree.cell_a, "Nguyễn Văn Sơn"),
        "hanh": (org_tree.cell_a, "Lê Thị Hạnh"),
        "giao": (org_tree.school_cell, "Phạm Văn Giáo"),
        "bac": (org_tree.cell_b, "Vũ Văn Bắc"),
    }
    return SimpleNamespace(**{k: enter(system_admin, org, name) for k, (org, name) in people.items()})


@pytest.fixture
def school_secretary(org_tree):
    return persona("school_secretary", Role.CELL_SECRETARY, org_tree.school_cell)


@pytest.fixture
def candidate(today, org_tree, sponsors, commune_a_staff):
    """A candidate of cell A, listed on 05/01/2026, nothing else done."""
    return listed(commune_a_staff, org_tree.cell_a, "Trần Văn Ưu")
