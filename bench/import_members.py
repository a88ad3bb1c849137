"""Benchmark: importing a 100,000-row member file (`members_import`), against the raw-SQL floor.

Not a test. Creates its own database (a SQLite file under var/bench/, or the PostgreSQL database
`dangvu_import_bench`; migrated, not timed), a tiny tree (one province, one commune, 50 cells) and
a valid xlsx of --rows members (cached under var/bench/ per row count and day), then times

  * the dry run (read + full validation),
  * the real import (read + validation + one transaction writing members, history, events, and
    the statistics counters through `tallies.refresh_organizations`, timed on its own too),
  * the floor: the same rows the import wrote, inserted back with one plain statement per table
    (`executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL), in one transaction,

and reports the medians, rows/s, the ratio to the floor and the peak resident memory.

    .venv/bin/python bench/import_members.py --rows 100000 --runs 3
    .venv/bin/python bench/import_members.py --db postgres --rows 100000 --runs 3
    .venv/bin/python bench/import_members.py --rows 100000 --profile import   # cProfile one run
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds a statistics.py of its own: keep the standard library's module reachable.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DB = "dangvu_import_bench"


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--profile", choices=["dry", "import"], help="cProfile one run instead of timing")
    return p.parse_args()


def configure(db: str) -> Path:
    """Environment for a fresh benchmark database; returns the folder for files."""
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["MEMBER_IMPORT_MAX_BYTES"] = str(50 * 1024 * 1024)
    if db == "sqlite":
        path = folder / "import_members.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    return folder


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse()
    folder = configure(args.db)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    settings.MEMBER_IMPORT_MAX_BYTES = 50 * 1024 * 1024
    from dangvu.accounts.models import User
    from dangvu.members.importing import members_import
    from dangvu.members.importing.columns import COLUMNS
    from dangvu.members.models import Member, MemberEvent
    from dangvu.organizations.models import Kind, Organization
    from dangvu.reports import tallies
    from dangvu.reports.models import Tally

    d = datetime.date(2025, 7, 1)
    objects = Organization.objects

    def node(parent, code: str, name: str, kind: str) -> Organization:
        org = Organization(code=code, name=name, kind=kind, founded_on=d, search_key=code.lower())
        if parent is None:
            return objects.add_root(instance=org)
        return objects.add_child(Organization.objects.get(pk=parent.pk), instance=org)

    root = node(None, "TW", "Đảng Cộng sản Việt Nam", Kind.CENTRAL)
    province = node(root, "B99", "Đảng bộ tỉnh Thử", Kind.PROVINCE)
    commune = node(province, "B99-X", "Đảng bộ xã Thử", Kind.COMMUNE)
    codes = [node(commune, f"B99-X-{i:02d}", f"Chi bộ {i}", Kind.CELL).code for i in range(50)]
    actor = User.objects.create_superuser("bench_admin", password="x", full_name="Bench")
    province = Organization.objects.get(pk=province.pk)

    xlsx = folder / f"members_{args.rows}_{datetime.date.today():%Y%m%d}.xlsx"
    if not xlsx.exists():
        t = time.perf_counter()
        write_file(xlsx, args.rows, codes, COLUMNS)
        print(f"generated {xlsx.name}: {xlsx.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
    base_rss = rss_mb()

    # The statistics counters' share of the import, timed apart.
    tally_times: list[float] = []
    refresh = tallies.refresh_organizations

    def timed_refresh(org_ids):
        t0 = time.perf_counter()
        try:
            return refresh(org_ids)
        finally:
            tally_times.append(time.perf_counter() - t0)

    tallies.refresh_organizations = timed_refresh

    def clear() -> None:
        with connection.cursor() as cur:
            for model in (MemberEvent, Member.history.model, Member, Tally):
                cur.execute(f"DELETE FROM {model._meta.db_table}")

    def run(dry_run: bool):
        report = members_import(actor=actor, organization=province, file=xlsx, dry_run=dry_run)
        assert report.ok, report.as_table(limit=5)
        assert dry_run or report.created == args.rows, report.summary()
        return report

    if args.profile:
        import cProfile
        import pstats

        if args.profile == "import":
            clear()
        profiler = cProfile.Profile()
        profiler.runcall(run, args.profile == "dry")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return

    dry, real = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        run(True)
        dry.append(time.perf_counter() - t)
    dry_rss = rss_mb()
    for _ in range(args.runs):
        clear()
        t = time.perf_counter()
        run(False)
        real.append(time.perf_counter() - t)
    peak_rss = rss_mb()  # before the floor, which holds every written row in memory
    check(Member, MemberEvent, args.rows)
    floor = [raw_floor(connection, Member, MemberEvent) for _ in range(args.runs)]

    def line(name: str, times: list[float]) -> str:
        m = statistics.median(times)
        runs = ", ".join(f"{x:.1f}" for x in times)
        return f"{name}: median {m:.2f} s ({runs}) = {args.rows / m:,.0f} rows/s"

    how = "COPY" if connection.vendor == "postgresql" else "executemany"
    size = xlsx.stat().st_size / 1e6
    print(f"database: {connection.vendor}, {args.rows:,} rows, {args.runs} runs, {size:.1f} MB file")
    print(line("dry run (read + validate)", dry))
    print(line("import (read + validate + write + counters)", real))
    print(line("  of which tallies.refresh_organizations", tally_times))
    print(line(f"raw SQL floor ({how} of the same rows)", floor))
    print(f"ratio import / floor: {statistics.median(real) / statistics.median(floor):.2f}×")
    print(
        f"peak RSS: {base_rss:.0f} MB before, {dry_rss:.0f} MB after dry runs, "
        f"{peak_rss:.0f} MB after imports"
    )
    print(f"members: {Member.objects.count():,}; events: {MemberEvent.objects.count():,}")


def check(Member, MemberEvent, rows: int) -> None:
    """What the import must have written: one member and one history row per row, events."""
    assert Member.objects.count() == rows
    assert Member.history.model.objects.filter(history_type="+").count() == rows
    assert MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED).count() == rows


def write_file(path: Path, rows: int, codes: list[str], columns) -> None:
    from openpyxl import Workbook

    from dangvu.organizations.seeding.names import person_name

    rng = random.Random(42)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Đảng viên")
    ws.append([c.header for c in columns])
    today = datetime.date.today()
    for i in range(rows):
        female = rng.random() < 0.4
        birth = datetime.date(1950 + rng.randrange(50), rng.randrange(1, 13), rng.randrange(1, 29))
        decision = birth + datetime.timedelta(days=365 * rng.randrange(19, 45) + rng.randrange(300))
        decision = min(decision, today - datetime.timedelta(days=60))
        ceremony = decision + datetime.timedelta(days=rng.randrange(5, 30))
        values = {
            "full_name": person_name(rng, region="red_river", female=female),
            "gender": "Nữ" if female else "Nam",
            # half typed as text, half as real Excel dates, as files from the field are
            "birth_date": birth.strftime("%d/%m/%Y") if i % 2 else birth,
            "citizen_id": f"{1 + i % 96:03d}{rng.randrange(10**9):09d}"[:3] + f"{i:09d}",
            "ethnicity": rng.choice(["Kinh", "Kinh", "Kinh", "Tày", "Mường", "Thái"]),
            "religion": rng.choice(["Không", "Không", "Phật giáo", "Công giáo"]),
            "home_town": "Xã An Bình, tỉnh Thử Nghiệm",
            "permanent_address": f"Thôn {rng.randrange(1, 20)}, xã An Bình",
            "current_address": f"Thôn {rng.randrange(1, 20)}, xã An Bình",
            "phone": f"09{rng.randrange(10**8):08d}",
            "occupation": rng.choice(["Viên chức", "Nghỉ hưu", "Nông, lâm, ngư nghiệp", "Cán bộ, công chức"]),
            "education": "Trung học phổ thông",
            "qualification": rng.choice(["Đại học", "Trung cấp", "Chưa qua đào tạo"]),
            "theory_level": rng.choice(["Sơ cấp", "Trung cấp", "Chưa qua đào tạo"]),
            "dossier_number": f"LL-{i:06d}",
            "card_number": f"{i:08d}",
            "admission_decision_date": decision if i % 2 else decision.strftime("%d/%m/%Y"),
            "ceremony_date": ceremony.strftime("%d/%m/%Y"),
            "sponsor_1": person_name(rng, region="red_river"),
            "sponsor_2": person_name(rng, region="red_river"),
            "organization": codes[i % len(codes)],
        }
        ws.append([values.get(c.field) for c in columns])
    wb.save(path)


def raw_floor(connection, Member, MemberEvent) -> float:
    """Copy out the rows the last import wrote, delete them, and time plain INSERTs of them back."""
    tables = [Member._meta.db_table, Member.history.model._meta.db_table, MemberEvent._meta.db_table]
    data = {}
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"SELECT * FROM {table}")
            data[table] = ([c[0] for c in cur.description], cur.fetchall())
        for table in reversed(tables):
            cur.execute(f"DELETE FROM {table}")
    pg = connection.vendor == "postgresql"
    t = time.perf_counter()
    with connection.cursor() as cur:
        if not pg:
            cur.execute("BEGIN")
        else:
            cur.execute("START TRANSACTION")
        for table in tables:
            cols, rows = data[table]
            names = ", ".join(f'"{c}"' for c in cols)
            if pg:
                with cur.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
        cur.execute("COMMIT")
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
