"""Candidates of the demo (quần chúng ưu tú): one per 130 counted members (about 200 in Cao Bằng), in
some 70 cells, at every stage of the admission pipeline, each stage recorded through its service on
its own date, so the history, the stage rules and the deadlines are those of real use.

About a third of those waiting for a decision have waited more than 60 working days since the cell's
vote, and a third of those with a decision are past the 30 working days for the ceremony: the lists
of overdue candidates have something to show. The first candidates take each stage in turn, so
even a small province (the tests seed two communes) shows the whole pipeline. A few candidates
failed a first cell vote; a few were withdrawn. Those who reach the ceremony become probationary
members through `member_admit`.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError

from dangvu.admissions import services
from dangvu.admissions.choices import STAGE_ORDER, Stage
from dangvu.members.choices import Education, Gender, Occupation
from dangvu.members.models import Member
from dangvu.members.rules import add_months
from dangvu.members.seeding import people

from ...models import BaseType, Kind, Organization
from .congresses import MemberIndex, Person, officials_on

CANDIDATES = 200  # at most; one per 130 counted members (Cao Bằng: about 200), at least 30
CELLS = 70
# The stage each candidate has reached on the seeding day (weights).
FINAL_STAGES = {
    Stage.LISTED: 13,
    Stage.CLASS: 13,
    Stage.SPONSORED: 11,
    Stage.VERIFIED: 11,
    Stage.CELL_VOTED: 13,
    Stage.BASE_RESOLVED: 4,
    Stage.DECIDED: 12,
    Stage.ADMITTED: 17,
    Stage.WITHDRAWN: 6,
}
# Days from one stage to the next (inclusive ranges), as cells and committees usually take them.
GAPS = {
    Stage.CLASS: (30, 90),
    Stage.SPONSORED: (10, 40),
    Stage.VERIFIED: (30, 75),
    Stage.CELL_VOTED: (7, 30),
    Stage.BASE_RESOLVED: (7, 20),
    Stage.DECIDED: (15, 60),
    Stage.ADMITTED: (7, 30),  # after the cell received the decision (2 to 10 days after it)
}
WITHDRAW_REASONS = (
    "Chuyển đi làm ăn xa, không còn cư trú tại địa phương",
    "Bản thân xin dừng vì hoàn cảnh gia đình",
    "Kết quả thẩm tra lý lịch chưa đủ điều kiện",
    "Vi phạm quy định của địa phương, chi bộ đề nghị dừng xem xét",
)
OCCUPATIONS = {
    BaseType.ADMINISTRATIVE: Occupation.OFFICIAL,
    BaseType.PUBLIC_SERVICE: Occupation.PUBLIC_EMPLOYEE,
    BaseType.STATE_ENTERPRISE: Occupation.STATE_ENTERPRISE,
    BaseType.PRIVATE_ENTERPRISE: Occupation.PRIVATE_ENTERPRISE,
    BaseType.MILITARY: Occupation.ARMED_FORCES,
    BaseType.POLICE: Occupation.ARMED_FORCES,
}


@dataclass
class Cell:
    org: Organization
    base_type: str  # of the base organization above it ("" for a residential cell of a commune)
    workplace: str
    place: str  # "xã Trà Lĩnh, tỉnh Cao Bằng"
    needs_base: bool  # a cell of a base committee: its committee considers the vote first


@dataclass
class Plan:
    """One candidate's record and the dates of the stages to record."""

    cell: Cell
    data: dict[str, Any]
    final: str
    dates: dict[str, date] = field(default_factory=dict)
    failed_vote_on: date | None = None
    received_on: date | None = None
    withdrawn_on: date | None = None
    withdraw_reason: str = ""


def seed_candidates(
    *, province: Organization, actor: Any, seed: int, as_of: date, members: MemberIndex | None = None
) -> list[str]:
    """Create the demo candidates of `province`. Returns the messages of the stages a rule refused
    (each ends that candidate's progress; expected to be rare)."""
    members = members or MemberIndex(province)
    cells = _cells(province, random.Random(f"{seed}:candidates:{province.code}"))
    if not cells:
        return []
    pcode = province.code[1:]
    counted = len(members.under(province.path))
    of_committees = [c for c in cells if c.needs_base] or cells
    refused: list[str] = []
    for i in range(min(CANDIDATES, max(30, counted // 130))):
        rng = random.Random(f"{seed}:candidate:{province.code}:{i}")
        # The first candidates take every stage in turn, late where a stage can be, so that a small
        # province shows the whole pipeline too; the others are drawn.
        first_round = i < len(FINAL_STAGES)
        final = (
            list(FINAL_STAGES)[i]
            if first_round
            else rng.choices(list(FINAL_STAGES), weights=list(FINAL_STAGES.values()))[0]
        )
        cell = rng.choice(of_committees) if final == Stage.BASE_RESOLVED else cells[i % len(cells)]
        plan = _plan(cell, final, rng, pcode, seed, i, as_of, late=first_round)
        error = _run(plan, actor, members, rng)
        if error:
            refused.append(f"{plan.data['full_name']} ({plan.cell.org.name}): {error}")
    return refused


def _cells(province: Organization, rng: random.Random) -> list[Cell]:
    """Every residential cell of the province's first commune (where the demo accounts work), then
    cells drawn across the province, a third of them cells of base committees (whose candidates
    go through the base committee's resolution)."""
    step = Organization.steplen
    ancestors = {
        o.path: o
        for o in Organization.objects.filter(
            path__startswith=province.path, kind__in=(Kind.COMMUNE, Kind.BASE_COMMITTEE, Kind.PROVINCIAL_BLOC)
        )
    }
    province_place = province.name.removeprefix("Đảng bộ ")
    cells = []
    for org in Organization.objects.filter(
        path__startswith=province.path, kind__in=(Kind.CELL, Kind.BASE_CELL), dissolved_on__isnull=True
    ).order_by("path"):
        above = [
            ancestors[org.path[:i]]
            for i in range(len(org.path) - step, 0, -step)
            if org.path[:i] in ancestors
        ]
        base = (
            org
            if org.kind == Kind.BASE_CELL
            else next((a for a in above if a.kind == Kind.BASE_COMMITTEE), None)
        )
        commune = next((a for a in above if a.kind == Kind.COMMUNE), None)
        place = f"{commune.name.removeprefix('Đảng bộ ')}, {province_place}" if commune else province_place
        cells.append(
            Cell(
                org=org,
                base_type=base.base_type if base else "",
                workplace=base.name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ") if base else "",
                place=place,
                # As `services.needs_base_resolution`, from the ancestors already read.
                needs_base=base is not None and base.kind == Kind.BASE_COMMITTEE,
            )
        )
    first = min((p for p, o in ancestors.items() if o.kind == Kind.COMMUNE), default="")
    home = [
        c for c in cells if first and c.org.path.startswith(first) and len(c.org.path) == len(first) + step
    ]
    of_committees = [c for c in cells if c.needs_base and c not in home]
    others = [c for c in cells if not c.needs_base and c not in home]
    wanted = max(CELLS - len(home), 0)
    chosen = home + rng.sample(of_committees, min(len(of_committees), wanted // 3))
    chosen += rng.sample(others, min(len(others), CELLS - len(chosen)))
    return sorted(chosen, key=lambda c: c.org.path)


def _plan(
    cell: Cell, final: str, rng: random.Random, pcode: str, seed: int, serial: int, as_of: date, *, late: bool
) -> Plan:
    """The record and the stage dates of a candidate who reached `final` (with `late`, one whose
    decision or ceremony is overdue when the stage allows)."""
    gender = Gender.FEMALE if rng.random() < 0.45 else Gender.MALE
    ethnic = people.ethnicity(rng, pcode)
    age = rng.randint(20, 42)
    birth = as_of - timedelta(days=age * 365 + rng.randint(0, 364))
    occupation = OCCUPATIONS.get(cell.base_type) or rng.choice(
        (Occupation.FARMER, Occupation.FARMER, Occupation.SELF_EMPLOYED)
    )
    data = {
        "full_name": people.full_name(rng, gender=gender, ethnic=ethnic, province_code=pcode),
        "gender": gender,
        "birth_date": birth,
        "ethnicity": ethnic,
        "religion": people.religion(rng, pcode),
        # Serials from 980,000: outside the ranges the member seed gives each province (10,000 from
        # province number × 10,000), so no number is taken twice.
        "citizen_id": people.citizen_id(pcode, gender, birth.year, 980_000 + serial, salt=seed),
        "phone": people.phone(rng),
        "occupation": occupation,
        "workplace": cell.workplace,
        "education": Education.UPPER_SECONDARY if rng.random() < 0.7 else Education.LOWER_SECONDARY,
        "home_town": cell.place,
        "permanent_address": cell.place,
        "youth_union": age <= 30 and rng.random() < 0.85,
    }
    plan = Plan(cell=cell, data=data, final=final)
    stages = list(STAGE_ORDER)
    if final == Stage.WITHDRAWN:
        last = rng.choice((Stage.LISTED, Stage.CLASS, Stage.SPONSORED, Stage.VERIFIED))
    else:
        last = final
    if last == Stage.BASE_RESOLVED and not cell.needs_base:
        last = Stage.CELL_VOTED
    elif last == Stage.CELL_VOTED and cell.needs_base and rng.random() < 0.4:
        last = Stage.BASE_RESOLVED
    todo = stages[: stages.index(last) + 1]
    if not cell.needs_base and Stage.BASE_RESOLVED in todo:
        todo.remove(Stage.BASE_RESOLVED)
    # Lay the stages out from the listing, then slide the whole line so that its last stage lies
    # at the right distance before the seeding day.
    offsets = {Stage.LISTED: 0}
    day = 0
    received_after = rng.randint(2, 10)  # days from the decision to the cell receiving it
    for stage in todo[1:]:
        low, high = GAPS[stage]
        day += rng.randint(low, high) + (received_after if stage == Stage.ADMITTED else 0)
        offsets[stage] = day
    if last == Stage.ADMITTED:
        wait = rng.randint(5, 300)
    elif last in (Stage.CELL_VOTED, Stage.BASE_RESOLVED) and (late or rng.random() < 0.3):
        wait = rng.randint(110, 170) - (offsets[last] - offsets[Stage.CELL_VOTED])  # decision overdue
    elif last == Stage.DECIDED and (late or rng.random() < 0.35):
        wait = rng.randint(55, 90)  # the ceremony is overdue
    else:
        wait = rng.randint(3, 50)
    if final == Stage.WITHDRAWN:
        withdraw_after = rng.randint(10, 60)
        wait += withdraw_after
        plan.withdrawn_on = as_of - timedelta(days=wait - withdraw_after)
        plan.withdraw_reason = rng.choice(WITHDRAW_REASONS)
    listed_on = as_of - timedelta(days=wait + offsets[last])
    plan.dates = {stage: listed_on + timedelta(days=offsets[stage]) for stage in todo}
    if Stage.DECIDED in plan.dates:
        plan.received_on = min(plan.dates[Stage.DECIDED] + timedelta(days=received_after), as_of)
    if Stage.CELL_VOTED in plan.dates and rng.random() < 0.15:
        before = plan.dates.get(Stage.VERIFIED, listed_on)
        failed = plan.dates[Stage.CELL_VOTED] - timedelta(days=rng.randint(14, 30))
        if failed > before:
            plan.failed_vote_on = failed
    return plan


def _run(plan: Plan, actor: Any, members: MemberIndex, rng: random.Random) -> str:
    """Record the plan stage by stage; a stage a rule refuses ends the candidate's progress there
    (the seed stays valid whatever the draw). Returns the refusal, or ""."""
    d = plan.dates
    people_here = members.under(plan.cell.org.path)
    try:
        candidate = services.candidate_create(
            actor=actor, organization=plan.cell.org, data=plan.data, listed_on=d[Stage.LISTED]
        )
    except ValidationError as exc:
        return "; ".join(exc.messages)
    try:
        if Stage.CLASS in d:
            services.candidate_certify_class(
                actor=actor,
                candidate=candidate,
                certificate_no=f"{rng.randint(100, 999)}-CN/TTCT",
                certified_on=d[Stage.CLASS],
            )
        if Stage.SPONSORED in d:
            _sponsor(candidate, d[Stage.SPONSORED], people_here, actor, rng)
        if Stage.VERIFIED in d:
            services.candidate_verify(
                actor=actor, candidate=candidate, verified_on=d[Stage.VERIFIED], note="Lý lịch rõ ràng"
            )
        if Stage.CELL_VOTED in d:
            if plan.failed_vote_on:
                _vote(candidate, plan.failed_vote_on, people_here, actor, rng, passed=False)
            _vote(candidate, d[Stage.CELL_VOTED], people_here, actor, rng, passed=True)
        if Stage.BASE_RESOLVED in d:
            services.candidate_base_resolve(
                actor=actor,
                candidate=candidate,
                resolved_on=d[Stage.BASE_RESOLVED],
                resolution_ref=f"{rng.randint(10, 99)}-NQ/ĐU",
            )
        if Stage.DECIDED in d:
            services.candidate_decide(
                actor=actor,
                candidate=candidate,
                decided_on=d[Stage.DECIDED],
                decision_ref=f"{rng.randint(100, 999)}-QĐ/ĐU",
                received_on=plan.received_on,
            )
        if Stage.ADMITTED in d:
            services.candidate_admit(actor=actor, candidate=candidate, ceremony_on=d[Stage.ADMITTED])
        if plan.withdrawn_on:
            services.candidate_withdraw(
                actor=actor, candidate=candidate, withdrawn_on=plan.withdrawn_on, reason=plan.withdraw_reason
            )
    except ValidationError as exc:
        return "; ".join(exc.messages)
    return ""


def _sponsor(candidate: Any, on: date, people_here: list[Person], actor: Any, rng: random.Random) -> None:
    """Two official members of the cell there for more than 13 months (or the Youth Union for one)."""
    settled = on - timedelta(days=400)
    fit = [p for p in officials_on(people_here, on - timedelta(days=30)) if p.settled_on <= settled]
    rng.shuffle(fit)
    if not fit or (len(fit) < 2 and not candidate.youth_union):
        raise ValidationError({"sponsor_1": "Chi bộ chưa có đủ đảng viên chính thức để giới thiệu."})
    picked = Member.objects.in_bulk([p.id for p in fit[:2]])
    first = picked[fit[0].id]
    second = picked.get(fit[1].id) if len(fit) > 1 and rng.random() < 0.85 else None
    if second is None and not candidate.youth_union:
        second = picked[fit[1].id]
    services.candidate_assign_sponsors(
        actor=actor,
        candidate=candidate,
        assigned_on=on,
        sponsor_1=first,
        sponsor_1_since=add_months(on, -rng.randint(13, 48)),
        sponsor_2=second,
        sponsor_2_since=add_months(on, -rng.randint(13, 48)) if second else None,
        youth_union_resolution="" if second else f"{rng.randint(10, 99)}-NQ/ĐTN",
    )


def _vote(
    candidate: Any, on: date, people_here: list[Person], actor: Any, rng: random.Random, *, passed: bool
) -> None:
    """The cell's vote: at least 2/3 of its official members for it (one or two short if not)."""
    official = max(len(officials_on(people_here, on)), 1)
    needed = math.ceil(official * 2 / 3)
    votes = needed + rng.randint(0, official - needed) if passed else max(needed - rng.randint(1, 2), 0)
    result = services.candidate_cell_vote(
        actor=actor, candidate=candidate, voted_on=on, votes_for=votes, official_members=official
    )
    if passed and not result.passed:
        raise ValidationError({"voted_on": result.message})
