"""Writes to the party tree. Each runs in one transaction, checks the structure rules in force on
the effective date, re-checks the actor's rights, and records history and an OrganizationEvent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dangvu.core.formats import fmt_int
from dangvu.core.rules import rule
from dangvu.core.text import nfc, search_key
from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.models import Member
from dangvu.reports import tallies

from .admin_units import get_unit
from .models import BASE_KINDS, Kind, Organization, OrganizationEvent
from .permissions import can_manage_organization, is_system_admin

ALLOWED_CHILDREN = "organization.allowed_children"
NOT_ALLOWED = "Không có quyền thay đổi tổ chức này."


def check_structure(*, parent: Organization | None, kind: str, on: date) -> None:
    """Raise a ValidationError naming the regulation if `kind` may not sit under `parent` on `on`."""
    try:
        r = rule(ALLOWED_CHILDREN, on=on)
    except ImproperlyConfigured as exc:
        raise ValidationError(
            {"founded_on": f"Không có quy định về hệ thống tổ chức áp dụng cho ngày {on:%d/%m/%Y}."}
        ) from exc
    allowed: list[str] = r.value.get(parent.kind if parent else "", [])
    if kind not in allowed:
        if parent is None:
            msg = f"{Kind(kind).label} không thể là tổ chức cấp cao nhất ({r.citation})."
        elif not allowed:
            msg = f"{Kind(parent.kind).label} «{parent.name}» không có tổ chức trực thuộc ({r.citation})."
        else:
            names = ", ".join(Kind(k).label.lower() for k in allowed)
            msg = (
                f"{Kind(kind).label} không được trực thuộc {Kind(parent.kind).label.lower()} "
                f"«{parent.name}». Dưới cấp này chỉ có: {names} ({r.citation})."
            )
        raise ValidationError({"kind": msg})


def _check_fields(org: Organization) -> None:
    if org.admin_unit_code and get_unit(org.admin_unit_code) is None:
        raise ValidationError(
            {"admin_unit_code": f"Mã đơn vị hành chính «{org.admin_unit_code}» không có trong danh mục."}
        )
    if org.base_type and org.kind not in BASE_KINDS:
        raise ValidationError(
            {"base_type": "Chỉ tổ chức cơ sở đảng (đảng bộ cơ sở, chi bộ cơ sở) có loại hình cơ sở."}
        )
    clash = Organization.objects.filter(code=org.code).exclude(pk=org.pk).first()
    if clash:
        raise ValidationError({"code": f"Mã «{org.code}» đã được dùng cho «{clash.name}»."})
    try:
        org.full_clean(exclude=["path", "depth", "numchild", "search_key"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _require_manage(actor: Any, org: Organization) -> None:
    if not can_manage_organization(actor, org):
        raise PermissionDenied(NOT_ALLOWED)


def _history(org: Organization, actor: Any, reason: str) -> None:
    org._history_user = actor if getattr(actor, "pk", None) else None
    org._change_reason = reason or None


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    parent: Organization | None,
    code: str,
    name: str,
    kind: str,
    base_type: str = "",
    admin_unit_code: str = "",
    founded_on: date | None = None,
    decision_ref: str = "",
    decision_date: date | None = None,
    border_area: bool = False,
    note: str = "",
    reason: str = "",
) -> Organization:
    """Found an organization under `parent` (None: a root, system administrators only)."""
    if parent is not None:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        _require_manage(actor, parent)
        if parent.is_dissolved:
            raise ValidationError(
                {"parent": f"«{parent.name}» đã giải thể, không thể thành lập tổ chức trực thuộc."}
            )
    elif not is_system_admin(actor):
        raise PermissionDenied(NOT_ALLOWED)
    founded_on = founded_on or timezone.localdate()
    if parent is not None and parent.founded_on and founded_on < parent.founded_on:
        raise ValidationError({"founded_on": f"Ngày thành lập trước ngày thành lập của «{parent.name}»."})
    check_structure(parent=parent, kind=kind, on=founded_on)
    org = Organization(
        code=nfc(code).upper(),
        name=nfc(name),
        kind=kind,
        base_type=base_type,
        admin_unit_code=admin_unit_code.strip(),
        founded_on=founded_on,
        border_area=bool(border_area),
        note=nfc(note),
    )
    org.search_key = search_key(f"{org.name} {org.code}")
    _check_fields(org)
    _history(org, actor, reason or "Thành lập")
    org = (
        Organization.objects.add_root(instance=org)
        if parent is None
        else Organization.objects.add_child(parent, instance=org)
    )
    OrganizationEvent.objects.create(
        organization=org,
        kind=OrganizationEvent.EventKind.CREATED,
        effective_on=founded_on,
        decision_ref=nfc(decision_ref),
        decision_date=decision_date,
        new_parent=parent,
        new_name=org.name,
        reason=nfc(reason),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    tallies.refresh_organizations([org.pk])
    return org


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    org: Organization,
    effective_on: date | None = None,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
    **changes: Any,
) -> Organization:
    """Correct or rename an organization. A change of name is a dated RENAMED event."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    _require_manage(actor, org)
    editable = {"code", "name", "base_type", "admin_unit_code", "note", "founded_on", "border_area"}
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Trường này không sửa được ở đây."})
    old_name = org.name
    for field, value in changes.items():
        if isinstance(value, str):
            value = nfc(value)
            if field == "code":
                value = value.upper()
        setattr(org, field, value)
    org.search_key = search_key(f"{org.name} {org.code}")
    _check_fields(org)
    _history(org, actor, reason)
    org.save()
    renamed = org.name != old_name
    OrganizationEvent.objects.create(
        organization=org,
        kind=OrganizationEvent.EventKind.RENAMED if renamed else OrganizationEvent.EventKind.UPDATED,
        effective_on=effective_on or timezone.localdate(),
        decision_ref=nfc(decision_ref),
        decision_date=decision_date,
        old_name=old_name if renamed else "",
        new_name=org.name if renamed else "",
        reason=nfc(reason),
        data={"fields": sorted(changes)},
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if "base_type" in changes:
        tallies.refresh_organizations([org.pk])
    return org


@transaction.atomic
def organization_move(
    *,
    actor: Any,
    org: Organization,
    new_parent: Organization,
    effective_on: date | None = None,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
) -> Organization:
    """Place `org` (with everything under it) under `new_parent` from `effective_on`."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    _require_manage(actor, org)
    _require_manage(actor, new_parent)
    effective_on = effective_on or timezone.localdate()
    old_parent = Organization.objects.get_parent(org)
    if org.is_dissolved:
        raise ValidationError({"organization": f"«{org.name}» đã giải thể, không thể chuyển."})
    if new_parent.is_dissolved:
        raise ValidationError({"new_parent": f"«{new_parent.name}» đã giải thể."})
    if old_parent and old_parent.pk == new_parent.pk:
        raise ValidationError({"new_parent": f"«{org.name}» đã trực thuộc «{new_parent.name}»."})
    for other, label in ((org, "của tổ chức được chuyển"), (new_parent, f"của «{new_parent.name}»")):
        if other.founded_on and effective_on < other.founded_on:
            raise ValidationError(
                {
                    "effective_on": f"Ngày hiệu lực {effective_on:%d/%m/%Y} trước ngày thành lập {label} "
                    f"({other.founded_on:%d/%m/%Y})."
                }
            )
    if new_parent.path.startswith(org.path):
        raise ValidationError({"new_parent": "Không thể chuyển một tổ chức vào tổ chức trực thuộc chính nó."})
    check_structure(parent=new_parent, kind=org.kind, on=effective_on)
    old_ancestors = tallies.ancestor_ids(org)
    Organization.objects.move(org, new_parent, "last-child")
    OrganizationEvent.objects.create(
        organization=org,
        kind=OrganizationEvent.EventKind.MOVED,
        effective_on=effective_on,
        decision_ref=nfc(decision_ref),
        decision_date=decision_date,
        old_parent=old_parent,
        new_parent=new_parent,
        reason=nfc(reason),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    org.refresh_from_db()
    tallies.subtree_moved(org, old_ancestors, tallies.ancestor_ids(org))
    return org


@transaction.atomic
def organization_dissolve(
    *,
    actor: Any,
    org: Organization,
    effective_on: date | None = None,
    decision_ref: str = "",
    decision_date: date | None = None,
    reason: str = "",
) -> Organization:
    """Dissolve `org`. Its subordinate organizations must be moved or dissolved first."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    _require_manage(actor, org)
    effective_on = effective_on or timezone.localdate()
    if org.is_dissolved:
        raise ValidationError({"organization": f"«{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}."})
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do giải thể."})
    if org.founded_on and effective_on < org.founded_on:
        raise ValidationError({"effective_on": "Ngày giải thể trước ngày thành lập."})
    active_children = Organization.objects.get_children(org).filter(dissolved_on__isnull=True).count()
    if active_children:
        raise ValidationError(
            {
                "organization": f"«{org.name}» còn {active_children} tổ chức trực thuộc đang hoạt động; "
                "hãy chuyển hoặc giải thể các tổ chức này trước."
            }
        )
    counted = Member.objects.filter(organization=org, status__in=ACTIVE_STATUSES).count()
    if counted:
        raise ValidationError(
            {
                "organization": f"«{org.name}» còn {fmt_int(counted)} đảng viên; "
                "hãy chuyển sinh hoạt các đảng viên này trước khi giải thể."
            }
        )
    org.dissolved_on = effective_on
    _history(org, actor, reason)
    org.save(update_fields=["dissolved_on", "updated_at"])
    tallies.refresh_organizations([org.pk])
    OrganizationEvent.objects.create(
        organization=org,
        kind=OrganizationEvent.EventKind.DISSOLVED,
        effective_on=effective_on,
        decision_ref=nfc(decision_ref),
        decision_date=decision_date,
        old_parent=Organization.objects.get_parent(org),
        reason=nfc(reason),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    return org
