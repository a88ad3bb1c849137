"""Reads of the quality review: rounds in scope, progress per organization, what is still missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from dangvu.organizations.models import Organization

from . import services
from .choices import LEVEL_ORDER, Level, Subject
from .models import EvaluationRound, MemberRating, OrganizationRating


def round_list(*, user: Any) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.visible_to(user).select_related("organization", "legal_basis")


def round_get(*, user: Any, pk: int) -> EvaluationRound:
    return get_object_or_404(round_list(user=user), pk=pk)


def _counts() -> dict[str, Any]:
    counts: dict[str, Any] = {
        "total": Count("pk"),
        "rankable": Count("pk", filter=Q(ranked=True)),
        "self_assessed": Count("pk", filter=Q(ranked=True, self_submitted_at__isnull=False)),
        "proposed": Count("pk", filter=Q(ranked=True) & ~Q(proposed_level="")),
        "voted": Count("pk", filter=Q(ranked=True, voted_at__isnull=False)),
        "decided": Count("pk", filter=Q(ranked=True) & ~Q(decided_level="")),
    }
    for level in LEVEL_ORDER:
        counts[level.value] = Count("pk", filter=Q(ranked=True, decided_level=level))
    return counts


@dataclass
class Progress:
    """Where a round stands under one organization: its own line, one line per child, the total."""

    organization: Organization
    total: dict[str, int]
    own: dict[str, int] | None
    children: list[tuple[Organization, dict[str, int]]]
    organizations: dict[str, int]
    violations: list = field(default_factory=list)

    @staticmethod
    def distribution(row: dict[str, int]) -> list[dict[str, Any]]:
        """Each level's count and its share of the decided ratings."""
        decided = row.get("decided", 0)
        return [
            {
                "level": level.value,
                "label": level.label,
                "count": row.get(level.value, 0),
                "share": (row.get(level.value, 0) / decided) if decided else None,
            }
            for level in LEVEL_ORDER
        ]


def progress(*, round: EvaluationRound, organization: Organization) -> Progress:
    """x/y reviewed per child organization, the level distribution, the organizations' ratings and
    the rule violations under `organization` (which the caller has checked is visible)."""
    depth = organization.depth
    step = Organization.steplen
    rows = (
        MemberRating.objects.filter(round=round, organization__path__startswith=organization.path)
        .order_by()
        .annotate(prefix=Substr("organization__path", 1, (depth + 1) * step))
        .values("prefix")
        .annotate(**_counts())
    )
    by_prefix = {r.pop("prefix"): r for r in rows}
    zero = {k: 0 for k in _counts()}
    children = list(
        Organization.objects.filter(path__startswith=organization.path, depth=depth + 1).order_by("path")
    )
    child_rows = [
        (c, by_prefix.get(c.path, dict(zero)))
        for c in children
        if c.path in by_prefix or c.dissolved_on is None
    ]
    own = by_prefix.get(organization.path)
    total = dict(zero)
    for row in by_prefix.values():
        for k, v in row.items():
            total[k] += v
    org_rows = OrganizationRating.objects.filter(
        round=round, organization__path__startswith=organization.path, subject=Subject.ORGANIZATION
    ).aggregate(
        total=Count("pk"),
        proposed=Count("pk", filter=~Q(proposed_level="")),
        decided=Count("pk", filter=~Q(decided_level="")),
        **{lvl.value: Count("pk", filter=Q(decided_level=lvl)) for lvl in LEVEL_ORDER},
    )
    return Progress(
        organization=organization,
        total=total,
        own=own,
        children=child_rows,
        organizations=org_rows,
        violations=services.round_violations(round, under=organization),
    )


def missing_reason(rating: MemberRating) -> str:
    """Why a member has no final level yet (the step that blocks it), or why they are not ranked."""
    if not rating.ranked:
        return rating.not_ranked_reason or "Không thuộc diện xếp loại"
    if rating.decided_level:
        return ""
    if not rating.proposed_level:
        return "Chưa tự đánh giá" if not rating.self_submitted_at else "Chi ủy chưa đề xuất"
    if not rating.voted_at:
        return "Chi bộ chưa biểu quyết"
    suffix = " (đảng viên chưa nộp bản tự đánh giá)" if not rating.self_submitted_at else ""
    return "Cấp có thẩm quyền chưa quyết định" + suffix


def pending_ratings(*, round: EvaluationRound, organization: Organization) -> QuerySet[MemberRating]:
    """Ratings under `organization` without a final level, and members not ranked, in name order."""
    return (
        MemberRating.objects.filter(round=round, organization__path__startswith=organization.path)
        .filter(Q(ranked=False) | Q(decided_level=""))
        .select_related("member", "organization")
        .order_by("organization__path", "member__name_sort", "pk")
    )


def cell_ratings(*, round: EvaluationRound, organization: Organization) -> QuerySet[MemberRating]:
    """The ratings of the members counted directly in `organization` (the secretary's screen)."""
    return (
        MemberRating.objects.filter(round=round, organization=organization)
        .select_related("member")
        .order_by("member__name_sort", "pk")
    )


def my_ratings(*, user: Any) -> QuerySet[MemberRating]:
    """The signed-in member's own ratings, newest round first."""
    if not getattr(user, "is_authenticated", False):
        return MemberRating.objects.none()
    return (
        MemberRating.objects.filter(member__user=user)
        .select_related("round", "organization")
        .order_by("-round__period_end", "-pk")
    )


LEVEL_LABELS = {lvl.value: lvl.label for lvl in Level}
