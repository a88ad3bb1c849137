"""Figures of the quality review for the statistics pages and the outputs.

`ranking_distribution` answers "how were the members and organizations under X ranked in year Y"
from the latest finished round that covers X and that year. `collective_counts` is the collective
half of `selectors.progress` split per child organization (the summary sheet needs both halves), and
`cap_checks` says where under an organization the HTXS cap is broken.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Substr

from dangvu.organizations.models import Organization

from . import rules
from .choices import LEVEL_ORDER, LEVEL_SHORT, Period, RoundState, Subject
from .models import EvaluationRound, MemberRating, OrganizationRating
from .selectors import Progress
from .services import DECIDING_KINDS


def _level_counts() -> dict[str, Any]:
    return {lvl.value: Count("pk", filter=Q(decided_level=lvl)) for lvl in LEVEL_ORDER}


def collective_counts(*, round: EvaluationRound, organization: Organization) -> dict[str, dict[str, int]]:
    """Collective ratings (subject "organization") under `organization`, per child path prefix:
    {prefix: {total, proposed, decided, htxs, htt, ht, kht}}; the organization's own rating is under
    its own path."""
    step = Organization.steplen
    rows = (
        OrganizationRating.objects.filter(
            round=round, subject=Subject.ORGANIZATION, organization__path__startswith=organization.path
        )
        .order_by()
        .annotate(prefix=Substr("organization__path", 1, (organization.depth + 1) * step))
        .values("prefix")
        .annotate(
            total=Count("pk"),
            proposed=Count("pk", filter=~Q(proposed_level="")),
            decided=Count("pk", filter=~Q(decided_level="")),
            **_level_counts(),
        )
    )
    return {r.pop("prefix"): r for r in rows}


def latest_closed_round(organization: Organization, year: int) -> EvaluationRound | None:
    """The latest closed round whose period overlaps `year` and whose subtree holds `organization`
    (opened by it or by an organization above it). A yearly round wins over a quarter or a term."""
    step = Organization.steplen
    own_and_above = [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]
    return (
        EvaluationRound.objects.filter(
            state=RoundState.CLOSED,
            organization__path__in=own_and_above,
            period_start__lte=date(year, 12, 31),
            period_end__gte=date(year, 1, 1),
        )
        .annotate(
            yearly=Case(
                When(period=Period.YEAR, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("yearly", "-period_end", "-closed_on", "-pk")
        .first()
    )


def _distribution(row: dict[str, int]) -> list[dict[str, Any]]:
    return [{**d, "short": LEVEL_SHORT[d["level"]]} for d in Progress.distribution(row)]


def ranking_distribution(organization: Organization, year: int) -> dict[str, Any] | None:
    """The decided levels of the members and of the organizations under `organization` in the latest
    closed round covering `year`; None when no such round exists. The caller has checked that the
    organization is visible.

    Shares are fractions of the decided ratings (as in `Progress.distribution`)."""
    rnd = latest_closed_round(organization, year)
    if rnd is None:
        return None
    members = MemberRating.objects.filter(
        round=rnd, organization__path__startswith=organization.path
    ).aggregate(
        total=Count("pk"),
        rankable=Count("pk", filter=Q(ranked=True)),
        decided=Count("pk", filter=Q(ranked=True) & ~Q(decided_level="")),
        **{lvl.value: Count("pk", filter=Q(ranked=True, decided_level=lvl)) for lvl in LEVEL_ORDER},
    )
    orgs = OrganizationRating.objects.filter(
        round=rnd, subject=Subject.ORGANIZATION, organization__path__startswith=organization.path
    ).aggregate(total=Count("pk"), decided=Count("pk", filter=~Q(decided_level="")), **_level_counts())
    return {
        "round": {
            "id": rnd.pk,
            "name": rnd.name,
            "period": rnd.period,
            "year": rnd.year,
            "period_start": rnd.period_start,
            "period_end": rnd.period_end,
            "closed_on": rnd.closed_on,
        },
        "members": {
            "total": members["total"],
            "ranked": members["rankable"],
            "not_ranked": members["total"] - members["rankable"],
            "decided": members["decided"],
            "levels": _distribution(members),
        },
        "organizations": {
            "total": orgs["total"],
            "decided": orgs["decided"],
            "levels": _distribution(orgs),
        },
    }


def _cap_text(bodies: list[tuple[Organization, str]], here: Organization | None) -> str:
    """ "Vượt: Có 1 đảng viên HTXS, vượt mức tối đa 0 (…)" for the row's own committee, or the names of
    the committees below it that break the cap (the regulation is named in the sheet's note)."""
    if len(bodies) == 1 and here is not None and bodies[0][0].pk == here.pk:
        message = bodies[0][1].removeprefix(f"{here.name}: ").rsplit(" theo ", 1)[0]
        return f"Vượt: {message}"
    return f"Vượt ở {len(bodies)} nơi: " + "; ".join(body.name for body, _m in bodies)


def cap_checks(rnd: EvaluationRound, prog: Progress) -> tuple[dict[str, str], str]:
    """The cap column: {child path: text}, and the text of the total row (which also carries the
    committees at or above the organization: a commune decides for the cells directly under it)."""
    percent, source = rules.excellent_cap(on=rnd.period_end)
    if percent is None:
        return {}, f"Không áp dụng ({source})"
    caps = [v for v in prog.violations if v.code == "cap"]
    orgs = Organization.objects.in_bulk([v.organization_id for v in caps])
    by_child: dict[str, list[tuple[Organization, str]]] = {}
    own: list[tuple[Organization, str]] = []
    for v in caps:
        body = orgs[v.organization_id]
        child = next((c.path for c, _row in prog.children if body.path.startswith(c.path)), None)
        (by_child.setdefault(child, []) if child else own).append((body, v.message))
    deciders = list(
        Organization.objects.filter(
            path__startswith=prog.organization.path, kind__in=DECIDING_KINDS
        ).values_list("path", flat=True)
    )
    texts = {}
    for c, _row in prog.children:
        if c.path in by_child:
            texts[c.path] = _cap_text(by_child[c.path], c)
        elif any(p.startswith(c.path) for p in deciders):
            texts[c.path] = "Đạt"
        else:  # its members count with those of the committee above (a village cell of a commune)
            texts[c.path] = "Tính chung ở cấp trên"
    if not caps:
        return texts, "Đạt"
    total = f"Vượt ở {len(caps)} nơi"
    if own:
        total = (
            _cap_text(own, prog.organization)
            if len(caps) == 1
            else f"{total}, trong đó {_cap_text(own, None)}"
        )
    return texts, total
