"""Forms of the accounts pages: login, role filter, grant and revoke, API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangvu.core.text import nfc
from dangvu.organizations.permissions import is_system_admin

from . import selectors
from .models import Role

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"class": "form-control", **DATE_WIDGET_ATTRS})
    return forms.DateField(
        label=label,
        widget=widget,
        error_messages={"invalid": "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."},
        **kwargs,
    )


def add_service_error(form: forms.Form, exc: PermissionDenied | ValidationError) -> None:
    """Show what a service refused as form errors, on the field it names when the form has it."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc) or "Bạn không có quyền thực hiện thao tác này.")
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["username"].error_messages["required"] = "Hãy nhập tên đăng nhập."
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocapitalize": "none"})
        self.fields["password"].label = "Mật khẩu"
        self.fields["password"].error_messages["required"] = "Hãy nhập mật khẩu."
        self.fields["password"].widget.attrs.update({"class": "form-control"})


def grantable_roles(actor: Any) -> list[tuple[str, str]]:
    """Roles `actor` may hand out: system_admin only by a system administrator."""
    return [
        (value, label)
        for value, label in Role.choices
        if value != Role.SYSTEM_ADMIN or is_system_admin(actor)
    ]


class RoleFilterForm(forms.Form):
    q = forms.CharField(label="Người dùng", required=False, max_length=150)
    to_chuc = forms.CharField(label="Tổ chức", required=False, max_length=200)
    role = forms.ChoiceField(label="Vai trò", required=False, choices=[("", "Tất cả vai trò"), *Role.choices])
    revoked = forms.BooleanField(label="Gồm cả vai trò đã thu hồi", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, placeholder in (("q", "Tên đăng nhập hoặc họ tên"), ("to_chuc", "Tên hoặc mã tổ chức")):
            self.fields[name].widget.input_type = "search"
            self.fields[name].widget.attrs.update({"class": "form-control", "placeholder": placeholder})
        self.fields["role"].widget.attrs.update({"class": "form-select"})


class RoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Người nhận vai trò",
        queryset=None,
        to_field_name="username",
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "none"}
        ),
        help_text="Tên đăng nhập của tài khoản.",
        error_messages={
            "required": "Hãy nhập tên đăng nhập của người nhận vai trò.",
            "invalid_choice": "Không có tài khoản đang hoạt động nào có tên đăng nhập «%(value)s».",
        },
    )
    organization = forms.ModelChoiceField(
        label="Tổ chức",
        queryset=None,
        error_messages={
            "required": "Hãy chọn tổ chức.",
            "invalid_choice": "Hãy chọn một tổ chức trong phạm vi bạn quản lý.",
        },
    )
    role = forms.ChoiceField(
        label="Vai trò",
        error_messages={
            "required": "Hãy chọn vai trò.",
            "invalid_choice": "Bạn không được giao vai trò này.",
        },
    )
    granted_on = date_field("Ngày giao", initial=timezone.localdate)
    reason = forms.CharField(
        label="Lý do, căn cứ",
        max_length=300,
        help_text="Ví dụ: Quyết định số 125-QĐ/ĐU ngày 01/7/2025.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Hãy ghi lý do hoặc văn bản giao vai trò."},
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.user_choices(user=actor)
        # Suggestions as the user types: a <datalist> refreshed by htmx.
        self.fields["user"].widget.attrs.update(
            {
                "list": "user-options",
                "hx-get": reverse("accounts:user_suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#user-options",
            }
        )
        self.fields["organization"].queryset = selectors.role_grant_organizations(user=actor)
        self.fields["role"].choices = [("", "— Chọn vai trò —"), *grantable_roles(actor)]
        self.fields["role"].widget.attrs.update({"class": "form-select"})

    def clean_reason(self) -> str:
        return nfc(self.cleaned_data["reason"])


class RoleRevokeForm(forms.Form):
    revoked_on = date_field("Ngày thu hồi", initial=timezone.localdate)
    reason = forms.CharField(
        label="Lý do, căn cứ",
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Hãy ghi lý do thu hồi vai trò."},
    )

    def clean_reason(self) -> str:
        return nfc(self.cleaned_data["reason"])


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Tên gợi nhớ",
        max_length=100,
        help_text="Mã dùng để làm gì, ở đâu; ví dụ: Báo cáo tự động của Ban Tổ chức.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Hãy đặt tên gợi nhớ cho mã."},
    )

    def clean_name(self) -> str:
        return nfc(self.cleaned_data["name"])
