"""Shapes of the statistics API: the stable field names of `statistics.describe`, `snapshot` and
`period` (documented in docs/statistics.md). The CLI's `--format json` prints the same shape."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema
from pydantic import ConfigDict

# Class docstrings become OpenAPI descriptions: fields carry Vietnamese descriptions instead.


class StatisticsQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    as_of: date | None = Field(None, description="Ngày lấy số liệu (YYYY-MM-DD), mặc định hôm nay.")
    from_: date | None = Field(
        None,
        alias="from",
        description="Đầu kỳ báo cáo (YYYY-MM-DD): trả tăng, giảm trong kỳ thay cho số liệu tại ngày.",
    )
    to: date | None = Field(None, description="Cuối kỳ báo cáo (YYYY-MM-DD), mặc định hôm nay.")


class CodeCount(Schema):
    code: str
    label: str
    total: int


class CodeCountByGender(CodeCount):
    female: int = Field(description="Trong đó nữ.")


class ChildMembersOut(Schema):
    total: int = Field(description="Đảng số: đảng viên chính thức và dự bị.")
    official: int
    probationary: int
    female: int
    male: int
    ethnic_minority: int = Field(description="Dân tộc thiểu số (mọi dân tộc trừ Kinh).")
    religious: int = Field(description="Có đạo (mọi tôn giáo trừ «Không»).")
    exempted: int = Field(description="Được miễn công tác và sinh hoạt đảng (vẫn tính vào đảng số).")


class MembersOut(ChildMembersOut):
    youth: int = Field(description="Từ 30 tuổi trở xuống (tuổi tính theo năm).")
    mean_age: float | None = Field(description="Tuổi đời bình quân; null khi không có đảng viên.")
    temporary_hosted: int | None = Field(
        None, description="Đảng viên sinh hoạt tạm thời đang ở đây (không tính vào đảng số)."
    )


class OrganizationsOut(Schema):
    by_kind: list[CodeCount] = Field(description="Số tổ chức đang hoạt động theo cấp (gồm chính nó).")
    base: int = Field(description="Tổ chức cơ sở đảng (đảng bộ cơ sở và chi bộ cơ sở).")
    cells: int = Field(description="Chi bộ (chi bộ cơ sở và chi bộ trực thuộc).")
    base_by_type: list[CodeCount] = Field(description="Tổ chức cơ sở đảng theo loại hình.")


class PyramidRow(Schema):
    model_config = ConfigDict(populate_by_name=True)

    age_from: int = Field(alias="from", description="Tuổi đầu nhóm 5 năm (90: từ 90 trở lên).")
    label: str
    male: int
    female: int


class AdmissionsInYear(Schema):
    year: int
    admitted: int = Field(description="Số kết nạp trong năm tại các tổ chức thuộc tổ chức này.")


class FiguresOut(Schema):
    as_of: date
    members: MembersOut
    organizations: OrganizationsOut
    age_bands: list[CodeCountByGender]
    age_pyramid: list[PyramidRow]
    party_age_bands: list[CodeCount]
    admission_periods: list[CodeCount]
    ethnicity: list[CodeCountByGender] = Field(description="Chỉ các dân tộc có đảng viên.")
    religion: list[CodeCountByGender]
    education: list[CodeCount]
    qualification: list[CodeCount]
    theory_level: list[CodeCount]
    occupation: list[CodeCount]
    admissions_per_year: list[AdmissionsInYear] = Field(description="Mười năm gần nhất đến ngày lấy số liệu.")


class OrganizationBrief(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str


class ChildOut(OrganizationBrief):
    members: ChildMembersOut
    organizations: OrganizationsOut
    admissions_per_year: list[AdmissionsInYear]


class IncreaseOut(Schema):
    total: int
    admitted: int
    transferred_in: int
    transferred_in_other_province: int
    transferred_in_same_province: int
    readmitted: int
    contact_restored: int


class DecreaseOut(Schema):
    total: int
    deceased: int
    expelled: int
    removed: int
    removed_probationary: int = Field(description="Trong số xóa tên: đảng viên dự bị.")
    left: int
    transferred_out: int
    transferred_out_other_province: int
    transferred_out_same_province: int
    contact_lost: int


class AdmissionsOut(Schema):
    total: int
    female: int
    youth: int
    ethnic_minority: int
    religious: int
    private_enterprise: int
    by_education: list[CodeCount]
    by_qualification: list[CodeCount]
    by_theory_level: list[CodeCount]
    by_occupation: list[CodeCount]


class PeriodOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    start: date = Field(alias="from")
    end: date = Field(alias="to")
    opening: int = Field(description="Đảng số ngày trước đầu kỳ.")
    increase: IncreaseOut
    decrease: DecreaseOut
    closing: int = Field(description="Đảng số cuối kỳ.")
    balanced: bool = Field(description="Đầu kỳ + tăng − giảm = cuối kỳ.")
    admissions: AdmissionsOut


class LinksOut(Schema):
    dashboard: str
    xlsx: str = Field(description="Tải bộ biểu thống kê (Excel) cho cùng ngày hoặc kỳ.")
    docx: str = Field(description="Tải báo cáo (Word) cho cùng ngày hoặc kỳ.")


class StatisticsOut(Schema):
    organization: OrganizationBrief
    as_of: date = Field(description="Ngày của số liệu (cuối kỳ khi hỏi theo kỳ).")
    from_history: bool = Field(
        description="true: đếm từ lịch sử sự kiện (ngày đã qua); false: bộ đếm hôm nay."
    )
    figures: FiguresOut | None = Field(description="Số liệu tại ngày `as_of`; null khi hỏi theo kỳ.")
    children: list[ChildOut] | None = Field(description="Các tổ chức trực thuộc trực tiếp tại ngày đó.")
    period: PeriodOut | None = Field(description="Tăng, giảm trong kỳ `from`–`to`; null khi hỏi theo ngày.")
    links: LinksOut
