"""Benchmark: campaign progress (congress rounds, admission targets) against the raw-SQL floor.

Not a test. Server time only: the selectors are called in-process, no HTTP, no template. Each
question runs once to warm the caches, then `--runs` times; the median is printed with the floor
(plain SQL computing the same per-child figures on the congresses, events and organizations
tables) and the ratio ours / floor.

    # the demo province on SQLite (make demo-db first)
    .venv/bin/python bench/campaigns.py --runs 9
    # the same seeded province on PostgreSQL (seeds it first with --build)
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_campaigns \\
        .venv/bin/python bench/campaigns.py --build --runs 9

Questions: the cell congress round's progress for the province today, six months ago and for its
largest commune; the province's admission progress for the year today, at 30 June, and for the term
2025–2030.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics as stats
import sys
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="Migrate and seed the demo province first.")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--province", default="04")
    return parser.parse_args()


def configure() -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'dangvu.sqlite3'}")


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return stats.median(times)


def main() -> None:
    args = parse()
    configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.build:
        call_command("migrate", verbosity=0)
        call_command("seed", "--province", args.province, "--scale", "demo", "--seed", "1")

    from dangvu.admissions import selectors as adm
    from dangvu.congresses import selectors as cong
    from dangvu.congresses.choices import Level
    from dangvu.congresses.models import Congress, CongressRound
    from dangvu.members.models import Member, MemberEvent
    from dangvu.organizations.models import Kind, Organization

    province = Organization.objects.get(kind=Kind.PROVINCE, code__startswith=f"T{args.province}")
    rnd = CongressRound.objects.get(organization=province, level=Level.CELL)
    commune = max(
        Organization.objects.filter(kind=Kind.COMMUNE, path__startswith=province.path),
        key=lambda o: Congress.objects.filter(round=rnd, organization__path__startswith=o.path).count(),
    )
    today = datetime.date.today()
    half_year = today - datetime.timedelta(days=182)
    step = Organization.steplen
    pg = connection.vendor == "postgresql"
    substr = "SUBSTRING(o.path FROM 1 FOR %s)" if pg else "substr(o.path, 1, %s)"

    def congress_floor(org: Organization, on: datetime.date) -> list:
        sql = (
            f"SELECT {substr} AS p, COUNT(*), SUM(CASE WHEN c.held_on <= %s THEN 1 ELSE 0 END) "
            "FROM congresses_congress c JOIN organizations_organization o ON o.id = c.organization_id "
            "WHERE c.round_id = %s AND c.excluded = %s AND o.path LIKE %s GROUP BY p"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [(org.depth + 1) * step, on, rnd.pk, False, org.path + "%"])
            return cur.fetchall()

    def admissions_floor(org: Organization, start: datetime.date, end: datetime.date) -> list:
        sql = (
            f"SELECT {substr} AS p, COUNT(*) FROM members_memberevent e "
            "JOIN organizations_organization o ON o.id = e.organization_id "
            "WHERE e.kind = %s AND e.effective_on BETWEEN %s AND %s AND o.path LIKE %s GROUP BY p"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [(org.depth + 1) * step, MemberEvent.Kind.ADMITTED, start, end, org.path + "%"])
            return cur.fetchall()

    year = today.year
    questions = [
        (
            "congress progress, province, today",
            lambda: cong.progress(rnd, province),
            lambda: congress_floor(province, today),
        ),
        (
            f"congress progress, province, {half_year:%d/%m/%Y}",
            lambda: cong.progress(rnd, province, as_of=half_year),
            lambda: congress_floor(province, half_year),
        ),
        (
            f"congress progress, commune ({commune.name})",
            lambda: cong.progress(rnd, commune),
            lambda: congress_floor(commune, today),
        ),
        (
            f"admissions {year}, province, today",
            lambda: adm.target_progress(province, year_from=year),
            lambda: admissions_floor(province, datetime.date(year, 1, 1), today),
        ),
        (
            f"admissions {year}, province, 30/06/{year}",
            lambda: adm.target_progress(province, year_from=year, as_of=datetime.date(year, 6, 30)),
            lambda: admissions_floor(province, datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        ),
        (
            "admissions 2025–2030, province, today",
            lambda: adm.target_progress(province, year_from=2025, year_to=2030),
            lambda: admissions_floor(province, datetime.date(2025, 1, 1), today),
        ),
    ]
    counted = Member.objects.filter(organization__path__startswith=province.path).count()
    congresses = Congress.objects.filter(round=rnd).count()
    print(
        f"{connection.vendor}; {province.name}: {counted:,} member records, "
        f"{congresses:,} congresses in «{rnd.name}»; median of {args.runs} runs",
        flush=True,
    )
    print(f"{'question':<48} {'ours ms':>9} {'floor ms':>9} {'ratio':>7}")
    for name, ours, floor in questions:
        a = median_ms(ours, args.runs)
        b = median_ms(floor, args.runs)
        print(f"{name:<48} {a:>9.1f} {b:>9.1f} {a / b:>6.1f}×", flush=True)


if __name__ == "__main__":
    main()
