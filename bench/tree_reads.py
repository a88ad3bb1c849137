"""Benchmark: reads of the party tree against the raw-SQL floor of the same question.

Not a test. Run against a database that already holds a seeded tree, e.g.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/tree_reads.py
    .venv/bin/python bench/tree_reads.py            # the SQLite demo database under var/

It prints one markdown row per question: median milliseconds of the Đảng vụ path (selector with
scoping, as a page uses it), of the raw SQL floor, and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from dangvu.accounts.models import OrgRole, User  # noqa: E402
from dangvu.core.formats import fmt_int  # noqa: E402
from dangvu.organizations import selectors  # noqa: E402
from dangvu.organizations.models import Kind, Organization  # noqa: E402


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches and connections
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def raw(sql: str, params: list) -> Callable[[], list]:
    def run() -> list:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    province = Organization.objects.filter(kind=Kind.PROVINCE).order_by("path").first()
    if province is None:
        sys.exit("No province in this database: run `dangvu seed` first.")
    commune = (
        Organization.objects.filter(kind=Kind.COMMUNE, path__startswith=province.path)
        .order_by("path")
        .first()
    )
    total = Organization.objects.count()
    # A superuser pays no scoping cost; a province org_staff does: measure the real case.
    user = User.objects.filter(org_roles__organization=province, org_roles__role="org_staff").first()
    if user is None:  # a tree seeded with --no-accounts: add one province org_staff for the benchmark
        user = User.objects.create(username="bench.tochuc", full_name="Cán bộ đo hiệu năng")
        OrgRole.objects.create(user=user, organization=province, role="org_staff")

    def fresh_user() -> User:
        return User.objects.get(pk=user.pk)  # new request: the scope cache starts empty

    width = (province.depth + 1) * Organization.steplen
    questions = [
        (
            "children of the province with subtree counts by kind",
            lambda: selectors.children_with_counts(user=fresh_user(), org=province),
            raw(
                "SELECT substr(path, 1, %s) AS prefix, kind, count(*) FROM organizations_organization "
                "WHERE path LIKE %s AND depth > %s AND dissolved_on IS NULL GROUP BY 1, 2",
                [width, province.path + "%", province.depth + 1],
            ),
        ),
        (
            "diacritic-insensitive search 'chi bo thon' (first 50)",
            lambda: list(selectors.organization_list(user=fresh_user(), q="chi bo thon")[:50]),
            raw(
                "SELECT id, name FROM organizations_organization WHERE path LIKE %s AND search_key LIKE %s "
                "AND dissolved_on IS NULL ORDER BY path LIMIT 50",
                [province.path + "%", "%chi bo thon%"],
            ),
        ),
        (
            "children of a commune (tree expand)",
            lambda: selectors.children_with_counts(user=fresh_user(), org=commune),
            raw(
                "SELECT substr(path, 1, %s) AS prefix, kind, count(*) FROM organizations_organization "
                "WHERE path LIKE %s AND depth > %s AND dissolved_on IS NULL GROUP BY 1, 2",
                [(commune.depth + 1) * Organization.steplen, commune.path + "%", commune.depth + 1],
            ),
        ),
    ]
    vendor = connection.vendor
    print(f"# {fmt_int(total)} organizations, {vendor}, median of {args.runs} runs")
    print("| question | Đảng vụ ms | raw SQL ms | ratio |")
    print("|---|---:|---:|---:|")
    for label, ours, floor in questions:
        a = median_ms(ours, args.runs)
        b = median_ms(floor, args.runs)
        print(f"| {label} | {a:.1f} | {b:.1f} | {a / b:.1f}× |")


if __name__ == "__main__":
    main()
