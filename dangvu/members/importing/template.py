"""The downloadable import template: a data sheet with drop-down lists and an instructions sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import CHOICE, COLUMNS, DATE
from .files import MAX_ROWS

DATA_SHEET = "Đảng viên"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
VALIDATED_ROWS = 5000  # drop-downs on the first rows; Excel copies them down when rows are inserted
HEAD_FILL = PatternFill("solid", fgColor="FDE9D9")
REQUIRED_FONT = Font(bold=True, color="C00000")
THIN = Side(style="thin", color="999999")


def build_template() -> bytes:
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    help_sheet = wb.create_sheet(HELP_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    _data_sheet(data, lists)
    _help_sheet(help_sheet)
    lists.sheet_state = "hidden"
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _data_sheet(ws, lists) -> None:
    ws.freeze_panes = "B2"
    list_number = 0
    for i, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=col.header)
        cell.font = REQUIRED_FONT if col.required else Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        ws.column_dimensions[letter].width = col.width
        target = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
        if col.kind != DATE:
            # Text format keeps leading zeros of ID numbers and stops Excel guessing types.
            ws.column_dimensions[letter].number_format = "@"
        if col.kind == DATE:
            ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1900,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=not col.required,
                showErrorMessage=False,
                promptTitle=col.header[:32],
                prompt="Nhập ngày dạng dd/mm/yyyy.",
                showInputMessage=True,
            )
            ws.add_data_validation(dv)
            dv.add(target)
        elif col.kind == CHOICE:
            list_number += 1
            list_col = get_column_letter(list_number)
            for r, label in enumerate(col.labels, start=1):
                lists[f"{list_col}{r}"] = label
            ref = f"{quote_sheetname(lists.title)}!${list_col}$1:${list_col}${len(col.labels)}"
            dv = DataValidation(
                type="list",
                formula1=ref,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không có trong danh mục",
                error="Hãy chọn một giá trị trong danh sách.",
            )
            ws.add_data_validation(dv)
            dv.add(target)
    ws.row_dimensions[1].height = 45


def _help_sheet(ws) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 28
    ws["A1"] = "HƯỚNG DẪN NHẬP DANH SÁCH ĐẢNG VIÊN"
    ws["A1"].font = Font(bold=True, size=13)
    notes = [
        f"• Mỗi dòng của sheet «{DATA_SHEET}» là một đảng viên; "
        "dòng 1 là tiêu đề, không đổi tên, không xóa cột.",
        "• Cột có dấu * là bắt buộc. Ngày nhập theo dạng dd/mm/yyyy (hoặc ô kiểu ngày của Excel).",
        "• Tình trạng dự bị/chính thức và ngày chính thức do hệ thống tính "
        "(ngày kết nạp + 12 tháng), không nhập.",
        "• Chỉ ghi khi mọi dòng đều hợp lệ; nếu có lỗi, hệ thống liệt kê từng lỗi (dòng, cột, giá trị) "
        "và không ghi dòng nào.",
        f"• Tối đa {MAX_ROWS:,} dòng mỗi tệp; không nhập giá trị bắt đầu bằng = + - @.".replace(",", "."),
    ]
    for r, note in enumerate(notes, start=2):
        ws.cell(row=r, column=1, value=note)
    head_row = len(notes) + 3
    for i, title in enumerate(("Cột", "Bắt buộc", "Cách nhập", "Ví dụ"), start=1):
        c = ws.cell(row=head_row, column=i, value=title)
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
    for r, col in enumerate(COLUMNS, start=head_row + 1):
        explain = col.help
        if col.kind == CHOICE and len(col.choices) <= 12:
            explain += " Giá trị: " + "; ".join(col.labels) + "."
        elif col.kind == CHOICE:
            explain += " Danh mục đầy đủ trong danh sách chọn của cột."
        ws.cell(row=r, column=1, value=col.header)
        ws.cell(row=r, column=2, value="Có" if col.required else "")
        ws.cell(row=r, column=3, value=explain).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=4, value=col.example)
    example_row = head_row + len(COLUMNS) + 2
    ws.cell(
        row=example_row, column=1, value=f"Dòng ví dụ (chép sang sheet «{DATA_SHEET}» từ dòng 2):"
    ).font = Font(bold=True)
    for i, col in enumerate(COLUMNS, start=1):
        h = ws.cell(row=example_row + 1, column=i, value=col.header)
        h.font = Font(bold=True)
        h.fill = HEAD_FILL
        ws.cell(row=example_row + 2, column=i, value=col.example).number_format = "@"
