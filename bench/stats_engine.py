"""Benchmark: the statistics engine against the raw-SQL floor of the same figures.

Not a test. Server time only: the engine is called in-process (`dangvu.reports.statistics`), no
HTTP, no template. Each question runs once to warm the caches, then `--runs` times; the median is
printed with the floor (the plain SQL that computes the same headline figures directly on the
members, events and organizations tables) and the ratio ours / floor.

    # PostgreSQL, national tree with members (bench/seed_tree.py, bench/seed_members.py, …)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_bench \\
        .venv/bin/python bench/stats_engine.py --rebuild --runs 7
    # SQLite, province scale (builds var/bench/statistics_province.sqlite3 first when --build)
    .venv/bin/python bench/stats_engine.py --db sqlite --build --runs 7

Questions: `snapshot(country)` today (PostgreSQL only), `snapshot(province)` today, `snapshot(commune)`
today, `snapshot(province, on=<months ago>)`, `period(province, 1 January, today)`. `--profile`
also prints, for each question, the share of time spent in SQL and the slowest queries.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics as stats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SQLITE_PATH = BASE_DIR / "var" / "bench" / "statistics_province.sqlite3"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--build", action="store_true", help="SQLite: build the province database first.")
    parser.add_argument("--rebuild", action="store_true", help="Time tallies.rebuild() first.")
    parser.add_argument(
        "--analyze", action="store_true", help="PostgreSQL: ANALYZE the counters, events and tree first."
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--province", default="T79")
    parser.add_argument("--commune", help="Commune code (default: the province's largest commune).")
    parser.add_argument("--months-ago", type=int, default=6, help="The past date of the history question.")
    parser.add_argument("--only", help="Comma-separated question numbers to run (1-based).")
    parser.add_argument("--no-floor", action="store_true", help="Time only ours (floors already known).")
    parser.add_argument("--profile", action="store_true", help="Print where the time of each question goes.")
    parser.add_argument("--seed", type=int, default=2025)
    return parser.parse_args()


def configure(db: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    if db == "sqlite":
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/dangvu_bench")


def build_sqlite(seed: int) -> None:
    """The province-scale SQLite database: Hồ Chí Minh City's tree and members, then the counters."""
    from django.core.management import call_command
    from django.db import connections

    from dangvu.members.seeding import seed_members
    from dangvu.organizations.seeding import seed_tree

    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    seed_tree(province_codes=["79"], scale="province", seed=seed)
    print(f"tree loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    report = seed_members(province_codes=["79"], scale="province", seed=seed)
    took = time.perf_counter() - t0
    print(f"members: {report.rows:,} rows ({report.created:,} counted) in {took:.1f} s", flush=True)


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    fn()  # warm-up: caches, connection, the page cache of the tables
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return stats.median(times), times


# ---------------------------------------------------------------------------------------------
# The floors: plain SQL on the tables, no counters, no Python beyond fetching the rows.

ACTIVE = "('probationary', 'official')"


def _families(pg: bool) -> list[str]:
    """The grouping columns of `tallies.MEMBER_FAMILIES` (one GROUP BY per family)."""
    year = "EXTRACT(YEAR FROM {})" if pg else "strftime('%%Y', {})"
    admitted = "COALESCE(m.first_admission_date, m.admission_decision_date)"
    return [
        "m.status",
        "m.gender",
        f"{year.format('m.birth_date')}, m.gender",
        "m.ethnicity, m.gender",
        "m.religion, m.gender",
        "m.education",
        "m.qualification",
        "m.theory_level",
        "m.occupation",
        year.format(admitted),
        f"CASE WHEN {admitted} <= '1945-08-18' THEN 1 WHEN {admitted} <= '1954-07-20' THEN 2 "
        f"WHEN {admitted} <= '1975-04-30' THEN 3 ELSE 4 END",
        "m.exempted",
    ]


def today_floor(prefix: str, pg: bool) -> list[tuple[str, list]]:
    """Today's headline figures of a subtree from the members table (one scan on PostgreSQL with
    GROUPING SETS, one GROUP BY per family on SQLite), plus organizations by kind and base type
    and admissions per year from the events."""
    fams = _families(pg)
    src = (
        "FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id "
        f"WHERE o.path LIKE %s AND m.status IN {ACTIVE}"
    )
    if pg:
        sets = ", ".join(f"({f})" for f in fams)
        cols = ", ".join(dict.fromkeys(c.strip() for f in fams for c in _split(f)))
        member_queries = [(f"SELECT {cols}, count(*) {src} GROUP BY GROUPING SETS ({sets})", [prefix + "%"])]
    else:
        member_queries = [(f"SELECT {f}, count(*) {src} GROUP BY {f}", [prefix + "%"]) for f in fams]
    year = "EXTRACT(YEAR FROM e.effective_on)" if pg else "strftime('%%Y', e.effective_on)"
    return [
        *member_queries,
        (
            "SELECT o.kind, o.base_type, count(*) FROM organizations_organization o "
            "WHERE o.path LIKE %s AND o.dissolved_on IS NULL GROUP BY o.kind, o.base_type",
            [prefix + "%"],
        ),
        (
            f"SELECT {year}, count(*) FROM members_memberevent e "
            "JOIN organizations_organization o ON o.id = e.organization_id "
            f"WHERE o.path LIKE %s AND e.kind = 'admitted' GROUP BY {year}",
            [prefix + "%"],
        ),
    ]


def _split(family: str) -> list[str]:
    # Top-level commas only (the CASE and EXTRACT expressions hold none at top level but
    # "year, gender" pairs do).
    parts, depth, cur = [], 0, ""
    for ch in family:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


STATE_KINDS_SQL = (
    "('admitted', 'recognized_official', 'transferred_out', 'transferred_in', 'removed', 'expelled', "
    "'left', 'deceased', 'contact_lost', 'contact_restored', 'readmitted')"
)


def _last_state_cte(prefix: str, on: datetime.date) -> tuple[str, list]:
    """Each member's last status-changing event on or before `on`, for the members who had one at
    an organization now under `prefix` (the window-function query over members_memberevent)."""
    sql = f"""
        WITH cand AS (
            SELECT DISTINCT e.member_id FROM members_memberevent e
            JOIN organizations_organization o ON o.id = e.organization_id
            WHERE o.path LIKE %s AND e.effective_on <= %s AND e.kind IN {STATE_KINDS_SQL}
        ), ranked AS (
            SELECT e.member_id, e.organization_id, e.status_after,
                   row_number() OVER (PARTITION BY e.member_id ORDER BY e.effective_on DESC, e.id DESC) AS rn
            FROM members_memberevent e
            WHERE e.member_id IN (SELECT member_id FROM cand)
              AND e.effective_on <= %s AND e.kind IN {STATE_KINDS_SQL}
        ), last AS (
            SELECT r.member_id, r.organization_id, r.status_after AS status FROM ranked r
            JOIN organizations_organization o ON o.id = r.organization_id
            WHERE r.rn = 1 AND r.status_after IN {ACTIVE} AND o.path LIKE %s
        )"""
    return sql, [prefix + "%", on, on, prefix + "%"]


def past_floor(prefix: str, on: datetime.date, pg: bool) -> list[tuple[str, list]]:
    """The same families counted as of `on` from the event history (current tree, no exemption
    history: a floor a little easier than what the engine answers)."""
    cte, params = _last_state_cte(prefix, on)
    fams = [f.replace("m.status", "last.status") for f in _families(pg)[:-1]]
    src = "FROM last JOIN members_member m ON m.id = last.member_id"
    if pg:
        sets = ", ".join(f"({f})" for f in fams)
        cols = ", ".join(dict.fromkeys(c.strip() for f in fams for c in _split(f)))
        return [(f"{cte} SELECT {cols}, count(*) {src} GROUP BY GROUPING SETS ({sets})", params)]
    return [(f"{cte} SELECT {f}, count(*) {src} GROUP BY {f}", params) for f in fams]


def period_floor(prefix: str, start: datetime.date, end: datetime.date) -> list[tuple[str, list]]:
    """Opening count (history), movements by kind, admissions by segment, closing count (table)."""
    cte, params = _last_state_cte(prefix, start - datetime.timedelta(days=1))
    src = (
        "FROM members_memberevent e JOIN organizations_organization o ON o.id = e.organization_id "
        "JOIN members_member m ON m.id = e.member_id "
        "WHERE o.path LIKE %s AND e.effective_on BETWEEN %s AND %s"
    )
    return [
        (f"{cte} SELECT count(*) FROM last", params),
        (f"SELECT e.kind, count(*) {src} GROUP BY e.kind", [prefix + "%", start, end]),
        (
            f"SELECT m.gender, m.ethnicity = 'kinh', m.religion = 'none', m.occupation, m.education, "
            f"m.qualification, m.theory_level, count(*) {src} AND e.kind = 'admitted' "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7",
            [prefix + "%", start, end],
        ),
        (
            "SELECT count(*) FROM members_member m JOIN organizations_organization o "
            f"ON o.id = m.organization_id WHERE o.path LIKE %s AND m.status IN {ACTIVE}",
            [prefix + "%"],
        ),
    ]


def run_sql(queries: list[tuple[str, list]]) -> Callable[[], int]:
    from django.db import connection

    def run() -> int:
        n = 0
        with connection.cursor() as cur:
            for sql, params in queries:
                cur.execute(sql, params)
                n += len(cur.fetchall())
        return n

    return run


# ---------------------------------------------------------------------------------------------
# Profiling: SQL time per query shape, and the Python around it


class QueryClock:
    """A connection execute wrapper that adds up the time of each query (by its first words)."""

    def __init__(self) -> None:
        self.by_sql: dict[str, list[float]] = defaultdict(list)

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.by_sql[" ".join(sql.split())[:160]].append((time.perf_counter() - t0) * 1000)

    def report(self, total_ms: float) -> None:
        sql_ms = sum(sum(v) for v in self.by_sql.values())
        count = sum(len(v) for v in self.by_sql.values())
        print(
            f"    profile: {total_ms:.1f} ms total, {sql_ms:.1f} ms in {count} queries "
            f"({sql_ms / total_ms:.0%}), {total_ms - sql_ms:.1f} ms Python"
        )
        for sql, times in sorted(self.by_sql.items(), key=lambda kv: -sum(kv[1]))[:4]:
            print(f"      {sum(times):8.1f} ms ×{len(times)}  {sql}")


def profile(fn: Callable[[], object]) -> None:
    import cProfile
    import io
    import pstats

    from django.db import connection

    clock = QueryClock()
    with connection.execute_wrapper(clock):
        t0 = time.perf_counter()
        fn()
        total = (time.perf_counter() - t0) * 1000
    clock.report(total)
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(r"dangvu/reports", 8)
    lines = [ln for ln in out.getvalue().splitlines() if "dangvu/reports" in ln]
    for ln in lines[:8]:
        print("      " + ln.strip())


# ---------------------------------------------------------------------------------------------


def main() -> None:
    args = parse()
    configure(args.db)
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from dangvu.organizations.models import Kind, Organization
    from dangvu.reports import statistics as engine
    from dangvu.reports import tallies
    from dangvu.reports.models import Tally

    if args.build:
        assert args.db == "sqlite", "--build is for SQLite; PostgreSQL: bench/seed_tree.py, seed_members.py"
        build_sqlite(args.seed)
        args.rebuild = True
    if args.rebuild:
        t0 = time.perf_counter()
        rows = tallies.rebuild()
        print(f"tallies.rebuild(): {rows:,} counter rows in {time.perf_counter() - t0:.1f} s", flush=True)

    pg = connection.vendor == "postgresql"
    if args.analyze and pg:
        with connection.cursor() as cur:
            for table in ("reports_tally", "members_memberevent", "members_member"):
                cur.execute(f"ANALYZE {table}")
            cur.execute("ANALYZE organizations_organization")
    today = timezone.localdate()
    past = today - datetime.timedelta(days=round(args.months_ago * 30.44))
    province = Organization.objects.get(code=args.province)
    communes = Organization.objects.filter(path__startswith=province.path, kind=Kind.COMMUNE)
    if args.commune:
        commune = Organization.objects.get(code=args.commune)
    else:
        sizes = dict(
            Tally.objects.filter(organization__in=communes, key="all").values_list("organization_id", "total")
        )
        commune = max(communes, key=lambda c: (sizes.get(c.pk, 0), c.path))
    root = Organization.objects.get(path=province.path[: Organization.steplen])

    def counted(org: Organization) -> int:
        row = Tally.objects.filter(organization=org, key="all").values_list("total", flat=True).first()
        return row or 0

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM members_member")
        (members,) = cur.fetchone()
        cur.execute("SELECT count(*) FROM members_memberevent")
        (events,) = cur.fetchone()
        cur.execute("SELECT count(*) FROM organizations_organization")
        (orgs,) = cur.fetchone()
    vendor = "PostgreSQL" if pg else "SQLite"
    print(
        f"# {vendor}: {orgs:,} organizations, {members:,} member rows ({counted(root):,} counted), "
        f"{events:,} events; province {province.code} ({counted(province):,} counted), commune "
        f"{commune.code} {commune.name} ({counted(commune):,} counted); today {today:%d/%m/%Y}, past "
        f"date {past:%d/%m/%Y}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    start = today.replace(month=1, day=1)
    questions: list[tuple[str, str, Callable[[], object], Callable[[], object]]] = []
    if pg:
        country = (lambda: engine.snapshot(root), run_sql(today_floor(root.path, pg)))
        questions.append(("snapshot(country) today", "< 100 ms", *country))
    else:
        questions.append(("(country: PostgreSQL only)", "", lambda: None, lambda: None))
    questions += [
        (
            f"snapshot({province.code}) today",
            "< 50 ms" if pg else "< 100 ms",
            lambda: engine.snapshot(province),
            run_sql(today_floor(province.path, pg)),
        ),
        (
            f"snapshot(commune {commune.code}) today",
            "< 50 ms",
            lambda: engine.snapshot(commune),
            run_sql(today_floor(commune.path, pg)),
        ),
        (
            f"snapshot({province.code}, on={past:%d/%m/%Y})",
            "< 2 s",
            lambda: engine.snapshot(province, on=past),
            run_sql(past_floor(province.path, past, pg)),
        ),
        (
            f"period({province.code}, {start:%d/%m/%Y}–{today:%d/%m/%Y})",
            "",
            lambda: engine.period(province, start, today),
            run_sql(period_floor(province.path, start, today)),
        ),
    ]
    only = {int(i) for i in args.only.split(",")} if args.only else None
    print("| question | target | ours median ms | runs ms | floor median ms | ratio ours/floor |")
    print("|---|---|---:|---|---:|---:|")
    for number, (label, target, ours, floor) in enumerate(questions, 1):
        if (only and number not in only) or label.startswith("("):
            continue
        a, a_runs = median_ms(ours, args.runs)
        runs = ", ".join(f"{t:.0f}" for t in a_runs)
        if args.no_floor:
            print(f"| {label} | {target} | {a:,.1f} | {runs} | – | – |", flush=True)
        else:
            b, _ = median_ms(floor, args.runs)
            print(f"| {label} | {target} | {a:,.1f} | {runs} | {b:,.1f} | {a / b:.2f}× |", flush=True)
        if args.profile:
            profile(ours)


if __name__ == "__main__":
    main()
