"""Congress rounds of the demo: opened by the province through the services, then the results of
each held congress and the committee it elected, written in bulk with their history rows.

The demo tree starts with the reorganization of 01/7/2025 (QĐ 294: commune committees directly
under the province), so the congresses seeded are those held in the new structure:

- "Đại hội tổ chức cơ sở đảng nhiệm kỳ 2025–2030": base organizations held their congresses
  before 30/6/2025 (Kết luận 163-KL/TW); those re-formed under the new communes and provincial
  committees held theirs for the same term from July to September 2025. Nearly all are done
  (99%); the few left are overdue, most with a new date.
- "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027": affiliated cells hold congresses twice in five
  years (Điều lệ Điều 24.3: 30 months, 6 months earlier or later). The cells regrouped with the
  merged villages and residential groups hold theirs for the first half of the term once the
  communes are settled, from 01/9/2025 to 31/12/2026: on 23/11/2026 about 78% are held, the rest
  have planned dates (some already missed); a cell in one commune of four held a pilot congress
  (đại hội điểm) first.

`congress_record` builds the tree as of the day for every congress (a few hundred milliseconds
each): for some 1,800 congresses the seed writes the same fields itself, under the same rules: a
quorum of 2/3, more than half of the valid ballots for every seat, a cell committee only from 9
official members (at most 7, one deputy), candidates official and already in the organization on
the day, and the age of Chỉ thị 45 (otherwise a written exception, as `congress_record` requires).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from dangvu.congresses import rules as congress_rules
from dangvu.congresses import services as congress_services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import CommitteeMembership, Congress, CongressRound
from dangvu.members.choices import Status
from dangvu.members.models import Member, MemberEvent

from ...models import Kind, Organization
from ..load import REASON, bulk_insert

AGE_EXCEPTION = "Cấp ủy cấp trên trực tiếp đồng ý giới thiệu (chi bộ không có nhân sự trong độ tuổi)"


@dataclass(frozen=True)
class RoundPlan:
    """A congress round to seed and how far it has come."""

    level: str
    term: tuple[int, int]
    starts_on: date
    deadline: date
    held_from: date  # the first congresses; the others spread up to `held_to` (or yesterday)
    held_to: date
    held_share: float
    pilot_share: float  # share of the province's children where a pilot congress came first


ROUNDS = (
    RoundPlan(
        Level.BASE,
        (2025, 2030),
        starts_on=date(2025, 7, 1),
        deadline=date(2025, 9, 30),
        held_from=date(2025, 7, 8),
        held_to=date(2025, 9, 27),
        held_share=0.99,
        pilot_share=0.0,
    ),
    RoundPlan(
        Level.CELL,
        (2025, 2027),
        starts_on=date(2025, 9, 1),
        deadline=date(2026, 12, 31),
        held_from=date(2025, 9, 15),
        held_to=date(2026, 12, 31),
        held_share=0.78,
        pilot_share=0.25,
    ),
)


# ---------------------------------------------------------------------------------------------
# Members: who can be elected where


@dataclass(slots=True)
class Person:
    id: int
    path: str
    birth_date: date
    gender: str
    official_on: date | None
    exempted: bool
    settled_on: date  # the last time they arrived (admitted, transferred in…)


class MemberIndex:
    """The counted members of a province, reachable from any organization path above them."""

    def __init__(self, province: Organization) -> None:
        arrivals = dict(
            MemberEvent.objects.filter(
                member__organization__path__startswith=province.path,
                kind__in=[
                    MemberEvent.Kind.ADMITTED,
                    MemberEvent.Kind.TRANSFERRED_IN,
                    MemberEvent.Kind.READMITTED,
                    MemberEvent.Kind.CONTACT_RESTORED,
                ],
            )
            .order_by()
            .values("member_id")
            .annotate(last=Max("effective_on"))
            .values_list("member_id", "last")
        )
        self.by_path: dict[str, list[Person]] = defaultdict(list)
        step = Organization.steplen
        for pk, path, birth, gender, official_on, exempted in _counted_members(province):
            p = Person(pk, path, birth, gender, official_on, exempted, arrivals.get(pk, date(1930, 1, 1)))
            for i in range(len(province.path), len(path) + 1, step):
                self.by_path[path[:i]].append(p)

    def under(self, path: str) -> list[Person]:
        return self.by_path.get(path, [])


def _counted_members(province: Organization) -> list[tuple]:
    return list(
        Member.objects.filter(
            organization__path__startswith=province.path,
            status__in=[Status.OFFICIAL, Status.PROBATIONARY],
        )
        .order_by("id")
        .values_list("id", "organization__path", "birth_date", "gender", "official_on", "exempted")
    )


def officials_on(people: list[Person], on: date) -> list[Person]:
    """Official members on `on` who were already there (their arrival came before)."""
    return [p for p in people if p.official_on is not None and p.official_on <= on and p.settled_on < on]


# ---------------------------------------------------------------------------------------------
# Congress rounds


def seed_round(
    plan: RoundPlan, *, province: Organization, actor: Any, seed: int, as_of: date, members: MemberIndex
) -> CongressRound:
    rnd = congress_services.round_create(
        actor=actor,
        organization=province,
        level=plan.level,
        term_start_year=plan.term[0],
        term_end_year=plan.term[1],
        starts_on=plan.starts_on,
        deadline=plan.deadline,
    )
    rnd = congress_services.round_open(actor=actor, round=rnd, on=plan.starts_on)
    rows = list(
        Congress.objects.filter(round=rnd).select_related("organization").order_by("organization__path")
    )
    if not rows:
        return rnd
    step = Organization.steplen
    top = len(province.path) + step  # a child of the province: a commune or a provincial committee
    # Some communes are ahead, others behind: a bias per commune plus a draw per organization; the
    # best-placed congresses were held, earliest first.
    bias: dict[str, float] = {}
    scored = []
    for c in rows:
        where = c.organization.path[:top]
        if where not in bias:
            bias[where] = random.Random(f"{seed}:{plan.level}:{where}").gauss(0, 0.35)
        r = random.Random(f"{seed}:{plan.level}:{c.organization.code}")
        scored.append((bias[where] + r.random(), c, r))
    scored.sort(key=lambda s: -s[0])
    held_to = min(plan.held_to, as_of - timedelta(days=1))
    n = len(scored)
    k = 0
    if held_to >= plan.held_from:
        k = round(n * plan.held_share)
        if n >= 2:
            k = min(max(k, 1), n - 1)  # a partial figure, whatever the size of the tree
    span = max((held_to - plan.held_from).days, 0)
    pilots: set[str] = set()
    seats: list[dict[str, Any]] = []
    for i, (_score, c, r) in enumerate(scored):
        where = c.organization.path[:top]
        if i < k:
            pilot = where not in pilots and random.Random(f"{seed}:pilot:{where}").random() < plan.pilot_share
            if pilot:
                pilots.add(where)
                held_on = plan.held_from + timedelta(days=r.randint(0, 10))
            else:
                day = round(span * i / k) + r.randint(-6, 6)
                held_on = plan.held_from + timedelta(days=min(max(day, 0), span))
            c.pilot = pilot
            c.planned_on = held_on - timedelta(days=r.choice((0, 0, 0, 2, 7, 14)))
            seats += _record(c, held_on, rnd.level, members.under(c.organization.path), r, actor)
        else:
            c.planned_on = _planned(plan, as_of, r)
    now = timezone.now()
    congresses = [c for _s, c, _r in scored]
    for c in congresses:
        c.updated_at = now
    _update(congresses, RECORDED_FIELDS)
    _history_rows(congresses, actor, "~", now)
    for seat in seats:
        seat.update(created_by_id=actor.pk if actor else None, created_at=now, updated_at=now)
    bulk_insert(CommitteeMembership, seats)
    _history_rows(list(CommitteeMembership.objects.filter(congress__round=rnd)), actor, "+", now)
    return rnd


# The fields a recording fills in (what `congress_services.congress_record` writes).
RECORDED_FIELDS = (
    "planned_on",
    "held_on",
    "pilot",
    "summoned",
    "attending",
    "official_members",
    "committee_size",
    "secretary_elected_directly",
    "recorded_by_id",
    "updated_at",
)


def _update(objs: list[Any], attnames: tuple[str, ...]) -> None:
    """UPDATE each row's `attnames` with one executemany (Django's bulk_update builds a CASE per
    field and row: seconds for a province's cells)."""
    if not objs:
        return
    model = type(objs[0])
    fields = [model._meta.get_field(a.removesuffix("_id")) for a in attnames]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
    params = [(*(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields), o.pk) for o in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _history_rows(objs: list[Any], actor: Any, kind: str, now: Any) -> None:
    """The simple-history rows of `objs` as they are now ("+" created, "~" changed), with the
    seed's reason and `actor`, written in one bulk insert."""
    if not objs:
        return
    model = type(objs[0])
    attnames = [f.attname for f in model._meta.concrete_fields]
    rows = [
        {
            **{a: getattr(o, a) for a in attnames},
            "history_date": now,
            "history_type": kind,
            "history_change_reason": REASON,
            "history_user_id": actor.pk if actor else None,
        }
        for o in objs
    ]
    bulk_insert(model.history.model, rows)


def _planned(plan: RoundPlan, as_of: date, r: random.Random) -> date | None:
    """The planned date of a congress not held yet: mostly ahead, some already missed, a few none."""
    roll = r.random()
    if roll < 0.15:
        return None
    if roll < 0.4:
        missed = as_of - timedelta(days=r.randint(5, 45))
        return max(missed, plan.starts_on)
    end = plan.deadline if plan.deadline > as_of + timedelta(days=7) else as_of + timedelta(days=60)
    return as_of + timedelta(days=r.randint(3, max((end - as_of).days, 3)))


def _record(
    c: Congress, held_on: date, level: str, people: list[Person], r: random.Random, actor: Any
) -> list[dict[str, Any]]:
    """Fill in the results of a held congress; return the seats it elected (rows to insert)."""
    org = c.organization
    official = officials_on(people, held_on)
    n = len(official)
    # Exempted members who stay away are not summoned (QĐ 294 §9.3.2); here all of them stay away.
    summoned = max(sum(1 for p in official if not p.exempted) or n, 1)
    absent_max = summoned - math.ceil(summoned * 2 / 3)
    attending = summoned - min(absent_max, r.choices((0, 1, 2, 3), weights=(5, 3, 2, 1))[0])
    valid = attending - (1 if attending >= 12 and r.random() < 0.3 else 0)
    c.held_on = held_on
    c.summoned, c.attending, c.official_members = summoned, attending, n
    c.recorded_by_id = actor.pk if actor else None
    size, deputies = _leadership(org.kind, n, r)
    chosen = _choose(official, size, level, held_on, r)
    c.committee_size = len(chosen)
    # A cell without a committee elects its secretary directly; a committee elects its secretary.
    direct = len(chosen) <= 2 and org.kind in (Kind.CELL, Kind.BASE_CELL)
    c.secretary_elected_directly = direct
    seats = []
    for j, (person, exception) in enumerate(chosen):
        position = Position.SECRETARY if j == 0 else Position.DEPUTY if j <= deputies else Position.MEMBER
        # The committee elects its secretary and deputy among its members, nearly always unanimously.
        by_committee = not direct and position != Position.MEMBER
        size_now = len(chosen)
        position_for = size_now if size_now <= 2 or r.random() < 0.8 else size_now - 1
        seats.append(
            {
                "organization_id": org.pk,
                "member_id": person.id,
                "position": position,
                "congress_id": c.pk,
                "started_on": held_on,
                "votes_for": _votes(valid, r),
                "votes_valid": valid,
                "position_votes_for": position_for if by_committee else None,
                "position_votes_valid": size_now if by_committee else None,
                "elected_directly": direct and position == Position.SECRETARY,
                "first_time": True,
                "age_exception": exception,
            }
        )
    return seats


def _leadership(kind: str, official: int, r: random.Random) -> tuple[int, int]:
    """(seats, deputies) for an organization with `official` official members (Điều lệ Điều 24;
    QĐ 294: a cell committee from 9 official members, at most 7, one deputy)."""
    if kind == Kind.BASE_COMMITTEE:
        size = 5 if official < 60 else 7 if official < 120 else 9
        return min(size, official), 1 if size < 9 else 2
    if official >= 9:
        return (3 if official < 15 else 5), 1
    return (2 if official >= 5 and r.random() < 0.5 else 1), 1


def _choose(
    official: list[Person], size: int, level: str, held_on: date, r: random.Random
) -> list[tuple[Person, str]]:
    """`size` official members, preferring those the age rule of Chỉ thị 45 allows; the others
    carry a written exception, as a real cell without younger members would."""
    pool = official[:]
    r.shuffle(pool)
    fit: list[tuple[Person, str]] = []
    rest: list[tuple[Person, str]] = []
    for p in pool:
        if len(fit) >= size:
            break
        error = congress_rules.age_error(p.birth_date, p.gender, level, first_time=True, on=held_on)
        (rest if error else fit).append((p, AGE_EXCEPTION if error else ""))
    return (fit + rest)[:size]


def _votes(valid: int, r: random.Random) -> int:
    """Votes for an elected member: more than half of the valid ballots, usually most of them."""
    majority = valid // 2 + 1
    return max(majority, valid - int(r.expovariate(1.0) * max(1.0, valid * 0.08)))
