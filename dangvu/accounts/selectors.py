"""Reads for accounts, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangvu.core.text import nfc, search_key
from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import managed_paths

from .models import OrgRole, User


def org_role_list(
    *, user: Any, include_revoked: bool = False, q: str = "", organization_q: str = "", role: str = ""
) -> QuerySet[OrgRole]:
    """Roles held in the organizations the user manages (system admins: all; others: none).

    Optional filters: `q` on the holder's username or full name, `organization_q` on the
    organization's name (diacritic-insensitive) or exact code, `role` on the role code.
    """
    qs = OrgRole.objects.select_related("user", "organization", "granted_by").order_by(
        "organization__path", "user__username", "role"
    )
    paths = managed_paths(user)
    if paths is not None:
        scope = Q(pk__in=[])
        for p in paths:
            scope |= Q(organization__path__startswith=p)
        qs = qs.filter(scope)
    q = nfc(q)
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__full_name__icontains=q))
    organization_q = nfc(organization_q)
    if organization_q:
        key = search_key(organization_q)
        qs = qs.filter(
            Q(organization__search_key__contains=key) | Q(organization__code__iexact=organization_q)
        )
    if role:
        qs = qs.filter(role=role)
    return qs if include_revoked else qs.active()


def org_role_get(*, user: Any, pk: int) -> OrgRole:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(org_role_list(user=user, include_revoked=True), pk=pk)


def user_choices(*, user: Any, q: str = "") -> QuerySet[User]:
    """Users an org_staff may give a role to: active accounts. Usernames are not sensitive data."""
    qs = User.objects.filter(is_active=True).order_by("username")
    q = nfc(q)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return qs


def role_grant_organizations(*, user: Any, q: str = "") -> QuerySet[Organization]:
    """Active organizations where `user` may grant roles: visible to them and under a tree they
    manage, higher levels first; filtered by `q` (name or code, diacritic-insensitive)."""
    qs = Organization.objects.visible_to(user).active()
    paths = managed_paths(user)
    if paths is not None:
        managed = Q(pk__in=[])
        for p in paths:
            managed |= Q(path__startswith=p)
        qs = qs.filter(managed)
    if q:
        qs = qs.search(q)
    return qs.order_by("depth", "path")


def role_grant_organization_choices(
    *, user: Any, q: str = "", selected: Organization | None = None, limit: int = 20
) -> tuple[list[Organization], int]:
    """What the grant form offers: the first `limit` organizations of `role_grant_organizations`
    (plus `selected`, kept first), each with `parent_name`, and how many match in all."""
    qs = role_grant_organizations(user=user, q=q)
    results = list(qs[:limit])
    total = len(results) if len(results) < limit else qs.count()
    if selected is not None and all(o.pk != selected.pk for o in results):
        results.insert(0, selected)
    steplen = Organization.steplen
    parent_paths = {o.path[:-steplen] for o in results if o.depth > 1}
    names = dict(
        Organization.objects.visible_to(user).filter(path__in=parent_paths).values_list("path", "name")
    )
    for o in results:
        o.parent_name = names.get(o.path[:-steplen], "")
    return results, total
