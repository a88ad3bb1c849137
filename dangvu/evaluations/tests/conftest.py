"""Fixtures of the quality review: members entered through the member services, and rounds.

Members (all official, entered from paper records):
    cell_a (Chi bộ thôn Đông, commune A):   An (linked to the `member` persona's login), Bình, Chi
    school_cell (Chi bộ giáo viên, under the school base committee):   Dung, Giang
    cell_b (Chi bộ khu phố 1, commune B):   Hoa
The round is the province's, for 2026, with the list fixed on 01/11/2026.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from dangvu.accounts.models import Role
from dangvu.accounts.tests.factories import OrgRoleFactory, UserFactory
from dangvu.evaluations import services
from dangvu.evaluations.models import EvaluationRound, MemberRating, OrganizationRating
from dangvu.members import services as member_services
from dangvu.members.models import Member

D = datetime.date
REFERENCE = D(2026, 11, 1)
CEREMONY = D(2010, 5, 19)


def enter(actor, organization, name: str, *, ceremony: datetime.date = CEREMONY, gender="male") -> Member:
    """A member entered from paper records, as data entry does it."""
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


def link(member: Member, user) -> Member:
    """Give the member a login (the self-assessment is only theirs to submit)."""
    member.user = user
    member.save(update_fields=["user"])
    return member


def persona(username: str, role: str, organization):
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    OrgRoleFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def today(time_machine):
    """Tests of this folder run on 23/11/2026 (default reference dates and statuses depend on today)."""
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def people(org_tree, system_admin, member):
    entered = {
        "an": (org_tree.cell_a, "Nguyễn Văn An"),
        "binh": (org_tree.cell_a, "Trần Thị Bình"),
        "chi": (org_tree.cell_a, "Lê Văn Chi"),
        "dung": (org_tree.school_cell, "Phạm Thị Dung"),
        "giang": (org_tree.school_cell, "Hoàng Văn Giang"),
        "hoa": (org_tree.cell_b, "Vũ Thị Hoa"),
    }
    found = {key: enter(system_admin, org, name) for key, (org, name) in entered.items()}
    link(found["an"], member)
    return SimpleNamespace(**found)


@pytest.fixture
def school_secretary(org_tree):
    return persona("school_secretary", Role.CELL_SECRETARY, org_tree.school_cell)


@pytest.fixture
def school_leader(org_tree):
    return persona("school_leader", Role.LEADER, org_tree.school)


@pytest.fixture
def school_staff(org_tree):
    return persona("school_staff", Role.ORG_STAFF, org_tree.school)


@pytest.fixture
def commune_a_leader(org_tree):
    return persona("commune_a_leader", Role.LEADER, org_tree.commune_a)


@pytest.fixture
def draft_round(org_tree, people, province_staff) -> EvaluationRound:
    return services.round_create(
        actor=province_staff, organization=org_tree.province, year=2026, reference_date=REFERENCE
    )


@pytest.fixture
def open_round(draft_round, province_staff) -> EvaluationRound:
    services.round_open(actor=province_staff, round=draft_round)
    draft_round.refresh_from_db()
    return draft_round


def rating_of(rnd: EvaluationRound, member: Member) -> MemberRating:
    return MemberRating.objects.get(round=rnd, member=member)


def org_rating(rnd: EvaluationRound, organization, subject: str = "organization") -> OrganizationRating:
    return OrganizationRating.objects.get(round=rnd, organization=organization, subject=subject)
