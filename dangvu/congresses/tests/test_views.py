"""The congress pages: who sees what, recording a congress through the form, progress as of a date.

Fixtures come from this folder's conftest: today is 15/12/2025; the province's round of
affiliated-cell congresses (2025–2027, from 01/8/2025, due 30/11/2025) covers cell_a and
school_cell (commune A) and cell_b (commune B).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.congresses import services
from dangvu.congresses.choices import Level, Position, RoundState
from dangvu.congresses.models import CommitteeMembership, Congress, CongressDocument, CongressRound
from dangvu.congresses.tests.conftest import congress_of, make_member, record, seat
from dangvu.organizations.models import Kind
from dangvu.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name: str, *args: int) -> str:
    return reverse(f"congresses:{name}", args=args)


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def school_held(cell_round, org_tree, province_staff, today):
    """The school's cell held its congress on 10/09/2025 and elected its secretary."""
    teacher = make_member(org_tree.school_cell, "Hoàng Thị Giáo")
    return record(
        province_staff,
        congress_of(cell_round, org_tree.school_cell),
        [seat(teacher, Position.SECRETARY, 9, 10)],
        official_members=5,
    )


def seat_post(rows: list[dict], **main) -> dict:
    """The result form as a browser posts it: the main fields, then the seat rows."""
    data = {
        "held_on": "15/10/2025",
        "summoned": "6",
        "attending": "6",
        "official_members": "5",
        "note": "",
        "reason": "",
        "seat-TOTAL_FORMS": str(len(rows) + 1),  # plus one blank row, as the page always has
        "seat-INITIAL_FORMS": "0",
        "seat-MIN_NUM_FORMS": "0",
        "seat-MAX_NUM_FORMS": "1000",
    }
    data.update(main)
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"seat-{i}-{key}"] = str(value)
    return data


# ---------------------------------------------------------------------------------------------
# Rounds


def test_round_list_shows_the_province_round_in_scope_and_nothing_to_an_outsider(
    client, cell_round, province_staff, cell_secretary, outsider
):
    client.force_login(province_staff)
    page = body(client.get(url("round_list")))
    assert cell_round.name in page and "Tạo đợt đại hội" in page
    client.force_login(cell_secretary)
    page = body(client.get(url("round_list")))
    assert cell_round.name in page and "Tạo đợt đại hội" not in page
    client.force_login(outsider)
    response = client.get(url("round_list"))
    assert response.status_code == 200 and cell_round.name not in body(response)
    assert client.get(url("round_detail", cell_round.pk)).status_code == 404
    assert client.get(url("progress", cell_round.pk)).status_code == 404


def test_province_staff_creates_a_round_then_opens_it(client, org_tree, province_staff, today):
    client.force_login(province_staff)
    assert "Nhiệm kỳ từ năm" in body(client.get(url("round_create")))
    response = client.post(
        url("round_create"),
        {
            "organization": org_tree.province.pk,
            "level": Level.CELL,
            "term_start_year": "2025",
            "term_end_year": "2027",
            "starts_on": "01/08/2025",
            "deadline": "30/11/2025",
        },
    )
    rnd = CongressRound.objects.get()
    assert response.status_code == 302 and rnd.state == RoundState.DRAFT
    assert rnd.name == "Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027"
    detail = body(client.get(url("round_detail", rnd.pk)))
    assert "Mở đợt đại hội" in detail and "Quy định áp dụng" in detail and "2/3" in detail
    client.post(url("round_open", rnd.pk))
    rnd.refresh_from_db()
    assert rnd.state == RoundState.OPEN and rnd.congresses.count() == 3


def test_round_form_refuses_a_term_that_is_too_long_with_the_regulation(
    client, org_tree, province_staff, today
):
    client.force_login(province_staff)
    response = client.post(
        url("round_create"),
        {
            "organization": org_tree.province.pk,
            "level": Level.CELL,
            "term_start_year": "2025",
            "term_end_year": "2030",
            "starts_on": "01/08/2025",
            "deadline": "30/11/2025",
        },
    )
    assert response.status_code == 400
    assert "Điều lệ" in body(response)
    assert not CongressRound.objects.exists()


def test_a_commune_round_is_404_for_the_other_commune(
    client, org_tree, commune_a_staff, commune_b_staff, today
):
    rnd = services.round_create(
        actor=commune_a_staff,
        organization=org_tree.commune_a,
        level=Level.CELL,
        term_start_year=2025,
        term_end_year=2027,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 11, 30),
    )
    client.force_login(commune_b_staff)
    assert client.get(url("round_detail", rnd.pk)).status_code == 404
    assert client.post(url("round_open", rnd.pk)).status_code == 404
    assert not rnd.congresses.exists()


# ---------------------------------------------------------------------------------------------
# Progress


def test_province_progress_counts_per_commune_and_drills_down_keeping_the_date(
    client, org_tree, cell_round, school_held, province_staff
):
    client.force_login(province_staff)
    page = body(client.get(url("progress_org", cell_round.pk, org_tree.province.pk)))
    assert "Đã tổ chức đại hội: 1/3 chi bộ (33,33%)" in page
    assert "1/2 (50,00%)" in page  # commune A
    assert "0/1 (0,00%)" in page  # commune B
    assert url("progress_xlsx", cell_round.pk, org_tree.province.pk) in page
    assert url("progress_docx", cell_round.pk, org_tree.province.pk) in page
    # The deadline (30/11/2025) has passed: both cells not held are overdue and listed.
    assert "Quá hạn" in page and org_tree.cell_a.name in page and org_tree.cell_b.name in page
    page = body(client.get(url("progress_org", cell_round.pk, org_tree.province.pk) + "?ngay=2025-10-01"))
    assert f"{url('progress_org', cell_round.pk, org_tree.commune_a.pk)}?ngay=2025-10-01" in page


def test_progress_page_queries_do_not_grow_with_the_organizations(
    client, org_tree, cell_round, province_staff, django_assert_max_num_queries
):
    for i in range(8):
        OrganizationFactory(parent=org_tree.commune_b, name=f"Chi bộ khu phố {i + 2}", kind=Kind.CELL)
    services.round_sync(actor=province_staff, round=cell_round)
    client.force_login(province_staff)
    client.get(url("round_list"))  # the session and the user's roles, once
    with django_assert_max_num_queries(12):
        page = body(client.get(url("progress", cell_round.pk)))
    assert "Đã tổ chức đại hội: 0/11 chi bộ" in page


def test_progress_is_404_outside_scope(client, org_tree, cell_round, outsider, commune_b_staff):
    client.force_login(commune_b_staff)
    assert client.get(url("progress_org", cell_round.pk, org_tree.commune_a.pk)).status_code == 404
    assert client.get(url("progress_org", cell_round.pk, org_tree.commune_b.pk)).status_code == 200
    client.force_login(outsider)
    assert client.get(url("progress_org", cell_round.pk, org_tree.province.pk)).status_code == 404


def test_a_commune_starts_its_view_of_the_province_round_at_itself(
    client, org_tree, cell_round, commune_b_staff
):
    client.force_login(commune_b_staff)
    page = body(client.get(url("progress", cell_round.pk)))
    assert "Đã tổ chức đại hội: 0/1 chi bộ (0,00%)" in page


def test_a_bad_or_future_date_falls_back_to_today_with_a_message(
    client, org_tree, cell_round, province_staff
):
    client.force_login(province_staff)
    page = body(client.get(url("progress", cell_round.pk) + "?ngay=31/02/2025"))
    assert "Ngày không hợp lệ" in page and "Đã tổ chức đại hội: 0/3" in page
    page = body(client.get(url("progress", cell_round.pk) + "?ngay=01/01/2030"))
    assert "chưa đến" in page


# ---------------------------------------------------------------------------------------------
# Recording a congress through the form


def test_recording_through_the_form_moves_the_province_figure_and_the_past_date_keeps_the_old_one(
    client, org_tree, cell_round, school_held, people, cell_secretary, province_staff
):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    form = body(client.get(url("congress_record", congress.pk)))
    assert people.an.full_name in form and "còn" in form and "tháng công tác" in form
    response = client.post(
        url("congress_record", congress.pk),
        seat_post(
            [
                {"member": people.an.pk, "position": Position.SECRETARY, "votes_for": 6, "votes_valid": 6},
                {"member": people.binh.pk, "position": Position.DEPUTY, "votes_for": 5, "votes_valid": 6},
            ],
            secretary_elected_directly="on",
        ),
    )
    assert response.status_code == 302, body(response)
    congress.refresh_from_db()
    assert congress.held_on == D(2025, 10, 15) and congress.committee_size == 2

    client.force_login(province_staff)
    page = body(client.get(url("progress", cell_round.pk)))
    assert "Đã tổ chức đại hội: 2/3 chi bộ (66,67%)" in page
    page = body(client.get(url("progress", cell_round.pk) + "?ngay=30/09/2025"))
    assert "Đã tổ chức đại hội: 1/3 chi bộ (33,33%)" in page and "30/09/2025" in page

    detail = body(client.get(url("congress_detail", congress.pk)))
    assert "6/6 (100,00%)" in detail and "5/6 (83,33%)" in detail  # votes; attendance 6/6 too
    assert "đại hội bầu trực tiếp" in detail and "Phó Bí thư" in detail


def test_attendance_below_two_thirds_is_refused_and_nothing_is_saved(
    client, org_tree, cell_round, people, cell_secretary
):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    response = client.post(
        url("congress_record", congress.pk),
        seat_post(
            [{"member": people.an.pk, "position": Position.SECRETARY, "votes_for": 3, "votes_valid": 3}],
            summoned="6",
            attending="3",
        ),
    )
    page = body(response)
    assert response.status_code == 400
    assert "Chưa có gì được ghi" in page and "chưa đủ 2/3" in page and "cần ít nhất 4" in page
    congress.refresh_from_db()
    assert congress.held_on is None and not CommitteeMembership.objects.exists()


def test_a_seat_below_the_majority_shows_on_its_row_and_nothing_is_saved(
    client, org_tree, cell_round, people, cell_secretary
):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    response = client.post(
        url("congress_record", congress.pk),
        seat_post(
            [
                {"member": people.an.pk, "position": Position.SECRETARY, "votes_for": 6, "votes_valid": 6},
                # 3 of 6 is exactly one half: not more than half, so not elected.
                {"member": people.binh.pk, "position": Position.DEPUTY, "votes_for": 3, "votes_valid": 6},
            ]
        ),
    )
    page = body(response)
    assert response.status_code == 400
    assert "Bầu đồng chí Trần Thị Bình vào chi ủy: 3/6 phiếu hợp lệ, chưa quá 1/2" in page
    assert 'class="table-danger dv-seat-error"' in page
    congress.refresh_from_db()
    assert congress.held_on is None and not CommitteeMembership.objects.exists()


def test_members_past_retirement_are_labelled_so_and_the_refusal_spans_the_seat(
    client, org_tree, cell_round, people, cell_secretary
):
    """Labels count months from the reference month (04/2025): a man born 01/1960 retired in
    01/2020, and is shown as past retirement, not with a negative count. Refused for his age, his
    seat gets a full-width error line under both lines of the seat."""
    old = make_member(org_tree.cell_a, "Hà Văn Lão", birth=D(1960, 1, 1))
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    form = body(client.get(url("congress_record", congress.pk)))
    assert "Hà Văn Lão (1960) · đã quá tuổi nghỉ hưu (từ tháng 01/2020)" in form
    assert "còn -" not in form
    assert "Phạm Văn Dũng (1968) · còn 59 tháng công tác" in form  # counts stay for the others
    response = client.post(
        url("congress_record", congress.pk),
        seat_post(
            [
                {"member": people.an.pk, "position": Position.SECRETARY, "votes_for": 6, "votes_valid": 6},
                {"member": old.pk, "position": Position.MEMBER, "votes_for": 6, "votes_valid": 6},
            ]
        ),
    )
    page = body(response)
    assert response.status_code == 400
    assert "đến tháng mốc 04/2025 đã quá tuổi nghỉ hưu" in page and "còn -" not in page
    # Six columns; the error line spans them all, the seat's second line holds the position vote
    # and the age exception.
    assert page.count('<th scope="col">') == 6
    assert '<tr class="table-danger dv-seat-error"><td colspan="6"' in page
    assert 'for="id_seat-1-age_exception">Lý do ngoại lệ về tuổi<span class="visually-hidden"> dòng 2' in page
    congress.refresh_from_db()
    assert congress.held_on is None and not CommitteeMembership.objects.exists()


def test_the_add_row_template_numbers_its_labels_in_the_browser(client, org_tree, cell_round, cell_secretary):
    client.force_login(cell_secretary)
    form = body(client.get(url("congress_record", congress_of(cell_round, org_tree.cell_a).pk)))
    template = form.split('<template id="seat-empty">')[1].split("</template>")[0]
    assert "Đảng viên dòng __num__" in template and 'name="seat-__prefix__-member"' in template
    assert ".replace(/__num__/g, n + 1)" in form


def test_a_row_without_a_member_or_votes_is_named_in_vietnamese(
    client, org_tree, cell_round, people, cell_secretary
):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    response = client.post(
        url("congress_record", congress.pk),
        seat_post(
            [
                {"member": people.an.pk, "position": Position.SECRETARY, "votes_for": 7, "votes_valid": 6},
                {"position": Position.DEPUTY, "votes_for": 5, "votes_valid": 6},
            ],
            held_on="32/10/2025",
        ),
    )
    page = body(response)
    assert response.status_code == 400
    assert "số phiếu bầu không thể lớn hơn số phiếu hợp lệ" in page
    assert "Hãy chọn đảng viên được bầu" in page
    assert "Ngày không hợp lệ" in page
    assert Congress.objects.get(pk=congress.pk).held_on is None


def test_correcting_a_result_needs_a_reason(client, org_tree, cell_round, school_held, province_staff):
    client.force_login(province_staff)
    form = body(client.get(url("congress_record", school_held.pk)))
    assert "Sửa kết quả đại hội" in form and "Hoàng Thị Giáo" in form
    teacher = CommitteeMembership.objects.get(congress=school_held).member
    response = client.post(
        url("congress_record", school_held.pk),
        seat_post(
            [{"member": teacher.pk, "position": Position.SECRETARY, "votes_for": 9, "votes_valid": 10}],
            held_on="10/09/2025",
            summoned="12",
            attending="10",
        ),
    )
    assert response.status_code == 400 and "phải ghi lý do" in body(response)


# ---------------------------------------------------------------------------------------------
# The congress page, plan, exclude


def test_congress_page_renders_for_the_cell_and_is_404_to_the_other_commune_and_an_outsider(
    client, org_tree, cell_round, cell_secretary, member, commune_b_staff, outsider
):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    page = body(client.get(url("congress_detail", congress.pk)))
    assert "Ghi kết quả đại hội" in page and "Thêm văn bản" in page and "Quá hạn" in page
    client.force_login(member)
    page = body(client.get(url("congress_detail", congress.pk)))
    assert org_tree.cell_a.name in page and "Ghi kết quả đại hội" not in page
    assert client.get(url("congress_plan", congress.pk)).status_code == 403
    for user in (commune_b_staff, outsider):
        client.force_login(user)
        for name in (
            "congress_detail",
            "congress_record",
            "congress_plan",
            "document_add",
            "congress_exclude",
        ):
            assert client.get(url(name, congress.pk)).status_code == 404, (user, name)
        assert client.get(url("committee", org_tree.cell_a.pk)).status_code == 404
    assert Congress.objects.get(pk=congress.pk).planned_on is None


def test_a_planned_date_shows_on_the_page_and_in_the_progress(client, org_tree, cell_round, cell_secretary):
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    response = client.post(url("congress_plan", congress.pk), {"planned_on": "20/12/2025"})
    assert response.status_code == 302
    assert "20/12/2025" in body(client.get(url("congress_detail", congress.pk)))
    page = body(client.get(url("progress_org", cell_round.pk, org_tree.cell_a.pk)))
    assert "20/12/2025" in page and "Đã tổ chức đại hội: 0/1 chi bộ" in page


def test_province_staff_takes_a_cell_out_of_the_total_with_a_reason(
    client, org_tree, cell_round, province_staff
):
    congress = congress_of(cell_round, org_tree.cell_b)
    client.force_login(province_staff)
    response = client.post(url("congress_exclude", congress.pk), {"reason": ""})
    assert response.status_code == 400 and "Hãy ghi lý do" in body(response)
    client.post(url("congress_exclude", congress.pk), {"reason": "Hợp nhất vào chi bộ khu phố 2"})
    page = body(client.get(url("progress", cell_round.pk)))
    assert "Đã tổ chức đại hội: 0/2 chi bộ" in page
    assert "Hợp nhất vào chi bộ khu phố 2" in body(client.get(url("congress_detail", congress.pk)))


# ---------------------------------------------------------------------------------------------
# Documents and the committee


def test_documents_are_numbered_from_01_and_downloaded_only_in_scope(
    client, org_tree, cell_round, cell_secretary, commune_b_staff, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    congress = congress_of(cell_round, org_tree.cell_a)
    client.force_login(cell_secretary)
    assert "số 01" in body(client.get(url("document_add", congress.pk)))
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    response = client.post(
        url("document_add", congress.pk),
        {"kind": "minutes", "title": "Biên bản đại hội", "signed_on": "15/10/2025", "file": upload},
    )
    assert response.status_code == 302
    client.post(url("document_add", congress.pk), {"kind": "resolution", "title": "Nghị quyết đại hội"})
    page = body(client.get(url("congress_detail", congress.pk)))
    assert ">01<" in page and ">02<" in page and "Nghị quyết đại hội" in page
    doc = CongressDocument.objects.get(number=1)
    response = client.get(url("document_download", doc.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 bien ban"
    assert "bien-ban.pdf" in response["Content-Disposition"]
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        url("document_add", congress.pk), {"kind": "other", "title": "Tệp lạ", "file": bad}
    )
    assert response.status_code == 400 and "không đúng định dạng" in body(response)
    assert CongressDocument.objects.count() == 2
    for user in (commune_b_staff, outsider):
        client.force_login(user)
        assert client.get(url("document_download", doc.pk)).status_code == 404


def test_committee_page_lists_the_elected_and_the_committee_before(
    client, org_tree, cell_round, people, cell_secretary, province_staff
):
    congress = congress_of(cell_round, org_tree.cell_a)
    record(
        province_staff,
        congress,
        [seat(people.an, Position.SECRETARY, 9, 10), seat(people.binh, Position.DEPUTY, 8, 10)],
        held_on=D(2025, 9, 10),
    )
    client.force_login(cell_secretary)
    page = body(client.get(url("committee", org_tree.cell_a.pk)))
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page and "Bí thư" in page
    assert "Đại hội ngày 10/09/2025" in page
    # A correction re-records the congress: the committee page shows the new result only.
    services.congress_record(
        actor=province_staff,
        congress=congress_of(cell_round, org_tree.cell_a),
        held_on=D(2025, 9, 10),
        summoned=12,
        attending=10,
        official_members=9,
        seats=[seat(people.chi, Position.SECRETARY, 9, 10)],
        reason="Nhập nhầm người trúng cử",
    )
    page = body(client.get(url("committee", org_tree.cell_a.pk)))
    assert "Lê Văn Chi" in page and "Trần Thị Bình" not in page


# ---------------------------------------------------------------------------------------------
# Links to a held congress and to a committee; a round with nothing in the user's scope


def test_a_cell_in_the_commune_progress_links_to_its_congress_and_a_committee_to_drill_down(
    client, org_tree, cell_round, school_held, people, commune_a_staff, province_staff
):
    record(province_staff, congress_of(cell_round, org_tree.cell_a), [seat(people.an, Position.SECRETARY)])
    client.force_login(commune_a_staff)
    page = body(client.get(url("progress_org", cell_round.pk, org_tree.commune_a.pk) + "?ngay=2025-10-01"))
    # cell_a holds its own congress (held): its line opens the congress page, to add documents or
    # correct it; the school's base committee has cells under it: its line drills down.
    cell_a_congress = congress_of(cell_round, org_tree.cell_a)
    assert f'href="{url("congress_detail", cell_a_congress.pk)}"' in page
    assert f'href="{url("progress_org", cell_round.pk, org_tree.school.pk)}?ngay=2025-10-01"' in page
    detail = client.get(url("congress_detail", cell_a_congress.pk))
    assert detail.status_code == 200 and "Nguyễn Văn An" in body(detail)


def test_the_organization_page_links_to_the_committee_only_where_one_was_recorded(
    client, org_tree, cell_round, people, province_staff
):
    client.force_login(province_staff)
    committee_url = url("committee", org_tree.cell_a.pk)
    page = body(client.get(reverse("organizations:detail", args=[org_tree.cell_a.pk])))
    assert committee_url not in page
    record(province_staff, congress_of(cell_round, org_tree.cell_a), [seat(people.an, Position.SECRETARY)])
    page = body(client.get(reverse("organizations:detail", args=[org_tree.cell_a.pk])))
    assert f'id="committee-link" href="{committee_url}"' in page
    page = body(client.get(reverse("organizations:detail", args=[org_tree.cell_b.pk])))
    assert 'id="committee-link"' not in page


@pytest.fixture
def base_round(org_tree, province_staff, today) -> CongressRound:
    """The province's round of base-level congresses: the school's base committee only; nothing of
    it lies in cell_a, the cell secretary's scope."""
    rnd = services.round_create(
        actor=province_staff,
        organization=org_tree.province,
        level=Level.BASE,
        term_start_year=2025,
        term_end_year=2030,
        starts_on=D(2025, 8, 1),
        deadline=D(2025, 11, 30),
    )
    return services.round_open(actor=province_staff, round=rnd)


def test_a_round_with_nothing_in_the_scope_says_so_instead_of_zero_of_zero(
    client, org_tree, cell_round, base_round, cell_secretary, province_staff
):
    client.force_login(cell_secretary)
    listing = body(client.get(url("round_list")))
    assert base_round.name in listing and cell_round.name in listing
    assert listing.count("Không có tổ chức nào của đợt này trong phạm vi của bạn") == 1
    assert f'href="{url("progress", cell_round.pk)}"' in listing
    assert f'href="{url("progress", base_round.pk)}"' not in listing
    page = body(client.get(url("progress", base_round.pk)))
    assert (
        f"Trong phạm vi {org_tree.cell_a.name} không có tổ chức cơ sở đảng nào phải tổ chức đại hội "
        "trong đợt này." in page
    )
    assert "0/0" not in page and "Mọi tổ chức" not in page and 'id="missing"' not in page
    page = body(client.get(url("progress", base_round.pk) + "?ngay=2025-10-01"))
    assert "Tính đến ngày 01/10/2025, trong phạm vi Chi bộ" in page
    # The province sees the figure as before.
    client.force_login(province_staff)
    listing = body(client.get(url("round_list")))
    assert "Không có tổ chức nào của đợt này" not in listing
    page = body(client.get(url("progress", base_round.pk)))
    assert "Đã tổ chức đại hội: 0/1 tổ chức cơ sở đảng (0,00%)" in page and 'id="missing"' in page
