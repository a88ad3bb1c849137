"""Admission targets of the demo for the year of the seeding day, set by the province's staff.

The admissions are already in the member history (seeded lives and the candidates admitted by the
demo), so the targets are fitted to them, not the other way round: the province's target is what
puts it at 53–57% of it on the seeding day (never below last year's admissions plus 5%, so a seed
run early in the year still gets a sensible target), and it is shared out among the province's
children in proportion to their admissions over a progress drawn for each (35–95%): some communes
are ahead, some behind, and the children's targets add up exactly to the province's. Women, ethnic
minorities and the border communes get segment targets on the same principle.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date
from typing import Any

from dangvu.admissions import services
from dangvu.admissions.choices import Segment
from dangvu.members.choices import KINH, Gender
from dangvu.members.models import MemberEvent

from ...models import Organization

SHARE = (0.53, 0.57)  # the province's progress on the seeding day
CHILD_SHARE = (0.35, 0.95)
SEGMENT_SHARE = {
    Segment.FEMALE: (0.48, 0.62),
    Segment.ETHNIC_MINORITY: (0.5, 0.6),
    Segment.BORDER: (0.45, 0.62),
}


def seed_targets(*, province: Organization, actor: Any, seed: int, as_of: date) -> None:
    year = as_of.year
    rng = random.Random(f"{seed}:targets:{province.code}:{year}")
    children = list(
        Organization.objects.filter(
            path__startswith=province.path, depth=province.depth + 1, dissolved_on__isnull=True
        ).order_by("path")
    )
    border_paths = [
        p
        for p in Organization.objects.filter(path__startswith=province.path, border_area=True).values_list(
            "path", flat=True
        )
    ]
    top = len(province.path) + Organization.steplen
    admitted: dict[str, Counter] = {c.path: Counter() for c in children}
    total: Counter = Counter()
    events = MemberEvent.objects.filter(
        kind=MemberEvent.Kind.ADMITTED,
        effective_on__gte=date(year, 1, 1),
        effective_on__lte=as_of,
        organization__path__startswith=province.path,
    ).values_list("organization__path", "member__gender", "member__ethnicity")
    for path, gender, ethnicity in events:
        keys = [Segment.TOTAL]
        if gender == Gender.FEMALE:
            keys.append(Segment.FEMALE)
        if ethnicity != KINH:
            keys.append(Segment.ETHNIC_MINORITY)
        if any(path.startswith(b) for b in border_paths):
            keys.append(Segment.BORDER)
        for key in keys:
            total[key] += 1
            if path[:top] in admitted:
                admitted[path[:top]][key] += 1
    last_year = MemberEvent.objects.filter(
        kind=MemberEvent.Kind.ADMITTED,
        effective_on__year=year - 1,
        organization__path__startswith=province.path,
    ).count()
    ref = f"{rng.randint(1200, 2900)}-QĐ/TU"
    note = f"Chỉ tiêu phát triển đảng viên năm {year}"

    def give(org: Organization, segment: str, target: int) -> None:
        services.target_set(
            actor=actor,
            organization=org,
            year_from=year,
            segment=segment,
            target=target,
            decision_ref=ref,
            note=note,
        )

    wanted = max(total[Segment.TOTAL] / rng.uniform(*SHARE), last_year * 1.05, 10)
    province_target = math.ceil(wanted / 10) * 10
    give(province, Segment.TOTAL, province_target)
    for segment, (low, high) in SEGMENT_SHARE.items():
        if total[segment]:
            # A segment's target is a part of the total (services.target_set refuses more).
            give(
                province,
                segment,
                min(max(math.ceil(total[segment] / rng.uniform(low, high)), 1), province_target),
            )
    shares = split(
        province_target,
        [(admitted[c.path][Segment.TOTAL] + 0.5) / rng.uniform(*CHILD_SHARE) for c in children],
    )
    for child, target in zip(children, shares, strict=True):
        give(child, Segment.TOTAL, target)
        for segment in (Segment.FEMALE, Segment.ETHNIC_MINORITY, Segment.BORDER):
            n = admitted[child.path][segment]
            if n and (segment != Segment.BORDER or child.border_area):
                low, high = SEGMENT_SHARE[segment]
                give(child, segment, min(max(math.ceil(n / rng.uniform(low, high)), 1), target))


def split(total: int, weights: list[float]) -> list[int]:
    """`total` shared out in proportion to `weights`, each part at least 1 (when `total` allows),
    the parts adding up to `total` exactly (largest remainders)."""
    if not weights:
        return []
    floor = 1 if total >= len(weights) else 0
    rest = total - floor * len(weights)
    scale = rest / sum(weights)
    raw = [w * scale for w in weights]
    parts = [floor + int(x) for x in raw]
    missing = total - sum(parts)
    for i in sorted(range(len(raw)), key=lambda i: -(raw[i] - int(raw[i])))[:missing]:
        parts[i] += 1
    return parts
