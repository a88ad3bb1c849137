"""Downloads of a congress round's progress under one organization: the workbook and the Word report.

The round comes from `CongressRound.objects.visible_to` and the organization must be visible and lie
under the round's organization: anything else is a 404. `?ngay=dd/mm/yyyy` (or yyyy-mm-dd) gives the
as-of date; an unreadable or future date goes back to the progress page with the message. Every
download is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.organizations.models import Organization

from . import excel, word
from .views.common import org_in_round, parse_as_of, visible_round

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_name(stem: str, org: Organization, on: date, ext: str) -> str:
    """`<stem>-<ORG CODE>-<yyyy-mm-dd>.<ext>`, ASCII only."""
    code = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in org.code)
    return f"{stem}-{code}-{on.isoformat()}.{ext}"


def download(
    request: HttpRequest,
    content: bytes,
    *,
    content_type: str,
    filename: str,
    kind: str,
    object_id: str,
    detail: str,
) -> HttpResponse:
    """The file as an attachment, after writing the export to the access log."""
    access_log_write(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        object_type=kind,
        object_id=object_id,
        detail=detail[:500],
        request=request,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(
    request: HttpRequest,
    pk: int,
    org_pk: int,
    *,
    build: Callable[..., bytes],
    kind: str,
    content_type: str,
    stem: str,
    ext: str,
    title: str,
) -> HttpResponse:
    rnd = visible_round(request, pk)  # 404 outside the user's scope
    org = org_in_round(request, rnd, org_pk)
    as_of, error = parse_as_of(request.GET.get("ngay"))
    if error:
        messages.error(request, f"Không xuất được {title.lower()}: {error}")
        return redirect("congresses:progress_org", pk=rnd.pk, org_pk=org.pk)
    on = as_of or timezone.localdate()
    content = build(rnd, org, as_of=on, produced_by=request.user)
    return download(
        request,
        content,
        content_type=content_type,
        filename=file_name(stem, org, on, ext),
        kind=kind,
        object_id=str(rnd.pk),
        detail=f"{title} của {org.name} trong {rnd.name}, tính đến ngày {on:%d/%m/%Y}",
    )


@login_required
@require_GET
def progress_xlsx(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    """Tiến độ đại hội (xlsx): per child organization, and the organizations not held yet."""
    return _export(
        request,
        pk,
        org_pk,
        build=excel.build_progress,
        kind="congress_progress_xlsx",
        content_type=XLSX,
        stem="tien-do-dai-hoi",
        ext="xlsx",
        title="Bảng tiến độ đại hội",
    )


@login_required
@require_GET
def progress_docx(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    """Báo cáo tiến độ đại hội (.docx) in the party-document layout, with the annex per child."""
    return _export(
        request,
        pk,
        org_pk,
        build=word.build_progress,
        kind="congress_progress_docx",
        content_type=DOCX,
        stem="bao-cao-tien-do-dai-hoi",
        ext="docx",
        title="Báo cáo tiến độ đại hội",
    )
