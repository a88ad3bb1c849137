"""Downloads of a round's outputs: the results workbook and the decision recognizing the levels.

`?organization=ID` picks the organization (default: where the user's view of the round starts). The
round comes from `selectors.round_get` and the organization from `Organization.objects.visible_to`
and must lie under the round's organization: anything else is a 404. An organization id that is
not a number, or a decision with nothing to recognize, goes back to the progress page with a
message. Every download is logged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.organizations.models import Organization

from . import excel, word
from .models import EvaluationRound
from .views.common import org_in_round, start_org, visible_round

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BadOrganization(ValueError):
    """`?organization=` is not an id."""


def export_organization(request: HttpRequest, rnd: EvaluationRound) -> Organization:
    """The organization of `?organization=`, scoped (404), or the start of the user's view."""
    raw = (request.GET.get("organization") or "").strip()
    if not raw:
        return start_org(request, rnd)
    if not raw.isdigit() or len(raw) > 12:
        raise BadOrganization(f"Mã tổ chức «{raw[:40]}» không hợp lệ.")
    return org_in_round(request, rnd, int(raw))


def file_name(stem: str, org: Organization, rnd: EvaluationRound, ext: str) -> str:
    """`<stem>-<ORG CODE>-<year>.<ext>`, ASCII only."""
    code = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in org.code)
    return f"{stem}-{code}-{rnd.year}.{ext}"


def _export(
    request: HttpRequest,
    pk: int,
    *,
    build: Callable[..., bytes],
    kind: str,
    content_type: str,
    stem: str,
    ext: str,
    title: str,
) -> HttpResponse:
    rnd = visible_round(request, pk)  # 404 outside the user's scope
    try:
        org = export_organization(request, rnd)
        content = build(rnd, org, produced_by=request.user)
    except (BadOrganization, word.NothingToDecide) as exc:
        messages.error(request, f"Không xuất được {title.lower()}: {exc}")
        return redirect("evaluations:round_progress", pk=rnd.pk)
    access_log_write(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        object_type=kind,
        object_id=str(rnd.pk),
        detail=f"{title} của {org.name} trong {rnd.name}"[:500],
        request=request,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name(stem, org, rnd, ext)}"'
    return response


@login_required
@require_GET
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """Kết quả xếp loại (xlsx): organizations, members, summary."""
    return _export(
        request,
        pk,
        build=excel.build_results,
        kind="evaluation_xlsx",
        content_type=XLSX,
        stem="ket-qua-xep-loai",
        ext="xlsx",
        title="Kết quả xếp loại",
    )


@login_required
@require_GET
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """Quyết định công nhận kết quả xếp loại chất lượng tổ chức đảng (.docx) with its list."""
    return _export(
        request,
        pk,
        build=word.build_decision,
        kind="evaluation_docx",
        content_type=DOCX,
        stem="quyet-dinh-xep-loai",
        ext="docx",
        title="Quyết định công nhận kết quả xếp loại",
    )
