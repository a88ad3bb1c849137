"""/api/v1/organizations/: the party tree over JSON.

Reads go through `selectors` (scoped by `visible_to`), writes through `services` (rules, rights,
history). Every id in a path or a payload is fetched through `selectors.organization_get` first,
so an organization outside the caller's scope answers 404 exactly like a missing one.
`request.auth` is the User (bearer token or session).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from . import selectors, services
from .models import Organization
from .schemas import (
    PATCH_META_FIELDS,
    ErrorOut,
    OrganizationDetailOut,
    OrganizationDissolveIn,
    OrganizationEventOut,
    OrganizationFilter,
    OrganizationIn,
    OrganizationMoveIn,
    OrganizationOut,
    OrganizationPatch,
)

router = Router(tags=["organizations"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _detail(user: Any, org: Organization) -> Organization:
    """Attach what OrganizationDetailOut shows beyond the row: breadcrumbs, parent, children."""
    org.breadcrumb_list = selectors.breadcrumbs(user=user, org=org)
    last = org.breadcrumb_list[-1] if org.breadcrumb_list else None
    org.visible_parent_id = last.pk if last is not None and last.depth == org.depth - 1 else None
    org.children_count = selectors.organization_list(user=user, parent=org.pk).count()
    return org


@router.get(
    "/",
    response={200: list[OrganizationOut], **READ_ERRORS},
    summary="Danh sách tổ chức đảng",
    description="Các tổ chức trong phạm vi của bạn, theo thứ tự cây. `q` tìm không phân biệt dấu.",
)
@paginate
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]):
    qs = selectors.organization_list(user=request.auth, **filters.model_dump(exclude_none=True))
    return selectors.with_visible_parent(qs, user=request.auth)


@router.get("/{int:org_id}", response={200: OrganizationDetailOut, **READ_ERRORS}, summary="Chi tiết tổ chức")
def get_organization(request: HttpRequest, org_id: int):
    return _detail(request.auth, selectors.organization_get(user=request.auth, pk=org_id))


@router.post(
    "/",
    response={201: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Thành lập tổ chức",
    description="Kiểm tra quy định về hệ thống tổ chức có hiệu lực vào ngày thành lập (`founded_on`).",
)
def create_organization(request: HttpRequest, payload: OrganizationIn):
    data = payload.model_dump()
    parent_id = data.pop("parent_id")
    parent = None if parent_id is None else selectors.organization_get(user=request.auth, pk=parent_id)
    org = services.organization_create(actor=request.auth, parent=parent, **data)
    return Status(201, _detail(request.auth, org))


@router.patch(
    "/{int:org_id}",
    response={200: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Sửa thông tin tổ chức",
    description="Chỉ các trường được gửi mới thay đổi. "
    "Đổi tên được ghi thành sự kiện «Đổi tên» có ngày hiệu lực.",
)
def update_organization(request: HttpRequest, org_id: int, payload: OrganizationPatch):
    org = selectors.organization_get(user=request.auth, pk=org_id)
    changes = payload.model_dump(exclude_unset=True)
    meta = {key: changes.pop(key) for key in PATCH_META_FIELDS if key in changes}
    if not changes:
        raise ValidationError("Không có trường thông tin nào cần thay đổi.")
    org = services.organization_update(actor=request.auth, org=org, **meta, **changes)
    return _detail(request.auth, org)


@router.post(
    "/{int:org_id}/move",
    response={200: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Chuyển trực thuộc",
    description="Chuyển tổ chức (cùng mọi tổ chức trực thuộc nó) sang cấp trên mới.",
)
def move_organization(request: HttpRequest, org_id: int, payload: OrganizationMoveIn):
    org = selectors.organization_get(user=request.auth, pk=org_id)
    data = payload.model_dump()
    new_parent = selectors.organization_get(user=request.auth, pk=data.pop("new_parent_id"))
    org = services.organization_move(actor=request.auth, org=org, new_parent=new_parent, **data)
    return _detail(request.auth, org)


@router.post(
    "/{int:org_id}/dissolve",
    response={200: OrganizationDetailOut, **WRITE_ERRORS},
    summary="Giải thể tổ chức",
    description="Chỉ giải thể được khi mọi tổ chức trực thuộc đã được chuyển đi hoặc giải thể. "
    "Bắt buộc ghi lý do.",
)
def dissolve_organization(request: HttpRequest, org_id: int, payload: OrganizationDissolveIn):
    org = selectors.organization_get(user=request.auth, pk=org_id)
    org = services.organization_dissolve(actor=request.auth, org=org, **payload.model_dump())
    return _detail(request.auth, org)


@router.get(
    "/{int:org_id}/events",
    response={200: list[OrganizationEventOut], **READ_ERRORS},
    summary="Lịch sử tổ chức",
    description="Các sự kiện có ngày hiệu lực (thành lập, đổi tên, chuyển trực thuộc, giải thể), "
    "mới nhất trước.",
)
@paginate
def list_organization_events(request: HttpRequest, org_id: int):
    org = selectors.organization_get(user=request.auth, pk=org_id)
    return selectors.organization_events(org=org)


# Figures of the organization (issue 4): the code lives with the statistics engine.
from dangvu.reports.api import add_statistics_endpoint  # noqa: E402

add_statistics_endpoint(router)
