"""Reads of congress rounds: progress "held/total (ratio)" per child organization as of any date,
what is missing or overdue, rounds in scope, the committee in office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangvu.core.formats import fmt_progress
from dangvu.organizations.models import Kind, Organization

from .choices import Position
from .models import CommitteeMembership, Congress, CongressRound


@dataclass
class ProgressRow:
    """One child organization's line: its congresses (its own and those under it)."""

    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    held: int
    total: int
    planned: int
    overdue: int
    ratio_text: str
    drillable: bool


@dataclass
class Progress:
    """Where a round stands under one organization on `as_of`."""

    round: CongressRound
    organization: Organization
    as_of: date
    held: int
    total: int
    planned: int
    overdue: int
    ratio_text: str
    children: list[ProgressRow]


def round_list(*, user: Any) -> QuerySet[CongressRound]:
    return CongressRound.objects.visible_to(user).select_related("organization", "legal_basis")


def round_get(*, user: Any, pk: int) -> CongressRound:
    """A round in the user's scope, or 404."""
    return get_object_or_404(round_list(user=user), pk=pk)


def congress_get(*, user: Any, pk: int) -> Congress:
    """A congress of an organization in the user's scope, or 404."""
    qs = Congress.objects.visible_to(user).select_related("round", "round__organization", "organization")
    return get_object_or_404(qs, pk=pk)


def rounds_for(user: Any, org: Organization) -> QuerySet[CongressRound]:
    """Rounds the user sees whose subtree contains `org` (opened above it) or lies under it."""
    step = Organization.steplen
    prefixes = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    return round_list(user=user).filter(
        Q(organization__path__in=prefixes) | Q(organization__path__startswith=org.path)
    )


def _in_total(on: date) -> Q:
    """Congress rows counted in the total on `on`: not excluded (or excluded for a dissolution that
    came after `on`), and of an organization that existed by then."""
    founded = Q(organization__founded_on__isnull=True) | Q(organization__founded_on__lte=on)
    return founded & (Q(excluded=False) | Q(excluded=True, organization__dissolved_on__gt=on))


def _counts(on: date) -> dict[str, Count]:
    total = _in_total(on)
    held = total & Q(held_on__lte=on)
    not_held = total & (Q(held_on__isnull=True) | Q(held_on__gt=on))
    return {
        "held": Count("pk", filter=held),
        "total": Count("pk", filter=total),
        "planned": Count("pk", filter=not_held & Q(planned_on__isnull=False)),
        "not_held": Count("pk", filter=not_held),
    }


def progress(round: CongressRound, org: Organization, *, as_of: date | None = None) -> Progress:
    """held/total of the round's congresses under `org` on `as_of` (default today), one line per
    child of `org`, counted in one GROUP BY on the child's path prefix. `org` itself counts when it
    holds a congress of the round. The caller has checked that `org` is visible."""
    on = as_of or timezone.localdate()
    depth, step = org.depth, Organization.steplen
    rows = (
        Congress.objects.filter(round=round, organization__path__startswith=org.path)
        .order_by()
        .annotate(prefix=Substr("organization__path", 1, (depth + 1) * step))
        .values("prefix")
        .annotate(**_counts(on), deeper=Count("pk", filter=Q(organization__depth__gt=depth + 1)))
    )
    by_prefix = {r.pop("prefix"): r for r in rows}
    late = on > round.deadline
    for r in by_prefix.values():
        r["overdue"] = r["not_held"] if late else 0
    kinds = dict(Kind.choices)
    children = []
    for child in Organization.objects.filter(path__in=[p for p in by_prefix if p != org.path]).order_by(
        "path"
    ):
        r = by_prefix[child.path]
        children.append(
            ProgressRow(
                id=child.pk,
                code=child.code,
                name=child.name,
                kind=child.kind,
                kind_label=kinds.get(child.kind, child.kind),
                held=r["held"],
                total=r["total"],
                planned=r["planned"],
                overdue=r["overdue"],
                ratio_text=fmt_progress(r["held"], r["total"]),
                drillable=r["deeper"] > 0,
            )
        )
    sums = {k: sum(r[k] for r in by_prefix.values()) for k in ("held", "total", "planned", "overdue")}
    return Progress(
        round=round,
        organization=org,
        as_of=on,
        held=sums["held"],
        total=sums["total"],
        planned=sums["planned"],
        overdue=sums["overdue"],
        ratio_text=fmt_progress(sums["held"], sums["total"]),
        children=children,
    )


def missing(round: CongressRound, org: Organization, *, as_of: date | None = None) -> list[Congress]:
    """Congresses under `org` counted in the total but not held on `as_of`, in tree order, each with
    its planned date and an `overdue` attribute (the deadline passed by `as_of`)."""
    on = as_of or timezone.localdate()
    rows = list(
        Congress.objects.filter(round=round, organization__path__startswith=org.path)
        .filter(_in_total(on))
        .filter(Q(held_on__isnull=True) | Q(held_on__gt=on))
        .select_related("organization")
        .order_by("organization__path")
    )
    for c in rows:
        c.overdue = on > round.deadline  # type: ignore[attr-defined]
    return rows


POSITION_ORDER = {Position.SECRETARY: 0, Position.DEPUTY: 1, Position.MEMBER: 2}


def current_committee(org: Organization, *, on: date | None = None) -> list[CommitteeMembership]:
    """The committee of `org` in office on `on` (default today): secretary, deputies, then members,
    each group in Vietnamese name order."""
    rows = list(
        CommitteeMembership.objects.current(on=on)
        .filter(organization=org)
        .select_related("member", "congress")
        .order_by("member__name_sort", "member_id")
    )
    return sorted(rows, key=lambda m: POSITION_ORDER.get(m.position, 9))
