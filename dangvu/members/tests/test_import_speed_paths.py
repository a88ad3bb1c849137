"""The fast paths of the member import read and judge cells exactly as the general paths do."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from dangvu.members.choices import Religion
from dangvu.members.importing import sheet as sheet_module
from dangvu.members.importing.columns import COLUMNS
from dangvu.members.models import Member

from .test_importing import person, run, workbook_bytes

HEADER = {c.field: c.header for c in COLUMNS}


def _mixed_workbook(*, write_only: bool) -> bytes:
    """Shared strings (normal mode) or inline strings (write-only), dates, numbers, formulas, gaps."""
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("Đảng viên") if write_only else wb.active
    if not write_only:
        ws.title = "Đảng viên"
    rows = [
        ["Họ và tên", None, "Giới tính", 3, 4.5, True],
        ["Nguyễn Thị Ánh", "", "Nữ", datetime.datetime(1990, 9, 5), "=A2", False],
        [None, None, None, None, None, None],
        ["  Trần   Văn An ", "x" * 300, 1234567890123, 0.5, "'=1+1", "05/09/1990"],
        [None, None, None, None, None, "chỉ cột cuối"],
    ]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_lxml_and_standard_library_readers_give_the_same_rows(write_only):
    pytest.importorskip("lxml")
    content = _mixed_workbook(write_only=write_only)
    results = []
    for reader in (sheet_module._iter_values_lxml, sheet_module._iter_values_stdlib):
        source = sheet_module.SheetSource(io.BytesIO(content), "Đảng viên")
        try:
            results.append(list(reader(source)))
        finally:
            source.close()
    assert results[0] == results[1]
    by_row = dict(results[0])
    assert by_row[2][:4] == ("Nguyễn Thị Ánh", None, "Nữ", datetime.datetime(1990, 9, 5))
    assert by_row[2][4] == "=A2"  # a formula cell reads as its formula, refused later
    assert by_row[5] == (None,) * 5 + ("chỉ cột cuối",)


def test_a_value_accepted_once_is_still_refused_where_it_breaks_a_rule(org_tree, province_staff):
    """Known-good values are remembered per column; a bad value is reported on every row."""
    rows = [person(i, **{HEADER["gender"]: "Nữ", HEADER["religion"]: "phat giao"}) for i in range(3)]
    rows.append(person(3, **{HEADER["gender"]: "Nam giới"}))
    rows.append(person(4, **{HEADER["gender"]: "Nam giới"}))
    # the same date text is valid as a birth date, and too early to be a decision for this birth
    rows.append(person(5, **{HEADER["birth_date"]: "10/03/2015"}))
    report = run(province_staff, org_tree.province, workbook_bytes(rows), dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [
        (5, HEADER["gender"]),
        (6, HEADER["gender"]),
        (7, HEADER["birth_date"]),
    ]
    assert report.errors[0].value == "Nam giới" and report.errors[1].value == "Nam giới"
    assert Member.objects.count() == 0


def test_written_rows_match_the_values_in_the_file(org_tree, province_staff):
    rows = [
        person(0, **{HEADER["religion"]: "phat giao", HEADER["other_names"]: "Ba"}),
        person(1, **{HEADER["ceremony_date"]: datetime.date.today().strftime("%d/%m/%Y")}),
    ]
    rows[1][HEADER["admission_decision_date"]] = rows[1][HEADER["ceremony_date"]]
    report = run(province_staff, org_tree.province, workbook_bytes(rows))
    assert report.ok and report.created == 2 and report.official == 1
    first = Member.objects.get(citizen_id="001180000000")
    assert first.religion == Religion.BUDDHISM
    assert first.birth_date == datetime.date(1980, 9, 5)
    assert first.search_key == "nguyen van thu a ba"
    assert first.history.count() == 1 and first.events.count() == 2
    second = Member.objects.get(citizen_id="001180000001")
    assert second.official_on is None and second.events.count() == 1
