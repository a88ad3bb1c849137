"""Benchmark: how long `dangvu seed` takes to load the synthetic tree into a fresh database.

Not a test. Each run drops and recreates its own database (a SQLite file under var/bench/, or the
PostgreSQL database `dangvu_bench`), migrates it (not timed), then times the tree load (the same
bulk path `dangvu seed --no-accounts` runs) and checks the result: treebeard paths, depth and
numchild, one history row and one "created" event per organization.

    .venv/bin/python bench/seed_tree.py --db sqlite --scale demo --runs 3
    .venv/bin/python bench/seed_tree.py --db postgres --scale national --runs 1
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DB = "dangvu_bench"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", choices=["demo", "province", "national"], default="demo")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    return parser.parse_args()


def configure(db: str, scale: str) -> Path | None:
    """Point Django at the benchmark database before it is imported."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "false"  # no query log kept in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    if db == "sqlite":
        path = BASE_DIR / "var" / "bench" / f"seed_{scale}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return path
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    return None


def fresh_database(db: str, sqlite_path: Path | None) -> float:
    """Drop, recreate and migrate the benchmark database. Returns the migration time."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    if db == "sqlite":
        assert sqlite_path is not None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    return time.perf_counter() - t0


def check_tree() -> tuple[int, Counter]:
    """Verify the materialized paths in one pass (treebeard's find_problems costs two queries a node)."""
    from dangvu.organizations.models import Organization, OrganizationEvent

    steplen = Organization.steplen
    rows = list(Organization.objects.values_list("pk", "path", "depth", "numchild", "kind"))
    paths = {path for _, path, _, _, _ in rows}
    children = Counter(path[:-steplen] for _, path, _, _, _ in rows if len(path) > steplen)
    for pk, path, depth, numchild, _ in rows:
        assert len(path) % steplen == 0 and depth == len(path) // steplen, pk
        assert depth == 1 or path[:-steplen] in paths, f"orphan {pk}"
        assert numchild == children[path], f"numchild {pk}"
    assert Organization.history.filter(history_type="+").count() == len(rows)
    assert OrganizationEvent.objects.filter(kind="created").count() == len(rows)
    return len(rows), Counter(kind for *_, kind in rows)


def main() -> None:
    args = parse()
    sqlite_path = configure(args.db, args.scale)
    import django

    django.setup()
    from dangvu.organizations.admin_units import provinces
    from dangvu.organizations.seeding import DEFAULT_PROVINCE, seed_tree

    codes = [p.code for p in provinces()] if args.scale == "national" else [DEFAULT_PROVINCE[args.scale]]
    times = []
    for run in range(1, args.runs + 1):
        migrate_s = fresh_database(args.db, sqlite_path)
        t0 = time.perf_counter()
        report = seed_tree(province_codes=codes, scale=args.scale, seed=args.seed)
        elapsed = time.perf_counter() - t0
        count, kinds = check_tree()
        times.append(elapsed)
        print(
            f"run {run}: {report.created:,} organizations (+ history and events) in {elapsed:.1f} s "
            f"({report.created / elapsed:,.0f}/s); migrate {migrate_s:.1f} s; tree checked ({count:,} rows)"
        )
    median = statistics.median(times)
    print(f"kinds: {dict(sorted(kinds.items()))}")
    print(f"median of {len(times)}: {median:.1f} s (min {min(times):.1f}, max {max(times):.1f})")
    db_label = "SQLite (file)" if args.db == "sqlite" else "PostgreSQL 15 (local)"
    size = f"{args.scale}: {len(codes)} province(s), {count:,} organizations"
    print("markdown row:")
    print(
        f"| {datetime.date.today():%d/%m/%Y} | {size} | {db_label} | {median:.1f} s (N={len(times)}) | "
        f"{count / median:,.0f} organizations/s; {platform.python_version()}, {os.cpu_count()} cores |"
    )


if __name__ == "__main__":
    main()
