"""The member pages in a real browser: search and open a record, a transfer between communes, an import."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from dangvu.accounts.tests.factories import UserFactory
from dangvu.members import services
from dangvu.members.models import Member, Transfer

from .conftest import login

pytestmark = pytest.mark.browser
D = datetime.date


def register(org, full_name, **fields):
    admin = UserFactory(username=f"registrar-{Member.objects.count()}", is_superuser=True)
    data = {
        "full_name": full_name,
        "gender": "male",
        "birth_date": D(1980, 6, 15),
        "admission_decision_date": D(2008, 3, 1),
        "ceremony_date": D(2008, 3, 26),
        "citizen_id": f"0010800{Member.objects.count():05d}",
        **fields,
    }
    return services.member_register(actor=admin, organization=org, data=data, reason="Nhập hồ sơ giấy")


@pytest.fixture
def members(org_tree):
    return [
        register(org_tree.cell_a, "Nguyễn Thị Hường", gender="female", religion="catholic"),
        register(org_tree.cell_a, "Trần Văn Đức"),
        register(org_tree.school_cell, "Lê Thị Thu Hà", gender="female"),
        register(org_tree.cell_b, "Phạm Quốc Việt"),
    ]


def test_search_without_diacritics_and_open_the_record(page, shot, commune_a_staff, members):
    login(page, commune_a_staff)
    page.get_by_role("link", name="Đảng viên", exact=True).first.click()
    expect(page.get_by_role("heading", name="Đảng viên", level=1)).to_be_visible()
    expect(page.locator("#members")).to_contain_text("Trần Văn Đức")
    expect(page.locator("#members")).not_to_contain_text("Phạm Quốc Việt")  # commune B
    shot(page, "list")
    shot(page, "list-phone", phone=True)

    page.get_by_role("searchbox").press_sequentially("nguyen thi huong", delay=30)
    expect(page.locator("#members tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=nguyen"))
    page.get_by_role("link", name="Nguyễn Thị Hường").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Nguyễn Thị Hường")
    citizen_id = members[0].citizen_id
    expect(page.locator("#f-citizen-id")).to_have_text("••••••••" + citizen_id[-4:])
    expect(page.locator("#f-religion")).to_have_text("Đã ẩn")
    shot(page, "member")
    page.get_by_role("button", name="Hiện thông tin ẩn").click()
    expect(page.locator("#f-citizen-id")).to_have_text(citizen_id)
    expect(page.locator("#f-religion")).to_have_text("Công giáo")
    shot(page, "member-revealed")
    shot(page, "member-phone", phone=True)


def test_transfer_from_commune_a_to_commune_b(
    page, shot, org_tree, commune_a_staff, commune_b_staff, members
):
    duc = members[1]
    login(page, commune_a_staff)
    page.goto(f"/dang-vien/{duc.pk}/")
    page.get_by_role("link", name="Chuyển sinh hoạt").click()
    page.get_by_label("Tìm chi bộ nơi đến").press_sequentially("khu pho 1", delay=30)
    expect(page.locator("#destinations label")).to_have_count(1)  # the search answered
    page.get_by_role("radio", name=re.compile("Chi bộ khu phố 1")).check()
    page.get_by_label("Ngày giới thiệu").fill("03/11/2025")
    page.get_by_label("Số giấy giới thiệu").fill("15-GGT/ĐU")
    page.get_by_label("Lý do").fill("Chuyển nơi cư trú")
    shot(page, "form")
    page.get_by_role("button", name="Giới thiệu chuyển sinh hoạt").click()
    expect(page.get_by_text("chờ nơi đến tiếp nhận")).to_be_visible()
    expect(page.get_by_text("Đang chờ tiếp nhận")).to_be_visible()

    page.goto(f"/dang-vien/chuyen-sinh-hoat/to-chuc/{org_tree.commune_a.pk}/")
    expect(page.locator("#outgoing")).to_contain_text("Trần Văn Đức")
    expect(page.locator("#outgoing")).to_contain_text("Chờ tiếp nhận")
    shot(page, "outgoing")

    page.context.clear_cookies()
    login(page, commune_b_staff)
    page.goto(f"/dang-vien/chuyen-sinh-hoat/to-chuc/{org_tree.commune_b.pk}/")
    expect(page.locator("#incoming")).to_contain_text("Trần Văn Đức")
    shot(page, "incoming")
    shot(page, "incoming-phone", phone=True)
    page.locator("#incoming").get_by_role("link", name="Tiếp nhận").click()
    page.get_by_label("Ngày tiếp nhận").fill("10/11/2025")
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_text("Đã tiếp nhận Trần Văn Đức")).to_be_visible()
    expect(page.get_by_text("Không có đảng viên nào đang chờ tiếp nhận.")).to_be_visible()

    duc.refresh_from_db()
    assert duc.organization == org_tree.cell_b
    assert Transfer.objects.get(member=duc).state == Transfer.State.COMPLETED
    page.goto("/dang-vien/")
    expect(page.locator("#members")).to_contain_text("Trần Văn Đức")
    shot(page, "accepted")


def _file_with_errors() -> io.BytesIO:
    from dangvu.members import importing

    header = [
        c.value
        for c in next(load_workbook(io.BytesIO(importing.build_template())).active.iter_rows(max_row=1))
    ]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    ws.append(["Hoàng Văn Lỗi"] + [None] * (len(header) - 1))  # the other required columns are missing
    out = io.BytesIO()
    wb.save(out)
    return out


def test_import_a_file_with_errors_shows_the_report(page, shot, org_tree, commune_a_staff, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(_file_with_errors().getvalue())
    login(page, commune_a_staff)
    page.goto("/dang-vien/nhap/")
    page.get_by_label("Nhập vào tổ chức").select_option(label="Chi bộ thôn Đông")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra thử").click()
    report = page.locator("#import-errors")
    expect(report).to_be_visible()
    expect(report.locator("tbody tr").first.locator("td").first).to_have_text("2")  # its Excel row
    shot(page, "report")
    shot(page, "report-phone", phone=True)
    assert not Member.objects.exists()
