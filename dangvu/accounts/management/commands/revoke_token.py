"""`dangvu revoke-token PREFIX_OR_TOKEN`: revoke an API token, named by its prefix or in full."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.accounts.models import ApiToken, hash_token
from dangvu.accounts.services import api_token_revoke


class Command(BaseCommand):
    help = "Thu hồi mã truy cập API, theo tiền tố (10 ký tự đầu, in ra khi tạo) hoặc theo cả mã."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", metavar="PREFIX_OR_TOKEN", help="Tiền tố (vd. dv_AbCdEfG) hoặc cả mã.")

    def handle(self, *args, token: str, **options) -> None:
        value = token.strip()
        tokens = ApiToken.objects.select_related("user")
        matches = list(tokens.filter(key_hash=hash_token(value)))  # the whole token
        if not matches:
            matches = list(tokens.filter(prefix=value, revoked_at__isnull=True))
        if not matches:
            raise CommandError(f"Không tìm thấy mã đang hiệu lực nào khớp với «{value}».")
        if len(matches) > 1:
            raise CommandError(f"Có {len(matches)} mã cùng tiền tố «{value}»; hãy nhập cả mã để thu hồi.")
        found = matches[0]
        if found.revoked_at is not None:
            self.stdout.write(f"Mã {found.prefix}… của «{found.user.username}» đã bị thu hồi từ trước.")
            return
        api_token_revoke(token=found)
        self.stdout.write(f"Đã thu hồi mã {found.prefix}… của «{found.user.username}».")
