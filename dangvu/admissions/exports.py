"""Downloads of admissions against targets under one organization: the workbook and the Word report.

The organization must be visible to the user (404 otherwise). `?ky=2026` or `?ky=2025-2030` picks the
period (default the current year) and `?ngay=` the as-of date; an unreadable period or date goes back
to the progress page with the message. Every download is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from dangvu.congresses.exports import DOCX, XLSX, download

from . import excel, word
from .selectors import period_label
from .views.common import parse_as_of, parse_period, today, visible_org


def file_name(stem: str, code: str, period_key: str, ext: str) -> str:
    """`<stem>-<ORG CODE>-<period>.<ext>`, ASCII only."""
    code = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in code)
    return f"{stem}-{code}-{period_key}.{ext}"


def _export(
    request: HttpRequest,
    org_pk: int,
    *,
    build: Callable[..., bytes],
    kind: str,
    content_type: str,
    stem: str,
    ext: str,
    title: str,
) -> HttpResponse:
    org = visible_org(request, org_pk)  # 404 outside the user's scope
    now = today()
    period, period_error = parse_period(request.GET.get("ky"), now)
    as_of, date_error = parse_as_of(request.GET.get("ngay"), now)
    if period_error or date_error:
        messages.error(request, f"Không xuất được {title.lower()}: {period_error or date_error}")
        back = reverse("admissions:progress_org", args=[org.pk])
        keep = {k: v for k, v in (("ky", "" if period_error else period.key),) if v}
        return redirect(f"{back}?{urlencode(keep)}" if keep else back)
    content = build(
        org, year_from=period.year_from, year_to=period.year_to, as_of=as_of, produced_by=request.user
    )
    label = period_label(period.year_from, period.year_to)
    on = as_of or now
    return download(
        request,
        content,
        content_type=content_type,
        filename=file_name(stem, org.code, period.key, ext),
        kind=kind,
        object_id=str(org.pk),
        detail=f"{title} {label} của {org.name}, tính đến ngày {on:%d/%m/%Y}",
    )


@login_required
@require_GET
def progress_xlsx(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Kết quả kết nạp so với chỉ tiêu (xlsx): per child organization, and by segment."""
    return _export(
        request,
        org_pk,
        build=excel.build_progress,
        kind="admission_progress_xlsx",
        content_type=XLSX,
        stem="ket-nap-dang-vien",
        ext="xlsx",
        title="Bảng kết quả kết nạp đảng viên",
    )


@login_required
@require_GET
def progress_docx(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Báo cáo kết quả kết nạp đảng viên (.docx) in the party-document layout, with the annex."""
    return _export(
        request,
        org_pk,
        build=word.build_progress,
        kind="admission_progress_docx",
        content_type=DOCX,
        stem="bao-cao-ket-nap-dang-vien",
        ext="docx",
        title="Báo cáo kết quả kết nạp đảng viên",
    )
