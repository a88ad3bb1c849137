"""The statistics engine: counts for an organization on a date, and movements over a period.

Today's figures read the stored counters (`tallies`), a few hundred rows whatever the size of the
subtree. Any other date is counted from the event history under the organization as the tree
stood on that date (DESIGN.md invariant 2): each member's last status-changing event on or before
the date says where they were counted and as what. Both paths produce the same `Counter` of keys
(`tallies.MEMBER_FAMILIES`), turned into named figures by `statistics.describe`; `member_keys`
is the Python twin of the SQL key expressions and the reconciliation check compares the two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dangvu.members.choices import ACTIVE_STATUSES
from dangvu.members.models import Member, MemberEvent, Transfer
from dangvu.organizations.models import BASE_KINDS, Organization, OrganizationEvent
from dangvu.organizations.selectors import parent_map_as_of

from . import tallies
from .models import Tally

K = MemberEvent.Kind
# Events that set where a member is counted and as what; the rest leave both unchanged.
STATE_KINDS = (
    K.ADMITTED,
    K.RECOGNIZED_OFFICIAL,
    K.TRANSFERRED_OUT,
    K.TRANSFERRED_IN,
    K.REMOVED,
    K.EXPELLED,
    K.LEFT,
    K.DECEASED,
    K.CONTACT_LOST,
    K.CONTACT_RESTORED,
    K.READMITTED,
)
EXEMPTION_KINDS = (K.EXEMPTED, K.EXEMPTION_ENDED)
MEMBER_FIELDS = (
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "education",
    "qualification",
    "theory_level",
    "occupation",
    "first_admission_date",
    "admission_decision_date",
)


def member_keys(row: dict, *, status: str, exempted: bool) -> list[str]:
    """The tally keys of one counted member: the Python twin of `tallies.MEMBER_FAMILIES`."""
    admitted = row["first_admission_date"] or row["admission_decision_date"]
    period = tallies.ADMISSION_PERIODS[-1][0]
    for code, _start, end, _label in tallies.ADMISSION_PERIODS[:-1]:
        if admitted.isoformat() <= end:
            period = code
            break
    g = row["gender"]
    keys = [
        "all",
        f"st:{status}",
        f"g:{g}",
        f"by:{row['birth_date'].year}:{g}",
        f"eth:{row['ethnicity']}:{g}",
        f"rel:{row['religion']}:{g}",
        f"edu:{row['education']}",
        f"qual:{row['qualification']}",
        f"th:{row['theory_level']}",
        f"occ:{row['occupation']}",
        f"ay:{admitted.year}",
        f"ap:{period}",
    ]
    if exempted:
        keys.append("ex")
    return keys


def org_keys(org: Organization | dict) -> list[str]:
    kind = org["kind"] if isinstance(org, dict) else org.kind
    base_type = org["base_type"] if isinstance(org, dict) else org.base_type
    keys = [f"org:{kind}"]
    if kind in BASE_KINDS:
        keys.append(f"base:{base_type}")
    return keys


# ---------------------------------------------------------------------------------------------
# Today: the stored counters


def today_counts(org_ids: Iterable[int], *, keys: Iterable[str] | None = None) -> dict[int, Counter]:
    """Subtree totals per organization from the counters (optionally only some keys)."""
    qs = Tally.objects.filter(organization_id__in=list(org_ids), total__gt=0)
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    result: dict[int, Counter] = defaultdict(Counter)
    for org_id, key, total in qs.values_list("organization_id", "key", "total"):
        result[org_id][key] = total
    return result


# ---------------------------------------------------------------------------------------------
# Any date: the event history


@dataclass
class TreeAsOf:
    """An organization's subtree as it stood on a date."""

    root: Organization
    on: date
    parent: dict[int, int | None]  # every organization under root on `on` (root included)
    info: dict[int, dict] = field(default_factory=dict)  # id → code, name, kind, base_type, path
    # Dissolved by `on`: kept in the tree so that what happened there (admissions) stays counted
    # where it happened, but not counted as organizations and not listed as children.
    dissolved: set[int] = field(default_factory=set)
    moved_since: bool = False  # did any organization move after `on`? (then only the history answers)

    def children(self, org_id: int) -> list[int]:
        return [
            o for o, p in self.parent.items() if p == org_id and o != self.root.pk and o not in self.dissolved
        ]

    def ids(self) -> set[int]:
        return set(self.parent)


def tree_as_of(root: Organization, on: date) -> TreeAsOf:
    """Organizations under `root` on `on`: founded by then, not yet dissolved, placed under it.

    Candidates are the current subtree plus whatever moved after `on` (and what now lies under
    that): an organization that is outside the subtree now and did not move since was not inside
    it then either.
    """
    moved_later = list(
        OrganizationEvent.objects.filter(kind=OrganizationEvent.EventKind.MOVED, effective_on__gt=on)
        .values_list("organization__path", flat=True)
        .distinct()
    )
    where = Q(path__startswith=root.path)
    for path in moved_later:
        where |= Q(path__startswith=path)
    rows = {
        r["pk"]: r
        for r in Organization.objects.filter(where).values(
            "pk", "code", "name", "kind", "base_type", "path", "depth", "founded_on", "dissolved_on"
        )
    }
    if moved_later:
        parents = parent_map_as_of(on=on, org_ids=list(rows))
    else:
        # No move since `on`: the current tree is the tree of that day (minus later foundations).
        step = Organization.steplen
        by_path = {r["path"]: pk for pk, r in rows.items()}
        # The founding date the services keep on the organization (a corrected date included).
        created = {pk for pk, r in rows.items() if r["founded_on"] is None or r["founded_on"] <= on}
        parents = {
            pk: by_path.get(r["path"][:-step]) if r["path"] != root.path else None
            for pk, r in rows.items()
            if pk in created
        }
    under: dict[int, int | None] = {}
    dissolved: set[int] = set()

    def is_under(org_id: int, seen: int = 0) -> bool:
        if org_id == root.pk:
            return True
        p = parents.get(org_id)
        if p is None or seen > 64 or p not in parents and p != root.pk:
            return False
        return is_under(p, seen + 1)

    for org_id in parents:
        r = rows[org_id]
        if is_under(org_id):
            under[org_id] = parents.get(org_id) if org_id != root.pk else None
            if r["dissolved_on"] is not None and r["dissolved_on"] <= on:
                dissolved.add(org_id)
    return TreeAsOf(
        root=root,
        on=on,
        parent=under,
        info={pk: rows[pk] for pk in under},
        dissolved=dissolved,
        moved_since=bool(moved_later),
    )


def _windowed_last(qs):
    return qs.annotate(
        rn=Window(
            RowNumber(), partition_by=[F("member_id")], order_by=[F("effective_on").desc(), F("id").desc()]
        )
    ).filter(rn=1)


def _org_filter(tree: TreeAsOf) -> Q:
    """Events at organizations of `tree`, as a path condition plus the few moved-away ids."""
    inside_now = set(
        Organization.objects.filter(path__startswith=tree.root.path).values_list("pk", flat=True)
    )
    extra = tree.ids() - inside_now
    where = Q(organization__path__startswith=tree.root.path)
    if extra:
        where |= Q(organization_id__in=sorted(extra))
    return where


def members_as_of(tree: TreeAsOf, member_ids: list[int] | None = None) -> list[tuple[int, str, bool, dict]]:
    """(organization id, status, exempted, member fields) of every member counted under `tree`
    (or of those of `member_ids` who were); the fields include `member_id`."""
    on = tree.on
    candidates: Any = member_ids
    if candidates is None:
        candidates = MemberEvent.objects.filter(
            _org_filter(tree), effective_on__lte=on, kind__in=STATE_KINDS
        ).values("member_id")
    last = _windowed_last(
        MemberEvent.objects.filter(member_id__in=candidates, effective_on__lte=on, kind__in=STATE_KINDS)
    ).values("member_id", "organization_id", "status_after", *(f"member__{f}" for f in MEMBER_FIELDS))
    ids = tree.ids()
    rows = [r for r in last if r["status_after"] in ACTIVE_STATUSES and r["organization_id"] in ids]
    exempted = set(
        r["member_id"]
        for r in _windowed_last(
            MemberEvent.objects.filter(
                member_id__in=candidates, effective_on__lte=on, kind__in=EXEMPTION_KINDS
            )
        ).values("member_id", "kind")
        if r["kind"] == K.EXEMPTED
    )
    out = []
    for r in rows:
        fields = {f: r[f"member__{f}"] for f in MEMBER_FIELDS}
        fields["member_id"] = r["member_id"]
        out.append((r["organization_id"], r["status_after"], r["member_id"] in exempted, fields))
    return out


def counted_total(tree: TreeAsOf) -> int:
    """How many members were counted under `tree` on its date: `members_as_of` without the
    member fields and the exemption query, for period openings and closings."""
    if not tree.moved_since:
        return counts_back_from_today(tree)[0].get("all", 0)
    candidates = MemberEvent.objects.filter(
        _org_filter(tree), effective_on__lte=tree.on, kind__in=STATE_KINDS
    ).values("member_id")
    last = _windowed_last(
        MemberEvent.objects.filter(member_id__in=candidates, effective_on__lte=tree.on, kind__in=STATE_KINDS)
    ).values_list("organization_id", "status_after")
    ids = tree.ids()
    return sum(1 for org_id, status in last if status in ACTIVE_STATUSES and org_id in ids)


def _member_part(row: dict) -> dict:
    """The `member__…` values of an event row, by field name (for `tallies.admission_keys`)."""
    return {f: row[f"member__{f}"] for f in tallies.ADMISSION_MEMBER_FIELDS}


def counts_as_of(tree: TreeAsOf) -> tuple[dict[int, Counter], dict[int, Counter]]:
    """(own, total) counters for every organization of `tree`, from the event history."""
    own: dict[int, Counter] = defaultdict(Counter)
    for org_id, status, exempted, fields in members_as_of(tree):
        own[org_id].update(member_keys(fields, status=status, exempted=exempted))
    for org_id, info in tree.info.items():
        if org_id not in tree.dissolved:
            own[org_id].update(org_keys(info))
    ids = tree.ids()
    admitted = (
        tallies.admission_events()
        .filter(_org_filter(tree), effective_on__lte=tree.on)
        .values("organization_id", "effective_on", *(f"member__{f}" for f in tallies.ADMISSION_MEMBER_FIELDS))
    )
    for row in admitted:
        if row["organization_id"] in ids:
            own[row["organization_id"]].update(tallies.admission_keys(row["effective_on"], _member_part(row)))
    total: dict[int, Counter] = {org_id: Counter(own.get(org_id, {})) for org_id in tree.parent}
    # Deepest first: add each organization's total to its parent's (depth as of `on`).
    depth: dict[int, int] = {}

    def depth_of(o: int) -> int:
        if o not in depth:
            p = tree.parent.get(o)
            depth[o] = 0 if p is None else depth_of(p) + 1
        return depth[o]

    for org_id in sorted(tree.parent, key=depth_of, reverse=True):
        p = tree.parent.get(org_id)
        if p is not None:
            total[p].update(total[org_id])
    return own, total


def hosted_temporary(tree: TreeAsOf) -> int:
    """Members on a temporary stay at organizations of `tree` on its date: listed, not counted."""
    on = tree.on
    qs = Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY,
        state__in=[Transfer.State.ACTIVE, Transfer.State.COMPLETED],
        accepted_on__lte=on,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on) | Q(state=Transfer.State.ACTIVE))
    ids = tree.ids()
    return sum(1 for to_org in qs.values_list("to_org_id", flat=True) if to_org in ids)


def hosted_temporary_today(org: Organization) -> int:
    return Transfer.objects.filter(
        kind=Transfer.Kind.TEMPORARY, state=Transfer.State.ACTIVE, to_org__path__startswith=org.path
    ).count()


def counts_for(
    org: Organization, on: date | None = None, *, child_keys: Iterable[str] | None = None
) -> tuple[Counter, dict[int, Counter], TreeAsOf | None]:
    """(org's total, its children's totals, the tree if counted from events) on `on`. With
    `child_keys`, today's children carry only those keys (a province has hundreds of rows per child)."""
    today = timezone.localdate()
    on = on or today
    if on >= today:
        children = list(
            Organization.objects.filter(
                path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True
            )
            .order_by("path")
            .values_list("pk", flat=True)
        )
        counts = today_counts([org.pk])
        child_counts = today_counts(children, keys=child_keys)
        return counts.get(org.pk, Counter()), {c: child_counts.get(c, Counter()) for c in children}, None
    tree = tree_as_of(org, on)
    if not tree.moved_since:
        root_total, child_totals = counts_back_from_today(tree)
        return root_total, {c: child_totals.get(c, Counter()) for c in tree.children(org.pk)}, tree
    _own, total = counts_as_of(tree)
    return total.get(org.pk, Counter()), {c: total[c] for c in tree.children(org.pk)}, tree


def counts_back_from_today(tree: TreeAsOf) -> tuple[Counter, dict[int, Counter]]:
    """The totals of `tree`'s root and of its children on `tree.on`, from today's counters minus
    what changed since: cost follows the changes after the date, not the size of the subtree.

    Valid only when nothing moved in the tree since the date (`tree.moved_since` is False): then a
    member with no status-changing or exemption event after the date, at an organization that
    existed then, was counted on that date where and as they are counted now. The others are
    taken out with today's keys and put back with the keys the history gives for the date;
    admissions after the date (or at organizations founded after it) and organizations founded
    or dissolved since are corrected the same way. `counts_as_of` is the reference this must
    equal (tests compare the two).
    """
    root, on = tree.root, tree.on
    step = Organization.steplen
    children = tree.children(root.pk)
    child_path = {tree.info[c]["path"]: c for c in children}
    root_len = len(root.path)

    def slots(path: str) -> list[int]:
        """The root and the child of the current tree a path lies under."""
        out = [root.pk]
        child = child_path.get(path[: root_len + step])
        if child is not None:
            out.append(child)
        return out

    totals = today_counts([root.pk, *children])
    result: dict[int, Counter] = {o: Counter(totals.get(o, Counter())) for o in [root.pk, *children]}
    existed = tree.ids()
    later_orgs = (
        Organization.objects.filter(path__startswith=root.path)
        .exclude(pk__in=list(existed))
        .values("pk", "path", "kind", "base_type", "dissolved_on")
    )
    later_ids = set()
    for r in later_orgs:
        later_ids.add(r["pk"])
        if r["dissolved_on"] is None:  # counted today as an organization, not then
            for o in slots(r["path"]):
                result[o].subtract(org_keys(r))
    dissolved_since = Organization.objects.filter(
        path__startswith=root.path, dissolved_on__gt=on, pk__in=list(existed)
    ).values("pk", "path", "kind", "base_type")
    for r in dissolved_since:  # not counted today, counted then
        for o in slots(r["path"]):
            result[o].update(org_keys(r))
    # Admissions counted today that the date had not seen.
    admitted = (
        tallies.admission_events()
        .filter(organization__path__startswith=root.path)
        .filter(Q(effective_on__gt=on) | Q(organization_id__in=list(later_ids)))
        .values(
            "organization__path", "effective_on", *(f"member__{f}" for f in tallies.ADMISSION_MEMBER_FIELDS)
        )
    )
    for row in admitted:
        keys = tallies.admission_keys(row["effective_on"], _member_part(row))
        for o in slots(row["organization__path"]):
            result[o].subtract(keys)
    # Members whose state or exemption changed since, or who are counted at a later organization.
    changed = set(
        MemberEvent.objects.filter(
            member__organization__path__startswith=root.path,
            effective_on__gt=on,
            kind__in=[*STATE_KINDS, *EXEMPTION_KINDS],
        ).values_list("member_id", flat=True)
    )
    changed |= set(
        MemberEvent.objects.filter(
            organization__path__startswith=root.path, effective_on__gt=on, kind__in=STATE_KINDS
        ).values_list("member_id", flat=True)
    )
    changed |= set(
        Member.objects.filter(organization_id__in=list(later_ids), status__in=ACTIVE_STATUSES).values_list(
            "pk", flat=True
        )
    )
    if not changed:
        return result[root.pk], {c: result[c] for c in children}
    ids = sorted(changed)
    now_rows = Member.objects.filter(
        pk__in=ids, status__in=ACTIVE_STATUSES, organization__path__startswith=root.path
    ).values("pk", "status", "exempted", "organization__path", *MEMBER_FIELDS)
    for r in now_rows:
        for o in slots(r["organization__path"]):
            result[o].subtract(member_keys(r, status=r["status"], exempted=r["exempted"]))
    for org_id, status, exempted, fields in members_as_of(tree, member_ids=ids):
        for o in slots(tree.info[org_id]["path"]):
            result[o].update(member_keys(fields, status=status, exempted=exempted))
    return +result[root.pk], {c: +result[c] for c in children}


def day_before(d: date) -> date:
    return d - timedelta(days=1)
