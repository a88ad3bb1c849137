"""Action rights on organizations. Templates, views, the API and services all ask these."""

from __future__ import annotations

from typing import Any

from dangvu.accounts.models import OrgRole, Role

from .models import Organization


def managed_paths(user: Any) -> list[str] | None:
    """Paths under which `user` may change the tree; None means everywhere."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_managed_paths", "unset")
    if cached != "unset":
        return cached
    roles = list(
        OrgRole.objects.active()
        .filter(user=user, role__in=[Role.SYSTEM_ADMIN, Role.ORG_STAFF])
        .values_list("role", "organization__path")
    )
    result = None if any(r == Role.SYSTEM_ADMIN for r, _ in roles) else [p for _, p in roles]
    user._managed_paths = result
    return result


def can_manage_organization(user: Any, org: Organization) -> bool:
    """May `user` create under, edit, move or dissolve `org`? (system_admin, or org_staff above it)."""
    paths = managed_paths(user)
    return paths is None or any(org.path.startswith(p) for p in paths)


def can_manage_any(user: Any) -> bool:
    paths = managed_paths(user)
    return paths is None or bool(paths)


def is_system_admin(user: Any) -> bool:
    return managed_paths(user) is None and getattr(user, "is_authenticated", False)
