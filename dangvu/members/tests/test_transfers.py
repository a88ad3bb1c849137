"""Transfers are handovers: the sender issues, the receiver accepts; the member is never lost."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.members import selectors, services
from dangvu.members.choices import Status
from dangvu.members.models import Member, MemberEvent, Transfer

from .factories import MemberFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def an(org_tree):
    return MemberFactory(organization=org_tree.cell_a, full_name="Nguyễn Văn An")


def counted_in(org):
    return set(Member.objects.active().in_subtree(org).values_list("full_name", flat=True))


def issue(actor, member, to_org, **kw):
    return services.transfer_issue(
        actor=actor,
        member=member,
        kind=kw.pop("kind", "official"),
        to_org=to_org,
        issued_on=D(2026, 1, 5),
        **kw,
    )


def test_pending_transfer_is_visible_to_both_sides_and_counted_at_the_sender(
    an, org_tree, commune_a_staff, commune_b_staff
):
    t = issue(commune_a_staff, an, org_tree.cell_b)

    assert t.state == Transfer.State.PENDING
    assert Member.objects.visible_to(commune_a_staff).filter(pk=an.pk).exists()
    assert Member.objects.visible_to(commune_b_staff).filter(pk=an.pk).exists()
    assert "Nguyễn Văn An" in counted_in(org_tree.commune_a)
    assert "Nguyễn Văn An" not in counted_in(org_tree.commune_b)
    assert list(selectors.transfers_for(user=commune_b_staff, organization=org_tree.commune_b)) == [t]
    assert list(selectors.transfers_for(user=commune_a_staff, organization=org_tree.commune_a)) == [t]
    assert an.events.filter(kind=MemberEvent.Kind.TRANSFER_ISSUED).count() == 1


def test_acceptance_moves_the_member_with_out_and_in_events_on_the_same_date(
    an, org_tree, commune_a_staff, commune_b_staff
):
    t = issue(commune_a_staff, an, org_tree.cell_b)

    services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 1, 20))

    an.refresh_from_db()
    t.refresh_from_db()
    assert t.state == Transfer.State.COMPLETED and t.accepted_by == commune_b_staff
    assert an.organization == org_tree.cell_b
    assert an.status == Status.OFFICIAL
    out = an.events.get(kind=MemberEvent.Kind.TRANSFERRED_OUT)
    came = an.events.get(kind=MemberEvent.Kind.TRANSFERRED_IN)
    assert (out.organization, out.other_org) == (org_tree.cell_a, org_tree.cell_b)
    assert (came.organization, came.other_org) == (org_tree.cell_b, org_tree.cell_a)
    assert out.effective_on == came.effective_on == D(2026, 1, 20)
    assert "Nguyễn Văn An" in counted_in(org_tree.commune_b)
    assert "Nguyễn Văn An" not in counted_in(org_tree.commune_a)
    assert not Member.objects.visible_to(commune_a_staff).filter(pk=an.pk).exists()


def test_commune_a_staff_cannot_accept_into_commune_b(an, org_tree, commune_a_staff):
    t = issue(commune_a_staff, an, org_tree.cell_b)

    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=commune_a_staff, transfer=t)

    an.refresh_from_db()
    assert an.organization == org_tree.cell_a


def test_only_the_sender_may_issue(an, org_tree, commune_b_staff, cell_secretary):
    for actor in (commune_b_staff, cell_secretary):
        with pytest.raises(PermissionDenied):
            issue(actor, an, org_tree.cell_b)


def test_cancel_keeps_the_member_at_the_sender(an, org_tree, commune_a_staff, commune_b_staff):
    t = issue(commune_a_staff, an, org_tree.cell_b)

    services.transfer_cancel(actor=commune_a_staff, transfer=t, reason="Đảng viên không chuyển nữa")

    t.refresh_from_db()
    an.refresh_from_db()
    assert t.state == Transfer.State.CANCELLED
    assert an.organization == org_tree.cell_a
    assert not Member.objects.visible_to(commune_b_staff).filter(pk=an.pk).exists()
    with pytest.raises(ValidationError):
        services.transfer_accept(actor=commune_b_staff, transfer=t)


def test_a_second_transfer_while_one_is_pending_is_refused(an, org_tree, commune_a_staff):
    issue(commune_a_staff, an, org_tree.cell_b)

    with pytest.raises(ValidationError):
        issue(commune_a_staff, an, org_tree.school_cell)


def test_external_transfer_is_completed_by_the_sender(an, org_tree, commune_a_staff, commune_b_staff):
    t = services.transfer_issue(
        actor=commune_a_staff,
        member=an,
        kind="official",
        external_destination="Đảng bộ tỉnh Khác",
        issued_on=D(2026, 1, 5),
    )
    an.refresh_from_db()
    assert an.status == Status.OFFICIAL  # issuing sets nothing

    with pytest.raises(PermissionDenied):
        services.transfer_accept(actor=commune_b_staff, transfer=t)
    services.transfer_accept(actor=commune_a_staff, transfer=t, accepted_on=D(2026, 1, 10))

    an.refresh_from_db()
    assert an.status == Status.TRANSFERRED_OUT
    assert an.organization == org_tree.cell_a
    assert an.events.order_by("-effective_on", "-id")[0].kind == MemberEvent.Kind.TRANSFERRED_OUT


def test_temporary_member_is_listed_at_the_host_but_not_counted_there(
    an, org_tree, commune_a_staff, commune_b_staff
):
    t = issue(commune_a_staff, an, org_tree.cell_b, kind="temporary", ends_on=D(2026, 7, 5))
    services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 1, 12))

    t.refresh_from_db()
    an.refresh_from_db()
    assert t.state == Transfer.State.ACTIVE
    assert an.organization == org_tree.cell_a
    assert Member.objects.visible_to(commune_b_staff).filter(pk=an.pk).exists()
    assert [
        m.pk for m in selectors.temporary_members(user=commune_b_staff, organization=org_tree.commune_b)
    ] == [an.pk]
    assert "Nguyễn Văn An" not in counted_in(org_tree.commune_b)
    assert "Nguyễn Văn An" in counted_in(org_tree.commune_a)

    services.temporary_transfer_end(actor=commune_b_staff, transfer=t, ended_on=D(2026, 7, 5))
    t.refresh_from_db()
    assert t.state == Transfer.State.COMPLETED
    assert not Member.objects.visible_to(commune_b_staff).filter(pk=an.pk).exists()


def test_late_acceptance_is_recorded_as_late(an, org_tree, commune_a_staff, commune_b_staff):
    t = issue(commune_a_staff, an, org_tree.cell_b)

    services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 2, 24))

    assert an.events.get(kind=MemberEvent.Kind.TRANSFERRED_IN).data["late"] is True


def test_reporting_deadline_shows_due_overdue_and_done(an, org_tree, commune_a_staff, commune_b_staff):
    from dangvu.members import rules

    t = issue(commune_a_staff, an, org_tree.cell_b)  # due Monday 23/2/2026 (30 working days, Tết skipped)

    assert rules.transfer_deadline_state(t, D(2026, 2, 23)) == "due"
    assert rules.transfer_deadline_state(t, D(2026, 2, 24)) == "overdue"
    services.transfer_accept(actor=commune_b_staff, transfer=t, accepted_on=D(2026, 2, 25))
    t.refresh_from_db()
    assert rules.transfer_deadline_state(t, D(2026, 3, 1)) == "done"
