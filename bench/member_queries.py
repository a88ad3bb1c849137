"""Benchmark: member list pages against the raw-SQL floor of the same question (PostgreSQL).

Not a test. Run against a database holding seeded members, e.g. `dangvu_bench` after
`bench/seed_members.py --db postgres --scale national`:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/member_queries.py

Questions (both as a page asks them: `dangvu.members.selectors.member_list`, scoped to a user,
first page of 50 in Vietnamese name order `name_sort, id`):
- name search without diacritics on `search_key`, for a common and a rare name, national scope;
- a filtered list: a commune's subtree, official members, women.
Prints median and p95 milliseconds over `--runs` runs of each path and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from dangvu.accounts.models import OrgRole, Role, User  # noqa: E402
from dangvu.members.models import Member  # noqa: E402
from dangvu.members.selectors import member_list  # noqa: E402
from dangvu.organizations.models import Kind, Organization  # noqa: E402

PAGE = 50


def timings(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()  # warm caches and the connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95


def raw(sql: str, params: list) -> Callable[[], list]:
    def run() -> list:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


def bench_user(org: Organization) -> User:
    """An org_staff account on `org` (created once in the benchmark database)."""
    user, _ = User.objects.get_or_create(
        username=f"bench-{org.code.lower()}", defaults={"full_name": "Bench"}
    )
    OrgRole.objects.get_or_create(user=user, organization=org, role=Role.ORG_STAFF)
    return user


@contextmanager
def indexes_deferred(table: str) -> Iterator[None]:
    """Drop `table`'s secondary indexes (not those behind a constraint), build them again after."""
    with connection.cursor() as cur:
        cur.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = current_schema() AND i.tablename = %s
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [table],
        )
        indexes = cur.fetchall()
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cur.execute(definition)
            cur.execute("RESET maintenance_work_mem")


def inflate(target: int) -> None:
    """Grow members_member to `target` rows by copying records into the empty provinces' cells.

    For the 5.6-million figure on a shared machine: generating every life takes about an hour
    there, so the records of the provinces already generated are copied with one INSERT … SELECT
    into the cells of provinces without members (about as many per cell as generated ones), without
    citizen ID, card number, history or events. The list pages read only members_member and
    organizations_organization, so the copies answer the benchmark questions like generated rows.
    """
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), max(id) FROM members_member")
        have, top = cur.fetchone()
        if have >= target:
            return
        width = 2 * Organization.steplen  # the province level of the path
        cur.execute(
            "SELECT DISTINCT substr(o.path, 1, %s) FROM members_member m "
            "JOIN organizations_organization o ON o.id = m.organization_id",
            [width],
        )
        loaded = [row[0] for row in cur.fetchall()]
        cur.execute(
            """CREATE TEMP TABLE bench_targets AS
               SELECT o.id, row_number() OVER (ORDER BY o.path) - 1 AS rn
               FROM organizations_organization o
               WHERE o.kind IN ('cell', 'base_cell', 'party_group') AND o.numchild = 0
                 AND substr(o.path, 1, %s) <> ALL(%s)""",
            [width, loaded],
        )
        cur.execute("SELECT count(*) FROM bench_targets")
        (cells,) = cur.fetchone()
        copies = -(-(target - have) // have)
        columns = [f.column for f in Member._meta.concrete_fields if f.column not in ("id",)]
        plain = [c for c in columns if c not in ("citizen_id", "card_number", "organization_id")]
    # Secondary indexes dropped during the copy and built once after (as the seed loader does).
    with indexes_deferred(Member._meta.db_table), connection.cursor() as cur:
        cur.execute(
            f"""INSERT INTO members_member ({", ".join(plain)}, organization_id)
                SELECT {", ".join("m." + c for c in plain)}, t.id
                FROM members_member m CROSS JOIN generate_series(0, %s) AS g(j)
                JOIN bench_targets t ON t.rn = (m.id * %s + g.j) %% %s
                WHERE m.id <= %s
                LIMIT %s""",
            [copies - 1, copies, cells, top, target - have],
        )
        cur.execute("ANALYZE members_member")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--common", default="nguyen thi lan")
    parser.add_argument("--rare", default="luc van slao")
    parser.add_argument(
        "--inflate-to", type=int, help="First copy records up to this many members (see inflate)."
    )
    args = parser.parse_args()
    if args.inflate_to:
        t0 = time.perf_counter()
        inflate(args.inflate_to)
        print(f"inflated to {args.inflate_to:,} members in {time.perf_counter() - t0:.0f} s")

    root = Organization.objects.get(code="TW")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM members_member")
        (total,) = cur.fetchone()
    commune = Organization.objects.filter(kind=Kind.COMMUNE).order_by("path").first()
    staff = bench_user(root)
    commune_staff = bench_user(commune)

    def fresh(user: User) -> User:
        return User.objects.get(pk=user.pk)  # a new request: the scope cache starts empty

    def ours(user: User, **filters) -> Callable[[], list]:
        return lambda: list(member_list(user=fresh(user), **filters)[:PAGE])

    select = (
        "SELECT m.*, o.* FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
    )
    order = "ORDER BY m.name_sort, m.id LIMIT 50"

    def search_floor(q: str) -> Callable[[], list]:
        likes = " AND ".join("m.search_key LIKE %s" for _ in q.split())
        return raw(
            f"{select} WHERE {likes} AND m.status IN ('probationary', 'official') {order}",
            [f"%{w}%" for w in q.split()],
        )

    questions = [
        (
            f"name search «{args.common}», national scope",
            ours(staff, q=args.common),
            search_floor(args.common),
        ),
        (f"name search «{args.rare}», national scope", ours(staff, q=args.rare), search_floor(args.rare)),
        (
            f"{commune.name}: official women, page 1",
            ours(commune_staff, organization=commune.pk, status="official", gender="female"),
            raw(
                f"{select} WHERE o.path LIKE %s AND m.status = 'official' AND m.gender = 'female' {order}",
                [commune.path + "%"],
            ),
        ),
    ]
    load = os.getloadavg()[0]
    size = f"{total:,}".replace(",", ".")
    cores = os.cpu_count()
    print(
        f"# {size} members, {connection.vendor}, {args.runs} runs, load average {load:.1f} on {cores} cores"
    )
    print("| question | Đảng vụ median ms | p95 ms | raw SQL median ms | p95 ms | ratio (median) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, mine, floor in questions:
        a, a95 = timings(mine, args.runs)
        b, b95 = timings(floor, args.runs)
        print(f"| {label} | {a:.1f} | {a95:.1f} | {b:.1f} | {b95:.1f} | {a / b:.1f}× |", flush=True)


if __name__ == "__main__":
    main()
