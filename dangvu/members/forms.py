"""Forms of the member pages. They parse and validate input; the services check the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from dangvu.organizations.forms import BootstrapFormMixin, VnDateField, add_service_errors
from dangvu.organizations.models import Kind, Organization

from .choices import (
    ETHNICITY_CHOICES,
    Education,
    Gender,
    Occupation,
    Qualification,
    Religion,
    Status,
    TheoryLevel,
)
from .models import Member, Transfer

__all__ = ["add_service_errors"]

ANY = ("", "Tất cả")
AGE_BANDS = [
    ("-30", "Dưới 30 tuổi"),
    ("30-40", "Từ 30 đến 40 tuổi"),
    ("41-50", "Từ 41 đến 50 tuổi"),
    ("51-60", "Từ 51 đến 60 tuổi"),
    ("61-", "Trên 60 tuổi"),
]
# Organizations offered in the list's filter: the levels a person filters by. A cell or group can
# still be chosen through a link (?to_chuc=<id>), validated against the whole visible tree.
FILTER_KINDS = [k for k in Kind.values if k not in (Kind.CELL, Kind.PARTY_GROUP)]
FILTER_ORGS_SHOWN = 300
HOST_KINDS = [Kind.CELL, Kind.BASE_CELL, Kind.PARTY_GROUP, Kind.BASE_COMMITTEE, Kind.SUB_COMMITTEE]


def _text(label: str, *, required: bool = False, max_length: int = 255, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=attrs)
    )


def _reason(label: str = "Lý do", *, required: bool = True) -> forms.CharField:
    field = forms.CharField(
        label=label, required=required, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    field.error_messages["required"] = "Hãy ghi lý do."
    return field


def _choices(choices: Any, blank: str = "Tất cả") -> list[tuple[str, str]]:
    return [("", blank), *list(choices)]


class MemberFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label="Tìm đảng viên",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Họ tên (gõ không dấu cũng được), số CCCD hoặc số thẻ",
                "autocomplete": "off",
            }
        ),
    )
    to_chuc = forms.ModelChoiceField(
        label="Tổ chức đảng",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="Tất cả tổ chức trong phạm vi",
        error_messages={"invalid_choice": "Không có tổ chức này trong phạm vi của bạn."},
    )
    tinh_trang = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[
            ("", "Đảng viên (dự bị và chính thức)"),
            *Status.choices,
            ("all", "Tất cả, kể cả đã ra khỏi Đảng"),
        ],
    )
    gioi_tinh = forms.ChoiceField(label="Giới tính", required=False, choices=_choices(Gender.choices))
    do_tuoi = forms.ChoiceField(label="Độ tuổi", required=False, choices=_choices(AGE_BANDS))
    dan_toc = forms.ChoiceField(label="Dân tộc", required=False, choices=_choices(ETHNICITY_CHOICES))
    ton_giao = forms.ChoiceField(label="Tôn giáo", required=False, choices=_choices(Religion.choices))
    hoc_van = forms.ChoiceField(
        label="Giáo dục phổ thông", required=False, choices=_choices(Education.choices)
    )
    ly_luan = forms.ChoiceField(
        label="Lý luận chính trị", required=False, choices=_choices(TheoryLevel.choices)
    )
    nam_vao_dang = forms.IntegerField(
        label="Năm vào Đảng",
        required=False,
        min_value=1930,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "Ví dụ: 2015"}),
        error_messages={
            "invalid": "Năm vào Đảng phải là một số, ví dụ 2015.",
            "min_value": "Năm vào Đảng không thể trước năm 1930.",
            "max_value": "Năm vào Đảng không hợp lệ.",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        field = self.fields["to_chuc"]
        field.queryset = visible
        shown = list(visible.active().filter(kind__in=FILTER_KINDS).order_by("path")[:FILTER_ORGS_SHOWN])
        chosen = self.data.get("to_chuc")
        if chosen and str(chosen).isdigit() and all(str(o.pk) != str(chosen) for o in shown):
            shown += list(visible.filter(pk=chosen))
        depth0 = min((o.depth for o in shown), default=1)
        field.widget.choices = [("", field.empty_label)] + [
            (o.pk, "\u00a0\u00a0" * (o.depth - depth0) + o.name) for o in shown
        ]

    @property
    def advanced_used(self) -> bool:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        keys = ("gioi_tinh", "do_tuoi", "dan_toc", "ton_giao", "hoc_van", "ly_luan", "nam_vao_dang")
        return any(data.get(k) for k in keys)

    def selector_kwargs(self) -> dict[str, Any]:
        """The selector's keyword arguments for the valid filters (invalid ones are left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        status = data.get("tinh_trang") or None
        kwargs: dict[str, Any] = {
            "q": (data.get("q") or "").strip(),
            "organization": data["to_chuc"].pk if data.get("to_chuc") else None,
            "status": None if status == "all" else status,
            "include_inactive": status is not None,
            "gender": data.get("gioi_tinh") or None,
            "age_band": data.get("do_tuoi") or None,
            "ethnicity": data.get("dan_toc") or None,
            "religion": data.get("ton_giao") or None,
            "education": data.get("hoc_van") or None,
            "theory_level": data.get("ly_luan") or None,
            "admission_year": data.get("nam_vao_dang") or None,
        }
        return kwargs


# --- The member record ------------------------------------------------------------------------

IDENTITY_FIELDS = [
    "full_name", "other_names", "gender", "birth_date", "birth_place", "home_town",
    "ethnicity", "religion", "citizen_id", "phone", "email",
]  # fmt: skip
RESIDENCE_FIELDS = ["permanent_address", "current_address", "old_address"]
EDUCATION_FIELDS = [
    "occupation", "workplace", "education", "qualification", "theory_level", "foreign_language",
]  # fmt: skip
PARTY_FIELDS = [
    "dossier_number", "card_number", "admission_decision_date", "ceremony_date",
    "sponsor_1", "sponsor_2",
]  # fmt: skip
RECORD_FIELDS = IDENTITY_FIELDS + RESIDENCE_FIELDS + EDUCATION_FIELDS + PARTY_FIELDS
RECORD_SECTIONS = [
    ("Nhân thân", IDENTITY_FIELDS),
    ("Nơi cư trú", RESIDENCE_FIELDS),
    ("Học vấn, nghề nghiệp", EDUCATION_FIELDS),
    ("Thông tin đảng viên", PARTY_FIELDS),
]
DATE_FIELDS = {"birth_date", "admission_decision_date", "ceremony_date"}
CHOICE_FIELDS = {
    "gender": Gender.choices,
    "ethnicity": ETHNICITY_CHOICES,
    "religion": Religion.choices,
    "occupation": Occupation.choices,
    "education": Education.choices,
    "qualification": Qualification.choices,
    "theory_level": TheoryLevel.choices,
}
REQUIRED_FIELDS = {"full_name", "gender", "birth_date", "admission_decision_date", "ceremony_date"}


def _record_field(name: str) -> forms.Field:
    model_field = Member._meta.get_field(name)
    label = str(model_field.verbose_name)
    label = label[0].upper() + label[1:]
    required = name in REQUIRED_FIELDS
    if name in DATE_FIELDS:
        field: forms.Field = VnDateField(label=label, required=required)
        if name == "birth_date":
            field.validate = lambda value: forms.DateField.validate(field, value)  # born before 1930 is fine
    elif name in CHOICE_FIELDS:
        blank = [] if name in ("gender",) and required else [("", "—")]
        field = forms.ChoiceField(label=label, required=required, choices=blank + list(CHOICE_FIELDS[name]))
    elif name == "email":
        field = forms.EmailField(label=label, required=False)
    else:
        attrs = {"autocomplete": "off"}
        if name in ("citizen_id", "card_number", "phone"):
            attrs["inputmode"] = "numeric"
        field = _text(label, required=required, max_length=model_field.max_length, **attrs)
    if required:
        field.error_messages["required"] = f"Hãy nhập {label.lower()}."
    if model_field.help_text:
        field.help_text = model_field.help_text
    return field


class MemberRecordForm(BootstrapFormMixin, forms.Form):
    """The record fields of Mẫu 2-HSĐV. The services check the rules (age, CCCD, card number)."""

    sections = RECORD_SECTIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        new_fields = {name: _record_field(name) for name in RECORD_FIELDS}
        new_fields.update(self.fields)
        self.fields = new_fields
        for field in self.fields.values():
            widget = field.widget
            if "class" not in widget.attrs:
                css = "form-select" if isinstance(widget, forms.Select) else "form-control"
                widget.attrs["class"] = css
        self.fields["citizen_id"].help_text = "12 chữ số."
        self.fields["card_number"].help_text = "8 chữ số; để trống nếu chưa có thẻ."

    def section_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.sections]

    def record_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in RECORD_FIELDS if name in self.fields}
        for name in ("citizen_id", "card_number"):
            data[name] = (data.get(name) or "").strip() or None
        return data


class MemberAdmitForm(MemberRecordForm):
    organization = forms.ModelChoiceField(
        label="Kết nạp vào chi bộ",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "Hãy chọn chi bộ.",
            "invalid_choice": "Không thể kết nạp vào tổ chức này; hãy chọn trong danh sách.",
        },
    )
    decision_ref = _text("Số quyết định kết nạp", max_length=120, placeholder="Ví dụ: 125-QĐ/ĐU")
    reason = _reason("Ghi chú", required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["organization"].widget.attrs["class"] = "form-select"
        self.fields.update(special_case_fields())

    def special_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in SPECIAL_CASE_FIELDS}


SPECIAL_CASE_FIELDS = (
    "decision_received_on",
    "ceremony_late_consent",
    "over_age_consent_ref",
    "over_age_consent_date",
)


def special_case_fields() -> dict[str, forms.Field]:
    """The inputs of a (re)admission's special cases: the day the decision was received (the
    ceremony deadline runs from it), the higher committee's consent to a late ceremony, and the
    provincial Standing Committee's consent to admit someone over 60."""
    received = VnDateField(label="Ngày chi bộ nhận quyết định", required=False)
    received.help_text = (
        "Hạn tổ chức lễ kết nạp (30 ngày làm việc) tính từ ngày này; để trống nếu là ngày quyết định."
    )
    late = _text("Ý kiến đồng ý tổ chức lễ kết nạp muộn", max_length=200)
    late.help_text = (
        "Số, ngày văn bản của cấp ủy cấp trên trực tiếp; chỉ cần khi lễ kết nạp quá 30 ngày làm việc."
    )
    consent_ref = _text(
        "Số văn bản đồng ý kết nạp người trên 60 tuổi", max_length=120, placeholder="Ví dụ: 125-CV/TU"
    )
    consent_ref.help_text = (
        "Văn bản của Ban Thường vụ Tỉnh ủy (Thành ủy); chỉ cần khi người được kết nạp trên 60 tuổi."
    )
    consent_date = VnDateField(label="Ngày văn bản đồng ý", required=False)
    consent_date.help_text = "Không được sau ngày quyết định kết nạp."
    fields = {
        "decision_received_on": received,
        "ceremony_late_consent": late,
        "over_age_consent_ref": consent_ref,
        "over_age_consent_date": consent_date,
    }
    for field in fields.values():  # added after BootstrapFormMixin styled the declared fields
        field.widget.attrs["class"] = "form-control"
    return fields


class MemberCorrectForm(MemberRecordForm):
    reason = _reason("Lý do sửa (bắt buộc)")

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {f: getattr(member, f) for f in RECORD_FIELDS})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        data = self.record_data()
        return {f: data[f] for f in self.changed_data if f in data}


# --- Lifecycle actions ------------------------------------------------------------------------


class DecisionForm(BootstrapFormMixin, forms.Form):
    effective_on = VnDateField(label="Ngày hiệu lực", required=True)
    decision_ref = _text("Số quyết định", max_length=120, placeholder="Ví dụ: 125-QĐ/ĐU")
    decision_date = VnDateField(label="Ngày quyết định", required=False)
    reason = _reason()

    def __init__(self, *args: Any, member: Member | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["effective_on"].error_messages["required"] = "Hãy nhập ngày hiệu lực (dd/mm/yyyy)."


class RecognizeForm(DecisionForm):
    """The effective date is computed (ceremony + 12 months), so it is not asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["effective_on"]
        self.fields["reason"].required = False


class ExemptForm(DecisionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["decision_date"]


class RestoreContactForm(DecisionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["decision_date"]
        del self.fields["decision_ref"]


class ExitForm(DecisionForm):
    KINDS = [
        ("removed", "Xóa tên"),
        ("expelled", "Khai trừ"),
        ("left", "Xin ra khỏi Đảng"),
        ("deceased", "Từ trần"),
        ("contact_lost", "Mất liên lạc"),
    ]
    kind = forms.ChoiceField(label="Hình thức", choices=KINDS)
    cause = _text("Nguyên nhân (nếu có)", max_length=255)

    field_order = ["kind", "effective_on", "decision_ref", "decision_date", "reason", "cause"]


class DisciplineForm(DecisionForm):
    form = forms.ChoiceField(
        label="Hình thức kỷ luật",
        choices=[("reprimand", "Khiển trách"), ("warning", "Cảnh cáo"), ("dismissal", "Cách chức")],
    )
    field_order = ["form", "effective_on", "decision_ref", "decision_date", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["decision_date"]


class BadgeForm(DecisionForm):
    years = forms.TypedChoiceField(
        label="Huy hiệu",
        coerce=int,
        choices=[
            (y, f"Huy hiệu {y} năm tuổi Đảng") for y in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
        ],
    )
    early = forms.ChoiceField(
        label="Trao sớm",
        required=False,
        choices=[
            ("", "Không: đã đủ tuổi đảng"),
            ("seriously_ill", "Trao sớm cho đảng viên bị bệnh nặng"),
            ("posthumous", "Truy tặng đảng viên đã từ trần"),
        ],
        help_text="Bệnh nặng: sớm tối đa 12 tháng (mốc 30–65 năm), 24 tháng (mốc 70–90 năm); "
        "truy tặng: sớm tối đa 12 tháng. Trao sớm phải ghi số quyết định và lý do.",
    )
    field_order = ["years", "effective_on", "decision_ref", "early", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["decision_date"]
        self.fields["reason"].required = False
        self.fields["reason"].label = "Lý do trao sớm"
        if self.member is not None and self.member.status == Status.DECEASED:
            self.fields["early"].initial = "posthumous"


class ReadmitForm(BootstrapFormMixin, forms.Form):
    """Readmission: the receiving cell, the decision, the ceremony, and a past conviction if any."""

    organization = forms.ModelChoiceField(
        label="Kết nạp lại vào chi bộ",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "Hãy chọn chi bộ.",
            "invalid_choice": "Không thể kết nạp lại vào tổ chức này; hãy chọn trong danh sách.",
        },
    )
    admission_decision_date = VnDateField(label="Ngày quyết định kết nạp lại", required=True)
    ceremony_date = VnDateField(label="Ngày lễ kết nạp lại", required=True)
    decision_ref = _text("Số quyết định kết nạp lại", max_length=120, placeholder="Ví dụ: 125-QĐ/ĐU")
    conviction = forms.ChoiceField(
        label="Từng bị kết án",
        required=False,
        choices=[
            ("", "Không"),
            ("less_serious", "Có: tội ít nghiêm trọng"),
            ("serious", "Có: tội nghiêm trọng trở lên"),
            ("corruption", "Có: tội tham nhũng"),
        ],
    )
    conviction_cleared_on = VnDateField(
        label="Ngày được xóa án tích",
        required=False,
        help_text="Kết nạp lại sau ít nhất 60 tháng kể từ ngày được xóa án tích.",
    )
    reason = _reason("Ghi chú", required=False)

    def __init__(self, *args: Any, member: Member, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["organization"].queryset = organizations
        self.fields["organization"].widget.attrs["class"] = "form-select"
        self.fields["admission_decision_date"].error_messages["required"] = (
            "Hãy nhập ngày quyết định kết nạp lại (dd/mm/yyyy)."
        )
        self.fields["ceremony_date"].error_messages["required"] = "Hãy nhập ngày lễ kết nạp lại (dd/mm/yyyy)."
        self.fields.update(special_case_fields())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        missing = data.get("conviction") == "less_serious" and not data.get("conviction_cleared_on")
        if missing and "conviction_cleared_on" not in self.errors:
            self.add_error("conviction_cleared_on", "Hãy nhập ngày được xóa án tích (dd/mm/yyyy).")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: v for k, v in d.items() if k in self.fields}


class TransferExtendForm(BootstrapFormMixin, forms.Form):
    """Extending a temporary stay: the new end date and why."""

    new_end = VnDateField(label="Sinh hoạt tạm thời đến ngày (mới)", required=True)
    on = VnDateField(label="Ngày gia hạn", required=False, help_text="Để trống nếu là hôm nay.")
    reason = _reason("Lý do gia hạn")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_end"].error_messages["required"] = "Hãy nhập ngày kết thúc mới (dd/mm/yyyy)."


class TransferIssueForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Hình thức", choices=Transfer.Kind.choices, widget=forms.RadioSelect, initial="official"
    )
    destination = forms.ChoiceField(
        label="Nơi đến",
        choices=[("internal", "Tổ chức đảng trong hệ thống"), ("external", "Ngoài hệ thống")],
        widget=forms.RadioSelect,
        initial="internal",
    )
    to_org = forms.ModelChoiceField(
        label="Chi bộ nơi đến",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Hãy chọn chi bộ nơi đến trong danh sách tìm được."},
    )
    external_destination = _text(
        "Nơi đến ngoài hệ thống", max_length=255, placeholder="Ví dụ: Đảng bộ tỉnh Lạng Sơn"
    )
    issued_on = VnDateField(label="Ngày giới thiệu", required=True)
    ends_on = VnDateField(label="Sinh hoạt tạm thời đến ngày", required=False)
    for_study = forms.BooleanField(label="Đi học tập trung", required=False)
    decision_ref = _text("Số giấy giới thiệu", max_length=120, placeholder="Ví dụ: 15-GGT/ĐU")
    reason = _reason()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = transfer_destinations()
        self.fields["issued_on"].error_messages["required"] = "Hãy nhập ngày giới thiệu (dd/mm/yyyy)."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("destination") == "internal":
            if not data.get("to_org") and "to_org" not in self.errors:
                self.add_error("to_org", "Hãy tìm và chọn chi bộ nơi đến.")
            data["external_destination"] = ""
        elif data.get("destination") == "external":
            if not (data.get("external_destination") or "").strip():
                self.add_error("external_destination", "Hãy ghi nơi đến ngoài hệ thống.")
            data["to_org"] = None
        if data.get("kind") == "temporary" and not data.get("ends_on") and "ends_on" not in self.errors:
            self.add_error("ends_on", "Sinh hoạt tạm thời phải có ngày kết thúc.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = (
            "kind",
            "to_org",
            "external_destination",
            "issued_on",
            "ends_on",
            "for_study",
            "decision_ref",
            "reason",
        )
        return {k: d.get(k) for k in keys}


def transfer_destinations(q: str = "") -> Any:
    """Where a member may be sent: every active cell or base cell of the system, by name or code.

    Not scoped on purpose: the receiving organization is usually outside the sender's scope. Pages
    show only the name and code of these organizations.
    """
    qs = Organization.objects.active().filter(kind__in=[Kind.CELL, Kind.BASE_CELL])
    if q:
        qs = qs.search(q) if hasattr(qs, "search") else qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.order_by("path")


class TransferDecisionForm(BootstrapFormMixin, forms.Form):
    """Accepting, cancelling or ending a transfer."""

    on = VnDateField(label="Ngày", required=False)
    reason = _reason(required=False)

    def __init__(self, *args: Any, reason_required: bool = False, date_label: str = "Ngày", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        self.fields["on"].label = date_label
        self.fields["on"].help_text = "Để trống nếu là hôm nay."


class ImportForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="Nhập vào tổ chức",
        queryset=Organization.objects.none(),
        error_messages={
            "required": "Hãy chọn tổ chức.",
            "invalid_choice": "Hãy chọn tổ chức trong danh sách.",
        },
    )
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        error_messages={"required": "Hãy chọn tệp Excel để nhập.", "empty": "Tệp rỗng."},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx (dùng mẫu tải về ở trang này).")
        return f


class BadgeFilterForm(BootstrapFormMixin, forms.Form):
    to_chuc = forms.ModelChoiceField(
        label="Tổ chức đảng", queryset=Organization.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = Organization.objects.visible_to(user)
        self.fields["to_chuc"].queryset = visible
        shown = list(visible.active().filter(kind__in=FILTER_KINDS).order_by("path")[:FILTER_ORGS_SHOWN])
        depth0 = min((o.depth for o in shown), default=1)
        self.fields["to_chuc"].widget.choices = [
            (o.pk, "\u00a0\u00a0" * (o.depth - depth0) + o.name) for o in shown
        ]
