"""Loading synthetic members province by province, streaming: national scale is 5.6 million.

For each province not holding members yet: read its cells and party groups, decide how many
members each counts (deterministic per organization code and seed), make their lives (record,
events, transfers) and write them in chunks of about 20,000 members: COPY on PostgreSQL,
executemany elsewhere. Member ids are given here so that the history rows, events and transfers
can be written in the same pass without reading anything back. One transaction per province.
"""

from __future__ import annotations

import json
import random
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.utils import timezone

from dangvu.core.text import nfc, person_sort_string, search_key
from dangvu.organizations.admin_units import provinces
from dangvu.organizations.models import BaseType, Kind, Organization

from ..models import Member, MemberEvent, Transfer
from ..rules import rule
from . import people
from .lives import EXIT_POOL, Holder, Life, Limits, MemberMaker

REASON = "Khởi tạo dữ liệu mẫu"
CHUNK = 20_000
# Members a cell counts before scaling, by kind of organization (inclusive ranges).
SIZES = {
    "residential": (15, 40),
    "ward_residential": (15, 40),
    "military": (8, 25),
    "police": (8, 25),
}
AGENCY_SIZE = (5, 20)
# Scaling so that the totals match the published figures: Cao Bằng 27,350 members (demo), the
# country 5.6 million over the national tree (about 300,000 organizations).
SCALE_FACTOR = {"demo": 0.77, "province": 1.0, "national": 1.33}
EXITED_SHARE = 0.07  # members no longer counted (deceased, transferred out, removed…)

MEMBER_COLUMNS = [
    f.attname for f in Member._meta.concrete_fields if f.attname not in ("search_key", "name_sort")
]
MEMBER_COLUMNS += ["search_key", "name_sort"]
HISTORY_COLUMNS = [
    *MEMBER_COLUMNS[:-2],
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user_id",
]
EVENT_COLUMNS = [
    "member_id", "kind", "effective_on", "organization_id", "other_org_id", "status_after", "decision_ref",
    "decision_date", "reason", "data", "actor_id", "created_at", "updated_at",
]  # fmt: skip
TRANSFER_COLUMNS = [
    "member_id", "kind", "state", "from_org_id", "to_org_id", "external_destination", "issued_on",
    "report_due_on", "accepted_on", "starts_on", "ends_on", "for_study", "decision_ref", "reason",
    "issued_by_id", "accepted_by_id", "created_at", "updated_at",
]  # fmt: skip


@dataclass
class MemberSeedReport:
    loaded: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, members counted today
    skipped: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 0  # members written, counted or not
    events: int = 0
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(n for _, _, n in self.loaded)


def seed_members(
    *,
    province_codes: list[str],
    scale: str,
    seed: int,
    as_of: date | None = None,
    progress: Callable[[str, str, int, float], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> MemberSeedReport:
    """Members for each province whose tree is loaded and holds no member yet."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    limits = _limits(as_of)
    report = MemberSeedReport()
    for code in province_codes:
        province = Organization.objects.using(using).filter(code=f"T{code}").first()
        if province is None:
            continue
        if Member.objects.using(using).filter(organization__path__startswith=province.path).exists():
            report.skipped.append((code, province.name))
            continue
        t0 = time.perf_counter()
        counted, rows, events = _load_province(
            province, scale=scale, seed=seed, as_of=as_of, limits=limits, using=using
        )
        report.loaded.append((code, province.name, counted))
        report.rows += rows
        report.events += events
        if progress:
            progress(code, province.name, counted, time.perf_counter() - t0)
    if report.loaded:
        _analyze(using)
    report.seconds = time.perf_counter() - started
    return report


def _analyze(using: str) -> None:
    """PostgreSQL: refresh the planner's statistics after a bulk load. Until autovacuum gets there,
    the planner takes the freshly loaded tables for nearly empty ones and picks nested loops that
    run for minutes (the statistics engine's history queries at national scale)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = [Member, Member.history.model, MemberEvent, Transfer, Organization]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _limits(as_of: date) -> Limits:
    age = rule("member.admission_age_months", on=as_of).value
    return Limits(
        admission_min_months=int(age["min"]),
        admission_max_months=int(age["max"]),
        probation_months=int(rule("member.probation_months", on=as_of).value),
        report_working_days=int(rule("member.deadlines_working_days", on=as_of).value["transfer_report"]),
    )


def _bare(name: str) -> str:
    for prefix in ("Đảng bộ bộ phận ", "Đảng bộ ", "Chi bộ ", "Tổ đảng "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def province_holders(
    province: Organization, *, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[str, list[Holder]]]:
    """(cell code, holders) for every cell of the province: the cell, or its party groups."""
    rows = list(
        Organization.objects.using(using)
        .filter(path__startswith=province.path, dissolved_on__isnull=True)
        .order_by("path")
        .values_list("pk", "path", "kind", "base_type", "code", "name", "admin_unit_code")
    )
    by_path = {r[1]: r for r in rows}
    steplen = Organization.steplen
    pcode = province.code[1:]
    province_bare = _bare(province.name)
    groups: dict[str, list[tuple]] = {}
    for r in rows:
        if r[2] == Kind.PARTY_GROUP:
            groups.setdefault(r[1][:-steplen], []).append(r)
    communes = [r for r in rows if r[2] == Kind.COMMUNE]
    out: list[tuple[str, list[Holder]]] = []
    for pk, path, kind, base_type, code, name, _unit in rows:
        if kind not in (Kind.CELL, Kind.BASE_CELL):
            continue
        # Walk up for the base type and the commune the cell belongs to.
        ancestors = [by_path.get(path[:i]) for i in range(len(path) - steplen, 0, -steplen)]
        parent = ancestors[0]
        base = base_type or next((a[3] for a in ancestors if a and a[3]), "")
        commune = next((a for a in ancestors if a and a[2] == Kind.COMMUNE), None)
        if kind == Kind.CELL and parent is not None and parent[2] == Kind.COMMUNE:
            profile = "ward_residential" if _bare(parent[5]).startswith("phường") else "residential"
            workplace = ""
        else:
            profile = {
                BaseType.ADMINISTRATIVE: "administrative",
                BaseType.PUBLIC_SERVICE: "public_service",
                BaseType.STATE_ENTERPRISE: "state_enterprise",
                BaseType.PRIVATE_ENTERPRISE: "private_enterprise",
                BaseType.MILITARY: "military",
                BaseType.POLICE: "police",
            }.get(base, "other")
            top = next(
                (a for a in reversed(ancestors) if a and a[2] in (Kind.BASE_CELL, Kind.BASE_COMMITTEE)), None
            )
            workplace = _bare((top or (pk, path, kind, base, code, name))[5])
        # Agency staff live somewhere in the province: a commune drawn from the cell's code.
        home = commune or (communes[zlib.crc32(code.encode()) % len(communes)] if communes else None)
        commune_name = _bare(home[5]) if home else ""
        place = f"{commune_name}, {province_bare}" if commune_name else province_bare
        address = f"{_bare(name)}, {place}" if profile.endswith("residential") else place
        unit = home[6] if home else pcode
        holder_rows = groups.get(path) or [(pk,)]
        out.append(
            (
                code,
                [Holder(g[0], profile, workplace, address, unit, pcode, place) for g in holder_rows],
            )
        )
    return out


def _cell_size(rng: random.Random, profile: str, factor: float) -> int:
    low, high = SIZES.get(profile, AGENCY_SIZE)
    return max(3, round(rng.randint(low, high) * factor))


def generate(
    province: Organization,
    *,
    scale: str,
    seed: int,
    as_of: date,
    limits: Limits,
    using: str = DEFAULT_DB_ALIAS,
) -> Iterator[Life]:
    """Every member of the province, cell by cell, in a deterministic order."""
    cells = province_holders(province, using=using)
    all_ids = [h.org_id for _code, holders in cells for h in holders]
    if not all_ids:
        return

    def other_org(rng: random.Random, not_id: int) -> int:
        while True:
            pick = all_ids[rng.randrange(len(all_ids))]
            if pick != not_id or len(all_ids) == 1:
                return pick

    others = [f"Đảng bộ {p.name}" for p in provinces() if p.code != province.code[1:]]
    maker = MemberMaker(as_of=as_of, limits=limits, other_org=other_org, external_places=others)
    factor = SCALE_FACTOR.get(scale, 1.0)
    for code, holders in cells:
        rng = random.Random(f"{seed}:members:{code}")
        n = _cell_size(rng, holders[0].profile, factor)
        exited = int(n * EXITED_SHARE * 2 * rng.random() + rng.random())
        for i in range(n):
            yield maker.make(rng, holders[i % len(holders)])
        for i in range(exited):
            yield maker.make(rng, holders[i % len(holders)], exiting=EXIT_POOL.pick(rng))


@transaction.atomic
def _load_province(
    province: Organization, *, scale: str, seed: int, as_of: date, limits: Limits, using: str
) -> tuple[int, int, int]:
    """Write the province's members. Returns (counted today, member rows, event rows)."""
    Organization.objects.using(using).select_for_update().filter(pk=province.pk).first()
    next_id = (Member.objects.using(using).aggregate(m=Max("id"))["m"] or 0) + 1
    writer = _Writer(using)
    pnum = int(province.code[1:])
    serials: dict[tuple[str, str, int], int] = {}
    counted = rows = events = 0
    buf_m: list[tuple] = []
    buf_h: list[tuple] = []
    buf_e: list[tuple] = []
    buf_t: list[tuple] = []
    now = writer.stamp
    lives = generate(province, scale=scale, seed=seed, as_of=as_of, limits=limits, using=using)
    for card_serial, life in enumerate(lives, 1):
        rec = life.record
        member_id = next_id
        next_id += 1
        birth = rec["birth_date"]
        # Citizen IDs: the serial space of each (birth province, gender, year) is split between
        # seeded provinces (10,000 each), so provinces seeded at different times never collide.
        key = (province.code[1:], rec["gender"], birth.year)
        serial = serials.get(key, 0)
        serials[key] = serial + 1
        rec["citizen_id"] = (
            people.citizen_id(key[0], rec["gender"], birth.year, pnum * 10_000 + serial, salt=seed)
            if serial < 10_000
            else None
        )
        rec["card_number"] = (
            people.scramble(pnum * 1_000_000 + card_serial, 8, seed)
            if rec["status"] != "probationary"
            else None
        )
        rec["dossier_number"] = f"{province.code[1:]}.{card_serial:06d}"
        rec["full_name"] = nfc(rec["full_name"])
        rec["id"] = member_id
        rec["created_at"] = rec["updated_at"] = now
        rec["search_key"], rec["name_sort"] = _name_keys(rec["full_name"])
        member_row = _member_values({**_DEFAULTS, **rec})
        buf_m.append(member_row)
        buf_h.append((*member_row[:-2], now, "+", REASON, None))
        for e in life.events:
            buf_e.append(
                (
                    member_id,
                    e.kind,
                    e.on,
                    e.org_id,
                    e.other_org_id,
                    e.status_after,
                    e.decision_ref,
                    e.on,
                    REASON if e.kind == "admitted" else "",
                    json.dumps(e.data, ensure_ascii=False) if e.data else "{}",
                    None,
                    now,
                    now,
                )
            )
        for t in life.transfers:
            buf_t.append(
                (
                    member_id,
                    t.kind,
                    t.state,
                    t.from_org_id,
                    t.to_org_id,
                    t.external_destination,
                    t.issued_on,
                    t.report_due_on,
                    t.accepted_on,
                    t.starts_on,
                    t.ends_on,
                    False,
                    t.decision_ref,
                    REASON,
                    None,
                    None,
                    now,
                    now,
                )
            )
        rows += 1
        events += len(life.events)
        counted += rec["status"] in ("probationary", "official")
        if len(buf_m) >= CHUNK:
            writer.flush(buf_m, buf_h, buf_e, buf_t)
    writer.flush(buf_m, buf_h, buf_e, buf_t)
    writer.reset_sequences()
    return counted, rows, events


@lru_cache(maxsize=500_000)
def _name_keys(full_name: str) -> tuple[str, str]:
    # Names repeat a lot (a few thousand family-middle-given combinations per pool): compute once.
    return search_key(full_name), person_sort_string(full_name)


_DEFAULTS: dict[str, Any] = {
    "other_names": "",
    "old_address": "",
    "email": "",
    "foreign_language": "",
    "first_admission_date": None,
    "residence_liaison_org_id": None,
    "readmitted": False,
    "user_id": None,
    "official_on": None,
}


_member_values = itemgetter(*MEMBER_COLUMNS)


class _Writer:
    """Writes buffered rows with COPY (PostgreSQL) or executemany, then empties the buffers."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]
        self.pg = self.connection.vendor == "postgresql"
        now = timezone.now()
        # created_at, updated_at and history_date: one value, adapted once for the backend.
        self.stamp = now if self.pg else self.connection.ops.adapt_datetimefield_value(now)

    def _write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
        quote = self.connection.ops.quote_name
        cols = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})", rows)

    def flush(self, members: list, history: list, events: list, transfers: list) -> None:
        self._write(Member._meta.db_table, MEMBER_COLUMNS, members)
        self._write(Member.history.model._meta.db_table, HISTORY_COLUMNS, history)
        self._write(MemberEvent._meta.db_table, EVENT_COLUMNS, events)
        if transfers:
            self._write(Transfer._meta.db_table, TRANSFER_COLUMNS, transfers)
        for buf in (members, history, events, transfers):
            buf.clear()

    def reset_sequences(self) -> None:
        statements = self.connection.ops.sequence_reset_sql(no_style(), [Member])
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
