"""Admissions against targets rolled up across levels, as of a past date, by segment; the
pipeline, overdue candidates and the follow-up of probationary members."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangvu.admissions import selectors, services
from dangvu.admissions.choices import Segment, Stage
from dangvu.admissions.models import AdmissionTarget, Candidate
from dangvu.core.workdays import add_working_days
from dangvu.members import services as member_services
from dangvu.organizations import services as org_services
from dangvu.reports import statistics

from .conftest import enter, listed, walk

D = datetime.date
pytestmark = pytest.mark.usefixtures("today")


def admit(actor, organization, name: str, decided_on: datetime.date, *, gender="male", ethnicity="01"):
    """A member admitted straight through the registry (decision `decided_on`, ceremony a week later)."""
    return member_services.member_admit(
        actor=actor,
        organization=organization,
        data={
            "full_name": name,
            "gender": gender,
            "ethnicity": ethnicity,
            "birth_date": D(1998, 4, 2),
            "admission_decision_date": decided_on,
            "ceremony_date": decided_on + datetime.timedelta(days=7),
        },
    )


@pytest.fixture
def campaign(org_tree, system_admin, province_staff):
    """Targets 2026: province 10 (3 women), commune A 6, commune B 4 (a border ward).
    Admitted: cell A 10/03 (a woman) and 15/06 (Tày); school cell 01/09; cell B 01/02 (a woman);
    and one in cell A in 2025."""
    org_tree.commune_b.border_area = True
    org_tree.commune_b.save(update_fields=["border_area"])
    for org, target in ((org_tree.province, 10), (org_tree.commune_a, 6), (org_tree.commune_b, 4)):
        services.target_set(actor=province_staff, organization=org, year_from=2026, target=target)
    services.target_set(
        actor=province_staff, organization=org_tree.province, year_from=2026, segment=Segment.FEMALE, target=3
    )
    admit(system_admin, org_tree.cell_a, "Lê Thị Một", D(2026, 3, 10), gender="female")
    admit(system_admin, org_tree.cell_a, "Hoàng Văn Hai", D(2026, 6, 15), ethnicity="02")
    admit(system_admin, org_tree.school_cell, "Phạm Văn Ba", D(2026, 9, 1))
    admit(system_admin, org_tree.cell_b, "Vũ Thị Bốn", D(2026, 2, 1), gender="female")
    admit(system_admin, org_tree.cell_a, "Đỗ Văn Cũ", D(2025, 11, 20))
    return org_tree


def by_id(progress: selectors.TargetProgress) -> dict[int, selectors.TargetRow]:
    return {row.id: row for row in progress.children}


def test_province_rolls_up_its_communes(campaign):
    tree = campaign
    p = selectors.target_progress(tree.province, year_from=2026)
    assert (p.target, p.admitted, p.ratio_text) == (10, 4, "4/10 (40,00%)")
    assert p.as_of == D(2026, 11, 23)
    assert p.children_target == 10
    rows = by_id(p)
    assert list(rows) == [tree.commune_a.pk, tree.commune_b.pk]
    a, b = rows[tree.commune_a.pk], rows[tree.commune_b.pk]
    assert (a.target, a.admitted, a.ratio_text, a.drillable) == (6, 3, "3/6 (50,00%)", True)
    assert (b.target, b.admitted, b.ratio_text, b.drillable) == (4, 1, "1/4 (25,00%)", True)
    assert a.kind_label == "Đảng bộ xã, phường, đặc khu" and a.code == "T99-AB"


def test_commune_drills_down_to_its_cells(campaign):
    tree = campaign
    p = selectors.target_progress(tree.commune_a, year_from=2026)
    assert (p.target, p.admitted, p.ratio_text) == (6, 3, "3/6 (50,00%)")
    assert p.children_target == 0
    rows = by_id(p)
    cell, school = rows[tree.cell_a.pk], rows[tree.school.pk]
    assert (cell.target, cell.admitted, cell.ratio_text, cell.drillable) == (
        None,
        2,
        "2 (chưa giao chỉ tiêu)",
        False,
    )
    assert (school.admitted, school.drillable) == (1, True)
    deeper = selectors.target_progress(tree.school, year_from=2026)
    assert deeper.admitted == 1 and by_id(deeper)[tree.school_cell.pk].admitted == 1


def test_segments_with_their_targets(campaign):
    p = selectors.target_progress(campaign.province, year_from=2026)
    segments = {s.segment: s for s in p.segments}
    assert Segment.TOTAL not in segments
    assert list(segments) == [s.value for s in Segment if s != Segment.TOTAL]
    female = segments[Segment.FEMALE]
    assert (female.label, female.target, female.admitted, female.ratio_text) == ("Nữ", 3, 2, "2/3 (66,67%)")
    assert segments[Segment.ETHNIC_MINORITY].admitted == 1
    assert segments[Segment.BORDER].admitted == 1  # cell B lies in the border ward
    assert segments[Segment.BORDER].target is None
    assert segments[Segment.YOUTH].admitted == 4  # born 1998


def test_border_counts_under_a_border_organization_only(campaign):
    a = selectors.target_progress(campaign.commune_a, year_from=2026)
    b = selectors.target_progress(campaign.cell_b, year_from=2026)
    assert {s.segment: s.admitted for s in a.segments}[Segment.BORDER] == 0
    assert {s.segment: s.admitted for s in b.segments}[Segment.BORDER] == 1


def test_as_of_a_past_date(campaign):
    tree = campaign
    p = selectors.target_progress(tree.province, year_from=2026, as_of=D(2026, 6, 14))
    assert p.as_of == D(2026, 6, 14)
    assert (p.admitted, p.ratio_text) == (2, "2/10 (20,00%)")
    assert by_id(p)[tree.commune_a.pk].admitted == 1
    on_the_day = selectors.target_progress(tree.province, year_from=2026, as_of=D(2026, 6, 15))
    assert on_the_day.admitted == 3
    assert {s.segment: s.admitted for s in p.segments}[Segment.ETHNIC_MINORITY] == 0
    # A future date counts up to today.
    assert selectors.target_progress(tree.province, year_from=2026, as_of=D(2027, 3, 1)).as_of == D(
        2026, 11, 23
    )


@pytest.mark.parametrize(
    ("org", "start", "end"),
    [
        ("province", D(2026, 1, 1), D(2026, 12, 31)),
        ("province", D(2026, 1, 1), D(2026, 6, 14)),
        ("commune_a", D(2026, 1, 1), D(2026, 12, 31)),
        ("commune_b", D(2026, 1, 1), D(2026, 3, 1)),
        ("province", D(2025, 1, 1), D(2030, 12, 31)),
    ],
)
def test_admitted_equals_the_statistics(campaign, org, start, end):
    organization = getattr(campaign, org)
    p = selectors.target_progress(organization, year_from=start.year, year_to=end.year, as_of=end)
    assert p.admitted == statistics.period(organization, start, end)["admissions"]["total"]


def test_a_term_target(campaign, province_staff):
    services.target_set(
        actor=province_staff, organization=campaign.province, year_from=2025, year_to=2030, target=629
    )
    p = selectors.target_progress(campaign.province, year_from=2025, year_to=2030)
    assert (p.admitted, p.ratio_text, p.period_label) == (5, "5/629 (0,79%)", "nhiệm kỳ 2025–2030")
    # The 2026 targets are not the term's.
    assert p.children_target == 0


def test_a_withdrawn_target_is_no_target(campaign, province_staff):
    services.target_set(actor=province_staff, organization=campaign.commune_b, year_from=2026, target=0)
    p = selectors.target_progress(campaign.province, year_from=2026)
    assert by_id(p)[campaign.commune_b.pk].target is None
    assert p.children_target == 6
    assert AdmissionTarget.objects.filter(organization=campaign.commune_b).exists()


def test_one_more_admission_in_a_cell_shows_at_the_commune_and_the_province(
    campaign, commune_a_staff, sponsors
):
    before_a = selectors.target_progress(campaign.commune_a, year_from=2026).admitted
    before_p = selectors.target_progress(campaign.province, year_from=2026).admitted
    candidate = listed(commune_a_staff, campaign.cell_a, "Ngô Văn Mới")
    walk(candidate, commune_a_staff, Stage.ADMITTED)
    after = selectors.target_progress(campaign.province, year_from=2026)
    assert selectors.target_progress(campaign.commune_a, year_from=2026).admitted == before_a + 1
    assert after.admitted == before_p + 1
    assert by_id(after)[campaign.commune_a.pk].ratio_text == "4/6 (66,67%)"


def test_no_admission_no_target(org_tree):
    p = selectors.target_progress(org_tree.commune_b, year_from=2026)
    assert (p.target, p.admitted, p.ratio_text) == (None, 0, "0 (chưa giao chỉ tiêu)")


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2026", (2026, 2026)),
        ("2025-2030", (2025, 2030)),
        ("2025–2030", (2025, 2030)),
        (" 2025 - 2030 ", (2025, 2030)),
    ],
)
def test_parse_period(text, years):
    assert selectors.parse_period(text) == years


@pytest.mark.parametrize("text", ["", "abc", "2030-2025", "2020-2040", "26"])
def test_parse_period_refuses_nonsense(text):
    with pytest.raises(ValidationError) as exc:
        selectors.parse_period(text)
    assert "period" in exc.value.message_dict
    with pytest.raises(ValueError, match="Kỳ không hợp lệ"):
        selectors.parse_period(text)


# ---------------------------------------------------------------------------------------------
# Scope


def test_targets_and_candidates_follow_the_scope(
    campaign, commune_b_staff, commune_a_staff, outsider, sponsors
):
    listed(commune_a_staff, campaign.cell_a, "Ngô Văn Ẩn")
    assert not Candidate.objects.visible_to(commune_b_staff).exists()
    assert Candidate.objects.visible_to(commune_a_staff).count() == 1
    assert not Candidate.objects.visible_to(outsider).exists()
    assert set(
        AdmissionTarget.objects.visible_to(commune_b_staff).values_list("organization", flat=True)
    ) == {campaign.commune_b.pk}
    assert not AdmissionTarget.objects.visible_to(outsider).exists()


# ---------------------------------------------------------------------------------------------
# Pipeline and deadlines


def test_pipeline_counts(org_tree, commune_a_staff, commune_b_staff, sponsors):
    a = listed(commune_a_staff, org_tree.cell_a, "Ngô Văn Một")
    b = listed(commune_a_staff, org_tree.cell_a, "Ngô Văn Hai")
    c = listed(commune_a_staff, org_tree.school_cell, "Ngô Văn Ba")
    listed(commune_a_staff, org_tree.cell_a, "Ngô Văn Bốn")
    other = listed(commune_b_staff, org_tree.cell_b, "Ngô Văn Khác")
    walk(a, commune_a_staff, Stage.VERIFIED)
    walk(b, commune_a_staff, Stage.ADMITTED)
    walk(c, commune_a_staff, Stage.BASE_RESOLVED)
    walk(other, commune_b_staff, Stage.CLASS)
    services.candidate_withdraw(
        actor=commune_b_staff, candidate=other, withdrawn_on=D(2026, 3, 1), reason="Đi xa"
    )
    counts = {stage: n for stage, _label, n in selectors.pipeline_counts(org_tree.commune_a)}
    assert counts == {
        Stage.LISTED: 1,
        Stage.CLASS: 0,
        Stage.SPONSORED: 0,
        Stage.VERIFIED: 1,
        Stage.CELL_VOTED: 0,
        Stage.BASE_RESOLVED: 1,
        Stage.DECIDED: 0,
        Stage.ADMITTED: 1,
        Stage.WITHDRAWN: 0,
    }
    labels = [label for _s, label, _n in selectors.pipeline_counts(org_tree.province)]
    assert labels[0] == "Quần chúng ưu tú"
    province = {stage: n for stage, _label, n in selectors.pipeline_counts(org_tree.province)}
    assert province[Stage.WITHDRAWN] == 1 and sum(province.values()) == 5
    # Python's own idea of the stage agrees with the SQL one.
    for cand in Candidate.objects.all():
        assert cand.stage in province and province[cand.stage] >= 1


def test_decision_overdue_a_day_either_side(candidate, commune_a_staff):
    walk(candidate, commune_a_staff, Stage.CELL_VOTED)  # voted 05/05/2026
    due = add_working_days(D(2026, 5, 5), 60)
    assert selectors.candidates_overdue(candidate.organization, on=due) == []
    late = selectors.candidates_overdue(candidate.organization, on=due + datetime.timedelta(days=1))
    assert [(c.pk, what, d) for c, what, d in late] == [(candidate.pk, "Quyết định kết nạp", due)]
    # Decided: no longer waiting for a decision, from the day of the decision.
    walk(candidate, commune_a_staff, Stage.DECIDED)  # decided 15/06, received 18/06
    assert selectors.candidates_overdue(candidate.organization, on=D(2026, 6, 16)) == []


def test_ceremony_overdue_a_day_either_side(candidate, commune_a_staff, org_tree):
    walk(candidate, commune_a_staff, Stage.DECIDED)  # received 18/06/2026: ceremony by 30/07/2026
    assert selectors.candidates_overdue(org_tree.province, on=D(2026, 7, 30)) == []
    late = selectors.candidates_overdue(org_tree.province, on=D(2026, 7, 31))
    assert [(c.pk, what, d) for c, what, d in late] == [(candidate.pk, "Lễ kết nạp", D(2026, 7, 30))]
    assert selectors.candidates_overdue(org_tree.commune_b, on=D(2026, 7, 31)) == []
    # As of a date before the decision the candidate was waiting for it, not for the ceremony.
    assert selectors.candidates_overdue(org_tree.province, on=D(2026, 6, 1)) == []
    walk(candidate, commune_a_staff, Stage.ADMITTED)
    assert selectors.candidates_overdue(org_tree.province, on=D(2026, 7, 31)) == []


# ---------------------------------------------------------------------------------------------
# Probation


@pytest.fixture
def probationer(org_tree, system_admin):
    """Ceremony 01/12/2025: official from 01/12/2026; the cell considers it by 30 working days later."""
    return member_services.member_admit(
        actor=system_admin,
        organization=org_tree.cell_a,
        data={
            "full_name": "Trịnh Thị Dự Bị",
            "gender": "female",
            "birth_date": D(1999, 1, 1),
            "admission_decision_date": D(2025, 11, 20),
            "ceremony_date": D(2025, 12, 1),
        },
    )


def test_probation_followup_states_at_their_limits(probationer, org_tree):
    due = add_working_days(D(2026, 12, 1), 30)

    def state(on):
        rows = selectors.probation_followup(org_tree.commune_a, on=on)
        assert all(r.member == probationer for r in rows)
        if rows:
            assert (rows[0].official_on, rows[0].recognition_due) == (D(2026, 12, 1), due)
        return rows[0].state if rows else None

    assert state(D(2026, 10, 1)) is None  # 61 days before
    assert state(D(2026, 10, 2)) == "upcoming"  # 60 days before
    assert state(D(2026, 11, 30)) == "upcoming"
    assert state(D(2026, 12, 1)) == "due"
    assert state(due) == "due"
    assert state(due + datetime.timedelta(days=1)) == "overdue"
    row = selectors.probation_followup(org_tree.commune_a, on=due + datetime.timedelta(days=1))[0]
    assert row.state_label == "Quá hạn xét công nhận chính thức"
    assert selectors.probation_followup(org_tree.commune_b, on=D(2026, 12, 1)) == []
    assert (
        selectors.probation_followup(org_tree.commune_a, on=D(2026, 9, 1), within_days=120)[0].state
        == "upcoming"
    )


def test_official_members_are_not_followed(probationer, org_tree, system_admin):
    enter(system_admin, org_tree.cell_a, "Nguyễn Văn Lâu Năm")
    rows = selectors.probation_followup(org_tree.province, on=D(2026, 12, 1))
    assert [r.member.full_name for r in rows] == ["Trịnh Thị Dự Bị"]


def _both_paths_agree(tree, year_from: int, year_to: int) -> None:
    for org in (tree.province, tree.commune_a, tree.commune_b, tree.cell_a, tree.school):
        org.refresh_from_db()
        start, end = selectors.period_bounds(year_from, year_to)
        fast = selectors._progress_today(org, year_from, year_to, start, end)
        history = selectors._progress_history(org, year_from, year_to, start, end)
        assert fast == history, org.name
        assert selectors.target_progress(org, year_from=year_from, year_to=year_to) == fast


@pytest.mark.parametrize("years", [(2026, 2026), (2025, 2030), (2025, 2026)])
def test_todays_counters_give_the_history_figures(campaign, years):
    """Today's progress reads the `ad:<year>` counters and one aggregate; any other date rebuilds
    the tree from the history. On today's date both say the same, segments and children included."""
    _both_paths_agree(campaign, *years)


def test_todays_counters_follow_a_cell_moved_today(campaign, system_admin):
    org_services.organization_move(
        actor=system_admin, org=campaign.cell_b, new_parent=campaign.commune_a, reason="Sắp xếp lại"
    )
    _both_paths_agree(campaign, 2026, 2026)
    commune_a = selectors.target_progress(campaign.commune_a, year_from=2026)
    assert commune_a.admitted == 4  # cell A 2, the school's cell 1, cell B 1 (moved in with its admission)
