"""The statistics dashboard in a real browser: headline, charts, a past date, drilling down, a phone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangvu.members import services
from dangvu.members.choices import Gender, Status
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import tallies

from .conftest import login

pytestmark = pytest.mark.browser
D = datetime.date


@pytest.fixture
def small_province(org_tree, province_staff):
    """A dozen members, and one moved from commune A to commune B today."""
    t = org_tree
    for i in range(5):
        MemberFactory(
            organization=t.cell_a, full_name=f"Nguyễn Văn An {i}", ethnicity="02" if i % 2 else "01"
        )
    for i in range(3):
        MemberFactory(
            organization=t.school_cell,
            full_name=f"Lê Thị Hoa {i}",
            gender=Gender.FEMALE,
            birth_date=D(1990, 1, 1),
        )
    MemberFactory(
        organization=t.cell_b,
        full_name="Trần Thị Mai",
        gender=Gender.FEMALE,
        status=Status.PROBATIONARY,
        birth_date=D(2001, 2, 2),
        admission_decision_date=D(2025, 10, 1),
        ceremony_date=D(2025, 10, 10),
    )
    moved = MemberFactory(organization=t.cell_a, full_name="Phạm Văn Chuyển")
    tallies.rebuild()
    transfer = services.transfer_issue(actor=province_staff, member=moved, kind="official", to_org=t.cell_b)
    services.transfer_accept(actor=province_staff, transfer=transfer)
    return t


def test_province_dashboard_with_a_past_date_and_drill_down(page, shot, province_staff, small_province):
    login(page, province_staff)
    page.get_by_role("link", name="Thống kê", exact=True).first.click()

    expect(page.get_by_role("heading", name="Đảng bộ tỉnh Thử Nghiệm", level=1)).to_be_visible()
    total = page.locator('[data-figure="total"] .dv-stat-value')
    expect(total).to_have_text("10")
    expect(page.locator("#figures-source")).to_contain_text("Số liệu hôm nay")
    expect(page.locator("canvas#chart-pyramid")).to_be_visible()
    assert page.locator("canvas#chart-status").evaluate("c => c.width > 0 && !!Chart.getChart(c)")
    shot(page, "today")
    shot(page, "today-phone", phone=True)

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Xem số liệu tại ngày").fill(yesterday.isoformat())
    page.get_by_role("button", name="Xem", exact=True).click()

    expect(page).to_have_url(re.compile(rf"\?as_of={yesterday.isoformat()}$"))
    expect(page.locator("#figures-source")).to_contain_text(
        f"Số liệu tại ngày {yesterday:%d/%m/%Y}, tính lại từ lịch sử biến động"
    )
    expect(total).to_have_text("10")  # the move stayed inside the province
    commune_a = page.locator("#children-table tr", has_text="Đảng bộ xã An Bình")
    expect(commune_a.locator("td").nth(1)).to_have_text("9")  # before the move: 6 + 3
    shot(page, "past")

    page.get_by_role("link", name="Đảng bộ xã An Bình").click()

    expect(page.get_by_role("heading", name="Đảng bộ xã An Bình", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"\?as_of={yesterday.isoformat()}$"))  # same date below
    expect(total).to_have_text("9")
    expect(page.locator("#children-table")).to_contain_text("Chi bộ thôn Đông")
    shot(page, "commune-past")
    shot(page, "commune-past-phone", phone=True)

    page.get_by_role("link", name="Về số liệu hôm nay").click()

    expect(total).to_have_text("8")  # today: Phạm Văn Chuyển now counts in commune B
    page.get_by_role("link", name="Đảng bộ tỉnh Thử Nghiệm").click()  # breadcrumb back up
    expect(page.get_by_role("heading", name="Đảng bộ tỉnh Thử Nghiệm", level=1)).to_be_visible()


def test_phone_width_has_no_horizontal_scroll(page, shot, province_staff, small_province):
    login(page, province_staff)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/thong-ke/{small_province.province.pk}/")

    expect(page.locator('[data-figure="total"] .dv-stat-value')).to_have_text("10")
    expect(page.locator("canvas#chart-admissions")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "phone")
