"""Write paths: rights, record entry and corrections, lifecycle events kept in step with the state."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write
from dangvu.members import services
from dangvu.members.choices import ACTIVE_STATUSES, Status
from dangvu.members.models import Member, MemberEvent, Transfer

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def record(**fields):
    return {
        "full_name": "  Lê   Thị Hoa ",
        "gender": "female",
        "birth_date": D(1995, 6, 15),
        "admission_decision_date": D(2026, 3, 2),
        "ceremony_date": D(2026, 3, 20),
        **fields,
    }


def latest(member):
    return member.events.order_by("-effective_on", "-id").first()


def test_admit_writes_a_probationary_member_and_an_admitted_event(commune_a_staff, org_tree):
    m = services.member_admit(
        actor=commune_a_staff, organization=org_tree.cell_a, data=record(), decision_ref="12-QĐ/ĐU"
    )

    assert (m.full_name, m.status, m.official_on) == ("Lê Thị Hoa", Status.PROBATIONARY, None)
    assert m.search_key == "le thi hoa" and m.name_sort
    event = latest(m)
    assert (event.kind, event.effective_on, event.actor) == (
        MemberEvent.Kind.ADMITTED,
        D(2026, 3, 2),
        commune_a_staff,
    )
    assert m.history.first().history_user == commune_a_staff


@pytest.mark.parametrize("actor_name", ["cell_secretary", "commune_b_staff", "member", "outsider"])
def test_admit_needs_the_right_to_manage_the_organization(request, org_tree, actor_name):
    actor = request.getfixturevalue(actor_name)

    with pytest.raises(PermissionDenied):
        services.member_admit(actor=actor, organization=org_tree.cell_a, data=record())
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "12 chữ số"),
        ({"card_number": "1234567a"}, "card_number", "8 chữ số"),
        ({"ceremony_date": D(2026, 3, 1)}, "ceremony_date", "không được trước"),
        ({"status": "official"}, "status", "Không sửa trực tiếp"),
        ({"organization": 1}, "organization", "Không sửa trực tiếp"),
    ],
)
def test_admit_rejects_bad_records(commune_a_staff, org_tree, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        services.member_admit(actor=commune_a_staff, organization=org_tree.cell_a, data=record(**fields))
    assert words in " ".join(exc.value.message_dict[field])


def test_citizen_id_and_card_number_are_unique(commune_a_staff, org_tree):
    MemberFactory(organization=org_tree.cell_b, citizen_id="001095000001", card_number="00000001")

    with pytest.raises(ValidationError) as exc:
        services.member_admit(
            actor=commune_a_staff,
            organization=org_tree.cell_a,
            data=record(citizen_id="001095000001", card_number="00000001"),
        )
    assert set(exc.value.message_dict) == {"citizen_id", "card_number"}


def test_register_derives_the_status_from_the_ceremony(commune_a_staff, org_tree):
    old = services.member_register(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=record(full_name="Cụ Già", birth_date=D(1940, 1, 1), admission_decision_date=D(1965, 2, 1),
                    ceremony_date=D(1965, 2, 3)),
        on=D(2026, 1, 1),
    )  # fmt: skip
    new = services.member_register(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=record(admission_decision_date=D(2025, 9, 1), ceremony_date=D(2025, 9, 2)),
        on=D(2026, 1, 1),
    )

    assert (old.status, old.official_on) == (Status.OFFICIAL, D(1966, 2, 3))
    assert [e.kind for e in old.events.order_by("effective_on")] == ["admitted", "recognized_official"]
    assert (new.status, new.official_on) == (Status.PROBATIONARY, None)


def test_update_needs_a_reason_and_keeps_history(commune_a_staff, org_tree):
    m = MemberFactory(organization=org_tree.cell_a, full_name="Lê Văn Tám")

    with pytest.raises(ValidationError):
        services.member_update(actor=commune_a_staff, member=m, changes={"phone": "0912"}, reason=" ")
    services.member_update(
        actor=commune_a_staff, member=m, changes={"full_name": "Lê Văn Tâm"}, reason="Sai chính tả"
    )

    m.refresh_from_db()
    assert (m.full_name, m.search_key) == ("Lê Văn Tâm", "le van tam")
    assert m.history.first().history_change_reason == "Sai chính tả"


def test_update_of_the_ceremony_moves_the_official_date(commune_a_staff, org_tree):
    m = MemberFactory(organization=org_tree.cell_a, ceremony_date=D(2010, 5, 19))

    services.member_update(
        actor=commune_a_staff, member=m, changes={"ceremony_date": D(2010, 6, 1)}, reason="Theo hồ sơ gốc"
    )

    m.refresh_from_db()
    assert m.official_on == D(2011, 6, 1)
    assert m.events.get(kind="recognized_official").effective_on == D(2011, 6, 1)


def test_exemption_keeps_the_member_counted(commune_a_staff, org_tree):
    m = MemberFactory(organization=org_tree.cell_a)

    services.member_exempt(actor=commune_a_staff, member=m, effective_on=D(2026, 1, 5), reason="Tuổi cao")
    assert Member.objects.active().filter(pk=m.pk).exists()
    m.refresh_from_db()
    assert m.exempted
    services.member_end_exemption(actor=commune_a_staff, member=m, effective_on=D(2026, 6, 1))
    m.refresh_from_db()
    assert not m.exempted
    assert latest(m).kind == MemberEvent.Kind.EXEMPTION_ENDED


def test_probationary_members_cannot_be_expelled_or_dismissed(commune_a_staff, org_tree):
    m = services.member_admit(actor=commune_a_staff, organization=org_tree.cell_a, data=record())

    with pytest.raises(ValidationError) as exc:
        services.member_exit(
            actor=commune_a_staff, member=m, kind="expelled", effective_on=D(2026, 4, 1), reason="x"
        )
    assert "Điều 35" in exc.value.message_dict["kind"][0]
    with pytest.raises(ValidationError):
        services.member_discipline(
            actor=commune_a_staff, member=m, form="dismissal", effective_on=D(2026, 4, 1), reason="x"
        )


def test_events_cannot_be_back_dated_before_the_latest(commune_a_staff, org_tree):
    m = MemberFactory(organization=org_tree.cell_a)
    services.member_discipline(
        actor=commune_a_staff, member=m, form="warning", effective_on=D(2026, 3, 1), reason="x"
    )

    with pytest.raises(ValidationError) as exc:
        services.member_exit(
            actor=commune_a_staff, member=m, kind="removed", effective_on=D(2026, 2, 1), reason="x"
        )
    assert "01/03/2026" in exc.value.message_dict["effective_on"][0]


def test_exit_is_refused_while_a_transfer_is_pending(commune_a_staff, org_tree):
    m = MemberFactory(organization=org_tree.cell_a)
    services.transfer_issue(actor=commune_a_staff, member=m, kind="official", to_org=org_tree.cell_b,
                            issued_on=D(2026, 1, 5))  # fmt: skip

    with pytest.raises(ValidationError):
        services.member_exit(
            actor=commune_a_staff, member=m, kind="deceased", effective_on=D(2026, 2, 1), reason="x"
        )


def test_back_dated_recognition_carries_the_new_status_to_later_neutral_events(commune_a_staff, org_tree):
    m = services.member_admit(
        actor=commune_a_staff,
        organization=org_tree.cell_a,
        data=record(admission_decision_date=D(2024, 1, 2), ceremony_date=D(2024, 1, 10)),
    )
    services.member_exempt(actor=commune_a_staff, member=m, effective_on=D(2025, 3, 1), reason="Ốm")

    services.member_recognize_official(actor=commune_a_staff, member=m, decision_date=D(2025, 3, 5))

    m.refresh_from_db()
    assert latest(m).kind == MemberEvent.Kind.EXEMPTED
    assert latest(m).status_after == m.status == Status.OFFICIAL


def test_access_log_write_records_who_and_from_where(rf, commune_a_staff):
    request = rf.get("/", REMOTE_ADDR="10.0.0.7")

    entry = access_log_write(
        user=commune_a_staff,
        action=AccessLog.Action.REVEAL,
        object_type="member",
        object_id=5,
        request=request,
    )

    assert (entry.object_id, entry.ip_address) == ("5", "10.0.0.7")


# --- Random sequences of actions keep the invariants --------------------------------------------

ACTIONS = st.sampled_from(
    [
        "recognize",
        "exempt",
        "end_exemption",
        "reprimand",
        "dismissal",
        "transfer_accept",
        "transfer_cancel",
        "external",
        "temporary",
        "end_temporary",
        "removed",
        "expelled",
        "left",
        "deceased",
        "contact_lost",
        "restore",
        "readmit",
        "badge",
    ]
)


def _counting_orgs(member):
    """Replay the events: where is the member counted?"""
    orgs: set[int] = set()
    for e in member.events.order_by("effective_on", "id"):
        if e.kind in ("admitted", "readmitted", "contact_restored"):
            orgs = {e.organization_id}
        elif e.kind == "transferred_in":
            orgs.add(e.organization_id)
        elif e.kind == "transferred_out":
            orgs.discard(e.organization_id)
        elif e.kind in ("removed", "expelled", "left", "deceased", "contact_lost"):
            orgs = set()
    return orgs


def _apply(action, m, actor, org_tree, on):
    open_t = m.transfers.filter(state__in=["pending", "active"]).first()
    other = org_tree.cell_b if m.organization_id != org_tree.cell_b.pk else org_tree.cell_a
    if action == "recognize":
        services.member_recognize_official(actor=actor, member=m, decision_date=on)
    elif action == "exempt":
        services.member_exempt(actor=actor, member=m, effective_on=on, reason="Ốm")
    elif action == "end_exemption":
        services.member_end_exemption(actor=actor, member=m, effective_on=on)
    elif action in ("reprimand", "dismissal"):
        services.member_discipline(actor=actor, member=m, form=action, effective_on=on, reason="x")
    elif action in ("transfer_accept", "transfer_cancel"):
        if open_t is None:
            open_t = services.transfer_issue(
                actor=actor, member=m, kind="official", to_org=other, issued_on=on
            )
        if action == "transfer_accept":
            services.transfer_accept(actor=actor, transfer=open_t, accepted_on=on + DAY)
        else:
            services.transfer_cancel(actor=actor, transfer=open_t, reason="Thôi")
    elif action == "external":
        t = services.transfer_issue(
            actor=actor, member=m, kind="official", external_destination="Tỉnh khác", issued_on=on
        )
        services.transfer_accept(actor=actor, transfer=t, accepted_on=on + DAY)
    elif action == "temporary":
        t = services.transfer_issue(
            actor=actor, member=m, kind="temporary", to_org=other, issued_on=on, ends_on=on + 120 * DAY
        )
        services.transfer_accept(actor=actor, transfer=t, accepted_on=on + DAY)
    elif action == "end_temporary":
        if open_t is None:
            raise ValidationError("no open transfer")
        services.temporary_transfer_end(actor=actor, transfer=open_t, ended_on=on + 2 * DAY)
    elif action in ("removed", "expelled", "left", "deceased", "contact_lost"):
        services.member_exit(actor=actor, member=m, kind=action, effective_on=on, reason="x")
    elif action == "restore":
        services.member_restore_contact(actor=actor, member=m, effective_on=on)
    elif action == "readmit":
        services.member_readmit(
            actor=actor,
            member=m,
            organization=org_tree.cell_a,
            admission_decision_date=on,
            ceremony_date=on + DAY,
        )
    elif action == "badge":
        services.member_award_badge(actor=actor, member=m, years=30, effective_on=on)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(ACTIONS, st.integers(min_value=1, max_value=800)), min_size=1, max_size=12))
def test_random_sequences_keep_state_and_events_in_step(system_admin, org_tree, steps):
    with transaction.atomic():
        m = MemberFactory(
            organization=org_tree.cell_a, admission_decision_date=D(1990, 1, 2), ceremony_date=D(1990, 1, 10)
        )
        on = D(2015, 1, 1)
        for action, days in steps:
            on += days * DAY
            before = (m.events.count(), Transfer.objects.filter(member=m).count())
            try:
                with transaction.atomic():
                    _apply(action, Member.objects.get(pk=m.pk), system_admin, org_tree, on)
            except ValidationError:
                # A refused action leaves nothing behind.
                assert (m.events.count(), Transfer.objects.filter(member=m).count()) == before
            m.refresh_from_db()
            assert m.status == latest(m).status_after
            orgs = _counting_orgs(m)
            if m.status in ACTIVE_STATUSES:
                assert orgs == {m.organization_id}
                assert Member.objects.active().in_subtree(org_tree.central).filter(pk=m.pk).count() == 1
            else:
                assert orgs == set()
        transaction.set_rollback(True)
