"""Input and output shapes of the admission-target API. Dates are ISO (YYYY-MM-DD) in JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from dangvu.congresses.schemas import OrganizationKindRef, ratio_value
from dangvu.organizations.schemas import ErrorOut, OrganizationRef

from .choices import Segment, TargetPeriod
from .models import AdmissionTarget

__all__ = ["ErrorOut"]

# Class docstrings become OpenAPI descriptions, which users read: they are left out of the
# schemas below and the fields carry Vietnamese descriptions instead.

PERIOD_HELP = "Kỳ: một năm («2026») hoặc một nhiệm kỳ («2025-2030»). Mặc định: năm của ngày tính."


def period_label(year_from: int, year_to: int) -> str:
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


class AdmissionPeriodOut(Schema):
    year_from: int
    year_to: int
    label: str = Field(description="«2026» hoặc «2025–2030».")


class TargetProgressQuery(Schema):
    organization: int | None = Field(None, description="Tổ chức (id). Mặc định: tổ chức cao nhất bạn thấy.")
    period: str = Field("", max_length=20, description=PERIOD_HELP)
    as_of: date | None = Field(None, description="Tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")


class SegmentProgressOut(Schema):
    segment: Segment
    label: str
    target: int | None = Field(description="Chỉ tiêu của đối tượng; null khi chưa giao.")
    admitted: int
    ratio: float | None = Field(description="Tỷ lệ % so với chỉ tiêu; null khi chưa giao chỉ tiêu.")
    ratio_text: str


class TargetRowOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    target: int | None = Field(description="Chỉ tiêu được giao; null khi chưa giao.")
    admitted: int
    ratio: float | None
    ratio_text: str = Field(description="Dạng «344/629 (54,69%)».")
    drillable: bool


class TargetProgressOut(Schema):
    organization: OrganizationKindRef
    period: AdmissionPeriodOut
    as_of: date
    target: int | None = Field(description="Chỉ tiêu được giao cho tổ chức; null khi chưa giao.")
    children_target: int = Field(description="Tổng chỉ tiêu đã giao cho các tổ chức trực thuộc.")
    admitted: int = Field(description="Số đảng viên kết nạp trong kỳ đến ngày tính.")
    ratio: float | None = Field(description="Tỷ lệ % so với chỉ tiêu (2 chữ số); null khi chưa giao.")
    ratio_text: str = Field(description="Dạng «344/629 (54,69%)».")
    segments: list[SegmentProgressOut]
    children: list[TargetRowOut]


def _with_ratio(row: Any, fields: Any) -> dict[str, Any]:
    data = {k: getattr(row, k) for k in fields if k != "ratio"}
    data["ratio"] = ratio_value(row.admitted, row.target)
    return data


def target_progress_dict(tp: Any) -> dict[str, Any]:
    """The API's answer for a `selectors.TargetProgress` (validated by `TargetProgressOut`)."""
    return {
        "organization": tp.organization,
        "period": {
            "year_from": tp.year_from,
            "year_to": tp.year_to,
            "label": period_label(tp.year_from, tp.year_to),
        },
        "as_of": tp.as_of,
        "target": tp.target,
        "children_target": tp.children_target,
        "admitted": tp.admitted,
        "ratio": ratio_value(tp.admitted, tp.target),
        "ratio_text": tp.ratio_text,
        "segments": [_with_ratio(s, SegmentProgressOut.model_fields) for s in tp.segments],
        "children": [_with_ratio(c, TargetRowOut.model_fields) for c in tp.children],
    }


# --- Targets -----------------------------------------------------------------------------------


class TargetFilter(Schema):
    organization: int | None = Field(None, description="Tổ chức (id). Mặc định: tổ chức cao nhất bạn thấy.")
    period: str = Field("", max_length=20, description="«2026» hoặc «2025-2030»; bỏ trống: mọi kỳ.")


class AdmissionTargetOut(Schema):
    id: int
    organization: OrganizationKindRef
    period: TargetPeriod
    year_from: int
    year_to: int
    segment: Segment
    segment_label: str
    target: int
    assigned_by: OrganizationRef = Field(description="Cấp giao chỉ tiêu.")
    decision_ref: str
    note: str
    updated_at: datetime

    @staticmethod
    def resolve_segment_label(obj: AdmissionTarget) -> str:
        return obj.get_segment_display()


class AdmissionTargetIn(Schema):
    organization_id: int = Field(description="Tổ chức được giao chỉ tiêu (id).")
    year_from: int = Field(ge=1930, le=2200, description="Năm (hoặc năm đầu nhiệm kỳ).")
    year_to: int | None = Field(None, ge=1930, le=2200, description="Năm cuối nhiệm kỳ; bỏ trống: một năm.")
    segment: Segment = Field(Segment.TOTAL, description="Đối tượng; mặc định total (tổng số).")
    target: int = Field(ge=0, description="Chỉ tiêu; 0 là rút chỉ tiêu (vẫn lưu trong lịch sử).")
    decision_ref: str = Field("", max_length=120, description="Văn bản giao chỉ tiêu.")
    note: str = Field("", max_length=300)
