"""The demo campaigns of `dangvu seed` (congress rounds, admission targets, candidates): partial
progress a province can follow, results that pass the rules, history through the services.

One small province (Cao Bằng, two communes) is seeded once for the module, on 23/11/2026, and rolled
back at the end; each test runs inside it and is rolled back on its own.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from io import StringIO
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from dangvu.accounts.models import User
from dangvu.admissions import selectors as admission_selectors
from dangvu.admissions.choices import Segment
from dangvu.admissions.models import AdmissionTarget, Candidate
from dangvu.congresses import rules, selectors, services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import CommitteeMembership, Congress, CongressRound
from dangvu.congresses.services import ElectedSeat
from dangvu.core.rules import cached_rules
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.organizations.models import Kind, Organization, OrganizationEvent
from dangvu.organizations.seeding import campaigns
from dangvu.organizations.seeding.load import REASON
from dangvu.reports import statistics

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 23)


def seed_command() -> str:
    out = StringIO()
    call_command("seed", "--province", "04", "--communes", "2", "--seed", "3", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    day = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(day, tick=False), django_db_blocker.unblock(), transaction.atomic():
        out = seed_command()
        province = Organization.objects.get(code="T04")
        yield SimpleNamespace(
            out=out,
            province=province,
            staff=User.objects.get(username="tinh.tochuc"),
            base=CongressRound.objects.get(organization=province, level=Level.BASE),
            cells=CongressRound.objects.get(organization=province, level=Level.CELL),
        )
        transaction.set_rollback(True)


def test_the_province_sees_two_open_rounds_partly_held(seeded):
    for rnd, share in ((seeded.base, 0.99), (seeded.cells, 0.78)):
        p = selectors.progress(rnd, seeded.province)
        assert 0 < p.held < p.total
        assert abs(p.held / p.total - share) < 0.03
        assert f"{rnd.name}: {p.ratio_text}" in seeded.out  # the line the seed prints
        assert rnd.state == "open" and rnd.created_by == seeded.staff
    assert seeded.cells.name == "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"
    assert (seeded.cells.starts_on, seeded.cells.deadline) == (
        datetime.date(2025, 9, 1),
        datetime.date(2026, 12, 31),
    )
    # The base round's deadline has passed: what is left is overdue, most of it with a new date.
    base = selectors.progress(seeded.base, seeded.province)
    assert base.overdue == base.total - base.held
    # The cell round is still running: the rest have planned dates, some of them already missed.
    missing = selectors.missing(seeded.cells, seeded.province)
    assert sum(1 for c in missing if c.planned_on and c.planned_on < AS_OF) > 0
    assert sum(1 for c in missing if c.planned_on and c.planned_on > AS_OF) > 0
    assert Congress.objects.filter(round=seeded.cells, pilot=True, held_on__isnull=False).exists()


def test_held_congresses_follow_the_rules(seeded):
    with cached_rules():
        check_held_congresses()


def check_held_congresses() -> None:
    seats: dict[int, list[CommitteeMembership]] = defaultdict(list)
    for m in CommitteeMembership.objects.select_related("member__organization"):
        seats[m.congress_id].append(m)
    held = list(Congress.objects.filter(held_on__isnull=False).select_related("organization", "round"))
    assert len(held) > 100
    for c in held:
        org, on, elected = c.organization, c.held_on, seats[c.pk]
        assert rules.quorum_error(c.summoned, c.attending, on=on) is None, org.name
        assert c.committee_size == len(elected) >= 1
        assert Counter(s.position for s in elected)[Position.SECRETARY] == 1
        deputies = sum(s.position == Position.DEPUTY for s in elected)
        assert rules.leadership_error(org.kind, c.official_members, len(elected), deputies, on=on) is None
        for s in elected:
            assert s.started_on == on and s.ended_on is None
            assert rules.election_error(s.votes_for, s.votes_valid, on=on, what="x") is None
            assert s.votes_valid <= c.attending
            m = s.member
            assert m.organization.path.startswith(org.path) and m.status == Status.OFFICIAL
            assert m.official_on <= on
            too_old = rules.age_error(m.birth_date, m.gender, c.round.level, first_time=True, on=on)
            assert bool(too_old) == bool(s.age_exception), (m.full_name, too_old)
        if org.kind == Kind.CELL and c.official_members < 9:
            assert len(elected) <= 2 and c.secretary_elected_directly


def test_seeded_results_pass_the_recording_service(seeded):
    """A congress of each shape, recorded again through `congress_record` with what the seed wrote,
    is accepted: the bulk path wrote what the service would."""
    by_shape = {}
    for c in Congress.objects.filter(held_on__isnull=False).select_related("organization").order_by("pk"):
        by_shape.setdefault((c.organization.kind, c.committee_size >= 3), c)
    assert len(by_shape) >= 4
    for c in by_shape.values():
        elected = list(CommitteeMembership.objects.filter(congress=c).select_related("member"))
        recorded = services.congress_record(
            actor=seeded.staff,
            congress=c,
            held_on=c.held_on,
            summoned=c.summoned,
            attending=c.attending,
            official_members=c.official_members,
            seats=[
                ElectedSeat(
                    member=s.member,
                    position=s.position,
                    votes_for=s.votes_for,
                    votes_valid=s.votes_valid,
                    position_votes_for=s.position_votes_for,
                    position_votes_valid=s.position_votes_valid,
                    age_exception=s.age_exception,
                )
                for s in elected
            ],
            secretary_elected_directly=c.secretary_elected_directly,
        )
        assert recorded.committee_size == len(elected)
        current = selectors.current_committee(c.organization)
        assert {m.member_id for m in current} == {s.member_id for s in elected}


def test_recording_one_more_congress_moves_the_commune_and_the_province_at_once(seeded):
    rnd, province = seeded.cells, seeded.province
    before = selectors.progress(rnd, province)
    row = next(r for r in before.children if r.kind == Kind.COMMUNE and r.held < r.total)
    commune = Organization.objects.get(pk=row.id)
    congress = selectors.missing(rnd, commune)[0]
    cell = congress.organization
    secretary = (
        Member.objects.filter(organization__path__startswith=cell.path, status=Status.OFFICIAL)
        .order_by("birth_date")
        .last()
    )
    official = Member.objects.filter(organization__path__startswith=cell.path, status=Status.OFFICIAL).count()
    services.congress_record(
        actor=seeded.staff,
        congress=congress,
        held_on=AS_OF,
        summoned=official,
        attending=official,
        official_members=official,
        seats=[
            ElectedSeat(
                member=secretary, position=Position.SECRETARY, votes_for=official, votes_valid=official
            )
        ],
        secretary_elected_directly=True,
    )

    after = selectors.progress(rnd, province)
    assert after.held == before.held + 1
    assert next(r for r in after.children if r.id == commune.pk).held == row.held + 1
    assert selectors.progress(rnd, commune).held == row.held + 1


def test_the_year_target_is_partly_met_and_shared_among_the_children(seeded):
    t = admission_selectors.target_progress(seeded.province, year_from=2026)
    assert t.target and 0 < t.admitted < t.target
    assert 0.45 <= t.admitted / t.target <= 0.65
    assert f"Kết nạp đảng viên năm 2026: {t.ratio_text}" in seeded.out
    assert t.children_target == t.target  # the children's targets add up to the province's
    assert all(r.target for r in t.children)
    figures = statistics.period(seeded.province, datetime.date(2026, 1, 1), AS_OF)
    assert t.admitted == figures["admissions"]["total"]
    segments = {s.segment: s for s in t.segments}
    for segment in (Segment.FEMALE, Segment.ETHNIC_MINORITY):
        assert segments[segment].target and 0 < segments[segment].admitted < segments[segment].target
    target = AdmissionTarget.objects.get(organization=seeded.province, year_from=2026, segment=Segment.TOTAL)
    assert target.assigned_by == seeded.province and target.history.first().history_user == seeded.staff


def test_candidates_stand_at_every_stage_some_overdue(seeded):
    counts = dict((stage, n) for stage, _label, n in admission_selectors.pipeline_counts(seeded.province))
    assert all(n > 0 for n in counts.values()), counts
    overdue = Counter(
        what for _c, what, _due in admission_selectors.candidates_overdue(seeded.province, on=AS_OF)
    )
    assert overdue[admission_selectors.DECISION] and overdue[admission_selectors.CEREMONY]
    admitted = Candidate.objects.filter(member__isnull=False).select_related("member")
    assert admitted and all(c.member.status == Status.PROBATIONARY for c in admitted)
    # Every stage went through its service: one history row per stage, by the province's staff.
    furthest = admitted.first()
    assert furthest.history.count() >= 7
    assert set(furthest.history.values_list("history_user", flat=True)) == {seeded.staff.pk}
    assert "dừng ở bước trước" not in seeded.out  # no stage of the draw was refused


def test_history_is_recorded_with_the_seed_reason(seeded):
    held = Congress.objects.filter(round=seeded.cells, held_on__isnull=False).first()
    last = held.history.first()
    assert (last.history_type, last.history_change_reason, last.history_user) == ("~", REASON, seeded.staff)
    assert last.held_on == held.held_on
    assert CommitteeMembership.history.count() == CommitteeMembership.objects.count()


def test_seeding_again_changes_nothing(seeded):
    counts = [
        m.objects.count() for m in (CongressRound, Congress, CommitteeMembership, Candidate, AdmissionTarget)
    ]

    out = seed_command()

    assert "đã có sẵn, không tạo thêm" in out
    assert counts == [
        m.objects.count() for m in (CongressRound, Congress, CommitteeMembership, Candidate, AdmissionTarget)
    ]


def test_border_communes_are_flagged_through_the_service(seeded, monkeypatch):
    commune = Organization.objects.get(name="Đảng bộ phường Nùng Trí Cao")
    monkeypatch.setitem(campaigns.BORDER_COMMUNES, "04", frozenset({"Nùng Trí Cao"}))

    marked = campaigns.mark_border(seeded.province, seeded.staff)

    commune.refresh_from_db()
    assert marked == [commune] and commune.border_area
    assert commune.history.first().history_user == seeded.staff
    assert OrganizationEvent.objects.filter(
        organization=commune, kind=OrganizationEvent.EventKind.UPDATED
    ).exists()


def test_cao_bang_border_list_names_communes_of_the_province():
    from dangvu.core.text import search_key
    from dangvu.organizations.admin_units import wards_of
    from dangvu.organizations.seeding.plan import split_unit_name

    names = {search_key(split_unit_name(w)[1]) for w in wards_of("04")}
    assert {search_key(n) for n in campaigns.BORDER_COMMUNES["04"]} <= names
    assert len(campaigns.BORDER_COMMUNES["04"]) == 20
