"""Checks a file must pass before openpyxl opens it: size, real xlsx, no zip bomb, not encrypted.

openpyxl trusts the zip it is given; a crafted archive (a few kilobytes that inflate to
gigabytes) would exhaust memory, so the zip directory is inspected first.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from dangvu.core.formats import fmt_decimal

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
# Tiny members (a few kB of repetitive XML) compress very well and harm no one.
RATIO_MIN_SIZE = 1024 * 1024
MAX_MEMBERS = 2000
MAX_ROWS = 200_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


class FileRefused(Exception):
    """The file is not one we will read; the message is for the user (Vietnamese)."""


def max_bytes() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def open_binary(file: Any) -> tuple[IO[bytes], str]:
    """A seekable binary stream and a display name for a path, bytes or a file-like object."""
    if isinstance(file, str | os.PathLike):
        path = Path(file)
        return path.open("rb"), path.name
    if isinstance(file, bytes | bytearray):
        return io.BytesIO(bytes(file)), "tệp tải lên"
    name = Path(getattr(file, "name", "") or "tệp tải lên").name
    if hasattr(file, "open") and getattr(file, "closed", False):
        file.open("rb")
    file.seek(0)
    return file, name


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def check_xlsx(stream: IO[bytes]) -> None:
    """Raise FileRefused unless `stream` is a plausible, harmless .xlsx workbook."""
    size = _size(stream)
    limit = max_bytes()
    if size == 0:
        raise FileRefused("Tệp rỗng.")
    if size > limit:
        raise FileRefused(
            f"Tệp quá lớn ({fmt_decimal(size / 1048576, 1)} MB), "
            f"giới hạn là {fmt_decimal(limit / 1048576, 0)} MB. "
            "Hãy chia thành nhiều tệp nhỏ hơn."
        )
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        blob = stream.read(min(size, 4 * 1024 * 1024))
        stream.seek(0)
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise FileRefused("Tệp Excel được đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.")
        raise FileRefused(
            "Tệp là định dạng Excel cũ (.xls), không phải .xlsx. Hãy mở bằng Excel và lưu lại dạng "
            "«Excel Workbook (*.xlsx)»."
        )
    if not head.startswith(ZIP_MAGIC):
        raise FileRefused(
            "Tệp không phải bảng tính Excel .xlsx (có thể là tệp CSV hoặc tệp khác được đổi tên). "
            "Hãy dùng tệp mẫu tải từ hệ thống."
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise FileRefused("Tệp có cấu trúc bất thường (quá nhiều thành phần), không thể đọc.")
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise FileRefused("Tệp Excel được đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.")
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size >= RATIO_MIN_SIZE and ratio > MAX_RATIO:
                    raise FileRefused(
                        "Tệp có dấu hiệu bất thường (tỉ lệ nén quá cao, có thể là «bom nén»), "
                        "hệ thống từ chối đọc."
                    )
            if total > MAX_UNCOMPRESSED:
                raise FileRefused(
                    f"Nội dung tệp sau khi giải nén quá lớn (trên {MAX_UNCOMPRESSED // 1048576} MB), "
                    "hệ thống từ chối đọc. Hãy chia thành nhiều tệp nhỏ hơn."
                )
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names:
                raise FileRefused("Tệp không phải bảng tính Excel .xlsx hợp lệ (thiếu khai báo nội dung).")
            content_types = archive.read("[Content_Types].xml")
    except zipfile.BadZipFile as exc:
        raise FileRefused("Tệp bị hỏng hoặc không phải bảng tính Excel .xlsx, không đọc được.") from exc
    finally:
        stream.seek(0)
    if MACRO_MAIN.encode() in content_types:
        raise FileRefused("Tệp có chứa macro (.xlsm), hệ thống không nhận. Hãy lưu lại dạng .xlsx.")
    if SHEET_MAIN.encode() not in content_types:
        raise FileRefused(
            "Tệp không phải bảng tính Excel .xlsx (có thể là tài liệu Word hoặc tệp khác được đổi tên)."
        )
