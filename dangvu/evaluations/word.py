"""The decision recognizing the ranking results of the organizations a committee decides
(.docx, party-document layout of HD 36-HD/VPTW, DOMAIN.md §7), with the list annex.

"QUYẾT ĐỊNH về việc công nhận kết quả xếp loại chất lượng tổ chức cơ sở đảng năm …": issuing
body and "Số …-QĐ/…" top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place-date line top right, the
"Căn cứ" lines (Điều lệ Đảng, the regulations of the rules in force for the round, the committee's
working rules), "Xét đề nghị của …", Điều 1 (the counts per level and their ratios), Điều 2,
Điều 3, "Nơi nhận", "T/M BAN THƯỜNG VỤ" and, on a new page, the list of the organizations with
their decided levels. The organizations are those whose level the issuing committee decides
(`services.deciding_parent`): the cells and base organizations of a commune, the communes of a
province, the cells of a base committee.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dangvu.core.formats import fmt_date, fmt_int, fmt_percent
from dangvu.core.models import LegalBasis
from dangvu.core.rules import rule
from dangvu.organizations.models import Kind, Organization
from dangvu.reports.excel import date_line, signer_role, signer_title, superior_name
from dangvu.reports.word import (
    ISSUER_ABBREV,
    _no_borders,
    _para,
    _repeat_header,
    _run,
    _setup,
    _widths,
)

from .choices import LEVEL_ORDER, Level, Period, Subject
from .models import EvaluationRound, OrganizationRating
from .services import DECIDING_KINDS

LEFT, CENTER, JUSTIFY = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY
COMMITTEE_PREFIXES = (
    ("Đảng bộ tỉnh ", "Tỉnh ủy "),
    ("Đảng bộ thành phố ", "Thành ủy "),
    ("Đảng bộ Thành phố ", "Thành ủy "),
    ("Đảng bộ huyện ", "Huyện ủy "),
    ("Đảng bộ quận ", "Quận ủy "),
    ("Đảng bộ thị xã ", "Thị ủy "),
    ("Đảng bộ ", "Đảng ủy "),
)
STANDING_KINDS = (Kind.CENTRAL, Kind.PROVINCE, Kind.PROVINCIAL_BLOC, Kind.DISTRICT, Kind.COMMUNE)


class NothingToDecide(ValueError):
    """The organization decides no collective of the round, or none is decided yet (message shown)."""


def committee_name(org: Organization) -> str:
    """The committee that issues for an organization: "Tỉnh ủy Cao Bằng", "Đảng ủy xã An Bình"."""
    for prefix, committee in COMMITTEE_PREFIXES:
        if org.name.startswith(prefix):
            return committee + org.name[len(prefix) :]
    return org.name


def issuing_body(org: Organization) -> str:
    """Who decides: "Ban Thường vụ Tỉnh ủy …", "Đảng ủy …" (a base committee), "Chi bộ …"."""
    if org.kind in STANDING_KINDS:
        return f"Ban Thường vụ {committee_name(org)}"
    return committee_name(org)


def proposer(org: Organization) -> str:
    """The department that proposes the decision."""
    committee = committee_name(org)
    if org.kind == Kind.COMMUNE:
        return f"Ban Xây dựng Đảng {committee}"
    if org.kind in (Kind.CENTRAL, Kind.PROVINCE, Kind.PROVINCIAL_BLOC, Kind.DISTRICT):
        return f"Ban Tổ chức {committee}"
    return f"Văn phòng {committee}"


def collectives_noun(org: Organization, kinds: set[str]) -> str:
    """How the decision names the organizations it ranks."""
    if org.kind in (Kind.COMMUNE, Kind.DISTRICT, Kind.PROVINCIAL_BLOC) or kinds <= {
        Kind.BASE_COMMITTEE,
        Kind.BASE_CELL,
    }:
        return "tổ chức cơ sở đảng"
    if kinds <= {Kind.CELL}:
        return "chi bộ trực thuộc"
    if kinds <= {Kind.CELL, Kind.SUB_COMMITTEE}:
        return "chi bộ, đảng bộ bộ phận trực thuộc"
    return "tổ chức đảng trực thuộc"


def under(noun: str) -> str:
    """ "tổ chức cơ sở đảng trực thuộc", without saying "trực thuộc" twice."""
    return noun if "trực thuộc" in noun else f"{noun} trực thuộc"


def period_label(rnd: EvaluationRound) -> str:
    if rnd.period == Period.QUARTER:
        return f"quý {rnd.quarter} năm {rnd.year}"
    if rnd.period == Period.TERM:
        return f"nhiệm kỳ {rnd.period_start.year} - {rnd.period_end.year}"
    return f"năm {rnd.year}"


def decided_here(rnd: EvaluationRound, org: Organization) -> list[OrganizationRating]:
    """The round's collective ratings (subject organization) whose level `org` decides: those under
    it with no deciding committee between."""
    ratings = list(
        OrganizationRating.objects.filter(
            round=rnd,
            subject=Subject.ORGANIZATION,
            organization__path__startswith=org.path,
            organization__depth__gt=org.depth,
        )
        .select_related("organization")
        .order_by("organization__path")
    )
    step = Organization.steplen
    deciders = set(
        Organization.objects.filter(
            path__startswith=org.path, depth__gt=org.depth, kind__in=DECIDING_KINDS
        ).values_list("path", flat=True)
    )

    def mine(path: str) -> bool:
        return not any(path[:i] in deciders for i in range(len(org.path) + step, len(path), step))

    return [r for r in ratings if mine(r.organization.path)]


@dataclass
class Decision:
    """What the document says, worked out before any layout."""

    rnd: EvaluationRound
    org: Organization
    ratings: list[OrganizationRating]  # decided, in level then tree order
    undecided: int
    noun: str
    number: str
    on: date

    def count(self, level: str) -> int:
        return sum(1 for r in self.ratings if r.decided_level == level)


def decision_for(rnd: EvaluationRound, org: Organization) -> Decision:
    """Raises NothingToDecide with a Vietnamese message when there is nothing to recognize."""
    ratings = decided_here(rnd, org)
    if not ratings:
        raise NothingToDecide(f"«{org.name}» không quyết định xếp loại tổ chức đảng nào trong đợt này.")
    decided = [r for r in ratings if r.decided_level]
    if not decided:
        raise NothingToDecide(f"Chưa có tổ chức đảng nào được «{org.name}» quyết định xếp loại.")
    order = {lvl.value: i for i, lvl in enumerate(LEVEL_ORDER)}
    decided.sort(key=lambda r: (order[r.decided_level], r.organization.path))
    refs = {r.decision_ref for r in decided}
    abbrev = ISSUER_ABBREV.get(org.kind, "ĐU")
    number = f"Số        -QĐ/{abbrev}"
    if len(refs) == 1 and (ref := refs.pop()):
        number = f"Số {ref}" if "/" in ref else f"Số {ref}-QĐ/{abbrev}"
    when = max(r.decided_at for r in decided if r.decided_at)
    return Decision(
        rnd=rnd,
        org=org,
        ratings=decided,
        undecided=len(ratings) - len(decided),
        noun=collectives_noun(org, {r.organization.kind for r in ratings}),
        number=number,
        on=timezone.localtime(when).date() if when else timezone.localdate(),
    )


def legal_bases(rnd: EvaluationRound) -> list[LegalBasis]:
    """The regulations of the ranking rules in force for the round: the round's own (a Quy định) and
    those of the other evaluation parameters (the Hướng dẫn), without repeats."""
    found = [rnd.legal_basis]
    for key in ("evaluation.excellent_cap", "evaluation.collective_excellent_blocked"):
        try:
            basis = rule(key, on=rnd.period_end, before_first=True).legal_basis
        except ImproperlyConfigured:
            continue
        if basis.pk not in {b.pk for b in found}:
            found.append(basis)
    return sorted(found, key=lambda b: (b.doc_kind != "Quy định", b.signed_on or date.min))


def basis_line(b: LegalBasis) -> str:
    """ "Căn cứ Quy định số 366-QĐ/TW, ngày 30/08/2025 của Bộ Chính trị về kiểm điểm …;" """
    title = b.title
    if title.lower().startswith(b.doc_kind.lower()):
        title = title[len(b.doc_kind) :].strip()
    title = title[:1].lower() + title[1:]
    if not title.startswith("về "):
        title = f"về {title}"
    when = f", ngày {fmt_date(b.signed_on)}" if b.signed_on else ""
    issuer = f" của {b.issuer}" if b.issuer else ""
    return f"Căn cứ {b.doc_kind} số {b.code}{when}{issuer} {title};".replace("  ", " ")


# ---------------------------------------------------------------------------------------------
# Layout


def _body(
    doc: Any, text: str = "", *, bold_lead: str = "", italic: bool = False, indent: bool = True
) -> None:
    p = doc.add_paragraph()
    p.alignment = JUSTIFY
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(1.27) if indent else None
    fmt.space_before, fmt.space_after = Pt(2), Pt(0)
    fmt.line_spacing = 1.0
    if bold_lead:
        _run(p, bold_lead, 14, bold=True)
    if text:
        _run(p, text, 14, italic=italic)


def _header(doc: Any, d: Decision) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [7.6, 8.9])
    left, right = table.rows[0].cells
    superior = superior_name(d.org)
    lines = [(superior.upper(), False)] if superior else []
    lines.append((committee_name(d.org).upper(), True))
    first = True
    for text, bold in lines:
        p = left.paragraphs[0] if first else _para(left)
        p.alignment = CENTER
        _run(p, text, 14, bold=bold)
        first = False
    _para(left, "*", 14)
    _para(left, d.number, 14)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], "ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, underline=True)
    _para(right, "")
    _para(right, date_line(d.org, d.on), 14, italic=True)


def _two_lines(doc: Any, first: str, second: str) -> None:
    """A bold centred heading broken where it reads well (not before a lone year)."""
    p = _para(doc, first, 14, bold=True)
    p.runs[-1].add_break()
    _run(p, second, 14, bold=True)


def _title(doc: Any, d: Decision) -> None:
    _para(doc, "QUYẾT ĐỊNH", 16, bold=True).paragraph_format.space_before = Pt(12)
    _two_lines(doc, "Về việc công nhận kết quả xếp loại chất lượng", f"{d.noun} {period_label(d.rnd)}")
    _para(doc, "-----", 14)
    _para(doc, issuing_body(d.org).upper(), 14, bold=True).paragraph_format.space_before = Pt(6)


def _articles(doc: Any, d: Decision) -> None:
    _body(doc, "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", italic=True)
    for b in legal_bases(d.rnd):
        _body(doc, basis_line(b), italic=True)
    _body(doc, f"Căn cứ Quy chế làm việc của Ban Chấp hành {d.org.name};", italic=True)
    _body(
        doc,
        f"Căn cứ kết quả kiểm điểm, đánh giá, xếp loại chất lượng {period_label(d.rnd)} "
        f"của các {under(d.noun)};",
        italic=True,
    )
    _body(doc, f"Xét đề nghị của {proposer(d.org)},", italic=True)
    _para(doc, "QUYẾT ĐỊNH", 14, bold=True).paragraph_format.space_before = Pt(6)

    total = len(d.ratings)
    _body(
        doc,
        f" Công nhận kết quả xếp loại chất lượng {period_label(d.rnd)} đối với {fmt_int(total)} "
        f"{under(d.noun)} {committee_name(d.org)}, cụ thể như sau:",
        bold_lead="Điều 1.",
    )
    for i, lvl in enumerate(LEVEL_ORDER):
        n = d.count(lvl)
        end = "." if i == len(LEVEL_ORDER) - 1 else ";"
        _body(doc, f"- {lvl.label}: {fmt_int(n)} tổ chức, chiếm {fmt_percent(n, total)}{end}")
    if d.undecided:
        _body(
            doc, f"Còn {fmt_int(d.undecided)} tổ chức chưa có kết quả xếp loại, sẽ xem xét, quyết định sau."
        )
    _body(doc, "(Có danh sách kèm theo)", italic=True)
    _body(doc, " Quyết định có hiệu lực kể từ ngày ký.", bold_lead="Điều 2.")
    _body(
        doc,
        f" {proposer(d.org)}, các {d.noun} có tên tại Điều 1 và các đồng chí có liên quan căn cứ "
        "Quyết định thi hành.",
        bold_lead="Điều 3.",
    )


def _keep_together(row: Any) -> None:
    """Never split the row over two pages (the signature block moves to the next page whole)."""
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _signature(doc: Any, d: Decision) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _widths(table, [8.6, 7.9])
    _keep_together(table.rows[0])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = LEFT
    p.paragraph_format.space_before = right.paragraphs[0].paragraph_format.space_before = Pt(6)
    _run(p, "Nơi nhận:", 12, bold=True, italic=True, underline=True)
    recipients = ["- Như Điều 3,"]
    parent = Organization.objects.get_parent(d.org)
    if parent is not None and parent.kind != Kind.CENTRAL:
        recipients.append(f"- {issuing_body(parent)} (để báo cáo),")
        recipients.append(f"- {proposer(parent)},")
    recipients.append(f"- Lưu Văn phòng {committee_name(d.org)}.")
    for line in recipients:
        _para(left, line, 11, align=LEFT)
    right.paragraphs[0].alignment = CENTER
    _run(right.paragraphs[0], signer_title(d.org), 14, bold=True)
    if signer_role(d.org):
        _para(right, signer_role(d.org), 14, bold=True)
    for _ in range(3):  # room to sign; the name is written by hand
        _para(right, "")


def _annex(doc: Any, d: Decision) -> None:
    p = _para(doc, "")
    p.add_run().add_break(WD_BREAK.PAGE)
    _run(p, "DANH SÁCH", 14, bold=True)
    _two_lines(
        doc,
        f"{d.noun[:1].upper()}{d.noun[1:]} được công nhận",
        f"kết quả xếp loại chất lượng {period_label(d.rnd)}",
    )
    number = d.number.removeprefix("Số ").strip()
    _para(
        doc,
        f"(Kèm theo Quyết định số {number}, ngày {fmt_date(d.on)} của {issuing_body(d.org)})",
        13,
        italic=True,
    )
    _para(doc, "")
    heads = ["STT", "Tên tổ chức đảng", "Xếp loại chất lượng", "Ghi chú"]
    widths = [1.2, 7.6, 5.8, 1.9]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _run(cell.paragraphs[0], text, 12, bold=True)
    _repeat_header(table.rows[0])
    numerals = ["I", "II", "III", "IV"]
    n = 0
    for numeral, lvl in zip(numerals, LEVEL_ORDER, strict=True):
        group = [r for r in d.ratings if r.decided_level == lvl]
        if not group:
            continue
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], numeral, 12, bold=True)
        cells[0].paragraphs[0].alignment = CENTER
        merged = cells[1].merge(cells[3])
        _run(merged.paragraphs[0], f"{Level(lvl).label} ({fmt_int(len(group))} tổ chức)", 12, bold=True)
        for r in group:
            n += 1
            cells = table.add_row().cells
            texts = [
                str(n),
                r.organization.name,
                Level(lvl).label,
                f"{r.score} điểm" if r.score is not None else "",
            ]
            for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
                cell.paragraphs[0].alignment = LEFT if i == 1 else CENTER
                _run(cell.paragraphs[0], text, 12)
    _widths(table, widths)


def build_decision(rnd: EvaluationRound, organization: Organization, *, produced_by: Any) -> bytes:
    """The decision of `organization`'s committee recognizing the levels it decided in the round
    (the caller has checked the organization is visible and in the round). Raises NothingToDecide."""
    d = decision_for(rnd, organization)
    doc = Document()
    _setup(doc)
    doc.core_properties.title = f"Quyết định công nhận kết quả xếp loại chất lượng - {organization.name}"
    doc.core_properties.author = getattr(produced_by, "full_name", "") or getattr(produced_by, "username", "")
    _header(doc, d)
    _title(doc, d)
    _articles(doc, d)
    _signature(doc, d)
    _annex(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
