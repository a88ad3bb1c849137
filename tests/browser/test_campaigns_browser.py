"""The two campaigns of issue 6 through the pages.

1. A congress round of affiliated cells: the cell secretary records the congress of their cell, and
   the province's progress goes from 1/3 to 2/3 at once; the date picker still shows 1/3 for a day
   before that congress.
2. A candidate (quần chúng ưu tú) of the school's cell goes through every stage, from the listing to
   the admission ceremony, as the commune's staff fill each stage's form; they end on the new
   probationary member's page and the commune's admission progress counts one more.

The dates are fixed days in the past (2025 for the congress, 2026 for the admission), so the rules
in force on them never change with the day the tests run; the clock is not frozen, because the
browser would then drop the session cookie the server dates in the past.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from dangvu.admissions import services as admission_services
from dangvu.admissions.models import Candidate
from dangvu.congresses import services as congress_services
from dangvu.congresses.choices import Level, Position
from dangvu.congresses.models import CommitteeMembership, Congress
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.members.tests.factories import MemberFactory
from dangvu.reports import tallies

from .conftest import login

pytestmark = pytest.mark.browser
D = datetime.date


def switch_user(page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


# ---------------------------------------------------------------------------------------------
# 1. A congress recorded in a cell moves the province's figure


@pytest.fixture
def cell_round(org_tree, province_staff):
    """The province's round of affiliated-cell congresses (term 2025–2027, from 01/8/2025, due
    30/11/2025), opened: cell_a and school_cell (commune A), cell_b (commune B). The school's cell
    held its congress on 10/09/2025."""
    rnd = congress_services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2027,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 11, 30),
    )
    rnd = congress_services.round_open(actor=province_staff, round=rnd, on=D(2025, 8, 1))
    teacher = MemberFactory(full_name="Hoàng Thị Giáo", organization=org_tree.school_cell)
    congress_services.congress_record(
        actor=province_staff,
        congress=Congress.objects.get(round=rnd, organization=org_tree.school_cell),
        held_on=D(2025, 9, 10),
        summoned=5,
        attending=5,
        official_members=5,
        seats=[congress_services.ElectedSeat(teacher, Position.SECRETARY, 5, 5)],
    )
    return rnd


@pytest.fixture
def cell_members(org_tree):
    """Six official members of cell_a (Chi bộ thôn Đông)."""
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Chi", "Phạm Văn Dũng", "Đỗ Văn Hải", "Vũ Thị Hoa"]
    return [
        MemberFactory(full_name=name, organization=org_tree.cell_a, birth_date=D(1980 + i, 3, 10))
        for i, name in enumerate(names)
    ]


def test_recording_a_cell_congress_moves_the_province_progress(
    page, shot, org_tree, cell_round, cell_members, province_staff, cell_secretary
):
    an = cell_members[0]
    headline = page.locator("#headline")

    # The province sees one of its three cells held.
    login(page, province_staff)
    page.get_by_role("link", name="Đại hội", exact=True).first.click()
    page.get_by_role("link", name=cell_round.name).click()
    page.get_by_role("link", name=re.compile("^Tiến độ")).click()
    expect(headline).to_have_text("Đã tổ chức đại hội: 1/3 chi bộ (33,33%)")
    expect(page.locator("#children")).to_contain_text("Đảng bộ xã An Bình")
    expect(page.locator("#missing")).to_contain_text("Chi bộ thôn Đông")

    # The cell's secretary finds the congress of their cell and records it.
    switch_user(page, cell_secretary)
    page.get_by_role("link", name="Đại hội", exact=True).first.click()
    page.get_by_role("link", name=cell_round.name).click()
    page.get_by_role("link", name=re.compile("Tiến độ · Chi bộ thôn Đông")).click()
    page.get_by_role("link", name="Đại hội của Chi bộ thôn Đông").click()
    expect(page.locator("#congress-state")).to_contain_text("Quá hạn")
    shot(page, "congress")
    page.get_by_role("link", name="Ghi kết quả đại hội").click()
    expect(page.get_by_label("Số đảng viên chính thức của tổ chức")).to_have_value("6")
    page.get_by_label("Đã tổ chức ngày").fill("15/10/2025")
    page.get_by_label("Số đại biểu, đảng viên được triệu tập").fill("6")
    page.get_by_label("Số có mặt").fill("5")
    member_select = page.get_by_label("Đảng viên dòng 1", exact=True)
    expect(member_select.locator(f"option[value='{an.pk}']")).to_contain_text("Nguyễn Văn An (1980)")
    member_select.select_option(str(an.pk))
    page.get_by_label("Chức vụ dòng 1", exact=True).select_option(Position.SECRETARY)
    page.get_by_label("Phiếu bầu cấp ủy dòng 1", exact=True).fill("5")
    page.get_by_label("Phiếu hợp lệ dòng 1", exact=True).fill("5")
    shot(page, "record-form")
    page.get_by_role("button", name="Ghi kết quả", exact=True).click()
    expect(page.locator("#messages")).to_contain_text(
        "Đã ghi kết quả đại hội Chi bộ thôn Đông ngày 15/10/2025."
    )
    expect(page.locator("#congress-state")).to_contain_text("Đã tổ chức")
    expect(page.locator("#attendance")).to_contain_text("5/6")
    expect(page.locator("#seats")).to_contain_text("Nguyễn Văn An")
    shot(page, "congress-held")
    assert CommitteeMembership.objects.get(organization=org_tree.cell_a).position == Position.SECRETARY

    # The province's figure has moved, and the commune's line under it.
    switch_user(page, province_staff)
    page.goto(f"/dai-hoi/{cell_round.pk}/tien-do/")
    expect(headline).to_have_text("Đã tổ chức đại hội: 2/3 chi bộ (66,67%)")
    commune_a_row = page.locator("#children tr", has_text="Đảng bộ xã An Bình")
    expect(commune_a_row).to_contain_text("2/2 (100,00%)")
    expect(page.locator("#missing")).not_to_contain_text("Chi bộ thôn Đông")
    shot(page, "progress")
    shot(page, "progress-phone", phone=True)

    # A day before the cell's congress, the province still had one held.
    page.get_by_label("Xem tiến độ tại ngày").fill("2025-10-14")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page).to_have_url(re.compile(r"ngay=2025-10-14"))
    expect(headline).to_have_text("Đã tổ chức đại hội: 1/3 chi bộ (33,33%)")
    expect(page.get_by_text("Tiến độ tại ngày 14/10/2025")).to_be_visible()
    expect(page.locator("#missing")).to_contain_text("Chi bộ thôn Đông")
    shot(page, "progress-as-of")

    # Drilling down keeps the date: the commune had one of its two cells held.
    page.locator("#children").get_by_role("link", name="Đảng bộ xã An Bình").click()
    expect(page).to_have_url(re.compile(rf"/tien-do/{org_tree.commune_a.pk}/\?ngay=2025-10-14"))
    expect(headline).to_have_text("Đã tổ chức đại hội: 1/2 chi bộ (50,00%)")


# ---------------------------------------------------------------------------------------------
# 2. A candidate through every stage to probationary member


@pytest.fixture
def school_members(org_tree):
    """Three official members of the school's cell (sponsors, voters), members since 2010."""
    return [
        MemberFactory(full_name=name, organization=org_tree.school_cell, birth_date=D(1975 + i, 5, 2))
        for i, name in enumerate(["Lê Thị Hạnh", "Ngô Văn Khoa", "Bùi Thị Lan"])
    ]


@pytest.fixture
def admission_target(org_tree, province_staff):
    """Commune A's target for 2026: 4 new members; one already admitted (decision 28/02/2026)."""
    admission_services.target_set(
        actor=province_staff,
        organization=org_tree.commune_a,
        year_from=2026,
        target=4,
        decision_ref="05-KH/TU",
    )
    MemberFactory(
        full_name="Đinh Văn Sớm",
        organization=org_tree.cell_a,
        birth_date=D(2000, 1, 1),
        status=Status.PROBATIONARY,
        ceremony_date=D(2026, 3, 10),
        admission_decision_date=D(2026, 2, 28),
    )
    tallies.rebuild()  # factories write members directly; the services keep the counters in step


def field(text: str) -> re.Pattern[str]:
    """A field's label exactly, with or without the required mark (" *") the page adds."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def fill_stage(page, fields: dict[str, str]) -> None:
    form = page.locator("#stage-form")
    for label, value in fields.items():
        form.get_by_label(field(label)).fill(value)
    form.get_by_role("button", name="Ghi", exact=True).click()


def expect_done(page, stage: str, on: str) -> None:
    step = page.locator(f"#timeline li[data-stage='{stage}']")
    expect(step).to_have_attribute("data-state", "done")
    expect(step).to_contain_text(on)


def test_a_candidate_goes_through_every_stage_to_probationary_member(
    page, shot, org_tree, school_members, admission_target, commune_a_staff
):
    hanh, khoa, _lan = school_members
    login(page, commune_a_staff)
    page.get_by_role("link", name="Kết nạp đảng viên", exact=True).first.click()
    page.goto(f"/ket-nap/tien-do/{org_tree.commune_a.pk}/?ky=2026")
    expect(page.locator("#headline")).to_have_text("Kết nạp được 1/4 đảng viên mới, đạt 25,00% chỉ tiêu")

    # The commune's staff list the candidate for the school's cell.
    page.get_by_role("link", name="Quần chúng ưu tú").first.click()
    page.get_by_role("link", name="Thêm quần chúng ưu tú").click()
    form = page.locator("#candidate-form")
    form.get_by_label(field("Chi bộ")).select_option(label="Chi bộ giáo viên")
    form.get_by_label("Ngày được giới thiệu là quần chúng ưu tú").fill("05/01/2026")
    form.get_by_label("Họ và tên").fill("Trịnh Thị Ngọc Ánh")
    form.get_by_label("Giới tính").select_option(label="Nữ")
    form.get_by_label("Ngày sinh").fill("12/08/1998")
    form.get_by_label("Số CCCD").fill("001198012345")
    form.get_by_label("Quê quán").fill("Xã An Bình, tỉnh Thử Nghiệm")
    form.get_by_label("Nơi làm việc").fill("Trường THPT An Bình")
    form.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("Đã thêm quần chúng ưu tú Trịnh Thị Ngọc Ánh")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trịnh Thị Ngọc Ánh")
    expect(page.locator("#stage-form-title")).to_contain_text("lớp bồi dưỡng nhận thức về Đảng")
    shot(page, "listed")
    candidate = Candidate.objects.get(full_name="Trịnh Thị Ngọc Ánh")

    # The class certificate.
    fill_stage(page, {"Số giấy chứng nhận": "123/GCN-TTCT", "Ngày cấp giấy chứng nhận": "20/02/2026"})
    expect_done(page, "class", "20/02/2026")

    # Two sponsors, found in the picker by a name typed without diacritics.
    stage_form = page.locator("#stage-form")
    stage_form.get_by_label("Ngày chi bộ phân công người giới thiệu").fill("02/03/2026")
    stage_form.get_by_label("Tìm đảng viên (gõ có hoặc không dấu)").fill("hanh")
    first = stage_form.get_by_label("Người giới thiệu thứ nhất")
    expect(first.locator(f"option[value='{khoa.pk}']")).to_be_hidden()
    first.select_option(str(hanh.pk))
    stage_form.get_by_label(field("Cùng công tác, học tập từ ngày")).fill("01/09/2023")
    stage_form.get_by_label("Tìm đảng viên (gõ có hoặc không dấu)").fill("ngo van")
    stage_form.get_by_label("Người giới thiệu thứ hai").select_option(str(khoa.pk))
    stage_form.get_by_label("Cùng công tác, học tập từ ngày (người thứ hai)").fill("01/09/2022")
    shot(page, "sponsors")
    stage_form.get_by_role("button", name="Ghi", exact=True).click()
    expect_done(page, "sponsored", "02/03/2026")
    expect(page.locator("#timeline")).to_contain_text("Người giới thiệu: Lê Thị Hạnh")
    expect(page.locator("#timeline")).to_contain_text("Người giới thiệu: Ngô Văn Khoa")

    # The personal history verified.
    fill_stage(
        page,
        {
            "Ngày hoàn thành thẩm tra lý lịch": "15/04/2026",
            "Kết quả thẩm tra": "Lý lịch rõ ràng, gia đình chấp hành tốt chủ trương, chính sách.",
        },
    )
    expect_done(page, "verified", "15/04/2026")

    # The cell votes: 2 of its 3 official members, exactly two thirds.
    stage_form = page.locator("#stage-form")
    expect(stage_form.get_by_label("Số đảng viên chính thức của chi bộ")).to_have_value("3")
    expect(page.locator("#vote-threshold")).to_contain_text("cần ít nhất 2 phiếu tán thành")
    stage_form.get_by_label("Ngày chi bộ họp xét, biểu quyết").fill("05/05/2026")
    stage_form.get_by_label("Số đảng viên chính thức tán thành").fill("2")
    shot(page, "cell-vote")
    stage_form.get_by_role("button", name="Ghi", exact=True).click()
    expect(page.locator("#messages")).to_contain_text("2/3 đảng viên chính thức tán thành (66,67%), đạt 2/3")
    expect_done(page, "cell_voted", "05/05/2026")

    # The school is a base committee: it considers the cell's proposal before the commune decides.
    fill_stage(
        page, {"Ngày đảng ủy cơ sở xét, đề nghị": "12/05/2026", "Số nghị quyết của đảng ủy cơ sở": "12-NQ/ĐU"}
    )
    expect_done(page, "base_resolved", "12/05/2026")

    # The commune's decision, then the ceremony.
    fill_stage(
        page,
        {
            "Ngày quyết định kết nạp": "02/06/2026",
            "Số quyết định kết nạp": "45-QĐ/ĐU",
            "Ngày chi bộ nhận quyết định": "05/06/2026",
        },
    )
    expect_done(page, "decided", "02/06/2026")
    expect(page.locator("#timeline")).to_contain_text("Quyết định số 45-QĐ/ĐU của Đảng bộ xã An Bình")
    expect(page.locator("#stage-form-title")).to_contain_text("Lễ kết nạp")
    shot(page, "decided")
    fill_stage(page, {"Ngày tổ chức lễ kết nạp": "19/06/2026"})
    # One note says it, for good (no flash message repeating it).
    expect(page.locator("#admitted-note")).to_contain_text(
        "Đã kết nạp ngày 19/06/2026: Trịnh Thị Ngọc Ánh là đảng viên dự bị của Chi bộ giáo viên"
    )
    expect(page.get_by_text("Đã kết nạp")).to_have_count(1)
    expect(page.locator("#stage-form")).to_have_count(0)
    shot(page, "admitted")

    # The new member's page: a probationary member of the school's cell.
    page.locator("#member-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trịnh Thị Ngọc Ánh")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dự bị")
    shot(page, "member")
    member = Member.objects.get(full_name="Trịnh Thị Ngọc Ánh")
    assert member.status == Status.PROBATIONARY
    assert member.organization == org_tree.school_cell
    assert member.ceremony_date == D(2026, 6, 19)
    candidate.refresh_from_db()
    assert candidate.member == member

    # The commune's admissions count one more, and so does the school's line under it.
    page.goto(f"/ket-nap/tien-do/{org_tree.commune_a.pk}/?ky=2026")
    expect(page.locator("#headline")).to_have_text("Kết nạp được 2/4 đảng viên mới, đạt 50,00% chỉ tiêu")
    expect(page.locator("#admitted")).to_have_text("2")
    shot(page, "progress")
