"""Benchmark: importing a 100,000-row member file (`members_import`), against the raw-SQL floor.

Not a test. Creates its own SQLite database under var/bench/ (migrated, not timed), a tiny tree
(one province, one commune, 50 cells) and a valid xlsx of --rows members, then times

  * the dry run (read + full validation),
  * the real import (read + validation + one transaction writing members, history, events),
  * the floor: one plain executemany INSERT per table of the same rows the import wrote,

and reports the medians, rows/s, and the peak resident memory of the process.

    .venv/bin/python bench/import_members.py --rows 100000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    return p.parse_args()


def configure() -> Path:
    path = ROOT / "var" / "bench" / "import_members.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["MEMBER_IMPORT_MAX_BYTES"] = str(50 * 1024 * 1024)
    return path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse()
    db_path = configure()
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

    xlsx = db_path.parent / f"members_{args.rows}.xlsx"
    t = time.perf_counter()
    write_file(xlsx, args.rows, codes, COLUMNS)
    print(f"generated {xlsx.name}: {xlsx.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
    base_rss = rss_mb()

    def clear() -> None:
        with connection.cursor() as cur:
            for model in (MemberEvent, Member.history.model, Member):
                cur.execute(f"DELETE FROM {model._meta.db_table}")

    dry, real = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        report = members_import(actor=actor, organization=province, file=xlsx, dry_run=True)
        dry.append(time.perf_counter() - t)
        assert report.ok, report.as_table(limit=5)
        dry_rss = rss_mb()
    for _ in range(args.runs):
        clear()
        t = time.perf_counter()
        report = members_import(actor=actor, organization=province, file=xlsx, dry_run=False)
        real.append(time.perf_counter() - t)
        assert report.ok and report.created == args.rows, report.summary()
    peak_rss = rss_mb()
    floor = [raw_floor(connection, Member, MemberEvent) for _ in range(args.runs)]

    def line(name: str, times: list[float]) -> str:
        m = statistics.median(times)
        runs = ", ".join(f"{x:.1f}" for x in times)
        return f"{name}: median {m:.2f} s ({runs}) = {args.rows / m:,.0f} rows/s"

    print(line("dry run (read + validate)", dry))
    print(line("import (read + validate + write)", real))
    print(line("raw SQL floor (executemany of the same rows)", floor))
    print(f"ratio import / floor: {statistics.median(real) / statistics.median(floor):.1f}×")
    print(
        f"peak RSS: {base_rss:.0f} MB before, {dry_rss:.0f} MB after dry runs, "
        f"{peak_rss:.0f} MB after imports"
    )
    print(f"members: {Member.objects.count():,}; events: {MemberEvent.objects.count():,}")


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
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("BEGIN")
        for table in tables:
            cols, rows = data[table]
            marks = ", ".join(["%s"] * len(cols))
            cur.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)
        cur.execute("COMMIT")
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
