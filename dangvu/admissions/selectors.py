"""Reads of party development: admissions against targets, the candidates' pipeline, deadlines.

Admissions are the member registry's ADMITTED events, counted where they happened, under the
organization as its tree stood at the end of the period: the same reading as
`reports.statistics.period`, so "admitted" here always equals the statistics' new admissions.
Callers pass an organization they have fetched through `visible_to(user)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from dangvu.core.formats import fmt_int, fmt_progress
from dangvu.core.rules import cached_rules
from dangvu.members import rules as member_rules
from dangvu.members.choices import Status
from dangvu.members.models import Member
from dangvu.organizations.models import Kind, Organization
from dangvu.reports import figures, statistics, tallies

from . import rules
from .choices import STAGE_ORDER, Segment, Stage
from .models import AdmissionTarget, Candidate

NO_TARGET = "chưa giao chỉ tiêu"
# Organizations whose children are not worth a drill-down of admissions (cells and party groups).
LEAF_KINDS = (Kind.CELL, Kind.BASE_CELL, Kind.PARTY_GROUP)
# The segments of a target other than the total, in the order of the choices.
SEGMENTS = [s for s in Segment if s != Segment.TOTAL]


def ratio_text(admitted: int, target: int | None) -> str:
    """ "344/629 (54,69%)", or "12 (chưa giao chỉ tiêu)" when there is no target."""
    if not target:
        return f"{fmt_int(admitted)} ({NO_TARGET})"
    return fmt_progress(admitted, target)


# ---------------------------------------------------------------------------------------------
# Periods


class PeriodError(ValidationError, ValueError):
    """A period that cannot be read: a ValidationError (field "period") that is also a ValueError,
    so views that catch either (like for `parse_date`) show its message."""

    def __init__(self, message: str) -> None:
        super().__init__({"period": message})
        self.text = message

    def __str__(self) -> str:
        return self.text


_PERIOD = re.compile(r"(\d{4})(?:\s*[-–—/]\s*(\d{4}))?")


def parse_period(text: str | int | None) -> tuple[int, int]:
    """(year_from, year_to) from "2026" or "2025-2030" (also "2025–2030")."""
    value = str(text if text is not None else "").strip()
    match = _PERIOD.fullmatch(value)
    if not match:
        raise PeriodError(f"Kỳ không hợp lệ: «{value}». Nhập một năm (2026) hoặc một nhiệm kỳ (2025-2030).")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise PeriodError(f"Kỳ không hợp lệ: «{value}»: năm kết thúc trước năm bắt đầu.")
    if end - start > 10:
        raise PeriodError(f"Kỳ không hợp lệ: «{value}»: một kỳ dài tối đa 10 năm.")
    return start, end


def period_label(year_from: int, year_to: int | None = None) -> str:
    year_to = year_to or year_from
    return f"năm {year_from}" if year_from == year_to else f"nhiệm kỳ {year_from}–{year_to}"


def period_bounds(year_from: int, year_to: int | None = None, as_of: date | None = None) -> tuple[date, date]:
    """The first day of the period and the last day counted: the period's end, `as_of` or today,
    whichever comes first (the statistics never count beyond today)."""
    year_to = year_to or year_from
    end = date(year_to, 12, 31)
    today = timezone.localdate()
    end = min(end, as_of or today, today)
    return date(year_from, 1, 1), end


# ---------------------------------------------------------------------------------------------
# Admissions against targets


@dataclass
class TargetRow:
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    target: int | None
    admitted: int
    ratio_text: str
    drillable: bool


@dataclass
class SegmentRow:
    segment: str
    label: str
    target: int | None
    admitted: int
    ratio_text: str


@dataclass
class TargetProgress:
    organization: Organization
    year_from: int
    year_to: int
    as_of: date
    target: int | None
    children_target: int  # the sum of the children's own targets (to compare with `target`)
    admitted: int
    ratio_text: str
    segments: list[SegmentRow]
    children: list[TargetRow]

    @property
    def period_label(self) -> str:
        return period_label(self.year_from, self.year_to)


def _targets(org_ids: list[int], year_from: int, year_to: int, segment: str | None = None) -> dict:
    """{(organization id, segment): target} of the period; a target of 0 is a withdrawn one."""
    qs = AdmissionTarget.objects.filter(
        organization_id__in=org_ids, year_from=year_from, year_to=year_to, target__gt=0
    )
    if segment is not None:
        qs = qs.filter(segment=segment)
    return {(o, s): t for o, s, t in qs.values_list("organization_id", "segment", "target")}


def _border_paths() -> list[str]:
    return list(Organization.objects.filter(border_area=True).values_list("path", flat=True))


def admission_rows(tree: figures.TreeAsOf, start: date, end: date) -> list[dict[str, Any]]:
    """The ADMITTED events of [start, end] at organizations of `tree` (as `statistics.period` reads
    them), with the member fields the segments need."""
    if end < start:
        return []
    ids = tree.ids()
    events = (
        tallies.admission_events()
        .filter(figures._org_filter(tree), effective_on__gte=start, effective_on__lte=end)
        .order_by()
        .values(
            "organization_id",
            "effective_on",
            *(f"member__{f}" for f in figures.MEMBER_FIELDS),
        )
    )
    return [e for e in events if e["organization_id"] in ids]


def target_progress(
    org: Organization, *, year_from: int, year_to: int | None = None, as_of: date | None = None
) -> TargetProgress:
    """Members admitted under `org` in the period (up to `as_of`) against its target, by segment
    and by child organization, each child with its own target."""
    year_to = year_to or year_from
    start, end = period_bounds(year_from, year_to, as_of)
    if end == timezone.localdate() and year_to >= end.year:
        return _progress_today(org, year_from, year_to, start, end)
    return _progress_history(org, year_from, year_to, start, end)


def _progress_history(
    org: Organization, year_from: int, year_to: int, start: date, end: date
) -> TargetProgress:
    """Any date: the ADMITTED events under the tree as it stood on `end` (the statistics' reading)."""
    tree = figures.tree_as_of(org, max(end, start - timedelta(days=1)))
    events = admission_rows(tree, start, end)

    # Which child of `org` (as the tree stood) each organization lies under.
    children = sorted(tree.children(org.pk), key=lambda c: tree.info[c]["path"])
    child_set = set(children)
    slot: dict[int, int | None] = {}

    def child_of(o: int) -> int | None:
        if o not in slot:
            seen, node = [], o
            while node is not None and node not in child_set and node != org.pk and len(seen) < 64:
                seen.append(node)
                node = tree.parent.get(node)
            found = node if node in child_set else None
            for s in [*seen, o]:
                slot[s] = found
        return slot[o]

    per_child: dict[int, int] = dict.fromkeys(children, 0)
    for e in events:
        c = child_of(e["organization_id"])
        if c is not None:
            per_child[c] += 1

    segments = statistics._admission_segments(events)
    border_paths = _border_paths()
    border: dict[int, bool] = {}
    for e in events:
        o = e["organization_id"]
        if o not in border:
            path = tree.info[o]["path"]
            border[o] = any(path.startswith(p) for p in border_paths)
    segments["border"] = sum(1 for e in events if border[e["organization_id"]])

    with_children = {p for o, p in tree.parent.items() if p is not None and o not in tree.dissolved}
    return _assemble(
        org,
        year_from,
        year_to,
        end,
        admitted=len(events),
        segments=segments,
        children=[
            (
                c,
                tree.info[c]["code"],
                tree.info[c]["name"],
                tree.info[c]["kind"],
                per_child[c],
                c in with_children and tree.info[c]["kind"] not in LEAF_KINDS,
            )
            for c in children
        ],
    )


def _progress_today(
    org: Organization, year_from: int, year_to: int, start: date, end: date
) -> TargetProgress:
    """Today: the admission counters (`ad:<year>` and `ad:<year>:<segment>`, kept in step by every
    admission) of the organization, its children and the border organizations under it.

    The same figures as the history path on today's tree (a test compares them), without reading
    the events: a country answers with a few rows per child whatever its size.
    """
    years = range(year_from, end.year + 1)
    segments = [s.value for s in SEGMENTS if s != Segment.BORDER]
    keys = [f"ad:{y}" for y in years] + [f"ad:{y}:{seg}" for y in years for seg in segments]
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True)
        .order_by("path")
        .only("pk", "code", "name", "kind", "numchild")
    )
    # Border organizations: the outermost ones under `org` (an organization under a border commune
    # is counted with it), or all of `org` when it lies under one.
    border = sorted(p for p in _border_paths() if p.startswith(org.path) or org.path.startswith(p))
    outermost: list[str] = []
    for path in border:
        if not any(path.startswith(o) for o in outermost):
            outermost.append(path)
    border_ids = list(Organization.objects.filter(path__in=outermost).values_list("pk", flat=True))
    counts = figures.today_counts([org.pk, *(c.pk for c in children), *border_ids], keys=keys)

    def total(org_id: int, segment: str | None = None) -> int:
        suffix = f":{segment}" if segment else ""
        return sum(counts.get(org_id, {}).get(f"ad:{y}{suffix}", 0) for y in years)

    by_segment = {seg: total(org.pk, seg) for seg in segments}
    if any(org.path.startswith(p) for p in outermost):
        by_segment[Segment.BORDER.value] = total(org.pk)
    else:
        by_segment[Segment.BORDER.value] = sum(total(b) for b in border_ids)
    return _assemble(
        org,
        year_from,
        year_to,
        end,
        admitted=total(org.pk),
        segments=by_segment,
        children=[
            (c.pk, c.code, c.name, c.kind, total(c.pk), c.numchild > 0 and c.kind not in LEAF_KINDS)
            for c in children
        ],
    )


def _assemble(
    org: Organization,
    year_from: int,
    year_to: int,
    end: date,
    *,
    admitted: int,
    segments: dict[str, int],
    children: list[tuple[int, str, str, str, int, bool]],
) -> TargetProgress:
    """The progress rows from the counts: (id, code, name, kind, admitted, drillable) per child."""
    own = _targets([org.pk], year_from, year_to)
    child_targets = _targets([c[0] for c in children], year_from, year_to, Segment.TOTAL)
    target = own.get((org.pk, Segment.TOTAL))
    rows = []
    for pk, code, name, kind, n, drillable in children:
        t = child_targets.get((pk, Segment.TOTAL))
        rows.append(
            TargetRow(
                id=pk,
                code=code,
                name=name,
                kind=kind,
                kind_label=Kind(kind).label,
                target=t,
                admitted=n,
                ratio_text=ratio_text(n, t),
                drillable=drillable,
            )
        )
    segment_rows = []
    for s in SEGMENTS:
        t = own.get((org.pk, s.value))
        n = int(segments.get(s.value, 0))
        segment_rows.append(
            SegmentRow(segment=s.value, label=s.label, target=t, admitted=n, ratio_text=ratio_text(n, t))
        )
    return TargetProgress(
        organization=org,
        year_from=year_from,
        year_to=year_to,
        as_of=end,
        target=target,
        children_target=sum(r.target or 0 for r in rows),
        admitted=admitted,
        ratio_text=ratio_text(admitted, target),
        segments=segment_rows,
        children=rows,
    )


def targets_of(
    org: Organization, *, year_from: int, year_to: int | None = None
) -> dict[str, AdmissionTarget]:
    """`org`'s target rows of the period by segment (for the edit form), withdrawn ones included."""
    year_to = year_to or year_from
    return {
        t.segment: t
        for t in AdmissionTarget.objects.filter(organization=org, year_from=year_from, year_to=year_to)
    }


# ---------------------------------------------------------------------------------------------
# The pipeline


def _stage_expression() -> Case:
    """The candidate's stage (`Candidate.stage`) as an SQL expression."""
    whens = [When(withdrawn_on__isnull=False, then=Value(Stage.WITHDRAWN.value))]
    whens.append(
        When(Q(member__isnull=False) | Q(ceremony_on__isnull=False), then=Value(Stage.ADMITTED.value))
    )
    for field, stage in (
        ("decided_on", Stage.DECIDED),
        ("base_resolved_on", Stage.BASE_RESOLVED),
        ("cell_voted_on", Stage.CELL_VOTED),
        ("verified_on", Stage.VERIFIED),
        ("sponsors_assigned_on", Stage.SPONSORED),
        ("class_certified_on", Stage.CLASS),
    ):
        whens.append(When(**{f"{field}__isnull": False}, then=Value(stage.value)))
    return Case(*whens, default=Value(Stage.LISTED.value), output_field=CharField())


def candidates_under(org: Organization):
    return Candidate.objects.filter(organization__path__startswith=org.path)


def pipeline_counts(org: Organization) -> list[tuple[str, str, int]]:
    """(stage, label, how many candidates are at it) under `org`, in the order of the pipeline,
    then those withdrawn. "Admitted" counts every candidate admitted through the pipeline."""
    counts = dict(
        candidates_under(org)
        .order_by()
        .annotate(at=_stage_expression())
        .values("at")
        .annotate(n=Count("pk"))
        .values_list("at", "n")
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in [*STAGE_ORDER, Stage.WITHDRAWN]]


DECISION = "Quyết định kết nạp"
CEREMONY = "Lễ kết nạp"


def candidates_overdue(org: Organization, *, on: date) -> list[tuple[Candidate, str, date]]:
    """Candidates under `org` whose next step is past its deadline on `on`: the decision (60
    working days after the cell's resolution) or the ceremony (30 working days after the cell
    received the decision). Oldest deadline first."""
    active = (
        candidates_under(org)
        .filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
            Q(ceremony_on__isnull=True) | Q(ceremony_on__gt=on),
        )
        .select_related("organization")
    )
    out: list[tuple[Candidate, str, date]] = []
    with cached_rules():
        waiting_decision = active.filter(cell_voted_on__lte=on).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gt=on)
        )
        for c in waiting_decision:
            due = rules.decision_due(c.cell_voted_on)
            if on > due:
                out.append((c, DECISION, due))
        for c in active.filter(decided_on__lte=on):
            due = rules.ceremony_due(c.decision_received_on or c.decided_on)
            if on > due:
                out.append((c, CEREMONY, due))
    out.sort(key=lambda r: (r[2], r[0].name_sort, r[0].pk))
    return out


# ---------------------------------------------------------------------------------------------
# Probation


UPCOMING, DUE, OVERDUE = "upcoming", "due", "overdue"
PROBATION_STATES = {
    UPCOMING: "Sắp hết thời gian dự bị",
    DUE: "Đến hạn xét công nhận chính thức",
    OVERDUE: "Quá hạn xét công nhận chính thức",
}


@dataclass
class ProbationRow:
    member: Member
    official_on: date
    recognition_due: date
    state: str

    @property
    def state_label(self) -> str:
        return PROBATION_STATES[self.state]


def probation_followup(org: Organization, *, on: date, within_days: int = 60) -> list[ProbationRow]:
    """Probationary members counted under `org` to follow on `on`: "upcoming" when their 12 months
    end within `within_days`, "due" from then until the cell's deadline to consider recognition (30
    working days), "overdue" after it. Earliest official date first."""
    members = (
        Member.objects.filter(status=Status.PROBATIONARY, organization__path__startswith=org.path)
        .select_related("organization")
        .order_by("ceremony_date", "name_sort", "pk")
    )
    rows = []
    with cached_rules():
        for m in members:
            official_on = member_rules.expected_official_on(m)
            due = member_rules.recognition_due(m)
            if on < official_on:
                if (official_on - on).days > within_days:
                    continue
                state = UPCOMING
            elif on <= due:
                state = DUE
            else:
                state = OVERDUE
            rows.append(ProbationRow(member=m, official_on=official_on, recognition_due=due, state=state))
    rows.sort(key=lambda r: (r.official_on, r.member.name_sort, r.member.pk))
    return rows


__all__ = [
    "ProbationRow",
    "SegmentRow",
    "TargetProgress",
    "TargetRow",
    "candidates_overdue",
    "parse_period",
    "pipeline_counts",
    "probation_followup",
    "ratio_text",
    "target_progress",
]
