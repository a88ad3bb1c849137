"""`dangvu rebuild-tallies`: recount today's counters from the members and organizations tables."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from dangvu.core.formats import fmt_decimal, fmt_int
from dangvu.reports import tallies


class Command(BaseCommand):
    help = "Đếm lại bộ đếm số liệu hôm nay từ bảng đảng viên và tổ chức (sau khi nạp dữ liệu hàng loạt)."

    def handle(self, *args, **opts) -> None:
        started = time.perf_counter()
        rows = tallies.rebuild()
        took = fmt_decimal(time.perf_counter() - started, 1)
        self.stdout.write(self.style.SUCCESS(f"Đã đếm lại: {fmt_int(rows)} dòng trong {took} giây."))
