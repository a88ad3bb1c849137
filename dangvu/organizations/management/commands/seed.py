"""`dangvu seed`: load a realistic synthetic party tree and demo accounts; with both members and
accounts, the demo campaigns too (congress rounds, admission targets, candidates: see
`dangvu.organizations.seeding.campaigns`).

dangvu seed                                   # Cao Bằng, demo size, with demo accounts and campaigns
dangvu seed --scale province                  # Hồ Chí Minh City, about 18,000 organizations
dangvu seed --scale national                  # 34 provinces, about 300,000 organizations
dangvu seed --province 01 --communes 5 --seed 7 --no-accounts
dangvu seed --no-members                      # the tree only, without synthetic party members
"""

from __future__ import annotations

import argparse
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from dangvu.accounts.demo import demo_accounts_ensure
from dangvu.core.formats import fmt_decimal, fmt_int
from dangvu.members.seeding import seed_members
from dangvu.organizations.admin_units import get_unit, provinces
from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.seeding import DEFAULT_PROVINCE, PROFILES, seed_tree
from dangvu.organizations.seeding.campaigns import campaign_actor, seed_campaigns
from dangvu.reports import tallies


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cây tổ chức đảng theo mô hình từ 01/7/2025 và các tài khoản dùng thử."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="Mã tỉnh, thành phố (2 chữ số), ví dụ 04 (Cao Bằng).")
        parser.add_argument(
            "--scale",
            choices=sorted(PROFILES),
            default="demo",
            help="demo: một tỉnh nhỏ; province: một tỉnh lớn; national: toàn quốc.",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)."
        )
        parser.add_argument(
            "--communes", type=int, help="Chỉ tạo K đảng bộ xã, phường đầu tiên của mỗi tỉnh."
        )
        parser.add_argument("--no-accounts", action="store_true", help="Không tạo tài khoản dùng thử.")
        parser.add_argument(
            "--members",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Tạo đảng viên mẫu cùng lịch sử sinh hoạt đảng (mặc định: có; --no-members để bỏ qua).",
        )

    def handle(self, *args, **opts) -> None:
        scale: str = opts["scale"]
        code = (opts["province"] or DEFAULT_PROVINCE[scale]).strip().zfill(2)
        unit = get_unit(code)
        if unit is None or len(code) != 2:
            raise CommandError(f"Không có tỉnh, thành phố mã «{code}» trong danh mục đơn vị hành chính.")
        if opts["communes"] is not None and opts["communes"] < 1:
            raise CommandError("--communes phải là số nguyên dương.")
        codes = [p.code for p in provinces()] if scale == "national" else [code]

        def progress(pcode: str, name: str, created: int, seconds: float) -> None:
            self.stdout.write(
                f"  {name} (T{pcode}): {fmt_int(created)} tổ chức, {fmt_decimal(seconds, 1)} giây"
            )

        report = seed_tree(
            province_codes=codes, scale=scale, seed=opts["seed"], communes=opts["communes"], progress=progress
        )
        for pcode, name in report.skipped:
            self.stdout.write(f"  {name} (T{pcode}) đã được nạp từ trước, bỏ qua.")
        if report.loaded:
            root = " (kể cả tổ chức gốc «Đảng Cộng sản Việt Nam»)" if report.root_created else ""
            took = fmt_decimal(report.seconds, 1)
            self.stdout.write(
                self.style.SUCCESS(f"Đã tạo {fmt_int(report.created)} tổ chức{root} trong {took} giây.")
            )
        else:
            self.stdout.write("Dữ liệu mẫu đã có sẵn, không tạo thêm tổ chức nào.")
        self._counts([f"T{c}" for c in codes])
        if opts["members"]:
            self._members(codes, scale, opts["seed"])
        started = time.perf_counter()
        rows = tallies.rebuild()
        took = fmt_decimal(time.perf_counter() - started, 1)
        self.stdout.write(f"Bộ đếm số liệu hôm nay: {fmt_int(rows)} dòng, {took} giây.")
        if not opts["no_accounts"]:
            province = Organization.objects.get(code=f"T{code}")
            self._accounts(province, opts["seed"])
            if opts["members"]:
                self._campaigns(province, opts["seed"])

    def _counts(self, province_codes: list[str]) -> None:
        paths = list(Organization.objects.filter(code__in=province_codes).values_list("path", flat=True))
        counts: dict[str, int] = {}
        for path in paths:
            for row in (
                Organization.objects.filter(path__startswith=path).values("kind").annotate(n=Count("id"))
            ):
                counts[row["kind"]] = counts.get(row["kind"], 0) + row["n"]
        self.stdout.write("Số tổ chức theo cấp, trong các tỉnh, thành phố được nạp:")
        for kind in Kind:
            if counts.get(kind):
                self.stdout.write(f"  {kind.label:<48} {fmt_int(counts[kind]):>9}")
        self.stdout.write(f"  {'Tổng số':<48} {fmt_int(sum(counts.values())):>9}")

    def _members(self, codes: list[str], scale: str, seed: int) -> None:
        def progress(pcode: str, name: str, counted: int, seconds: float) -> None:
            self.stdout.write(f"  {name}: {fmt_int(counted)} đảng viên, {fmt_decimal(seconds, 1)} giây")

        report = seed_members(province_codes=codes, scale=scale, seed=seed, progress=progress)
        for _pcode, name in report.skipped:
            self.stdout.write(f"  {name} đã có đảng viên, bỏ qua.")
        if report.loaded:
            took = fmt_decimal(report.seconds, 1)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {fmt_int(report.rows)} hồ sơ đảng viên ({fmt_int(report.created)} đảng viên "
                    f"đang sinh hoạt) và {fmt_int(report.events)} sự kiện trong {took} giây."
                )
            )
        else:
            self.stdout.write("Đảng viên mẫu đã có sẵn, không tạo thêm.")

    def _campaigns(self, province: Organization, seed: int) -> None:
        """Congress rounds, admission targets and candidates, run by the province's demo staff."""
        actor = campaign_actor(province)
        if actor is None:
            return
        report = seed_campaigns(province=province, seed=seed, actor=actor)
        if report.created:
            took = fmt_decimal(report.seconds, 1)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo dữ liệu mẫu đại hội, chỉ tiêu kết nạp và quần chúng ưu tú trong {took} giây."
                )
            )
        else:
            self.stdout.write("Dữ liệu mẫu đại hội, kết nạp đảng viên đã có sẵn, không tạo thêm.")
        if report.refused:
            # The draw should fit the rules; a refusal only stops that candidate where it was.
            self.stdout.write(
                self.style.WARNING(
                    f"{fmt_int(len(report.refused))} quần chúng ưu tú dừng ở bước trước do không đạt "
                    f"quy định, ví dụ: {report.refused[0]}"
                )
            )
        self.stdout.write("; ".join(report.lines) + ".")

    def _accounts(self, province: Organization, seed: int) -> None:
        rows = demo_accounts_ensure(province=province, seed=seed)
        header = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Tổ chức", "Mật khẩu")
        table = [
            (r.username, r.full_name, r.role_label, r.organization, r.password or "(đã được đổi)")
            for r in rows
        ]
        widths = [max(len(str(row[i])) for row in (header, *table)) for i in range(len(header))]
        self.stdout.write("Tài khoản dùng thử:")
        for row in (header, tuple("-" * w for w in widths), *table):
            self.stdout.write(
                "  " + "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
            )
