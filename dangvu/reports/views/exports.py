"""Downloads of the official outputs: the statistical workbook (Biểu số 1–5-BTCTW) and the Word report.

Query parameters: `as_of` (stocks, default today), `from` and `to` (the period of movements and
admissions, default 01/01 of as_of's year to as_of), ISO or dd/mm/yyyy. A date that cannot be read
or lies in the future sends the user back to the dashboard with a message. Every export is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.core.formats import fmt_date, parse_date
from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import organization_get

from .. import excel, word

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadDates(ValueError):
    """The query's dates cannot be used; the message is shown to the user."""


def parse_export_dates(params: Any, today: date) -> tuple[date, date, date]:
    """(as_of, start, end) from the query, with the defaults; BadDates with a Vietnamese message."""

    def read(name: str, label: str) -> date | None:
        text = (params.get(name) or "").strip()
        if not text:
            return None
        try:
            value = parse_date(text)
        except ValueError as exc:
            raise BadDates(f"{label}: {exc}") from exc
        if value > today:
            raise BadDates(f"{label} {fmt_date(value)} chưa đến: chỉ thống kê được đến hôm nay.")
        return value

    as_of = read("as_of", "Ngày số liệu") or today
    start = read("from", "Ngày đầu kỳ") or date(as_of.year, 1, 1)
    end = read("to", "Ngày cuối kỳ") or as_of
    if start > end:
        raise BadDates(f"Ngày đầu kỳ {fmt_date(start)} sau ngày cuối kỳ {fmt_date(end)}.")
    return as_of, start, end


def _export(
    request: HttpRequest,
    pk: int,
    *,
    build: Callable[..., bytes],
    kind: str,
    content_type: str,
    filename: str,
    title: str,
) -> HttpResponse:
    org: Organization = organization_get(user=request.user, pk=pk)  # 404 outside the user's scope
    try:
        as_of, start, end = parse_export_dates(request.GET, timezone.localdate())
    except BadDates as exc:
        messages.error(request, f"Không xuất được {title.lower()}: {exc}")
        return redirect("reports:dashboard", pk=org.pk)
    content = build(org, as_of=as_of, start=start, end=end, produced_by=request.user)
    access_log_write(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        object_type=kind,
        object_id=str(org.pk),
        detail=(
            f"{title} của {org.name}: số liệu đến ngày {fmt_date(as_of)}, "
            f"kỳ từ {fmt_date(start)} đến {fmt_date(end)}"
        ),
        request=request,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{ascii_name(filename, org, as_of)}"'
    return response


def ascii_name(stem: str, org: Organization, as_of: date) -> str:
    """`<stem>-<ORG CODE>-<yyyymmdd>.<ext>` with anything but letters, digits, '-' and '.' dropped."""
    name, ext = stem.rsplit(".", 1)
    code = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in org.code)
    return f"{name}-{code}-{as_of:%Y%m%d}.{ext}"


@login_required
@require_GET
def workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """Biểu số 1, 2, 3, 4 and 5-BTCTW as one xlsx workbook."""
    return _export(
        request,
        pk,
        build=excel.build_workbook,
        kind="statistics_xlsx",
        content_type=XLSX,
        filename="bieu-thong-ke.xlsx",
        title="Biểu thống kê",
    )


@login_required
@require_GET
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Báo cáo tình hình tổ chức đảng và đảng viên (.docx)."""
    return _export(
        request,
        pk,
        build=word.build_report,
        kind="statistics_docx",
        content_type=DOCX,
        filename="bao-cao.docx",
        title="Báo cáo",
    )
