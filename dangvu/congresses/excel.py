"""The progress of a congress round under one organization as an xlsx workbook (A4):

- "Tiến độ": per child organization the congresses to hold, held, the ratio, those not held yet with
  a planned date and those overdue, a total row; the title names the round and "tính đến ngày …";
- "Chưa tổ chức": every organization that has not held its congress as of that date, with its
  planned date and whether the round's deadline has passed.

The figures are `selectors.progress` and `selectors.missing`, so the sheets show what the progress
page shows. The frame (fonts, borders, number formats, signatures) is the statistical workbook's
(`dangvu.reports.excel`), the boxed rows the quality review's (`dangvu.evaluations.excel`).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from dangvu.core.formats import fmt_date
from dangvu.evaluations.excel import RIGHT, RoundSheet
from dangvu.organizations.models import Organization
from dangvu.reports.excel import (
    CENTER,
    INT,
    LEFT,
    PCT,
    Context,
    font,
    produced_line,
    signer_role,
    signer_title,
    superior_name,
)

from . import selectors
from .models import CongressRound
from .schemas import ratio_value


class CampaignSheet(RoundSheet):
    """A sheet of a campaign's progress: the party frame, a title and its subtitle lines."""

    def campaign_frame(self, *, title: str, lines: list[str], left_span: int, right_from: int) -> None:
        ctx, n = self.ctx, self.ncols
        lefts = [
            (ctx.superior.upper(), font(12)),
            (ctx.org.name.upper(), font(12, bold=True)),
            ("*", font(12)),
        ]
        if not ctx.superior:
            lefts = [*lefts[1:], ("", font(12))]
        rights = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", ""]
        for (left, lf), right in zip(lefts, rights, strict=True):
            self.merged(1, left_span, left, lf)
            self.merged(right_from, n, right, font(12, bold=True, underline="single"))
            self.ws.row_dimensions[self.row].height = 31 if len(left) > 45 else 17
            self.row += 1
        self.row += 1
        self.merged(1, n, title, font(14, bold=True))
        self.row += 1
        for i, line in enumerate(lines):
            self.merged(1, n, line, font(12, bold=i == 0, italic=i > 0))
            self.row += 1
        self.merged(1, n, produced_line(ctx.produced_by), font(10, italic=True))
        self.row += 2


def context(org: Organization, as_of: date, produced_by: Any) -> Context:
    return Context(
        org=org,
        as_of=as_of,
        start=as_of,
        end=as_of,
        produced_by=produced_by,
        superior=superior_name(org),
        signer_title=signer_title(org),
        signer_role=signer_role(org),
    )


def _subtitle(rnd: CongressRound, as_of: date) -> str:
    return (
        f"Tính đến ngày {fmt_date(as_of)}; tổ chức đại hội từ ngày {fmt_date(rnd.starts_on)}, "
        f"hoàn thành trước ngày {fmt_date(rnd.deadline)}"
    )


# ---------------------------------------------------------------------------------------------
# Tiến độ

PROGRESS_ALIGNS = [CENTER, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT]
PROGRESS_FMTS = {3: INT, 4: INT, 5: PCT, 6: INT, 7: INT, 8: INT}


def progress_values(held: int, total: int, planned: int, overdue: int) -> list[Any]:
    """Columns 3–8 of a progress row: to hold, held, %, not held, planned, overdue."""
    return [total, held, ratio_value(held, total), total - held, planned, overdue]


def _progress_sheet(wb: Workbook, ctx: Context, rnd: CongressRound, prog: Any) -> None:
    org = ctx.org
    sheet = CampaignSheet(wb, title="Tiến độ", widths=[6, 40, 12, 12, 10, 12, 13, 11], ctx=ctx)
    sheet.campaign_frame(
        title="TIẾN ĐỘ ĐẠI HỘI",
        lines=[rnd.name, _subtitle(rnd, prog.as_of)],
        left_span=3,
        right_from=5,
    )
    sheet.header(
        [
            (0, 1, 1, 1, "STT"),
            (0, 2, 1, 2, "Tổ chức đảng"),
            (0, 3, 1, 3, "Số phải tổ chức đại hội"),
            (0, 4, 0, 5, "Đã tổ chức đại hội"),
            (1, 4, 1, 4, "Số lượng"),
            (1, 5, 1, 5, "Tỷ lệ (%)"),
            (0, 6, 1, 6, "Chưa tổ chức"),
            (0, 7, 0, 8, "Trong đó"),
            (1, 7, 1, 7, "Đã có kế hoạch"),
            (1, 8, 1, 8, "Quá hạn"),
        ],
        ["1", "2", "3", "4", "5(=4*100/3)", "6(=3-4)", "7", "8"],
    )
    for i, row in enumerate(prog.children, start=1):
        sheet.record(
            [i, row.name, *progress_values(row.held, row.total, row.planned, row.overdue)],
            aligns=PROGRESS_ALIGNS,
            fmts=PROGRESS_FMTS,
        )
    own = [
        prog.held - sum(r.held for r in prog.children),
        prog.total - sum(r.total for r in prog.children),
        prog.planned - sum(r.planned for r in prog.children),
        prog.overdue - sum(r.overdue for r in prog.children),
    ]
    if any(own):  # the organization holds a congress of the round itself
        sheet.record(
            ["", f"{org.name} (đại hội của chính tổ chức)", *progress_values(*own)],
            aligns=PROGRESS_ALIGNS,
            fmts=PROGRESS_FMTS,
        )
    sheet.record(
        ["", "Cộng", *progress_values(prog.held, prog.total, prog.planned, prog.overdue)],
        aligns=PROGRESS_ALIGNS,
        fmts=PROGRESS_FMTS,
        bold=True,
    )
    sheet.row += 1
    sheet.note(
        f"Kết quả chung: {prog.ratio_text} đã tổ chức đại hội. Số phải tổ chức không kể tổ chức không tính "
        "vào đợt (giải thể, sáp nhập trước đại hội) và tổ chức thành lập sau ngày tính; quá hạn là chưa tổ "
        f"chức khi đã qua hạn hoàn thành ({fmt_date(rnd.deadline)})."
    )
    sheet.signatures(left_span=3, right_from=5)
    sheet.finish()


# ---------------------------------------------------------------------------------------------
# Chưa tổ chức

MISSING_ALIGNS = [CENTER, LEFT, LEFT, CENTER, CENTER, LEFT]


def _parents(paths: list[str]) -> dict[str, str]:
    step = Organization.steplen
    parent_paths = {p[:-step] for p in paths if len(p) > step}
    return dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))


def missing_state(planned_on: date | None, rnd: CongressRound, as_of: date) -> str:
    if as_of > rnd.deadline:
        return "Quá hạn"
    if planned_on is None:
        return "Chưa có kế hoạch"
    if planned_on < as_of:
        return "Quá ngày dự kiến"
    return "Chưa đến ngày dự kiến"


def _missing_sheet(wb: Workbook, ctx: Context, rnd: CongressRound, as_of: date) -> None:
    sheet = CampaignSheet(wb, title="Chưa tổ chức", widths=[6, 38, 32, 14, 18, 24], ctx=ctx)
    sheet.campaign_frame(
        title="DANH SÁCH TỔ CHỨC ĐẢNG CHƯA TỔ CHỨC ĐẠI HỘI",
        lines=[rnd.name, _subtitle(rnd, as_of)],
        left_span=3,
        right_from=4,
    )
    sheet.header(
        [
            (0, 1, 0, 1, "STT"),
            (0, 2, 0, 2, "Tổ chức đảng"),
            (0, 3, 0, 3, "Trực thuộc"),
            (0, 4, 0, 4, "Dự kiến tổ chức ngày"),
            (0, 5, 0, 5, "Tình trạng"),
            (0, 6, 0, 6, "Ghi chú"),
        ],
        ["1", "2", "3", "4", "5", "6"],
    )
    congresses = selectors.missing(rnd, ctx.org, as_of=as_of)
    parents = _parents([c.organization.path for c in congresses])
    step = Organization.steplen
    for i, c in enumerate(congresses, start=1):
        sheet.record(
            [
                i,
                c.organization.name,
                parents.get(c.organization.path[:-step], ""),
                fmt_date(c.planned_on),
                missing_state(c.planned_on, rnd, as_of),
                c.note,
            ],
            aligns=MISSING_ALIGNS,
        )
    if not congresses:
        sheet.merged(
            1, sheet.ncols, "Không có tổ chức nào chưa tổ chức đại hội.", font(12, italic=True), LEFT
        )
        sheet.row += 1
    sheet.row += 1
    sheet.signatures(left_span=3, right_from=4)
    sheet.finish()
    if congresses:
        top = sheet.head_rows[1]
        sheet.ws.auto_filter.ref = f"A{top - 1}:F{top + len(congresses) - 1}"


def build_progress(rnd: CongressRound, organization: Organization, *, as_of: date, produced_by: Any) -> bytes:
    """The round's progress under `organization` as of `as_of` (the caller has checked that the
    organization is visible and lies in the round): Tiến độ, Chưa tổ chức."""
    prog = selectors.progress(rnd, organization, as_of=as_of)
    ctx = context(organization, prog.as_of, produced_by)
    wb = Workbook()
    wb.remove(wb.active)
    _progress_sheet(wb, ctx, rnd, prog)
    _missing_sheet(wb, ctx, rnd, prog.as_of)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
