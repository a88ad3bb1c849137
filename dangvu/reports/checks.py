"""Reconciliation of the figures: what `dangvu check-statistics` runs.

Three rules, each reported per organization and key with the two numbers that differ:
1. roll-up: for every organization under X on date D, total == own + the sum of its children's
   totals (from the event history; today also in the stored counters, over the current tree);
2. today only: the stored counters equal what the event history gives, and the stored `own` equals
   a fresh count of the members and organizations tables (`tallies.own_counts`);
3. the period identity for the year to date: opening + increase − decrease == closing, when the
   tree under X did not change in that period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from dangvu.core.formats import fmt_int
from dangvu.organizations.models import Organization

from . import figures, statistics, tallies
from .models import Tally

ROLLUP = "rollup"
HISTORY = "history"
OWN = "own"
PERIOD = "period"


@dataclass(frozen=True)
class Difference:
    """Two numbers that should be equal and are not."""

    check: str  # ROLLUP, HISTORY, OWN or PERIOD
    organization_id: int
    code: str
    name: str
    key: str
    left_label: str
    left: int
    right_label: str
    right: int

    def __str__(self) -> str:
        return (
            f"{self.code} «{self.name}» — {self.key}: {self.left_label} {fmt_int(self.left)} ≠ "
            f"{self.right_label} {fmt_int(self.right)}"
        )


def check_statistics(org: Organization, on: date | None = None) -> list[Difference]:
    """Every difference found under `org` on `on` (today by default); empty when all reconcile."""
    today = timezone.localdate()
    on = on or today
    tree = figures.tree_as_of(org, on)
    own, total = figures.counts_as_of(tree)
    names = {pk: (info["code"], info["name"]) for pk, info in tree.info.items()}

    def diff(check: str, org_id: int, key: str, left: tuple[str, int], right: tuple[str, int]) -> Difference:
        code, name = names[org_id]
        return Difference(check, org_id, code, name, key, left[0], left[1], right[0], right[1])

    out = [
        diff(ROLLUP, o, key, ("tổng", t), ("riêng + trực thuộc", s))
        for o, key, t, s in _rollup_gaps(tree, own, total)
    ]
    if on == today:
        out += _stored_differences(tree, own, total, diff)
        out += _stored_rollup(org, names, diff)
    out += _period_differences(org, tree, on, diff)
    return out


def _rollup_gaps(
    tree: figures.TreeAsOf, own: dict[int, Counter], total: dict[int, Counter]
) -> Iterable[tuple[int, str, int, int]]:
    """(organization, key, total, own + children's totals) wherever the two differ."""
    children: dict[int, list[int]] = defaultdict(list)
    for o, p in tree.parent.items():
        if p is not None and o != tree.root.pk:
            children[p].append(o)
    for o in sorted(tree.parent, key=lambda o: tree.info[o]["path"]):
        summed = Counter(own.get(o, {}))
        for c in children[o]:
            summed.update(total.get(c, {}))
        mine = total.get(o, Counter())
        for key in sorted(set(summed) | set(mine)):
            if mine.get(key, 0) != summed.get(key, 0):
                yield o, key, mine.get(key, 0), summed.get(key, 0)


def _stored(ids: list[int]) -> tuple[dict[int, Counter], dict[int, Counter]]:
    """(own, total) stored counters of `ids`."""
    stored_own: dict[int, Counter] = defaultdict(Counter)
    stored_total: dict[int, Counter] = defaultdict(Counter)
    for chunk_start in range(0, len(ids), 500):
        rows = Tally.objects.filter(organization_id__in=ids[chunk_start : chunk_start + 500])
        for org_id, key, o, t in rows.values_list("organization_id", "key", "own", "total"):
            stored_own[org_id][key] = o
            stored_total[org_id][key] = t
    return stored_own, stored_total


def _stored_differences(tree, own, total, diff) -> list[Difference]:
    """Today: counters against the history and against a fresh count of the tables."""
    ids = sorted(tree.ids())
    stored_own, stored_total = _stored(ids)
    fresh: dict[int, Counter] = defaultdict(Counter)
    for (org_id, key), n in tallies.own_counts(ids).items():
        fresh[org_id][key] = n
    out: list[Difference] = []
    for o in sorted(ids, key=lambda o: tree.info[o]["path"]):
        pairs = (
            (stored_own[o], own.get(o, Counter()), "riêng (bộ đếm)", "riêng (lịch sử)", HISTORY),
            (stored_total[o], total.get(o, Counter()), "tổng (bộ đếm)", "tổng (lịch sử)", HISTORY),
            (stored_own[o], fresh[o], "riêng (bộ đếm)", "riêng (đếm lại)", OWN),
        )
        for stored, other, left, right, check in pairs:
            for key in sorted(set(stored) | set(other)):
                a, b = stored.get(key, 0), other.get(key, 0)
                if a != b:
                    out.append(diff(check, o, key, (left, a), (right, b)))
    return out


def _stored_rollup(root: Organization, names: dict[int, tuple[str, str]], diff) -> list[Difference]:
    """The roll-up rule on the counters, over the current tree (dissolved organizations included:
    their counters are part of their ancestors' totals)."""
    rows = list(
        Organization.objects.filter(path__startswith=root.path).values_list("pk", "path", "code", "name")
    )
    for pk, _path, code, name in rows:
        names.setdefault(pk, (code, name))
    by_path = {path: pk for pk, path, _c, _n in rows}
    step = Organization.steplen
    children: dict[int, list[int]] = defaultdict(list)
    for pk, path, _c, _n in rows:
        if path != root.path:
            children[by_path[path[:-step]]].append(pk)
    stored_own, stored_total = _stored(sorted(by_path.values()))
    out: list[Difference] = []
    for pk, _path, _c, _n in rows:
        summed = Counter(stored_own[pk])
        for c in children[pk]:
            summed.update(stored_total[c])
        for key in sorted(set(summed) | set(stored_total[pk])):
            a, b = stored_total[pk].get(key, 0), summed.get(key, 0)
            if a != b:
                out.append(diff(ROLLUP, pk, key, ("tổng (bộ đếm)", a), ("riêng + trực thuộc (bộ đếm)", b)))
    return out


def _period_differences(org: Organization, tree: figures.TreeAsOf, on: date, diff) -> list[Difference]:
    """Opening + increase − decrease == closing from 1 January to `on`, if the tree held still."""
    start = date(on.year, 1, 1)
    before = figures.tree_as_of(org, figures.day_before(start))
    if before.parent != tree.parent:
        return []  # organizations came, went or moved: members moved with them without an event
    p = statistics.period(org, start, on)
    if p["balanced"]:
        return []
    computed = p["opening"] + p["increase"]["total"] - p["decrease"]["total"]
    key = f"all {start:%d/%m/%Y}–{on:%d/%m/%Y}"
    return [diff(PERIOD, org.pk, key, ("đầu kỳ + tăng − giảm", computed), ("cuối kỳ", p["closing"]))]
