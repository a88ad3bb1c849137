"""Input and output shapes of the congress API. Dates are ISO (YYYY-MM-DD) in JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from dangvu.members.schemas import MemberRef
from dangvu.organizations.schemas import ErrorOut, OrganizationRef

from .choices import Level, Position, RoundState
from .models import CommitteeMembership, Congress, CongressRound

__all__ = ["ErrorOut"]

# The congress Level and RoundState share their class names with the quality review's: in the
# OpenAPI document they would overwrite each other, so they go out as plain strings.
LEVELS = ", ".join(Level.values)
STATES = ", ".join(RoundState.values)
StateCode = Literal["draft", "open", "closed"]

# Class docstrings become OpenAPI descriptions, which users read: they are left out of the
# schemas below and the fields carry Vietnamese descriptions instead.


def ratio_value(num: int, den: int | None) -> float | None:
    """num·100/den rounded half-up to 2 places (1352/1719 → 78.65), None when there is no total.

    Exact integer arithmetic, so the number always agrees with the text of `fmt_percent`
    (a float `round` would turn 0,125 into 0,12).
    """
    if not den:
        return None
    q, r = divmod(num * 10000, den)
    if 2 * r >= den:
        q += 1
    return q / 100


class OrganizationKindRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        if isinstance(obj, dict):
            return obj["kind_label"]
        return obj.get_kind_display()


# --- Rounds ------------------------------------------------------------------------------------


class CongressRoundRef(Schema):
    id: int
    name: str
    level: str = Field(description=f"Đại hội cấp: {LEVELS}.")
    term_label: str = Field(description="Nhiệm kỳ, ví dụ 2025–2027.")
    deadline: date = Field(description="Hạn hoàn thành đại hội.")


class CongressRoundOut(Schema):
    id: int
    name: str
    organization: OrganizationRef = Field(description="Cấp chỉ đạo (tổ chức mở đợt).")
    level: str = Field(description=f"Đại hội cấp: {LEVELS}.")
    level_label: str
    term_start_year: int
    term_end_year: int
    term_label: str
    pilot_five_year: bool = Field(description="Thí điểm đại hội chi bộ 5 năm một lần (QĐ 294-QĐ/TW).")
    term_months: int = Field(description="Độ dài nhiệm kỳ (tháng) theo quy định khi mở đợt.")
    starts_on: date
    deadline: date
    legal_basis: str = Field(description="Văn bản quy định nhiệm kỳ áp dụng cho đợt.")
    state: str = Field(description=f"Trạng thái: {STATES}.")
    state_label: str
    opened_on: date | None
    closed_on: date | None
    note: str
    created_at: datetime

    @staticmethod
    def resolve_level_label(obj: CongressRound) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_state_label(obj: CongressRound) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_legal_basis(obj: CongressRound) -> str:
        return obj.legal_basis.label


class CongressRoundFilter(Schema):
    organization: int | None = Field(
        None, description="Chỉ các đợt có phạm vi chứa tổ chức này hoặc nằm dưới nó (id)."
    )
    state: StateCode | None = Field(None, description=f"Trạng thái: {STATES}.")


# --- Progress ----------------------------------------------------------------------------------


class CongressProgressQuery(Schema):
    organization: int | None = Field(
        None, description="Tổ chức (id) trong phạm vi đợt. Mặc định: tổ chức cao nhất bạn thấy."
    )
    as_of: date | None = Field(None, description="Tiến độ tính đến ngày (YYYY-MM-DD); mặc định hôm nay.")


class CongressProgressRowOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    held: int = Field(description="Số đã tổ chức đại hội đến ngày tính.")
    total: int = Field(description="Số phải tổ chức đại hội.")
    ratio: float | None = Field(description="Tỷ lệ % (2 chữ số thập phân); null khi tổng số bằng 0.")
    ratio_text: str = Field(description="Dạng «1.352/1.719 (78,65%)».")
    planned: int = Field(description="Số chưa tổ chức đã có ngày dự kiến.")
    overdue: int = Field(description="Số chưa tổ chức đã quá hạn hoàn thành.")
    drillable: bool = Field(description="true: có tổ chức cấp dưới để xem tiếp.")


class CongressProgressOut(Schema):
    round: CongressRoundRef
    organization: OrganizationKindRef
    as_of: date
    held: int
    total: int
    ratio: float | None = Field(description="Tỷ lệ % (2 chữ số thập phân); null khi tổng số bằng 0.")
    ratio_text: str = Field(description="Dạng «1.352/1.719 (78,65%)».")
    planned: int
    overdue: int
    children: list[CongressProgressRowOut]


def row_dict(row: Any) -> dict[str, Any]:
    """A progress row (selectors.ProgressRow) with its ratio as a number."""
    data = {k: getattr(row, k) for k in CongressProgressRowOut.model_fields if k != "ratio"}
    data["ratio"] = ratio_value(row.held, row.total)
    return data


def progress_dict(p: Any) -> dict[str, Any]:
    """The API's answer for a `selectors.Progress` (validated by `CongressProgressOut`)."""
    return {
        "round": p.round,
        "organization": p.organization,
        "as_of": p.as_of,
        "held": p.held,
        "total": p.total,
        "ratio": ratio_value(p.held, p.total),
        "ratio_text": p.ratio_text,
        "planned": p.planned,
        "overdue": p.overdue,
        "children": [row_dict(r) for r in p.children],
    }


# --- Congresses --------------------------------------------------------------------------------


class CongressFilter(Schema):
    organization: int | None = Field(
        None, description="Tổ chức (id); gồm cả tổ chức trực thuộc. Mặc định: tổ chức cao nhất bạn thấy."
    )
    held: bool | None = Field(
        None,
        description="true: đã tổ chức; false: chưa tổ chức (không kể tổ chức không tính vào tổng số).",
    )


class SeatOut(Schema):
    id: int
    member: MemberRef
    position: Position
    position_label: str
    votes_for: int | None
    votes_valid: int | None
    position_votes_for: int | None
    position_votes_valid: int | None
    elected_directly: bool
    first_time: bool = Field(description="true: tham gia cấp ủy lần đầu; false: tái cử.")
    age_exception: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_position_label(obj: CommitteeMembership) -> str:
        return obj.get_position_display()


class CongressOut(Schema):
    id: int
    round_id: int
    organization: OrganizationKindRef
    planned_on: date | None
    held_on: date | None
    pilot: bool = Field(description="Đại hội điểm.")
    delegate_congress: bool = Field(description="Đại hội đại biểu (false: đại hội đảng viên).")
    summoned: int | None
    attending: int | None
    official_members: int | None
    committee_size: int | None
    secretary_elected_directly: bool
    excluded: bool = Field(description="Không tính vào tổng số (tổ chức giải thể, sáp nhập…).")
    excluded_reason: str
    note: str
    elected: list[SeatOut] = Field(description="Cấp ủy, chi ủy được bầu tại đại hội.")

    @staticmethod
    def resolve_elected(obj: Congress) -> list[CommitteeMembership]:
        # A corrected recording closes its rows on the day they started: they were never in office.
        seats = [m for m in obj.elected.all() if m.ended_on is None or m.ended_on > m.started_on]
        order = {p.value: i for i, p in enumerate(Position)}
        return sorted(seats, key=lambda m: (order[m.position], m.member.name_sort, m.pk))


class SeatIn(Schema):
    member_id: int = Field(description="Đảng viên trúng cử (id).")
    position: Position = Field(Position.MEMBER, description="secretary, deputy hoặc member.")
    votes_for: int | None = Field(None, ge=0, description="Số phiếu bầu vào cấp ủy, chi ủy.")
    votes_valid: int | None = Field(None, ge=0, description="Số phiếu hợp lệ.")
    position_votes_for: int | None = Field(None, ge=0, description="Số phiếu bầu chức vụ.")
    position_votes_valid: int | None = Field(None, ge=0, description="Số phiếu hợp lệ bầu chức vụ.")
    first_time: bool | None = Field(
        None, description="Tham gia lần đầu; bỏ trống thì hệ thống xác định theo lịch sử cấp ủy."
    )
    age_exception: str = Field("", max_length=300, description="Lý do ngoại lệ khi không đủ tuổi.")


class CongressResultIn(Schema):
    held_on: date = Field(description="Ngày đại hội.")
    summoned: int = Field(ge=0, description="Số đại biểu, đảng viên được triệu tập.")
    attending: int = Field(ge=0, description="Số có mặt.")
    official_members: int | None = Field(
        None, ge=0, description="Số đảng viên chính thức của tổ chức (căn cứ số lượng chi ủy)."
    )
    seats: list[SeatIn] = Field(min_length=1, description="Những người trúng cử.")
    delegate_congress: bool = Field(False, description="Đại hội đại biểu.")
    pilot: bool | None = Field(None, description="Đại hội điểm; bỏ trống thì giữ như cũ.")
    secretary_elected_directly: bool = Field(False, description="Bí thư do đại hội bầu trực tiếp.")
    note: str = Field("", max_length=5000)
    reason: str = Field("", max_length=500, description="Lý do (khi ghi lại, sửa kết quả).")
