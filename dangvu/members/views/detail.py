"""A member's page: the record, the timeline of events, the history of corrections.

Sensitive fields (citizen ID, ethnicity, religion, discipline, and their past values) are masked
until a user allowed to see them presses "Hiện thông tin ẩn"; each reveal is written to the
access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangvu.accounts.models import AccessLog
from dangvu.accounts.services import access_log_write

from .. import rules, selectors
from ..choices import ETHNICITY_CHOICES
from ..models import Member, MemberEvent, Transfer
from ..permissions import can_manage_member, can_view_sensitive
from .common import ancestors, partial

SENSITIVE_FIELDS = {"citizen_id", "ethnicity", "religion"}
HIDDEN = "Đã ẩn"
HISTORY_SKIP = {"id", "created_at", "updated_at", "search_key", "name_sort"}
ETHNICITY = dict(ETHNICITY_CHOICES)


def mask_citizen_id(value: str | None) -> str:
    if not value:
        return "—"
    return "•" * (len(value) - 4) + value[-4:]


def _display(field_name: str, value: Any) -> str:
    """A historical value as a person reads it: choice labels, dd/mm/yyyy, names of organizations."""
    if value in (None, ""):
        return "—"
    try:
        field = Member._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field since removed from the model
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def _label(field_name: str) -> str:
    try:
        label = str(Member._meta.get_field(field_name).verbose_name)
    except Exception:  # noqa: BLE001
        return field_name
    return label[0].upper() + label[1:]


def history_entries(member: Member, *, revealed: bool) -> list[dict[str, Any]]:
    """Each saved version of the record with what changed: field, before, after; who, when, why."""
    records = list(selectors.member_history(member=member))
    entries = []
    for i, rec in enumerate(records):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None:
            for change in rec.diff_against(prev).changes:
                if change.field in HISTORY_SKIP:
                    continue
                hidden = change.field in SENSITIVE_FIELDS and not revealed
                changes.append(
                    {
                        "label": _label(change.field),
                        "old": HIDDEN if hidden else _display(change.field, change.old),
                        "new": HIDDEN if hidden else _display(change.field, change.new),
                    }
                )
            if not changes:
                continue
        entries.append(
            {
                "at": rec.history_date,
                "user": rec.history_user,
                "reason": rec.history_change_reason,
                "created": prev is None,
                "changes": changes,
            }
        )
    return entries


def _context(request: HttpRequest, member: Member, *, revealed: bool) -> dict[str, Any]:
    today = timezone.localdate()
    events = list(selectors.member_events(member=member))
    may_see = can_view_sensitive(request.user, member)
    revealed = revealed and may_see
    shown_events = [e for e in events if revealed or e.kind != MemberEvent.Kind.DISCIPLINED]
    years, months = rules.party_age(member, today)
    return {
        "member": member,
        "org": member.organization,
        "ancestors": ancestors(request, member.organization),
        "events": shown_events,
        "has_hidden_events": not revealed,
        "history": history_entries(member, revealed=revealed),
        "transfers": member.transfers.select_related("from_org", "to_org").filter(
            state__in=[Transfer.State.PENDING, Transfer.State.ACTIVE]
        ),
        "party_age": (years, months),
        "expected_official_on": rules.expected_official_on(member),
        "age": rules.age_in_months(member.birth_date, today) // 12,
        "revealed": revealed,
        "can_view_sensitive": may_see,
        "can_manage": can_manage_member(request.user, member),
        "citizen_id_masked": mask_citizen_id(member.citizen_id),
        "ethnicity_label": ETHNICITY.get(member.ethnicity, member.ethnicity),
        "hidden": HIDDEN,
        "is_active": member.is_counted,
    }


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    return render(request, "members/detail.html", _context(request, member, revealed=False))


@login_required
@require_POST
def member_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    if not can_view_sensitive(request.user, member):
        raise Http404
    access_log_write(
        user=request.user,
        action=AccessLog.Action.REVEAL,
        object_type="member",
        object_id=str(member.pk),
        detail=f"Xem thông tin ẩn (CCCD, dân tộc, tôn giáo, kỷ luật) của {member.full_name}",
        request=request,
    )
    context = _context(request, member, revealed=True)
    return render(request, partial(request, "members/detail.html", "member-body"), context)
