"""Who may grant which role where."""

from __future__ import annotations

from typing import Any

from dangvu.organizations.models import Organization
from dangvu.organizations.permissions import can_manage_organization, is_system_admin

from .models import Role


def can_grant_role(actor: Any, organization: Organization, role: str) -> bool:
    """System admins grant anything; org_staff grant roles other than system_admin in their subtree."""
    if is_system_admin(actor):
        return True
    return role != Role.SYSTEM_ADMIN and can_manage_organization(actor, organization)
