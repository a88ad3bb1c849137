"""Forms of the evaluation pages. They parse input; the services check the rules and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangvu.organizations.forms import BootstrapFormMixin, VnDateField, add_service_errors
from dangvu.organizations.models import Organization

from .choices import Level, Period
from .models import MemberRating

__all__ = ["add_service_errors"]

LEVEL_CHOICES = [("", "— Chọn mức —"), *Level.choices]
QUARTERS = [("", "—"), *((str(q), f"Quý {q}") for q in range(1, 5))]


def _textarea(label: str, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=4000, widget=forms.Textarea(attrs={"rows": rows})
    )


class RoundCreateForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="Tổ chức mở đợt", queryset=Organization.objects.none(), empty_label=None
    )
    period = forms.ChoiceField(label="Kỳ đánh giá", choices=Period.choices, initial=Period.YEAR)
    year = forms.IntegerField(
        label="Năm",
        error_messages={"invalid": "Năm phải là số, ví dụ 2026.", "required": "Hãy nhập năm đánh giá."},
    )
    quarter = forms.TypedChoiceField(
        label="Quý", choices=QUARTERS, coerce=int, empty_value=None, required=False
    )
    period_start = VnDateField(label="Từ ngày (nhiệm kỳ)", required=False)
    period_end = VnDateField(label="Đến ngày (nhiệm kỳ)", required=False)
    reference_date = VnDateField(
        label="Ngày chốt danh sách",
        required=False,
        help_text=(
            "Đảng viên, tổ chức có tại ngày này được đưa vào danh sách. Để trống: cuối kỳ hoặc hôm nay."
        ),
    )
    member_deadline = VnDateField(label="Hạn đảng viên tự đánh giá", required=False)
    cell_deadline = VnDateField(label="Hạn chi bộ đề xuất, biểu quyết", required=False)
    decision_deadline = VnDateField(label="Hạn cấp có thẩm quyền quyết định", required=False)
    name = forms.CharField(
        label="Tên đợt", required=False, max_length=200, help_text="Để trống để đặt tên theo kỳ và tổ chức."
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda o: o.name
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("period") == Period.QUARTER and not data.get("quarter"):
            self.add_error("quarter", "Hãy chọn quý.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        return {**d, "name": d.get("name") or ""}


class CloseForm(BootstrapFormMixin, forms.Form):
    override_reason = _textarea("Lý do kết thúc khi còn vi phạm hoặc chưa quyết định xong", rows=2)


class ReopenForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label="Lý do mở lại",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Mở lại đợt đánh giá phải ghi lý do."},
    )


class SelfAssessForm(BootstrapFormMixin, forms.Form):
    self_score = forms.IntegerField(
        label="Điểm tự chấm (0–100)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Hãy tự chấm điểm (0–100).",
            "invalid": "Điểm phải là số nguyên từ 0 đến 100.",
            "min_value": "Điểm phải từ 0 đến 100.",
            "max_value": "Điểm phải từ 0 đến 100.",
        },
    )
    self_level = forms.ChoiceField(
        label="Tự xếp loại", choices=LEVEL_CHOICES, error_messages={"required": "Hãy chọn mức xếp loại."}
    )
    strengths = _textarea("Ưu điểm")
    shortcomings = _textarea("Hạn chế, khuyết điểm")
    remedies = _textarea("Biện pháp khắc phục")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["self_score"].widget.attrs.update({"inputmode": "numeric", "min": 0, "max": 100})


class CollectiveProposeForm(BootstrapFormMixin, forms.Form):
    level = forms.ChoiceField(label="Mức đề xuất", choices=LEVEL_CHOICES)
    score = forms.IntegerField(label="Điểm tự chấm (0–100)", min_value=0, max_value=100, required=False)
    exceeded_share = forms.IntegerField(
        label="Tỷ lệ chỉ tiêu, nhiệm vụ vượt kế hoạch (%)", min_value=0, max_value=100, required=False
    )
    subordinate_disciplined = forms.BooleanField(label="Có tổ chức trực thuộc bị kỷ luật", required=False)
    leadership_disciplined = forms.BooleanField(label="Có cấp ủy viên bị kỷ luật", required=False)
    report = _textarea("Tóm tắt báo cáo kiểm điểm (Mẫu 01)")


class CollectiveDecideForm(BootstrapFormMixin, forms.Form):
    level = forms.ChoiceField(label="Mức quyết định", choices=LEVEL_CHOICES)
    decision_ref = forms.CharField(label="Số quyết định", required=False, max_length=120)


# ---------------------------------------------------------------------------------------------
# The cell secretary's table: one row per member, parsed here, checked by the services.


@dataclass
class CellRow:
    """One member's row of the secretary's table: the stored rating and what was typed."""

    rating: MemberRating
    score: str = ""
    level: str = ""
    note: str = ""
    votes_for: str = ""
    votes_total: str = ""
    error: str = ""
    editable: bool = True

    @property
    def pk(self) -> int:
        return self.rating.pk


@dataclass
class CellSubmission:
    rows: list[CellRow]
    proposals: list[dict[str, Any]] = field(default_factory=list)
    votes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _blank(v: Any) -> str:
    return "" if v is None else str(v)


def cell_rows(ratings: list[MemberRating]) -> list[CellRow]:
    """The rows as stored (what the screen shows before anything is typed)."""
    return [
        CellRow(
            rating=r,
            score=_blank(r.score),
            level=r.proposed_level,
            note=r.note,
            votes_for=_blank(r.votes_for),
            votes_total=_blank(r.votes_total),
            editable=r.ranked and not r.decided_level,
        )
        for r in ratings
    ]


def parse_cell(post: Any, ratings: list[MemberRating]) -> CellSubmission:
    """Read the table. A row enters the proposals when something is typed in it (or it had a proposal,
    so clearing it is possible); its vote when both numbers are given, or the "for all rows" numbers
    fill its blank vote."""
    all_for, all_total = post.get("all_for", "").strip(), post.get("all_total", "").strip()
    rows = cell_rows(ratings)
    sub = CellSubmission(rows=rows)
    for row in rows:
        if not row.editable:
            continue
        pk = row.pk
        row.score = post.get(f"score-{pk}", "").strip()
        row.level = post.get(f"level-{pk}", "").strip()
        row.note = post.get(f"note-{pk}", "").strip()
        row.votes_for = post.get(f"for-{pk}", "").strip()
        row.votes_total = post.get(f"total-{pk}", "").strip()
        if row.level and not (row.votes_for or row.votes_total) and (all_for or all_total):
            row.votes_for, row.votes_total = all_for, all_total
        if row.score or row.level or row.note or row.rating.proposed_level:
            sub.proposals.append({"rating": pk, "level": row.level, "score": row.score, "note": row.note})
        if row.votes_for or row.votes_total:
            if not (row.votes_for and row.votes_total):
                row.error = f"{row.rating.member}: hãy nhập cả số phiếu tán thành và số đảng viên biểu quyết."
                continue
            sub.votes.append({"rating": pk, "votes_for": row.votes_for, "votes_total": row.votes_total})
    return sub


def apply_row_errors(rows: list[CellRow], errors: dict[str, list[str]]) -> list[str]:
    """Put `rating-<id>` errors on their rows; return the others (for the top of the form)."""
    by_key = {f"rating-{row.pk}": row for row in rows}
    rest = []
    for key, messages in errors.items():
        row = by_key.get(key)
        if row is not None:
            row.error = row.error or messages[0]
        else:
            rest.extend(messages)
    return rest
