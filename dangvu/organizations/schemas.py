"""Input and output shapes of the organizations API. Dates are ISO (YYYY-MM-DD) in JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from .models import BaseType, Kind, Organization, OrganizationEvent

# Class docstrings become OpenAPI descriptions, which users read: they are left out here and the
# fields carry Vietnamese descriptions instead.


class ErrorOut(Schema):
    # Every error the API answers (400, 401, 403, 404, 422) has this shape.

    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")
    field: str | None = Field(None, description="Trường gây lỗi, nếu có.")
    errors: list[dict[str, Any]] | None = Field(None, description="Mọi lỗi: [{field, message}].")


class OrganizationFilter(Schema):
    parent: int | None = Field(None, description="Chỉ các tổ chức trực thuộc trực tiếp tổ chức này (id).")
    kind: Kind | None = Field(None, description="Cấp tổ chức.")
    q: str = Field("", max_length=200, description="Tìm theo tên hoặc mã, không phân biệt dấu.")
    include_dissolved: bool = Field(False, description="Gồm cả tổ chức đã giải thể.")


class OrganizationRef(Schema):
    id: int
    name: str


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    kind: Kind
    kind_label: str
    base_type: BaseType | Literal[""]
    base_type_label: str
    admin_unit_code: str
    founded_on: date | None
    dissolved_on: date | None
    parent_id: int | None = Field(description="Tổ chức cấp trên trực tiếp; null nếu ngoài phạm vi của bạn.")
    depth: int

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_base_type_label(obj: Organization) -> str:
        return obj.get_base_type_display() if obj.base_type else ""

    @staticmethod
    def resolve_parent_id(obj: Organization) -> int | None:
        # Set by the API (an annotation on lists, the breadcrumbs on details).
        return getattr(obj, "visible_parent_id", None)


class OrganizationDetailOut(OrganizationOut):
    admin_unit_name: str
    note: str
    children_count: int = Field(description="Số tổ chức trực thuộc trực tiếp đang hoạt động.")
    path: list[OrganizationRef] = Field(
        description="Các tổ chức cấp trên trong phạm vi của bạn, từ trên xuống."
    )

    @staticmethod
    def resolve_admin_unit_name(obj: Organization) -> str:
        return obj.admin_unit_label()

    @staticmethod
    def resolve_children_count(obj: Organization) -> int:
        return obj.children_count

    @staticmethod
    def resolve_path(obj: Organization) -> list[Organization]:
        return obj.breadcrumb_list


class OrganizationIn(Schema):
    parent_id: int | None = Field(
        None, description="Tổ chức cấp trên; null: tổ chức gốc (chỉ quản trị hệ thống)."
    )
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=255)
    kind: Kind
    base_type: BaseType | Literal[""] = ""
    admin_unit_code: str = Field("", max_length=10)
    founded_on: date | None = Field(None, description="Mặc định: hôm nay.")
    decision_ref: str = Field("", max_length=120, description="Số quyết định thành lập.")
    decision_date: date | None = None
    note: str = ""
    reason: str = Field("", max_length=500)


class OrganizationPatch(Schema):
    # Only the fields sent are changed; effective_on, decision_ref, decision_date and reason
    # describe the change itself (the OrganizationEvent), not the organization.

    name: str | None = Field(None, min_length=1, max_length=255)
    code: str | None = Field(None, min_length=1, max_length=40)
    base_type: BaseType | Literal[""] | None = None
    admin_unit_code: str | None = Field(None, max_length=10)
    note: str | None = None
    founded_on: date | None = None
    effective_on: date | None = Field(None, description="Ngày thay đổi có hiệu lực; mặc định: hôm nay.")
    decision_ref: str = Field("", max_length=120)
    decision_date: date | None = None
    reason: str = Field("", max_length=500)

    @field_validator("code", "name", "base_type", "admin_unit_code", "note")
    @classmethod
    def reject_null(cls, value: Any) -> Any:
        # Optional in the payload, but an explicit null is refused: these columns cannot be empty.
        if value is None:
            raise ValueError("Không được để trống (null); bỏ trường này đi nếu không muốn thay đổi.")
        return value


PATCH_META_FIELDS = ("effective_on", "decision_ref", "decision_date", "reason")


class OrganizationMoveIn(Schema):
    new_parent_id: int
    effective_on: date | None = Field(None, description="Mặc định: hôm nay.")
    decision_ref: str = Field("", max_length=120)
    decision_date: date | None = None
    reason: str = Field("", max_length=500)


class OrganizationDissolveIn(Schema):
    effective_on: date | None = Field(None, description="Mặc định: hôm nay.")
    decision_ref: str = Field("", max_length=120)
    decision_date: date | None = None
    reason: str = Field("", max_length=500, description="Bắt buộc.")


class OrganizationEventOut(Schema):
    id: int
    kind: OrganizationEvent.EventKind
    kind_label: str
    effective_on: date
    decision_ref: str
    decision_date: date | None
    old_parent: OrganizationRef | None
    new_parent: OrganizationRef | None
    old_name: str
    new_name: str
    reason: str
    data: dict[str, Any]
    actor_name: str | None
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: OrganizationEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor_name(obj: OrganizationEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None
