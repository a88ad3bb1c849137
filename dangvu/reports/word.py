"""A Word report (.docx) on the organization and its members, in the party-document layout
(DOMAIN.md §7, HD 36-HD/VPTW): issuer and "Số …-BC/…" top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the
place-and-date line top right, title, body sentences with the figures, signature block,
"Nơi nhận:" and a table annex of the child organizations.

The figures are the dashboard's (`statistics.snapshot`, `statistics.period`), written the
Vietnamese way (27.350; 33,64%).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from dangvu.core.formats import fmt_date, fmt_decimal, fmt_int, fmt_percent
from dangvu.organizations.models import Kind, Organization

from . import statistics
from .excel import date_line, one_year_earlier, signer_role, signer_title, superior_name

TNR = "Times New Roman"
ISSUER_ABBREV = {
    Kind.CENTRAL: "TW",
    Kind.PROVINCE: "TU",
    Kind.DISTRICT: "HU",
    Kind.PROVINCIAL_BLOC: "ĐU",
    Kind.COMMUNE: "ĐU",
    Kind.BASE_COMMITTEE: "ĐU",
    Kind.SUB_COMMITTEE: "ĐU",
    Kind.BASE_CELL: "CB",
    Kind.CELL: "CB",
    Kind.PARTY_GROUP: "TĐ",
}


def whole(org: Organization) -> str:
    """How the body names the whole organization: "Toàn tỉnh", "Toàn Đảng bộ xã", "Toàn chi bộ"."""
    name = org.name.lower()
    if org.kind == Kind.CENTRAL:
        return "Toàn Đảng"
    if org.kind == Kind.PROVINCE:
        return "Toàn thành phố" if "thành phố" in name else "Toàn tỉnh"
    if org.kind == Kind.COMMUNE:
        for word in ("phường", "đặc khu", "xã"):
            if word in name:
                return f"Toàn Đảng bộ {word}"
        return "Toàn Đảng bộ"
    if org.kind in (Kind.BASE_CELL, Kind.CELL):
        return "Toàn chi bộ"
    if org.kind == Kind.PARTY_GROUP:
        return "Toàn tổ đảng"
    return "Toàn Đảng bộ"


def share(n: int, total: int) -> str:
    return f"chiếm {fmt_percent(n, total)}"


def _join(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


# ---------------------------------------------------------------------------------------------
# The sentences


def organizations_sentence(org: Organization, figs: dict[str, Any]) -> str:
    kinds = {k["code"]: k["total"] for k in figs["organizations"]["by_kind"]}
    kinds[org.kind] = kinds.get(org.kind, 0) - 1  # the organization itself
    parts = []
    if kinds.get(Kind.PROVINCIAL_BLOC):
        parts.append(f"{fmt_int(kinds[Kind.PROVINCIAL_BLOC])} đảng bộ trực thuộc")
    if kinds.get(Kind.DISTRICT):
        parts.append(f"{fmt_int(kinds[Kind.DISTRICT])} đảng bộ huyện và tương đương")
    if kinds.get(Kind.COMMUNE):
        parts.append(f"{fmt_int(kinds[Kind.COMMUNE])} đảng bộ xã, phường, đặc khu")
    base_committee = kinds.get(Kind.BASE_COMMITTEE, 0)
    base_cell = kinds.get(Kind.BASE_CELL, 0)
    if base_committee + base_cell:
        parts.append(
            f"{fmt_int(base_committee + base_cell)} tổ chức cơ sở đảng ({fmt_int(base_committee)} đảng bộ "
            f"cơ sở, {fmt_int(base_cell)} chi bộ cơ sở)"
        )
    if kinds.get(Kind.SUB_COMMITTEE):
        parts.append(f"{fmt_int(kinds[Kind.SUB_COMMITTEE])} đảng bộ bộ phận")
    cells = kinds.get(Kind.CELL, 0) + base_cell
    if cells:
        parts.append(f"{fmt_int(cells)} chi bộ" + (" (kể cả chi bộ cơ sở)" if base_cell else ""))
    if kinds.get(Kind.PARTY_GROUP):
        parts.append(f"{fmt_int(kinds[Kind.PARTY_GROUP])} tổ đảng")
    if not parts:
        return ""
    return f"{whole(org)} có {_join(parts)}."


def members_sentences(
    org: Organization, figs: dict[str, Any], before: dict[str, Any], before_on: date
) -> list[str]:
    m, total = figs["members"], figs["members"]["total"]
    if not total:
        return [f"{whole(org)} chưa có đảng viên trong danh sách."]
    out = [
        f"{whole(org)} có {fmt_int(total)} đảng viên ({fmt_int(m['official'])} đảng viên chính thức, "
        f"{fmt_int(m['probationary'])} đảng viên dự bị), trong đó {fmt_int(m['female'])} đảng viên nữ "
        f"({share(m['female'], total)}), {fmt_int(m['ethnic_minority'])} đảng viên là người dân tộc thiểu "
        f"số ({share(m['ethnic_minority'], total)}), {fmt_int(m['religious'])} đảng viên theo tôn giáo "
        f"({share(m['religious'], total)}); {fmt_int(m['exempted'])} đảng viên được miễn công tác và "
        f"sinh hoạt đảng."
    ]
    previous = before["members"]["total"]
    if previous:
        diff = total - previous
        change = "tăng" if diff > 0 else "giảm" if diff < 0 else "không thay đổi"
        amount = f" {fmt_int(abs(diff))} đảng viên" if diff else ""
        out.append(
            f"So với cùng thời điểm năm trước (ngày {fmt_date(before_on)}: {fmt_int(previous)} đảng viên), "
            f"số đảng viên {change}{amount}, bằng {fmt_percent(total, previous)}."
        )
    bands = {b["code"]: b["total"] for b in figs["age_bands"]}
    young, old = bands.get("18_30", 0), bands.get("over_60", 0)
    out.append(
        f"Về tuổi đời: tuổi bình quân là {fmt_decimal(m['mean_age'], 1)}; có {fmt_int(young)} đảng viên "
        f"từ 30 tuổi trở xuống ({share(young, total)}) và {fmt_int(old)} đảng viên trên 60 tuổi "
        f"({share(old, total)})."
    )
    qual = {r["code"]: r["total"] for r in figs["qualification"]}
    theory = {r["code"]: r["total"] for r in figs["theory_level"]}
    edu = {r["code"]: r["total"] for r in figs["education"]}
    higher = qual.get("bachelor", 0) + qual.get("master", 0) + qual.get("doctor", 0)
    advanced = theory.get("advanced", 0) + theory.get("bachelor", 0)
    out.append(
        f"Về trình độ: {fmt_int(edu.get('upper_secondary', 0))} đảng viên tốt nghiệp trung học phổ thông "
        f"({share(edu.get('upper_secondary', 0), total)}); {fmt_int(higher)} đảng viên có trình độ chuyên "
        f"môn đại học trở lên ({share(higher, total)}), trong đó {fmt_int(qual.get('master', 0))} thạc sĩ "
        f"và {fmt_int(qual.get('doctor', 0))} tiến sĩ; {fmt_int(advanced)} đảng viên có trình độ lý luận "
        f"chính trị cao cấp, cử nhân ({share(advanced, total)}) và {fmt_int(theory.get('intermediate', 0))} "
        f"đảng viên trình độ trung cấp ({share(theory.get('intermediate', 0), total)})."
    )
    if m.get("temporary_hosted"):
        out.append(
            f"Ngoài ra, có {fmt_int(m['temporary_hosted'])} đảng viên nơi khác đến sinh hoạt tạm thời "
            "(không tính vào tổng số đảng viên)."
        )
    return out


def movement_sentence(p: dict[str, Any]) -> str:
    inc, dec = p["increase"], p["decrease"]
    inc_parts = [
        f"{label} {fmt_int(inc[k])}"
        for k, label in (
            ("admitted", "kết nạp"),
            ("transferred_in", "chuyển đến"),
            ("readmitted", "phục hồi đảng tịch"),
            ("contact_restored", "trở lại sinh hoạt"),
        )
        if inc[k]
    ]
    dec_parts = [
        f"{label} {fmt_int(dec[k])}"
        for k, label in (
            ("deceased", "từ trần"),
            ("expelled", "khai trừ"),
            ("removed", "xóa tên"),
            ("left", "xin ra khỏi Đảng"),
            ("transferred_out", "chuyển đi"),
            ("contact_lost", "mất liên lạc"),
        )
        if dec[k]
    ]
    text = (
        f"Từ ngày {fmt_date(date.fromisoformat(p['from']))} "
        f"đến ngày {fmt_date(date.fromisoformat(p['to']))}: "
        f"đầu kỳ có {fmt_int(p['opening'])} đảng viên; trong kỳ tăng {fmt_int(inc['total'])} đảng viên"
    )
    text += f" ({', '.join(inc_parts)})" if inc_parts else ""
    text += f", giảm {fmt_int(dec['total'])} đảng viên"
    text += f" ({', '.join(dec_parts)})" if dec_parts else ""
    return text + f"; cuối kỳ có {fmt_int(p['closing'])} đảng viên."


def admissions_sentence(p: dict[str, Any], before: dict[str, Any]) -> str:
    a, total = p["admissions"], p["admissions"]["total"]
    if not total:
        return "Trong kỳ chưa kết nạp đảng viên mới."
    previous = before["admissions"]["total"]
    compare = (
        f" (cùng kỳ năm trước kết nạp {fmt_int(previous)} đảng viên; bằng {fmt_percent(total, previous)})"
        if previous
        else ""
    )
    parts = [
        f"{label} {fmt_int(a[k])} ({share(a[k], total)})"
        for k, label in (
            ("female", "nữ"),
            ("youth", "từ 30 tuổi trở xuống"),
            ("ethnic_minority", "người dân tộc thiểu số"),
            ("religious", "người theo tôn giáo"),
            ("private_enterprise", "làm việc trong doanh nghiệp ngoài khu vực Nhà nước"),
        )
        if a[k]
    ]
    tail = f", trong đó: {'; '.join(parts)}" if parts else ""
    return f"Trong kỳ kết nạp được {fmt_int(total)} đảng viên{compare}{tail}."


# ---------------------------------------------------------------------------------------------
# The document


def _run(
    paragraph, text: str, size: float = 14, *, bold: bool = False, italic: bool = False, underline=False
):
    run = paragraph.add_run(text)
    run.font.name = TNR
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    run._element.rPr.rFonts.set(qn("w:eastAsia"), TNR)
    return run


def _para(container, text: str = "", size: float = 14, *, align=WD_ALIGN_PARAGRAPH.CENTER, **kw: Any):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if text:
        _run(p, text, size, **kw)
    return p


def _body(doc, text: str, *, bold: bool = False) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before, fmt.space_after = Pt(6), Pt(0)
    fmt.line_spacing = 1.15
    _run(p, text, 14, bold=bold)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    table._tbl.tblPr.append(borders)


def _widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    for column, w in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(w)  # the grid LibreOffice lays out from
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = TNR
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), TNR)


def _header(doc, org: Organization, as_of: date) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.4, 9.1])
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    superior = superior_name(org)
    if superior:
        _run(left.paragraphs[0], superior.upper(), 13)
        _para(left, org.name.upper(), 13, bold=True)
    else:
        _run(left.paragraphs[0], org.name.upper(), 13, bold=True)
    _para(left, "*", 13)
    _para(left, f"Số       -BC/{ISSUER_ABBREV.get(org.kind, 'ĐU')}", 13)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, underline=True)
    _para(right, "")
    _para(right, date_line(org, as_of), 14, italic=True)


def signature(doc: Any, org: Organization) -> None:
    """The signature block ("Nơi nhận:" and the signer) kept whole on one page, with the closing
    sentence before it. Its row holds empty lines where the signer signs; when the report ends near
    the bottom of a page, a row allowed to split leaves those blank lines alone on the next page
    (a blank page 2 in LibreOffice before the annex). Unsplittable, the block moves as one."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _para(doc, "").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.9, 8.6])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _run(p, "Nơi nhận:", 12, bold=True, italic=True, underline=True)
    parent = Organization.objects.get_parent(org)
    recipient = "Ban Tổ chức Trung ương" if parent is None or parent.kind == Kind.CENTRAL else parent.name
    recipients = [f"- {recipient} (để báo cáo),"]
    recipients += ["- Các đồng chí cấp ủy viên,", "- Lưu Văn phòng."]
    for line in recipients:
        _para(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(right.paragraphs[0], signer_title(org), 14, bold=True)
    if signer_role(org):
        _para(right, signer_role(org), 14, bold=True)
    for _ in range(4):
        _para(right, "")
    _para(right, "", 14, bold=True)  # the signer's name, written by hand when signing
    for row in table.rows:
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant_split)


def _annex(doc, org: Organization, snap: statistics.Snapshot, as_of: date) -> None:
    # "Page break before" on the heading, not a page-break run (see congresses.word.annex_heading).
    p = _para(doc, "PHỤ LỤC", 14, bold=True)
    p.paragraph_format.page_break_before = True
    _para(doc, "Số liệu tổ chức đảng và đảng viên của các tổ chức trực thuộc", 14, bold=True)
    _para(doc, f"(Kèm theo Báo cáo của {org.name}, số liệu có đến ngày {fmt_date(as_of)})", 13, italic=True)
    _para(doc, "")
    heads = ["STT", "Tổ chức đảng", "Đảng viên", "Nữ", "Dự bị", "Dân tộc thiểu số", "Theo tôn giáo"]
    heads.append(f"Kết nạp năm {as_of.year}")
    widths = [1.2, 5.4, 1.7, 1.5, 1.4, 1.8, 1.7, 1.8]
    rows: list[tuple[str, str, dict[str, Any]]] = [
        (str(i), info["name"], figs) for i, (info, figs) in enumerate(snap.children, start=1)
    ]
    total = snap.figures
    children_sum = sum(f["members"]["total"] for _i, _n, f in rows)
    own = total["members"]["total"] - children_sum
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, 11, bold=True)
    _repeat_header(table.rows[0])

    def add(no: str, name: str, values: list[int | None], *, bold: bool = False) -> None:
        cells = table.add_row().cells
        texts = [no, name, *[fmt_int(v) if v is not None else "" for v in values]]
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT
                if i == 1
                else WD_ALIGN_PARAGRAPH.CENTER
                if i == 0
                else WD_ALIGN_PARAGRAPH.RIGHT
            )
            _run(cell.paragraphs[0], text, 11, bold=bold)

    for no, name, figs in rows:
        add(no, name, annex_values(figs, as_of))
    if own:
        add("", f"Đảng viên sinh hoạt trực tiếp tại {org.name}", [own, None, None, None, None, None])
    add("", "Cộng", annex_values(total, as_of), bold=True)
    _widths(table, widths)


def annex_values(figs: dict[str, Any], as_of: date) -> list[int | None]:
    m = figs["members"]
    admitted = next((y["admitted"] for y in figs["admissions_per_year"] if y["year"] == as_of.year), 0)
    return [m["total"], m["female"], m["probationary"], m["ethnic_minority"], m["religious"], admitted]


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def build_report(org: Organization, *, as_of: date, start: date, end: date, produced_by: Any) -> bytes:
    """Báo cáo tình hình tổ chức đảng và đảng viên of `org` on `as_of`, with the movement over
    [start, end] and an annex of its child organizations."""
    snap = statistics.snapshot(org, as_of)
    before_on = one_year_earlier(snap.on)
    before = statistics.snapshot(org, before_on).figures
    movement = statistics.period(org, start, end)
    movement_before = statistics.period(org, one_year_earlier(start), one_year_earlier(end))
    figs = snap.figures

    doc = Document()
    _setup(doc)
    doc.core_properties.title = f"Báo cáo tình hình tổ chức đảng và đảng viên - {org.name}"
    doc.core_properties.author = getattr(produced_by, "full_name", "") or getattr(produced_by, "username", "")
    _header(doc, org, as_of)
    _para(doc, "")
    _para(doc, "BÁO CÁO", 16, bold=True)
    _para(doc, f"Tình hình tổ chức đảng và đảng viên đến ngày {fmt_date(snap.on)}", 14, bold=True)
    _para(doc, "-----", 14)

    sections: list[tuple[str, list[str]]] = []
    org_sentence = organizations_sentence(org, figs)
    if org_sentence:
        sections.append(("TÌNH HÌNH TỔ CHỨC ĐẢNG", [org_sentence]))
    sections.append(("ĐỘI NGŨ ĐẢNG VIÊN", members_sentences(org, figs, before, before_on)))
    sections.append(("BIẾN ĐỘNG ĐẢNG VIÊN TRONG KỲ", [movement_sentence(movement)]))
    sections.append(("CÔNG TÁC KẾT NẠP ĐẢNG VIÊN", [admissions_sentence(movement, movement_before)]))
    numerals = ["I", "II", "III", "IV", "V"]
    for numeral, (title, sentences) in zip(numerals, sections, strict=False):
        _body(doc, f"{numeral}. {title}", bold=True)
        for sentence in sentences:
            _body(doc, sentence)
    _body(
        doc,
        f"Trên đây là báo cáo tình hình tổ chức đảng và đảng viên của {org.name}, số liệu có đến ngày "
        f"{fmt_date(snap.on)} (biến động, kết nạp tính từ ngày {fmt_date(start)} đến ngày "
        f"{fmt_date(min(end, snap.on))}), lập từ hệ thống Đảng vụ ngày {fmt_date(timezone.localdate())}.",
    )
    signature(doc, org)
    if snap.children:
        _annex(doc, org, snap, snap.on)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
