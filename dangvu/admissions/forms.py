"""Forms of the party-development pages. They parse input; the services check the rules and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangvu.members.choices import ETHNICITY_CHOICES, Education, Gender, Occupation, Religion
from dangvu.members.forms import special_case_fields
from dangvu.members.models import Member
from dangvu.organizations.forms import BootstrapFormMixin, VnDateField, add_service_errors
from dangvu.organizations.models import Organization

from .choices import Segment, Stage
from .models import Candidate

__all__ = ["add_service_errors"]

#: The stages a user records, by their URL slug (`admissions:candidate_stage`), in pipeline order.
# What each stage's form records, as the heading of the form and the message after it.
STAGE_ACTIONS: dict[str, str] = {
    "class": "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng",
    "sponsors": "Phân công người giới thiệu",
    "verify": "Kết quả thẩm tra lý lịch",
    "cell_vote": "Chi bộ biểu quyết đề nghị kết nạp",
    "base_resolve": "Nghị quyết của đảng ủy cơ sở",
    "decide": "Quyết định kết nạp",
    "admit": "Lễ kết nạp",
}
STAGE_SLUGS: dict[str, str] = {
    "class": Stage.CLASS,
    "sponsors": Stage.SPONSORED,
    "verify": Stage.VERIFIED,
    "cell_vote": Stage.CELL_VOTED,
    "base_resolve": Stage.BASE_RESOLVED,
    "decide": Stage.DECIDED,
    "admit": Stage.ADMITTED,
}
SLUG_OF_STAGE = {stage: slug for slug, stage in STAGE_SLUGS.items()}


def _text(label: str, *, required: bool = False, max_length: int = 255, **attrs: str) -> forms.CharField:
    field = forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=attrs)
    )
    if required:
        field.error_messages["required"] = f"Hãy nhập {label[0].lower()}{label[1:]}."
    return field


def _date(label: str, *, required: bool = True, help_text: str = "") -> VnDateField:
    field = VnDateField(label=label, required=required, help_text=help_text)
    if required:
        field.error_messages["required"] = f"Hãy nhập {label[0].lower()}{label[1:]} (dd/mm/yyyy)."
    return field


def _count(label: str, *, min_value: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=32767,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": min_value}),
        error_messages={
            "required": f"Hãy nhập {label[0].lower()}{label[1:]}.",
            "invalid": f"{label}: phải là số nguyên.",
            "min_value": f"{label}: không được nhỏ hơn {min_value}.",
            "max_value": f"{label}: số quá lớn.",
        },
    )


# ---------------------------------------------------------------------------------------------
# Candidates


class CandidateFilterForm(BootstrapFormMixin, forms.Form):
    """The candidate list's filter: stage and a name typed with or without diacritics."""

    ACTIVE = ""
    ALL = "all"
    q = forms.CharField(
        label="Tìm theo tên",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Họ tên, gõ có hoặc không dấu"}),
    )
    giai_doan = forms.ChoiceField(
        label="Giai đoạn",
        required=False,
        choices=[(ACTIVE, "Đang xem xét (chưa kết nạp)"), *Stage.choices, (ALL, "Tất cả")],
    )


PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "occupation",
    "workplace",
    "education",
    "home_town",
    "permanent_address",
    "youth_union",
)


class CandidateForm(BootstrapFormMixin, forms.Form):
    """A new candidate (quần chúng ưu tú): the person, the cell, the day the cell listed them."""

    organization = forms.ModelChoiceField(
        label="Chi bộ",
        queryset=Organization.objects.none(),
        empty_label="— Chọn chi bộ —",
        error_messages={
            "required": "Hãy chọn chi bộ giới thiệu quần chúng.",
            "invalid_choice": "Chi bộ này không có trong danh sách được chọn.",
        },
    )
    full_name = _text("Họ và tên", required=True, max_length=120, autocomplete="off")
    gender = forms.ChoiceField(
        label="Giới tính",
        choices=[("", "—"), *Gender.choices],
        error_messages={"required": "Hãy chọn giới tính."},
    )
    birth_date = VnDateField(
        label="Ngày sinh", error_messages={"required": "Hãy nhập ngày sinh (dd/mm/yyyy)."}
    )
    ethnicity = forms.ChoiceField(label="Dân tộc", choices=ETHNICITY_CHOICES, initial="01")
    religion = forms.ChoiceField(label="Tôn giáo", choices=Religion.choices, initial=Religion.NONE)
    citizen_id = _text("Số CCCD", max_length=12, inputmode="numeric", autocomplete="off")
    phone = _text("Điện thoại", max_length=20, inputmode="tel")
    occupation = forms.ChoiceField(
        label="Nghề nghiệp", required=False, choices=[("", "—"), *Occupation.choices]
    )
    workplace = _text("Nơi làm việc")
    education = forms.ChoiceField(
        label="Giáo dục phổ thông", required=False, choices=[("", "—"), *Education.choices]
    )
    home_town = _text("Quê quán")
    permanent_address = _text("Nơi thường trú")
    youth_union = forms.BooleanField(label="Là đoàn viên thanh niên", required=False)
    listed_on = _date(
        "Ngày được giới thiệu là quần chúng ưu tú",
        help_text="Ngày chi bộ đưa vào danh sách quần chúng ưu tú, cảm tình Đảng.",
    )

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cells
        self.fields["organization"].label_from_instance = lambda o: o.name
        self.fields["citizen_id"].help_text = "12 chữ số; để trống nếu chưa có."
        if not self.is_bound:
            self.fields["listed_on"].initial = timezone.localdate()

    def clean_citizen_id(self) -> str:
        value = self.cleaned_data["citizen_id"].replace(" ", "")
        if value and not (len(value) == 12 and value.isdigit()):
            raise forms.ValidationError("Số CCCD gồm đúng 12 chữ số.")
        return value

    def person(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class CandidateEditForm(CandidateForm):
    """A correction of a candidate's record: the same fields but the cell (a candidate moving to
    another cell is listed there anew), with the reason kept in the history."""

    reason = _text("Lý do sửa", required=True, max_length=90)

    def __init__(self, *args: Any, candidate: Candidate, **kwargs: Any) -> None:
        initial = {name: getattr(candidate, name) for name in PERSON_FIELDS}
        initial["listed_on"] = candidate.listed_on
        super().__init__(*args, cells=Organization.objects.none(), initial=initial, **kwargs)
        del self.fields["organization"]
        self.fields["reason"].widget.attrs["placeholder"] = "Ví dụ: nhập nhầm ngày sinh"

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the record, for `services.candidate_update`."""
        data = {name: self.cleaned_data[name] for name in (*PERSON_FIELDS, "listed_on")}
        return {k: v for k, v in data.items() if v != self.initial.get(k)}


# ---------------------------------------------------------------------------------------------
# One form per stage


class ClassForm(BootstrapFormMixin, forms.Form):
    certificate_no = _text("Số giấy chứng nhận", required=True, max_length=60, autocomplete="off")
    certified_on = _date("Ngày cấp giấy chứng nhận")

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class SponsorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        born = f", sinh {obj.birth_date.year}" if obj.birth_date else ""
        return f"{obj.full_name}{born} ({obj.organization.name})"


class SponsorsForm(BootstrapFormMixin, forms.Form):
    """Two official members who worked with the candidate ≥ 12 months; a Youth Union resolution
    may replace the second."""

    assigned_on = _date("Ngày chi bộ phân công người giới thiệu")
    sponsor_1 = SponsorChoiceField(
        label="Người giới thiệu thứ nhất",
        queryset=Member.objects.none(),
        empty_label="— Chọn đảng viên chính thức —",
        error_messages={
            "required": "Hãy chọn người giới thiệu thứ nhất.",
            "invalid_choice": "Người giới thiệu phải là đảng viên chính thức của chi bộ.",
        },
    )
    sponsor_1_since = _date(
        "Cùng công tác, học tập từ ngày", help_text="Ít nhất 12 tháng trước ngày phân công."
    )
    sponsor_2 = SponsorChoiceField(
        label="Người giới thiệu thứ hai",
        required=False,
        queryset=Member.objects.none(),
        empty_label="— Không (có nghị quyết của Đoàn) —",
        error_messages={"invalid_choice": "Người giới thiệu phải là đảng viên chính thức của chi bộ."},
    )
    sponsor_2_since = _date("Cùng công tác, học tập từ ngày (người thứ hai)", required=False)
    youth_union_resolution = _text(
        "Nghị quyết giới thiệu của Đoàn",
        max_length=120,
        placeholder="Ví dụ: 05-NQ/ĐTN",
    )

    def __init__(self, *args: Any, sponsors: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor_1"].queryset = sponsors
        self.fields["sponsor_2"].queryset = sponsors
        self.fields[
            "youth_union_resolution"
        ].help_text = "Đoàn viên thanh niên: nghị quyết của Đoàn thay cho một người giới thiệu."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        s1, s2 = data.get("sponsor_1"), data.get("sponsor_2")
        if s1 and s2 and s1.pk == s2.pk:
            self.add_error("sponsor_2", "Hai người giới thiệu phải là hai đảng viên khác nhau.")
        if s2 and not data.get("sponsor_2_since"):
            self.add_error(
                "sponsor_2_since", "Hãy nhập ngày bắt đầu cùng công tác với người giới thiệu thứ hai."
            )
        if not s2 and not data.get("youth_union_resolution") and "sponsor_2" not in self.errors:
            self.add_error(
                "sponsor_2",
                "Cần người giới thiệu thứ hai, hoặc nghị quyết giới thiệu của Đoàn thay cho người đó.",
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class VerifyForm(BootstrapFormMixin, forms.Form):
    verified_on = _date("Ngày hoàn thành thẩm tra lý lịch")
    note = _text("Kết quả thẩm tra", max_length=300)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CellVoteForm(BootstrapFormMixin, forms.Form):
    voted_on = _date("Ngày chi bộ họp xét, biểu quyết")
    official_members = _count("Số đảng viên chính thức của chi bộ", min_value=1)
    votes_for = _count("Số đảng viên chính thức tán thành")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "official_members"
        ].help_text = (
            "Trừ đảng viên đang sinh hoạt tạm thời nơi khác và đảng viên được miễn sinh hoạt vắng mặt."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        n, yes = data.get("official_members"), data.get("votes_for")
        if n is not None and yes is not None and yes > n:
            self.add_error("votes_for", "Số tán thành không thể lớn hơn số đảng viên chính thức của chi bộ.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class BaseResolveForm(BootstrapFormMixin, forms.Form):
    resolved_on = _date("Ngày đảng ủy cơ sở xét, đề nghị")
    resolution_ref = _text("Số nghị quyết của đảng ủy cơ sở", required=True, max_length=120)

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class DecideForm(BootstrapFormMixin, forms.Form):
    decided_on = _date("Ngày quyết định kết nạp")
    decision_ref = _text(
        "Số quyết định kết nạp", required=True, max_length=120, placeholder="Ví dụ: 125-QĐ/ĐU"
    )
    received_on = _date(
        "Ngày chi bộ nhận quyết định",
        required=False,
        help_text="Hạn tổ chức lễ kết nạp tính từ ngày này; để trống nếu là ngày quyết định.",
    )

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AdmitForm(BootstrapFormMixin, forms.Form):
    ceremony_on = _date("Ngày tổ chức lễ kết nạp")
    dossier_number = _text("Số lý lịch đảng viên", max_length=30, autocomplete="off")
    card_number = _text("Số thẻ đảng viên", max_length=8, inputmode="numeric", autocomplete="off")

    def __init__(self, *args: Any, over_age: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        special = special_case_fields()
        # The provincial consent concerns only someone past 60 at the cell's vote (DOMAIN.md §1.1).
        names = ["ceremony_late_consent"]
        if over_age:
            names += ["over_age_consent_ref", "over_age_consent_date"]
        for name in names:
            self.fields[name] = special[name]
        self.fields["card_number"].help_text = "8 chữ số; để trống nếu chưa cấp thẻ."

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        extra = {
            k: v
            for k, v in (("dossier_number", d["dossier_number"]), ("card_number", d["card_number"].strip()))
            if v
        }
        return {
            "ceremony_on": d["ceremony_on"],
            "ceremony_late_consent": d.get("ceremony_late_consent") or "",
            "over_age_consent_ref": d.get("over_age_consent_ref") or "",
            "over_age_consent_date": d.get("over_age_consent_date"),
            "extra": extra or None,
        }


class WithdrawForm(BootstrapFormMixin, forms.Form):
    withdrawn_on = _date("Ngày dừng xem xét")
    reason = forms.CharField(
        label="Lý do dừng xem xét",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Dừng xem xét phải ghi lý do."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["withdrawn_on"].initial = timezone.localdate()


def add_correction_reason(form: forms.Form) -> None:
    """A stage recorded again is a correction: the form asks why (kept in the history)."""
    form.fields["reason"] = forms.CharField(
        label="Lý do sửa",
        max_length=90,
        help_text="Lưu trong lịch sử ghi nhận của người vào Đảng.",
        # Added after BootstrapFormMixin styled the others: its class is set here.
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "Ví dụ: nhập nhầm ngày", "autocomplete": "off"}
        ),
        error_messages={
            "required": "Sửa bước đã ghi phải nêu lý do sửa.",
            "max_length": "Lý do sửa dài tối đa 90 ký tự.",
        },
    )


def recorded_values(c: Any, slug: str) -> dict[str, Any]:
    """What is recorded for a stage, as the initial values of its form (for a correction)."""
    if slug == "class":
        return {"certificate_no": c.class_certificate_no, "certified_on": c.class_certified_on}
    if slug == "sponsors":
        return {
            "assigned_on": c.sponsors_assigned_on,
            "sponsor_1": c.sponsor_1_id,
            "sponsor_1_since": c.sponsor_1_since,
            "sponsor_2": c.sponsor_2_id,
            "sponsor_2_since": c.sponsor_2_since,
            "youth_union_resolution": c.youth_union_resolution,
        }
    if slug == "verify":
        return {"verified_on": c.verified_on, "note": c.verification_note}
    if slug == "cell_vote":
        return {
            "voted_on": c.cell_voted_on,
            "official_members": c.cell_official_members,
            "votes_for": c.cell_votes_for,
        }
    if slug == "base_resolve":
        return {"resolved_on": c.base_resolved_on, "resolution_ref": c.base_resolution_ref}
    if slug == "decide":
        return {
            "decided_on": c.decided_on,
            "decision_ref": c.decision_ref,
            "received_on": c.decision_received_on,
        }
    return {}


STAGE_FORMS: dict[str, type[forms.Form]] = {
    "class": ClassForm,
    "sponsors": SponsorsForm,
    "verify": VerifyForm,
    "cell_vote": CellVoteForm,
    "base_resolve": BaseResolveForm,
    "decide": DecideForm,
    "admit": AdmitForm,
}


# ---------------------------------------------------------------------------------------------
# The target grid: one row per organization, one input per segment


TARGET_SEGMENTS = list(Segment)


@dataclass
class GridCell:
    segment: str
    stored: int | None
    typed: str
    error: str = ""

    @property
    def label(self) -> str:
        return Segment(self.segment).label


@dataclass
class GridRow:
    org: Organization
    cells: list[GridCell]
    editable: bool = True
    is_own: bool = False

    def cell(self, segment: str) -> GridCell:
        return next(c for c in self.cells if c.segment == segment)

    @property
    def error(self) -> bool:
        return any(c.error for c in self.cells)


@dataclass
class TargetGrid:
    rows: list[GridRow]
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(r.error for r in self.rows)


def input_name(org_pk: int, segment: str) -> str:
    return f"t-{org_pk}-{segment}"


def target_grid(rows: list[tuple[Organization, dict[str, int], bool, bool]]) -> TargetGrid:
    """The grid as stored: (organization, {segment: target}, editable, is_own) per row."""
    return TargetGrid(
        rows=[
            GridRow(
                org=org,
                cells=[
                    GridCell(
                        s.value,
                        stored.get(s.value),
                        "" if stored.get(s.value) is None else str(stored[s.value]),
                    )
                    for s in TARGET_SEGMENTS
                ],
                editable=editable,
                is_own=is_own,
            )
            for org, stored, editable, is_own in rows
        ]
    )


def parse_grid(post: Any, grid: TargetGrid) -> TargetGrid:
    """Read the typed targets into `grid` and list what changed.

    A blank cell that had a target withdraws it (target 0, kept in history); a blank cell that had
    none stays unset. A segment's target cannot exceed the row's total.
    """
    for row in grid.rows:
        if not row.editable:
            continue
        values: dict[str, int | None] = {}
        for cell in row.cells:
            cell.typed = post.get(input_name(row.org.pk, cell.segment), "").strip().replace(".", "")
            label = Segment(cell.segment).label
            if not cell.typed:
                values[cell.segment] = None
                continue
            if not cell.typed.isdigit():
                cell.error = f"{row.org.name}, {label.lower()}: chỉ tiêu phải là số nguyên không âm."
                continue
            values[cell.segment] = int(cell.typed)
            if values[cell.segment] > 100000:
                cell.error = f"{row.org.name}, {label.lower()}: số quá lớn."
        total = values.get(Segment.TOTAL)
        for cell in row.cells:
            value = values.get(cell.segment)
            if cell.error or cell.segment == Segment.TOTAL or value is None:
                continue
            if total is None:
                cell.error = f"{row.org.name}: hãy nhập chỉ tiêu tổng số trước khi giao theo đối tượng."
            elif value > total:
                cell.error = (
                    f"{row.org.name}, {Segment(cell.segment).label.lower()}: chỉ tiêu {value} lớn hơn "
                    f"chỉ tiêu tổng số {total}."
                )
        if row.error:
            continue
        for cell in row.cells:
            value = values.get(cell.segment)
            if value is None and not cell.stored:
                continue
            new = 0 if value is None else value
            if new != cell.stored:
                grid.changes.append(
                    {"organization": row.org, "segment": cell.segment, "target": new, "stored": cell.stored}
                )
    return grid


def apply_grid_error(grid: TargetGrid, org_pk: int, segment: str, message: str) -> bool:
    """Put a service's refusal on its cell; False if the cell is not in the grid."""
    for row in grid.rows:
        if row.org.pk == org_pk:
            row.cell(segment).error = message
            return True
    return False


class TargetMetaForm(BootstrapFormMixin, forms.Form):
    decision_ref = _text("Văn bản giao chỉ tiêu", max_length=120, placeholder="Ví dụ: 15-KH/ĐU")
    note = _text("Ghi chú", max_length=300)
