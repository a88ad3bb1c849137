"""The candidates' pipeline and the targets through the services: order of stages, dates, the 2/3
vote, the deadlines, the admission into the member registry, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.accounts.models import Role
from dangvu.admissions import services
from dangvu.admissions.choices import Segment, Stage
from dangvu.admissions.models import AdmissionTarget, Candidate
from dangvu.members import rules as member_rules
from dangvu.members.choices import Status
from dangvu.members.models import MemberEvent
from dangvu.reports import figures, statistics

from .conftest import DATES, WORKED_SINCE, enter, listed, persona, walk

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")


def fresh(candidate: Candidate) -> Candidate:
    return Candidate.objects.get(pk=candidate.pk)


def error_of(exc: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(exc.value.message_dict[field])


# ---------------------------------------------------------------------------------------------
# The record


def test_create_fills_the_keys_and_validates_like_the_registry(org_tree, commune_a_staff, sponsors):
    c = listed(commune_a_staff, org_tree.cell_a, "  Nguyễn Thị Ánh  ", citizen_id="001 200 012 345")
    assert c.full_name == "Nguyễn Thị Ánh"
    assert c.citizen_id == "001200012345"
    assert c.search_key == "nguyen thi anh"
    assert c.name_sort
    assert c.stage == Stage.LISTED
    assert c.history.first().history_change_reason == "Giới thiệu quần chúng ưu tú"

    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "")
    assert "full_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "Lê Văn Số", citizen_id="12345678901")
    assert "12 chữ số" in error_of(exc, "citizen_id")
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "Lê Văn Trùng", citizen_id="001200012345")
    assert "quần chúng ưu tú" in error_of(exc, "citizen_id")
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "Lê Văn Giới", gender="other")
    assert "gender" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "Lê Văn Nhầm", member_status="official")
    assert "member_status" in exc.value.message_dict


def test_a_long_name_fits_and_a_too_long_one_is_refused_on_the_name(org_tree, commune_a_staff):
    long_name = ("Nguyễn " + "Ánh " * 30)[:120].strip()
    assert listed(commune_a_staff, org_tree.cell_a, long_name).full_name == long_name
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, long_name + " Thêm Tên")
    assert set(exc.value.message_dict) == {"full_name"}


def test_a_member_s_citizen_id_is_refused(org_tree, commune_a_staff, sponsors, system_admin):
    member = sponsors.son
    member.citizen_id = "001080000001"
    member.save(update_fields=["citizen_id"])
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, "Lê Văn Trùng", citizen_id="001080000001")
    assert "đảng viên" in error_of(exc, "citizen_id")


def test_candidates_are_followed_in_cells_only(org_tree, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.commune_a)
    assert "chi bộ" in error_of(exc, "organization")


def test_future_listing_is_refused(org_tree, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        listed(commune_a_staff, org_tree.cell_a, listed_on=D(2026, 11, 24))
    assert "tương lai" in error_of(exc, "listed_on")


def test_update_needs_a_reason_and_keeps_history(candidate, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        services.candidate_update(
            actor=commune_a_staff, candidate=candidate, changes={"phone": "0912"}, reason=""
        )
    assert "reason" in exc.value.message_dict
    c = services.candidate_update(
        actor=commune_a_staff, candidate=candidate, changes={"full_name": "Trần Văn Ưu Tú"}, reason="Sai tên"
    )
    assert c.search_key == "tran van uu tu"
    assert fresh(c).history.first().history_change_reason == "Sai tên"


# ---------------------------------------------------------------------------------------------
# Order and dates


def test_stages_out_of_order_are_refused_naming_the_missing_stage(candidate, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        services.candidate_verify(actor=commune_a_staff, candidate=candidate, verified_on=D(2026, 4, 1))
    assert f"«{Stage.CLASS.label}»" in error_of(exc, "verified_on")
    walk(candidate, commune_a_staff, Stage.CLASS)
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(
            actor=commune_a_staff, candidate=candidate, decided_on=D(2026, 6, 1), decision_ref="1-QĐ/ĐU"
        )
    assert f"«{Stage.SPONSORED.label}»" in error_of(exc, "decided_on")
    with pytest.raises(ValidationError) as exc:
        services.candidate_admit(actor=commune_a_staff, candidate=candidate, ceremony_on=D(2026, 7, 1))
    assert "ceremony_on" in exc.value.message_dict


def test_a_stage_may_be_corrected_until_the_next_is_done(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CLASS)
    # Recording the stage again is a correction: it needs a reason.
    with pytest.raises(ValidationError) as exc:
        services.candidate_certify_class(
            actor=commune_a_staff, candidate=candidate, certificate_no="126-GCN", certified_on=D(2026, 2, 11)
        )
    assert "đã ghi ngày 10/02/2026" in error_of(exc, "reason") and "lý do sửa" in error_of(exc, "reason")
    assert fresh(candidate).class_certificate_no == "125-GCN/TTCT"
    c = services.candidate_certify_class(
        actor=commune_a_staff,
        candidate=candidate,
        certificate_no="126-GCN",
        certified_on=D(2026, 2, 11),
        reason="Nhập nhầm số giấy chứng nhận",
    )
    assert (c.class_certified_on, c.class_certificate_no) == (D(2026, 2, 11), "126-GCN")
    assert fresh(c).history.first().history_change_reason == (
        "Sửa «Học lớp bồi dưỡng nhận thức về Đảng»: Nhập nhầm số giấy chứng nhận"
    )
    assert services.correctable_stage(fresh(c)) == Stage.CLASS
    walk(candidate, commune_a_staff, Stage.SPONSORED)
    assert services.correctable_stage(fresh(c)) == Stage.SPONSORED
    with pytest.raises(ValidationError) as exc:
        services.candidate_certify_class(
            actor=commune_a_staff,
            candidate=candidate,
            certificate_no="127-GCN",
            certified_on=D(2026, 2, 12),
            reason="Sửa lại",
        )
    assert "Đã qua bước" in error_of(exc, "certified_on")


def test_a_long_correction_reason_is_kept_whole(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)
    reason = "Biên bản ghi 7 phiếu tán thành, không phải 6 như đã nhập lần trước"
    services.candidate_cell_vote(
        actor=commune_a_staff,
        candidate=candidate,
        voted_on=D(2026, 5, 5),
        votes_for=7,
        official_members=9,
        reason=reason,
    )
    assert fresh(candidate).history.first().history_change_reason == f"Sửa: {reason}"


def test_correcting_the_cell_vote_is_no_new_attempt(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)
    result = services.candidate_cell_vote(
        actor=commune_a_staff,
        candidate=candidate,
        voted_on=D(2026, 5, 6),
        votes_for=7,
        official_members=9,
        reason="Sai số phiếu",
    )
    c = fresh(candidate)
    assert result.passed and result.attempt == 1
    assert (c.cell_vote_attempts, c.cell_voted_on, c.cell_votes_for) == (1, D(2026, 5, 6), 7)
    # The minutes show 5 of 9 after all: the vote did not pass, the stage is undone, still one attempt.
    result = services.candidate_cell_vote(
        actor=commune_a_staff,
        candidate=candidate,
        voted_on=D(2026, 5, 6),
        votes_for=5,
        official_members=9,
        reason="Biên bản ghi 5 phiếu",
    )
    c = fresh(candidate)
    assert not result.passed and "Lần biểu quyết thứ 1/3" in result.message
    assert (c.cell_vote_attempts, c.cell_voted_on, c.stage) == (1, None, Stage.VERIFIED)
    assert services.correctable_stage(c) == Stage.VERIFIED


def test_dates_before_the_previous_stage_are_refused(candidate, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        services.candidate_certify_class(
            actor=commune_a_staff, candidate=candidate, certificate_no="1", certified_on=D(2026, 1, 4)
        )
    assert "05/01/2026" in error_of(exc, "certified_on")
    # The day of the previous stage itself is allowed.
    services.candidate_certify_class(
        actor=commune_a_staff, candidate=candidate, certificate_no="1", certified_on=D(2026, 1, 5)
    )
    walk(candidate, commune_a_staff, Stage.VERIFIED)
    with pytest.raises(ValidationError) as exc:
        services.candidate_cell_vote(
            actor=commune_a_staff,
            candidate=candidate,
            voted_on=D(2026, 3, 31),
            votes_for=9,
            official_members=9,
        )
    assert "01/04/2026" in error_of(exc, "voted_on")
    assert fresh(candidate).cell_vote_attempts == 0


def test_future_dates_are_refused(candidate, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        services.candidate_certify_class(
            actor=commune_a_staff, candidate=candidate, certificate_no="1", certified_on=D(2026, 11, 24)
        )
    assert "tương lai" in error_of(exc, "certified_on")


# ---------------------------------------------------------------------------------------------
# Sponsors


def test_sponsors_with_twelve_months_together(candidate, commune_a_staff, sponsors):
    walk(candidate, commune_a_staff, Stage.CLASS)
    on = DATES[Stage.SPONSORED]  # 02/03/2026
    with pytest.raises(ValidationError) as exc:
        services.candidate_assign_sponsors(
            actor=commune_a_staff,
            candidate=candidate,
            assigned_on=on,
            sponsor_1=sponsors.son,
            sponsor_1_since=D(2025, 3, 3),
            sponsor_2=sponsors.hanh,
            sponsor_2_since=WORKED_SINCE,
        )
    assert "chưa đủ 12 tháng" in error_of(exc, "sponsor_1_since")
    c = services.candidate_assign_sponsors(
        actor=commune_a_staff,
        candidate=candidate,
        assigned_on=on,
        sponsor_1=sponsors.son,
        sponsor_1_since=D(2025, 3, 2),
        sponsor_2=sponsors.hanh,
        sponsor_2_since=WORKED_SINCE,
    )
    assert c.stage == Stage.SPONSORED
    assert (c.sponsor_1, c.sponsor_2) == (sponsors.son, sponsors.hanh)


def test_probationary_sponsor_is_refused(candidate, commune_a_staff, sponsors, system_admin, org_tree):
    newcomer = enter(system_admin, org_tree.cell_a, "Đỗ Thị Mới", ceremony=D(2025, 9, 1))
    walk(candidate, commune_a_staff, Stage.CLASS)
    with pytest.raises(ValidationError) as exc:
        services.candidate_assign_sponsors(
            actor=commune_a_staff,
            candidate=candidate,
            assigned_on=DATES[Stage.SPONSORED],
            sponsor_1=sponsors.son,
            sponsor_1_since=WORKED_SINCE,
            sponsor_2=newcomer,
            sponsor_2_since=WORKED_SINCE,
        )
    assert "đảng viên chính thức" in error_of(exc, "sponsor_2")


def test_youth_union_resolution_replaces_the_second_sponsor(org_tree, commune_a_staff, sponsors):
    youth = listed(commune_a_staff, org_tree.cell_a, "Lý Văn Đoàn", youth_union=True)
    other = listed(commune_a_staff, org_tree.cell_a, "Lý Văn Không")
    for c in (youth, other):
        walk(c, commune_a_staff, Stage.CLASS)
    kwargs = {
        "actor": commune_a_staff,
        "assigned_on": DATES[Stage.SPONSORED],
        "sponsor_1": sponsors.son,
        "sponsor_1_since": WORKED_SINCE,
    }
    with pytest.raises(ValidationError) as exc:
        services.candidate_assign_sponsors(candidate=youth, **kwargs)
    assert "nghị quyết" in error_of(exc, "sponsor_2")
    c = services.candidate_assign_sponsors(candidate=youth, youth_union_resolution="12-NQ/ĐTN", **kwargs)
    assert c.sponsor_2 is None and c.youth_union_resolution == "12-NQ/ĐTN"
    with pytest.raises(ValidationError) as exc:
        services.candidate_assign_sponsors(candidate=other, youth_union_resolution="13-NQ/ĐTN", **kwargs)
    assert "đoàn viên" in error_of(exc, "youth_union_resolution")
    # The Youth Union's name stands for the second sponsor in the member record.
    member = walk(c, commune_a_staff, Stage.ADMITTED)
    assert member.sponsor_1 == "Nguyễn Văn Sơn"
    assert "12-NQ/ĐTN" in member.sponsor_2


# ---------------------------------------------------------------------------------------------
# The cell's vote


def test_six_of_nine_passes(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.VERIFIED)
    result = services.candidate_cell_vote(
        actor=commune_a_staff, candidate=candidate, voted_on=D(2026, 5, 5), votes_for=6, official_members=9
    )
    assert result.passed and result.attempt == 1
    assert "66,67%" in result.message
    c = fresh(candidate)
    assert (c.cell_voted_on, c.cell_votes_for, c.cell_official_members) == (D(2026, 5, 5), 6, 9)
    assert c.stage == Stage.CELL_VOTED


def test_five_of_nine_fails_as_an_attempt_and_the_third_goes_to_the_higher_committee(
    candidate, commune_a_staff, org_tree
):
    walk(candidate, commune_a_staff, Stage.VERIFIED)
    before = fresh(candidate)
    for attempt in (1, 2, 3):
        result = services.candidate_cell_vote(
            actor=commune_a_staff,
            candidate=candidate,
            voted_on=D(2026, 5, 4 + attempt),
            votes_for=5,
            official_members=9,
        )
        assert not result.passed and result.attempt == attempt
        assert "2/3" in result.message
        c = fresh(candidate)
        assert c.cell_vote_attempts == attempt
        assert (c.cell_voted_on, c.cell_votes_for, c.cell_official_members) == (None, None, None)
        assert c.stage == Stage.VERIFIED and c.verified_on == before.verified_on
    assert org_tree.commune_a.name in result.message
    with pytest.raises(ValidationError) as exc:
        services.candidate_cell_vote(
            actor=commune_a_staff,
            candidate=candidate,
            voted_on=D(2026, 6, 1),
            votes_for=9,
            official_members=9,
        )
    assert org_tree.commune_a.name in error_of(exc, "voted_on")


def test_a_failed_vote_then_a_passed_one(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.VERIFIED)
    services.candidate_cell_vote(
        actor=commune_a_staff, candidate=candidate, voted_on=D(2026, 5, 5), votes_for=5, official_members=9
    )
    result = services.candidate_cell_vote(
        actor=commune_a_staff, candidate=candidate, voted_on=D(2026, 6, 5), votes_for=6, official_members=9
    )
    assert result.passed and result.attempt == 2


def test_votes_beyond_the_members_are_refused(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.VERIFIED)
    with pytest.raises(ValidationError) as exc:
        services.candidate_cell_vote(
            actor=commune_a_staff,
            candidate=candidate,
            voted_on=D(2026, 5, 5),
            votes_for=10,
            official_members=9,
        )
    assert "votes_for" in exc.value.message_dict
    assert fresh(candidate).cell_vote_attempts == 0


@pytest.mark.parametrize(
    ("voted_on", "allowed"), [(D(2026, 5, 4), False), (D(2026, 5, 5), True), (D(2026, 5, 6), True)]
)
def test_age_eighteen_at_the_vote(org_tree, commune_a_staff, sponsors, voted_on, allowed):
    young = listed(commune_a_staff, org_tree.cell_a, "Phan Văn Trẻ", birth_date=D(2008, 5, 5))
    walk(young, commune_a_staff, Stage.VERIFIED)
    vote = {"actor": commune_a_staff, "candidate": young, "votes_for": 9, "official_members": 9}
    if allowed:
        assert services.candidate_cell_vote(voted_on=voted_on, **vote).passed
    else:
        with pytest.raises(ValidationError) as exc:
            services.candidate_cell_vote(voted_on=voted_on, **vote)
        assert "18 tuổi" in error_of(exc, "voted_on")
        assert fresh(young).cell_vote_attempts == 0


# ---------------------------------------------------------------------------------------------
# Base committee, decision, deadlines


def test_who_decides_and_the_base_committee_step(org_tree, commune_a_staff, commune_b_staff, sponsors):
    village = listed(commune_a_staff, org_tree.cell_a, "Hà Văn Thôn")
    school = listed(commune_a_staff, org_tree.school_cell, "Hà Thị Trường")
    ward = listed(commune_b_staff, org_tree.cell_b, "Hà Văn Phố")
    assert not services.needs_base_resolution(org_tree.cell_a)
    assert services.needs_base_resolution(org_tree.school_cell)
    for c in (village, school):
        walk(c, commune_a_staff, Stage.CELL_VOTED)
    walk(ward, commune_b_staff, Stage.CELL_VOTED)

    with pytest.raises(ValidationError) as exc:
        services.candidate_base_resolve(
            actor=commune_a_staff, candidate=village, resolved_on=D(2026, 5, 20), resolution_ref="1-NQ"
        )
    assert org_tree.commune_a.name in error_of(exc, "resolved_on")
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(
            actor=commune_a_staff, candidate=school, decided_on=D(2026, 6, 15), decision_ref="2-QĐ"
        )
    assert f"«{Stage.BASE_RESOLVED.label}»" in error_of(exc, "decided_on")

    for c, staff in ((village, commune_a_staff), (school, commune_a_staff), (ward, commune_b_staff)):
        walk(c, staff, Stage.DECIDED)
    assert fresh(village).decided_by == org_tree.commune_a
    assert fresh(school).decided_by == org_tree.commune_a
    assert fresh(school).base_resolution_ref == "45-NQ/ĐU"
    assert fresh(ward).decided_by == org_tree.commune_b


def test_a_late_decision_is_recorded_and_flagged(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)  # voted 05/05/2026
    due = services.rules.decision_due(D(2026, 5, 5))
    c = services.candidate_decide(
        actor=commune_a_staff,
        candidate=candidate,
        decided_on=due + datetime.timedelta(days=1),
        decision_ref="9-QĐ",
    )
    assert c.decision_late is True
    assert "quá hạn" in fresh(c).history.first().history_change_reason
    assert fresh(c).decision_received_on is None


def test_the_decision_on_its_last_day_is_not_late(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)
    due = services.rules.decision_due(D(2026, 5, 5))
    c = services.candidate_decide(
        actor=commune_a_staff, candidate=candidate, decided_on=due, decision_ref="9-QĐ"
    )
    assert c.decision_late is False


def test_the_decision_needs_its_number_and_a_receipt_after_it(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(
            actor=commune_a_staff, candidate=candidate, decided_on=D(2026, 6, 15), decision_ref=" "
        )
    assert "decision_ref" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(
            actor=commune_a_staff,
            candidate=candidate,
            decided_on=D(2026, 6, 15),
            decision_ref="9-QĐ",
            received_on=D(2026, 6, 14),
        )
    assert "received_on" in exc.value.message_dict


def test_a_ceremony_past_thirty_working_days_needs_the_higher_committee(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.DECIDED)  # received 18/06/2026: ceremony by 30/07/2026
    with pytest.raises(ValidationError) as exc:
        services.candidate_admit(actor=commune_a_staff, candidate=candidate, ceremony_on=D(2026, 7, 31))
    assert "30/07/2026" in error_of(exc, "ceremony_on")
    assert fresh(candidate).member is None
    member = services.candidate_admit(
        actor=commune_a_staff,
        candidate=candidate,
        ceremony_on=D(2026, 7, 31),
        ceremony_late_consent="Công văn 12-CV/ĐU đồng ý",
    )
    assert member.ceremony_date == D(2026, 7, 31)


def test_the_ceremony_on_its_last_day_needs_no_consent(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.DECIDED)
    member = services.candidate_admit(actor=commune_a_staff, candidate=candidate, ceremony_on=D(2026, 7, 30))
    assert member.status == Status.PROBATIONARY


# ---------------------------------------------------------------------------------------------
# The admission


def test_age_counts_at_the_cells_vote_not_at_the_decision(today, org_tree, sponsors, commune_a_staff):
    """60 years to the day at the cell's vote (05/05/2026), past 60 at the decision: admitted without
    the provincial consent, because the age counts when the cell considers (QĐ 24 §1.1)."""
    person = listed(commune_a_staff, org_tree.cell_a, "Bế Văn Sáu Mươi", birth_date=D(1966, 5, 5))
    member = walk(person, commune_a_staff, Stage.ADMITTED)
    assert member.status == Status.PROBATIONARY
    assert member.events.get(kind=MemberEvent.Kind.ADMITTED).decision_date == DATES[Stage.DECIDED]


def test_full_pipeline_creates_a_probationary_member_counted_by_the_statistics(
    candidate, commune_a_staff, org_tree, sponsors
):
    before = statistics.period(org_tree.province, D(2026, 1, 1), D(2026, 12, 31))["admissions"]["total"]
    tally_before = (
        figures.today_counts([org_tree.province.pk]).get(org_tree.province.pk, {}).get("ad:2026", 0)
    )

    member = walk(candidate, commune_a_staff, Stage.ADMITTED)

    c = fresh(candidate)
    assert c.member == member and c.stage == Stage.ADMITTED and c.ceremony_on == D(2026, 7, 1)
    assert c.decision_received_on == D(2026, 6, 18)
    assert member.status == Status.PROBATIONARY
    assert member.organization == org_tree.cell_a
    assert member.full_name == "Trần Văn Ưu"
    assert member.admission_decision_date == D(2026, 6, 15)
    assert member.ceremony_date == D(2026, 7, 1)
    assert member_rules.expected_official_on(member) == D(2027, 7, 1)
    assert (member.sponsor_1, member.sponsor_2) == ("Nguyễn Văn Sơn", "Lê Thị Hạnh")
    event = member.events.get(kind=MemberEvent.Kind.ADMITTED)
    assert event.effective_on == D(2026, 6, 15)
    assert event.decision_date == D(2026, 6, 15)  # the decision, beside its number
    assert event.decision_ref == "125-QĐ/ĐU"
    assert event.data["ceremony_date"] == "2026-07-01"

    after = statistics.period(org_tree.province, D(2026, 1, 1), D(2026, 12, 31))["admissions"]["total"]
    assert after == before + 1
    tally = figures.today_counts([org_tree.province.pk, org_tree.commune_a.pk])
    assert tally[org_tree.province.pk]["ad:2026"] == tally_before + 1
    assert tally[org_tree.commune_a.pk]["ad:2026"] == 1

    with pytest.raises(ValidationError):
        services.candidate_withdraw(
            actor=commune_a_staff, candidate=c, withdrawn_on=D(2026, 8, 1), reason="x"
        )
    with pytest.raises(ValidationError):
        services.candidate_update(actor=commune_a_staff, candidate=c, changes={"phone": "1"}, reason="x")


def test_admission_extra_fields_go_to_the_record(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.DECIDED)
    member = services.candidate_admit(
        actor=commune_a_staff,
        candidate=candidate,
        ceremony_on=D(2026, 7, 1),
        extra={"birth_place": "Xã An Bình", "qualification": "bachelor"},
    )
    assert (member.birth_place, member.qualification) == ("Xã An Bình", "bachelor")


# ---------------------------------------------------------------------------------------------
# Withdrawal


def test_withdraw(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.VERIFIED)  # verified 01/04/2026
    with pytest.raises(ValidationError) as exc:
        services.candidate_withdraw(
            actor=commune_a_staff, candidate=candidate, withdrawn_on=D(2026, 5, 1), reason=""
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.candidate_withdraw(
            actor=commune_a_staff, candidate=candidate, withdrawn_on=D(2026, 3, 31), reason="Chuyển công tác"
        )
    assert "01/04/2026" in error_of(exc, "withdrawn_on")
    c = services.candidate_withdraw(
        actor=commune_a_staff, candidate=candidate, withdrawn_on=D(2026, 4, 1), reason="Chuyển công tác"
    )
    assert c.stage == Stage.WITHDRAWN and c.withdrawn_reason == "Chuyển công tác"
    with pytest.raises(ValidationError) as exc:
        services.candidate_cell_vote(
            actor=commune_a_staff, candidate=c, voted_on=D(2026, 5, 5), votes_for=9, official_members=9
        )
    assert "dừng xem xét" in error_of(exc, "candidate")
    with pytest.raises(ValidationError):
        services.candidate_withdraw(
            actor=commune_a_staff, candidate=c, withdrawn_on=D(2026, 5, 1), reason="Lần hai"
        )


# ---------------------------------------------------------------------------------------------
# Rights


def test_a_cell_secretary_manages_their_cell_only(org_tree, cell_secretary, sponsors, commune_b_staff):
    mine = listed(cell_secretary, org_tree.cell_a, "Võ Văn Của Tôi")
    walk(mine, cell_secretary, Stage.CELL_VOTED)
    # The decision is the commune committee's, not the cell's.
    with pytest.raises(PermissionDenied) as exc:
        walk(mine, cell_secretary, Stage.DECIDED)
    assert "Quyết định kết nạp do Đảng bộ xã An Bình ghi nhận" in str(exc.value)
    assert fresh(mine).decided_on is None
    walk(mine, persona("commune_a_clerk", Role.ORG_STAFF, org_tree.commune_a), Stage.DECIDED)
    assert services.can_manage_candidates(cell_secretary, org_tree.cell_a)
    assert not services.can_manage_candidates(cell_secretary, org_tree.cell_b)
    with pytest.raises(PermissionDenied):
        listed(cell_secretary, org_tree.cell_b, "Võ Văn Người Khác")
    theirs = listed(commune_b_staff, org_tree.cell_b, "Võ Văn Người Khác")
    with pytest.raises(PermissionDenied):
        services.candidate_certify_class(
            actor=cell_secretary, candidate=theirs, certificate_no="1", certified_on=D(2026, 2, 1)
        )
    with pytest.raises(PermissionDenied):
        services.candidate_withdraw(
            actor=cell_secretary, candidate=theirs, withdrawn_on=D(2026, 2, 1), reason="x"
        )
    # The member registry is kept by the organization staff: the secretary records the stages only.
    with pytest.raises(PermissionDenied):
        services.candidate_admit(actor=cell_secretary, candidate=mine, ceremony_on=D(2026, 7, 1))
    assert fresh(mine).member is None


def test_an_outsider_and_a_plain_member_manage_nothing(org_tree, outsider, member, candidate):
    for user in (outsider, member):
        assert not services.can_manage_candidates(user, org_tree.cell_a)
        with pytest.raises(PermissionDenied):
            services.candidate_certify_class(
                actor=user, candidate=candidate, certificate_no="1", certified_on=D(2026, 2, 1)
            )


def test_a_leader_above_manages_candidates(org_tree, province_leader, candidate):
    assert services.can_manage_candidates(province_leader, org_tree.cell_b)
    services.candidate_certify_class(
        actor=province_leader, candidate=candidate, certificate_no="1", certified_on=D(2026, 2, 1)
    )


# ---------------------------------------------------------------------------------------------
# Targets


def test_target_set_is_an_upsert_with_history(org_tree, province_staff):
    t = services.target_set(
        actor=province_staff,
        organization=org_tree.commune_a,
        year_from=2026,
        target=6,
        decision_ref="12-QĐ/TU",
    )
    assert (t.assigned_by, t.period, t.year_to, t.segment) == (org_tree.province, "year", 2026, Segment.TOTAL)
    again = services.target_set(
        actor=province_staff, organization=org_tree.commune_a, year_from=2026, target=7
    )
    assert again.pk == t.pk and again.target == 7 and again.decision_ref == "12-QĐ/TU"
    assert AdmissionTarget.objects.filter(organization=org_tree.commune_a).count() == 1
    reasons = [
        h.history_change_reason for h in AdmissionTarget.history.filter(id=t.pk).order_by("history_id")
    ]
    assert reasons == ["Giao chỉ tiêu kết nạp 2026: 6", "Điều chỉnh chỉ tiêu kết nạp 2026: 6 → 7"]
    assert AdmissionTarget.history.filter(id=t.pk).first().history_user == province_staff

    services.target_set(
        actor=province_staff, organization=org_tree.commune_a, year_from=2025, year_to=2030, target=40
    )
    term = services.target_set(
        actor=province_staff,
        organization=org_tree.commune_a,
        year_from=2025,
        year_to=2030,
        segment=Segment.FEMALE,
        target=20,
    )
    assert term.period == "term" and term.pk != t.pk
    own = services.target_set(actor=province_staff, organization=org_tree.province, year_from=2026, target=10)
    assert own.assigned_by == org_tree.province


def test_a_segment_target_is_a_part_of_the_total(org_tree, province_staff):
    def give(segment: str, target: int, **kw):
        return services.target_set(
            actor=province_staff,
            organization=org_tree.commune_a,
            year_from=kw.pop("year_from", 2026),
            segment=segment,
            target=target,
            **kw,
        )

    # No total yet: a segment target has nothing to be a part of.
    with pytest.raises(ValidationError) as exc:
        give(Segment.FEMALE, 2)
    assert error_of(exc, "target") == (
        "«Đảng bộ xã An Bình» chưa có chỉ tiêu tổng số 2026: hãy giao chỉ tiêu tổng số trước khi giao "
        "chỉ tiêu «Nữ»."
    )
    give(Segment.TOTAL, 5)
    # Up to the total, not one more.
    assert give(Segment.FEMALE, 5).target == 5
    with pytest.raises(ValidationError) as exc:
        give(Segment.ETHNIC_MINORITY, 6)
    assert "«Người dân tộc thiểu số» (6) lớn hơn chỉ tiêu tổng số 2026" in error_of(exc, "target")
    give(Segment.ETHNIC_MINORITY, 3)
    # The total may not fall below a segment's target; both segments are named.
    with pytest.raises(ValidationError) as exc:
        give(Segment.TOTAL, 2)
    assert "«Nữ» (5), «Người dân tộc thiểu số» (3)" in error_of(exc, "target")
    with pytest.raises(ValidationError) as exc:
        give(Segment.TOTAL, 4)
    assert "«Nữ» (5)" in error_of(exc, "target") and "dân tộc" not in error_of(exc, "target")
    with pytest.raises(ValidationError):
        give(Segment.TOTAL, 0)  # withdrawing the total leaves the segments without one
    assert AdmissionTarget.objects.get(organization=org_tree.commune_a, segment=Segment.TOTAL).target == 5
    # Lowering the segments first, then the total, is the way down.
    give(Segment.FEMALE, 0)
    give(Segment.ETHNIC_MINORITY, 2)
    assert give(Segment.TOTAL, 2).target == 2
    # A term is a period of its own: the year's total does not count for it.
    with pytest.raises(ValidationError) as exc:
        give(Segment.FEMALE, 1, year_from=2025, year_to=2030)
    assert "chưa có chỉ tiêu tổng số 2025–2030" in error_of(exc, "target")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year_from": 2026, "target": -1}, "target"),
        ({"year_from": 2026, "target": "mười"}, "target"),
        ({"year_from": 2026, "year_to": 2025, "target": 1}, "year_to"),
        ({"year_from": 2026, "year_to": 2040, "target": 1}, "year_to"),
        ({"year_from": 1900, "target": 1}, "year_from"),
        ({"year_from": 2026, "segment": "men", "target": 1}, "segment"),
    ],
)
def test_target_set_refuses_bad_input(org_tree, province_staff, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=province_staff, organization=org_tree.commune_a, **kwargs)
    assert field in exc.value.message_dict


def test_only_the_staff_above_set_targets(org_tree, commune_a_staff, cell_secretary, province_leader):
    assert services.can_set_target(commune_a_staff, org_tree.cell_a)
    services.target_set(actor=commune_a_staff, organization=org_tree.cell_a, year_from=2026, target=2)
    for user, org in (
        (commune_a_staff, org_tree.commune_a),  # its own target comes from the province
        (commune_a_staff, org_tree.cell_b),
        (cell_secretary, org_tree.cell_a),
        (province_leader, org_tree.commune_a),
    ):
        assert not services.can_set_target(user, org)
        with pytest.raises(PermissionDenied):
            services.target_set(actor=user, organization=org, year_from=2026, target=3)


def test_the_base_resolution_and_the_decision_belong_to_the_committees_above(
    org_tree, school_secretary, sponsors, commune_a_staff, province_leader
):
    """School cell → the school's base committee resolves → the commune decides (DOMAIN.md §1.1)."""
    c = walk(
        listed(school_secretary, org_tree.school_cell, "Đinh Thị Giáo Viên"),
        school_secretary,
        Stage.CELL_VOTED,
    )
    school_staff = persona("school_staff", Role.ORG_STAFF, org_tree.school)
    school_leader = persona("school_leader", Role.LEADER, org_tree.school)
    school_committee_secretary = persona("school_committee_secretary", Role.CELL_SECRETARY, org_tree.school)
    commune_leader = persona("commune_leader", Role.LEADER, org_tree.commune_a)
    cell = org_tree.school_cell
    # The cell's secretary records the cell's stages, neither the base resolution nor the decision.
    assert not services.can_resolve_base(school_secretary, cell)
    assert not services.can_decide(school_secretary, cell)
    with pytest.raises(PermissionDenied) as exc:
        services.candidate_base_resolve(
            actor=school_secretary, candidate=c, resolved_on=D(2026, 5, 20), resolution_ref="45-NQ/ĐU"
        )
    assert "Đảng bộ Trường THPT An Bình ghi nhận" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.candidate_decide(
            actor=school_secretary, candidate=c, decided_on=D(2026, 6, 15), decision_ref="125-QĐ/ĐU"
        )
    # The base committee: staff who manage the cell, its leaders and secretaries.
    for user in (school_staff, school_leader, school_committee_secretary, commune_a_staff, province_leader):
        assert services.can_resolve_base(user, cell), user
    # The decision: the commune's staff and leaders, and those above; not the base committee.
    for user in (school_staff, school_leader, school_committee_secretary):
        assert not services.can_decide(user, cell), user
        assert services.stage_refusal(user, c, Stage.DECIDED).startswith(
            "Quyết định kết nạp do Đảng bộ xã An Bình"
        )
    for user in (commune_a_staff, commune_leader, province_leader):
        assert services.can_decide(user, cell), user
        assert services.stage_refusal(user, c, Stage.DECIDED) == ""
    services.candidate_base_resolve(
        actor=school_leader, candidate=c, resolved_on=D(2026, 5, 20), resolution_ref="45-NQ/ĐU"
    )
    with pytest.raises(PermissionDenied):
        services.candidate_decide(
            actor=school_leader, candidate=c, decided_on=D(2026, 6, 15), decision_ref="125-QĐ/ĐU"
        )
    decided = services.candidate_decide(
        actor=commune_leader, candidate=c, decided_on=D(2026, 6, 15), decision_ref="125-QĐ/ĐU"
    )
    assert decided.decided_by == org_tree.commune_a


def test_a_school_cell_secretary_manages_the_school_cell(org_tree, school_secretary, sponsors):
    c = listed(school_secretary, org_tree.school_cell, "Đinh Thị Giáo Viên")
    assert services.can_manage_candidates(school_secretary, org_tree.school_cell)
    assert not services.can_manage_candidates(school_secretary, org_tree.cell_a)
    assert services.next_stage(c) == Stage.CLASS
