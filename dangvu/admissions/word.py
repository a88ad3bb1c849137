"""Báo cáo kết quả kết nạp đảng viên (.docx): admissions against targets under one organization, in
the party-document layout (DOMAIN.md §7, HD 36-HD/VPTW), like the congress progress report.

Body sentences with the figures the way the seeds write them ("toàn tỉnh kết nạp được 344/629 đảng
viên mới, đạt 54,69% chỉ tiêu"), the segments, the children that reached their target and those
furthest behind, the signature block with "Nơi nhận:", and an annex table per child organization.
The figures are `selectors.target_progress`, as on the progress page.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from docx import Document

from dangvu.congresses.word import annex_heading, annex_table, header, lower_first, names, title
from dangvu.core.formats import fmt_date, fmt_int, fmt_percent
from dangvu.evaluations.word import committee_name
from dangvu.organizations.models import Organization
from dangvu.reports.word import _body, _setup, signature, whole

from . import selectors
from .selectors import TargetProgress


def result_sentence(tp: TargetProgress) -> str:
    """ "Tính đến ngày 20/11/2026, toàn tỉnh kết nạp được 344/629 đảng viên mới, đạt 54,69% chỉ tiêu." """
    who = lower_first(whole(tp.organization))
    when = f"Tính đến ngày {fmt_date(tp.as_of)}"
    if tp.target:
        return (
            f"{when}, {who} kết nạp được {fmt_int(tp.admitted)}/{fmt_int(tp.target)} đảng viên mới, "
            f"đạt {fmt_percent(tp.admitted, tp.target)} chỉ tiêu."
        )
    return (
        f"{when}, {who} kết nạp được {fmt_int(tp.admitted)} đảng viên mới "
        f"({tp.period_label} chưa được giao chỉ tiêu)."
    )


def target_sentence(tp: TargetProgress) -> str:
    parts = []
    if tp.target:
        parts.append(
            f"{tp.period_label}, {tp.organization.name} được giao "
            f"chỉ tiêu kết nạp {fmt_int(tp.target)} đảng viên"
        )
    if tp.children_target:
        given = (
            f"đã giao chỉ tiêu cho các tổ chức trực thuộc tổng cộng {fmt_int(tp.children_target)} đảng viên"
        )
        parts.append(given if parts else f"{tp.organization.name} {given}")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def segments_sentence(tp: TargetProgress) -> str:
    if not tp.admitted:
        return ""
    parts = []
    for s in tp.segments:
        if not (s.admitted or s.target):
            continue
        text = f"{lower_first(s.label)} {fmt_int(s.admitted)} (chiếm {fmt_percent(s.admitted, tp.admitted)}"
        if s.target:
            text += f"; chỉ tiêu {fmt_int(s.target)}, đạt {fmt_percent(s.admitted, s.target)}"
        parts.append(text + ")")
    if not parts:
        return ""
    return "Trong số đảng viên mới kết nạp: " + "; ".join(parts) + "."


def children_sentences(tp: TargetProgress) -> list[str]:
    rows = [r for r in tp.children if r.target]
    out = []
    if rows:
        reached = [r.name for r in rows if r.admitted >= (r.target or 0)]
        out.append(
            f"Có {fmt_int(len(reached))}/{fmt_int(len(rows))} tổ chức trực thuộc được giao chỉ tiêu đã đạt "
            "hoặc vượt chỉ tiêu" + (f": {names(reached)}." if reached else ".")
        )
        behind = sorted(
            (r for r in rows if r.admitted < (r.target or 0)),
            key=lambda r: (r.admitted / (r.target or 1), r.code),
        )
        if behind:
            lowest = "; ".join(f"{r.name} {r.ratio_text}" for r in behind[:3])
            out.append(f"Các tổ chức có tỷ lệ thấp nhất: {lowest}.")
    without = [r.name for r in tp.children if not r.target and r.admitted]
    if without:
        out.append(f"Tổ chức chưa được giao chỉ tiêu nhưng đã kết nạp đảng viên: {names(without)}.")
    return out


def _annex(doc: Any, tp: TargetProgress) -> None:
    annex_heading(
        doc,
        tp.organization,
        f"Kết quả kết nạp đảng viên của các tổ chức trực thuộc {tp.period_label}",
        tp.as_of,
    )

    def texts(no: str, name: str, target: int | None, admitted: int) -> list[str]:
        ratio = fmt_percent(admitted, target) if target else ""
        return [no, name, fmt_int(target) if target else "", fmt_int(admitted), ratio]

    rows = [(texts(str(i), r.name, r.target, r.admitted), False) for i, r in enumerate(tp.children, start=1)]
    own = tp.admitted - sum(r.admitted for r in tp.children)
    if own:
        rows.append((texts("", f"Kết nạp tại {tp.organization.name}", None, own), False))
    rows.append((texts("", "Cộng", tp.children_target or None, tp.admitted), True))
    annex_table(
        doc, ["STT", "Tổ chức đảng", "Chỉ tiêu", "Đã kết nạp", "Tỷ lệ"], [1.2, 8.0, 2.4, 2.4, 2.5], rows
    )


def build_progress(
    organization: Organization,
    *,
    year_from: int,
    year_to: int | None = None,
    as_of: date | None = None,
    produced_by: Any,
) -> bytes:
    """Báo cáo kết quả kết nạp đảng viên of `organization`'s committee for the period, up to `as_of`
    (the caller has checked that the organization is visible)."""
    tp = selectors.target_progress(organization, year_from=year_from, year_to=year_to, as_of=as_of)
    doc = Document()
    _setup(doc)
    doc.core_properties.title = f"Báo cáo kết quả kết nạp đảng viên - {organization.name}"
    doc.core_properties.author = getattr(produced_by, "full_name", "") or getattr(produced_by, "username", "")
    header(doc, organization, tp.as_of)
    title(doc, f"Kết quả kết nạp đảng viên {tp.period_label}")
    _body(doc, "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU", bold=True)
    for sentence in (target_sentence(tp), result_sentence(tp), segments_sentence(tp)):
        if sentence:
            _body(doc, sentence)
    sentences = children_sentences(tp)
    if sentences:
        _body(doc, "II. Ở CÁC TỔ CHỨC TRỰC THUỘC", bold=True)
        for sentence in sentences:
            _body(doc, sentence)
    _body(
        doc,
        f"Trên đây là báo cáo kết quả kết nạp đảng viên {tp.period_label} của "
        f"{committee_name(organization)}, số liệu tính từ ngày {fmt_date(date(tp.year_from, 1, 1))} "
        f"đến ngày {fmt_date(tp.as_of)}, lập từ hệ thống Đảng vụ ngày {fmt_date(timezone.localdate())}.",
    )
    signature(doc, organization)
    if tp.children:
        _annex(doc, tp)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
