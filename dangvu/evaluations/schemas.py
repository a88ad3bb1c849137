"""Input and output shapes of the quality review API. Dates are ISO (YYYY-MM-DD) in JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from dangvu.core.formats import fmt_percent, fmt_progress
from dangvu.members.schemas import MemberRef
from dangvu.organizations.schemas import ErrorOut, OrganizationRef

from .choices import LEVEL_ORDER, Level, Period, RoundState, Subject
from .models import EvaluationRound, MemberRating, OrganizationRating

__all__ = ["ErrorOut"]

# Class docstrings become OpenAPI descriptions, which users read: they are left out of the
# schemas below and the fields carry Vietnamese descriptions instead.

LevelOrBlank = Level | Literal[""]


def level_label(code: str) -> str:
    return Level(code).label if code else ""


# --- Rounds ------------------------------------------------------------------------------------


class RoundIn(Schema):
    organization_id: int = Field(
        description="Tổ chức mở đợt (id); đợt gồm mọi tổ chức, đảng viên trực thuộc."
    )
    year: int = Field(description="Năm đánh giá.")
    period: Period = Field(Period.YEAR, description="Kỳ: year (năm), quarter (quý), term (nhiệm kỳ).")
    quarter: int | None = Field(None, description="Quý 1–4 (khi period = quarter).")
    period_start: date | None = Field(None, description="Từ ngày (chỉ khi period = term).")
    period_end: date | None = Field(None, description="Đến ngày (chỉ khi period = term).")
    reference_date: date | None = Field(
        None, description="Ngày chốt danh sách; mặc định: cuối kỳ hoặc hôm nay nếu kỳ chưa hết."
    )
    name: str = Field("", max_length=200, description="Tên đợt; để trống thì tự đặt.")
    member_deadline: date | None = Field(None, description="Hạn đảng viên tự đánh giá.")
    cell_deadline: date | None = Field(None, description="Hạn chi bộ đề xuất.")
    decision_deadline: date | None = Field(None, description="Hạn cấp có thẩm quyền quyết định.")
    open: bool = Field(False, description="true: mở đợt ngay (lập danh sách đánh giá).")


class RoundOut(Schema):
    id: int
    name: str
    organization: OrganizationRef
    period: Period
    period_label: str
    year: int
    quarter: int | None
    period_start: date
    period_end: date
    reference_date: date
    legal_basis: str = Field(description="Văn bản quy định xếp loại áp dụng cho đợt.")
    member_deadline: date | None
    cell_deadline: date | None
    decision_deadline: date | None
    state: RoundState
    state_label: str
    opened_on: date | None
    closed_on: date | None
    override_reason: str = Field(description="Lý do kết thúc khi còn vi phạm hoặc chưa quyết định.")
    created_at: datetime

    @staticmethod
    def resolve_period_label(obj: EvaluationRound) -> str:
        return obj.get_period_display()

    @staticmethod
    def resolve_state_label(obj: EvaluationRound) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_legal_basis(obj: EvaluationRound) -> str:
        return obj.legal_basis.label


class RoundOpenOut(Schema):
    round: RoundOut
    members: int = Field(description="Số đảng viên trong danh sách (tính tại ngày chốt).")
    ranked_members: int = Field(description="Số đảng viên thuộc diện xếp loại.")
    organizations: int = Field(description="Số tập thể (tổ chức đảng, tập thể cấp ủy) được xếp loại.")


class CloseIn(Schema):
    override_reason: str = Field(
        "", max_length=2000, description="Bắt buộc khi còn vi phạm quy định hoặc trường hợp chưa quyết định."
    )


class ReopenIn(Schema):
    reason: str = Field(max_length=2000, description="Lý do mở lại (bắt buộc, được lưu vào lịch sử).")


# --- Progress ----------------------------------------------------------------------------------


class ShareOut(Schema):
    level: Level
    label: str
    count: int
    share: float | None = Field(description="Tỷ lệ trên số đã có quyết định (0–1); null khi chưa có.")
    share_text: str = Field(description="Tỷ lệ dạng 78,56%.")


class ProgressRowOut(Schema):
    total: int = Field(description="Số đảng viên trong danh sách.")
    rankable: int = Field(description="Số thuộc diện xếp loại.")
    self_assessed: int
    proposed: int
    voted: int
    decided: int
    reviewed_text: str = Field(description="«x/y (tỷ lệ)»: đã có quyết định / thuộc diện xếp loại.")
    distribution: list[ShareOut]


class ProgressChildOut(Schema):
    organization: OrganizationRef
    row: ProgressRowOut


class ViolationOut(Schema):
    code: str = Field(description="score_level, disciplined, collective_discipline, exceeded_share, cap.")
    message: str
    organization_id: int
    member_rating_id: int | None
    organization_rating_id: int | None


class CollectivesOut(Schema):
    total: int
    proposed: int
    decided: int
    distribution: list[ShareOut]


class ProgressOut(Schema):
    round_id: int
    organization: OrganizationRef
    total: ProgressRowOut
    own: ProgressRowOut | None = Field(description="Đảng viên sinh hoạt trực tiếp ở tổ chức này.")
    children: list[ProgressChildOut]
    organizations: CollectivesOut = Field(description="Xếp loại các tổ chức đảng thuộc tổ chức này.")
    violations: list[ViolationOut]
    excellent_cap: str = Field(description="Giới hạn tỷ lệ HTXS đang áp dụng cho đợt.")


def _distribution(row: dict[str, int]) -> list[dict[str, Any]]:
    decided = row.get("decided", 0)
    return [
        {
            "level": level,
            "label": level.label,
            "count": row.get(level.value, 0),
            "share": row.get(level.value, 0) / decided if decided else None,
            "share_text": fmt_percent(row.get(level.value, 0), decided),
        }
        for level in LEVEL_ORDER
    ]


def progress_row(row: dict[str, int] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    keys = ("total", "rankable", "self_assessed", "proposed", "voted", "decided")
    return {
        **{k: row.get(k, 0) for k in keys},
        "reviewed_text": fmt_progress(row.get("decided", 0), row.get("rankable", 0)),
        "distribution": _distribution(row),
    }


def collectives(row: dict[str, int]) -> dict[str, Any]:
    return {
        "total": row.get("total", 0),
        "proposed": row.get("proposed", 0),
        "decided": row.get("decided", 0),
        "distribution": _distribution(row),
    }


# --- Member ratings ----------------------------------------------------------------------------


class RatingFilter(Schema):
    organization: int | None = Field(
        None, description="Tổ chức (id); gồm cả tổ chức trực thuộc. Mặc định: tổ chức cao nhất bạn thấy."
    )
    pending: bool = Field(False, description="true: chỉ những người chưa có quyết định hoặc không xếp loại.")


class MemberRatingOut(Schema):
    id: int
    member: MemberRef
    organization: OrganizationRef
    probationary: bool
    ranked: bool = Field(description="false: không thuộc diện xếp loại (xem not_ranked_reason).")
    not_ranked_reason: str
    disciplined: bool = Field(description="Bị kỷ luật trong kỳ đánh giá.")
    self_score: int | None
    self_level: LevelOrBlank
    strengths: str
    shortcomings: str
    remedies: str
    self_submitted_at: datetime | None
    score: int | None = Field(description="Điểm chi ủy chấm.")
    proposed_level: LevelOrBlank
    proposed_at: datetime | None
    votes_for: int | None
    votes_total: int | None
    voted_at: datetime | None
    decided_level: LevelOrBlank = Field(description="Mức xếp loại cuối cùng (cấp có thẩm quyền quyết định).")
    decided_level_label: str
    decided_at: datetime | None
    decision_ref: str
    note: str
    missing: str = Field(description="Vì sao chưa có mức xếp loại cuối cùng; rỗng khi đã có.")

    @staticmethod
    def resolve_decided_level_label(obj: MemberRating) -> str:
        return level_label(obj.decided_level)

    @staticmethod
    def resolve_missing(obj: MemberRating) -> str:
        from .selectors import missing_reason

        return missing_reason(obj)


class SelfAssessmentIn(Schema):
    self_score: int = Field(description="Điểm tự chấm, 0–100.")
    self_level: Level = Field(description="Mức tự xếp loại: htxs, htt, ht, kht.")
    strengths: str = Field("", max_length=5000)
    shortcomings: str = Field("", max_length=5000)
    remedies: str = Field("", max_length=5000)


class ProposalItem(Schema):
    rating: int = Field(description="Id xếp loại đảng viên (MemberRating) trong đợt.")
    level: LevelOrBlank = Field(description="Mức chi ủy đề xuất; rỗng để xóa đề xuất.")
    score: int | None = Field(None, description="Điểm chi ủy chấm, 0–100.")
    note: str = Field("", max_length=500)


class ProposalsIn(Schema):
    proposals: list[ProposalItem] = Field(min_length=1)


class VoteItem(Schema):
    rating: int
    votes_for: int = Field(description="Số phiếu tán thành.")
    votes_total: int = Field(description="Số đảng viên biểu quyết.")


class VotesIn(Schema):
    votes: list[VoteItem] = Field(min_length=1)


class DecisionItem(Schema):
    rating: int
    level: Level


class DecisionsIn(Schema):
    decisions: list[DecisionItem] = Field(min_length=1)
    decision_ref: str = Field("", max_length=120, description="Số quyết định công nhận.")


# --- Collective ratings ------------------------------------------------------------------------


class OrganizationRatingOut(Schema):
    id: int
    organization: OrganizationRef
    subject: Subject
    subject_label: str
    score: int | None
    exceeded_share: int | None = Field(description="Tỷ lệ chỉ tiêu, nhiệm vụ vượt kế hoạch (%).")
    subordinate_disciplined: bool
    leadership_disciplined: bool
    report: str
    proposed_level: LevelOrBlank
    proposed_at: datetime | None
    decided_level: LevelOrBlank
    decided_level_label: str
    decided_at: datetime | None
    decision_ref: str

    @staticmethod
    def resolve_subject_label(obj: OrganizationRating) -> str:
        return obj.get_subject_display()

    @staticmethod
    def resolve_decided_level_label(obj: OrganizationRating) -> str:
        return level_label(obj.decided_level)


class OrganizationProposalIn(Schema):
    level: Level
    score: int | None = Field(None, description="Điểm, 0–100.")
    exceeded_share: int | None = Field(None, description="Tỷ lệ chỉ tiêu, nhiệm vụ vượt kế hoạch (%).")
    subordinate_disciplined: bool = False
    leadership_disciplined: bool = False
    report: str = Field("", max_length=10000, description="Tóm tắt báo cáo kiểm điểm (Mẫu 01).")


class OrganizationDecisionIn(Schema):
    level: Level
    decision_ref: str = Field("", max_length=120)
