"""Import of members from the Excel template: validation, all-or-nothing writes, refusals, scoping."""

from __future__ import annotations

import datetime
import io
import zipfile
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.accounts.models import AccessLog
from dangvu.members.choices import Status
from dangvu.members.importing import build_template, import_progress, members_import, start_import
from dangvu.members.importing import files as import_files
from dangvu.members.importing.columns import COLUMNS
from dangvu.members.models import Member, MemberEvent, MemberImport

HEADERS = [c.header for c in COLUMNS]


def person(n: int, **over) -> dict:
    row = {
        "Họ và tên*": f"Nguyễn Văn Thử {chr(65 + n)}",
        "Giới tính* (Nam/Nữ)": "Nam",
        "Ngày sinh* (dd/mm/yyyy)": "05/09/1980",
        "Số CCCD": f"00118000{n:04d}",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Số thẻ đảng viên": f"1234{n:04d}",
        "Ngày quyết định kết nạp* (dd/mm/yyyy)": "10/03/2015",
        "Ngày kết nạp* (dd/mm/yyyy)": "26/03/2015",
        "Mã chi bộ*": "T99-AB-D",
    }
    row.update(over)
    return row


def workbook_bytes(rows: list[dict], *, headers: list[str] | None = None) -> bytes:
    """The downloaded template with `rows` typed into its data sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template()))
    ws = wb["Đảng viên"]
    if headers is not None:
        for i, h in enumerate(headers, start=1):
            ws.cell(row=1, column=i, value=h)
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=HEADERS.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(actor, org, content: bytes, *, dry_run=False, name="dang-vien.xlsx"):
    return members_import(
        actor=actor, organization=org, file=SimpleUploadedFile(name, content), dry_run=dry_run
    )


# --- the template -------------------------------------------------------------------------------


def test_template_has_data_sheet_instructions_and_dropdowns(db):
    wb = openpyxl.load_workbook(io.BytesIO(build_template()))
    assert wb.sheetnames[:2] == ["Đảng viên", "Hướng dẫn"]
    data = wb["Đảng viên"]
    assert [c.value for c in data[1]] == HEADERS
    assert data.max_row == 1  # the example row lives in the instructions, not among the data
    lists = [dv for dv in data.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == sum(1 for c in COLUMNS if c.choices)
    help_text = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "Nguyễn Thị Minh Khai" in help_text and "Mã chi bộ*" in help_text


def test_template_round_trip_imports_rows_with_events(org_tree, province_staff, settings):
    content = workbook_bytes(
        [
            person(1),
            person(
                2,
                **{"Giới tính* (Nam/Nữ)": "nu", "Ngày kết nạp* (dd/mm/yyyy)": datetime.datetime(2015, 4, 2)},
            ),
            # Admitted three months ago: still probationary; status is derived, never typed.
            person(
                3,
                **{
                    "Ngày quyết định kết nạp* (dd/mm/yyyy)": _ago(100),
                    "Ngày kết nạp* (dd/mm/yyyy)": _ago(90),
                    "Mã chi bộ*": "T99-BS-1",
                    "Dân tộc": "tay",
                },
            ),
        ]
    )
    report = run(province_staff, org_tree.province, content)
    assert report.ok, report.as_table()
    assert report.created == 3 and report.official == 2 and report.probationary == 1
    a = Member.objects.get(card_number="12340001")
    assert a.status == Status.OFFICIAL and a.official_on == datetime.date(2016, 3, 26)
    assert a.search_key == "nguyen van thu b" and a.name_sort
    assert list(a.events.order_by("effective_on").values_list("kind", "effective_on")) == [
        (MemberEvent.Kind.ADMITTED, datetime.date(2015, 3, 10)),
        (MemberEvent.Kind.RECOGNIZED_OFFICIAL, datetime.date(2016, 3, 26)),
    ]
    b = Member.objects.get(card_number="12340002")
    assert b.gender == "female" and b.ceremony_date == datetime.date(2015, 4, 2)
    c = Member.objects.get(card_number="12340003")
    assert c.status == Status.PROBATIONARY and c.official_on is None and c.ethnicity == "02"
    assert c.organization == org_tree.cell_b
    assert list(c.events.values_list("kind", flat=True)) == [MemberEvent.Kind.ADMITTED]
    history = a.history.get()
    assert history.history_change_reason == "Nhập từ tệp Excel dang-vien.xlsx"
    assert history.history_user == province_staff
    log = AccessLog.objects.get(action=AccessLog.Action.IMPORT)
    assert log.user == province_staff and "3 đảng viên" in log.detail


def _ago(days: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


# --- validation, all or nothing --------------------------------------------------------------------


def test_broken_rows_are_each_reported_and_nothing_is_written_until_fixed(org_tree, province_staff):
    rows = [
        person(1),
        person(2, **{"Ngày sinh* (dd/mm/yyyy)": "31/02/1980"}),
        person(3, **{"Số CCCD": "12345"}),
        person(4, **{"Ngày kết nạp* (dd/mm/yyyy)": "01/03/2015"}),  # before the decision
        person(5, **{"Ngày sinh* (dd/mm/yyyy)": "01/01/2000"}),  # 15 at the decision
        person(6, **{"Tôn giáo": "Thờ cúng"}),
        person(7, **{"Họ và tên*": ""}),
    ]
    report = run(province_staff, org_tree.province, workbook_bytes(rows))
    assert not report.ok and report.created == 0
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "Ngày sinh* (dd/mm/yyyy)"),
        (4, "Số CCCD"),
        (5, "Ngày kết nạp* (dd/mm/yyyy)"),
        (6, "Ngày sinh* (dd/mm/yyyy)"),
        (7, "Tôn giáo"),
        (8, "Họ và tên*"),
    }
    by_row = {e.row: e for e in report.errors}
    assert by_row[4].value == "12345" and "12 chữ số" in by_row[4].message
    assert "Chưa đủ 18 tuổi" in by_row[6].message and "Quy định" in by_row[6].message
    assert by_row[7].value == "Thờ cúng"
    assert Member.objects.count() == 0 and MemberEvent.objects.count() == 0
    assert not AccessLog.objects.exists()
    table = report.as_table()
    assert "Dòng" in table and "Thờ cúng" in table

    fixed = [person(i) for i in range(1, 8)]
    report = run(province_staff, org_tree.province, workbook_bytes(fixed))
    assert report.ok and Member.objects.count() == 7


def test_dry_run_validates_and_writes_nothing(org_tree, province_staff):
    report = run(province_staff, org_tree.province, workbook_bytes([person(1), person(2)]), dry_run=True)
    assert report.ok and report.total_rows == 2 and report.created == 0
    assert "chạy thử" in report.summary()
    assert not Member.objects.exists() and not MemberEvent.objects.exists() and not AccessLog.objects.exists()


def test_labels_without_diacritics_or_case_are_accepted(org_tree, province_staff):
    row = person(
        1,
        **{
            "Giới tính* (Nam/Nữ)": "NỮ",
            "Tôn giáo": "phat giao",
            "Lý luận chính trị": "trung cap",
            "Nghề nghiệp": "vien chuc",
            "Dân tộc": "kho me",
        },
    )
    report = run(province_staff, org_tree.province, workbook_bytes([row]))
    assert report.ok, report.as_table()
    m = Member.objects.get()
    assert (m.gender, m.religion, m.theory_level, m.occupation, m.ethnicity) == (
        "female",
        "buddhism",
        "intermediate",
        "public_employee",
        "05",
    )


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","a")', "+84912345678", "-1+1", "@SUM(A1)", "\t=1"])
def test_text_that_would_run_as_a_formula_is_refused(org_tree, province_staff, value):
    report = run(province_staff, org_tree.province, workbook_bytes([person(1, **{"Nơi làm việc": value})]))
    assert not report.ok
    (error,) = report.errors
    assert error.row == 2 and error.column == "Nơi làm việc" and "công thức" in error.message
    assert not Member.objects.exists()


def test_duplicates_in_the_file_and_against_the_database(org_tree, province_staff):
    assert run(province_staff, org_tree.province, workbook_bytes([person(1)])).ok
    rows = [
        person(2),
        person(3, **{"Số CCCD": person(2)["Số CCCD"]}),  # same citizen ID as row 2 of this file
        person(4, **{"Số thẻ đảng viên": "12340001"}),  # card already in the database
        person(5, **{"Số CCCD": "001180000001"}),  # citizen ID already in the database
    ]
    report = run(province_staff, org_tree.province, workbook_bytes(rows))
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "Số CCCD")] == "Số CCCD trùng với dòng 2 trong tệp."
    assert "đã cấp cho một đảng viên khác" in messages[(4, "Số thẻ đảng viên")]
    assert "đã có trong hồ sơ" in messages[(5, "Số CCCD")]
    assert len(report.errors) == 3 and Member.objects.count() == 1


def test_organization_code_outside_the_actors_scope_is_a_row_error(org_tree, commune_a_staff):
    rows = [
        person(1),
        person(2, **{"Mã chi bộ*": "T99-BS-1"}),
        person(3, **{"Mã chi bộ*": "KHONG-CO"}),
        person(4, **{"Mã chi bộ*": "T99-AB"}),
    ]
    report = run(commune_a_staff, org_tree.commune_a, workbook_bytes(rows))
    messages = {e.row: e.message for e in report.errors}
    assert set(messages) == {3, 4, 5}
    assert "ngoài phạm vi quản lý" in messages[3]
    assert messages[4] == "Không có tổ chức nào mã «KHONG-CO»."
    assert "không phải chi bộ" in messages[5]
    assert not Member.objects.exists()


def test_actor_who_cannot_manage_the_organization_is_refused(org_tree, commune_b_staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(commune_b_staff, org_tree.commune_a, workbook_bytes([person(1)]))


# --- files refused ---------------------------------------------------------------------------------


def test_not_an_xlsx_file_is_refused(org_tree, province_staff):
    csv = "Họ và tên*,Giới tính*\nNguyễn Văn A,Nam\n".encode()
    report = run(province_staff, org_tree.province, csv, name="dang-vien.xlsx")
    assert "CSV" in report.refused and not report.ok
    old = import_files.OLE_MAGIC + b"\0" * 600
    assert "Excel cũ (.xls)" in run(province_staff, org_tree.province, old).refused
    encrypted = import_files.OLE_MAGIC + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    assert "mật khẩu" in run(province_staff, org_tree.province, encrypted).refused
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
    assert "không phải bảng tính" in run(province_staff, org_tree.province, docx.getvalue()).refused
    corrupt = workbook_bytes([person(1)])[:3000]
    assert "hỏng" in run(province_staff, org_tree.province, corrupt).refused
    assert not Member.objects.exists()


def test_zip_bomb_is_refused_before_opening(org_tree, province_staff):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml", f'<Types><Override ContentType="{import_files.SHEET_MAIN}"/></Types>'
        )
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    report = run(province_staff, org_tree.province, bomb.getvalue())
    assert "bom nén" in report.refused


def test_too_large_and_too_many_rows_are_refused(org_tree, province_staff, settings, monkeypatch):
    content = workbook_bytes([person(1), person(2), person(3)])
    settings.MEMBER_IMPORT_MAX_BYTES = 1000
    assert "Tệp quá lớn" in run(province_staff, org_tree.province, content).refused
    settings.MEMBER_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    monkeypatch.setattr("dangvu.members.importing.service.MAX_ROWS", 2)
    report = run(province_staff, org_tree.province, content)
    assert "quá nhiều dòng" in report.refused and "giới hạn là 2 dòng" in report.refused


def test_missing_or_renamed_header_column_is_named(org_tree, province_staff):
    headers = list(HEADERS)
    headers[HEADERS.index("Ngày sinh* (dd/mm/yyyy)")] = "Năm sinh"
    report = run(province_staff, org_tree.province, workbook_bytes([person(1)], headers=headers))
    assert "Thiếu cột «Ngày sinh* (dd/mm/yyyy)»" in report.refused
    assert "«Năm sinh»" in report.refused


# --- stored runs, the task and the CLI -------------------------------------------------------------


def test_start_import_runs_small_files_inline(org_tree, province_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("danh sach.xlsx", workbook_bytes([person(1), person(2)]))
    run_ = start_import(
        actor=province_staff, organization=org_tree.province, uploaded_file=upload, dry_run=False
    )
    assert run_.state == MemberImport.State.DONE
    assert run_.file.name.startswith("imports/") and (tmp_path / run_.file.name).exists()
    info = import_progress(run_)
    assert info["finished"] and info["ok"] and info["created"] == 2 and info["percent_label"] == "100,00%"
    assert Member.objects.count() == 2


def test_large_files_go_to_the_background_task(
    org_tree, province_staff, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("dangvu.members.importing.runs.INLINE_MAX_ROWS", 2)
    upload = SimpleUploadedFile(
        "lon.xlsx", workbook_bytes([person(1), person(2), person(3, **{"Số CCCD": "1"})])
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_ = start_import(
            actor=province_staff, organization=org_tree.province, uploaded_file=upload, dry_run=False
        )
    assert len(callbacks) == 1  # enqueued; the immediate backend of the tests runs it at once
    info = import_progress(run_)
    assert info["state"] == MemberImport.State.REJECTED and not info["ok"]
    assert info["errors"] == [
        {"row": 4, "column": "Số CCCD", "value": "1", "message": "Số CCCD gồm đúng 12 chữ số."}
    ]
    assert not Member.objects.exists()


def test_start_import_stores_refusals(org_tree, province_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("x.xlsx", b"a,b,c\n1,2,3\n")
    run_ = start_import(
        actor=province_staff, organization=org_tree.province, uploaded_file=upload, dry_run=True
    )
    info = import_progress(run_)
    assert info["finished"] and not info["ok"] and "CSV" in info["refused"]
    assert "CSV" in info["errors"][0]["message"]  # the page lists the refusal like a row error


def test_progress_by_job_id_is_scoped(org_tree, province_staff, commune_b_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("a.xlsx", workbook_bytes([person(1)]))
    run_ = start_import(actor=province_staff, organization=org_tree.province, file=upload, dry_run=True)
    assert import_progress(user=province_staff, job_id=str(run_.pk))["ok"]
    with pytest.raises(LookupError):
        import_progress(user=commune_b_staff, job_id=run_.pk)


def test_cli_prints_the_report_and_exits_non_zero_on_errors(org_tree, province_staff, tmp_path):
    path = tmp_path / "sai.xlsx"
    path.write_bytes(workbook_bytes([person(1), person(2, **{"Số thẻ đảng viên": "12"})]))
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_members", str(path), org="T99", as_user="province_staff", stdout=out)
    assert exc.value.returncode == 1
    text = out.getvalue()
    assert "Dòng" in text and "Số thẻ đảng viên" in text and "8 chữ số" in text
    assert not Member.objects.exists()

    path.write_bytes(workbook_bytes([person(1), person(2)]))
    out = StringIO()
    call_command("import_members", str(path), org="T99", as_user="province_staff", dry_run=True, stdout=out)
    assert "2 dòng hợp lệ" in out.getvalue() and not Member.objects.exists()
    call_command("import_members", str(path), org="T99", as_user="province_staff", stdout=out)
    assert "Đã nhập 2 đảng viên" in out.getvalue() and Member.objects.count() == 2
