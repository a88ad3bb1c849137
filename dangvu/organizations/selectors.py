"""Reads of the party tree. Every one starts from `Organization.objects.visible_to(user)`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dangvu.core.scoping import scope_paths

from .models import Organization, OrganizationEvent


def organization_list(
    *,
    user: Any,
    parent: int | None = None,
    kind: str | None = None,
    q: str = "",
    include_dissolved: bool = False,
) -> QuerySet[Organization]:
    qs = Organization.objects.visible_to(user)
    if parent is not None:
        parent_org = organization_get(user=user, pk=parent)
        qs = qs.filter(path__startswith=parent_org.path, depth=parent_org.depth + 1)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.search(q)
    if not include_dissolved:
        qs = qs.active()
    return qs


def organization_get(*, user: Any, pk: int) -> Organization:
    """The organization, or 404 if it is missing or outside the user's scope."""
    return get_object_or_404(Organization.objects.visible_to(user), pk=pk)


def scope_roots(*, user: Any) -> list[Organization]:
    """The topmost organizations the user can see: where the tree browser starts."""
    paths = scope_paths(user)
    if paths is None:
        return list(Organization.objects.filter(depth=1))
    roots = sorted({p for p, _ in paths})
    # Drop roots that lie inside another root of the same user.
    top = [p for p in roots if not any(p != o and p.startswith(o) for o in roots)]
    return list(Organization.objects.filter(path__in=top))


def breadcrumbs(*, user: Any, org: Organization) -> list[Organization]:
    """Ancestors of `org` that the user may see, top down."""
    steplen = Organization.steplen
    prefixes = [org.path[: steplen * d] for d in range(1, org.depth)]
    return list(Organization.objects.visible_to(user).filter(path__in=prefixes).order_by("depth"))


def children_with_counts(
    *, user: Any, org: Organization, include_dissolved: bool = False
) -> list[Organization]:
    """The children of `org`, each with `descendant_counts` {kind: n} of the active organizations
    under it and `descendant_total`, in two queries whatever the size of the subtree."""
    children_qs = Organization.objects.visible_to(user).filter(path__startswith=org.path, depth=org.depth + 1)
    children = list(children_qs if include_dissolved else children_qs.active())
    width = (org.depth + 1) * Organization.steplen
    rows = (
        Organization.objects.active()
        .filter(path__startswith=org.path, depth__gt=org.depth + 1)
        .annotate(prefix=Substr("path", 1, width))
        .order_by()  # the default path ordering would split the GROUP BY
        .values("prefix", "kind")
        .annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["prefix"]][row["kind"]] = row["n"]
    for child in children:
        child.descendant_counts = counts.get(child.path, {})
        child.descendant_total = sum(child.descendant_counts.values())
    return children


def subtree_kind_counts(*, org: Organization) -> dict[str, int]:
    """Active organizations under `org` (itself excluded) by kind."""
    rows = (
        Organization.objects.active()
        .filter(path__startswith=org.path, depth__gt=org.depth)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
    )
    return {r["kind"]: r["n"] for r in rows}


def organization_events(*, org: Organization) -> QuerySet[OrganizationEvent]:
    return org.events.select_related("actor", "old_parent", "new_parent").order_by("-effective_on", "-id")


def parent_map_as_of(*, on: date, org_ids: list[int] | None = None) -> dict[int, int | None]:
    """Each organization's parent as the tree stood on `on`, rebuilt from OrganizationEvents.

    Organizations not yet founded on `on` are left out. The last MOVED event on or before `on`
    gives the parent; with none, the parent is the one the organization was created under.
    """
    events = OrganizationEvent.objects.filter(kind__in=["created", "moved"]).order_by("effective_on", "id")
    if org_ids is not None:
        events = events.filter(organization_id__in=org_ids)
    result: dict[int, int | None] = {}
    for ev in events.filter(effective_on__lte=on).values("organization_id", "new_parent_id"):
        result[ev["organization_id"]] = ev["new_parent_id"]  # later events override earlier ones
    return result


def tree_nodes(
    *, user: Any, parent: Organization | None = None, include_dissolved: bool = False
) -> list[Organization]:
    """Nodes for the tree browser: the user's scope roots (`parent` None) or the visible children of
    `parent`, each with `child_count`, the number of its visible children. Two queries."""
    if parent is None:
        nodes = scope_roots(user=user)
    else:
        nodes = list(
            Organization.objects.visible_to(user).filter(path__startswith=parent.path, depth=parent.depth + 1)
        )
    if not include_dissolved:
        nodes = [n for n in nodes if not n.is_dissolved]
    counts: dict[str, int] = {}
    for depth in {n.depth for n in nodes}:
        same_depth = [n for n in nodes if n.depth == depth]
        under = Q(pk__in=[])
        for node in same_depth:
            under |= Q(path__startswith=node.path)
        qs = Organization.objects.visible_to(user).filter(under, depth=depth + 1)
        if not include_dissolved:
            qs = qs.active()
        # order_by(): the default path ordering would split the GROUP BY.
        rows = qs.order_by().annotate(prefix=Substr("path", 1, depth * Organization.steplen)).values("prefix")
        counts.update({r["prefix"]: r["n"] for r in rows.annotate(n=Count("id"))})
    for node in nodes:
        node.child_count = counts.get(node.path, 0)
    return nodes


def organization_search(
    *, user: Any, q: str, include_dissolved: bool = False, limit: int = 30
) -> tuple[list[Organization], int]:
    """Organizations matching `q` (diacritic-insensitive), higher levels first, each with
    `ancestors`: the ancestors the user may see, top down. Returns (first `limit`, total count)."""
    qs = organization_list(user=user, q=q, include_dissolved=include_dissolved).order_by("depth", "path")
    results = list(qs[:limit])
    total = len(results) if len(results) < limit else qs.count()
    steplen = Organization.steplen
    prefixes = {r.path[: steplen * d] for r in results for d in range(1, r.depth)}
    found = {o.path: o for o in Organization.objects.visible_to(user).filter(path__in=prefixes)}
    for r in results:
        r.ancestors = [found[p] for p in (r.path[: steplen * d] for d in range(1, r.depth)) if p in found]
    return results, total


def move_targets(*, user: Any, org: Organization, q: str = "") -> QuerySet[Organization]:
    """Where `org` may be moved: active organizations the user sees and may manage, outside `org`'s
    own subtree, other than its current parent, of a kind that may hold `org`'s kind under the
    structure rule in force today (the service re-checks the rule on the effective date)."""
    from dangvu.core.rules import rule

    from .permissions import managed_paths

    allowed = rule("organization.allowed_children", on=timezone.localdate()).value
    parent_kinds = [
        parent_kind for parent_kind, kinds in allowed.items() if parent_kind and org.kind in kinds
    ]
    qs = (
        Organization.objects.visible_to(user)
        .active()
        .filter(kind__in=parent_kinds)
        .exclude(path__startswith=org.path)
        .exclude(path=org.path[: -Organization.steplen])
    )
    paths = managed_paths(user)
    if paths is not None:
        managed = Q(pk__in=[])
        for path in paths:
            managed |= Q(path__startswith=path)
        qs = qs.filter(managed)
    if q:
        qs = qs.search(q)
    return qs.order_by("depth", "path")


def with_visible_parent(qs: QuerySet[Organization], *, user: Any) -> QuerySet[Organization]:
    """Annotate `visible_parent_id`: the parent's id when the user may see it, else NULL.

    One correlated subquery on the unique `path` index, so a page costs one query.
    """
    parent_path = Substr(OuterRef("path"), 1, (OuterRef("depth") - 1) * Organization.steplen)
    parents = Organization.objects.visible_to(user).filter(path=parent_path).order_by()
    return qs.annotate(visible_parent_id=Subquery(parents.values("pk")[:1]))
