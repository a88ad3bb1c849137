"""Writes for accounts: roles and API tokens."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.organizations.models import Organization

from .models import AccessLog, ApiToken, OrgRole, Role, User, hash_token
from .permissions import can_grant_role

TOKEN_PREFIX = "dv_"


@transaction.atomic
def org_role_grant(
    *,
    actor: Any,
    user: User,
    organization: Organization,
    role: str,
    granted_on: date | None = None,
    reason: str = "",
) -> OrgRole:
    """Give `user` `role` in `organization` from `granted_on` (default today)."""
    if not can_grant_role(actor, organization, role):
        raise PermissionDenied("Không có quyền giao vai trò này tại tổ chức này.")
    if role not in Role.values:
        raise ValidationError({"role": "Vai trò không hợp lệ."})
    if OrgRole.objects.active().filter(user=user, organization=organization, role=role).exists():
        raise ValidationError({"role": f"{user} đã có vai trò «{Role(role).label}» tại «{organization}»."})
    grant = OrgRole(
        user=user,
        organization=organization,
        role=role,
        granted_on=granted_on or timezone.localdate(),
        granted_by=actor if getattr(actor, "pk", None) else None,
        reason=reason,
    )
    grant.full_clean()
    grant._history_user = grant.granted_by
    grant._change_reason = reason or "Giao vai trò"
    grant.save()
    return grant


@transaction.atomic
def org_role_revoke(
    *, actor: Any, grant: OrgRole, revoked_on: date | None = None, reason: str = ""
) -> OrgRole:
    """End a role from `revoked_on` (default today). The row stays, for the record."""
    grant = OrgRole.objects.select_for_update().get(pk=grant.pk)
    if not can_grant_role(actor, grant.organization, grant.role):
        raise PermissionDenied("Không có quyền thu hồi vai trò này.")
    if grant.revoked_on is not None:
        raise ValidationError({"revoked_on": "Vai trò này đã được thu hồi."})
    revoked_on = revoked_on or timezone.localdate()
    if revoked_on < grant.granted_on:
        raise ValidationError({"revoked_on": "Ngày thu hồi trước ngày giao."})
    grant.revoked_on = revoked_on
    grant.revoked_by = actor if getattr(actor, "pk", None) else None
    grant._history_user = grant.revoked_by
    grant._change_reason = reason or "Thu hồi vai trò"
    grant.save(update_fields=["revoked_on", "revoked_by", "updated_at"])
    return grant


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the row and the raw token, which is shown only once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw))
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw bearer token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def access_log_write(
    *,
    user: User,
    action: str,
    object_type: str,
    object_id: str = "",
    detail: str = "",
    request: Any = None,
) -> AccessLog:
    """Record that `user` revealed, exported or imported data (who, what, when, from where)."""
    if action not in AccessLog.Action.values:
        raise ValidationError({"action": "Thao tác không hợp lệ."})
    ip = None
    if request is not None:
        from django.core.validators import validate_ipv46_address

        ip = request.META.get("REMOTE_ADDR") or None
        try:
            if ip:
                validate_ipv46_address(ip)
        except ValidationError:
            ip = None
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type[:40],
        object_id=str(object_id)[:40],
        detail=detail[:500],
        ip_address=ip,
    )
