"""`dangvu import-members FILE --org CODE [--dry-run] [--as USERNAME]`: import members from Excel."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.accounts.models import User
from dangvu.members.importing import members_import
from dangvu.organizations.models import Organization


def resolve_actor(username: str | None) -> User:
    """The user the command acts as: --as, or the first active superuser."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng đang hoạt động «{username}».")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("Hãy chỉ định --as USERNAME (không có tài khoản quản trị nào để dùng mặc định).")
    return user


class Command(BaseCommand):
    help = (
        "Nhập danh sách đảng viên từ tệp Excel (.xlsx) theo mẫu. Mọi dòng được kiểm tra; chỉ ghi khi "
        "tất cả hợp lệ. In bảng lỗi (dòng, cột, giá trị, lỗi) và trả mã thoát 1 nếu có lỗi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Đường dẫn tệp .xlsx.")
        parser.add_argument(
            "--org", required=True, help="Mã tổ chức nhận (các chi bộ trong tệp phải thuộc tổ chức này)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        parser.add_argument(
            "--as", dest="as_user", help="Tên đăng nhập của người thực hiện (mặc định: quản trị)."
        )

    def handle(self, *args, file: str, org: str, dry_run: bool, as_user: str | None, **options) -> None:
        actor = resolve_actor(as_user)
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức mã «{org}».")
        try:
            with open(file, "rb") as stream:
                report = members_import(actor=actor, organization=organization, file=stream, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp «{file}».") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.as_table(limit=None))
        if not report.ok:
            raise CommandError("Chưa nhập: tệp có lỗi.", returncode=1)
