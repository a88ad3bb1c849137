"""The party-development pages as each persona sees them: scoping (404), the pipeline through the
forms, the target grid, the as-of date, the probation follow-up and the border-area flag.

Fixtures (`today` = 23/11/2026, `sponsors`, `candidate`, `walk`) come from this folder's conftest.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangvu.accounts.models import AccessLog
from dangvu.admissions import services
from dangvu.admissions.choices import Segment, Stage
from dangvu.admissions.models import AdmissionTarget, Candidate
from dangvu.admissions.tests.conftest import DATES, listed, walk
from dangvu.admissions.tests.factories import AdmissionTargetFactory
from dangvu.members import services as member_services
from dangvu.members.choices import Status
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db

D = datetime.date


def text(response) -> str:
    """The response as a person reads it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def org_pages(org_tree) -> list[str]:
    a = org_tree.commune_a.pk
    return [
        reverse("admissions:progress_org", args=[a]),
        reverse("admissions:target_edit", args=[a]),
        reverse("admissions:candidate_list", args=[a]),
        reverse("admissions:candidate_create", args=[a]),
        reverse("admissions:probation", args=[a]),
    ]


def candidate_pages(candidate) -> list[str]:
    return [
        reverse("admissions:candidate_detail", args=[candidate.pk]),
        reverse("admissions:candidate_stage", args=[candidate.pk, "class"]),
        reverse("admissions:candidate_edit", args=[candidate.pk]),
    ]


# --- Who sees what -------------------------------------------------------------------------------


def test_every_page_renders_for_the_commune_staff(as_user, org_tree, commune_a_staff, candidate):
    client = as_user(commune_a_staff)
    for url in [*org_pages(org_tree), *candidate_pages(candidate)]:
        assert client.get(url).status_code == 200, url
    start = client.get(reverse("admissions:progress"))
    assert start.status_code == 200 and start.context["org"] == org_tree.commune_a


@pytest.mark.parametrize("persona", ["outsider", "commune_b_staff"])
def test_commune_a_pages_answer_404_to_outsiders_and_to_commune_b(
    as_user, org_tree, candidate, persona, request
):
    client = as_user(request.getfixturevalue(persona))
    for url in [*org_pages(org_tree), *candidate_pages(candidate)]:
        assert client.get(url).status_code == 404, url
    post = client.post(reverse("admissions:candidate_stage", args=[candidate.pk, "class"]), {})
    assert post.status_code == 404
    assert client.post(reverse("admissions:candidate_withdraw", args=[candidate.pk]), {}).status_code == 404
    assert client.post(reverse("admissions:candidate_edit", args=[candidate.pk]), {}).status_code == 404


def test_anonymous_is_sent_to_login(client, org_tree):
    response = client.get(reverse("admissions:progress_org", args=[org_tree.commune_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_cell_secretary_follows_the_cell_but_not_the_commune(as_user, org_tree, cell_secretary, candidate):
    client = as_user(cell_secretary)
    assert client.get(reverse("admissions:candidate_list", args=[org_tree.cell_a.pk])).status_code == 200
    assert client.get(reverse("admissions:candidate_detail", args=[candidate.pk])).status_code == 200
    assert client.get(reverse("admissions:candidate_list", args=[org_tree.commune_a.pk])).status_code == 404
    # Figures of the cell are open to its secretary; setting targets is for the staff above.
    progress = client.get(reverse("admissions:progress_org", args=[org_tree.cell_a.pk]))
    assert progress.status_code == 200 and not progress.context["can_set_targets"]
    assert client.get(reverse("admissions:target_edit", args=[org_tree.cell_a.pk])).status_code == 403


def test_a_plain_member_sees_figures_but_no_candidates(as_user, org_tree, member, candidate):
    client = as_user(member)
    assert client.get(reverse("admissions:progress_org", args=[org_tree.cell_a.pk])).status_code == 200
    assert client.get(reverse("admissions:candidate_list", args=[org_tree.cell_a.pk])).status_code == 404
    assert client.get(reverse("admissions:candidate_detail", args=[candidate.pk])).status_code == 404
    assert client.get(reverse("admissions:probation", args=[org_tree.cell_a.pk])).status_code == 404


# --- The pipeline through the forms --------------------------------------------------------------


def stage(client, candidate, slug: str, data: dict, *, follow: bool = True):
    return client.post(reverse("admissions:candidate_stage", args=[candidate.pk, slug]), data, follow=follow)


def admitted(client, org) -> int:
    return client.get(reverse("admissions:progress_org", args=[org.pk])).context["tp"].admitted


def test_every_stage_through_the_forms_admits_and_counts_at_commune_and_province(
    as_user, today, org_tree, sponsors, commune_a_staff, province_staff
):
    client = as_user(commune_a_staff)
    created = client.post(
        reverse("admissions:candidate_create", args=[org_tree.cell_a.pk]),
        {
            "organization": org_tree.cell_a.pk,
            "full_name": "Trần Văn Ưu",
            "gender": "male",
            "birth_date": "10/05/2000",
            "ethnicity": "01",
            "religion": "none",
            "listed_on": "05/01/2026",
        },
    )
    assert created.status_code == 302
    c = Candidate.objects.get(full_name="Trần Văn Ưu")
    assert created.url == reverse("admissions:candidate_detail", args=[c.pk])
    province_client = as_user(province_staff)
    before_province = admitted(province_client, org_tree.province)
    client = as_user(commune_a_staff)
    before_commune = admitted(client, org_tree.commune_a)

    steps = [
        ("class", {"certificate_no": "125-GCN/TTCT", "certified_on": "10/02/2026"}, Stage.CLASS),
        (
            "sponsors",
            {
                "assigned_on": "02/03/2026",
                "sponsor_1": sponsors.son.pk,
                "sponsor_1_since": "01/01/2024",
                "sponsor_2": sponsors.hanh.pk,
                "sponsor_2_since": "01/01/2024",
            },
            Stage.SPONSORED,
        ),
        ("verify", {"verified_on": "01/04/2026", "note": "Lý lịch rõ ràng"}, Stage.VERIFIED),
        # 6 of 9 is exactly 2/3: it passes.
        (
            "cell_vote",
            {"voted_on": "05/05/2026", "official_members": "9", "votes_for": "6"},
            Stage.CELL_VOTED,
        ),
        (
            "decide",
            {"decided_on": "15/06/2026", "decision_ref": "125-QĐ/ĐU", "received_on": "18/06/2026"},
            Stage.DECIDED,
        ),
        (
            "admit",
            {"ceremony_on": "01/07/2026", "card_number": "", "dossier_number": "AB-01"},
            Stage.ADMITTED,
        ),
    ]
    for slug, data, expected in steps:
        response = stage(client, c, slug, data)
        assert response.status_code == 200, (slug, text(response))
        c.refresh_from_db()
        assert c.stage == expected, (slug, text(response))
        if slug == "class":
            # The stage's own words, capitals kept ("về Đảng").
            assert "Đã ghi: Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng — Trần Văn Ưu." in text(response)
        if slug == "admit":
            # One green note says it, for good; no flash message repeating it.
            shown = text(response)
            assert shown.count("Đã kết nạp") == 1
            assert "Đã kết nạp ngày 01/07/2026: Trần Văn Ưu là đảng viên dự bị của Chi bộ thôn Đông" in shown

    member = Member.objects.get(pk=c.member_id)
    assert member.status == Status.PROBATIONARY and member.ceremony_date == D(2026, 7, 1)
    page = client.get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert reverse("members:member_detail", args=[member.pk]) in page.content.decode()
    assert admitted(client, org_tree.commune_a) == before_commune + 1
    assert admitted(as_user(province_staff), org_tree.province) == before_province + 1


def test_a_vote_of_5_of_9_shows_the_rule_and_keeps_the_stage(
    as_user, today, org_tree, sponsors, commune_a_staff
):
    c = walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.VERIFIED)
    client = as_user(commune_a_staff)
    page = client.get(reverse("admissions:candidate_stage", args=[c.pk, "cell_vote"]))
    assert "Lần biểu quyết thứ 1/3" in text(page)

    response = stage(
        client, c, "cell_vote", {"voted_on": "05/05/2026", "official_members": "9", "votes_for": "5"}
    )

    shown = text(response)
    assert "5/9 tán thành, cần ít nhất 6" in shown and "Lần biểu quyết thứ 1/3" in shown
    c.refresh_from_db()
    assert c.stage == Stage.VERIFIED and c.cell_vote_attempts == 1 and c.cell_voted_on is None
    assert "Lần biểu quyết thứ 2/3" in text(
        client.get(reverse("admissions:candidate_stage", args=[c.pk, "cell_vote"]))
    )


def test_a_stage_out_of_order_is_refused_with_the_missing_stage(as_user, candidate, commune_a_staff):
    client = as_user(commune_a_staff)
    response = stage(client, candidate, "verify", {"verified_on": "01/04/2026"}, follow=False)
    assert response.status_code == 400
    assert "Chưa xong bước «Đã học lớp bồi dưỡng nhận thức về Đảng»" in text(response)
    candidate.refresh_from_db()
    assert candidate.verified_on is None


def test_a_bad_date_names_the_field(as_user, candidate, commune_a_staff):
    response = stage(
        as_user(commune_a_staff), candidate, "class", {"certificate_no": "1", "certified_on": "31/02/2026"}
    )
    assert response.status_code == 400 and "Ngày không hợp lệ" in text(response)


def test_the_admission_itself_is_for_the_staff_not_the_cell_secretary(
    as_user, today, org_tree, sponsors, commune_a_staff, cell_secretary
):
    c = walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.DECIDED)
    client = as_user(cell_secretary)
    page = client.get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert "cán bộ tổ chức của cấp ủy cấp trên" in text(page)
    refused = stage(client, c, "admit", {"ceremony_on": "01/07/2026"}, follow=False)
    assert refused.status_code == 403
    assert Candidate.objects.get(pk=c.pk).member_id is None


def test_the_cell_secretary_sees_who_records_the_base_resolution_and_the_decision(
    as_user, today, org_tree, sponsors, school_secretary, commune_a_staff
):
    c = walk(listed(school_secretary, org_tree.school_cell), school_secretary, Stage.CELL_VOTED)
    client = as_user(school_secretary)
    page = client.get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert page.status_code == 200 and page.context["refusal"]
    shown = text(page)
    assert "Nghị quyết của đảng ủy cơ sở do Đảng bộ Trường THPT An Bình ghi nhận" in shown
    assert "Hãy gửi nghị quyết đề nghị kết nạp của chi bộ lên Đảng bộ Trường THPT An Bình." in shown
    assert 'name="resolution_ref"' not in page.content.decode()
    refused = stage(
        client, c, "base_resolve", {"resolved_on": "20/05/2026", "resolution_ref": "4-NQ/ĐU"}, follow=False
    )
    assert refused.status_code == 403
    assert Candidate.objects.get(pk=c.pk).base_resolved_on is None

    walk(c, commune_a_staff, Stage.BASE_RESOLVED)
    page = client.get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert "Quyết định kết nạp do Đảng bộ xã An Bình ghi nhận" in text(page)
    assert 'name="decision_ref"' not in page.content.decode()
    refused = stage(
        client, c, "decide", {"decided_on": "15/06/2026", "decision_ref": "1-QĐ/ĐU"}, follow=False
    )
    assert refused.status_code == 403 and "Quyết định kết nạp do Đảng bộ xã An Bình" in text(refused)
    # The commune's staff get the form.
    staff_page = as_user(commune_a_staff).get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert 'name="decision_ref"' in staff_page.content.decode() and not staff_page.context["refusal"]


def test_recording_the_latest_stage_again_is_a_correction_with_a_reason(
    as_user, today, org_tree, sponsors, commune_a_staff
):
    c = walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.VERIFIED)
    client = as_user(commune_a_staff)
    detail = client.get(reverse("admissions:candidate_detail", args=[c.pk]))
    assert reverse("admissions:candidate_stage", args=[c.pk, "verify"]) in detail.content.decode()  # "Sửa"

    page = client.get(reverse("admissions:candidate_stage", args=[c.pk, "verify"]))
    assert page.context["correcting"] and page.context["stage_label"] == "Sửa: Kết quả thẩm tra lý lịch"
    shown = text(page)
    assert "Sửa: Kết quả thẩm tra lý lịch" in shown
    assert "Bước này đã ghi ngày 01/04/2026. Ghi lại là sửa bước đã ghi" in shown
    assert "Lưu sửa đổi" in shown
    assert page.context["form"]["verified_on"].value() == D(2026, 4, 1)  # starts from what is recorded

    no_reason = stage(client, c, "verify", {"verified_on": "02/04/2026", "note": "Đã xác minh"}, follow=False)
    assert no_reason.status_code == 400 and "Sửa bước đã ghi phải nêu lý do sửa." in text(no_reason)
    assert Candidate.objects.get(pk=c.pk).verified_on == D(2026, 4, 1)

    done = stage(
        client, c, "verify", {"verified_on": "02/04/2026", "note": "Đã xác minh", "reason": "Nhầm ngày"}
    )
    assert "Đã sửa: Kết quả thẩm tra lý lịch — Trần Văn Ưu." in text(done)
    c.refresh_from_db()
    assert c.verified_on == D(2026, 4, 2)
    assert c.history.first().history_change_reason == "Sửa «Thẩm tra lý lịch»: Nhầm ngày"
    assert "Sửa «Thẩm tra lý lịch»: Nhầm ngày" in text(done)  # in the page's history

    # An earlier stage, followed by a recorded one, is not corrected: no form, the service refuses.
    earlier = client.get(reverse("admissions:candidate_stage", args=[c.pk, "class"]))
    assert earlier.context["blocked"] and "không sửa được bước này nữa" in text(earlier)
    assert 'name="certificate_no"' not in earlier.content.decode()
    refused = stage(
        client, c, "class", {"certificate_no": "9", "certified_on": "11/02/2026", "reason": "x"}, follow=False
    )
    assert refused.status_code == 400
    assert Candidate.objects.get(pk=c.pk).class_certificate_no == "125-GCN/TTCT"


def test_withdraw_needs_a_reason(as_user, candidate, commune_a_staff):
    client = as_user(commune_a_staff)
    url = reverse("admissions:candidate_withdraw", args=[candidate.pk])

    refused = client.post(url, {"withdrawn_on": "01/03/2026", "reason": ""})
    assert refused.status_code == 400 and "Dừng xem xét phải ghi lý do" in text(refused)
    done = client.post(url, {"withdrawn_on": "01/03/2026", "reason": "Chuyển công tác"}, follow=True)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN and "Chuyển công tác" in text(done)


def edit_data(candidate, **changes) -> dict:
    data = {
        "full_name": candidate.full_name,
        "gender": candidate.gender,
        "birth_date": candidate.birth_date.strftime("%d/%m/%Y"),
        "ethnicity": candidate.ethnicity,
        "religion": candidate.religion,
        "citizen_id": candidate.citizen_id,
        "listed_on": candidate.listed_on.strftime("%d/%m/%Y"),
        "reason": "Nhập nhầm ngày sinh",
    }
    data.update(changes)
    return data


def test_correcting_a_candidates_record_keeps_the_reason_in_the_history(as_user, candidate, commune_a_staff):
    client = as_user(commune_a_staff)
    url = reverse("admissions:candidate_edit", args=[candidate.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"]["full_name"].value() == candidate.full_name
    # The form shows the citizen ID unmasked: opening it is written to the access log.
    log = AccessLog.objects.get(object_type="candidate", object_id=str(candidate.pk))
    assert log.user == commune_a_staff and log.action == AccessLog.Action.REVEAL

    done = client.post(url, edit_data(candidate, birth_date="12/03/1999"), follow=True)
    candidate.refresh_from_db()
    assert candidate.birth_date == D(1999, 3, 12)
    assert f"Đã sửa thông tin của {candidate.full_name}." in text(done)
    latest = candidate.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Nhập nhầm ngày sinh"
    assert latest.history_user == commune_a_staff


def test_correcting_a_record_needs_a_reason_and_names_the_wrong_field(as_user, candidate, commune_a_staff):
    client = as_user(commune_a_staff)
    url = reverse("admissions:candidate_edit", args=[candidate.pk])
    before = candidate.birth_date

    no_reason = client.post(url, edit_data(candidate, birth_date="12/03/1999", reason=""))
    assert no_reason.status_code == 400 and "Hãy nhập lý do sửa." in text(no_reason)
    # Born after being listed: the service refuses, under the birth date.
    late = client.post(url, edit_data(candidate, birth_date="01/01/2030"))
    assert late.status_code == 400
    assert (
        "Ngày sinh phải trước ngày được giới thiệu là quần chúng ưu tú."
        in late.context["form"].errors["birth_date"]
    )
    candidate.refresh_from_db()
    assert candidate.birth_date == before


def test_the_cell_secretary_corrects_the_record_but_a_plain_member_cannot(
    as_user, candidate, cell_secretary, member
):
    page = as_user(cell_secretary).get(reverse("admissions:candidate_detail", args=[candidate.pk]))
    assert page.context["can_edit"] and 'id="edit-link"' in page.content.decode()
    done = as_user(cell_secretary).post(
        reverse("admissions:candidate_edit", args=[candidate.pk]), edit_data(candidate, phone="0912345678")
    )
    candidate.refresh_from_db()
    assert done.status_code == 302 and candidate.phone == "0912345678"
    assert as_user(member).get(reverse("admissions:candidate_edit", args=[candidate.pk])).status_code == 404


def test_candidate_list_searches_without_diacritics_and_filters_by_stage(
    as_user, today, org_tree, sponsors, commune_a_staff
):
    first = listed(commune_a_staff, org_tree.cell_a, "Trần Văn Ưu")
    walk(
        listed(commune_a_staff, org_tree.cell_a, "Lê Thị Hoa", gender="female"), commune_a_staff, Stage.CLASS
    )
    listed(commune_a_staff, org_tree.school_cell, "Đỗ Văn Đức")
    client = as_user(commune_a_staff)
    url = reverse("admissions:candidate_list", args=[org_tree.commune_a.pk])

    names = lambda r: [row["c"].full_name for row in r.context["rows"]]  # noqa: E731
    # Vietnamese name order: by given name, Đ after D and Ư after U.
    assert names(client.get(url)) == ["Đỗ Văn Đức", "Lê Thị Hoa", "Trần Văn Ưu"]
    assert names(client.get(url, {"q": "tran van uu"})) == [first.full_name]
    assert names(client.get(url, {"q": "duc"})) == ["Đỗ Văn Đức"]
    assert names(client.get(url, {"giai_doan": Stage.CLASS})) == ["Lê Thị Hoa"]
    fragment = client.get(url, {"q": "hoa"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "Lê Thị Hoa" in fragment.content.decode()


def test_candidate_list_shows_the_decision_deadline_overdue(
    as_user, today, org_tree, sponsors, commune_a_staff
):
    # Voted 05/05/2026 with no decision by 23/11/2026: past the 60 working days.
    walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.CELL_VOTED)
    response = as_user(commune_a_staff).get(reverse("admissions:candidate_list", args=[org_tree.cell_a.pk]))
    assert "Quyết định kết nạp" in text(response) and 'data-deadline="overdue"' in response.content.decode()


# --- Targets -------------------------------------------------------------------------------------


def grid_url(org, period: str = "2026") -> str:
    return reverse("admissions:target_edit", args=[org.pk]) + f"?ky={period}"


def cell(org, segment: str = Segment.TOTAL) -> str:
    return f"t-{org.pk}-{segment}"


def test_target_grid_saves_everything_or_nothing(as_user, today, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    a, school = org_tree.cell_a, org_tree.school

    bad = client.post(grid_url(org_tree.commune_a), {cell(a): "5", cell(school): "năm"})
    assert bad.status_code == 400
    assert "chưa có chỉ tiêu nào được ghi" in text(bad) and "phải là số nguyên" in text(bad)
    assert not AdmissionTarget.objects.exists()

    over = client.post(grid_url(org_tree.commune_a), {cell(a): "5", cell(a, Segment.FEMALE): "7"})
    assert over.status_code == 400 and "lớn hơn chỉ tiêu tổng số 5" in text(over)
    assert not AdmissionTarget.objects.exists()

    ok = client.post(
        grid_url(org_tree.commune_a),
        {cell(a): "5", cell(a, Segment.FEMALE): "2", cell(school): "8", "decision_ref": "15-KH/ĐU"},
    )
    assert ok.status_code == 302
    saved = {(t.organization_id, t.segment): t.target for t in AdmissionTarget.objects.all()}
    assert saved == {(a.pk, "total"): 5, (a.pk, "female"): 2, (school.pk, "total"): 8}
    assert AdmissionTarget.objects.filter(decision_ref="15-KH/ĐU").count() == 3


def test_target_grid_undoes_every_cell_when_the_service_refuses_one(
    as_user, today, org_tree, commune_a_staff, monkeypatch
):
    real = services.target_set

    def refuse_school(**kw):
        if kw["organization"].pk == org_tree.school.pk:
            raise ValidationError({"target": "Chỉ tiêu bị từ chối."})
        return real(**kw)

    monkeypatch.setattr(services, "target_set", refuse_school)
    response = as_user(commune_a_staff).post(
        grid_url(org_tree.commune_a), {cell(org_tree.cell_a): "5", cell(org_tree.school): "8"}
    )
    assert response.status_code == 400 and "Chỉ tiêu bị từ chối" in text(response)
    assert not AdmissionTarget.objects.exists()


def test_target_grid_lowers_a_total_and_its_segment_together(as_user, today, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    a = org_tree.cell_a
    assert (
        client.post(grid_url(org_tree.commune_a), {cell(a): "5", cell(a, Segment.FEMALE): "4"}).status_code
        == 302
    )
    # Lowering both at once: the segment is written first, so the total never falls below it.
    lowered = client.post(grid_url(org_tree.commune_a), {cell(a): "2", cell(a, Segment.FEMALE): "1"})
    assert lowered.status_code == 302
    saved = {t.segment: t.target for t in AdmissionTarget.objects.filter(organization=a)}
    assert saved == {"total": 2, "female": 1}
    # Raising both at once: the total goes first.
    raised = client.post(grid_url(org_tree.commune_a), {cell(a): "9", cell(a, Segment.FEMALE): "8"})
    assert raised.status_code == 302
    assert {t.segment: t.target for t in AdmissionTarget.objects.filter(organization=a)} == {
        "total": 9,
        "female": 8,
    }


def test_commune_staff_cannot_set_the_communes_own_target(as_user, today, org_tree, commune_a_staff):
    client = as_user(commune_a_staff)
    page = client.get(grid_url(org_tree.commune_a))
    assert not page.context["own"].editable
    client.post(grid_url(org_tree.commune_a), {cell(org_tree.commune_a): "50", cell(org_tree.cell_a): "3"})
    assert list(AdmissionTarget.objects.values_list("organization_id", "target")) == [(org_tree.cell_a.pk, 3)]


def test_grid_shows_the_childrens_sum_against_the_own_target(as_user, today, org_tree, province_staff):
    AdmissionTargetFactory(organization=org_tree.commune_a, target=20, assigned_by=org_tree.province)
    AdmissionTargetFactory(organization=org_tree.cell_a, target=5, assigned_by=org_tree.commune_a)
    AdmissionTargetFactory(organization=org_tree.school, target=8, assigned_by=org_tree.commune_a)
    page = as_user(province_staff).get(grid_url(org_tree.commune_a))
    total = next(f for f in page.context["footer"] if f["segment"] == Segment.TOTAL)
    assert (total["sum"], total["own"]) == (13, 20)
    assert "13 /20" in text(page)


# --- Progress ------------------------------------------------------------------------------------


def test_progress_shows_the_headline_and_the_children(as_user, today, org_tree, sponsors, commune_a_staff):
    AdmissionTargetFactory(organization=org_tree.commune_a, target=4, assigned_by=org_tree.province)
    AdmissionTargetFactory(organization=org_tree.cell_a, target=2, assigned_by=org_tree.commune_a)
    walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.ADMITTED)
    response = as_user(commune_a_staff).get(reverse("admissions:progress_org", args=[org_tree.commune_a.pk]))

    shown = text(response)
    assert "Kết nạp được 1/4 đảng viên mới, đạt 25,00% chỉ tiêu" in shown
    assert "1/2 (50,00%)" in shown
    # The "Cộng" row adds the children's admissions up too, and counts who reached their target.
    total = response.context["children_sum"]
    assert (total["target"], total["admitted"], total["ratio_text"]) == (2, 1, "1/2 (50,00%)")
    assert total["reached_text"] == "0/1 tổ chức đạt chỉ tiêu"
    assert "Cộng 2 1 1/2 (50,00%) 0/1 tổ chức đạt chỉ tiêu" in shown
    html = response.content.decode()
    assert reverse("admissions:progress_xlsx", args=[org_tree.commune_a.pk]) in html
    assert reverse("admissions:progress_docx", args=[org_tree.commune_a.pk]) in html
    assert reverse("admissions:target_edit", args=[org_tree.commune_a.pk]) in html


def test_as_of_date_shows_the_older_figure(as_user, today, org_tree, sponsors, commune_a_staff):
    walk(listed(commune_a_staff, org_tree.cell_a), commune_a_staff, Stage.ADMITTED)  # decided 15/06/2026
    client = as_user(commune_a_staff)
    url = reverse("admissions:progress_org", args=[org_tree.commune_a.pk])

    assert client.get(url).context["tp"].admitted == 1
    before = client.get(url, {"ngay": "2026-06-01"})
    assert before.context["tp"].admitted == 0 and "Số liệu tính đến ngày 01/06/2026" in text(before)
    assert client.get(url, {"ngay": "14/06/2026"}).context["tp"].admitted == 0
    assert client.get(url, {"ngay": "15/06/2026"}).context["tp"].admitted == 1
    # Drill-down keeps the date and the period.
    assert "ngay=2026-06-01" in before.content.decode()


def test_a_bad_period_or_date_falls_back_with_a_message(as_user, today, org_tree, commune_a_staff):
    response = as_user(commune_a_staff).get(
        reverse("admissions:progress_org", args=[org_tree.commune_a.pk]), {"ky": "20x6", "ngay": "31/02/2026"}
    )
    assert response.status_code == 200
    shown = text(response)
    assert "Kỳ không hợp lệ" in shown and "Ngày không hợp lệ" in shown
    assert response.context["period"].key == "2026" and response.context["as_of"] is None


def test_a_term_period_is_read_and_kept(as_user, today, org_tree, commune_a_staff):
    response = as_user(commune_a_staff).get(
        reverse("admissions:progress_org", args=[org_tree.commune_a.pk]), {"ky": "2025-2030"}
    )
    assert response.context["tp"].year_from == 2025 and response.context["tp"].year_to == 2030
    assert "nhiệm kỳ 2025–2030" in text(response)


# --- Probation -----------------------------------------------------------------------------------


def test_probation_lists_due_and_overdue_with_the_recognition_link(
    as_user, today, org_tree, system_admin, commune_a_staff
):
    def probationer(name: str, ceremony: datetime.date) -> Member:
        # Entered before the 12 months ended: still probationary (nobody has recognized them).
        return member_services.member_register(
            actor=system_admin,
            organization=org_tree.cell_a,
            data={
                "full_name": name,
                "gender": "male",
                "birth_date": D(1995, 3, 10),
                "admission_decision_date": ceremony - datetime.timedelta(days=10),
                "ceremony_date": ceremony,
            },
            on=ceremony,
        )

    due = probationer("Phan Văn Đến", D(2025, 11, 10))  # official 10/11/2026, deadline not passed
    late = probationer("Hồ Văn Muộn", D(2025, 8, 1))  # official 01/08/2026, deadline passed
    far = probationer("Ngô Văn Xa", D(2026, 6, 1))  # official 01/06/2027: not yet followed

    response = as_user(commune_a_staff).get(reverse("admissions:probation", args=[org_tree.commune_a.pk]))

    states = {row["r"].member.pk: row["r"].state for row in response.context["rows"]}
    assert states == {due.pk: "due", late.pk: "overdue"} and far.pk not in states
    html = response.content.decode()
    assert reverse("members:member_action", args=[due.pk, "cong-nhan-chinh-thuc"]) in html
    assert "Đến hạn" in text(response) and "Quá hạn" in text(response)


# --- The border-area flag on the organization forms ----------------------------------------------


def test_border_area_checkbox_saves_through_the_update_form(as_user, org_tree, province_staff):
    client = as_user(province_staff)
    url = reverse("organizations:update", args=[org_tree.commune_a.pk])
    form = client.get(url)
    assert 'name="border_area"' in form.content.decode()

    data = {"code": "T99-AB", "name": "Đảng bộ xã An Bình", "founded_on": "01/07/2025",
            "admin_unit_code": "00004", "border_area": "on", "reason": "Xã biên giới"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    org_tree.commune_a.refresh_from_db()
    assert org_tree.commune_a.border_area
    detail = client.get(reverse("organizations:detail", args=[org_tree.commune_a.pk]))
    assert "Địa bàn biên giới" in text(detail)


def test_border_area_checkbox_is_on_the_create_form(as_user, org_tree, commune_a_staff):
    page = as_user(commune_a_staff).get(reverse("organizations:create", args=[org_tree.commune_a.pk]))
    assert 'name="border_area"' in page.content.decode() and "Địa bàn biên giới" in text(page)


# --- Budgets -------------------------------------------------------------------------------------


def test_candidate_list_query_count_does_not_grow_with_rows(
    as_user, today, org_tree, commune_a_staff, django_assert_max_num_queries
):
    for i in range(12):
        listed(commune_a_staff, org_tree.cell_a, f"Nguyễn Văn Thử {i}", listed_on=DATES[Stage.LISTED])
    client = as_user(commune_a_staff)
    url = reverse("admissions:candidate_list", args=[org_tree.cell_a.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
