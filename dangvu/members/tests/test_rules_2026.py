"""The rules added for the leftovers of issue 3, at their boundaries (a day either side):
over-60 admission with the provincial consent, the ceremony deadline in working days, the wait
after a conviction before readmission, extension of temporary transfers, early badges."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.members import rules, services
from dangvu.members.choices import Status
from dangvu.members.models import MemberEvent, Transfer

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


def admit(actor, org, **kw):
    fields = kw.pop("data", {})
    return services.member_admit(actor=actor, organization=org, data=data(**fields), **kw)


# --- Over 60: only with the written consent of the provincial Standing Committee ----------------

OVER_60 = D(1966, 3, 1)  # 60 years and a day at the decision of 02/03/2026


def test_over_60_without_consent_keeps_the_age_error(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        admit(commune_a_staff, org_tree.cell_a, data={"birth_date": OVER_60})
    assert "Quá 60 tuổi" in error_of(exc, "birth_date")


def test_over_60_with_consent_dated_on_the_decision_day_is_admitted_and_recorded(commune_a_staff, org_tree):
    m = admit(
        commune_a_staff,
        org_tree.cell_a,
        data={"birth_date": OVER_60},
        over_age_consent_ref="125-CV/TU",
        over_age_consent_date=D(2026, 3, 2),
    )

    event = m.events.get(kind=MemberEvent.Kind.ADMITTED)
    assert m.status == Status.PROBATIONARY
    assert event.data["over_age_consent_ref"] == "125-CV/TU"
    assert event.data["over_age_consent_date"] == "2026-03-02"


def test_over_60_consent_dated_a_day_after_the_decision_is_refused_naming_the_guidance(
    commune_a_staff, org_tree
):
    with pytest.raises(ValidationError) as exc:
        admit(
            commune_a_staff,
            org_tree.cell_a,
            data={"birth_date": OVER_60},
            over_age_consent_ref="125-CV/TU",
            over_age_consent_date=D(2026, 3, 3),
        )
    message = error_of(exc, "over_age_consent_date")
    assert "Ban Thường vụ cấp ủy trực thuộc Trung ương" in message
    assert "Mục 1.1" in message and "Hướng dẫn 06-HD/TW" in message


def test_over_60_consent_before_june_2025_cites_the_2021_guidance(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        admit(
            commune_a_staff,
            org_tree.cell_a,
            data={
                "birth_date": D(1964, 1, 9),
                "admission_decision_date": D(2024, 1, 10),
                "ceremony_date": D(2024, 1, 20),
            },
            over_age_consent_ref="9-CV/TU",
            over_age_consent_date=D(2024, 1, 11),
        )
    assert "01-HD/TW" in error_of(exc, "over_age_consent_date")


def test_consent_needs_both_number_and_date(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        admit(
            commune_a_staff, org_tree.cell_a, data={"birth_date": OVER_60}, over_age_consent_ref="125-CV/TU"
        )
    assert "số văn bản và ngày văn bản" in error_of(exc, "over_age_consent_date")


def test_consent_is_no_exception_for_the_lower_age_limit(commune_a_staff, org_tree):
    with pytest.raises(ValidationError) as exc:
        admit(
            commune_a_staff,
            org_tree.cell_a,
            data={"birth_date": D(2008, 3, 3)},
            over_age_consent_ref="125-CV/TU",
            over_age_consent_date=D(2026, 3, 1),
        )
    assert "Chưa đủ 18 tuổi" in error_of(exc, "birth_date")


# --- The ceremony: within 30 working days of receiving the decision -----------------------------


def test_ceremony_deadline_counts_working_days_and_skips_tet():
    assert rules.ceremony_due(D(2026, 3, 2)) == D(2026, 4, 13)
    assert rules.ceremony_due(D(2024, 1, 10)) == D(2024, 2, 28)  # Tết Giáp Thìn: 08–14/02/2024


def test_ceremony_on_the_last_day_is_accepted_and_a_day_later_refused(commune_a_staff, org_tree):
    m = admit(commune_a_staff, org_tree.cell_a, data={"ceremony_date": D(2026, 4, 13)})
    assert m.events.get(kind=MemberEvent.Kind.ADMITTED).data["ceremony_late"] is False

    with pytest.raises(ValidationError) as exc:
        admit(commune_a_staff, org_tree.cell_a, data={"ceremony_date": D(2026, 4, 14), "full_name": "B"})
    message = error_of(exc, "ceremony_date")
    assert "30 ngày làm việc" in message and "13/04/2026" in message
    assert "cấp ủy cấp trên trực tiếp" in message and "Mục 4.1" in message and "294-QĐ/TW" in message


def test_late_ceremony_with_the_higher_committee_consent_is_recorded_as_late(commune_a_staff, org_tree):
    m = admit(
        commune_a_staff,
        org_tree.cell_a,
        data={"ceremony_date": D(2026, 4, 14)},
        ceremony_late_consent="Công văn 88-CV/ĐU ngày 10/4/2026",
    )

    recorded = m.events.get(kind=MemberEvent.Kind.ADMITTED).data
    assert recorded["ceremony_late"] is True
    assert recorded["ceremony_due"] == "2026-04-13"
    assert recorded["ceremony_late_consent"] == "Công văn 88-CV/ĐU ngày 10/4/2026"


def test_deadline_runs_from_the_day_the_decision_was_received(commune_a_staff, org_tree):
    m = admit(
        commune_a_staff,
        org_tree.cell_a,
        data={"ceremony_date": D(2026, 4, 20)},
        decision_received_on=D(2026, 3, 9),
    )
    assert m.events.get(kind=MemberEvent.Kind.ADMITTED).data["ceremony_due"] == "2026-04-20"

    with pytest.raises(ValidationError) as exc:
        admit(
            commune_a_staff,
            org_tree.cell_a,
            data={"full_name": "C"},
            decision_received_on=D(2026, 3, 1),
        )
    assert "trước ngày quyết định" in error_of(exc, "decision_received_on")


@pytest.mark.parametrize(
    ("ceremony", "on", "state"),
    [
        (D(2026, 4, 13), D(2026, 4, 13), "done"),
        (D(2026, 4, 14), D(2026, 4, 20), "late"),
        (D(2026, 4, 20), D(2026, 4, 13), "due"),
        (D(2026, 4, 20), D(2026, 4, 14), "overdue"),
    ],
)
def test_ceremony_state(ceremony, on, state):
    assert rules.ceremony_state(D(2026, 3, 2), ceremony, on) == state


def test_paper_records_are_not_held_to_the_ceremony_deadline(commune_a_staff, org_tree):
    m = services.member_register(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=data(
            birth_date=D(1965, 2, 1), admission_decision_date=D(1990, 1, 5), ceremony_date=D(1990, 6, 1)
        ),
    )
    assert m.status == Status.OFFICIAL


# --- Readmission after a conviction: 60 months after the record is expunged ---------------------


def _removed(actor, org):
    m = MemberFactory(organization=org, full_name="Phạm Văn Lại", birth_date=D(1980, 1, 1))
    services.member_exit(actor=actor, member=m, kind="removed", effective_on=D(2015, 1, 15), reason="Án")
    return m


def _readmit(actor, m, org, decided, **kw):
    return services.member_readmit(
        actor=actor,
        member=m,
        organization=org,
        admission_decision_date=decided,
        ceremony_date=decided + 10 * DAY,
        **kw,
    )


def test_readmission_a_day_before_60_months_after_expunging_is_refused(commune_a_staff, org_tree):
    m = _removed(commune_a_staff, org_tree.cell_a)

    with pytest.raises(ValidationError) as exc:
        _readmit(
            commune_a_staff,
            m,
            org_tree.cell_a,
            D(2025, 3, 9),
            conviction="less_serious",
            conviction_cleared_on=D(2020, 3, 10),
        )
    message = error_of(exc, "conviction_cleared_on")
    assert "60 tháng" in message and "10/03/2025" in message and "Mục 3.5" in message


def test_readmission_60_months_after_expunging_is_accepted_and_recorded(commune_a_staff, org_tree):
    m = _removed(commune_a_staff, org_tree.cell_a)

    m = _readmit(
        commune_a_staff,
        m,
        org_tree.cell_a,
        D(2025, 3, 10),
        conviction="less_serious",
        conviction_cleared_on=D(2020, 3, 10),
    )

    assert m.status == Status.PROBATIONARY
    event = m.events.get(kind=MemberEvent.Kind.READMITTED)
    assert event.data["conviction_cleared_on"] == "2020-03-10"


@pytest.mark.parametrize("category", ["serious", "corruption"])
def test_no_readmission_after_corruption_or_a_serious_crime(commune_a_staff, org_tree, category):
    m = _removed(commune_a_staff, org_tree.cell_a)

    with pytest.raises(ValidationError) as exc:
        _readmit(
            commune_a_staff,
            m,
            org_tree.cell_a,
            D(2025, 3, 10),
            conviction=category,
            conviction_cleared_on=D(2015, 3, 10),
        )
    assert "tham nhũng" in error_of(exc, "conviction")


def test_a_conviction_not_yet_expunged_blocks_readmission(commune_a_staff, org_tree):
    m = _removed(commune_a_staff, org_tree.cell_a)

    with pytest.raises(ValidationError) as exc:
        _readmit(commune_a_staff, m, org_tree.cell_a, D(2025, 3, 10), conviction="less_serious")
    assert "xóa án tích" in error_of(exc, "conviction_cleared_on")


def test_readmission_is_held_to_the_ceremony_deadline(commune_a_staff, org_tree):
    m = _removed(commune_a_staff, org_tree.cell_a)

    with pytest.raises(ValidationError) as exc:
        services.member_readmit(
            actor=commune_a_staff,
            member=m,
            organization=org_tree.cell_a,
            admission_decision_date=D(2026, 3, 2),
            ceremony_date=D(2026, 4, 14),
        )
    assert "30 ngày làm việc" in error_of(exc, "ceremony_date")


# --- Extension of a temporary transfer -----------------------------------------------------------


@pytest.fixture
def stay(org_tree, commune_a_staff, commune_b_staff):
    """A temporary stay at cell_b from 12/01/2026 to 05/07/2026."""
    an = MemberFactory(organization=org_tree.cell_a, full_name="Nguyễn Văn An")
    t = services.transfer_issue(
        actor=commune_a_staff,
        member=an,
        kind="temporary",
        to_org=org_tree.cell_b,
        issued_on=D(2026, 1, 5),
        ends_on=D(2026, 7, 5),
    )
    return services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 1, 12))


def extend(actor, t, new_end, **kw):
    return services.temporary_transfer_extend(
        actor=actor, transfer=t, new_end=new_end, reason=kw.pop("reason", "Chưa xong công việc"), **kw
    )


def test_extension_to_a_day_short_of_a_year_is_accepted_by_the_host(stay, commune_b_staff):
    t = extend(commune_b_staff, stay, D(2027, 1, 11), on=D(2026, 6, 1))

    t.refresh_from_db()
    assert t.ends_on == D(2027, 1, 11)
    assert t.state == Transfer.State.ACTIVE
    event = t.member.events.order_by("-id")[0]
    assert event.data == {
        "transfer": t.pk,
        "extended": True,
        "old_end": "2026-07-05",
        "new_end": "2027-01-11",
    }
    assert event.effective_on == D(2026, 6, 1)


def test_extension_to_a_full_year_is_refused_naming_the_rule(stay, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        extend(commune_a_staff, stay, D(2027, 1, 12), on=D(2026, 6, 1))
    message = error_of(exc, "new_end")
    assert "12/01/2026" in message and "dưới 12 tháng" in message and "Mục 6.3.2" in message


def test_extension_for_study_up_to_two_years(stay, commune_a_staff):
    Transfer.objects.filter(pk=stay.pk).update(for_study=True)
    extend(commune_a_staff, stay, D(2028, 1, 12), on=D(2026, 6, 1))

    with pytest.raises(ValidationError) as exc:
        extend(commune_a_staff, stay, D(2028, 1, 13), on=D(2026, 6, 2))
    assert "không quá 24 tháng" in error_of(exc, "new_end")


def test_extension_must_move_the_end_later(stay, commune_a_staff):
    with pytest.raises(ValidationError) as exc:
        extend(commune_a_staff, stay, D(2026, 7, 5), on=D(2026, 6, 1))
    assert "05/07/2026" in error_of(exc, "new_end")


def test_extension_after_the_stay_ran_out_is_refused(stay, commune_a_staff):
    extend(commune_a_staff, stay, D(2026, 8, 1), on=D(2026, 7, 5))  # the last day is still in time

    with pytest.raises(ValidationError) as exc:
        extend(commune_a_staff, stay, D(2026, 9, 1), on=D(2026, 8, 2))
    assert "đã hết hạn" in error_of(exc, "on")


def test_extension_needs_a_reason_and_a_side(stay, commune_a_staff, outsider, org_tree):
    with pytest.raises(ValidationError):
        extend(commune_a_staff, stay, D(2026, 9, 1), on=D(2026, 6, 1), reason=" ")
    with pytest.raises(PermissionDenied):
        extend(outsider, stay, D(2026, 9, 1), on=D(2026, 6, 1))


def test_only_a_running_temporary_stay_is_extended(org_tree, commune_a_staff):
    an = MemberFactory(organization=org_tree.cell_a)
    t = services.transfer_issue(
        actor=commune_a_staff, member=an, kind="official", to_org=org_tree.cell_b, issued_on=D(2026, 1, 5)
    )
    with pytest.raises(ValidationError) as exc:
        extend(commune_a_staff, t, D(2026, 9, 1), on=D(2026, 2, 1))
    assert "đang diễn ra" in error_of(exc, "transfer")


# --- Early badges -------------------------------------------------------------------------------


def veteran(org, decided: datetime.date, **kw):
    return MemberFactory(
        organization=org,
        admission_decision_date=decided,
        ceremony_date=decided + 10 * DAY,
        birth_date=D(1930, 1, 1),
        **kw,
    )


def award(actor, m, years, on, **kw):
    return services.member_award_badge(actor=actor, member=m, years=years, effective_on=on, **kw)


def test_seriously_ill_member_gets_the_30_badge_12_months_early_not_a_day_more(commune_a_staff, org_tree):
    early = {"early": "seriously_ill", "decision_ref": "12-QĐ/TU", "reason": "Bệnh nặng"}
    too_soon = veteran(org_tree.cell_a, D(1996, 5, 10), full_name="A")
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, too_soon, 30, D(2025, 5, 9), **early)
    message = error_of(exc, "years")
    assert "tối đa 12 tháng" in message and "Mục 18" in message and "01-HD/TW" in message

    m = veteran(org_tree.cell_a, D(1996, 5, 10), full_name="B")
    award(commune_a_staff, m, 30, D(2025, 5, 10), **early)
    event = m.events.get(kind=MemberEvent.Kind.BADGE_AWARDED)
    assert event.data == {"years": 30, "early": "seriously_ill", "months_early": 12}
    assert event.reason == "Bệnh nặng"
    assert rules.badge_due(m, D(2026, 5, 19)) is None  # not given twice


def test_the_70_badge_may_come_24_months_early(commune_a_staff, org_tree):
    early = {"early": "seriously_ill", "decision_ref": "12-QĐ/TU", "reason": "Bệnh nặng"}
    with pytest.raises(ValidationError):
        award(
            commune_a_staff,
            veteran(org_tree.cell_a, D(1956, 5, 10), full_name="A"),
            70,
            D(2024, 5, 9),
            **early,
        )
    award(
        commune_a_staff, veteran(org_tree.cell_a, D(1956, 5, 10), full_name="B"), 70, D(2024, 5, 10), **early
    )


def test_without_an_early_reason_the_milestone_must_be_reached(commune_a_staff, org_tree):
    m = veteran(org_tree.cell_a, D(1996, 5, 10))
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, m, 30, D(2026, 5, 9))
    assert "chưa đủ 30 năm" in error_of(exc, "years")


def test_early_award_needs_a_decision_and_a_reason(commune_a_staff, org_tree):
    m = veteran(org_tree.cell_a, D(1996, 5, 10))
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, m, 30, D(2026, 1, 5), early="seriously_ill", reason="Bệnh nặng")
    assert "số quyết định" in error_of(exc, "decision_ref")
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, m, 30, D(2026, 1, 5), early="seriously_ill", decision_ref="12-QĐ/TU")
    assert "lý do" in error_of(exc, "reason")
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, m, 30, D(2026, 1, 5), early="rich")
    assert "không hợp lệ" in error_of(exc, "early")


def test_posthumous_award_counts_party_age_at_death(commune_a_staff, org_tree):
    posthumous = {"early": "posthumous", "decision_ref": "7-QĐ/TU", "reason": "Truy tặng"}
    m = veteran(org_tree.cell_a, D(1995, 6, 10), full_name="A")
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, m, 30, D(2025, 7, 1), **posthumous)
    assert "đã từ trần" in error_of(exc, "years")

    services.member_exit(
        actor=commune_a_staff, member=m, kind="deceased", effective_on=D(2024, 6, 10), reason="Từ trần"
    )
    award(commune_a_staff, m, 30, D(2025, 7, 1), **posthumous)  # 29 years at death: 12 months short

    late = veteran(org_tree.cell_a, D(1995, 6, 10), full_name="B")
    services.member_exit(
        actor=commune_a_staff, member=late, kind="deceased", effective_on=D(2024, 6, 9), reason="Từ trần"
    )
    with pytest.raises(ValidationError) as exc:
        award(commune_a_staff, late, 30, D(2025, 7, 1), **posthumous)
    assert "còn thiếu 13 tháng" in error_of(exc, "years")
