"""The results of a review round under one organization as an xlsx workbook (A4 landscape):

- "Tổ chức đảng": every collective rating (organization and leadership collective) with its
  proposed and decided level;
- "Đảng viên": every member rating (self-assessment, the cell's proposal and vote, the decided
  level), per cell in Vietnamese name order;
- "Tổng hợp": per child organization, the members and the organizations per decided level with
  their ratios (in the spirit of Biểu 7A/7B, FORMS.md §4.7) and the HTXS cap check.

The summary's figures are `selectors.progress` and `statistics.collective_counts`, so the sheet
shows what the progress page shows. The frame (fonts, borders, number formats, signatures) is the
one of the statistical workbook (`dangvu.reports.excel`).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from copy import copy
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.utils import get_column_letter

from dangvu.core.formats import fmt_date
from dangvu.organizations.models import Organization
from dangvu.reports.excel import (
    BOX,
    CENTER,
    INT,
    LEFT,
    PCT,
    Context,
    Sheet,
    font,
    produced_line,
    signer_role,
    signer_title,
    superior_name,
)

from . import rules, selectors, statistics
from .choices import LEVEL_ORDER, LEVEL_SHORT, Level, Subject
from .models import EvaluationRound, MemberRating, OrganizationRating

RIGHT = Alignment(horizontal="right", vertical="center")
LEGEND = "; ".join(f"{LEVEL_SHORT[lvl]}: {lvl.label}" for lvl in LEVEL_ORDER)


def short(level: str) -> str:
    return LEVEL_SHORT[Level(level)] if level else ""


class RoundSheet(Sheet):
    """A sheet of the round's results: the frame names the organization, the round and who produced it."""

    def round_frame(self, rnd: EvaluationRound, *, title: str, left_span: int, right_from: int) -> None:
        ctx, n = self.ctx, self.ncols
        lefts = [
            (ctx.superior.upper(), font(12)),
            (ctx.org.name.upper(), font(12, bold=True)),
            ("*", font(12)),
        ]
        if not ctx.superior:
            lefts = [*lefts[1:], ("", font(12))]
        rights = [
            ("ĐẢNG CỘNG SẢN VIỆT NAM", font(12, bold=True, underline="single")),
            ("", font(12)),
            ("", font(12)),
        ]
        for (left, lf), (right, rf) in zip(lefts, rights, strict=True):
            self.merged(1, left_span, left, lf)
            self.merged(right_from, n, right, rf)
            self.ws.row_dimensions[self.row].height = 31 if len(left) > 45 else 17
            self.row += 1
        self.row += 1
        self.merged(1, n, title, font(14, bold=True))
        self.row += 1
        self.merged(1, n, rnd.name, font(12, bold=True))
        self.row += 1
        subtitle = (
            f"Kỳ đánh giá từ ngày {fmt_date(rnd.period_start)} đến ngày {fmt_date(rnd.period_end)}; "
            f"danh sách chốt ngày {fmt_date(rnd.reference_date)}; "
            f"trạng thái: {rnd.get_state_display().lower()}"
        )
        if rnd.closed_on:
            subtitle += f" (ngày {fmt_date(rnd.closed_on)})"
        self.merged(1, n, subtitle, font(12, italic=True))
        self.row += 1
        self.merged(1, n, produced_line(ctx.produced_by), font(10, italic=True))
        self.row += 2

    def record(
        self,
        values: Iterable[Any],
        *,
        aligns: list[Alignment],
        fmts: dict[int, str] | None = None,
        bold: bool = False,
    ) -> None:
        """One boxed table row."""
        fmts = fmts or {}
        values = list(values)
        self.ws.row_dimensions[self.row].height = 15 * max(
            self.lines(col, value) for col, value in enumerate(values, start=1)
        )
        for col, (value, align) in enumerate(zip(values, aligns, strict=True), start=1):
            cell = self.ws.cell(row=self.row, column=col, value=value)
            cell.style = self.style(align, fmts.get(col, "General"), bold)
        self.row += 1

    def style(self, align: Alignment, fmt: str, bold: bool) -> str:
        """A named style per (alignment, number format, weight): setting font, border and alignment
        cell by cell costs minutes on a province's 26.000 members, a named style a few seconds."""
        styles: dict[tuple, str] = self.ws.parent.__dict__.setdefault("_round_styles", {})
        key = (align.horizontal, fmt, bold)
        if key not in styles:
            named = NamedStyle(name=f"Kết quả {len(styles) + 1}")
            named.font, named.border, named.number_format = font(11, bold=bold), BOX, fmt
            named.alignment = copy(align)
            if align.horizontal == "left":  # keep text off the number just left of it
                named.alignment.indent = 1
            self.ws.parent.add_named_style(named)
            styles[key] = named.name
        return styles[key]

    def lines(self, col: int, value: Any) -> int:
        """How many lines a wrapped text takes in its column (LibreOffice does not grow rows itself)."""
        if not isinstance(value, str) or len(value) < 8:
            return 1
        if not hasattr(self, "_capacity"):
            self._capacity = {
                c: max((self.ws.column_dimensions[get_column_letter(c)].width or 10) * 1.4 - 2, 1)
                for c in range(1, self.ncols + 1)
            }  # Times 11: about 1,4 letters a width unit
        return math.ceil(len(value) / self._capacity[col])


def _context(rnd: EvaluationRound, org: Organization, produced_by: Any) -> Context:
    return Context(
        org=org,
        as_of=timezone.localdate(),
        start=rnd.period_start,
        end=rnd.period_end,
        produced_by=produced_by,
        superior=superior_name(org),
        signer_title=signer_title(org),
        signer_role=signer_role(org),
    )


# ---------------------------------------------------------------------------------------------
# Tổ chức đảng


def _parents(paths: Iterable[str]) -> dict[str, str]:
    """Parent path → name for the given organization paths."""
    step = Organization.steplen
    parent_paths = {p[:-step] for p in paths if len(p) > step}
    return dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "name"))


def _organizations_sheet(wb: Workbook, ctx: Context, rnd: EvaluationRound) -> None:
    org = ctx.org
    sheet = RoundSheet(wb, title="Tổ chức đảng", widths=[6, 36, 28, 13, 7, 9, 9, 10, 13, 24], ctx=ctx)
    sheet.round_frame(rnd, title="KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG", left_span=3, right_from=7)
    sheet.header(
        [
            (0, 1, 1, 1, "STT"),
            (0, 2, 1, 2, "Tổ chức đảng"),
            (0, 3, 1, 3, "Trực thuộc"),
            (0, 4, 1, 4, "Đối tượng"),
            (0, 5, 1, 5, "Điểm"),
            (0, 6, 1, 6, "Vượt chỉ tiêu (%)"),
            (0, 7, 0, 8, "Xếp loại"),
            (1, 7, 1, 7, "Tự đề xuất"),
            (1, 8, 1, 8, "Cấp trên quyết định"),
            (0, 9, 1, 9, "Số quyết định"),
            (0, 10, 1, 10, "Ghi chú"),
        ],
        [str(i) for i in range(1, 11)],
    )
    ratings = list(
        OrganizationRating.objects.filter(round=rnd, organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("organization__path", "subject")
    )
    parents = _parents(r.organization.path for r in ratings)
    step = Organization.steplen
    left, center, right = LEFT, CENTER, RIGHT
    for i, r in enumerate(ratings, start=1):
        notes = []
        if r.subordinate_disciplined:
            notes.append("Có tổ chức trực thuộc bị kỷ luật")
        if r.leadership_disciplined:
            notes.append("Có cấp ủy viên bị kỷ luật")
        if not r.decided_level:
            notes.append("Chưa có quyết định" if r.proposed_level else "Chưa tự đề xuất")
        sheet.record(
            [
                i,
                r.organization.name,
                parents.get(r.organization.path[:-step], ""),
                "Tập thể cấp ủy" if r.subject == Subject.LEADERSHIP else "Tổ chức đảng",
                r.score,
                r.exceeded_share,
                short(r.proposed_level),
                short(r.decided_level),
                r.decision_ref,
                "; ".join(notes),
            ],
            aligns=[center, left, left, left, right, right, center, center, center, left],
            fmts={5: INT, 6: INT},
        )
    sheet.row += 1
    sheet.note(LEGEND)
    sheet.finish(landscape=True)
    sheet.ws.auto_filter.ref = f"A{sheet.head_rows[1]}:J{sheet.head_rows[1] + len(ratings)}"


# ---------------------------------------------------------------------------------------------
# Đảng viên

MEMBER_FIELDS = (
    "member__full_name",
    "organization__name",
    "self_score",
    "self_level",
    "self_submitted_at",
    "score",
    "proposed_level",
    "votes_for",
    "votes_total",
    "voted_at",
    "decided_level",
    "ranked",
    "not_ranked_reason",
    "probationary",
    "disciplined",
)


def member_note(r: dict[str, Any]) -> str:
    if not r["ranked"]:
        return r["not_ranked_reason"] or "Không thuộc diện xếp loại"
    parts = []
    if r["probationary"]:
        parts.append("Đảng viên dự bị")
    if r["disciplined"]:
        parts.append("Bị kỷ luật trong kỳ")
    if not r["decided_level"]:
        parts.append(selectors.missing_reason(_Missing(r)))
    return "; ".join(parts)


class _Missing:
    """The few attributes `selectors.missing_reason` reads, from a values() row."""

    def __init__(self, r: dict[str, Any]) -> None:
        self.ranked, self.not_ranked_reason = r["ranked"], r["not_ranked_reason"]
        self.decided_level, self.self_submitted_at = r["decided_level"], r["self_submitted_at"]
        self.proposed_level = r["proposed_level"]
        self.voted_at = r["voted_at"]


def _members_sheet(wb: Workbook, ctx: Context, rnd: EvaluationRound) -> None:
    org = ctx.org
    sheet = RoundSheet(wb, title="Đảng viên", widths=[6, 24, 46, 8, 9, 8, 9, 11, 11, 26], ctx=ctx)
    sheet.round_frame(rnd, title="KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN", left_span=3, right_from=7)
    sheet.header(
        [
            (0, 1, 1, 1, "STT"),
            (0, 2, 1, 2, "Họ và tên"),
            (0, 3, 1, 3, "Chi bộ"),
            (0, 4, 0, 5, "Tự đánh giá"),
            (1, 4, 1, 4, "Điểm"),
            (1, 5, 1, 5, "Xếp loại"),
            (0, 6, 0, 7, "Chi ủy đề xuất"),
            (1, 6, 1, 6, "Điểm"),
            (1, 7, 1, 7, "Xếp loại"),
            (0, 8, 1, 8, "Biểu quyết (tán thành/ tổng số)"),
            (0, 9, 1, 9, "Xếp loại (quyết định)"),
            (0, 10, 1, 10, "Ghi chú"),
        ],
        [str(i) for i in range(1, 11)],
    )
    rows = (
        MemberRating.objects.filter(round=rnd, organization__path__startswith=org.path)
        .order_by("organization__path", "member__name_sort", "pk")
        .values(*MEMBER_FIELDS)
    )
    left, center, right = LEFT, CENTER, RIGHT
    first = sheet.row
    for i, r in enumerate(rows.iterator(chunk_size=2000), start=1):
        vote = f"{r['votes_for']}/{r['votes_total']}" if r["votes_total"] else ""
        sheet.record(
            [
                i,
                r["member__full_name"],
                r["organization__name"],
                r["self_score"],
                short(r["self_level"]),
                r["score"],
                short(r["proposed_level"]),
                vote,
                short(r["decided_level"]),
                member_note(r),
            ],
            aligns=[center, left, left, right, center, right, center, center, center, left],
            fmts={4: INT, 6: INT},
        )
    last = sheet.row - 1
    sheet.row += 1
    sheet.note(LEGEND)
    sheet.finish(landscape=True)
    sheet.ws.auto_filter.ref = f"A{first - 1}:J{max(last, first)}"
    sheet.ws.freeze_panes = f"C{first}"


# ---------------------------------------------------------------------------------------------
# Tổng hợp

LEVEL_COLUMNS = {lvl.value: 7 + 2 * i for i, lvl in enumerate(LEVEL_ORDER)}  # G, I, K, M (+1: %)


def _level_values(row: dict[str, int]) -> list[Any]:
    values: list[Any] = []
    for d in selectors.Progress.distribution(row):
        values.append(d["count"])
        values.append(round(d["share"] * 100, 2) if d["share"] is not None else None)
    return values


def _summary_header(sheet: RoundSheet, heads: list[str], note: str) -> None:
    cells = [(0, 1, 1, 1, "STT"), (0, 2, 1, 2, "Tổ chức đảng")]
    cells += [(0, 3 + i, 1, 3 + i, text) for i, text in enumerate(heads)]
    cells.append((0, 7, 0, 14, "Kết quả xếp loại (tỷ lệ % trên số đã xếp loại)"))
    for lvl, col in LEVEL_COLUMNS.items():
        cells.append((1, col, 1, col, LEVEL_SHORT[Level(lvl)]))
        cells.append((1, col + 1, 1, col + 1, "%"))
    cells.append((0, 15, 1, 15, note))
    sheet.header(cells, [str(i) for i in range(1, 16)])


def _summary_sheet(wb: Workbook, ctx: Context, rnd: EvaluationRound) -> None:
    org = ctx.org
    prog = selectors.progress(round=rnd, organization=org)
    collectives = statistics.collective_counts(round=rnd, organization=org)
    sheet = RoundSheet(wb, title="Tổng hợp", widths=[6, 36, 11, 11, 11, 11] + [8, 8] * 4 + [34], ctx=ctx)
    sheet.round_frame(rnd, title="TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", left_span=4, right_from=9)
    aligns = [CENTER, LEFT] + [RIGHT] * 12 + [LEFT]
    fmts = {c: INT for c in range(3, 7)}
    for col in LEVEL_COLUMNS.values():
        fmts[col], fmts[col + 1] = INT, PCT

    sheet.merged(1, sheet.ncols, "I. ĐẢNG VIÊN", font(12, bold=True), LEFT)
    sheet.row += 1
    _summary_header(
        sheet,
        ["Đảng viên trong danh sách", "Không thuộc diện xếp loại", "Thuộc diện xếp loại", "Đã xếp loại"],
        "Kiểm tra tỷ lệ HTXS",
    )
    cap_texts, cap_total = statistics.cap_checks(rnd, prog)
    percent, source = rules.excellent_cap(on=rnd.period_end)
    cap_rule = "không áp dụng" if percent is None else f"HTXS không quá {percent}% số HTT, theo {source}"
    member_head = sheet.head_rows

    def member_values(row: dict[str, int]) -> list[Any]:
        return [
            row["total"],
            row["total"] - row["rankable"],
            row["rankable"],
            row["decided"],
            *_level_values(row),
        ]

    n = 0
    for child, row in prog.children:
        if not row["total"]:
            continue
        n += 1
        sheet.record(
            [n, child.name, *member_values(row), cap_texts.get(child.path, "")], aligns=aligns, fmts=fmts
        )
    if prog.own:
        sheet.record(
            ["", f"Sinh hoạt trực tiếp tại {org.name}", *member_values(prog.own), ""],
            aligns=aligns,
            fmts=fmts,
        )
    sheet.record(["", "Cộng", *member_values(prog.total), cap_total], aligns=aligns, fmts=fmts, bold=True)
    sheet.row += 1

    sheet.merged(1, sheet.ncols, "II. TỔ CHỨC ĐẢNG", font(12, bold=True), LEFT)
    sheet.row += 1
    _summary_header(
        sheet, ["Tổ chức phải xếp loại", "Đã tự đề xuất", "Chưa xếp loại", "Đã xếp loại"], "Ghi chú"
    )

    def org_values(row: dict[str, int]) -> list[Any]:
        return [
            row["total"],
            row["proposed"],
            row["total"] - row["decided"],
            row["decided"],
            *_level_values(row),
        ]

    n = 0
    for child, _row in prog.children:
        row = collectives.get(child.path)
        if not row:
            continue
        n += 1
        sheet.record([n, child.name, *org_values(row), ""], aligns=aligns, fmts=fmts)
    if org.path in collectives:
        sheet.record(
            ["", f"{org.name} (tự đánh giá)", *org_values(collectives[org.path]), ""],
            aligns=aligns,
            fmts=fmts,
        )
    totals = {"proposed": sum(r["proposed"] for r in collectives.values()), **prog.organizations}
    sheet.record(["", "Cộng", *org_values(totals), ""], aligns=aligns, fmts=fmts, bold=True)
    sheet.row += 1
    sheet.note(
        f"{LEGEND}. Tỷ lệ (%) tính trên số đã xếp loại. Tổ chức đảng: tập thể tổ chức đảng, không kể tập thể "
        f"cấp ủy. Kiểm tra tỷ lệ HTXS ({cap_rule}) theo từng cấp ủy có thẩm quyền quyết định xếp loại đảng "
        "viên, với mức xếp loại đã quyết định hoặc đề xuất."
    )
    sheet.signatures(left_span=4, right_from=9)
    sheet.head_rows = member_head
    sheet.finish(landscape=True)
    sheet.ws._print_rows = None  # two tables on the sheet: no header repeats on every page


def build_results(rnd: EvaluationRound, organization: Organization, *, produced_by: Any) -> bytes:
    """The round's results under `organization` (which the caller has checked is visible and lies
    in the round's subtree): Tổ chức đảng, Đảng viên, Tổng hợp."""
    ctx = _context(rnd, organization, produced_by)
    wb = Workbook()
    wb.remove(wb.active)
    _organizations_sheet(wb, ctx, rnd)
    _members_sheet(wb, ctx, rnd)
    _summary_sheet(wb, ctx, rnd)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
