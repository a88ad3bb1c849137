"""The round from creation to closing: the work list, who may do each step, the rules as violations."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.accounts.models import Role
from dangvu.core.models import LegalBasis, RuleParameter
from dangvu.evaluations import selectors, services
from dangvu.evaluations.choices import Level, RoundState, Subject
from dangvu.evaluations.models import EvaluationRound, MemberRating, OrganizationRating
from dangvu.members import services as member_services
from dangvu.organizations.models import Kind
from dangvu.organizations.tests.factories import OrganizationFactory

from .conftest import enter, org_rating, persona, rating_of
from .test_rules import switch_cap_off_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]
D = datetime.date


def codes(rnd, under=None):
    return sorted(v.code for v in services.round_violations(rnd, under=under))


def propose(rnd, actor, *pairs, score=None):
    return services.propose_member_levels(
        actor=actor,
        round=rnd,
        proposals=[{"rating": rating_of(rnd, m).pk, "level": lvl, "score": score} for m, lvl in pairs],
    )


def decide(rnd, actor, *pairs):
    return services.decide_member_levels(
        actor=actor, round=rnd, decisions=[{"rating": rating_of(rnd, m).pk, "level": lvl} for m, lvl in pairs]
    )


# --- Creating and opening ----------------------------------------------------------------------


def test_create_takes_the_legal_basis_in_force_at_the_end_of_the_period(org_tree, province_staff):
    r2026 = services.round_create(actor=province_staff, organization=org_tree.province, year=2026)
    r2024 = services.round_create(actor=province_staff, organization=org_tree.province, year=2024)

    assert r2026.legal_basis.code == "366-QĐ/TW"
    assert r2024.legal_basis.code == "132-QĐ/TW"  # levels by criteria until QĐ 366
    assert (r2026.period_start, r2026.period_end, r2026.state) == (D(2026, 1, 1), D(2026, 12, 31), "draft")
    assert r2026.name == "Đánh giá, xếp loại chất lượng năm 2026 – Đảng bộ tỉnh Thử Nghiệm"
    assert r2026.history.first().history_user == province_staff


@pytest.mark.parametrize("actor_name", ["commune_a_staff", "province_leader", "cell_secretary", "outsider"])
def test_only_organization_staff_above_may_create_a_round(request, org_tree, actor_name):
    with pytest.raises(PermissionDenied):
        services.round_create(
            actor=request.getfixturevalue(actor_name), organization=org_tree.province, year=2026
        )


def test_create_refuses_a_duplicate_and_a_reference_date_outside_the_period(draft_round, province_staff):
    with pytest.raises(ValidationError) as exc:
        services.round_create(actor=province_staff, organization=draft_round.organization, year=2026)
    assert "đã có đợt đánh giá cho kỳ này" in exc.value.message_dict["year"][0]
    with pytest.raises(ValidationError) as exc:
        services.round_create(
            actor=province_staff,
            organization=draft_round.organization,
            year=2025,
            reference_date=D(2026, 1, 5),
        )
    assert "phải nằm trong kỳ đánh giá" in exc.value.message_dict["reference_date"][0]


def test_quarter_bounds():
    assert services.period_bounds("quarter", 2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))
    assert services.period_bounds("quarter", 2026, 1) == (D(2026, 1, 1), D(2026, 3, 31))
    with pytest.raises(ValidationError):
        services.period_bounds("quarter", 2026, 5)


def test_open_builds_the_work_list_from_the_members_counted_on_the_reference_date(
    org_tree, people, system_admin, province_staff, draft_round
):
    # Given: one exempted, one who died before the reference date, one transferred in before it,
    # one entered after it.
    member_services.member_exempt(
        actor=system_admin, member=people.chi, effective_on=D(2026, 4, 1), reason="Ốm"
    )
    left = enter(system_admin, org_tree.cell_a, "Đỗ Văn Khoa")
    member_services.member_exit(
        actor=system_admin, member=left, kind="deceased", effective_on=D(2026, 5, 2), reason="Từ trần"
    )
    moved = enter(system_admin, org_tree.cell_b, "Ngô Thị Lan")
    transfer = member_services.transfer_issue(
        actor=system_admin, member=moved, kind="official", to_org=org_tree.cell_a, issued_on=D(2026, 6, 1)
    )
    member_services.transfer_accept(actor=system_admin, transfer=transfer, accepted_on=D(2026, 6, 10))
    late = enter(system_admin, org_tree.cell_a, "Mai Văn Minh", ceremony=D(2026, 11, 20))

    result = services.round_open(actor=province_staff, round=draft_round)

    ratings = {r.member_id: r for r in MemberRating.objects.filter(round=draft_round)}
    assert left.pk not in ratings and late.pk not in ratings
    assert ratings[moved.pk].organization == org_tree.cell_a
    assert (ratings[people.chi.pk].ranked, ratings[people.chi.pk].not_ranked_reason) == (
        False,
        "Được miễn công tác và sinh hoạt đảng",
    )
    assert (result.members, result.ranked_members) == (7, 6)
    subjects = set(
        OrganizationRating.objects.filter(round=draft_round).values_list("organization", "subject")
    )
    assert subjects == {
        (org_tree.commune_a.pk, Subject.ORGANIZATION),
        (org_tree.commune_a.pk, Subject.LEADERSHIP),
        (org_tree.cell_a.pk, Subject.ORGANIZATION),
        (org_tree.school.pk, Subject.ORGANIZATION),
        (org_tree.school.pk, Subject.LEADERSHIP),
        (org_tree.school_cell.pk, Subject.ORGANIZATION),
        (org_tree.commune_b.pk, Subject.ORGANIZATION),
        (org_tree.commune_b.pk, Subject.LEADERSHIP),
        (org_tree.cell_b.pk, Subject.ORGANIZATION),
    }
    draft_round.refresh_from_db()
    assert draft_round.state == RoundState.OPEN and draft_round.opened_on


def test_probationary_members_follow_the_rule_parameter(org_tree, system_admin, province_staff, draft_round):
    young = enter(system_admin, org_tree.cell_a, "Đinh Thị Ngọc", ceremony=D(2026, 2, 1))
    RuleParameter.objects.create(
        key="evaluation.probationary_ranked",
        value=False,
        effective_from=D(2026, 1, 1),
        legal_basis=LegalBasis.objects.get(code="43-HD/BTCTW"),
    )

    services.round_open(actor=province_staff, round=draft_round)

    r = rating_of(draft_round, young)
    assert (r.probationary, r.ranked) == (True, False)
    assert "dự bị" in r.not_ranked_reason


def test_open_needs_a_draft_and_the_right(draft_round, province_staff, commune_a_staff):
    with pytest.raises(PermissionDenied):
        services.round_open(actor=commune_a_staff, round=draft_round)
    services.round_open(actor=province_staff, round=draft_round)
    with pytest.raises(ValidationError):
        services.round_open(actor=province_staff, round=draft_round)


def test_a_member_disciplined_in_the_period_is_marked(
    org_tree, people, system_admin, province_staff, draft_round
):
    member_services.member_discipline(
        actor=system_admin, member=people.binh, form="reprimand", effective_on=D(2026, 3, 1), reason="Vi phạm"
    )
    services.round_open(actor=province_staff, round=draft_round)

    assert rating_of(draft_round, people.binh).disciplined
    assert not rating_of(draft_round, people.an).disciplined


# --- The member flow ---------------------------------------------------------------------------


def test_only_the_member_themself_submits_the_self_assessment(open_round, people, member, cell_secretary):
    own = rating_of(open_round, people.an)

    services.self_assess(
        actor=member, rating=own, score=85, level=Level.GOOD, strengths="Gương mẫu", remedies="Học thêm"
    )

    own.refresh_from_db()
    assert (own.self_score, own.self_level, own.strengths) == (85, Level.GOOD, "Gương mẫu")
    assert own.self_submitted_at is not None
    assert own.history.first().history_user == member
    with pytest.raises(PermissionDenied):
        services.self_assess(actor=cell_secretary, rating=own, score=85, level=Level.GOOD)
    with pytest.raises(PermissionDenied):  # the persona is An, not Bình
        services.self_assess(actor=member, rating=rating_of(open_round, people.binh), score=85, level="htt")


def test_the_self_assessment_follows_the_point_scale(open_round, people, member):
    own = rating_of(open_round, people.an)

    with pytest.raises(ValidationError) as exc:
        services.self_assess(actor=member, rating=own, score=89, level=Level.EXCELLENT)
    assert "89 điểm không đủ để xếp loại HTXS" in exc.value.message_dict["self_level"][0]
    with pytest.raises(ValidationError) as exc:
        services.self_assess(actor=member, rating=own, score=101, level=Level.GOOD)
    assert exc.value.message_dict["self_score"] == ["Điểm phải từ 0 đến 100."]
    services.self_assess(actor=member, rating=own, score=90, level=Level.EXCELLENT)


def test_a_parameter_change_between_two_years_gives_different_outcomes(
    org_tree, system_admin, province_staff, member
):
    # A cell that existed in 2024 (the fixture's communes were founded in 2025).
    old_cell = OrganizationFactory(
        parent=org_tree.province,
        name="Chi bộ Sở Tư pháp",
        code="T99-STP",
        kind=Kind.CELL,
        founded_on=D(2015, 1, 1),
    )
    m = enter(system_admin, old_cell, "Quách Văn Phúc")
    m.user = member
    m.save(update_fields=["user"])
    rounds = {}
    for year in (2024, 2026):
        rnd = services.round_create(
            actor=province_staff, organization=org_tree.province, year=year, reference_date=D(year, 11, 1)
        )
        services.round_open(actor=province_staff, round=rnd)
        rounds[year] = rnd

    # QĐ 124 (2024): levels by criteria, 40 points does not stop HTXS.
    services.self_assess(actor=member, rating=rating_of(rounds[2024], m), score=40, level=Level.EXCELLENT)
    # QĐ 366 (2026): 40 points is KHT.
    with pytest.raises(ValidationError) as exc:
        services.self_assess(actor=member, rating=rating_of(rounds[2026], m), score=40, level=Level.EXCELLENT)
    assert "366-QĐ/TW" in exc.value.message_dict["self_level"][0]


def test_the_cell_secretary_proposes_for_the_whole_cell_at_once(open_round, people, cell_secretary):
    changed = propose(open_round, cell_secretary, (people.an, Level.GOOD), (people.binh, Level.COMPLETED))

    assert len(changed) == 2
    an = rating_of(open_round, people.an)
    assert (an.proposed_level, an.proposed_by) == (Level.GOOD, cell_secretary)
    assert an.history.first().history_change_reason == "Chi ủy đề xuất xếp loại"


def test_proposals_are_all_or_nothing_with_errors_keyed_by_rating(open_round, people, cell_secretary):
    bad = rating_of(open_round, people.binh)

    with pytest.raises(ValidationError) as exc:
        services.propose_member_levels(
            actor=cell_secretary,
            round=open_round,
            proposals=[
                {"rating": rating_of(open_round, people.an).pk, "level": Level.GOOD, "score": 80},
                {"rating": bad.pk, "level": Level.GOOD, "score": 69},
            ],
        )

    assert list(exc.value.message_dict) == [f"rating-{bad.pk}"]
    assert "Trần Thị Bình: 69 điểm không đủ để xếp loại HTT" in exc.value.message_dict[f"rating-{bad.pk}"][0]
    assert rating_of(open_round, people.an).proposed_level == ""


def test_a_cell_secretary_cannot_propose_for_another_cell(open_round, people, cell_secretary):
    with pytest.raises(PermissionDenied):
        propose(open_round, cell_secretary, (people.hoa, Level.GOOD))


def test_the_vote_needs_a_proposal_and_sane_counts(open_round, people, cell_secretary):
    an, binh = rating_of(open_round, people.an), rating_of(open_round, people.binh)
    propose(open_round, cell_secretary, (people.an, Level.GOOD))

    with pytest.raises(ValidationError) as exc:
        services.record_votes(
            actor=cell_secretary,
            round=open_round,
            votes=[
                {"rating": an.pk, "votes_for": 9, "votes_total": 8},
                {"rating": binh.pk, "votes_for": 5, "votes_total": 8},
            ],
        )
    assert set(exc.value.message_dict) == {f"rating-{an.pk}", f"rating-{binh.pk}"}
    assert "chưa có đề xuất" in exc.value.message_dict[f"rating-{binh.pk}"][0]

    services.record_votes(
        actor=cell_secretary, round=open_round, votes=[{"rating": an.pk, "votes_for": 7, "votes_total": 8}]
    )
    an.refresh_from_db()
    assert (an.votes_for, an.votes_total, an.voted_by) == (7, 8, cell_secretary)


def test_the_cell_secretary_does_not_decide_the_commune_committee_does(
    open_round, people, cell_secretary, commune_a_staff, commune_a_leader
):
    with pytest.raises(PermissionDenied) as exc:
        decide(open_round, cell_secretary, (people.an, Level.GOOD))
    assert "Đảng bộ xã An Bình" in str(exc.value)

    decide(open_round, commune_a_leader, (people.an, Level.GOOD))
    decide(open_round, commune_a_staff, (people.binh, Level.COMPLETED))

    assert rating_of(open_round, people.an).level == Level.GOOD
    assert rating_of(open_round, people.binh).decided_by == commune_a_staff


def test_a_cell_under_a_base_committee_is_decided_by_the_base_committee(
    org_tree, open_round, people, school_secretary, school_leader, school_staff, commune_b_staff
):
    with pytest.raises(PermissionDenied) as exc:
        decide(open_round, school_secretary, (people.dung, Level.GOOD))
    assert "Đảng bộ Trường THPT An Bình" in str(exc.value)
    with pytest.raises(PermissionDenied):
        decide(open_round, commune_b_staff, (people.dung, Level.GOOD))

    decide(open_round, school_leader, (people.dung, Level.GOOD))
    decide(open_round, school_staff, (people.giang, Level.COMPLETED))

    assert rating_of(open_round, people.dung).decided_by == school_leader
    assert services.competent_organization(org_tree.school_cell) == org_tree.school


def test_nothing_can_be_written_outside_an_open_round(draft_round, people, cell_secretary):
    with pytest.raises(ValidationError) as exc:
        services.propose_member_levels(actor=cell_secretary, round=draft_round, proposals=[])
    assert exc.value.message_dict["round"] == [services.NOT_OPEN]


# --- Collectives -------------------------------------------------------------------------------


def test_a_collective_is_proposed_by_itself_and_decided_by_the_level_above(
    org_tree, open_round, cell_secretary, commune_a_staff
):
    rating = org_rating(open_round, org_tree.cell_a)

    with pytest.raises(ValidationError) as exc:
        services.propose_organization_level(
            actor=cell_secretary, rating=rating, level=Level.EXCELLENT, score=95, exceeded_share=20
        )
    assert "ít nhất 30%" in exc.value.message_dict["level"][0]
    services.propose_organization_level(
        actor=cell_secretary, rating=rating, level=Level.EXCELLENT, score=95, exceeded_share=35
    )
    with pytest.raises(PermissionDenied):
        services.decide_organization_level(actor=cell_secretary, rating=rating, level=Level.EXCELLENT)
    services.decide_organization_level(
        actor=commune_a_staff, rating=rating, level=Level.GOOD, decision_ref="5-QĐ/ĐU"
    )

    rating.refresh_from_db()
    assert (rating.proposed_level, rating.decided_level, rating.decision_ref) == ("htxs", "htt", "5-QĐ/ĐU")


def test_a_collective_with_a_disciplined_leader_cannot_be_excellent(org_tree, open_round, commune_a_staff):
    rating = org_rating(open_round, org_tree.cell_a)
    services.propose_organization_level(
        actor=commune_a_staff,
        rating=rating,
        level=Level.EXCELLENT,
        score=95,
        exceeded_share=40,
        leadership_disciplined=True,
    )

    found = services.round_violations(open_round)

    assert [v.code for v in found] == ["collective_discipline"]
    assert found[0].message.startswith(
        "Chi bộ thôn Đông: Không được xếp loại HTXS vì có cấp ủy viên bị kỷ luật"
    )
    assert found[0].organization_rating_id == rating.pk
    services.decide_organization_level(actor=commune_a_staff, rating=rating, level=Level.GOOD)
    assert codes(open_round) == []


def test_the_collective_block_is_not_applied_to_a_round_before_qd_366(org_tree, province_staff):
    old_cell = OrganizationFactory(
        parent=org_tree.province,
        name="Chi bộ Sở Tư pháp",
        code="T99-STP",
        kind=Kind.CELL,
        founded_on=D(2015, 1, 1),
    )
    rnd = services.round_create(
        actor=province_staff, organization=org_tree.province, year=2024, reference_date=D(2024, 11, 1)
    )
    services.round_open(actor=province_staff, round=rnd)
    services.propose_organization_level(
        actor=province_staff,
        rating=org_rating(rnd, old_cell),
        level=Level.EXCELLENT,
        leadership_disciplined=True,
    )

    assert codes(rnd) == []


# --- Violations, the cap, closing and reopening ------------------------------------------------


def test_a_disciplined_member_is_a_soft_violation_that_closing_must_override(
    org_tree, people, system_admin, province_staff, draft_round, cell_secretary, commune_a_staff
):
    member_services.member_discipline(
        actor=system_admin, member=people.binh, form="reprimand", effective_on=D(2026, 3, 1), reason="Vi phạm"
    )
    services.round_open(actor=province_staff, round=draft_round)
    propose(draft_round, cell_secretary, (people.binh, Level.GOOD))  # accepted: the rule is soft

    found = services.round_violations(draft_round)
    assert [v.code for v in found] == ["disciplined"]
    assert found[0].message.startswith(
        "Trần Thị Bình: Đảng viên bị kỷ luật trong kỳ đánh giá phải xếp loại KHT "
        "(theo Điều 11 Quy định 366-QĐ/TW)"
    )
    assert services.round_violations(draft_round, under=org_tree.commune_b) == []

    with pytest.raises(ValidationError) as exc:
        services.round_close(actor=province_staff, round=draft_round)
    message = exc.value.message_dict["override_reason"][0]
    assert "1 vi phạm quy định" in message and "Trần Thị Bình" in message and "hãy ghi rõ lý do" in message

    services.round_close(actor=province_staff, round=draft_round, override_reason="Ban Thường vụ cho phép")
    draft_round.refresh_from_db()
    assert (draft_round.state, draft_round.override_reason) == (RoundState.CLOSED, "Ban Thường vụ cho phép")
    assert draft_round.history.first().history_change_reason == "Ban Thường vụ cho phép"


def test_the_disciplined_violation_goes_when_the_member_is_ranked_not_completed(
    people, system_admin, province_staff, draft_round, commune_a_staff
):
    member_services.member_discipline(
        actor=system_admin, member=people.binh, form="reprimand", effective_on=D(2026, 3, 1), reason="Vi phạm"
    )
    services.round_open(actor=province_staff, round=draft_round)
    decide(draft_round, commune_a_staff, (people.binh, Level.GOOD))
    assert codes(draft_round) == ["disciplined"]

    decide(draft_round, commune_a_staff, (people.binh, Level.NOT_COMPLETED))
    assert codes(draft_round) == []


def _cell_of_seven(org_tree, people, system_admin):
    """cell_a with 7 ranked members (An, Bình, Chi and four more)."""
    return [people.an, people.binh, people.chi] + [
        enter(system_admin, org_tree.cell_a, f"Đảng viên Thêm {i}") for i in range(4)
    ]


def test_the_cap_one_excellent_with_five_good_passes_and_two_with_four_fails(
    org_tree, people, system_admin, province_staff, draft_round, commune_a_staff
):
    members = _cell_of_seven(org_tree, people, system_admin)
    services.round_open(actor=province_staff, round=draft_round)

    decide(
        draft_round, commune_a_staff, (members[0], Level.EXCELLENT), *[(m, Level.GOOD) for m in members[1:6]]
    )
    assert codes(draft_round) == []

    decide(draft_round, commune_a_staff, (members[1], Level.EXCELLENT))  # 2 HTXS, 4 HTT
    found = services.round_violations(draft_round)
    assert [v.code for v in found] == ["cap"]
    assert found[0].organization_id == org_tree.commune_a.pk  # the cap is per deciding committee
    assert found[0].message == (
        "Đảng bộ xã An Bình: Có 2 đảng viên HTXS, vượt mức tối đa 0 (20% của 4 đảng viên HTT) "
        "theo Hướng dẫn 43-HD/BTCTW."
    )


def test_the_cap_counts_proposals_while_nothing_is_decided(
    org_tree, people, system_admin, province_staff, draft_round, cell_secretary
):
    members = _cell_of_seven(org_tree, people, system_admin)
    services.round_open(actor=province_staff, round=draft_round)

    propose(draft_round, cell_secretary, *[(m, Level.GOOD) for m in members[:5]])
    propose(draft_round, cell_secretary, (members[5], Level.EXCELLENT), (members[6], Level.EXCELLENT))

    assert codes(draft_round) == ["cap"]  # 2 HTXS with 5 HTT: at most 1


def test_the_cap_switched_off_for_the_year_by_a_parameter_row(
    org_tree, people, system_admin, province_staff, draft_round, cell_secretary
):
    members = _cell_of_seven(org_tree, people, system_admin)
    services.round_open(actor=province_staff, round=draft_round)
    propose(draft_round, cell_secretary, *[(m, Level.EXCELLENT) for m in members])
    assert codes(draft_round) == ["cap"]

    switch_cap_off_for(2026)

    assert codes(draft_round) == []


def test_the_cap_is_per_base_organization(
    org_tree, people, province_staff, open_round, cell_secretary, school_leader, commune_a_staff
):
    # One HTXS in the school with one HTT there: 20% of 1 is 0, a violation of the school only.
    decide(open_round, school_leader, (people.dung, Level.EXCELLENT), (people.giang, Level.GOOD))
    decide(open_round, commune_a_staff, (people.an, Level.GOOD), (people.binh, Level.GOOD))

    found = services.round_violations(open_round)
    assert [(v.code, v.organization_id) for v in found] == [("cap", org_tree.school.pk)]


def test_closing_with_undecided_ratings_needs_a_reason(open_round, province_staff):
    with pytest.raises(ValidationError) as exc:
        services.round_close(actor=province_staff, round=open_round)
    assert "chưa có quyết định xếp loại" in exc.value.message_dict["override_reason"][0]


def test_closing_without_problems_needs_no_reason(
    org_tree,
    people,
    system_admin,
    province_staff,
    draft_round,
    commune_a_staff,
    school_leader,
    commune_b_staff,
):
    member_services.member_exempt(
        actor=system_admin, member=people.chi, effective_on=D(2026, 4, 1), reason="Ốm"
    )
    services.round_open(actor=province_staff, round=draft_round)
    decide(draft_round, commune_a_staff, (people.an, Level.GOOD), (people.binh, Level.GOOD))
    decide(draft_round, school_leader, (people.dung, Level.GOOD), (people.giang, Level.COMPLETED))
    decide(draft_round, commune_b_staff, (people.hoa, Level.GOOD))
    for rating in OrganizationRating.objects.filter(round=draft_round):
        services.decide_organization_level(actor=province_staff, rating=rating, level=Level.GOOD)

    services.round_close(actor=province_staff, round=draft_round)

    draft_round.refresh_from_db()
    assert (draft_round.state, draft_round.override_reason) == (RoundState.CLOSED, "")
    with pytest.raises(ValidationError):  # closed: no more decisions
        decide(draft_round, commune_a_staff, (people.an, Level.COMPLETED))


def test_reopening_needs_a_reason_and_is_in_the_history(open_round, province_staff, commune_a_staff):
    services.round_close(actor=province_staff, round=open_round, override_reason="Hết hạn")

    with pytest.raises(ValidationError) as exc:
        services.round_reopen(actor=province_staff, round=open_round, reason="  ")
    assert exc.value.message_dict["reason"] == ["Mở lại đợt đánh giá phải ghi lý do."]
    with pytest.raises(PermissionDenied):
        services.round_reopen(actor=commune_a_staff, round=open_round, reason="Sửa")

    services.round_reopen(actor=province_staff, round=open_round, reason="Sửa kết quả xã An Bình")

    open_round.refresh_from_db()
    assert (open_round.state, open_round.closed_on) == (RoundState.OPEN, None)
    reasons = [h.history_change_reason for h in open_round.history.all()]
    assert reasons[:2] == ["Mở lại: Sửa kết quả xã An Bình", "Hết hạn"]
    assert open_round.history.first().history_user == province_staff


# --- Reads ---------------------------------------------------------------------------------------


def test_rounds_are_seen_from_the_subtree_and_from_below(
    open_round, province_staff, commune_b_staff, member, outsider
):
    assert list(selectors.round_list(user=province_staff)) == [open_round]
    assert list(selectors.round_list(user=commune_b_staff)) == [open_round]  # works in the province's round
    assert list(selectors.round_list(user=member)) == [open_round]
    assert not selectors.round_list(user=outsider).exists()


def test_a_commune_round_is_not_seen_by_the_other_commune(org_tree, people, commune_a_staff, commune_b_staff):
    rnd = services.round_create(actor=commune_a_staff, organization=org_tree.commune_a, year=2026)

    assert list(selectors.round_list(user=commune_a_staff)) == [rnd]
    assert not selectors.round_list(user=commune_b_staff).exists()
    assert not EvaluationRound.objects.visible_to(commune_b_staff).filter(pk=rnd.pk).exists()


def test_progress_counts_x_of_y_per_child_and_the_distribution(
    org_tree, people, system_admin, province_staff, draft_round, member, commune_a_staff
):
    member_services.member_exempt(
        actor=system_admin, member=people.chi, effective_on=D(2026, 4, 1), reason="Ốm"
    )
    services.round_open(actor=province_staff, round=draft_round)
    services.self_assess(
        actor=member, rating=rating_of(draft_round, people.an), score=92, level=Level.EXCELLENT
    )
    decide(draft_round, commune_a_staff, (people.an, Level.GOOD), (people.binh, Level.COMPLETED))

    p = selectors.progress(round=draft_round, organization=org_tree.commune_a)

    rows = {org.code: row for org, row in p.children}
    assert (rows["T99-AB-D"]["decided"], rows["T99-AB-D"]["rankable"], rows["T99-AB-D"]["total"]) == (2, 2, 3)
    assert (rows["T99-AB-THPT"]["decided"], rows["T99-AB-THPT"]["rankable"]) == (0, 2)
    assert (p.total["decided"], p.total["rankable"], p.total["self_assessed"]) == (2, 4, 1)
    shares = {d["level"]: d["share"] for d in p.distribution(p.total)}
    assert shares == {"htxs": 0.0, "htt": 0.5, "ht": 0.5, "kht": 0.0}
    assert p.organizations["total"] == 4  # commune A, cell A, the school, its cell

    pending = {
        r.member_id: selectors.missing_reason(r)
        for r in selectors.pending_ratings(round=draft_round, organization=org_tree.cell_a)
    }
    assert pending == {people.chi.pk: "Được miễn công tác và sinh hoạt đảng"}


def test_a_base_cell_decides_for_its_own_members_through_its_secretary(
    org_tree, system_admin, province_staff, cell_secretary
):
    base_cell = OrganizationFactory(
        parent=org_tree.commune_a, name="Chi bộ Công ty Xanh", code="T99-AB-CTX", kind=Kind.BASE_CELL
    )
    worker = enter(system_admin, base_cell, "Tạ Văn Quang")
    secretary = persona("base_cell_secretary", Role.CELL_SECRETARY, base_cell)
    rnd = services.round_create(
        actor=province_staff, organization=org_tree.province, year=2026, reference_date=D(2026, 11, 1)
    )
    services.round_open(actor=province_staff, round=rnd)

    assert services.competent_organization(base_cell) == base_cell
    decide(rnd, secretary, (worker, Level.GOOD))
    with pytest.raises(PermissionDenied):  # a cell under the commune is still the commune's to decide
        decide(rnd, cell_secretary, (worker, Level.GOOD))

    assert rating_of(rnd, worker).decided_by == secretary


def test_an_exempted_member_has_nothing_to_self_assess(
    people, system_admin, province_staff, draft_round, member, commune_a_staff
):
    member_services.member_exempt(
        actor=system_admin, member=people.an, effective_on=D(2026, 4, 1), reason="Ốm"
    )
    services.round_open(actor=province_staff, round=draft_round)

    with pytest.raises(ValidationError) as exc:
        services.self_assess(actor=member, rating=rating_of(draft_round, people.an), score=80, level="htt")
    assert exc.value.message_dict["rating"] == [
        "Không thuộc diện xếp loại: Được miễn công tác và sinh hoạt đảng."
    ]
    with pytest.raises(ValidationError):
        decide(draft_round, commune_a_staff, (people.an, Level.GOOD))


def test_a_commune_user_sees_only_their_part_of_the_province_round(open_round, people, commune_b_staff):
    visible = MemberRating.objects.visible_to(commune_b_staff).filter(round=open_round)

    assert [r.member for r in visible] == [people.hoa]
    assert not MemberRating.objects.visible_to(commune_b_staff).filter(member=people.an).exists()
