"""Báo cáo tiến độ đại hội (.docx): the progress of a congress round under one organization, in the
party-document layout (DOMAIN.md §7, HD 36-HD/VPTW).

The superior organization and the issuing committee with "Số …-BC/…" top left, "ĐẢNG CỘNG SẢN VIỆT
NAM" and the place-and-date line top right, the title, body sentences with the figures the way the
organization commissions write them ("Đến ngày 20/11/2026, có 1.352/1.719 chi bộ đã tổ chức đại
hội, đạt 78,65%"), the signature block with "Nơi nhận:", and an annex table per child organization.
The figures are `selectors.progress` and `selectors.missing`, as on the progress page.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dangvu.core.formats import fmt_date, fmt_int, fmt_percent
from dangvu.evaluations.word import committee_name
from dangvu.organizations.models import Organization
from dangvu.reports.excel import date_line, superior_name
from dangvu.reports.word import (
    ISSUER_ABBREV,
    _body,
    _no_borders,
    _para,
    _repeat_header,
    _run,
    _setup,
    _widths,
    signature,
)

from . import selectors
from .models import CongressRound
from .views.common import LEVEL_UNIT  # how the pages and the report name a level's organizations

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
LISTED = 20  # names written out in a sentence before "và … tổ chức khác"


def unit(rnd: CongressRound) -> str:
    """ "chi bộ" in "có 1.352/1.719 chi bộ đã tổ chức đại hội"."""
    return LEVEL_UNIT.get(rnd.level, "tổ chức đảng")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def names(items: list[str]) -> str:
    """ "A, B và C"; past LISTED names, "… và 12 tổ chức khác"."""
    if len(items) > LISTED:
        return ", ".join(items[:LISTED]) + f" và {fmt_int(len(items) - LISTED)} tổ chức khác"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def headline_sentence(rnd: CongressRound, prog: Any) -> str:
    """ "Đến ngày 20/11/2026, có 1.352/1.719 chi bộ đã tổ chức đại hội, đạt 78,65%." """
    noun = unit(rnd)
    when = f"Đến ngày {fmt_date(prog.as_of)}"
    if not prog.total:
        return f"{when}, trong phạm vi báo cáo không có {noun} nào phải tổ chức đại hội trong đợt."
    return (
        f"{when}, có {fmt_int(prog.held)}/{fmt_int(prog.total)} {noun} đã tổ chức đại hội, "
        f"đạt {fmt_percent(prog.held, prog.total)}."
    )


def remaining_sentence(rnd: CongressRound, prog: Any) -> str:
    noun = unit(rnd)
    left = prog.total - prog.held
    if not prog.total:
        return ""
    if not left:
        return f"Tất cả {noun} trong phạm vi báo cáo đã tổ chức xong đại hội."
    text = f"Còn {fmt_int(left)} {noun} chưa tổ chức đại hội"
    parts = []
    if prog.planned:
        parts.append(f"{fmt_int(prog.planned)} {noun} đã có kế hoạch tổ chức")
    if prog.overdue:
        parts.append(f"{fmt_int(prog.overdue)} {noun} đã quá hạn")
    if parts:
        text += ", trong đó " + " và ".join(parts)
    return text + f" (hạn hoàn thành trước ngày {fmt_date(rnd.deadline)})."


def children_sentences(prog: Any) -> list[str]:
    """Which children finished, and those furthest behind."""
    rows = [r for r in prog.children if r.total]
    if not rows:
        return []
    done = [r.name for r in rows if r.held >= r.total]
    out = [
        f"Có {fmt_int(len(done))}/{fmt_int(len(rows))} tổ chức trực thuộc đã hoàn thành đại hội"
        + (f": {names(done)}." if done else ".")
    ]
    behind = sorted((r for r in rows if r.held < r.total), key=lambda r: (r.held / r.total, r.code))
    if behind:
        lowest = "; ".join(f"{r.name} {r.ratio_text}" for r in behind[:3])
        out.append(f"Các tổ chức có tỷ lệ thấp nhất: {lowest}.")
    return out


def overdue_sentence(rnd: CongressRound, missing: list[Any], as_of: date) -> str:
    if as_of <= rnd.deadline or not missing:
        return ""
    late = [c.organization.name for c in missing]
    return (
        f"Các tổ chức quá hạn chưa tổ chức đại hội ({fmt_int(len(late))}): {names(late)}. Đề nghị các cấp ủy "
        "cấp trên trực tiếp chỉ đạo tổ chức đại hội ngay."
    )


# ---------------------------------------------------------------------------------------------
# Layout


def header(doc: Any, org: Organization, on: date) -> None:
    """The party-document header: superior and issuing committee, "*", the number line; top right
    "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date (HD 36-HD/VPTW)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.6, 8.9])
    left, right = table.rows[0].cells
    superior = superior_name(org)
    first = left.paragraphs[0]
    first.alignment = CENTER
    if superior:
        _run(first, superior.upper(), 14)
        _para(left, committee_name(org).upper(), 14, bold=True)
    else:
        _run(first, committee_name(org).upper(), 14, bold=True)
    _para(left, "*", 14)
    _para(left, f"Số       -BC/{ISSUER_ABBREV.get(org.kind, 'ĐU')}", 14)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, underline=True)
    _para(right, "")
    _para(right, date_line(org, on), 14, italic=True)


def title(doc: Any, heading: str) -> None:
    _para(doc, "")
    _para(doc, "BÁO CÁO", 16, bold=True)
    _para(doc, heading, 14, bold=True)
    _para(doc, "-----", 14)


def annex_table(doc: Any, heads: list[str], widths: list[float], rows: list[tuple[list[str], bool]]) -> None:
    """A boxed table with a repeated header; each row is (texts, bold)."""
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _run(cell.paragraphs[0], text, 11, bold=True)
    _repeat_header(table.rows[0])
    for texts, bold in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.paragraphs[0].alignment = CENTER if i == 0 else LEFT if i == 1 else RIGHT
            _run(cell.paragraphs[0], text, 11, bold=bold)
    _widths(table, widths)


def annex_heading(doc: Any, org: Organization, what: str, as_of: date) -> None:
    """The annex starts a new page through its heading's "page break before", not a page-break run:
    LibreOffice splits a paragraph at such a run and keeps the empty part where the report ends, and
    when the signature block fills page 1 that empty line alone makes a blank page 2."""
    p = _para(doc, "PHỤ LỤC", 14, bold=True)
    p.paragraph_format.page_break_before = True
    _para(doc, what, 14, bold=True)
    _para(
        doc,
        f"(Kèm theo Báo cáo của {committee_name(org)}, số liệu tính đến ngày {fmt_date(as_of)})",
        13,
        italic=True,
    )
    _para(doc, "")


def _annex(doc: Any, rnd: CongressRound, prog: Any) -> None:
    annex_heading(doc, prog.organization, "Tiến độ đại hội của các tổ chức trực thuộc", prog.as_of)

    def texts(no: str, name: str, held: int, total: int, planned: int, overdue: int) -> list[str]:
        return [
            no,
            name,
            fmt_int(total),
            fmt_int(held),
            fmt_percent(held, total),
            fmt_int(planned),
            fmt_int(overdue),
        ]

    rows = [
        (texts(str(i), r.name, r.held, r.total, r.planned, r.overdue), False)
        for i, r in enumerate(prog.children, start=1)
    ]
    rows.append((texts("", "Cộng", prog.held, prog.total, prog.planned, prog.overdue), True))
    annex_table(
        doc,
        ["STT", "Tổ chức đảng", "Phải tổ chức", "Đã tổ chức", "Tỷ lệ", "Đã có kế hoạch", "Quá hạn"],
        [1.3, 5.4, 1.9, 1.9, 2.0, 2.1, 1.9],
        rows,
    )


def build_progress(rnd: CongressRound, organization: Organization, *, as_of: date, produced_by: Any) -> bytes:
    """Báo cáo tiến độ đại hội of `organization`'s committee for the round as of `as_of` (the caller
    has checked that the organization is visible and lies in the round)."""
    prog = selectors.progress(rnd, organization, as_of=as_of)
    missing = selectors.missing(rnd, organization, as_of=prog.as_of)
    doc = Document()
    _setup(doc)
    doc.core_properties.title = f"Báo cáo tiến độ đại hội - {organization.name}"
    doc.core_properties.author = getattr(produced_by, "full_name", "") or getattr(produced_by, "username", "")
    header(doc, organization, prog.as_of)
    title(doc, f"Tiến độ {lower_first(rnd.name)}")
    _body(
        doc,
        f"Thực hiện kế hoạch {lower_first(rnd.name)} (tổ chức từ ngày {fmt_date(rnd.starts_on)}, hoàn "
        f"thành trước ngày {fmt_date(rnd.deadline)}), {committee_name(organization)} báo cáo tiến độ tổ "
        "chức đại hội như sau:",
    )
    _body(doc, "I. KẾT QUẢ CHUNG", bold=True)
    _body(doc, headline_sentence(rnd, prog))
    if sentence := remaining_sentence(rnd, prog):
        _body(doc, sentence)
    sentences = children_sentences(prog)
    late = overdue_sentence(rnd, missing, prog.as_of)
    if sentences or late:
        _body(doc, "II. TIẾN ĐỘ Ở CÁC TỔ CHỨC TRỰC THUỘC", bold=True)
        for s in [*sentences, late]:
            if s:
                _body(doc, s)
    _body(
        doc,
        f"Trên đây là báo cáo tiến độ {lower_first(rnd.name)} của {committee_name(organization)}, số liệu "
        f"tính đến ngày {fmt_date(prog.as_of)}, lập từ hệ thống Đảng vụ ngày "
        f"{fmt_date(timezone.localdate())}.",
    )
    signature(doc, organization)
    if prog.children:
        _annex(doc, rnd, prog)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
