"""Forms of the organization pages. They parse and validate input; the services do the writing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangvu.core.rules import rule

from . import selectors
from .admin_units import AdminUnit, get_unit, provinces, wards_of
from .models import BASE_KINDS, BaseType, Kind, Organization
from .services import ALLOWED_CHILDREN

DATE_HELP = "dd/mm/yyyy"
PARTY_FOUNDED = date(1930, 2, 3)


class VnDateField(forms.DateField):
    """A date typed as dd/mm/yyyy in a plain text input (no browser date picker, same on every phone).

    Dates before the Party's founding are refused here: no rule of the tree applies to them, and
    they are always typing mistakes.
    """

    default_error_messages = {
        "invalid": "Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.",
        "too_early": "Ngày không thể trước ngày thành lập Đảng (03/02/1930).",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"])
        attrs = {"placeholder": DATE_HELP, "inputmode": "numeric", "autocomplete": "off"}
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs=attrs))
        super().__init__(**kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and value < PARTY_FOUNDED:
            raise ValidationError(self.error_messages["too_early"], code="too_early")


class BootstrapFormMixin:
    """Bootstrap 5 classes on the widgets, and `is-invalid` on every field that gets an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs["class"]:
                self.fields[name].widget.attrs["class"] += " is-invalid"


def _text(label: str, *, required: bool = False, max_length: int = 255, **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=attrs)
    )


def _reason(label: str = "Lý do", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionFieldsMixin(BootstrapFormMixin, forms.Form):
    """The decision document every change of the tree cites."""

    decision_ref = _text("Số quyết định", max_length=120, placeholder="Ví dụ: 125-QĐ/ĐU")
    decision_date = VnDateField(label="Ngày quyết định", required=False)


def add_service_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form: next to the field it names, or at the top."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "Không có quyền thực hiện thao tác này.")
        return
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def allowed_child_kinds(parent: Organization) -> list[str]:
    """Kinds that may be founded under `parent` by the structure rule in force today."""
    return list(rule(ALLOWED_CHILDREN, on=timezone.localdate()).value.get(parent.kind, []))


def admin_unit_options(org: Organization) -> tuple[AdminUnit, ...]:
    """Communes and wards of the province that `org` (or its nearest coded ancestor) lies in;
    the provinces when no organization on the way up names its administrative unit."""
    unit = get_unit(org.admin_unit_code)
    if unit is None:
        # Unscoped on purpose: only the province code is read, to offer the public list of its wards.
        coded = Organization.objects.get_ancestors(org).exclude(admin_unit_code="").order_by("-depth").first()
        unit = get_unit(coded.admin_unit_code) if coded else None
    return wards_of(unit.province_code) if unit else tuple(provinces())


class TreeFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(
        label="Tìm tổ chức",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Tên hoặc mã tổ chức", "aria-describedby": "q-help"}
        ),
    )
    giai_the = forms.BooleanField(label="Hiện cả tổ chức đã giải thể", required=False)


class OrganizationFieldsForm(BootstrapFormMixin, forms.Form):
    code = _text("Mã tổ chức", required=True, max_length=40, autocomplete="off")
    name = _text("Tên tổ chức", required=True)
    base_type = forms.ChoiceField(
        label="Loại hình cơ sở",
        required=False,
        choices=[("", "— Không áp dụng —"), *BaseType.choices],
        help_text="Chỉ với đảng bộ cơ sở và chi bộ cơ sở.",
    )
    admin_unit_code = _text("Đơn vị hành chính", max_length=10, autocomplete="off", list="admin-units")
    founded_on = VnDateField(label="Ngày thành lập", required=False)
    border_area = forms.BooleanField(
        label="Địa bàn biên giới",
        required=False,
        help_text="Đánh dấu xã, phường biên giới: kết nạp ở đây tính vào chỉ tiêu khu vực biên giới.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, admin_units: tuple[AdminUnit, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin_units = admin_units
        self.fields[
            "admin_unit_code"
        ].help_text = (
            "Gõ tên hoặc mã để chọn trong danh mục đơn vị hành chính: mã tỉnh 2 số, mã xã, phường 5 số."
        )

    def clean_admin_unit_code(self) -> str:
        code = self.cleaned_data["admin_unit_code"].strip()
        if code.isdigit() and len(code) < 5 and get_unit(code.zfill(5)) and not get_unit(code):
            code = code.zfill(5)  # "4" typed for "00004"
        return code


class OrganizationCreateForm(DecisionFieldsMixin, OrganizationFieldsForm):
    base_kinds = [k.value for k in BASE_KINDS]  # the kinds that have a base type (for the page's script)
    kind = forms.ChoiceField(label="Cấp tổ chức")
    reason = _reason()

    field_order = [
        "kind", "code", "name", "base_type", "admin_unit_code", "founded_on", "border_area",
        "decision_ref", "decision_date", "note", "reason",
    ]  # fmt: skip

    def __init__(self, *args: Any, parent: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_kinds = kinds = allowed_child_kinds(parent)
        self.fields["kind"].choices = [(k, Kind(k).label) for k in kinds]
        if len(kinds) != 1:
            self.fields["kind"].choices.insert(0, ("", "— Chọn cấp tổ chức —"))
        self.fields["founded_on"].help_text = "Để trống nếu thành lập hôm nay."


class OrganizationUpdateForm(DecisionFieldsMixin, OrganizationFieldsForm):
    effective_on = VnDateField(label="Ngày hiệu lực của thay đổi", required=False)
    reason = _reason()

    field_order = [
        "code", "name", "base_type", "admin_unit_code", "founded_on", "border_area", "note",
        "effective_on", "decision_ref", "decision_date", "reason",
    ]  # fmt: skip
    editable = ("code", "name", "base_type", "admin_unit_code", "founded_on", "border_area", "note")

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {f: getattr(org, f) for f in self.editable})
        super().__init__(*args, **kwargs)
        if not org.is_base and not org.base_type:
            del self.fields["base_type"]
        self.fields["effective_on"].help_text = "Để trống nếu có hiệu lực từ hôm nay."

    def changes(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.editable if f in self.changed_data}


class OrganizationMoveForm(DecisionFieldsMixin, forms.Form):
    new_parent = forms.ModelChoiceField(
        label="Chuyển đến trực thuộc",
        queryset=Organization.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn tổ chức cấp trên mới.",
            "invalid_choice": "Không thể chuyển đến tổ chức này; hãy chọn trong danh sách.",
        },
    )
    effective_on = VnDateField(label="Ngày hiệu lực", required=False)
    reason = _reason()

    field_order = ["new_parent", "effective_on", "decision_ref", "decision_date", "reason"]

    def __init__(self, *args: Any, user: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = selectors.move_targets(user=user, org=org)
        self.fields["effective_on"].help_text = "Để trống nếu có hiệu lực từ hôm nay."


class OrganizationDissolveForm(DecisionFieldsMixin, forms.Form):
    effective_on = VnDateField(label="Ngày giải thể", required=False)
    reason = _reason("Lý do giải thể", required=True)
    confirm = forms.BooleanField(
        label="Tôi xác nhận giải thể tổ chức này.",
        error_messages={"required": "Hãy đánh dấu xác nhận trước khi giải thể."},
    )

    field_order = ["effective_on", "decision_ref", "decision_date", "reason", "confirm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].help_text = "Để trống nếu giải thể từ hôm nay."
        self.fields["reason"].error_messages["required"] = "Hãy ghi lý do giải thể."
