"""Django's password validators with Vietnamese messages (Django's own Vietnamese catalogue lacks some)."""

from __future__ import annotations

from django.contrib.auth import password_validation as pv
from django.core.exceptions import ValidationError


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    def validate(self, password: str, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError(
                "Mật khẩu quá giống thông tin tài khoản.", code="password_too_similar"
            ) from exc

    def get_help_text(self) -> str:
        return "Mật khẩu không được quá giống tên đăng nhập hay họ tên."


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def validate(self, password: str, user=None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as exc:
            raise ValidationError("Mật khẩu này quá phổ biến.", code="password_too_common") from exc

    def get_help_text(self) -> str:
        return "Không dùng mật khẩu phổ biến."


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def validate(self, password: str, user=None) -> None:
        if password.isdigit():
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return "Mật khẩu không được chỉ gồm chữ số."
