"""Counters per organization, kept in step with every write, so today's figures read a few rows.

Each counted member (probationary or official) adds 1 to one key of every family below at the
organization where they are counted (`own`) and at it and all its ancestors (`total`). Each
active organization adds 1 to `org:<kind>` (and base organizations to `base:<type>`) the same way.

One definition serves both paths: a family is an ORM expression, so the refresh after a single
write (a GROUP BY over the members of the touched organizations) and the rebuild of the whole
table (an INSERT … SELECT over all members) count with the same SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, models, transaction
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear
from django.db.models.lookups import LessThanOrEqual

from dangvu.members.choices import ACTIVE_STATUSES, KINH, Gender, Occupation, Religion
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.models import BASE_KINDS, Organization

from .models import Tally

# Admission periods of Biểu số 3-BTCTW, II.3 (fixed historical dates, not rule parameters).
ADMISSION_PERIODS = [
    ("p1", None, "1945-08-18", "Trước 19/8/1945"),
    ("p2", "1945-08-19", "1954-07-20", "Từ 19/8/1945 đến 20/7/1954"),
    ("p3", "1954-07-21", "1975-04-30", "Từ 21/7/1954 đến 30/4/1975"),
    ("p4", "1975-05-01", None, "Từ 01/5/1975 đến nay"),
]


def _text(expr) -> Cast:
    return Cast(expr, CharField())


def _admitted_on() -> Coalesce:
    # Party age counts from the first admission for readmitted members.
    return Coalesce(F("first_admission_date"), F("admission_decision_date"))


def _admission_period() -> Case:
    whens = []
    for code, _start, end, _label in ADMISSION_PERIODS[:-1]:
        whens.append(When(**{"admitted_on__lte": end}, then=Value(code)))
    return Case(*whens, default=Value(ADMISSION_PERIODS[-1][0]), output_field=CharField())


# family → SQL expression of the key. Members annotated with `admitted_on` first.
MEMBER_FAMILIES: dict[str, models.Expression] = {
    "all": Value("all"),
    "st": Concat(Value("st:"), F("status")),
    "g": Concat(Value("g:"), F("gender")),
    "by": Concat(Value("by:"), _text(ExtractYear("birth_date")), Value(":"), F("gender")),
    "eth": Concat(Value("eth:"), F("ethnicity"), Value(":"), F("gender")),
    "rel": Concat(Value("rel:"), F("religion"), Value(":"), F("gender")),
    "edu": Concat(Value("edu:"), F("education")),
    "qual": Concat(Value("qual:"), F("qualification")),
    "th": Concat(Value("th:"), F("theory_level")),
    "occ": Concat(Value("occ:"), F("occupation")),
    "ay": Concat(Value("ay:"), _text(ExtractYear("admitted_on"))),
    "ap": Concat(Value("ap:"), _admission_period()),
    "ex": Case(When(exempted=True, then=Value("ex")), default=Value("ex:0"), output_field=CharField()),
}

ORG_FAMILIES: dict[str, models.Expression] = {
    "org": Concat(Value("org:"), F("kind")),
    "base": Case(
        When(kind__in=BASE_KINDS, then=Concat(Value("base:"), F("base_type"))),
        default=Value("base:-"),
        output_field=CharField(),
    ),
}


# Admissions by year at the organization that admitted (an event: it stays where it happened).
ADMISSION_FAMILY = Concat(Value("ad:"), _text(ExtractYear("effective_on")))

# New members counted as youth: 30 or younger in the year of admission (year minus birth year).
YOUTH_MAX_AGE = 30
# Placeholder of the segment families for an admission outside the segment.
NOT_IN_SEGMENT = "ad:-"


def _segment(condition, name: str) -> Case:
    """`ad:<year>:<name>` for an admission in the segment, the placeholder otherwise."""
    key = Concat(Value("ad:"), _text(ExtractYear("effective_on")), Value(f":{name}"))
    return Case(When(condition, then=key), default=Value(NOT_IN_SEGMENT), output_field=CharField())


# Admissions by year and segment (the admission targets' segments other than border areas, which
# are the `ad:<year>` totals of the border organizations): the campaign pages read them for today
# instead of scanning the year's events.
ADMISSION_SEGMENT_FAMILIES: dict[str, Case] = {
    "female": _segment(Q(member__gender=Gender.FEMALE), "female"),
    "youth": _segment(
        LessThanOrEqual(ExtractYear("effective_on") - ExtractYear("member__birth_date"), YOUTH_MAX_AGE),
        "youth",
    ),
    "ethnic_minority": _segment(~Q(member__ethnicity=KINH), "ethnic_minority"),
    "religious": _segment(~Q(member__religion=Religion.NONE), "religious"),
    "private_enterprise": _segment(Q(member__occupation=Occupation.PRIVATE_ENTERPRISE), "private_enterprise"),
}
# The member fields the Python twin (`admission_keys`) reads.
ADMISSION_MEMBER_FIELDS = ("gender", "birth_date", "ethnicity", "religion", "occupation")


def admission_keys(effective_on, member: dict) -> list[str]:
    """The keys one admission adds: the Python twin of ADMISSION_FAMILY and the segment families
    (`member` holds ADMISSION_MEMBER_FIELDS), for the history path and the checks."""
    year = effective_on.year
    keys = [f"ad:{year}"]
    inside = {
        "female": member["gender"] == Gender.FEMALE,
        "youth": year - member["birth_date"].year <= YOUTH_MAX_AGE,
        "ethnic_minority": member["ethnicity"] != KINH,
        "religious": member["religion"] != Religion.NONE,
        "private_enterprise": member["occupation"] == Occupation.PRIVATE_ENTERPRISE,
    }
    keys += [f"ad:{year}:{name}" for name in ADMISSION_SEGMENT_FAMILIES if inside[name]]
    return keys


def admission_events() -> models.QuerySet:
    return MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED)


def counted_members() -> models.QuerySet:
    return Member.objects.filter(status__in=ACTIVE_STATUSES).annotate(admitted_on=_admitted_on())


def active_organizations() -> models.QuerySet:
    return Organization.objects.filter(dissolved_on__isnull=True)


def _grouped(qs: models.QuerySet, org_field: str, expr: models.Expression) -> models.QuerySet:
    """(organization_id, key, n) rows of one family."""
    return (
        qs.order_by()
        .annotate(tally_key=expr, tally_org=F(org_field))
        .values("tally_org", "tally_key")
        .annotate(n=Count("pk"))
        .values_list("tally_org", "tally_key", "n")
    )


def _family_querysets(org_ids: list[int] | None) -> Iterable[models.QuerySet]:
    members = counted_members()
    orgs = active_organizations()
    events = admission_events()
    if org_ids is not None:
        members = members.filter(organization_id__in=org_ids)
        orgs = orgs.filter(pk__in=org_ids)
        events = events.filter(organization_id__in=org_ids)
    for expr in MEMBER_FAMILIES.values():
        yield _grouped(members, "organization_id", expr)
    yield _grouped(events, "organization_id", ADMISSION_FAMILY)
    for expr in ADMISSION_SEGMENT_FAMILIES.values():
        yield _grouped(events, "organization_id", expr)
    for expr in ORG_FAMILIES.values():
        yield _grouped(orgs, "pk", expr)


def own_counts(org_ids: list[int]) -> dict[tuple[int, str], int]:
    """What the members and organizations tables say each organization holds directly now."""
    counts: dict[tuple[int, str], int] = {}
    for chunk_start in range(0, len(org_ids), 500):
        chunk = org_ids[chunk_start : chunk_start + 500]
        for qs in _family_querysets(chunk):
            for org_id, key, n in qs:
                if not _ignored(key):
                    counts[(org_id, key)] = n
    return counts


def _ignored(key: str) -> bool:
    # Placeholder keys produced by the CASE expressions for "nothing to count".
    return key in ("ex:0", "base:-", NOT_IN_SEGMENT)


def _ancestor_ids(org_ids: Iterable[int]) -> dict[int, list[int]]:
    """Current ancestors (nearest last) of each organization, two queries."""
    paths = dict(Organization.objects.filter(pk__in=list(org_ids)).values_list("pk", "path"))
    step = Organization.steplen
    prefixes = {p[:i] for p in paths.values() for i in range(step, len(p), step)}
    by_path = dict(Organization.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return {
        org_id: [by_path[path[:i]] for i in range(step, len(path), step) if path[:i] in by_path]
        for org_id, path in paths.items()
    }


def _upsert(rows: dict[tuple[int, str], tuple[int, int]]) -> None:
    """Add (own, total) deltas to the stored counters, creating rows as needed."""
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    sql = (
        f"INSERT INTO {table} (organization_id, {connection.ops.quote_name('key')}, own, total) "
        f"VALUES (%s, %s, %s, %s) ON CONFLICT (organization_id, {connection.ops.quote_name('key')}) "
        f"DO UPDATE SET own = {table}.own + excluded.own, total = {table}.total + excluded.total"
    )
    params = [(org, key, own, total) for (org, key), (own, total) in rows.items() if own or total]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        cursor.execute(f"DELETE FROM {table} WHERE own = 0 AND total = 0")


@transaction.atomic
def refresh_organizations(org_ids: Iterable[int]) -> int:
    """Recount what `org_ids` hold directly and carry the difference up the tree.

    Called by the member and organization services after every write, in their transaction, with
    the organizations a write touched (a transfer touches two). Returns the number of keys changed.
    """
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return 0
    new = own_counts(ids)
    old = {
        (org, key): own
        for org, key, own in Tally.objects.filter(organization_id__in=ids, own__gt=0).values_list(
            "organization_id", "key", "own"
        )
    }
    delta: dict[tuple[int, str], int] = {}
    for k in new.keys() | old.keys():
        d = new.get(k, 0) - old.get(k, 0)
        if d:
            delta[k] = d
    if not delta:
        return 0
    ancestors = _ancestor_ids({org for org, _ in delta})
    rows: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for (org, key), d in delta.items():
        rows[(org, key)][0] += d
        rows[(org, key)][1] += d
        for anc in ancestors.get(org, []):
            rows[(anc, key)][1] += d
    _upsert({k: (v[0], v[1]) for k, v in rows.items()})
    return len(delta)


@transaction.atomic
def subtree_moved(org: Organization, old_ancestor_ids: list[int], new_ancestor_ids: list[int]) -> None:
    """An organization moved with everything under it: its totals leave the old ancestors and
    join the new ones. Called by `organization_move` in its transaction."""
    totals = list(Tally.objects.filter(organization=org, total__gt=0).values_list("key", "total"))
    rows: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for key, total in totals:
        for anc in old_ancestor_ids:
            rows[(anc, key)][1] -= total
        for anc in new_ancestor_ids:
            rows[(anc, key)][1] += total
    _upsert({k: (v[0], v[1]) for k, v in rows.items()})


def ancestor_ids(org: Organization) -> list[int]:
    return _ancestor_ids([org.pk]).get(org.pk, [])


@transaction.atomic
def rebuild() -> int:
    """Recount the whole table from the members and organizations tables (after bulk loads).

    Own rows come from one INSERT … SELECT per family; totals are then summed up the tree one
    depth at a time, deepest first. Returns the number of rows written.
    """
    table = connection.ops.quote_name(Tally._meta.db_table)
    org_table = connection.ops.quote_name(Organization._meta.db_table)
    key = connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        for qs in _family_querysets(None):
            sql, params = qs.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (organization_id, {key}, own, total) "
                f"SELECT t.tally_org, t.tally_key, t.n, t.n FROM ({sql}) t "
                f"WHERE t.tally_key NOT IN ('ex:0', 'base:-', '{NOT_IN_SEGMENT}')",
                params,
            )
        cursor.execute(f"SELECT MAX(depth) FROM {org_table}")
        max_depth = cursor.fetchone()[0] or 0
        step = Organization.steplen
        for depth in range(max_depth, 1, -1):
            cursor.execute(
                f"INSERT INTO {table} (organization_id, {key}, own, total) "
                f"SELECT p.id, c.{key}, 0, SUM(c.total) FROM {table} c "
                f"JOIN {org_table} co ON co.id = c.organization_id "
                f"JOIN {org_table} p ON p.path = SUBSTR(co.path, 1, %s) "
                f"WHERE co.depth = %s GROUP BY p.id, c.{key} "
                f"ON CONFLICT (organization_id, {key}) DO UPDATE SET total = {table}.total + excluded.total",
                [(depth - 1) * step, depth],
            )
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        rows = cursor.fetchone()[0]
        # Fresh planner statistics: without them PostgreSQL scanned all 22.8 million rows of the
        # national table for one organization's figures (docs/benchmarks.md).
        cursor.execute(f"ANALYZE {table}")
        return rows
