"""The party tree in a real browser: log in, browse, search, create, move, and a refused form."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from dangvu.organizations import services
from dangvu.organizations.models import Kind, Organization

from .conftest import login

pytestmark = pytest.mark.browser


def test_log_in_and_land_on_the_tree(page, shot, province_staff):
    page.goto("/to-chuc/")
    expect(page).to_have_url("/tai-khoan/dang-nhap/?next=/to-chuc/")
    shot(page, "login")

    login(page, province_staff)

    expect(page.get_by_role("heading", name="Tổ chức đảng", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Đảng bộ tỉnh Thử Nghiệm")).to_be_visible()
    shot(page, "tree")
    shot(page, "tree-phone", phone=True)


def test_browse_the_tree_by_expanding_nodes(page, shot, province_staff):
    login(page, province_staff)
    page.goto("/to-chuc/")

    page.get_by_role("button", name="Mở Đảng bộ tỉnh Thử Nghiệm").click()
    expect(page.get_by_role("link", name="Đảng bộ xã An Bình")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng bộ phường Bắc Sơn")).to_be_visible()
    page.get_by_role("button", name="Mở Đảng bộ xã An Bình").click()
    expect(page.get_by_role("link", name="Chi bộ thôn Đông")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng bộ Trường THPT An Bình")).to_be_visible()
    shot(page, "expanded")
    shot(page, "expanded-phone", phone=True)

    page.get_by_role("button", name="Thu gọn Đảng bộ xã An Bình").click()
    expect(page.get_by_role("link", name="Chi bộ thôn Đông")).to_be_hidden()
    page.get_by_role("button", name="Mở Đảng bộ xã An Bình").click()  # shown again, not loaded twice
    expect(page.get_by_role("link", name="Chi bộ thôn Đông")).to_have_count(1)


def test_search_without_diacritics_and_jump_to_the_node(page, shot, province_staff):
    login(page, province_staff)
    page.goto("/to-chuc/")

    page.get_by_role("searchbox").press_sequentially("xa an binh", delay=40)
    result = page.locator("#search-results").get_by_role("link", name="Đảng bộ xã An Bình")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Đảng bộ tỉnh Thử Nghiệm")  # where it sits in the tree
    expect(page).to_have_url(re.compile(r"/to-chuc/\?q=xa(\+|%20)an(\+|%20)binh$"))  # pushed: shareable
    shot(page, "results")
    shot(page, "results-phone", phone=True)

    result.click()

    expect(page.get_by_role("heading", name="Đảng bộ xã An Bình", level=1)).to_be_visible()
    expect(page.locator("#children-table")).to_contain_text("Chi bộ thôn Đông")
    shot(page, "detail")
    shot(page, "detail-phone", phone=True)


def test_create_an_organization_through_the_form(page, shot, province_staff, org_tree):
    login(page, province_staff)
    page.goto(f"/to-chuc/{org_tree.commune_a.pk}/")

    page.get_by_role("link", name="Thêm tổ chức trực thuộc").click()
    page.get_by_label("Cấp tổ chức").select_option(label="Chi bộ trực thuộc")
    page.get_by_label("Mã tổ chức").fill("T99-AB-TAY")
    page.get_by_label("Tên tổ chức").fill("Chi bộ thôn Tây")
    page.get_by_label("Đơn vị hành chính").fill("00004")
    page.get_by_label("Ngày thành lập").fill("15/08/2025")
    page.get_by_label("Số quyết định").fill("12-QĐ/ĐU")
    page.get_by_label("Ngày quyết định").fill("10/08/2025")
    page.get_by_label("Lý do").fill("Tách từ Chi bộ thôn Đông")
    shot(page, "form")
    shot(page, "form-phone", phone=True)
    page.get_by_role("button", name="Thành lập").click()

    expect(page.get_by_role("heading", name="Chi bộ thôn Tây", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đã thành lập «Chi bộ thôn Tây»")
    expect(page.locator("#events-table")).to_contain_text("12-QĐ/ĐU")
    shot(page, "created")
    assert Organization.objects.get_parent(Organization.objects.get(code="T99-AB-TAY")) == org_tree.commune_a


def test_move_an_organization_to_another_parent(page, shot, province_staff, org_tree):
    services.organization_create(
        actor=province_staff, parent=org_tree.commune_a, code="T99-AB-TAY", name="Chi bộ thôn Tây",
        kind=Kind.CELL, founded_on=datetime.date(2025, 8, 15),
    )  # fmt: skip
    org = Organization.objects.get(code="T99-AB-TAY")
    login(page, province_staff)
    page.goto(f"/to-chuc/{org.pk}/")

    page.get_by_role("link", name="Chuyển trực thuộc").click()
    page.get_by_role("searchbox").press_sequentially("bac son", delay=40)
    choice = page.get_by_role("radio", name="Đảng bộ phường Bắc Sơn")
    expect(choice).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(1)
    choice.check()
    page.get_by_label("Ngày hiệu lực").fill("01/09/2025")
    page.get_by_label("Số quyết định").fill("45-QĐ/TU")
    page.get_by_label("Lý do").fill("Sắp xếp lại theo địa bàn")
    shot(page, "form")
    shot(page, "form-phone", phone=True)
    page.get_by_role("button", name="Chuyển trực thuộc").click()

    expect(page.get_by_role("status")).to_contain_text("về trực thuộc «Đảng bộ phường Bắc Sơn»")
    breadcrumbs = page.get_by_role("navigation", name="breadcrumb")
    expect(breadcrumbs.get_by_role("link", name="Đảng bộ phường Bắc Sơn")).to_be_visible()
    expect(page.locator("#events-table")).to_contain_text("Sắp xếp lại theo địa bàn")
    shot(page, "moved")
    assert Organization.objects.get_parent(Organization.objects.get(pk=org.pk)) == org_tree.commune_b


def test_a_form_against_the_rules_shows_the_vietnamese_error(page, shot, province_staff, org_tree):
    login(page, province_staff)
    page.goto(f"/to-chuc/{org_tree.province.pk}/them/")

    page.get_by_label("Cấp tổ chức").select_option(label="Đảng bộ xã, phường, đặc khu")
    page.get_by_label("Mã tổ chức").fill("T99-XM")
    page.get_by_label("Tên tổ chức").fill("Đảng bộ xã Mới")
    page.get_by_label("Ngày thành lập").fill("01/01/2024")  # communes sat under districts then
    page.get_by_role("button", name="Thành lập").click()

    error = page.locator("#id_kind ~ .invalid-feedback")
    expect(error).to_contain_text("không được trực thuộc đảng bộ tỉnh, thành phố")
    expect(error).to_contain_text("Điều lệ Đảng 2011")
    expect(page.get_by_label("Cấp tổ chức")).to_have_class("form-select is-invalid")
    expect(page.get_by_label("Tên tổ chức")).to_have_value("Đảng bộ xã Mới")  # nothing typed is lost
    shot(page, "error")
    shot(page, "error-phone", phone=True)
    assert not Organization.objects.filter(code="T99-XM").exists()


def test_dissolve_an_organization_after_confirming(page, shot, province_staff, org_tree):
    login(page, province_staff)
    page.goto(f"/to-chuc/{org_tree.group_a.pk}/")

    page.get_by_role("link", name="Giải thể").click()
    page.get_by_label("Ngày giải thể").fill("01/10/2025")
    page.get_by_label("Lý do giải thể").fill("Sáp nhập vào tổ đảng số 2")
    page.get_by_role("button", name="Giải thể").click()
    expect(page.get_by_role("alert").first).to_contain_text("Chưa lưu được")  # not confirmed yet
    shot(page, "unconfirmed")
    page.get_by_label("Tôi xác nhận giải thể tổ chức này.").check()
    shot(page, "form-phone", phone=True)
    page.get_by_role("button", name="Giải thể").click()

    expect(page.get_by_role("status")).to_contain_text("Đã giải thể «Tổ đảng số 1» từ ngày 01/10/2025")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã giải thể 01/10/2025")
    expect(page.get_by_role("link", name="Giải thể")).to_have_count(0)
    shot(page, "dissolved")
    shot(page, "dissolved-phone", phone=True)
