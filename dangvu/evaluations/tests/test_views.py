"""The evaluation pages: who sees what, and the flows a cell, a committee and a member go through."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dangvu.evaluations import services
from dangvu.evaluations.choices import Level, RoundState, Subject
from dangvu.evaluations.models import EvaluationRound, MemberRating, OrganizationRating
from dangvu.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def people(org_tree, member):
    """Four members in the cell of commune A (one is the `member` persona), one in the school, one in B."""
    return SimpleNamespace(
        me=MemberFactory(full_name="Nguyễn Thị Mai", organization=org_tree.cell_a, user=member),
        an=MemberFactory(full_name="Trần Văn An", organization=org_tree.cell_a),
        binh=MemberFactory(full_name="Lê Văn Bình", organization=org_tree.cell_a),
        cuong=MemberFactory(full_name="Phạm Văn Cường", organization=org_tree.cell_a),
        teacher=MemberFactory(full_name="Đỗ Thị Giáo", organization=org_tree.school_cell),
        other=MemberFactory(full_name="Hoàng Văn Khác", organization=org_tree.cell_b),
    )


@pytest.fixture
def rnd(org_tree, province_staff, people):
    r = services.round_create(
        actor=province_staff, organization=org_tree.province, year=2025, reference_date=D(2025, 12, 31)
    )
    services.round_open(actor=province_staff, round=r)
    r.refresh_from_db()
    return r


def rating(rnd, m):
    return MemberRating.objects.get(round=rnd, member=m)


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


# ---------------------------------------------------------------------------------------------
# Rounds


def test_round_list_shows_the_province_round_to_a_commune_and_hides_it_from_an_outsider(
    client, rnd, commune_b_staff, outsider
):
    client.force_login(commune_b_staff)
    response = client.get(url("round_list"))
    assert rnd.name in response.content.decode()
    client.force_login(outsider)
    response = client.get(url("round_list"))
    assert response.status_code == 200
    assert rnd.name not in response.content.decode()
    assert client.get(url("round_detail", rnd.pk)).status_code == 404


def test_a_commune_round_is_404_for_the_other_commune(client, org_tree, commune_a_staff, commune_b_staff):
    r = services.round_create(actor=commune_a_staff, organization=org_tree.commune_a, year=2025)
    client.force_login(commune_b_staff)
    assert client.get(url("round_detail", r.pk)).status_code == 404
    assert client.get(url("round_progress", r.pk)).status_code == 404
    assert client.post(url("round_open", r.pk)).status_code == 404
    assert not r.member_ratings.exists()


def test_province_staff_creates_a_round_and_opens_it(client, org_tree, province_staff, people):
    client.force_login(province_staff)
    page = client.get(url("round_create"))
    assert page.status_code == 200 and "Ngày chốt danh sách" in page.content.decode()
    response = client.post(
        url("round_create"),
        {
            "organization": org_tree.province.pk,
            "period": "year",
            "year": "2025",
            "reference_date": "31/12/2025",
            "member_deadline": "05/12/2025",
            "cell_deadline": "10/12/2025",
            "decision_deadline": "20/12/2025",
        },
    )
    r = EvaluationRound.objects.get()
    assert response.status_code == 302 and response.url == url("round_detail", r.pk)
    detail = client.get(url("round_detail", r.pk)).content.decode()
    assert "Quy định 366-QĐ/TW" in detail  # the legal basis of the 2025 rules
    assert "HTXS từ 90 điểm" in detail and "không quá 20% số đảng viên HTT" in detail
    assert "20/12/2025" in detail
    response = client.post(url("round_open", r.pk), follow=True)
    assert "Đã mở đợt đánh giá: 6 đảng viên" in response.content.decode()
    r.refresh_from_db()
    assert r.state == RoundState.OPEN


def test_create_form_shows_vietnamese_errors(client, org_tree, province_staff):
    client.force_login(province_staff)
    response = client.post(
        url("round_create"),
        {
            "organization": org_tree.province.pk,
            "period": "year",
            "year": "1999",
            "reference_date": "31/02/2025",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in body
    response = client.post(
        url("round_create"), {"organization": org_tree.province.pk, "period": "year", "year": "1999"}
    )
    assert "Năm đánh giá không hợp lệ." in response.content.decode()
    assert not EvaluationRound.objects.exists()


def test_a_cell_secretary_cannot_create_or_open_a_round(client, rnd, cell_secretary):
    client.force_login(cell_secretary)
    response = client.get(url("round_create"))
    assert response.status_code == 403
    assert "Chỉ cán bộ tổ chức" in response.content.decode()
    detail = client.get(url("round_detail", rnd.pk)).content.decode()
    assert "Kết thúc đợt" not in detail


def test_close_with_undecided_ratings_needs_a_reason_then_reopen_needs_one(client, rnd, province_staff):
    client.force_login(province_staff)
    detail = client.get(url("round_detail", rnd.pk)).content.decode()
    assert "6 đảng viên chưa có quyết định xếp loại" in detail
    response = client.post(url("round_close", rnd.pk), {"override_reason": ""})
    assert response.status_code == 400
    assert "Muốn kết thúc đợt, hãy ghi rõ lý do." in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.state == RoundState.OPEN
    response = client.post(url("round_close", rnd.pk), {"override_reason": "Hết hạn, chuyển kỳ sau"})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.state == RoundState.CLOSED and rnd.override_reason == "Hết hạn, chuyển kỳ sau"
    response = client.post(url("round_reopen", rnd.pk), {"reason": ""})
    assert response.status_code == 400 and "Mở lại đợt đánh giá phải ghi lý do." in response.content.decode()
    client.post(url("round_reopen", rnd.pk), {"reason": "Bổ sung kết quả chi bộ"})
    rnd.refresh_from_db()
    assert rnd.state == RoundState.OPEN
    assert "Mở lại: Bổ sung kết quả chi bộ" in client.get(url("round_detail", rnd.pk)).content.decode()


def test_commune_staff_cannot_close_the_province_round(client, rnd, commune_a_staff):
    client.force_login(commune_a_staff)
    response = client.post(url("round_close", rnd.pk), {"override_reason": "thử"})
    assert response.status_code == 403
    assert "Không có quyền kết thúc đợt đánh giá này." in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.state == RoundState.OPEN


# ---------------------------------------------------------------------------------------------
# Progress


def test_province_progress_counts_per_commune_and_lists_who_is_missing(
    client, org_tree, rnd, province_staff, people, django_assert_max_num_queries
):
    client.force_login(province_staff)
    with django_assert_max_num_queries(30):
        response = client.get(url("round_progress", rnd.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "0/6 đã đánh giá" in body
    assert org_tree.commune_a.name in body and org_tree.commune_b.name in body
    assert "Chưa tự đánh giá" in body and "Trần Văn An" in body


def test_a_commune_sees_its_own_progress_and_404_for_the_other_commune(
    client, org_tree, rnd, commune_a_staff, outsider
):
    client.force_login(commune_a_staff)
    response = client.get(url("round_progress", rnd.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "0/5 đã đánh giá" in body  # commune A only: four in the cell, one in the school
    assert "Hoàng Văn Khác" not in body
    assert client.get(url("round_progress_org", rnd.pk, org_tree.commune_b.pk)).status_code == 404
    assert client.get(url("round_progress_org", rnd.pk, org_tree.province.pk)).status_code == 404
    assert client.get(url("cell_entry", rnd.pk, org_tree.cell_b.pk)).status_code == 404
    assert client.get(url("decide_members", rnd.pk, org_tree.commune_b.pk)).status_code == 404
    client.force_login(outsider)
    for name, args in (
        ("round_progress", (rnd.pk,)),
        ("round_progress_org", (rnd.pk, org_tree.cell_a.pk)),
        ("cell_entry", (rnd.pk, org_tree.cell_a.pk)),
        ("decide_members", (rnd.pk, org_tree.commune_a.pk)),
    ):
        assert client.get(url(name, *args)).status_code == 404


def test_the_cell_progress_lists_its_members_for_the_secretary(client, org_tree, rnd, cell_secretary):
    client.force_login(cell_secretary)
    response = client.get(url("round_progress", rnd.pk))  # starts at the secretary's cell
    body = response.content.decode()
    assert response.status_code == 200
    assert "0/4 đã đánh giá" in body and "Nhập đề xuất, biểu quyết" in body
    assert org_tree.group_a.name not in body  # a party group without ratings is not a line
    assert "Lê Văn Bình" in body


# ---------------------------------------------------------------------------------------------
# The cell secretary's screen


def _cell_post(rnd, people, **overrides):
    data = {}
    for m, score, level in (
        (people.me, "92", "htxs"),
        (people.an, "80", "htt"),
        (people.binh, "75", "htt"),
        (people.cuong, "60", "ht"),
    ):
        pk = rating(rnd, m).pk
        data.update(
            {f"score-{pk}": score, f"level-{pk}": level, f"note-{pk}": "", f"for-{pk}": "", f"total-{pk}": ""}
        )
    data.update({"all_for": "4", "all_total": "4"})
    data.update(overrides)
    return data


def test_the_secretary_proposes_and_records_the_vote_for_the_whole_cell(
    client, org_tree, rnd, cell_secretary, people
):
    client.force_login(cell_secretary)
    page = client.get(url("cell_entry", rnd.pk, org_tree.cell_a.pk)).content.decode()
    for m in (people.me, people.an, people.binh, people.cuong):
        assert m.full_name in page
    assert 'name="all_for"' in page and "Điền cho mọi dòng" in page
    pk_cuong = rating(rnd, people.cuong).pk
    response = client.post(
        url("cell_entry", rnd.pk, org_tree.cell_a.pk),
        _cell_post(rnd, people, **{f"for-{pk_cuong}": "3", f"total-{pk_cuong}": "4"}),
    )
    assert response.status_code == 302
    an, cuong = rating(rnd, people.an), rating(rnd, people.cuong)
    assert (an.score, an.proposed_level, an.votes_for, an.votes_total) == (80, "htt", 4, 4)
    assert (cuong.proposed_level, cuong.votes_for, cuong.votes_total) == ("ht", 3, 4)
    assert an.proposed_by == cell_secretary and an.voted_by == cell_secretary


def test_an_error_on_one_row_is_shown_there_and_nothing_is_saved(
    client, org_tree, rnd, cell_secretary, people
):
    client.force_login(cell_secretary)
    pk_an = rating(rnd, people.an).pk
    pk_cuong = rating(rnd, people.cuong).pk
    data = _cell_post(
        rnd, people, **{f"score-{pk_an}": "60", f"for-{pk_cuong}": "5", f"total-{pk_cuong}": "4"}
    )
    response = client.post(url("cell_entry", rnd.pk, org_tree.cell_a.pk), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Chưa có gì được ghi" in body
    assert "Trần Văn An: 60 điểm không đủ để xếp loại HTT" in body
    assert f'id="error-{pk_an}"' in body
    assert not MemberRating.objects.filter(round=rnd).exclude(proposed_level="").exists()
    # A vote error alone also leaves the (valid) proposals unsaved: one submit, one transaction.
    data = _cell_post(rnd, people, **{f"for-{pk_cuong}": "5", f"total-{pk_cuong}": "4"})
    response = client.post(url("cell_entry", rnd.pk, org_tree.cell_a.pk), data)
    assert response.status_code == 400
    assert "số phiếu tán thành phải từ 0 đến số đảng viên biểu quyết" in response.content.decode()
    assert not MemberRating.objects.filter(round=rnd).exclude(proposed_level="").exists()


def test_a_plain_member_sees_neither_the_cell_table_nor_the_progress(client, org_tree, rnd, member, people):
    # The cell's table and the progress name each member's level and who was disciplined: a member
    # without a committee role sees only their own result («Đánh giá của tôi»).
    client.force_login(member)
    assert client.get(url("cell_entry", rnd.pk, org_tree.cell_a.pk)).status_code == 404
    response = client.post(url("cell_entry", rnd.pk, org_tree.cell_a.pk), _cell_post(rnd, people))
    assert response.status_code == 404
    assert not MemberRating.objects.filter(round=rnd).exclude(proposed_level="").exists()
    assert client.get(url("round_progress", rnd.pk)).status_code == 404


# ---------------------------------------------------------------------------------------------
# The competent committee


def test_the_commune_decides_its_cell_and_the_cap_violation_shows(
    client, org_tree, rnd, cell_secretary, commune_a_staff, province_staff, people
):
    client.force_login(cell_secretary)
    client.post(url("cell_entry", rnd.pk, org_tree.cell_a.pk), _cell_post(rnd, people))
    client.force_login(commune_a_staff)
    page = client.get(url("decide_members", rnd.pk, org_tree.commune_a.pk)).content.decode()
    assert org_tree.cell_a.name in page and "Chấp nhận tất cả đề xuất" in page
    assert "Đỗ Thị Giáo" not in page  # the school's base committee decides its own members
    response = client.post(
        url("decide_members", rnd.pk, org_tree.commune_a.pk), {"accept_all": "1", "decision_ref": "15-QĐ/ĐU"}
    )
    assert response.status_code == 302
    me = rating(rnd, people.me)
    assert me.decided_level == Level.EXCELLENT and me.decision_ref == "15-QĐ/ĐU"
    assert me.decided_by == commune_a_staff
    # 1 HTXS against 2 HTT is over 20%: the cap violation shows on the progress at every level.
    client.force_login(province_staff)
    body = client.get(url("round_progress", rnd.pk)).content.decode()
    assert "4/6 đã đánh giá" in body
    assert "vượt mức tối đa 0 (20% của 2 đảng viên HTT)" in body
    assert "25,00%" in body and "50,00%" in body  # HTXS 1/4, HTT 2/4
    # Resolved: the committee lowers the excellent member to HTT.
    client.force_login(commune_a_staff)
    client.post(url("decide_members", rnd.pk, org_tree.commune_a.pk), {f"level-{me.pk}": "htt"})
    body = client.get(url("round_progress_org", rnd.pk, org_tree.commune_a.pk)).content.decode()
    assert "Không có vi phạm" in body


def test_a_decision_above_the_score_is_refused_on_its_row(
    client, org_tree, rnd, cell_secretary, commune_a_staff, people
):
    client.force_login(cell_secretary)
    client.post(url("cell_entry", rnd.pk, org_tree.cell_a.pk), _cell_post(rnd, people))
    client.force_login(commune_a_staff)
    pk = rating(rnd, people.cuong).pk
    response = client.post(url("decide_members", rnd.pk, org_tree.commune_a.pk), {f"level-{pk}": "htxs"})
    assert response.status_code == 400
    assert "Phạm Văn Cường: 60 điểm không đủ để xếp loại HTXS" in response.content.decode()
    assert not rating(rnd, people.cuong).decided_level


def test_the_cell_secretary_cannot_decide(client, org_tree, rnd, cell_secretary, people):
    client.force_login(cell_secretary)
    response = client.get(url("decide_members", rnd.pk, org_tree.commune_a.pk))
    assert response.status_code == 404  # the commune lies outside the secretary's scope
    pk = rating(rnd, people.an).pk
    response = client.post(url("decide_members", rnd.pk, org_tree.commune_a.pk), {f"level-{pk}": "htt"})
    assert response.status_code == 404
    assert not rating(rnd, people.an).decided_level


def test_collectives_are_proposed_by_the_cell_and_decided_by_the_commune(
    client, org_tree, rnd, cell_secretary, commune_a_staff
):
    cell_rating = OrganizationRating.objects.get(
        round=rnd, organization=org_tree.cell_a, subject=Subject.ORGANIZATION
    )
    client.force_login(cell_secretary)
    response = client.post(
        url("collective_propose", rnd.pk, cell_rating.pk),
        {"level": "htxs", "score": "95", "exceeded_share": "20", "report": "Hoàn thành các chỉ tiêu"},
    )
    assert response.status_code == 400
    assert "ít nhất 30% chỉ tiêu, nhiệm vụ" in response.content.decode()
    response = client.post(
        url("collective_propose", rnd.pk, cell_rating.pk),
        {"level": "htt", "score": "85", "exceeded_share": "20", "report": "Hoàn thành các chỉ tiêu"},
    )
    assert response.status_code == 302
    client.force_login(commune_a_staff)
    page = client.get(url("decide_members", rnd.pk, org_tree.commune_a.pk)).content.decode()
    assert f'action="{url("collective_decide", rnd.pk, cell_rating.pk)}"' in page
    client.post(
        url("collective_decide", rnd.pk, cell_rating.pk), {"level": "htt", "decision_ref": "16-QĐ/ĐU"}
    )
    cell_rating.refresh_from_db()
    assert cell_rating.decided_level == "htt" and cell_rating.decided_by == commune_a_staff


def test_collective_pages_are_404_for_the_other_commune(client, org_tree, rnd, commune_b_staff):
    cell_rating = OrganizationRating.objects.get(
        round=rnd, organization=org_tree.cell_a, subject=Subject.ORGANIZATION
    )
    client.force_login(commune_b_staff)
    assert client.get(url("collective_propose", rnd.pk, cell_rating.pk)).status_code == 404
    assert client.post(url("collective_decide", rnd.pk, cell_rating.pk), {"level": "htt"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# The member's own page


def test_the_member_self_assesses_and_sees_the_result(client, org_tree, rnd, member, people, commune_a_staff):
    client.force_login(member)
    page = client.get(url("my_evaluation")).content.decode()
    assert "Phiếu tự đánh giá" in page and rnd.name in page
    mine = rating(rnd, people.me)
    response = client.post(url("my_evaluation_submit", mine.pk), {"self_score": "85", "self_level": "htxs"})
    assert response.status_code == 400
    assert "85 điểm không đủ để xếp loại HTXS" in response.content.decode()
    response = client.post(
        url("my_evaluation_submit", mine.pk),
        {
            "self_score": "85",
            "self_level": "htt",
            "strengths": "Gương mẫu",
            "shortcomings": "",
            "remedies": "",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.self_score, mine.self_level, mine.strengths) == (85, "htt", "Gương mẫu")
    services.propose_member_levels(
        actor=commune_a_staff, round=rnd, proposals=[{"rating": mine.pk, "level": "htt"}]
    )
    services.decide_member_levels(
        actor=commune_a_staff,
        round=rnd,
        decisions=[{"rating": mine.pk, "level": "htt"}],
        decision_ref="15-QĐ/ĐU",
    )
    page = client.get(url("my_evaluation")).content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in page and "15-QĐ/ĐU" in page
    assert "Nộp bản tự đánh giá" not in page


def test_a_member_cannot_submit_someone_elses_self_assessment(client, rnd, member, people):
    client.force_login(member)
    other = rating(rnd, people.an)
    response = client.post(url("my_evaluation_submit", other.pk), {"self_score": "80", "self_level": "htt"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.self_submitted_at is None


def test_an_unlinked_account_is_told_so(client, outsider):
    client.force_login(outsider)
    page = client.get(url("my_evaluation")).content.decode()
    assert "chưa được gắn với hồ sơ đảng viên" in page


def test_the_progress_page_offers_the_exports_of_the_organization_shown(
    client, org_tree, rnd, commune_a_staff
):
    client.force_login(commune_a_staff)
    body = client.get(url("round_progress", rnd.pk)).content.decode()
    xlsx = f"{url('results_xlsx', rnd.pk)}?organization={org_tree.commune_a.pk}"
    assert xlsx in body
    response = client.get(xlsx)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    other = f"{url('results_xlsx', rnd.pk)}?organization={org_tree.commune_b.pk}"
    assert client.get(other).status_code == 404


def test_the_pending_list_pages_through_htmx_as_a_fragment(client, rnd, province_staff):
    client.force_login(province_staff)
    response = client.get(url("round_progress", rnd.pk), {"page": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card shadow-sm" id="pending"')
    assert "Trần Văn An" in body and "<html" not in body
