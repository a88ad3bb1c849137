"""`dangvu create-token USERNAME [--name NAME]`: issue an API token and print it once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.accounts.models import User
from dangvu.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API cho một người dùng. Mã chỉ in ra một lần (dòng duy nhất trên stdout); "
        "hệ thống chỉ lưu bản băm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Tên đăng nhập.")
        parser.add_argument("--name", default="", help="Tên gợi nhớ của mã, ví dụ «máy chủ báo cáo».")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đang bị khóa; mã sẽ không dùng được.")
        token, raw = api_token_create(user=user, name=name)
        # The raw token alone on stdout, so `TOKEN=$(dangvu create-token alice)` works.
        self.stdout.write(raw)
        self.stderr.write(
            f"Đã tạo mã {token.prefix}… cho «{user.username}». Hãy lưu lại ngay: mã không hiển thị lại. "
            f"Thu hồi bằng: dangvu revoke-token {token.prefix}"
        )
