"""Input and output shapes of the members API. Dates are ISO (YYYY-MM-DD) in JSON.

Sensitive fields (citizen_id, ethnicity, religion) are masked unless the API marks the object as
revealed (`obj.revealed = True`), which it does only after `can_view_sensitive` and an AccessLog.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from dangvu.organizations.schemas import ErrorOut, OrganizationRef

from .choices import Education, Gender, Occupation, Qualification, Religion, Status, TheoryLevel
from .models import Member, MemberEvent, Transfer

__all__ = ["ErrorOut"]

# Class docstrings become OpenAPI descriptions, which users read: they are left out of the
# schemas below and the fields carry Vietnamese descriptions instead.

AgeBand = Literal["-30", "30-40", "41-50", "51-60", "61-"]
EthnicityCode = Annotated[
    str, Field(pattern=r"^(0[1-9]|[1-4][0-9]|5[0-4])$", description="Mã dân tộc 01–54.")
]
MASK = "••••••••"


def _masked(obj: Any) -> bool:
    return not getattr(obj, "revealed", False)


class MemberFilter(Schema):
    organization: int | None = Field(None, description="Tổ chức (id); gồm cả các tổ chức trực thuộc.")
    q: str = Field("", max_length=100, description="Họ tên (gõ không dấu cũng được), số CCCD hoặc số thẻ.")
    status: Status | None = Field(None, description="Tình trạng; mặc định chỉ đảng viên dự bị và chính thức.")
    gender: Gender | None = None
    age_band: AgeBand | None = Field(None, description="Độ tuổi: -30, 30-40, 41-50, 51-60, 61-.")
    ethnicity: EthnicityCode | None = None
    religion: Religion | None = None
    education: Education | None = None
    theory_level: TheoryLevel | None = None
    admission_year: int | None = Field(None, ge=1930, le=2100, description="Năm quyết định kết nạp.")
    include_inactive: bool = Field(False, description="Gồm cả người đã ra khỏi Đảng, từ trần, mất liên lạc.")


class RevealQuery(Schema):
    reveal: bool = Field(
        False,
        description="Hiện số CCCD, dân tộc, tôn giáo (chỉ người có quyền; mỗi lần xem được ghi nhật ký).",
    )


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class MemberOut(Schema):
    id: int
    full_name: str
    gender: Gender
    gender_label: str
    birth_date: date
    organization: OrganizationRef
    status: Status
    status_label: str
    exempted: bool
    admission_decision_date: date
    ceremony_date: date
    official_on: date | None
    card_number: str | None
    masked: bool = Field(description="true: số CCCD, dân tộc, tôn giáo đang bị che.")
    citizen_id: str | None = Field(description="Bị che (chỉ còn 4 số cuối) trừ khi reveal=true.")
    ethnicity: str | None = Field(description="null khi bị che.")
    ethnicity_label: str | None
    religion: Religion | None = Field(description="null khi bị che.")
    religion_label: str | None

    @staticmethod
    def resolve_gender_label(obj: Member) -> str:
        return obj.get_gender_display()

    @staticmethod
    def resolve_status_label(obj: Member) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_masked(obj: Member) -> bool:
        return _masked(obj)

    @staticmethod
    def resolve_citizen_id(obj: Member) -> str | None:
        if not obj.citizen_id or not _masked(obj):
            return obj.citizen_id
        return MASK + obj.citizen_id[-4:]

    @staticmethod
    def resolve_ethnicity(obj: Member) -> str | None:
        return None if _masked(obj) else obj.ethnicity

    @staticmethod
    def resolve_ethnicity_label(obj: Member) -> str | None:
        return None if _masked(obj) else obj.get_ethnicity_display()

    @staticmethod
    def resolve_religion(obj: Member) -> str | None:
        return None if _masked(obj) else obj.religion

    @staticmethod
    def resolve_religion_label(obj: Member) -> str | None:
        return None if _masked(obj) else obj.get_religion_display()


class MemberPage(Schema):
    items: list[MemberOut]
    count: int


class MemberDetailOut(MemberOut):
    other_names: str
    birth_place: str
    home_town: str
    home_town_unit: str
    permanent_address: str
    permanent_unit: str
    current_address: str
    current_unit: str
    old_address: str
    phone: str
    email: str
    occupation: Occupation | Literal[""]
    workplace: str
    education: Education | Literal[""]
    qualification: Qualification
    theory_level: TheoryLevel
    foreign_language: str
    dossier_number: str
    first_admission_date: date | None
    sponsor_1: str
    sponsor_2: str
    readmitted: bool
    residence_liaison_org: OrganizationRef | None
    created_at: datetime
    updated_at: datetime


# --- Writing the record -----------------------------------------------------------------------


class _RecordFields(Schema):
    # The record fields of Mẫu 2-HSĐV shared by creation and correction (all optional here).
    other_names: str | None = Field(None, max_length=120)
    birth_place: str | None = Field(None, max_length=255)
    home_town: str | None = Field(None, max_length=255)
    home_town_unit: str | None = Field(None, max_length=10)
    permanent_address: str | None = Field(None, max_length=255)
    permanent_unit: str | None = Field(None, max_length=10)
    current_address: str | None = Field(None, max_length=255)
    current_unit: str | None = Field(None, max_length=10)
    old_address: str | None = Field(None, max_length=255)
    ethnicity: EthnicityCode | None = None
    religion: Religion | None = None
    citizen_id: str | None = Field(None, max_length=12, description="12 chữ số.")
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254, description="Địa chỉ thư điện tử (hệ thống kiểm tra).")
    occupation: Occupation | Literal[""] | None = None
    workplace: str | None = Field(None, max_length=255)
    education: Education | Literal[""] | None = None
    qualification: Qualification | None = None
    theory_level: TheoryLevel | None = None
    foreign_language: str | None = Field(None, max_length=120)
    dossier_number: str | None = Field(None, max_length=30)
    card_number: str | None = Field(None, max_length=8, description="8 chữ số.")
    first_admission_date: date | None = None
    sponsor_1: str | None = Field(None, max_length=120)
    sponsor_2: str | None = Field(None, max_length=120)
    residence_liaison_org_id: int | None = Field(None, description="Chi bộ nơi cư trú (Quy định 213).")


# Columns that are NOT NULL in the database: an explicit null is refused, an absent field is fine.
NOT_NULL_TEXT = (
    "other_names", "birth_place", "home_town", "home_town_unit", "permanent_address", "permanent_unit",
    "current_address", "current_unit", "old_address", "ethnicity", "religion", "phone", "email",
    "occupation", "workplace", "education", "qualification", "theory_level", "foreign_language",
    "dossier_number", "sponsor_1", "sponsor_2",
)  # fmt: skip


def _reject_null(value: Any) -> Any:
    if value is None:
        raise ValueError("Không được để trống (null); bỏ trường này đi nếu không muốn thay đổi.")
    return value


class MemberIn(_RecordFields):
    mode: Literal["admit", "register"] = Field(
        description="admit: kết nạp đảng viên mới (dự bị); register: nhập hồ sơ đảng viên đã có "
        "(tình trạng tính từ ngày kết nạp, không nhập tay)."
    )
    organization_id: int = Field(description="Chi bộ sinh hoạt chính thức.")
    full_name: str = Field(min_length=1, max_length=120)
    gender: Gender
    birth_date: date
    admission_decision_date: date = Field(description="Ngày quyết định kết nạp.")
    ceremony_date: date = Field(description="Ngày lễ kết nạp.")
    decision_ref: str = Field("", max_length=120, description="Số quyết định kết nạp (mode admit).")
    reason: str = Field("", max_length=500)

    @field_validator(*NOT_NULL_TEXT)
    @classmethod
    def reject_null(cls, value: Any) -> Any:
        return _reject_null(value)


class MemberPatch(_RecordFields):
    full_name: str | None = Field(None, min_length=1, max_length=120)
    gender: Gender | None = None
    birth_date: date | None = None
    admission_decision_date: date | None = None
    ceremony_date: date | None = None
    reason: str = Field(max_length=500, description="Lý do sửa (bắt buộc).")

    @field_validator(
        "full_name", "gender", "birth_date", "admission_decision_date", "ceremony_date", *NOT_NULL_TEXT
    )
    @classmethod
    def reject_null(cls, value: Any) -> Any:
        return _reject_null(value)

    @field_validator("reason")
    @classmethod
    def reason_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Hãy ghi lý do sửa hồ sơ.")
        return value.strip()


# --- Lifecycle events -------------------------------------------------------------------------


# Each action lists exactly what its service records; unknown fields are ignored.
Effective = Annotated[date, Field(description="Ngày hiệu lực.")]
DecisionRef = Annotated[str, Field(max_length=120, description="Số quyết định.")]
Reason = Annotated[str, Field(max_length=500, description="Lý do.")]


class RecognizeOfficialIn(Schema):
    action: Literal["recognize_official"]
    effective_on: date | None = Field(
        None, description="Tính bằng ngày lễ kết nạp + 12 tháng; nếu gửi thì phải đúng ngày đó."
    )
    decision_ref: DecisionRef = ""
    decision_date: date | None = None
    reason: Reason = ""


class TransferIssueIn(Schema):
    action: Literal["transfer_issue"]
    effective_on: date = Field(description="Ngày giới thiệu.")
    kind: Transfer.Kind = Transfer.Kind.OFFICIAL
    to_org_id: int | None = Field(None, description="Chi bộ nơi đến trong hệ thống.")
    external_destination: str = Field("", max_length=255, description="Nơi đến ngoài hệ thống.")
    ends_on: date | None = Field(None, description="Sinh hoạt tạm thời đến ngày.")
    for_study: bool = Field(False, description="Đi học tập trung (sinh hoạt tạm thời đến 2 năm).")
    decision_ref: DecisionRef = Field("", description="Số giấy giới thiệu.")
    reason: Reason = ""


class ExemptIn(Schema):
    action: Literal["exempt", "end_exemption"]
    effective_on: Effective
    decision_ref: DecisionRef = ""
    reason: Reason = Field("", description="Lý do (bắt buộc khi miễn).")


class ExitIn(Schema):
    action: Literal["remove", "expel", "leave", "death", "contact_lost"]
    effective_on: Effective
    decision_ref: DecisionRef = ""
    decision_date: date | None = None
    reason: Reason = Field("", description="Lý do (bắt buộc).")
    cause: str = Field("", max_length=255, description="Nguyên nhân; «abandoned»: tự bỏ sinh hoạt.")


class RestoreContactIn(Schema):
    action: Literal["restore_contact"]
    effective_on: Effective
    reason: Reason = ""


class ReadmitIn(Schema):
    action: Literal["readmit"]
    organization_id: int = Field(description="Chi bộ kết nạp lại.")
    admission_decision_date: date = Field(description="Ngày quyết định kết nạp lại (ngày hiệu lực).")
    ceremony_date: date
    decision_ref: DecisionRef = ""
    reason: Reason = ""


class DisciplineIn(Schema):
    action: Literal["discipline"]
    form: Literal["reprimand", "warning", "dismissal"] = Field(
        description="Khiển trách, cảnh cáo, cách chức."
    )
    effective_on: Effective
    decision_ref: DecisionRef = ""
    reason: Reason = Field("", description="Lý do (bắt buộc).")


class AwardBadgeIn(Schema):
    action: Literal["award_badge"]
    years: int = Field(description="Mốc tuổi đảng của Huy hiệu: 30, 40, 45 … 90.")
    effective_on: Effective
    decision_ref: DecisionRef = ""


MemberEventIn = Annotated[
    RecognizeOfficialIn
    | TransferIssueIn
    | ExemptIn
    | ExitIn
    | RestoreContactIn
    | ReadmitIn
    | DisciplineIn
    | AwardBadgeIn,
    Field(discriminator="action"),
]

EXIT_KINDS = {
    "remove": "removed",
    "expel": "expelled",
    "leave": "left",
    "death": "deceased",
    "contact_lost": "contact_lost",
}


class MemberEventOut(Schema):
    id: int
    kind: MemberEvent.Kind
    kind_label: str
    effective_on: date
    organization: OrganizationRef
    other_org: OrganizationRef | None
    status_after: Status
    decision_ref: str
    decision_date: date | None
    reason: str
    data: dict[str, Any]
    actor_name: str | None
    created_at: datetime

    @staticmethod
    def resolve_kind_label(obj: MemberEvent) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_actor_name(obj: MemberEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class TransferOut(Schema):
    id: int
    member: MemberRef
    kind: Transfer.Kind
    kind_label: str
    state: Transfer.State
    state_label: str
    from_org: OrganizationRef
    to_org: OrganizationRef | None
    external_destination: str
    issued_on: date
    report_due_on: date
    accepted_on: date | None
    starts_on: date | None
    ends_on: date | None
    for_study: bool
    decision_ref: str
    reason: str

    @staticmethod
    def resolve_kind_label(obj: Transfer) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_state_label(obj: Transfer) -> str:
        return obj.get_state_display()


class MemberRef(Schema):
    id: int
    full_name: str


TransferOut.model_rebuild()


class EventResultOut(Schema):
    member: MemberDetailOut
    event: MemberEventOut | None = Field(description="Sự kiện vừa ghi (nếu có).")
    transfer: TransferOut | None = Field(
        None, description="Giấy giới thiệu chuyển sinh hoạt (transfer_issue)."
    )


class TransferFilter(Schema):
    organization: int = Field(description="Tổ chức (id): các chuyển sinh hoạt đi và đến của nó.")
    state: Transfer.State | None = None


class TransferDecisionIn(Schema):
    on: date | None = Field(None, description="Ngày tiếp nhận / kết thúc; mặc định: hôm nay.")
    reason: str = Field("", max_length=500)


class TransferCancelIn(Schema):
    reason: str = Field(max_length=500, description="Lý do hủy (bắt buộc).")

    @field_validator("reason")
    @classmethod
    def reason_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Hãy ghi lý do hủy giới thiệu chuyển sinh hoạt.")
        return value.strip()


# --- History and import -----------------------------------------------------------------------


class FieldChangeOut(Schema):
    field: str
    label: str
    old: Any
    new: Any


class HistoryEntryOut(Schema):
    id: int
    at: datetime = Field(description="Thời điểm thay đổi.")
    type: Literal["created", "changed", "deleted"]
    user_name: str | None = Field(description="Người thay đổi.")
    reason: str = Field(description="Lý do.")
    changes: list[FieldChangeOut] = Field(description="Các trường đã đổi: cũ → mới.")


class ImportErrorOut(Schema):
    row: int = Field(description="Số dòng trong Excel; 0: lỗi của cả tệp.")
    column: str = Field(description="Tiêu đề cột.")
    value: str = Field(description="Giá trị trong ô (tối đa 80 ký tự).")
    message: str


class ImportReportOut(Schema):
    file_name: str
    dry_run: bool
    ok: bool = Field(description="true: không có lỗi nào.")
    summary: str = Field(description="Tóm tắt kết quả bằng tiếng Việt.")
    total_rows: int
    created: int = Field(description="Số đảng viên đã ghi (0 khi chạy thử hoặc có lỗi).")
    official: int
    probationary: int
    refused: str = Field(description="Lý do từ chối cả tệp (không phải .xlsx, quá lớn, thiếu cột…), nếu có.")
    errors: list[ImportErrorOut] = Field(description="Từng lỗi: dòng, cột, giá trị, thông báo.")
