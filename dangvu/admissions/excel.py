"""Admissions against targets under one organization as an xlsx workbook (A4):

- "Tiến độ": per child organization its target, the members admitted in the period and the ratio,
  the members admitted at the organization itself, a total row;
- "Theo đối tượng": the admissions by segment (women, ethnic minorities, the religious, youth,
  private enterprises, border areas) against the segment targets, and their share of the total.

The figures are `selectors.target_progress`, so the sheets show what the progress page shows. The
frame is the congress progress workbook's (`dangvu.congresses.excel`), itself the statistical one.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from dangvu.congresses.excel import CampaignSheet, context
from dangvu.congresses.schemas import ratio_value
from dangvu.core.formats import fmt_date, fmt_int
from dangvu.evaluations.excel import RIGHT
from dangvu.organizations.models import Organization
from dangvu.reports.excel import CENTER, INT, LEFT, PCT, Context

from . import selectors
from .selectors import TargetProgress

ALIGNS = [CENTER, LEFT, RIGHT, RIGHT, RIGHT]
FMTS = {3: INT, 4: INT, 5: PCT}


def period_title(tp: TargetProgress) -> str:
    return tp.period_label.upper()


def subtitle(tp: TargetProgress) -> str:
    start = date(tp.year_from, 1, 1)
    return f"Số liệu từ ngày {fmt_date(start)} đến ngày {fmt_date(tp.as_of)}"


def headline(tp: TargetProgress) -> str:
    if tp.target:
        return f"Chỉ tiêu được giao: {fmt_int(tp.target)}; đã kết nạp {tp.ratio_text}"
    return f"Chưa được giao chỉ tiêu; đã kết nạp {fmt_int(tp.admitted)} đảng viên"


def _progress_sheet(wb: Workbook, ctx: Context, tp: TargetProgress) -> None:
    org = ctx.org
    sheet = CampaignSheet(wb, title="Tiến độ", widths=[6, 46, 13, 13, 12], ctx=ctx)
    sheet.campaign_frame(
        title=f"KẾT QUẢ KẾT NẠP ĐẢNG VIÊN {period_title(tp)}",
        lines=[headline(tp), subtitle(tp)],
        left_span=2,
        right_from=3,
    )
    sheet.header(
        [
            (0, 1, 0, 1, "STT"),
            (0, 2, 0, 2, "Tổ chức đảng"),
            (0, 3, 0, 3, "Chỉ tiêu"),
            (0, 4, 0, 4, "Đã kết nạp"),
            (0, 5, 0, 5, "Tỷ lệ (%)"),
        ],
        ["1", "2", "3", "4", "5(=4*100/3)"],
    )
    for i, row in enumerate(tp.children, start=1):
        sheet.record(
            [i, row.name, row.target, row.admitted, ratio_value(row.admitted, row.target)],
            aligns=ALIGNS,
            fmts=FMTS,
        )
    own = tp.admitted - sum(r.admitted for r in tp.children)
    if own:
        sheet.record(
            ["", f"Kết nạp tại {org.name} (không qua tổ chức trực thuộc)", None, own, None],
            aligns=ALIGNS,
            fmts=FMTS,
        )
    children_target = tp.children_target or None
    sheet.record(
        ["", "Cộng", children_target, tp.admitted, ratio_value(tp.admitted, children_target)],
        aligns=ALIGNS,
        fmts=FMTS,
        bold=True,
    )
    sheet.row += 1
    sheet.note(
        "Số kết nạp là số đảng viên có quyết định kết nạp trong kỳ, tính ở tổ chức kết nạp theo cây tổ chức "
        "đến ngày cuối kỳ (như số liệu thống kê). Dòng Cộng: chỉ tiêu là tổng chỉ tiêu đã giao cho các tổ "
        "chức trực thuộc; tổ chức chưa được giao chỉ tiêu để trống."
    )
    sheet.signatures(left_span=2, right_from=3)
    sheet.finish()


def _segments_sheet(wb: Workbook, ctx: Context, tp: TargetProgress) -> None:
    sheet = CampaignSheet(wb, title="Theo đối tượng", widths=[6, 40, 12, 12, 12, 16], ctx=ctx)
    sheet.campaign_frame(
        title=f"ĐẢNG VIÊN MỚI KẾT NẠP THEO ĐỐI TƯỢNG {period_title(tp)}",
        lines=[headline(tp), subtitle(tp)],
        left_span=2,
        right_from=4,
    )
    sheet.header(
        [
            (0, 1, 0, 1, "STT"),
            (0, 2, 0, 2, "Đối tượng"),
            (0, 3, 0, 3, "Chỉ tiêu"),
            (0, 4, 0, 4, "Đã kết nạp"),
            (0, 5, 0, 5, "Tỷ lệ so với chỉ tiêu (%)"),
            (0, 6, 0, 6, "Tỷ lệ trong tổng số kết nạp (%)"),
        ],
        ["1", "2", "3", "4", "5(=4*100/3)", "6"],
    )
    aligns = [*ALIGNS, RIGHT]
    fmts = {**FMTS, 6: PCT}
    sheet.record(
        [
            "",
            "Tổng số",
            tp.target,
            tp.admitted,
            ratio_value(tp.admitted, tp.target),
            ratio_value(tp.admitted, tp.admitted),
        ],
        aligns=aligns,
        fmts=fmts,
        bold=True,
    )
    for i, s in enumerate(tp.segments, start=1):
        sheet.record(
            [
                i,
                s.label,
                s.target,
                s.admitted,
                ratio_value(s.admitted, s.target),
                ratio_value(s.admitted, tp.admitted),
            ],
            aligns=aligns,
            fmts=fmts,
        )
    sheet.row += 1
    sheet.note(
        "Một đảng viên có thể thuộc nhiều đối tượng. Đoàn viên thanh niên: từ 30 tuổi trở xuống (theo năm) "
        "khi kết nạp; xã biên giới: kết nạp ở tổ chức đảng được đánh dấu ở khu vực biên giới hoặc trực thuộc "
        "tổ chức đó."
    )
    sheet.signatures(left_span=2, right_from=4)
    sheet.finish()


def build_progress(
    organization: Organization,
    *,
    year_from: int,
    year_to: int | None = None,
    as_of: date | None = None,
    produced_by: Any,
) -> bytes:
    """Admissions against targets under `organization` (which the caller has checked is visible) for
    the period, up to `as_of`: Tiến độ, Theo đối tượng."""
    tp = selectors.target_progress(organization, year_from=year_from, year_to=year_to, as_of=as_of)
    ctx = context(organization, tp.as_of, produced_by)
    wb = Workbook()
    wb.remove(wb.active)
    _progress_sheet(wb, ctx, tp)
    _segments_sheet(wb, ctx, tp)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
