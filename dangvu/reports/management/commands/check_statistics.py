"""`dangvu check-statistics --org CODE [--as-of DATE]`: reconcile the figures over a whole subtree."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvu.core.formats import fmt_date, fmt_int, parse_date
from dangvu.organizations.models import Organization
from dangvu.reports.api import check_dates
from dangvu.reports.checks import check_statistics


def organization_by_code(code: str) -> Organization:
    org = Organization.objects.filter(code=(code or "").strip().upper()).first()
    if org is None:
        raise CommandError(f"Không có tổ chức mã «{code}».")
    return org


def option_date(value: str | None, option: str) -> date | None:
    """A date option (YYYY-MM-DD or dd/mm/yyyy), or CommandError naming the option."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from exc


def checked_dates(as_of: date | None, start: date | None) -> tuple[date, date | None]:
    """(date of the figures, start of the period or None): `--as-of` ends the period when `--from`
    is given. Future dates and a start after the end are refused with the option's name."""
    options = {"as_of": "--as-of", "from": "--from", "to": "--as-of"}
    try:
        if start is not None:
            return check_dates(as_of=None, start=start, end=as_of)
        return check_dates(as_of=as_of, start=None, end=None)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise CommandError(f"{options.get(field, field)}: {messages[0]}") from exc


class Command(BaseCommand):
    help = (
        "Đối chiếu số liệu thống kê trên toàn bộ cây dưới một tổ chức: tổng = riêng + trực thuộc, "
        "bộ đếm hôm nay = lịch sử sự kiện, đầu kỳ + tăng − giảm = cuối kỳ. Thoát với mã 1 nếu có chênh lệch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="Mã tổ chức, ví dụ 04 hoặc T99-AB.")
        parser.add_argument("--as-of", help="Ngày đối chiếu (YYYY-MM-DD hoặc dd/mm/yyyy), mặc định hôm nay.")

    def handle(self, *args, **opts) -> None:
        org = organization_by_code(opts["org"])
        on, _ = checked_dates(option_date(opts["as_of"], "--as-of"), None)
        differences = check_statistics(org, on)
        if not differences:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Khớp: số liệu của «{org.name}» ngày {fmt_date(on)} đối chiếu không có chênh lệch."
                )
            )
            return
        for difference in differences:
            self.stdout.write(str(difference))
        summary = (
            f"Có {fmt_int(len(differences))} chênh lệch trong số liệu của «{org.name}» ngày {fmt_date(on)}."
        )
        self.stderr.write(self.style.ERROR(summary))
        raise SystemExit(1)
