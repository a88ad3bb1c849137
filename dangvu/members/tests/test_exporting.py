"""Excel exports: scoped rows, masked sensitive fields, the register layout, access log."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.http import Http404

from dangvu.accounts.models import AccessLog
from dangvu.members.choices import Status
from dangvu.members.exporting import export_member_register_xlsx, export_members_xlsx
from dangvu.members.models import Member, MemberEvent
from dangvu.members.tests.factories import MemberFactory


@pytest.fixture
def people(org_tree):
    return {
        "a": MemberFactory(
            organization=org_tree.cell_a,
            full_name="Trần Văn Bình",
            citizen_id="001080000001",
            religion="buddhism",
            card_number="11111111",
        ),
        "a2": MemberFactory(
            organization=org_tree.cell_a,
            full_name="Nguyễn Thị An",
            status=Status.PROBATIONARY,
            ceremony_date=datetime.date(2026, 5, 1),
            citizen_id="001080000002",
        ),
        "b": MemberFactory(organization=org_tree.cell_b, full_name="Lê Văn Cường", citizen_id="001080000003"),
    }


def cells(content: bytes, sheet: int = 0) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def flat(rows: list[list]) -> str:
    return " ".join(str(v) for r in rows for v in r if v is not None)


def test_list_export_contains_only_scoped_members_and_hides_sensitive_fields(
    org_tree, people, commune_a_staff
):
    content = export_members_xlsx(
        user=commune_a_staff,
        queryset=Member.objects.all(),
        title="Danh sách thử",
        organization=org_tree.commune_a,
        filter_description="tình trạng: tất cả",
    )
    rows = cells(content)
    text = flat(rows)
    assert "DANH SÁCH THỬ" in text and "Tổ chức: Đảng bộ xã An Bình" in text
    assert "Điều kiện lọc: tình trạng: tất cả" in text and "Xuất lúc" in text
    header = next(r for r in rows if r and r[0] == "STT")
    assert "Số CCCD" not in header and "Tôn giáo" not in header and "Dân tộc" not in header
    names = [r[1] for r in rows[rows.index(header) + 1 :] if r and isinstance(r[0], int)]
    assert names == ["Nguyễn Thị An", "Trần Văn Bình"]  # Vietnamese order: An before Bình
    assert "Lê Văn Cường" not in text and "001080000001" not in text
    birth = rows[rows.index(header) + 1][header.index("Ngày sinh")]
    assert birth == datetime.datetime(1980, 3, 10)
    ws = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert (
        ws.cell(row=rows.index(header) + 2, column=header.index("Ngày sinh") + 1).number_format
        == "DD/MM/YYYY"
    )
    log = AccessLog.objects.get()
    assert log.action == AccessLog.Action.EXPORT and log.user == commune_a_staff
    assert "2 đảng viên" in log.detail and "không có trường nhạy cảm" in log.detail


def test_sensitive_fields_only_when_asked_and_logged(org_tree, people, commune_a_staff):
    content = export_members_xlsx(
        user=commune_a_staff, queryset=Member.objects.all(), title="DS", include_sensitive=True
    )
    rows = cells(content)
    header = next(r for r in rows if r and r[0] == "STT")
    binh = next(r for r in rows if r and r[1] == "Trần Văn Bình")
    assert binh[header.index("Số CCCD")] == "001080000001"
    assert binh[header.index("Tôn giáo")] == "Phật giáo" and binh[header.index("Dân tộc")] == "Kinh"
    assert "có trường nhạy cảm" in AccessLog.objects.get().detail


def test_a_leader_without_management_right_sees_sensitive_fields_masked(org_tree, people, province_leader):
    content = export_members_xlsx(
        user=province_leader, queryset=Member.objects.all(), title="DS", include_sensitive=True
    )
    text = flat(cells(content))
    assert "Lê Văn Cường" in text and "001080000003" not in text and "***" in text


def test_outsider_exports_nothing(org_tree, people, outsider):
    text = flat(cells(export_members_xlsx(user=outsider, queryset=Member.objects.all(), title="DS")))
    assert "Trần Văn Bình" not in text and "Tổng số: 0 đảng viên" in text


def test_register_lists_members_in_name_order_with_moves_and_print_setup(org_tree, people, commune_a_staff):
    moved = MemberFactory(organization=org_tree.cell_b, full_name="Phạm Văn Dũng")
    MemberEvent.objects.create(
        member=moved,
        kind=MemberEvent.Kind.TRANSFERRED_OUT,
        organization=org_tree.cell_a,
        other_org=org_tree.cell_b,
        effective_on=datetime.date(2026, 2, 1),
        status_after=Status.OFFICIAL,
    )
    content = export_member_register_xlsx(user=commune_a_staff, organization=org_tree.cell_a)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.active
    rows = cells(content)
    text = flat(rows)
    assert (
        "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "SỔ DANH SÁCH ĐẢNG VIÊN" in text and "CHI BỘ THÔN ĐÔNG" in text
    )
    header = next(r for r in rows if r and r[0] == "STT")
    assert header == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Quê quán",
        "Ngày vào Đảng",
        "Ngày chính thức",
        "Số thẻ",
        "Số lý lịch",
        "Ngày chuyển đến",
        "Ngày chuyển đi",
        "Ghi chú",
    ]
    body = [r for r in rows[rows.index(header) + 2 :] if r and isinstance(r[0], int)]
    assert [r[1] for r in body] == ["Nguyễn Thị An", "Trần Văn Bình", "Phạm Văn Dũng"]
    assert body[0][10] == "Dự bị" and body[1][6] == "11111111"
    assert body[2][9] == datetime.datetime(2026, 2, 1) and "Chi bộ khu phố 1" in body[2][10]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert AccessLog.objects.get().object_type == "member_register"


def test_register_of_an_organization_out_of_scope_is_404(org_tree, people, commune_b_staff):
    with pytest.raises(Http404):
        export_member_register_xlsx(user=commune_b_staff, organization=org_tree.cell_a)
    assert not AccessLog.objects.exists()


def test_cli_exports_the_list_and_the_register(org_tree, people, province_staff, tmp_path):
    out = StringIO()
    path = tmp_path / "ds.xlsx"
    call_command("export_members", org="T99-AB", output=str(path), as_user="province_staff", stdout=out)
    text = flat(cells(path.read_bytes()))
    assert "Trần Văn Bình" in text and "Lê Văn Cường" not in text and "001080000001" not in text
    call_command(
        "export_members",
        org="T99-AB-D",
        output=str(path),
        register=True,
        as_user="province_staff",
        stdout=out,
    )
    assert "SỔ DANH SÁCH ĐẢNG VIÊN" in flat(cells(path.read_bytes()))
    assert AccessLog.objects.count() == 2
