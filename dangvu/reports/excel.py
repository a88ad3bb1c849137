"""The basic statistical tables of the party-building sector (HD 11-HD/BTCTW, 2021 numbering) as one
xlsx workbook: Biểu số 1, 2, 3, 4 and 5-BTCTW, one sheet each.

Every figure comes from the statistics engine (`statistics.snapshot` / `statistics.period`, and for
Biểu số 5 `figures.tree_as_of` + `counts_as_of`), so the sheets show what the dashboard shows. Rows
the engine cannot count are left out or left blank and listed in docs/statistics-outputs.md.
Numbers are written as numbers with a Vietnamese number format ([$-42A]: 1.352 and 78,56 in
LibreOffice whatever the machine's locale).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dangvu.core.formats import fmt_date
from dangvu.members.choices import ETHNICITY_CHOICES, Religion
from dangvu.organizations.models import BASE_KINDS, BaseType, Kind, Organization

from . import figures, statistics
from .models import Tally

TNR = "Times New Roman"
INT = "[$-42A]#,##0"
DEC1 = "[$-42A]#,##0.0"
PCT = "[$-42A]#,##0.00"
THIN = Side(style="thin", color="000000")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def font(size: float = 12, **kw: Any) -> Font:
    return Font(name=TNR, size=size, **kw)


# ---------------------------------------------------------------------------------------------
# Words shared with the Word report


def one_year_earlier(d: date) -> date:
    """The same day a year before (29/02 → 28/02)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def province_of(org: Organization) -> Organization | None:
    if org.kind == Kind.PROVINCE:
        return org
    return Organization.objects.filter(path__in=_ancestor_paths(org), kind=Kind.PROVINCE).first()


def _ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[:i] for i in range(step, len(org.path), step)]


def place_name(org: Organization) -> str:
    """The place of the date line: the province's name without "Đảng bộ tỉnh/thành phố"."""
    province = province_of(org)
    if province is None:
        return "Hà Nội" if org.kind == Kind.CENTRAL else ""
    name = province.name
    for prefix in ("Đảng bộ tỉnh ", "Đảng bộ thành phố ", "Đảng bộ Thành phố ", "Đảng bộ "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def signer_title(org: Organization) -> str:
    """Who signs for the organization ("T/M BAN THƯỜNG VỤ", "T/M ĐẢNG ỦY", "T/M CHI BỘ")."""
    if org.kind in (Kind.CENTRAL, Kind.PROVINCE, Kind.PROVINCIAL_BLOC, Kind.DISTRICT, Kind.COMMUNE):
        return "T/M BAN THƯỜNG VỤ"
    if org.kind in (Kind.BASE_COMMITTEE, Kind.SUB_COMMITTEE):
        return "T/M ĐẢNG ỦY"
    if org.kind == Kind.PARTY_GROUP:
        return "TỔ TRƯỞNG"
    return "T/M CHI BỘ"


def signer_role(org: Organization) -> str:
    return "" if org.kind == Kind.PARTY_GROUP else "BÍ THƯ"


def superior_name(org: Organization) -> str:
    """The directly superior organization (empty above a province: the Centre is not named)."""
    parent = Organization.objects.get_parent(org)
    if parent is None or parent.kind == Kind.CENTRAL:
        return ""
    return parent.name


def date_line(org: Organization, on: date) -> str:
    place = place_name(org)
    text = f"ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"
    return f"{place}, {text}" if place else text.capitalize()


def produced_line(produced_by: Any) -> str:
    now = timezone.localtime()
    return f"Ngày lập: {now:%d/%m/%Y}, lúc {now:%H:%M}; người lập: {full_name(produced_by)}"


def full_name(user: Any) -> str:
    return getattr(user, "full_name", "") or getattr(user, "username", "") or ""


def percent(num: float | int | None, den: float | int | None) -> float | None:
    """num·100/den rounded to 2 places, or None when there is nothing to compare with."""
    if num is None or not den:
        return None
    return round(num * 100 / den, 2)


# ---------------------------------------------------------------------------------------------
# Sheet frame


@dataclass
class Line:
    """One row of a table: label, values, and how it is set."""

    label: str
    values: list[Any]
    bold: bool | int = False
    italic: bool = False
    fmt: str = INT
    indent: int = 1


class Sheet:
    """A statistical sheet: frame (issuer, form number, title, period, stamp), table, signatures."""

    def __init__(self, wb: Workbook, *, title: str, widths: list[float], ctx: Context) -> None:
        self.ws: Worksheet = wb.create_sheet(title)
        self.ctx = ctx
        self.ncols = len(widths)
        self.row = 1
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.last = get_column_letter(self.ncols)

    def merged(self, first: int, last: int, value: Any, f: Font, align: Alignment = CENTER) -> None:
        ws, r = self.ws, self.row
        if last > first:
            ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
        c = ws.cell(row=r, column=first, value=value)
        c.font, c.alignment = f, align

    def frame(self, *, form: str, title: str, subtitle: str, left_span: int, right_from: int) -> None:
        """Issuer top left, party name and form number top right, title, period, production stamp."""
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
            (form, font(12, bold=True)),
            ("Đvt: Người", font(11, italic=True)),
        ]
        top = [(*left, *right) for left, right in zip(lefts, rights, strict=True)]
        for left, lf, right, rf in top:
            self.merged(1, left_span, left, lf)
            self.merged(right_from, n, right, rf)
            self.ws.row_dimensions[self.row].height = 31 if len(left) > 38 else 17
            self.row += 1
        self.row += 1
        for text, f in (("THỐNG KÊ", font(14, bold=True)), (title, font(13, bold=True))):
            self.merged(1, n, text, f)
            self.row += 1
        self.merged(1, n, subtitle, font(12, italic=True))
        self.row += 1
        self.merged(1, n, produced_line(ctx.produced_by), font(10, italic=True))
        self.row += 2

    def header(self, cells: list[tuple[int, int, int, int, str]], numbers: list[str]) -> None:
        """Header cells as (row offset, first col, last row offset, last col, text), then the numbers row."""
        ws, top = self.ws, self.row
        depth = max(c[2] for c in cells) + 1
        for r0, c0, r1, c1, text in cells:
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=top + r0, start_column=c0, end_row=top + r1, end_column=c1)
            ws.cell(row=top + r0, column=c0, value=text)
        for r in range(top, top + depth):
            for c in range(1, self.ncols + 1):
                cell = ws.cell(row=r, column=c)
                cell.font, cell.alignment, cell.border = font(11, bold=True), CENTER, BOX
        for c, text in enumerate(numbers, start=1):
            cell = ws.cell(row=top + depth, column=c, value=text)
            cell.font, cell.alignment, cell.border = font(10, italic=True), CENTER, BOX
        for r in range(top, top + depth):
            ws.row_dimensions[r].height = 30
        self.head_rows = (top, top + depth)
        self.row = top + depth + 1

    def line(self, line: Line, *, label_cols: int = 1) -> None:
        ws, r = self.ws, self.row
        for c in range(1, label_cols + 1):
            ws.cell(row=r, column=c).border = BOX
        if label_cols > 1:
            ws.cell(row=r, column=1, value=line.values[0] if line.values else None)
        label_col = label_cols
        cell = ws.cell(row=r, column=label_col, value=line.label)
        cell.font = font(12, bold=line.bold, italic=line.italic)
        cell.alignment = Alignment(
            horizontal="left", vertical="center", wrap_text=True, indent=0 if line.bold else line.indent
        )
        ws.row_dimensions[r].height = 18
        if label_cols > 1:
            first = ws.cell(row=r, column=1)
            first.font, first.alignment = font(12, bold=line.bold), CENTER
        values = line.values[1:] if label_cols > 1 else line.values
        for i, v in enumerate(values, start=label_cols + 1):
            c = ws.cell(row=r, column=i, value=v)
            c.border = BOX
            c.font = font(12, bold=line.bold, italic=line.italic)
            c.alignment = Alignment(horizontal="right", vertical="center")
            c.number_format = line.fmt
        self.row += 1

    def note(self, text: str) -> None:
        self.merged(1, self.ncols, text, font(10, italic=True), LEFT)
        self.ws.row_dimensions[self.row].height = 15 * (1 + len(text) // 110)
        self.row += 1

    def signatures(self, *, left_span: int, right_from: int) -> None:
        ctx, n = self.ctx, self.ncols
        self.row += 1
        self.merged(right_from, n, date_line(ctx.org, ctx.as_of), font(12, italic=True))
        self.row += 1
        rows = [
            ("NGƯỜI LẬP BIỂU", font(12, bold=True), ctx.signer_title, font(12, bold=True)),
            ("(Ký, ghi rõ họ và tên)", font(11, italic=True), ctx.signer_role, font(12, bold=True)),
            ("", font(12), "", font(12)),
            ("", font(12), "", font(12)),
            ("", font(12), "", font(12)),
            (full_name(ctx.produced_by), font(12, bold=True), "", font(12)),
        ]
        for left, lf, right, rf in rows:
            self.merged(1, left_span, left, lf)
            self.merged(right_from, n, right, rf)
            self.row += 1

    def finish(self, *, landscape: bool = False) -> None:
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        top, bottom = self.head_rows
        ws.print_title_rows = f"{top}:{bottom}"
        ws.print_area = f"A1:{self.last}{self.row}"
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = TNR
        ws.sheet_view.showGridLines = False


@dataclass
class Context:
    org: Organization
    as_of: date
    start: date
    end: date
    produced_by: Any
    superior: str
    signer_title: str
    signer_role: str

    @property
    def period_text(self) -> str:
        return f"Từ ngày {fmt_date(self.start)} đến ngày {fmt_date(self.end)}"


# ---------------------------------------------------------------------------------------------
# Biểu số 1, 2, 3: the "Kỳ này / Cùng kỳ năm trước / %" block

COMPARE_WIDTHS = [62, 15, 15, 16]


def _compare_sheet(wb: Workbook, ctx: Context, *, name: str, form: str, title: str, subtitle: str) -> Sheet:
    sheet = Sheet(wb, title=name, widths=COMPARE_WIDTHS, ctx=ctx)
    sheet.frame(form=form, title=title, subtitle=subtitle, left_span=1, right_from=2)
    sheet.header(
        [
            (0, 1, 1, 1, "Tiêu chí"),
            (0, 2, 0, 3, "Thực hiện"),
            (1, 2, 1, 2, "Kỳ này"),
            (1, 3, 1, 3, "Cùng kỳ năm trước"),
            (0, 4, 1, 4, "(%) kỳ này so với cùng kỳ năm trước"),
        ],
        ["1", "2", "3", "4(=2*100/3)"],
    )
    sheet.ws.row_dimensions[sheet.head_rows[0]].height = 20
    sheet.ws.row_dimensions[sheet.head_rows[0] + 1].height = 34
    return sheet


def _cmp(label: str, now: Any, before: Any, **kw: Any) -> Line:
    return Line(label, [now, before, percent(now, before)], **kw)


def _write_compare(sheet: Sheet, lines: list[Line]) -> None:
    for line in lines:
        sheet.line(line)
        if line.fmt != INT:
            continue
        pct = sheet.ws.cell(row=sheet.row - 1, column=4)
        pct.number_format = PCT


def form1_lines(now: dict[str, Any], before: dict[str, Any]) -> list[Line]:
    """Biểu số 1-BTCTW rows from two `statistics.period` results."""
    i, d = "increase", "decrease"
    spec: list[tuple[str, str, Any, dict[str, Any]]] = [
        ("A", "A - Tổng số đảng viên cuối kỳ trước chuyển sang", ("opening",), {"bold": True}),
        ("B", "B - Đảng viên tăng trong kỳ", (i, "total"), {"bold": True}),
        ("B1", "1. Kết nạp", (i, "admitted"), {}),
        ("B2", "2. Chuyển đến", (i, "transferred_in"), {}),
        (
            "B2a",
            "a. Tỉnh khác chuyển đến",
            (i, "transferred_in_other_province"),
            {"italic": True, "indent": 3},
        ),
        (
            "B2b",
            "b. Huyện khác trong tỉnh chuyển đến",
            (i, "transferred_in_same_province"),
            {"italic": True, "indent": 3},
        ),
        ("B3", "3. Phục hồi đảng tịch", (i, "readmitted"), {}),
        ("B4", "4. Trở lại sinh hoạt sau khi mất liên lạc (*)", (i, "contact_restored"), {}),
        ("C", "C - Đảng viên giảm trong kỳ", (d, "total"), {"bold": True}),
        ("C1", "1. Từ trần", (d, "deceased"), {}),
        ("C2", "2. Khai trừ", (d, "expelled"), {}),
        ("C3", "3. Xóa tên", (d, "removed"), {}),
        ("C3x", "Trong đó: Đảng viên dự bị", (d, "removed_probationary"), {"italic": True, "indent": 3}),
        ("C4", "4. Xin ra khỏi Đảng", (d, "left"), {}),
        ("C5", "5. Chuyển đi", (d, "transferred_out"), {}),
        (
            "C5a",
            "a. Chuyển đi tỉnh khác",
            (d, "transferred_out_other_province"),
            {"italic": True, "indent": 3},
        ),
        (
            "C5b",
            "b. Chuyển đi huyện khác trong tỉnh",
            (d, "transferred_out_same_province"),
            {"italic": True, "indent": 3},
        ),
        ("C6", "6. Mất liên lạc, không còn sinh hoạt (*)", (d, "contact_lost"), {}),
        ("D", "D - Đảng viên trong danh sách cuối kỳ báo cáo", ("closing",), {"bold": True}),
    ]

    def get(p: dict[str, Any], path: tuple[str, ...]) -> int:
        v: Any = p
        for k in path:
            v = v[k]
        return v

    return [_cmp(label, get(now, path), get(before, path), **kw) for _code, label, path, kw in spec]


def _admission_lines(adm: dict[str, Any], prev: dict[str, Any]) -> list[Line]:
    lines = [
        _cmp("I. Tổng số đảng viên mới kết nạp", adm["total"], prev["total"], bold=True),
        _cmp("- Nữ", adm["female"], prev["female"]),
        _cmp("- Dân tộc thiểu số", adm["ethnic_minority"], prev["ethnic_minority"]),
        _cmp("- Người theo tôn giáo", adm["religious"], prev["religious"]),
        _cmp("- Từ 30 tuổi trở xuống (*)", adm["youth"], prev["youth"]),
        _cmp(
            "- Làm việc trong doanh nghiệp ngoài khu vực Nhà nước (*)",
            adm["private_enterprise"],
            prev["private_enterprise"],
        ),
        Line("II. Phân tích đảng viên mới kết nạp", [None, None, None], bold=True),
    ]
    sections = [
        ("1. Nghề nghiệp", "by_occupation"),
        ("2. Trình độ giáo dục phổ thông", "by_education"),
        ("3. Trình độ chuyên môn nghiệp vụ", "by_qualification"),
        ("4. Trình độ lý luận chính trị (*)", "by_theory_level"),
    ]
    for title, key in sections:
        lines.append(Line(title, [None, None, None], bold=True))
        before = {r["code"]: r["total"] for r in prev[key]}
        for r in adm[key]:
            lines.append(_cmp(f"- {r['label']}", r["total"], before.get(r["code"], 0)))
        for r in prev[key]:  # a code present only last year (e.g. "Chưa ghi")
            if r["code"] not in {x["code"] for x in adm[key]}:
                lines.append(_cmp(f"- {r['label']}", 0, r["total"]))
    return lines


def _rows_by_code(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {r["code"]: r["total"] for r in rows}


def _grouped(rows: list[dict[str, Any]], groups: list[tuple[str, tuple[str, ...]]]) -> list[tuple[str, int]]:
    by = _rows_by_code(rows)
    out = [(label, sum(by.get(c, 0) for c in codes)) for label, codes in groups]
    if by.get(""):
        out.append((statistics.UNKNOWN, by[""]))
    return out


QUALIFICATION_ROWS = [
    ("Chưa qua đào tạo (*)", ("none",)),
    ("Công nhân kỹ thuật, nhân viên nghiệp vụ, sơ cấp", ("elementary",)),
    ("Trung cấp", ("vocational",)),
    ("Cao đẳng", ("college",)),
    ("Đại học", ("bachelor",)),
    ("Thạc sỹ", ("master",)),
    ("Tiến sỹ", ("doctor",)),
]
THEORY_ROWS = [
    ("Chưa qua đào tạo (*)", ("none",)),
    ("Sơ cấp", ("elementary",)),
    ("Trung cấp", ("intermediate",)),
    ("Cao cấp, cử nhân", ("advanced", "bachelor")),
]


def form3_lines(now: dict[str, Any], before: dict[str, Any]) -> list[Line]:
    """Biểu số 3-BTCTW rows from two `statistics.describe` results."""
    m, b = now["members"], before["members"]
    lines = [
        _cmp("I. Đảng viên trong danh sách có đến cuối kỳ báo cáo", m["total"], b["total"], bold=True),
        _cmp("Trong đó: - Nữ", m["female"], b["female"], italic=True),
        _cmp("- Dự bị", m["probationary"], b["probationary"]),
        _cmp("- Dân tộc thiểu số", m["ethnic_minority"], b["ethnic_minority"]),
        _cmp("- Người theo tôn giáo", m["religious"], b["religious"]),
        _cmp("- Được miễn công tác và sinh hoạt đảng", m["exempted"], b["exempted"]),
        Line("II. Phân tích đội ngũ đảng viên", [None, None, None], bold=True),
    ]

    def block(title: str, pairs_now: list[tuple[str, int]], pairs_before: list[tuple[str, int]]) -> None:
        lines.append(Line(title, [None, None, None], bold=True))
        before_map = dict(pairs_before)
        for label, n in pairs_now:
            lines.append(_cmp(f"- {label}", n, before_map.get(label, 0)))
        for label, n in pairs_before:
            if label not in dict(pairs_now):
                lines.append(_cmp(f"- {label}", 0, n))

    def plain(rows: list[dict[str, Any]]) -> list[tuple[str, int]]:
        return [(r["label"], r["total"]) for r in rows]

    block("1. Nghề nghiệp", plain(now["occupation"]), plain(before["occupation"]))
    block("2. Tuổi đời", plain(now["age_bands"]), plain(before["age_bands"]))
    lines.append(
        Line(
            "- Tuổi bình quân",
            [m["mean_age"], b["mean_age"], percent(m["mean_age"], b["mean_age"])],
            fmt=DEC1,
        )
    )
    block(
        "3. Thời gian kết nạp vào Đảng", plain(now["admission_periods"]), plain(before["admission_periods"])
    )
    block("4. Trình độ giáo dục phổ thông", plain(now["education"]), plain(before["education"]))
    block(
        "5. Trình độ chuyên môn nghiệp vụ",
        _grouped(now["qualification"], QUALIFICATION_ROWS),
        _grouped(before["qualification"], QUALIFICATION_ROWS),
    )
    block(
        "6. Trình độ lý luận chính trị",
        _grouped(now["theory_level"], THEORY_ROWS),
        _grouped(before["theory_level"], THEORY_ROWS),
    )
    return lines


# ---------------------------------------------------------------------------------------------
# Biểu số 4: by ethnicity and religion

RELIGION_ROWS = [  # the form's order (FORMS.md §3.3)
    (Religion.BUDDHISM, "Phật giáo"),
    (Religion.CATHOLIC, "Công giáo"),
    (Religion.HOA_HAO, "Phật giáo Hòa Hảo"),
    (Religion.CAO_DAI, "Cao Đài"),
    (Religion.PROTESTANT, "Tin Lành"),
    (Religion.ISLAM, "Hồi giáo"),
    (Religion.OTHER, "Đạo khác"),
]


def form4_lines(figs: dict[str, Any]) -> list[Line]:
    """(TT, name, total, female, share of all members in %) rows of Biểu số 4-BTCTW."""
    total = figs["members"]["total"]
    eth = {r["code"]: r for r in figs["ethnicity"]}
    rel = {r["code"]: r for r in figs["religion"]}
    eth_total = sum(r["total"] for r in figs["ethnicity"])
    eth_female = sum(r["female"] for r in figs["ethnicity"])
    lines = [
        Line(
            "Đảng viên chia theo dân tộc", ["I", eth_total, eth_female, percent(eth_total, total)], bold=True
        )
    ]
    for i, (code, name) in enumerate(ETHNICITY_CHOICES, start=1):
        r = eth.get(code, {"total": 0, "female": 0})
        lines.append(Line(name, [i, r["total"], r["female"], percent(r["total"], total)]))
    lines.append(Line("Dân tộc khác", [55, None, None, None]))
    lines.append(Line("Q.tịch gốc nước ngoài", [56, None, None, None]))
    rel_total = figs["members"]["religious"]
    rel_female = sum(r["female"] for r in figs["religion"] if r["code"] != Religion.NONE)
    lines.append(
        Line(
            "Đảng viên chia theo tôn giáo",
            ["II", rel_total, rel_female, percent(rel_total, total)],
            bold=True,
        )
    )
    for i, (code, name) in enumerate(RELIGION_ROWS, start=1):
        r = rel.get(code, {"total": 0, "female": 0})
        lines.append(Line(name, [i, r["total"], r["female"], percent(r["total"], total)]))
    return lines


# ---------------------------------------------------------------------------------------------
# Biểu số 5: base organizations by type

FORM5_ROWS: list[tuple[str, str, bool]] = [  # (key, label, bold)
    ("xa", "1. Xã", True),
    ("phuong", "2. Phường", True),
    ("thi_tran", "3. Thị trấn", True),
    ("dang_mttq", "4. Cơ quan Đảng, MTTQ, đoàn thể CT-XH", True),
    ("nha_nuoc", "5. Cơ quan Nhà nước", True),
    ("su_nghiep", "6. Đơn vị sự nghiệp, gồm:", True),
    ("su_nghiep_cl", "a) Công lập", False),
    ("su_nghiep_ncl", "b) Ngoài công lập", False),
    ("quan_doi", "7. Quân đội", True),
    ("cong_an", "8. Công an", True),
    ("dn_htx", "9. Doanh nghiệp và hợp tác xã", True),
    ("dn_nn", "a) Doanh nghiệp có vốn Nhà nước", False),
    ("dn_ngoai", "b) Doanh nghiệp ngoài khu vực Nhà nước", False),
    ("htx", "c) Hợp tác xã", False),
    ("ngoai_nuoc", "10. Tổ chức cơ sở đảng ở ngoài nước", True),
    ("khac", "11. Loại hình cơ sở khác", True),
]
BASE_TYPE_ROW = {
    BaseType.ADMINISTRATIVE: "nha_nuoc",
    BaseType.PUBLIC_SERVICE: "su_nghiep",
    BaseType.MILITARY: "quan_doi",
    BaseType.POLICE: "cong_an",
    BaseType.STATE_ENTERPRISE: "dn_nn",
    BaseType.PRIVATE_ENTERPRISE: "dn_ngoai",
    BaseType.OTHER: "khac",
    "": "khac",
}
UNCOUNTED_ROWS = ("thi_tran", "dang_mttq", "su_nghiep_cl", "su_nghiep_ncl", "htx", "ngoai_nuoc")
COLS5 = ("base", "base_committee", "base_cell", "sub_committee", "cell", "members")


def _commune_row(name: str) -> str:
    lowered = name.lower()
    if "phường" in lowered:
        return "phuong"
    if "thị trấn" in lowered:
        return "thi_tran"
    return "xa"


@dataclass
class Form5:
    rows: dict[str, Counter]
    upper_members: int  # members at organizations above any base or commune (province, blocs…)
    total_members: int


def form5_counts(org: Organization, on: date) -> Form5:
    """Organizations and members of the subtree on `on`, by the type of the base they belong to.

    A base organization (and everything under it) goes to its base type's row. Cells and
    sub-committees directly under a commune committee, and the commune's own members, go to the
    Xã/Phường row of that commune (the commune committee itself is not a base organization).
    """
    tree = figures.tree_as_of(org, on)
    if on >= timezone.localdate():  # today: the stored counters, as the dashboard reads them
        own = _own_today(tree)
    else:
        own, _total = figures.counts_as_of(tree)
    anchor: dict[int, tuple[int, str] | None] = {}

    def anchor_of(o: int, depth: int = 0) -> tuple[int, str] | None:
        if o in anchor:
            return anchor[o]
        info = tree.info[o]
        if info["kind"] in BASE_KINDS:
            found: tuple[int, str] | None = (o, BASE_TYPE_ROW.get(info["base_type"], "khac"))
            if info["base_type"] == BaseType.COMMUNE:
                found = (o, _commune_row(_commune_name(tree, o) or info["name"]))
        elif info["kind"] == Kind.COMMUNE:
            found = (o, _commune_row(info["name"]))
        else:
            p = tree.parent.get(o)
            found = anchor_of(p, depth + 1) if p is not None and depth < 64 else None
        anchor[o] = found
        return found

    rows: dict[str, Counter] = {key: Counter() for key, _l, _b in FORM5_ROWS}
    upper = 0
    for o, info in tree.info.items():
        a = anchor_of(o)
        members = own.get(o, Counter()).get("all", 0)
        if a is None:
            upper += members
            continue
        row = rows[a[1]]
        row["members"] += members
        kind = info["kind"]
        if kind in BASE_KINDS:
            row["base"] += 1
            row[kind] += 1
        elif kind in (Kind.SUB_COMMITTEE, Kind.CELL):
            row[kind] += 1
    for parent, parts in (("su_nghiep", ()), ("dn_htx", ("dn_nn", "dn_ngoai", "htx"))):
        for part in parts:
            rows[parent].update(rows[part])
    return Form5(rows=rows, upper_members=upper, total_members=sum(c.get("all", 0) for c in own.values()))


def _own_today(tree: figures.TreeAsOf) -> dict[int, Counter]:
    rows = Tally.objects.filter(organization_id__in=list(tree.ids()), key="all", own__gt=0)
    return {o: Counter(all=n) for o, n in rows.values_list("organization_id", "own")}


def _commune_name(tree: figures.TreeAsOf, o: int) -> str:
    p = tree.parent.get(o)
    while p is not None:
        if tree.info[p]["kind"] == Kind.COMMUNE:
            return tree.info[p]["name"]
        p = tree.parent.get(p)
    return ""


def _form5_sheet(wb: Workbook, ctx: Context) -> None:
    sheet = Sheet(wb, title="Biểu 5", widths=[40, 11, 11, 11, 12, 12, 13], ctx=ctx)
    sheet.frame(
        form="Biểu số 5-BTCTW",
        title="TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN TRONG CÁC LOẠI HÌNH CƠ SỞ",
        subtitle=f"Có đến ngày {fmt_date(ctx.as_of)}",
        left_span=2,
        right_from=5,
    )
    sheet.header(
        [
            (0, 1, 2, 1, "Loại hình tổ chức cơ sở đảng"),
            (0, 2, 0, 4, "Số tổ chức cơ sở đảng"),
            (1, 2, 2, 2, "Tổng số"),
            (1, 3, 1, 4, "Chia ra"),
            (2, 3, 2, 3, "Đảng bộ cơ sở"),
            (2, 4, 2, 4, "Chi bộ cơ sở"),
            (0, 5, 1, 6, "Tổ chức đảng trực thuộc Đảng bộ cơ sở, chia ra"),
            (2, 5, 2, 5, "Đảng bộ bộ phận"),
            (2, 6, 2, 6, "Chi bộ trực thuộc"),
            (0, 7, 2, 7, "Tổng số đảng viên"),
        ],
        ["1", "2(=3+4)", "3", "4", "5", "6", "7"],
    )
    counts = form5_counts(ctx.org, ctx.as_of)
    for key, label, bold in FORM5_ROWS:
        r = counts.rows[key]
        values = [None] * 6 if key in UNCOUNTED_ROWS else [r[c] for c in COLS5]
        sheet.line(Line(label, values, bold=bold))
    totals = Counter()
    for key, _l, _b in FORM5_ROWS:
        if key not in ("su_nghiep_cl", "su_nghiep_ncl", "dn_nn", "dn_ngoai", "htx"):
            totals.update(counts.rows[key])
    sheet.line(Line("12. Cộng (1+...+11)", [totals[c] for c in COLS5], bold=True))
    sheet.row += 1
    sheet.note(
        "Ghi chú: các dòng để trống là loại hình hệ thống chưa phân loại được (xem tài liệu hướng dẫn). "
        "Dòng Xã, Phường gồm các chi bộ trực thuộc và đảng viên sinh hoạt trực tiếp ở đảng bộ xã, phường, "
        "đặc khu; các tổ chức cơ sở đảng trong xã được tính theo loại hình của mình."
    )
    sheet.note(
        f"Đảng viên sinh hoạt ở tổ chức đảng cấp trên cơ sở (không thuộc loại hình nào): "
        f"{counts.upper_members:,}; tổng số đảng viên: {counts.total_members:,}.".replace(",", ".")
    )
    sheet.signatures(left_span=2, right_from=5)
    sheet.finish(landscape=False)


# ---------------------------------------------------------------------------------------------
# The workbook


def _context(org: Organization, as_of: date, start: date, end: date, produced_by: Any) -> Context:
    return Context(
        org=org,
        as_of=as_of,
        start=start,
        end=end,
        produced_by=produced_by,
        superior=superior_name(org),
        signer_title=signer_title(org),
        signer_role=signer_role(org),
    )


def build_workbook(org: Organization, *, as_of: date, start: date, end: date, produced_by: Any) -> bytes:
    """Biểu số 1, 2, 3, 4 and 5-BTCTW for `org`: stocks on `as_of`, movements over [start, end]."""
    ctx = _context(org, as_of, start, end, produced_by)
    now_period = statistics.period(org, start, end)
    before_period = statistics.period(org, one_year_earlier(start), one_year_earlier(end))
    now_snap = statistics.snapshot(org, as_of)
    before_snap = statistics.snapshot(org, one_year_earlier(as_of))
    prev_start, prev_end = fmt_date(one_year_earlier(start)), fmt_date(one_year_earlier(end))
    previous = f"cùng kỳ năm trước: từ ngày {prev_start} đến ngày {prev_end}"

    wb = Workbook()
    wb.remove(wb.active)

    s1 = _compare_sheet(
        wb,
        ctx,
        name="Biểu 1",
        form="Biểu số 1-BTCTW",
        title=f"TĂNG, GIẢM ĐẢNG VIÊN NĂM {end.year}",
        subtitle=f"{ctx.period_text} ({previous})",
    )
    _write_compare(s1, form1_lines(now_period, before_period))
    s1.row += 1
    s1.note("(*) Dòng bổ sung để khớp số liệu: D = A + B - C; B = 1 + 2 + 3 + 4; C = 1 + ... + 6.")
    if not now_period["balanced"]:
        s1.note(
            "Lưu ý: D khác A + B - C vì trong kỳ có tổ chức đảng được chuyển vào hoặc ra khỏi phạm vi "
            "báo cáo (A tính theo tổ chức có đến đầu kỳ, D theo tổ chức có đến cuối kỳ)."
        )
    s1.signatures(left_span=1, right_from=2)
    s1.finish()

    s2 = _compare_sheet(
        wb,
        ctx,
        name="Biểu 2",
        form="Biểu số 2-BTCTW",
        title=f"ĐẢNG VIÊN MỚI KẾT NẠP NĂM {end.year}",
        subtitle=f"{ctx.period_text} ({previous})",
    )
    _write_compare(s2, _admission_lines(now_period["admissions"], before_period["admissions"]))
    s2.row += 1
    s2.note("(*) Dòng bổ sung của hệ thống, không có trong mẫu của Ban Tổ chức Trung ương.")
    s2.signatures(left_span=1, right_from=2)
    s2.finish()

    s3 = _compare_sheet(
        wb,
        ctx,
        name="Biểu 3",
        form="Biểu số 3-BTCTW",
        title="ĐỘI NGŨ ĐẢNG VIÊN",
        subtitle=f"Có đến ngày {fmt_date(now_snap.on)} (cùng kỳ năm trước: ngày {fmt_date(before_snap.on)})",
    )
    _write_compare(s3, form3_lines(now_snap.figures, before_snap.figures))
    s3.row += 1
    s3.note("(*) Dòng bổ sung của hệ thống, không có trong mẫu của Ban Tổ chức Trung ương.")
    s3.signatures(left_span=1, right_from=2)
    s3.finish()

    s4 = Sheet(wb, title="Biểu 4", widths=[7, 44, 14, 14, 13], ctx=ctx)
    s4.frame(
        form="Biểu số 4-BTCTW",
        title="ĐẢNG VIÊN CHIA THEO DÂN TỘC VÀ TRONG CÁC TÔN GIÁO",
        subtitle=f"Có đến ngày {fmt_date(now_snap.on)}",
        left_span=2,
        right_from=3,
    )
    s4.header(
        [
            (0, 1, 1, 1, "TT"),
            (0, 2, 1, 2, "Tên dân tộc, tôn giáo"),
            (0, 3, 0, 4, "Đảng viên chia theo dân tộc, tôn giáo"),
            (1, 3, 1, 3, "Tổng số"),
            (1, 4, 1, 4, "Trong đó: nữ"),
            (0, 5, 1, 5, "Tỷ lệ (%)"),
        ],
        ["1", "2", "3", "4", "5"],
    )
    for line in form4_lines(now_snap.figures):
        s4.line(line, label_cols=2)
        s4.ws.cell(row=s4.row - 1, column=5).number_format = PCT
    s4.row += 1
    s4.note(
        "Tỷ lệ (%): số đảng viên của dòng so với tổng số đảng viên trong danh sách (cột 3 × 100 / tổng số)."
    )
    s4.signatures(left_span=2, right_from=3)
    s4.finish()

    _form5_sheet(wb, ctx)

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
