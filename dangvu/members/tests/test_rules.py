"""Rules of the member registry at their boundaries: a day before and after each limit."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangvu.members import rules, services
from dangvu.members.choices import Status
from dangvu.members.models import MemberEvent

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def data(**fields):
    return {
        "full_name": "Lê Thị Hoa",
        "gender": "female",
        "birth_date": D(2000, 6, 15),
        "admission_decision_date": D(2026, 3, 2),
        "ceremony_date": D(2026, 3, 20),
        **fields,
    }


def error_of(exc: pytest.ExceptionInfo, field: str) -> str:
    return " ".join(exc.value.message_dict[field])


# --- Pure month arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (D(2000, 6, 15), D(2018, 6, 15), 216),
        (D(2000, 6, 15), D(2018, 6, 14), 215),
        (D(2000, 1, 31), D(2000, 2, 29), 1),  # clamped to the month's end
        (D(2004, 2, 29), D(2022, 2, 28), 216),
        (D(2004, 2, 29), D(2022, 2, 27), 215),
    ],
)
def test_age_in_months_counts_completed_months(birth, on, months):
    assert rules.age_in_months(birth, on) == months


# --- Admission age: 18 to 60 years, in months, at the cell's decision ---------------------------


def test_admission_at_exactly_18_years_is_accepted(commune_a_staff, org_tree):
    m = services.member_admit(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=data(admission_decision_date=D(2018, 6, 15), ceremony_date=D(2018, 6, 25)),
    )

    assert m.status == Status.PROBATIONARY


def test_admission_one_day_short_of_18_is_refused_naming_the_regulation(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        services.member_admit(
            actor=commune_a_staff,
            organization=org_tree.cell_a,
            data=data(admission_decision_date=D(2018, 6, 14), ceremony_date=D(2018, 6, 25)),
        )

    message = error_of(exc, "birth_date")
    assert "Chưa đủ 18 tuổi" in message
    assert "Mục 1.1" in message and "QĐ/TW" in message


def test_admission_at_exactly_60_years_is_accepted_and_a_day_later_refused(commune_a_staff, org_tree):
    birth = D(1966, 3, 2)
    ok = services.member_admit(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=data(birth_date=birth, full_name="Ông Sáu Mươi"),
    )
    assert ok.pk

    with pytest.raises(ValidationError) as exc:
        services.member_admit(
            actor=commune_a_staff,
            organization=org_tree.cell_a,
            data=data(birth_date=birth - DAY, full_name="Ông Quá Tuổi"),
        )
    assert "Quá 60 tuổi" in error_of(exc, "birth_date")
    assert "Mục 1.1" in error_of(exc, "birth_date")


def test_admission_rule_is_read_from_the_2021_regulation_before_july_2025(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        services.member_admit(
            actor=commune_a_staff,
            organization=org_tree.cell_a,
            data=data(
                birth_date=D(2006, 1, 11),
                admission_decision_date=D(2024, 1, 10),
                ceremony_date=D(2024, 1, 20),
            ),
        )
    assert "24-QĐ/TW" in error_of(exc, "birth_date")


# --- Official date: ceremony + 12 months, computed ----------------------------------------------


@pytest.mark.parametrize(
    ("ceremony", "official"),
    [
        (D(2025, 9, 2), D(2026, 9, 2)),
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2023, 2, 28), D(2024, 2, 28)),
        (D(2025, 12, 31), D(2026, 12, 31)),
    ],
)
def test_official_date_is_ceremony_plus_12_months(ceremony, official):
    assert rules.expected_official_on(ceremony) == official


def test_recognition_takes_effect_at_ceremony_plus_12_months_not_at_the_decision(commune_a_staff, org_tree):
    m = services.member_admit(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=data(admission_decision_date=D(2024, 2, 20), ceremony_date=D(2024, 2, 29)),
    )

    services.member_recognize_official(actor=commune_a_staff, member=m, decision_date=D(2025, 4, 10))

    m.refresh_from_db()
    assert m.status == Status.OFFICIAL
    assert m.official_on == D(2025, 2, 28)
    assert m.events.get(kind=MemberEvent.Kind.RECOGNIZED_OFFICIAL).effective_on == D(2025, 2, 28)


def test_recognition_before_the_probation_ends_is_refused(commune_a_staff, org_tree):
    m = services.member_admit(actor=commune_a_staff, organization=org_tree.cell_a, data=data())

    with pytest.raises(ValidationError) as exc:
        services.member_recognize_official(actor=commune_a_staff, member=m, decision_date=D(2027, 3, 19))
    assert "20/03/2027" in error_of(exc, "decision_date")
    assert "Điều 5 Điều lệ" in error_of(exc, "decision_date")

    services.member_recognize_official(actor=commune_a_staff, member=m, decision_date=D(2027, 3, 20))
    m.refresh_from_db()
    assert m.official_on == D(2027, 3, 20)


# --- Readmission: 36 months after leaving, once, never for excluded categories ------------------


def _exited(actor, org, kind, on, cause=""):
    m = MemberFactory(organization=org, full_name="Phạm Văn Lại", birth_date=D(1980, 1, 1))
    services.member_exit(actor=actor, member=m, kind=kind, effective_on=on, reason="Quyết định", cause=cause)
    return m


def _readmit(actor, m, org, decided):
    return services.member_readmit(
        actor=actor,
        member=m,
        organization=org,
        admission_decision_date=decided,
        ceremony_date=decided + 10 * DAY,
    )


def test_readmission_35_months_30_days_after_removal_is_refused(commune_a_staff, org_tree):
    m = _exited(commune_a_staff, org_tree.cell_a, "removed", D(2022, 1, 15))

    with pytest.raises(ValidationError) as exc:
        _readmit(commune_a_staff, m, org_tree.cell_a, D(2025, 1, 14))
    message = error_of(exc, "admission_decision_date")
    assert "36 tháng" in message and "15/01/2025" in message and "Mục 3.5" in message


def test_readmission_36_months_after_removal_is_accepted_and_restarts_probation(commune_a_staff, org_tree):
    m = _exited(commune_a_staff, org_tree.cell_a, "removed", D(2022, 1, 15))
    first_decision = m.admission_decision_date

    m = _readmit(commune_a_staff, m, org_tree.school_cell, D(2025, 1, 15))

    assert m.status == Status.PROBATIONARY
    assert m.readmitted and m.official_on is None
    assert m.organization == org_tree.school_cell
    assert m.first_admission_date == first_decision
    assert m.events.order_by("-effective_on", "-id")[0].kind == MemberEvent.Kind.READMITTED


def test_second_readmission_is_refused(commune_a_staff, org_tree):
    m = _exited(commune_a_staff, org_tree.cell_a, "removed", D(2015, 1, 15))
    m = _readmit(commune_a_staff, m, org_tree.cell_a, D(2018, 2, 1))
    services.member_exit(
        actor=commune_a_staff, member=m, kind="removed", effective_on=D(2019, 1, 1), reason="Lần 2"
    )

    with pytest.raises(ValidationError) as exc:
        _readmit(commune_a_staff, m, org_tree.cell_a, D(2023, 1, 1))
    assert "một lần" in error_of(exc, "admission_decision_date")


def test_member_who_left_voluntarily_is_never_readmitted(commune_a_staff, org_tree):
    m = _exited(commune_a_staff, org_tree.cell_a, "left", D(2012, 1, 1))

    with pytest.raises(ValidationError) as exc:
        _readmit(commune_a_staff, m, org_tree.cell_a, D(2025, 1, 1))
    assert "xin ra khỏi Đảng" in error_of(exc, "admission_decision_date")


def test_member_removed_for_abandoning_activity_is_never_readmitted(commune_a_staff, org_tree):
    m = _exited(commune_a_staff, org_tree.cell_a, "removed", D(2012, 1, 1), cause="abandoned")

    with pytest.raises(ValidationError) as exc:
        _readmit(commune_a_staff, m, org_tree.cell_a, D(2025, 1, 1))
    assert "tự bỏ sinh hoạt" in error_of(exc, "admission_decision_date")


# --- Temporary transfers: 3 months to under 1 year; study up to 2 years -------------------------


@pytest.mark.parametrize(
    ("ends_on", "for_study", "ok"),
    [
        (D(2026, 4, 4), False, False),  # 2 months 30 days
        (D(2026, 4, 5), False, True),  # 3 months
        (D(2027, 1, 4), False, True),  # a day under 12 months
        (D(2027, 1, 5), False, False),  # 12 months
        (D(2028, 1, 5), True, True),  # study: 24 months
        (D(2028, 1, 6), True, False),  # study: 24 months + 1 day
        (D(2026, 4, 4), True, False),  # study: still at least 3 months
    ],
)
def test_temporary_transfer_duration_limits(commune_a_staff, org_tree, ends_on, for_study, ok):
    m = MemberFactory(organization=org_tree.cell_a)

    def issue():
        return services.transfer_issue(
            actor=commune_a_staff,
            member=m,
            kind="temporary",
            to_org=org_tree.cell_b,
            issued_on=D(2026, 1, 5),
            ends_on=ends_on,
            for_study=for_study,
        )

    if ok:
        assert issue().ends_on == ends_on
    else:
        with pytest.raises(ValidationError) as exc:
            issue()
        assert "Mục 6.3.2" in error_of(exc, "ends_on")


# --- Deadlines in working days -------------------------------------------------------------------


def test_transfer_report_deadline_is_30_working_days_skipping_weekends_and_holidays(
    commune_a_staff, org_tree
):
    m = MemberFactory(organization=org_tree.cell_a)
    # Issued Monday 5/1/2026: the 29th working day is Friday 13/2, then Tết (16/2–20/2/2026)
    # is skipped, so the 30th working day is Monday 23/2/2026.
    t = services.transfer_issue(
        actor=commune_a_staff, member=m, kind="official", to_org=org_tree.cell_b, issued_on=D(2026, 1, 5)
    )
    assert t.report_due_on == D(2026, 2, 23)
    # Issued across Tết: Monday 2/2/2026 + 30 working days skips the five holiday days.
    t2_member = MemberFactory(organization=org_tree.cell_a)
    t2 = services.transfer_issue(
        actor=commune_a_staff,
        member=t2_member,
        kind="official",
        to_org=org_tree.cell_b,
        issued_on=D(2026, 2, 2),
    )
    from dangvu.core.workdays import working_days_between

    assert working_days_between(D(2026, 2, 2), t2.report_due_on) == 30
    assert (t2.report_due_on - D(2026, 2, 2)).days > 42


def test_deadline_state():
    due = D(2026, 2, 13)
    assert rules.deadline_state(due, D(2026, 2, 13)) == "due"
    assert rules.deadline_state(due, D(2026, 2, 14)) == "overdue"
    assert rules.deadline_state(due, D(2026, 3, 1), done_on=D(2026, 2, 20)) == "done"


# --- Party age and badges ----------------------------------------------------------------------


def test_party_age_runs_from_the_first_decision_minus_the_gap_before_readmission(commune_a_staff, org_tree):
    m = MemberFactory(
        organization=org_tree.cell_a,
        admission_decision_date=D(1990, 1, 10),
        ceremony_date=D(1990, 1, 20),
        birth_date=D(1965, 1, 1),
    )
    services.member_exit(
        actor=commune_a_staff, member=m, kind="removed", effective_on=D(2000, 1, 10), reason="x"
    )
    m = _readmit(commune_a_staff, m, org_tree.cell_a, D(2004, 1, 10))  # a gap of 4 years

    assert rules.party_age(m, D(2030, 1, 10)) == (36, 0)
    assert rules.party_age(m, D(2030, 1, 9)) == (35, 11)


def test_party_age_excludes_lost_contact(commune_a_staff, org_tree):
    m = MemberFactory(
        organization=org_tree.cell_a, admission_decision_date=D(1996, 5, 1), ceremony_date=D(1996, 5, 19)
    )
    services.member_exit(
        actor=commune_a_staff, member=m, kind="contact_lost", effective_on=D(2020, 5, 1), reason="x"
    )
    services.member_restore_contact(actor=commune_a_staff, member=m, effective_on=D(2021, 5, 1))

    m.refresh_from_db()
    assert m.status == Status.OFFICIAL
    assert rules.party_age(m, D(2026, 5, 1)) == (29, 0)


def test_next_badge_occasion():
    assert rules.next_badge_occasion(D(2026, 2, 3)) == D(2026, 2, 3)
    assert rules.next_badge_occasion(D(2026, 2, 4)) == D(2026, 5, 19)
    assert rules.next_badge_occasion(D(2026, 11, 8)) == D(2027, 2, 3)


VETERAN_DECISION = D(1996, 5, 9)


def _veteran(org, decided=VETERAN_DECISION):
    return MemberFactory(organization=org, admission_decision_date=decided, ceremony_date=decided + 10 * DAY)


def test_badge_due_at_the_30_year_milestone_and_not_twice(commune_a_staff, org_tree):
    m = _veteran(org_tree.cell_a)
    assert rules.badge_due(m, D(2026, 5, 8)) is None
    assert rules.badge_due(m, D(2026, 5, 19)) == 30

    services.member_award_badge(actor=commune_a_staff, member=m, years=30, effective_on=D(2026, 5, 19))
    assert rules.badge_due(m, D(2026, 9, 2)) is None
    with pytest.raises(ValidationError) as exc:
        services.member_award_badge(actor=commune_a_staff, member=m, years=30, effective_on=D(2026, 9, 2))
    assert "đã được tặng" in error_of(exc, "years")


def test_badge_waits_6_9_12_months_after_discipline(commune_a_staff, org_tree):
    for form, months in [("reprimand", 6), ("warning", 9), ("dismissal", 12)]:
        m = _veteran(org_tree.cell_a)
        services.member_discipline(
            actor=commune_a_staff, member=m, form=form, effective_on=D(2026, 1, 10), reason="Vi phạm"
        )
        end = rules.add_months(D(2026, 1, 10), months)
        assert rules.badge_due(m, end - DAY) is None, form
        assert rules.badge_due(m, end) == 30, form
        with pytest.raises(ValidationError) as exc:
            services.member_award_badge(actor=commune_a_staff, member=m, years=30, effective_on=end - DAY)
        assert "Mục 18" in error_of(exc, "years")


def test_no_badge_for_exited_members(commune_a_staff, org_tree):
    m = _veteran(org_tree.cell_a)
    services.member_exit(
        actor=commune_a_staff, member=m, kind="expelled", effective_on=D(2026, 1, 1), reason="x"
    )

    assert rules.badge_due(m, D(2026, 5, 19)) is None
