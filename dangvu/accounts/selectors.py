"""Reads for accounts, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangvu.organizations.permissions import managed_paths

from .models import OrgRole, User


def org_role_list(*, user: Any, include_revoked: bool = False) -> QuerySet[OrgRole]:
    """Roles held in the organizations the user manages (system admins: all; others: none)."""
    qs = OrgRole.objects.select_related("user", "organization", "granted_by").order_by(
        "organization__path", "user__username", "role"
    )
    paths = managed_paths(user)
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(organization__path__startswith=p)
        qs = qs.filter(q)
    return qs if include_revoked else qs.active()


def org_role_get(*, user: Any, pk: int) -> OrgRole:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(org_role_list(user=user, include_revoked=True), pk=pk)


def user_choices(*, user: Any) -> QuerySet[User]:
    """Users an org_staff may give a role to: active accounts. Usernames are not sensitive data."""
    return User.objects.filter(is_active=True).order_by("username")
