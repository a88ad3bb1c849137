"""`dangvu statistics --org CODE [--as-of DATE] [--from DATE] --format json|table`: figures for operators.

With `--from`, the period [--from, --as-of] (the end defaults to today): opening, increases and
decreases by cause, closing, new admissions. Without it, the figures on `--as-of` and per child.
Both end with the campaigns on `--as-of` (or the end of the period): the progress of every congress
round open on that day covering the organization (opened by it or above it) and the admissions of that
year against the target. `--format json` prints what GET /api/v1/organizations/{id}/statistics
answers, plus `campaigns`: {"congresses": [what GET /api/v1/congress-rounds/{id}/progress answers,
one per round], "admissions": what GET /api/v1/admission-targets/progress answers}.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from dangvu.admissions import api as admissions_api
from dangvu.congresses import api as congresses_api
from dangvu.congresses.models import CongressRound
from dangvu.core.formats import fmt_date, fmt_decimal, fmt_int, fmt_percent
from dangvu.organizations.models import Organization
from dangvu.reports.api import payload_json, statistics_payload

from .check_statistics import checked_dates, option_date, organization_by_code

MEMBER_LABELS = [
    ("total", "Đảng viên"),
    ("official", "  chính thức"),
    ("probationary", "  dự bị"),
    ("female", "  nữ"),
    ("ethnic_minority", "  dân tộc thiểu số"),
    ("religious", "  có đạo"),
    ("youth", "  từ 30 tuổi trở xuống"),
    ("exempted", "  miễn công tác, sinh hoạt"),
]
INCREASE_LABELS = [
    ("admitted", "Kết nạp"),
    ("readmitted", "Kết nạp lại"),
    ("transferred_in", "Chuyển đến"),
    ("contact_restored", "Liên lạc lại"),
]
DECREASE_LABELS = [
    ("deceased", "Từ trần"),
    ("expelled", "Khai trừ"),
    ("removed", "Xóa tên"),
    ("left", "Xin ra khỏi Đảng"),
    ("transferred_out", "Chuyển đi"),
    ("contact_lost", "Mất liên lạc"),
]
ADMISSION_LABELS = [
    ("female", "  nữ"),
    ("youth", "  đoàn viên, thanh niên (≤ 30 tuổi)"),
    ("ethnic_minority", "  dân tộc thiểu số"),
    ("religious", "  có đạo"),
    ("private_enterprise", "  trong doanh nghiệp tư nhân"),
]


def _day(iso: str) -> str:
    return fmt_date(date.fromisoformat(iso))


def _line(label: str, value: str, width: int = 50) -> str:
    return f"{label:<{width}}{value:>12}"


def _share(n: int, of: int) -> str:
    return f"{fmt_int(n)} ({fmt_percent(n, of)})" if of else fmt_int(n)


def snapshot_table(data: dict[str, Any]) -> list[str]:
    figs, org = data["figures"], data["organization"]
    members = figs["members"]
    total = members["total"]
    source = "lịch sử sự kiện" if data["from_history"] else "bộ đếm hôm nay"
    lines = [f"{org['name']} ({org['code']}) — số liệu ngày {_day(data['as_of'])} (theo {source})", ""]
    for key, label in MEMBER_LABELS:
        value = fmt_int(total) if key == "total" else _share(members[key], total)
        lines.append(_line(label, value))
    lines.append(_line("Tuổi đời bình quân", fmt_decimal(members["mean_age"], 1) or "—"))
    lines.append(_line("Sinh hoạt tạm thời (không tính)", fmt_int(members.get("temporary_hosted") or 0)))
    orgs = figs["organizations"]
    lines += ["", _line("Tổ chức cơ sở đảng", fmt_int(orgs["base"])), _line("Chi bộ", fmt_int(orgs["cells"]))]
    for row in orgs["by_kind"]:
        lines.append(_line(f"  {row['label']}", fmt_int(row["total"])))
    for title, rows in (
        ("Độ tuổi", figs["age_bands"]),
        ("Tuổi Đảng", figs["party_age_bands"]),
        ("Trình độ lý luận chính trị", figs["theory_level"]),
        ("Giáo dục phổ thông", figs["education"]),
    ):
        lines += ["", title]
        lines += [_line(f"  {r['label']}", _share(r["total"], total)) for r in rows]
    if data["children"]:
        lines += ["", f"{'Tổ chức trực thuộc':<50}{'Đảng viên':>12}{'Chính thức':>12}{'Dự bị':>10}{'Nữ':>10}"]
        for c in data["children"]:
            m = c["members"]
            name = f"{c['name']}"[:48]
            lines.append(
                f"  {name:<48}{fmt_int(m['total']):>12}{fmt_int(m['official']):>12}"
                f"{fmt_int(m['probationary']):>10}{fmt_int(m['female']):>10}"
            )
    return lines


def period_table(data: dict[str, Any]) -> list[str]:
    p, org = data["period"], data["organization"]
    lines = [
        f"{org['name']} ({org['code']}) — từ {_day(p['from'])} đến {_day(p['to'])}",
        "",
        _line("Đảng viên đầu kỳ", fmt_int(p["opening"])),
        _line("Tăng trong kỳ", fmt_int(p["increase"]["total"])),
    ]
    lines += [_line(f"  {label}", fmt_int(p["increase"][key])) for key, label in INCREASE_LABELS]
    lines.append(_line("Giảm trong kỳ", fmt_int(p["decrease"]["total"])))
    lines += [_line(f"  {label}", fmt_int(p["decrease"][key])) for key, label in DECREASE_LABELS]
    lines.append(_line("Đảng viên cuối kỳ", fmt_int(p["closing"])))
    if not p["balanced"]:
        lines.append("  (đầu kỳ + tăng − giảm khác cuối kỳ: cây tổ chức thay đổi trong kỳ)")
    adm = p["admissions"]
    lines += ["", _line("Kết nạp mới", fmt_int(adm["total"]))]
    lines += [_line(label, _share(adm[key], adm["total"])) for key, label in ADMISSION_LABELS]
    return lines


def rounds_covering(org: Organization, on: date) -> list[CongressRound]:
    """Congress rounds open on `on` whose subtree contains `org` (opened by it or by an organization
    above): opened by then and not closed by then, so `--as-of` in the past lists the rounds of that
    day, not of today. A round still in draft has no opening date and is never listed."""
    step = Organization.steplen
    prefixes = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    qs = CongressRound.objects.filter(organization__path__in=prefixes, opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )
    return list(qs.select_related("organization").order_by("organization__path", "-term_start_year", "pk"))


def campaigns_payload(org: Organization, on: date) -> dict[str, Any]:
    """Congress progress of the rounds open on `on` covering `org`, and the admissions of `on`'s year."""
    return {
        "congresses": [congresses_api.progress_json(r, org, as_of=on) for r in rounds_covering(org, on)],
        "admissions": admissions_api.progress_json(org, period=str(on.year), as_of=on),
    }


def _ratio_line(label: str, value: str) -> str:
    return f"{label:<50}{value:>26}"


def campaigns_table(data: dict[str, Any]) -> list[str]:
    lines = ["", "Đại hội (các đợt đang tổ chức)"]
    if not data["congresses"]:
        lines.append(f"  Không có đợt đại hội đang tổ chức ngày {_day(data['admissions']['as_of'])}.")
    for p in data["congresses"]:
        r = p["round"]
        lines.append(f"  {r['name']} (hạn {_day(r['deadline'])}, tính đến ngày {_day(p['as_of'])})")
        lines.append(_ratio_line("    Đã tổ chức", p["ratio_text"]))
        lines.append(_ratio_line("    Chưa tổ chức, đã có kế hoạch", fmt_int(p["planned"])))
        lines.append(_ratio_line("    Quá hạn", fmt_int(p["overdue"])))
        for c in p["children"]:
            lines.append(_ratio_line(f"    {c['name'][:44]}", c["ratio_text"]))
    a = data["admissions"]
    lines += ["", f"Kết nạp đảng viên năm {a['period']['label']} (đến ngày {_day(a['as_of'])})"]
    lines.append(_ratio_line("  Đã kết nạp/chỉ tiêu", a["ratio_text"]))
    lines += [_ratio_line(f"    {s['label'][:44]}", s["ratio_text"]) for s in a["segments"]]
    if a["children"]:
        lines.append("  Tổ chức trực thuộc")
        lines += [_ratio_line(f"    {c['name'][:44]}", c["ratio_text"]) for c in a["children"]]
    return lines


class Command(BaseCommand):
    help = "In số liệu thống kê của một tổ chức tại một ngày, hoặc tăng, giảm trong một kỳ (--from)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Mã tổ chức, ví dụ 04 hoặc T99-AB.")
        parser.add_argument(
            "--as-of", help="Ngày lấy số liệu, hoặc cuối kỳ khi có --from (mặc định hôm nay)."
        )
        parser.add_argument("--from", dest="start", help="Đầu kỳ báo cáo: in tăng, giảm trong kỳ.")
        parser.add_argument(
            "--format", choices=["table", "json"], default="table", help="Bảng (mặc định) hoặc JSON."
        )

    def handle(self, *args, **opts) -> None:
        org = organization_by_code(opts["org"])
        on, start = checked_dates(option_date(opts["as_of"], "--as-of"), option_date(opts["start"], "--from"))
        data = payload_json(statistics_payload(org, on=on, start=start))
        data["campaigns"] = campaigns_payload(org, on)
        if opts["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for line in [
            *(period_table(data) if start else snapshot_table(data)),
            *campaigns_table(data["campaigns"]),
        ]:
            self.stdout.write(line)
