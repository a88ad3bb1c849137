"""/api/v1/admission-targets/: admission targets and the progress against them.

Same rules and scoping as the pages: an organization outside the caller's scope answers 404 like a
missing one; setting a target needs the right to manage the organization (403 otherwise); a broken
rule or a bad period answers 400 with the Vietnamese message keyed by field; a malformed body 422.
The admitted count is the member registry's (the ADMITTED events of the period), so it equals the
statistics' new admissions for the same organization and dates.
"""

# No `from __future__ import annotations` here: `paginate` builds the query model of a view from its
# annotations, and string annotations leave `Query[...]` unresolved.
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from dangvu.congresses.api import checked_as_of
from dangvu.organizations import selectors as org_selectors
from dangvu.organizations.models import Organization

from . import selectors, services
from .models import AdmissionTarget
from .schemas import (
    AdmissionTargetIn,
    AdmissionTargetOut,
    ErrorOut,
    TargetFilter,
    TargetProgressOut,
    TargetProgressQuery,
    target_progress_dict,
)

router = Router(tags=["admissions"])

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def organization_or_top(user: Any, pk: int | None) -> Organization:
    """The organization asked for (404 out of scope), or the topmost one the user sees."""
    if pk is not None:
        return org_selectors.organization_get(user=user, pk=pk)
    roots = org_selectors.scope_roots(user=user)
    if not roots:
        raise Http404
    return min(roots, key=lambda o: (o.depth, o.path))


def period_years(text: str, *, default_year: int, field: str = "period") -> tuple[int, int]:
    """(year_from, year_to) of «2026» or «2025-2030»; the default year when empty; 400 naming the field."""
    text = (text or "").strip()
    if not text:
        return default_year, default_year
    try:
        return selectors.parse_period(text)
    except (ValueError, ValidationError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        raise ValidationError({field: message or f"Kỳ «{text[:20]}» không hợp lệ."}) from exc


def progress_payload(org: Organization, *, period: str = "", as_of: date | None = None) -> dict[str, Any]:
    """What GET /admission-targets/progress answers (also printed by `dangvu statistics`)."""
    as_of = checked_as_of(as_of)
    year_from, year_to = period_years(period, default_year=as_of.year)
    tp = selectors.target_progress(org, year_from=year_from, year_to=year_to, as_of=as_of)
    return target_progress_dict(tp)


def progress_json(org: Organization, *, period: str = "", as_of: date | None = None) -> dict[str, Any]:
    """The progress answer as JSON data (what `dangvu statistics --format json` prints)."""
    return TargetProgressOut.model_validate(progress_payload(org, period=period, as_of=as_of)).model_dump(
        mode="json"
    )


@router.get(
    "/progress",
    response={200: TargetProgressOut, **READ_ERRORS},
    summary="Kết quả kết nạp đảng viên so với chỉ tiêu",
    description="«Đã kết nạp/chỉ tiêu (tỷ lệ)» của tổ chức, theo từng đối tượng (nữ, dân tộc thiểu số, "
    "có đạo, đoàn viên thanh niên, doanh nghiệp ngoài nhà nước, xã biên giới) và của từng tổ chức trực "
    "thuộc. Số kết nạp là số quyết định kết nạp trong kỳ đến ngày `as_of` (mặc định hôm nay).",
)
def target_progress(request: HttpRequest, params: Query[TargetProgressQuery]):
    org = organization_or_top(request.auth, params.organization)
    return progress_payload(org, period=params.period, as_of=params.as_of)


@router.get(
    "/",
    response={200: list[AdmissionTargetOut], **READ_ERRORS},
    summary="Chỉ tiêu kết nạp của tổ chức và các tổ chức trực thuộc",
)
@paginate
def list_targets(request: HttpRequest, filters: Query[TargetFilter]):
    org = organization_or_top(request.auth, filters.organization)
    qs = AdmissionTarget.objects.visible_to(request.auth).filter(
        Q(organization=org) | Q(organization__path__startswith=org.path, organization__depth=org.depth + 1)
    )
    if filters.period.strip():
        year_from, year_to = period_years(filters.period, default_year=0)
        qs = qs.filter(year_from=year_from, year_to=year_to)
    return qs.select_related("organization", "assigned_by").order_by(
        "-year_from", "year_to", "organization__path", "segment", "pk"
    )


@router.put(
    "/",
    response={200: AdmissionTargetOut, **WRITE_ERRORS},
    summary="Giao (hoặc sửa) một chỉ tiêu kết nạp",
    description="Một năm (`year_to` bỏ trống) hoặc một nhiệm kỳ; mỗi tổ chức, kỳ và đối tượng có một chỉ "
    "tiêu, giao lại là sửa (lưu lịch sử). Chỉ tiêu theo đối tượng cần chỉ tiêu tổng số của cùng tổ chức "
    "và kỳ, và không vượt quá nó; chỉ tiêu tổng số không được thấp hơn chỉ tiêu theo đối tượng đã giao "
    "(400, nêu tên đối tượng). Cần quyền quản lý tổ chức.",
)
def set_target(request: HttpRequest, payload: AdmissionTargetIn):
    org = org_selectors.organization_get(user=request.auth, pk=payload.organization_id)
    target = services.target_set(
        actor=request.auth, organization=org, **payload.model_dump(exclude={"organization_id"})
    )
    return AdmissionTarget.objects.select_related("organization", "assigned_by").get(pk=target.pk)
