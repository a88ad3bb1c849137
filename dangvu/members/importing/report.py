"""The result of an import: one line per problem (row, column, value, message)."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from dangvu.core.formats import fmt_int


@dataclass
class RowError:
    row: int  # Excel row number; 0 for the file as a whole
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    file_name: str = ""
    dry_run: bool = False
    total_rows: int = 0
    created: int = 0
    official: int = 0
    probationary: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Set when the file itself is refused (not xlsx, too large, missing columns…).
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.refused

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})

    def add(self, row: int, column: str, value: Any, message: str) -> None:
        shown = "" if value is None else str(value)
        self.errors.append(RowError(row, column, shown[:80], message))

    def summary(self) -> str:
        if self.refused:
            return f"Không nhập được tệp «{self.file_name}»: {self.refused}"
        if self.errors:
            return (
                f"Tệp có {fmt_int(self.total_rows)} dòng dữ liệu, "
                f"{fmt_int(self.rows_with_errors)} dòng có lỗi "
                f"({fmt_int(len(self.errors))} lỗi). Chưa nhập dòng nào: hãy sửa các lỗi rồi tải lên lại."
            )
        if self.dry_run:
            return f"Kiểm tra xong: {fmt_int(self.total_rows)} dòng hợp lệ. Chưa ghi dữ liệu (chạy thử)."
        return (
            f"Đã nhập {fmt_int(self.created)} đảng viên ({fmt_int(self.official)} chính thức, "
            f"{fmt_int(self.probationary)} dự bị)."
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        data["summary"] = self.summary()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["errors"] = [RowError(**e) for e in data.get("errors", [])]
        return cls(**fields)

    def as_table(self, limit: int | None = 500) -> str:
        """A plain-text table for the terminal (column widths count wide characters as one)."""
        lines = [self.summary()]
        if not self.errors:
            return "\n".join(lines)
        head = ("Dòng", "Cột", "Giá trị", "Lỗi")
        shown = self.errors if limit is None else self.errors[:limit]
        rows = [(str(e.row or ""), e.column, e.value, e.message) for e in shown]
        widths = [
            min(max(_width(r[i]) for r in [head, *rows]), cap) for i, cap in enumerate((6, 28, 24, 200))
        ]

        def line(cells: tuple[str, ...]) -> str:
            return " | ".join(_pad(_clip(c, w), w) for c, w in zip(cells, widths, strict=True)).rstrip()

        lines += ["", line(head), "-+-".join("-" * w for w in widths)]
        lines += [line(r) for r in rows]
        if len(shown) < len(self.errors):
            lines.append(f"… và {fmt_int(len(self.errors) - len(shown))} lỗi khác.")
        return "\n".join(lines)


def _width(s: str) -> int:
    return len(unicodedata.normalize("NFC", s))


def _clip(s: str, w: int) -> str:
    return s if _width(s) <= w else s[: w - 1] + "…"


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))
