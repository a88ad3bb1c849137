"""Granting and revoking roles, and API tokens."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangvu.accounts import services
from dangvu.accounts.models import ApiToken, OrgRole, Role
from dangvu.accounts.tests.factories import UserFactory
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_org_staff_grants_roles_inside_their_subtree(org_tree, commune_a_staff):
    newcomer = UserFactory(username="bithu.dong")
    grant = services.org_role_grant(
        actor=commune_a_staff,
        user=newcomer,
        organization=org_tree.cell_a,
        role=Role.CELL_SECRETARY,
        reason="Bầu bí thư chi bộ",
    )
    assert grant.granted_by == commune_a_staff
    assert list(Organization.objects.visible_to(newcomer)) == [org_tree.cell_a, org_tree.group_a]
    assert grant.history.first().history_change_reason == "Bầu bí thư chi bộ"


def test_org_staff_cannot_grant_outside_their_subtree_or_system_admin(org_tree, commune_a_staff):
    newcomer = UserFactory(username="x")
    with pytest.raises(PermissionDenied):
        services.org_role_grant(
            actor=commune_a_staff, user=newcomer, organization=org_tree.cell_b, role=Role.MEMBER
        )
    with pytest.raises(PermissionDenied):
        services.org_role_grant(
            actor=commune_a_staff, user=newcomer, organization=org_tree.cell_a, role=Role.SYSTEM_ADMIN
        )
    assert not OrgRole.objects.filter(user=newcomer).exists()


def test_leader_cannot_grant(org_tree, province_leader):
    with pytest.raises(PermissionDenied):
        services.org_role_grant(
            actor=province_leader, user=UserFactory(), organization=org_tree.cell_a, role=Role.MEMBER
        )


def test_the_same_active_role_is_not_granted_twice(org_tree, province_staff, member):
    with pytest.raises(ValidationError):
        services.org_role_grant(
            actor=province_staff, user=member, organization=org_tree.cell_a, role=Role.MEMBER
        )


def test_revoke_keeps_the_row_and_ends_access(org_tree, province_staff, commune_a_staff):
    grant = commune_a_staff.org_roles.get()
    services.org_role_revoke(
        actor=province_staff, grant=grant, revoked_on=datetime.date.today(), reason="Nghỉ hưu"
    )
    grant.refresh_from_db()
    assert grant.revoked_on == datetime.date.today() and grant.revoked_by == province_staff
    fresh = type(commune_a_staff).objects.get(pk=commune_a_staff.pk)
    assert not Organization.objects.visible_to(fresh).exists()
    with pytest.raises(ValidationError):
        services.org_role_revoke(actor=province_staff, grant=grant)


def test_api_tokens_are_stored_hashed_and_revocable(org_tree, province_staff):
    token, raw = services.api_token_create(user=province_staff, name="Báo cáo")
    assert raw.startswith("dv_") and raw not in token.key_hash and len(raw) > 40
    assert services.api_token_authenticate(raw) == province_staff
    assert services.api_token_authenticate(raw + "x") is None
    services.api_token_revoke(token=token)
    assert services.api_token_authenticate(raw) is None
    assert ApiToken.objects.filter(pk=token.pk).exists()
