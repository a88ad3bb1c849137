"""Action rights on members. Views, templates, the API and services all ask these."""

from __future__ import annotations

from typing import Any

from dangvu.organizations.permissions import can_manage_organization


def can_manage_member(user: Any, member: Any) -> bool:
    """May `user` change `member`'s record or lifecycle? (whoever can manage the member's organization)."""
    return can_manage_organization(user, member.organization)


def can_view_sensitive(user: Any, member: Any) -> bool:
    """May `user` reveal the citizen ID and contact data of `member`? (managers, and the member)."""
    if getattr(user, "is_authenticated", False) and member.user_id and member.user_id == user.pk:
        return True
    return can_manage_member(user, member)
