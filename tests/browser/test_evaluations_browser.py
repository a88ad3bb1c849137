"""A whole quality-review round for one cell, through the pages: the province opens the round, the
member self-assesses, the secretary proposes and records the vote, the commune decides, and the
province sees the totals, the distribution and a cap violation that the commune then resolves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dangvu.evaluations.models import EvaluationRound, MemberRating
from dangvu.members.tests.factories import MemberFactory

from .conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def cell(org_tree, member):
    return [
        MemberFactory(full_name="Nguyễn Thị Mai", organization=org_tree.cell_a, user=member),
        MemberFactory(full_name="Trần Văn An", organization=org_tree.cell_a),
        MemberFactory(full_name="Lê Văn Bình", organization=org_tree.cell_a),
        MemberFactory(full_name="Phạm Văn Cường", organization=org_tree.cell_a),
        MemberFactory(full_name="Hoàng Văn Khác", organization=org_tree.cell_b),
    ]


def switch_user(page, user) -> None:
    page.context.clear_cookies()
    login(page, user)


def test_a_whole_round_for_one_cell(
    page, shot, org_tree, cell, province_staff, member, cell_secretary, commune_a_staff
):
    # The province opens the round.
    login(page, province_staff)
    page.get_by_role("link", name="Đánh giá, xếp loại").click()
    page.get_by_role("link", name="Tạo đợt đánh giá").click()
    page.get_by_label("Năm").fill("2025")
    page.get_by_label("Ngày chốt danh sách").fill("31/12/2025")
    page.get_by_label("Hạn đảng viên tự đánh giá").fill("05/12/2025")
    page.get_by_label("Hạn chi bộ đề xuất, biểu quyết").fill("10/12/2025")
    page.get_by_label("Hạn cấp có thẩm quyền quyết định").fill("20/12/2025")
    shot(page, "create")
    page.get_by_role("button", name="Tạo đợt (dự thảo)").click()
    expect(page.get_by_text("Dự thảo", exact=True)).to_be_visible()
    page.get_by_role("button", name="Mở đợt đánh giá").click()
    expect(page.locator("#messages")).to_contain_text("5 đảng viên trong danh sách")
    expect(page.locator("#rules")).to_contain_text("366-QĐ/TW")
    shot(page, "round")
    rnd = EvaluationRound.objects.get()

    # The member fills in the self-assessment.
    switch_user(page, member)
    page.goto("/danh-gia/")
    page.get_by_role("link", name="Đánh giá của tôi").click()
    page.get_by_label("Điểm tự chấm (0–100)").fill("93")
    page.get_by_label("Tự xếp loại").select_option("htxs")
    page.get_by_label("Ưu điểm").fill("Gương mẫu, hoàn thành vượt nhiệm vụ được giao.")
    page.get_by_label("Hạn chế, khuyết điểm").fill("Đôi khi chậm báo cáo.")
    page.get_by_label("Biện pháp khắc phục").fill("Lập lịch báo cáo hằng tháng.")
    shot(page, "self")
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    expect(page.locator("#messages")).to_contain_text("Đã nộp bản tự đánh giá")

    # The secretary enters the proposals and the vote, row by row with the keyboard.
    switch_user(page, cell_secretary)
    page.goto(f"/danh-gia/{rnd.pk}/")
    page.get_by_role("link", name=re.compile("Tiến độ")).click()
    expect(page.locator("#total-progress")).to_have_text("0/4 đã đánh giá")
    page.get_by_role("link", name="Nhập đề xuất, biểu quyết").click()
    entries = [("92", "htxs"), ("85", "htt"), ("78", "htt"), ("65", "ht")]
    names = ["Nguyễn Thị Mai", "Trần Văn An", "Lê Văn Bình", "Phạm Văn Cường"]
    ordered = sorted(zip(names, entries, strict=True), key=lambda x: x[0].split()[-1])
    page.get_by_label(f"Điểm của {ordered[0][0]}").focus()
    for name, (score, level) in ordered:
        expect(page.get_by_label(f"Điểm của {name}")).to_be_focused()
        page.keyboard.type(score)
        page.keyboard.press("Tab")
        page.get_by_label(f"Mức đề xuất cho {name}").select_option(level)
        for _ in range(4):  # level → note → votes for → votes total → next row's score
            page.keyboard.press("Tab")
    page.get_by_label("Số phiếu tán thành", exact=True).fill("4")
    page.get_by_label("Số đảng viên biểu quyết", exact=True).fill("4")
    page.get_by_role("button", name="Điền cho mọi dòng").click()
    expect(page.get_by_label("Số phiếu tán thành của Trần Văn An")).to_have_value("4")
    shot(page, "cell")
    page.get_by_role("button", name="Ghi đề xuất và biểu quyết").click()
    expect(page.locator("#messages")).to_contain_text("Đã ghi đề xuất của 4 và kết quả biểu quyết của 4")
    assert MemberRating.objects.filter(round=rnd, votes_total=4).count() == 4

    # The commune (the competent committee for a residential cell) accepts the proposals.
    switch_user(page, commune_a_staff)
    page.goto(f"/danh-gia/{rnd.pk}/quyet-dinh/{org_tree.commune_a.pk}/")
    expect(page.locator("#decisions")).to_contain_text("Chi bộ thôn Đông")
    page.get_by_label("Số quyết định", exact=True).first.fill("15-QĐ/ĐU")
    shot(page, "decide")
    page.get_by_role("button", name="Chấp nhận tất cả đề xuất").click()
    expect(page.locator("#messages")).to_contain_text("Đã ghi quyết định xếp loại của 4 đảng viên")

    # The province sees the totals, the distribution and the cap violation (1 HTXS > 20% of 2 HTT).
    switch_user(page, province_staff)
    page.goto(f"/danh-gia/{rnd.pk}/tien-do/")
    expect(page.locator("#total-progress")).to_have_text("4/5 đã đánh giá")
    expect(page.locator("#distribution")).to_contain_text("25,00%")
    expect(page.locator("#violations")).to_contain_text("vượt mức tối đa 0 (20% của 2 đảng viên HTT)")
    expect(page.locator("#pending")).to_contain_text("Hoàng Văn Khác")
    shot(page, "province")
    page.get_by_role("link", name="Đảng bộ xã An Bình").first.click()
    expect(page.locator("#children")).to_contain_text("Chi bộ thôn Đông")
    shot(page, "commune")

    # The commune resolves it: the excellent member is lowered to HTT.
    switch_user(page, commune_a_staff)
    page.goto(f"/danh-gia/{rnd.pk}/quyet-dinh/{org_tree.commune_a.pk}/")
    page.get_by_label("Quyết định xếp loại Nguyễn Thị Mai").select_option("htt")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator("#messages")).to_contain_text("Đã ghi quyết định xếp loại của 1 đảng viên")
    page.goto(f"/danh-gia/{rnd.pk}/tien-do/{org_tree.commune_a.pk}/")
    expect(page.locator("#violations")).to_contain_text("không có trường hợp nào trái quy định")

    # The member sees the result.
    switch_user(page, member)
    page.goto("/danh-gia/cua-toi/")
    expect(page.locator("#results")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    shot(page, "mine")
    shot(page, "mine-phone", phone=True)
