"""Forms of the congress pages. They parse input; the services check the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from dangvu.members.models import Member
from dangvu.organizations.forms import BootstrapFormMixin, VnDateField, add_service_errors
from dangvu.organizations.models import Organization

from .choices import DocumentKind, Level, Position

__all__ = ["add_service_errors"]

YEAR_ERRORS = {
    "invalid": "Năm phải là số, ví dụ 2025.",
    "min_value": "Năm không hợp lệ.",
    "max_value": "Năm không hợp lệ.",
}
COUNT_ERRORS = {
    "invalid": "Phải là số nguyên không âm.",
    "min_value": "Không thể là số âm.",
}


def _textarea(
    label: str, *, required: bool = False, rows: int = 2, max_length: int = 500, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def _count(label: str, *, required: bool = True, required_message: str = "") -> forms.IntegerField:
    errors = dict(COUNT_ERRORS)
    if required_message:
        errors["required"] = required_message
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        error_messages=errors,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


class RoundCreateForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="Cấp chỉ đạo (tổ chức mở đợt)",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Hãy chọn tổ chức trong danh sách."},
    )
    level = forms.ChoiceField(
        label="Đại hội cấp",
        choices=Level.choices,
        initial=Level.CELL,
        help_text="Mỗi tổ chức thuộc cấp này trong phạm vi của cấp chỉ đạo có một dòng đại hội.",
    )
    term_start_year = forms.IntegerField(
        label="Nhiệm kỳ từ năm", min_value=1930, max_value=2100, error_messages=YEAR_ERRORS
    )
    term_end_year = forms.IntegerField(
        label="Nhiệm kỳ đến năm", min_value=1930, max_value=2100, error_messages=YEAR_ERRORS
    )
    pilot_five_year = forms.BooleanField(
        label="Thí điểm đại hội chi bộ 5 năm một lần (Quy định 294-QĐ/TW, từ 01/7/2025)", required=False
    )
    starts_on = VnDateField(label="Bắt đầu tổ chức từ ngày")
    deadline = VnDateField(label="Hoàn thành trước ngày")
    name = forms.CharField(
        label="Tên đợt",
        required=False,
        max_length=255,
        help_text=(
            "Để trống để đặt theo cấp và nhiệm kỳ, ví dụ «Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027»."
        ),
    )
    note = _textarea("Ghi chú", max_length=4000)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].label_from_instance = lambda o: o.name
        self.fields["term_start_year"].initial = timezone.localdate().year
        self.fields["term_start_year"].error_messages["required"] = "Hãy nhập năm bắt đầu nhiệm kỳ."
        self.fields["term_end_year"].error_messages["required"] = "Hãy nhập năm kết thúc nhiệm kỳ."
        self.fields["starts_on"].error_messages["required"] = "Hãy nhập ngày bắt đầu tổ chức đại hội."
        self.fields["deadline"].error_messages["required"] = "Hãy nhập hạn hoàn thành đại hội."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("term_start_year"), data.get("term_end_year")
        if start and end and end <= start:
            self.add_error("term_end_year", "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.")
        if data.get("starts_on") and data.get("deadline") and data["deadline"] < data["starts_on"]:
            self.add_error("deadline", "Hạn hoàn thành không thể trước ngày bắt đầu tổ chức.")
        if data.get("pilot_five_year") and data.get("level") != Level.CELL:
            self.add_error(
                "pilot_five_year", "Thí điểm đại hội 5 năm một lần chỉ áp dụng cho chi bộ trực thuộc."
            )
        return data


class CloseForm(BootstrapFormMixin, forms.Form):
    reason = _textarea("Ghi chú khi kết thúc đợt")


class PlanForm(BootstrapFormMixin, forms.Form):
    planned_on = VnDateField(
        label="Dự kiến tổ chức ngày", error_messages={"required": "Hãy nhập ngày dự kiến tổ chức đại hội."}
    )
    pilot = forms.BooleanField(label="Đại hội điểm (cấp trên chọn làm điểm)", required=False)
    reason = _textarea("Lý do thay đổi", help_text="Ghi khi đổi ngày đã dự kiến.")


class ExcludeForm(BootstrapFormMixin, forms.Form):
    reason = _textarea(
        "Lý do không tính vào tổng số",
        required=True,
        max_length=300,
        error_messages={"required": "Hãy ghi lý do không tính (ví dụ: giải thể, hợp nhất trước đại hội)."},
    )


class IncludeForm(BootstrapFormMixin, forms.Form):
    reason = _textarea("Lý do tính lại", max_length=300)


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    title = forms.CharField(
        label="Trích yếu", max_length=300, error_messages={"required": "Hãy nhập trích yếu văn bản."}
    )
    signed_on = VnDateField(label="Ngày ký", required=False)
    file = forms.FileField(
        label="Tệp (pdf, docx, doc, xlsx, jpg, png; tối đa 20 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.doc,.xlsx,.jpg,.jpeg,.png"}),
    )


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = _textarea(
        "Lý do thu hồi", required=True, error_messages={"required": "Hãy ghi lý do thu hồi văn bản."}
    )


# ---------------------------------------------------------------------------------------------
# The result of a congress: the main figures and one row per elected seat.


class RecordForm(BootstrapFormMixin, forms.Form):
    held_on = VnDateField(
        label="Đã tổ chức ngày", error_messages={"required": "Hãy nhập ngày tổ chức đại hội."}
    )
    summoned = _count(
        "Số đại biểu, đảng viên được triệu tập",
        required_message="Hãy nhập số đại biểu, đảng viên được triệu tập.",
    )
    attending = _count("Số có mặt", required_message="Hãy nhập số đại biểu, đảng viên có mặt.")
    official_members = _count(
        "Số đảng viên chính thức của tổ chức",
        required=False,
        required_message="",
    )
    delegate_congress = forms.BooleanField(
        label="Đại hội đại biểu (không chọn: đại hội đảng viên)", required=False
    )
    pilot = forms.BooleanField(label="Đại hội điểm", required=False)
    secretary_elected_directly = forms.BooleanField(label="Bí thư do đại hội bầu trực tiếp", required=False)
    note = _textarea("Ghi chú", max_length=4000)
    reason = _textarea("Lý do sửa kết quả", help_text="Bắt buộc khi sửa kết quả đã ghi.")

    def __init__(self, *args: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        self.fields["official_members"].help_text = (
            "Lấy từ số liệu thống kê hôm nay; sửa theo số thực tế ngày đại hội. Căn cứ số lượng chi ủy "
            "(Điều lệ Đảng Điều 24)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.correcting and not (data.get("reason") or "").strip():
            self.add_error("reason", "Kết quả đại hội đã được ghi: sửa lại phải ghi lý do.")
        summoned, attending = data.get("summoned"), data.get("attending")
        if summoned is not None and attending is not None and attending > summoned:
            self.add_error("attending", "Số có mặt không thể lớn hơn số được triệu tập.")
        return data


FIRST_TIME_CHOICES = [("", "Theo lịch sử"), ("1", "Lần đầu"), ("0", "Tái cử")]
POSITION_CHOICES = [("", "— Chức vụ —"), *Position.choices]


def _seat_count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        error_messages=COUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "dv-num"}),
    )


class SeatForm(BootstrapFormMixin, forms.Form):
    """One elected seat: who, which position, the votes, and an age exception if any."""

    member = forms.ModelChoiceField(
        label="Đảng viên",
        queryset=Member.objects.none(),
        required=False,
        empty_label="— Chọn đảng viên —",
        error_messages={"invalid_choice": "Đảng viên này không sinh hoạt trong tổ chức."},
    )
    position = forms.ChoiceField(label="Chức vụ", choices=POSITION_CHOICES, required=False)
    votes_for = _seat_count("Số phiếu bầu vào cấp ủy")
    votes_valid = _seat_count("Số phiếu hợp lệ")
    position_votes_for = _seat_count("Số phiếu bầu chức vụ")
    position_votes_valid = _seat_count("Số phiếu hợp lệ bầu chức vụ")
    first_time = forms.ChoiceField(label="Lần đầu / tái cử", choices=FIRST_TIME_CHOICES, required=False)
    age_exception = forms.CharField(label="Lý do ngoại lệ về tuổi", required=False, max_length=300)

    def __init__(self, *args: Any, members: QuerySet[Member], labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members
        field.label_from_instance = lambda m: labels.get(m.pk, m.full_name)
        self.row_error = ""

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(name) not in (None, "") for name in self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.is_blank():
            return data
        if not data.get("member"):
            raise ValidationError("Hãy chọn đảng viên được bầu (hoặc xóa hết các ô của dòng này).")
        name = data["member"].full_name
        if not data.get("position"):
            raise ValidationError(f"{name}: hãy chọn chức vụ.")
        if data.get("votes_for") is None or data.get("votes_valid") is None:
            raise ValidationError(f"{name}: hãy nhập số phiếu bầu và số phiếu hợp lệ.")
        if data["votes_for"] > data["votes_valid"]:
            raise ValidationError(f"{name}: số phiếu bầu không thể lớn hơn số phiếu hợp lệ.")
        pf, pv = data.get("position_votes_for"), data.get("position_votes_valid")
        if (pf is None) != (pv is None):
            raise ValidationError(f"{name}: bầu chức vụ phải nhập cả số phiếu bầu và số phiếu hợp lệ.")
        if pf is not None and pv is not None and pf > pv:
            raise ValidationError(f"{name}: số phiếu bầu chức vụ không thể lớn hơn số phiếu hợp lệ.")
        return data


class BaseSeatFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "Biểu mẫu thiếu thông tin số dòng; hãy tải lại trang rồi nhập lại.",
        "too_many_forms": "Nhập không quá %(num)d người trúng cử.",
        "too_few_forms": "Hãy nhập ít nhất %(num)d người trúng cử.",
    }

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[int, int] = {}
        for i, form in enumerate(self.forms):
            member = form.cleaned_data.get("member") if form.cleaned_data else None
            if member is None:
                continue
            if member.pk in seen:
                form.add_error(
                    None, f"{member.full_name} đã có ở dòng {seen[member.pk] + 1}: mỗi người một dòng."
                )
            else:
                seen[member.pk] = i
        if not seen:
            raise ValidationError("Hãy nhập ít nhất một người trúng cử (bí thư).")


def seat_formset(extra: int) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        SeatForm, formset=BaseSeatFormSet, extra=extra, max_num=60, validate_max=True
    )
