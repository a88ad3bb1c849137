"""Benchmark: how long `dangvu seed` takes to load the synthetic members (records, history, events).

Not a test. SQLite: drops and recreates its own file under var/bench/, migrates and seeds the tree
(not timed), then times the member load. PostgreSQL: uses the database `dangvu_bench` (created with
the national tree by `bench/seed_tree.py` when it has no tree yet), empties the member tables (not
timed) unless `--keep`, then times the member load of the provinces given (all by default; loaded
provinces are skipped, so a run can be split: `--provinces 79,01,…` then the rest with `--keep`).

    .venv/bin/python bench/seed_members.py --db sqlite --scale demo --runs 3
    .venv/bin/python bench/seed_members.py --db postgres --scale national --runs 1
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed_tree as tree_bench  # noqa: E402
from seed_tree import configure, fresh_database  # noqa: E402

MEMBER_TABLES = ("members_memberevent", "members_transfer", "members_historicalmember", "members_member")


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=["demo", "province", "national"], default="demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--provinces", help="Comma-separated province codes (default: all of the scale).")
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the members already loaded.")
    parser.add_argument("--pg-db", default=tree_bench.PG_DB, help="PostgreSQL database (%(default)s).")
    return parser.parse_args()


def empty_members() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(MEMBER_TABLES)} RESTART IDENTITY CASCADE")


def check() -> dict[str, int]:
    """Counts and the invariant: status equals status_after of each member's latest event."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status IN ('probationary', 'official')) "
            "FROM members_member"
            if connection.vendor == "postgresql"
            else "SELECT count(*), sum(status IN ('probationary', 'official')) FROM members_member"
        )
        members, counted = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM members_memberevent")
        (events,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM members_historicalmember")
        (history,) = cursor.fetchone()
        cursor.execute(
            """SELECT count(*) FROM members_member m JOIN (
                 SELECT DISTINCT ON (member_id) member_id, status_after FROM members_memberevent
                 ORDER BY member_id, effective_on DESC, id DESC) e ON e.member_id = m.id
               WHERE e.status_after <> m.status"""
            if connection.vendor == "postgresql"
            else """SELECT count(*) FROM members_member m WHERE m.status <> (
                 SELECT status_after FROM members_memberevent e WHERE e.member_id = m.id
                 ORDER BY effective_on DESC, id DESC LIMIT 1)"""
        )
        (mismatched,) = cursor.fetchone()
    assert history == members, (history, members)
    assert mismatched == 0, mismatched
    return {"members": members, "counted": counted, "events": events}


def main() -> None:
    args = parse()
    tree_bench.PG_DB = args.pg_db
    sqlite_path = configure(args.db, args.scale)
    import django

    django.setup()
    from django.db import connection

    from dangvu.members.seeding import seed_members
    from dangvu.organizations.admin_units import provinces
    from dangvu.organizations.models import Organization
    from dangvu.organizations.seeding import DEFAULT_PROVINCE, seed_tree
    from dangvu.reports import tallies

    if args.provinces:
        codes = [c.strip().zfill(2) for c in args.provinces.split(",")]
    elif args.scale == "national":
        codes = [p.code for p in provinces()]
    else:
        codes = [DEFAULT_PROVINCE[args.scale]]
    as_of = datetime.date.today()
    times, figures = [], {}
    for run in range(1, args.runs + 1):
        if args.db == "sqlite":
            fresh_database("sqlite", sqlite_path)
            seed_tree(province_codes=codes, scale=args.scale, seed=args.seed)
        else:
            migrated = Organization._meta.db_table in connection.introspection.table_names()
            if not migrated or not Organization.objects.filter(code__in=[f"T{c}" for c in codes]).exists():
                fresh_database("postgres", None)
                seed_tree(province_codes=codes, scale=args.scale, seed=args.seed)
            if not args.keep:
                empty_members()
        t0 = time.perf_counter()
        report = seed_members(
            province_codes=codes,
            scale=args.scale,
            seed=args.seed,
            as_of=as_of,
            progress=lambda code, name, n, s: print(
                f"  {name}: {n:,} counted members in {s:.1f} s", flush=True
            ),
        )
        elapsed = time.perf_counter() - t0
        times.append(elapsed)
        figures = check()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"run {run}: {report.rows:,} members ({report.created:,} counted today), "
            f"{report.events:,} events in {elapsed:.1f} s ({report.rows / elapsed:,.0f} members/s); "
            f"peak RSS {rss:,.0f} MB; database now {figures}",
            flush=True,
        )
        # The seed command recounts the statistics counters after a bulk load; so does the bench.
        t0 = time.perf_counter()
        tally_rows = tallies.rebuild()
        print(f"  tallies.rebuild(): {tally_rows:,} rows in {time.perf_counter() - t0:.1f} s", flush=True)
    median = statistics.median(times)
    db_label = "SQLite (file)" if args.db == "sqlite" else "PostgreSQL 15 (local)"
    load = os.getloadavg()[0]
    print("markdown row:")
    print(
        f"| {datetime.date.today():%d/%m/%Y} | {args.scale}: {len(codes)} province(s), "
        f"{report.rows:,} members ({report.created:,} counted), {report.events:,} events | {db_label} | "
        f"{median:.1f} s (N={len(times)}) | "
        f"{report.rows / median:,.0f} members/s; load {load:.1f} on {os.cpu_count()} cores; "
        f"Python {platform.python_version()} |"
    )


if __name__ == "__main__":
    main()
