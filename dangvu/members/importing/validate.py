"""Validation of the rows of a member file, with everything it needs preloaded.

No query per row: organization codes of the target subtree, the rule parameters and the citizen
IDs and card numbers already in the database are fetched in bulk (the last in chunks of the
values the file contains), so a 100,000-row file costs a few hundred queries at most.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone

from dangvu.core.formats import parse_date
from dangvu.core.scoping import scope_paths
from dangvu.core.text import nfc, search_key
from dangvu.organizations.models import Kind, Organization
from dangvu.organizations.permissions import managed_paths

from ..choices import Status
from ..models import Member
from ..rules import add_months, rule
from .columns import CARD, CHOICE, CITIZEN_ID, COLUMNS, DATE, EMAIL, ORG, PHONE, TEXT, Column
from .report import ImportReport

MEMBER_KINDS = (Kind.CELL, Kind.BASE_CELL)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEFAULTS = {"ethnicity": "01", "religion": "none", "qualification": "none", "theory_level": "none"}
_PHONE = re.compile(r"[0-9][0-9 .()]{5,19}")
FORMULA_MESSAGE = (
    "Giá trị bắt đầu bằng «=», «+», «-», «@» hoặc ký tự điều khiển có thể chạy như công thức "
    "trong bảng tính; hãy bỏ ký tự đó ở đầu."
)
CHUNK = 900
HEADERS = {c.field: c.header for c in COLUMNS}  # below SQLite's 999 bound parameters


@dataclass(slots=True)
class ValidRow:
    row: int
    values: dict[str, Any]
    organization_id: int
    status: str
    official_on: datetime.date | None


def _choice_map(column: Column) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, label in column.choices:
        for variant in (label, label.replace("-", " "), label.replace(" ", "")):
            out[search_key(variant)] = value
    return out


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class RowValidator:
    """Turns raw row tuples into ValidRow objects, recording problems in `report`."""

    def __init__(self, *, actor: Any, organization: Organization, report: ImportReport, today=None) -> None:
        self.report = report
        self.today = today or timezone.localdate()
        self.plan: list[tuple[Column, int]] = []
        self._choice_cache: dict[tuple[str, str], str | None] = {}
        self.choice_maps = {c.field: _choice_map(c) for c in COLUMNS if c.kind == CHOICE}
        self.max_lengths = {
            f.name: f.max_length for f in Member._meta.concrete_fields if getattr(f, "max_length", None)
        }
        self.orgs = {
            code: (pk, path, kind, dissolved)
            for code, pk, path, kind, dissolved in Organization.objects.filter(
                path__startswith=organization.path
            ).values_list("code", "pk", "path", "kind", "dissolved_on")
        }
        self.organization = organization
        self.managed = managed_paths(actor)
        self.visible = scope_paths(actor)
        self.citizen_rows: dict[str, int] = {}
        self.card_rows: dict[str, int] = {}
        self.unknown_codes: list[tuple[int, str]] = []
        self.rows: list[ValidRow] = []
        # Raw cell -> value for cells already found valid (closed lists per column, dates for all
        # date columns): files repeat these a lot. Only successes are kept, so every problem
        # still goes through the full check and its message.
        self._known: dict[str, dict[Any, Any]] = {}
        self._known_dates: dict[Any, datetime.date] = {}
        self._rules: dict[tuple[str, datetime.date], Any] = {}
        self._fast: list[tuple[Column, int, str, dict[Any, Any] | None, int | None]] = []

    def set_positions(self, positions: dict[str, int]) -> None:
        self.plan = [(col, positions[col.key]) for col in COLUMNS]
        self._fast = []
        for col, pos in self.plan:
            known = None
            if col.kind == CHOICE:
                known = self._known.setdefault(col.field, {})
            elif col.kind == DATE:
                known = self._known_dates
            limit = self.max_lengths.get(col.field) if col.kind == TEXT else None
            self._fast.append((col, pos, col.kind, known, limit))

    # --- cells -------------------------------------------------------------------------------
    def _text(self, row: int, col: Column, raw: Any) -> str | None:
        text = _as_text(raw)
        if text.lstrip(" ").startswith(FORMULA_START):
            self.report.add(row, col.header, text, FORMULA_MESSAGE)
            return None
        return nfc(text)

    def _date(self, row: int, col: Column, raw: Any) -> datetime.date | None:
        if isinstance(raw, datetime.datetime):
            day = raw.date()
        elif isinstance(raw, datetime.date):
            day = raw
        elif isinstance(raw, str):
            text = self._text(row, col, raw)
            if text is None:
                return None
            try:
                day = parse_date(text)
            except ValueError:
                self.report.add(row, col.header, raw, "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
                return None
        else:
            self.report.add(
                row,
                col.header,
                raw,
                "Không đọc được ngày; hãy nhập theo dạng dd/mm/yyyy hoặc dùng ô kiểu ngày.",
            )
            return None
        if day.year < 1900:
            self.report.add(row, col.header, raw, "Năm phải từ 1900 trở đi.")
            return None
        if day > self.today:
            self.report.add(row, col.header, day.strftime("%d/%m/%Y"), "Ngày không được sau ngày hôm nay.")
            return None
        return day

    def _digits(self, row: int, col: Column, raw: Any, n: int, what: str) -> str | None:
        numeric = isinstance(raw, int | float) and not isinstance(raw, bool)
        text = self._text(row, col, raw)
        if text is None:
            return None
        text = text.replace(" ", "").replace(".", "") if not numeric else text
        if len(text) == n and text.isdigit():
            return text
        hint = ""
        if numeric and len(text) < n:
            hint = " Có thể Excel đã bỏ số 0 ở đầu: hãy định dạng ô là Văn bản (Text) rồi nhập lại."
        self.report.add(row, col.header, raw, f"{what} gồm đúng {n} chữ số.{hint}")
        return None

    def _cell(self, row: int, col: Column, raw: Any) -> Any:
        kind = col.kind
        if kind == DATE:
            return self._date(row, col, raw)
        if kind == CITIZEN_ID:
            return self._digits(row, col, raw, 12, "Số CCCD")
        if kind == CARD:
            return self._digits(row, col, raw, 8, "Số thẻ đảng viên")
        text = self._text(row, col, raw)
        if text is None or text == "":
            return text
        if kind == CHOICE:
            memo = (col.field, text)
            if memo not in self._choice_cache:
                self._choice_cache[memo] = self.choice_maps[col.field].get(search_key(text))
            value = self._choice_cache[memo]
            if value is None:
                shown = (
                    ", ".join(col.labels) if len(col.choices) <= 12 else "danh sách trong sheet «Hướng dẫn»"
                )
                self.report.add(row, col.header, raw, f"Giá trị không có trong danh mục ({shown}).")
            return value
        if kind == EMAIL:
            try:
                validate_email(text)
            except ValidationError:
                self.report.add(row, col.header, raw, "Địa chỉ email không hợp lệ.")
                return None
        elif kind == PHONE and not _PHONE.fullmatch(text):
            self.report.add(
                row, col.header, raw, "Số điện thoại chỉ gồm chữ số (có thể có dấu cách, dấu chấm)."
            )
            return None
        if kind != ORG:
            limit = self.max_lengths.get(col.field)
            if limit and len(text) > limit:
                self.report.add(row, col.header, raw, f"Dài quá {limit} ký tự.")
                return None
        return text

    # --- rows --------------------------------------------------------------------------------
    def _org(self, row: int, col: Column, code: str) -> int | None:
        found = self.orgs.get(code)
        if found is None:
            self.unknown_codes.append((row, code))
            return None
        pk, path, kind, dissolved = found
        managed = self.managed is None or any(path.startswith(p) for p in self.managed)
        visible = self.visible is None or any(
            path.startswith(p) if sub else path == p for p, sub in self.visible
        )
        if not (managed and visible):
            self.report.add(row, col.header, code, "Chi bộ này không thuộc phạm vi quản lý của bạn.")
            return None
        if kind not in MEMBER_KINDS:
            self.report.add(
                row,
                col.header,
                code,
                f"Mã «{code}» không phải chi bộ; đảng viên được nhập vào chi bộ sinh hoạt.",
            )
            return None
        if dissolved is not None and dissolved <= self.today:
            self.report.add(row, col.header, code, f"Chi bộ đã giải thể từ {dissolved:%d/%m/%Y}.")
            return None
        return pk

    def add_row(self, row: int, raw: tuple[Any, ...]) -> None:
        report_errors = self.report.errors
        errors_before = len(report_errors)
        values: dict[str, Any] = {}
        org_id = None
        width = len(raw)
        for col, pos, kind, known, limit in self._fast:
            cell = raw[pos] if pos < width else None
            if cell is None or (isinstance(cell, str) and (not cell or cell.isspace())):
                if col.required:
                    self.report.add(row, col.header, "", "Chưa nhập (cột bắt buộc).")
                continue
            if known is not None and (kind == DATE or cell.__class__ is str):
                value = known.get(cell)
                if value is None:
                    before = len(report_errors)
                    value = self._cell(row, col, cell)
                    if value is not None and value != "" and len(report_errors) == before:
                        known[cell] = value
            elif kind == TEXT and cell.__class__ is str and not cell.lstrip(" ").startswith(FORMULA_START):
                # `_text` and the length check of `_cell`, inline for the most common cell.
                value = " ".join(unicodedata.normalize("NFC", cell).split())
                if limit and len(value) > limit:
                    self.report.add(row, col.header, cell, f"Dài quá {limit} ký tự.")
                    continue
            else:
                value = self._cell(row, col, cell)
            if value is None or value == "":
                continue
            if kind == ORG:
                org_id = self._org(row, col, value)
            else:
                values[col.field] = value
        if len(report_errors) > errors_before or org_id is None:
            return
        status, official_on = self._member_rules(row, values)
        if status is None:
            return
        self._duplicates(row, values)
        if len(report_errors) == errors_before:
            for field, default in DEFAULTS.items():
                values.setdefault(field, default)
            self.rows.append(ValidRow(row, values, org_id, status, official_on))

    def _rule(self, key: str, on: datetime.date) -> Any:
        """`rule(key, on=on)`, once per distinct date of the file."""
        found = self._rules.get((key, on))
        if found is None:
            found = self._rules[(key, on)] = rule(key, on=on)
        return found

    def _member_rules(self, row: int, v: dict[str, Any]) -> tuple[str | None, datetime.date | None]:
        birth, decision, ceremony = v["birth_date"], v["admission_decision_date"], v["ceremony_date"]
        header = HEADERS
        if ceremony < decision:
            self.report.add(
                row,
                header["ceremony_date"],
                f"{ceremony:%d/%m/%Y}",
                f"Ngày kết nạp không được trước ngày quyết định kết nạp ({decision:%d/%m/%Y}).",
            )
            return None, None
        if birth >= decision:
            self.report.add(
                row,
                header["birth_date"],
                f"{birth:%d/%m/%Y}",
                "Ngày sinh phải trước ngày quyết định kết nạp.",
            )
            return None, None
        limits = self._rule("member.admission_age_months", decision)
        low, high = limits.value["min"], limits.value["max"]
        if decision < add_months(birth, low):
            self.report.add(
                row,
                header["birth_date"],
                f"{birth:%d/%m/%Y}",
                f"Chưa đủ {low // 12} tuổi đời (tính theo tháng) tại ngày quyết định kết nạp "
                f"{decision:%d/%m/%Y} ({limits.citation}).",
            )
            return None, None
        if decision > add_months(birth, high):
            self.report.add(
                row,
                header["birth_date"],
                f"{birth:%d/%m/%Y}",
                f"Quá {high // 12} tuổi đời tại ngày quyết định kết nạp {decision:%d/%m/%Y}; "
                f"kết nạp người trên "
                f"{high // 12} tuổi do cấp ủy trực thuộc Trung ương quyết định ({limits.citation}).",
            )
            return None, None
        official_on = add_months(ceremony, int(self._rule("member.probation_months", ceremony).value))
        if official_on <= self.today:
            return Status.OFFICIAL, official_on
        return Status.PROBATIONARY, None

    def _duplicates(self, row: int, v: dict[str, Any]) -> None:
        for field, seen, header, what in (
            ("citizen_id", self.citizen_rows, "Số CCCD", "Số CCCD"),
            ("card_number", self.card_rows, "Số thẻ đảng viên", "Số thẻ đảng viên"),
        ):
            value = v.get(field)
            if value is None:
                continue
            first = seen.get(value)
            if first is not None:
                self.report.add(row, header, value, f"{what} trùng với dòng {first} trong tệp.")
            else:
                seen[value] = row

    def finish(self) -> list[ValidRow]:
        """Checks that need the whole file: unknown codes and numbers already in the database."""
        self._resolve_unknown_codes()
        bad_rows = set()
        for field, seen, header, message in (
            (
                "citizen_id",
                self.citizen_rows,
                "Số CCCD",
                "Số CCCD này đã có trong hồ sơ của một đảng viên khác.",
            ),
            (
                "card_number",
                self.card_rows,
                "Số thẻ đảng viên",
                "Số thẻ đảng viên này đã cấp cho một đảng viên khác.",
            ),
        ):
            for value in _existing(field, list(seen)):
                self.report.add(seen[value], header, value, message)
                bad_rows.add(seen[value])
        if bad_rows:
            self.rows = [r for r in self.rows if r.row not in bad_rows]
        self.report.errors.sort(key=lambda e: e.row)
        return self.rows

    def _resolve_unknown_codes(self) -> None:
        if not self.unknown_codes:
            return
        header = next(c.header for c in COLUMNS if c.kind == ORG)
        codes = sorted({code for _, code in self.unknown_codes})
        elsewhere: set[str] = set()
        for i in range(0, len(codes), CHUNK):
            elsewhere.update(
                Organization.objects.filter(code__in=codes[i : i + CHUNK]).values_list("code", flat=True)
            )
        for row, code in self.unknown_codes:
            if code in elsewhere:
                message = (
                    f"Chi bộ «{code}» không thuộc «{self.organization.name}» "
                    "hoặc ngoài phạm vi quản lý của bạn."
                )
            else:
                message = f"Không có tổ chức nào mã «{code}»."
            self.report.add(row, header, code, message)


def _existing(field: str, values: list[str]) -> Iterable[str]:
    for i in range(0, len(values), CHUNK):
        yield from Member.objects.filter(Q(**{f"{field}__in": values[i : i + CHUNK]})).values_list(
            field, flat=True
        )
