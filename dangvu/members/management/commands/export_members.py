"""`dangvu export-members --org CODE -o FILE [--register] [--include-sensitive] [--as USERNAME]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from dangvu.members.exporting import export_member_register_xlsx, export_members_xlsx
from dangvu.members.management.commands.import_members import resolve_actor
from dangvu.members.models import Member
from dangvu.organizations.models import Organization


class Command(BaseCommand):
    help = (
        "Xuất danh sách đảng viên (đang sinh hoạt) của một tổ chức ra tệp Excel, hoặc Sổ danh sách đảng viên "
        "(Mẫu 7-HSĐV) với --register. Mỗi lần xuất được ghi nhật ký truy cập."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Mã tổ chức (gồm cả các tổ chức trực thuộc).")
        parser.add_argument("-o", "--output", required=True, help="Tệp .xlsx sẽ ghi.")
        parser.add_argument(
            "--register", action="store_true", help="Xuất Sổ danh sách đảng viên (Mẫu 7-HSĐV)."
        )
        parser.add_argument(
            "--include-sensitive",
            action="store_true",
            help="Kèm số CCCD, dân tộc, tôn giáo (được ghi nhật ký).",
        )
        parser.add_argument("--as", dest="as_user", help="Tên đăng nhập của người xuất (mặc định: quản trị).")

    def handle(
        self, *args, org: str, output: str, register: bool, include_sensitive: bool, as_user, **o
    ) -> None:
        user = resolve_actor(as_user)
        organization = Organization.objects.visible_to(user).filter(code=org).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức mã «{org}» trong phạm vi của «{user.username}».")
        try:
            if register:
                content = export_member_register_xlsx(user=user, organization=organization)
            else:
                qs = (
                    Member.objects.visible_to(user)
                    .active()
                    .in_subtree(organization)
                    .order_by("name_sort", "id")
                )
                content = export_members_xlsx(
                    user=user,
                    queryset=qs,
                    title="Danh sách đảng viên",
                    organization=organization,
                    filter_description="đảng viên đang sinh hoạt (dự bị và chính thức)",
                    include_sensitive=include_sensitive,
                )
        except Http404 as exc:
            raise CommandError(f"Không có tổ chức mã «{org}» trong phạm vi của «{user.username}».") from exc
        Path(output).write_bytes(content)
        self.stdout.write(f"Đã ghi {output} ({len(content):,} byte).".replace(",", "."))
