"""The statistics dashboard: an organization's figures today or on a past date, with its children.

Figures come from `statistics.snapshot` only (today: the stored counters; a past date: the event
history under the tree as it stood then). This module just shapes them for the page: headline
cards, chart series (handed to `static/js/dashboard.js` as `json_script`) and the children table.
The campaigns of the date (congress rounds in progress over the organization, the year's admissions
against targets) come from the congress and admission selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangvu.core.formats import fmt_date, fmt_decimal, fmt_int, fmt_percent, parse_date
from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import breadcrumbs, scope_roots

from .. import statistics

PARTY_FOUNDED = date(1930, 2, 3)
ETHNIC_GROUPS_SHOWN = 6  # the largest groups get a bar each; the rest are summed as "Khác"


@dataclass
class Card:
    """One headline figure."""

    label: str
    value: str
    note: str = ""
    key: str = ""


def parse_as_of(raw: str | None, today: date) -> tuple[date, str]:
    """The date asked for (ISO from <input type=date>, or dd/mm/yyyy) and a message if refused.

    An unreadable or future date falls back to today, with a Vietnamese message for the page.
    """
    text = (raw or "").strip()
    if not text:
        return today, ""
    try:
        on = parse_date(text)
    except ValueError as exc:
        return today, f"{exc} Đang hiển thị số liệu hôm nay."
    if on < PARTY_FOUNDED:
        return today, "Ngày không thể trước ngày thành lập Đảng (03/02/1930). Đang hiển thị số liệu hôm nay."
    if on > today:
        return today, (
            f"Ngày {fmt_date(on)} chưa đến: chỉ xem được số liệu đến hôm nay. Đang hiển thị số liệu hôm nay."
        )
    return on, ""


def headline_cards(figures: dict[str, Any], temporary_hosted: int) -> list[Card]:
    m, orgs = figures["members"], figures["organizations"]
    total = m["total"]
    mean_age = m["mean_age"]

    def share(n: int) -> str:
        return f"{fmt_percent(n, total)} tổng số" if total else ""

    return [
        Card("Đảng viên", fmt_int(total), "chính thức và dự bị", key="total"),
        Card("Đảng viên chính thức", fmt_int(m["official"]), share(m["official"]), key="official"),
        Card("Đảng viên dự bị", fmt_int(m["probationary"]), share(m["probationary"]), key="probationary"),
        Card("Đảng viên nữ", fmt_int(m["female"]), share(m["female"]), key="female"),
        Card("Dân tộc thiểu số", fmt_int(m["ethnic_minority"]), share(m["ethnic_minority"]), key="minority"),
        Card("Có tôn giáo", fmt_int(m["religious"]), share(m["religious"]), key="religious"),
        Card("Miễn sinh hoạt", fmt_int(m["exempted"]), share(m["exempted"]), key="exempted"),
        Card(
            "Tuổi đời bình quân",
            fmt_decimal(mean_age, 1) if mean_age is not None else "—",
            "tính theo năm sinh",
            key="mean_age",
        ),
        Card("Tổ chức cơ sở đảng", fmt_int(orgs["base"]), "đảng bộ cơ sở, chi bộ cơ sở", key="base"),
        Card("Chi bộ", fmt_int(orgs["cells"]), "chi bộ cơ sở và chi bộ trực thuộc", key="cells"),
        Card(
            "Sinh hoạt tạm thời",
            fmt_int(temporary_hosted),
            "đang sinh hoạt tạm thời tại đây; chỉ liệt kê, không cộng vào tổng số",
            key="temporary",
        ),
    ]


def _rows(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {"labels": [r["label"] for r in rows], "values": [r["total"] for r in rows]}


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """The series the charts draw (also shown as tables under each chart)."""
    m = figures["members"]
    ethnicity = sorted(figures["ethnicity"], key=lambda r: -r["total"])
    shown, rest = ethnicity[:ETHNIC_GROUPS_SHOWN], ethnicity[ETHNIC_GROUPS_SHOWN:]
    if rest:
        shown = [*shown, {"label": "Dân tộc khác", "total": sum(r["total"] for r in rest)}]
    pyramid = list(reversed(figures["age_pyramid"]))  # oldest at the top
    return {
        "status": {"labels": ["Chính thức", "Dự bị"], "values": [m["official"], m["probationary"]]},
        "pyramid": {
            "labels": [r["label"] for r in pyramid],
            "male": [r.get("male", 0) for r in pyramid],
            "female": [r.get("female", 0) for r in pyramid],
        },
        "ethnicity": _rows(shown),
        "education": _rows(figures["education"]),
        "theory": _rows(figures["theory_level"]),
        "admissions": {
            "labels": [str(r["year"]) for r in figures["admissions_per_year"]],
            "values": [r["admitted"] for r in figures["admissions_per_year"]],
        },
    }


CHARTS = (  # (canvas id, title, series in chart_data, column heading of the numbers)
    ("chart-status", "Đảng viên chính thức và dự bị", "status", "Đảng viên"),
    ("chart-pyramid", "Tháp tuổi theo giới tính", "pyramid", ""),
    ("chart-ethnicity", "Dân tộc", "ethnicity", "Đảng viên"),
    ("chart-admissions", "Kết nạp đảng viên mới theo năm", "admissions", "Kết nạp"),
    ("chart-education", "Trình độ giáo dục phổ thông", "education", "Đảng viên"),
    ("chart-theory", "Trình độ lý luận chính trị", "theory", "Đảng viên"),
)


def chart_cards(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each chart's title and its figures as a table (the accessible twin of the drawing)."""
    cards = []
    for canvas, title, series, heading in CHARTS:
        d = data[series]
        if series == "pyramid":
            headers = ["Nhóm tuổi", "Nam", "Nữ"]
            rows = [
                [label, fmt_int(m), fmt_int(f)]
                for label, m, f in zip(d["labels"], d["male"], d["female"], strict=True)
            ]
            empty = not any(d["male"]) and not any(d["female"])
        else:
            headers = ["", heading]
            rows = [[label, fmt_int(v)] for label, v in zip(d["labels"], d["values"], strict=True)]
            empty = not any(d["values"])
        cards.append({"id": canvas, "title": title, "headers": headers, "rows": rows, "empty": empty})
    return cards


def _table_row(name: str, figs: dict[str, Any] | None = None, **values: int) -> dict[str, Any]:
    if figs is not None:
        m = figs["members"]
        values = {
            "total": m["total"],
            "official": m["official"],
            "probationary": m["probationary"],
            "female": m["female"],
            "cells": figs["organizations"]["cells"],
        }
    return {"name": name, **values, "female_share": fmt_percent(values["female"], values["total"])}


COLUMNS = ("total", "official", "probationary", "female", "cells")


def children_table(snapshot: statistics.Snapshot, visible_ids: set[int], as_of: str) -> dict[str, Any]:
    """Rows per child, their sum, the parent's own members (the difference), and the parent's total."""
    rows = []
    for info, figs in snapshot.children:
        row = _table_row(info["name"], figs)
        row.update(
            id=info["id"], code=info["code"], kind=info["kind_label"], linked=info["id"] in visible_ids
        )
        rows.append(row)
    children_sum = {c: sum(r[c] for r in rows) for c in COLUMNS}
    parent = _table_row("", snapshot.figures)
    own = {c: parent[c] - children_sum[c] for c in COLUMNS}
    return {
        "rows": rows,
        "sum": _table_row("Cộng các tổ chức trực thuộc", **children_sum),
        "own": _table_row("Sinh hoạt trực tiếp", **own) if any(own.values()) else None,
        "total": parent,
        "as_of": as_of,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roots = scope_roots(user=request.user)
    if not roots:
        raise Http404
    return redirect("reports:dashboard", pk=roots[0].pk)


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    on, date_error = parse_as_of(request.GET.get("as_of"), today)
    org = get_object_or_404(with_campaign_flags(Organization.objects.visible_to(request.user), on), pk=pk)
    snap = statistics.snapshot(org, on)
    as_of = on.isoformat() if snap.from_history else ""
    child_ids = [info["id"] for info, _ in snap.children]
    visible_ids = set(
        Organization.objects.visible_to(request.user).filter(pk__in=child_ids).values_list("pk", flat=True)
    )
    charts = chart_data(snap.figures)
    context = {
        "org": org,
        "snap": snap,
        "today": today,
        "as_of": as_of,
        "date_error": date_error,
        "not_yet_founded": bool(org.founded_on and on < org.founded_on),
        "ancestors": breadcrumbs(user=request.user, org=org),
        "cards": headline_cards(snap.figures, snap.temporary_hosted),
        "charts": charts,
        "chart_cards": chart_cards(charts),
        "table": children_table(snap, visible_ids, as_of),
        "period_from": date(on.year, 1, 1),
        "ranking": latest_ranking(org, on),
        "campaigns": campaigns(org, on, as_of),
    }
    return render(request, "reports/dashboard.html", context)


def latest_ranking(org: Organization, on: date) -> dict[str, Any] | None:
    """The quality ranking of the latest finished round covering the year of `on` or the year before."""
    from dangvu.evaluations.statistics import ranking_distribution

    return ranking_distribution(org, on.year) or ranking_distribution(org, on.year - 1)


# ---------------------------------------------------------------------------------------------
# Campaigns: congress rounds and admissions against targets (issue 6)


def _rounds_in_progress(on: date) -> QuerySet:
    """Congress rounds open on `on`: opened by then and not closed yet."""
    from dangvu.congresses.models import CongressRound

    return CongressRound.objects.filter(opened_on__isnull=False, opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on)
    )


def with_campaign_flags(qs: QuerySet, on: date) -> QuerySet:
    """Organizations annotated with whether a congress round covering them was in progress on `on`
    (opened by them or above them: their path starts with the round's), and whether they or their
    children have an admission target for the year of `on`. The dashboard fetches its organization
    with these two flags, so a page with no campaign costs no query more."""
    from dangvu.admissions.models import AdmissionTarget

    # The outer organization's path starts with the round organization's path.
    covered = ExpressionWrapper(OuterRef("path"), output_field=CharField())
    rounds = (
        _rounds_in_progress(on).annotate(covered=covered).filter(covered__startswith=F("organization__path"))
    )
    targets = AdmissionTarget.objects.filter(
        year_from=on.year,
        year_to=on.year,
        target__gt=0,
        organization__path__startswith=OuterRef("path"),
        organization__depth__lte=OuterRef("depth") + 1,
    )
    return qs.annotate(has_rounds=Exists(rounds), has_targets=Exists(targets))


def percent(done: int, total: int | None) -> int:
    """Whole percent for a progress bar, at most 100 (the text next to it gives the exact ratio)."""
    return min(100, done * 100 // total) if total else 0


def campaigns(org: Organization, on: date, as_of: str) -> dict[str, Any]:
    """The congress rounds covering `org` in progress on `on` with their progress under `org`, and
    the admissions of the year of `on` against the targets (when `org` or its children have one).
    `org` comes from `with_campaign_flags`; `as_of` is the date kept in links ("" for today)."""
    from dangvu.admissions.selectors import target_progress
    from dangvu.congresses.selectors import progress

    rounds = []
    if getattr(org, "has_rounds", True):
        step = Organization.steplen
        prefixes = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
        covering = (
            _rounds_in_progress(on).filter(organization__path__in=prefixes).select_related("organization")
        )
        for rnd in covering.order_by("deadline", "id"):
            p = progress(rnd, org, as_of=on)
            if p.total:  # nothing of this round's level under `org` (a cell in a base round)
                rounds.append({"round": rnd, "progress": p, "percent": percent(p.held, p.total)})
    admissions = None
    if getattr(org, "has_targets", True):
        t = target_progress(org, year_from=on.year, as_of=on)
        if t.target is not None or t.children_target:
            segments = [
                {"row": s, "percent": percent(s.admitted, s.target)}
                for s in t.segments
                if s.target is not None
            ]
            admissions = {"progress": t, "percent": percent(t.admitted, t.target), "segments": segments}
    query = f"?ngay={as_of}" if as_of else ""
    return {"rounds": rounds, "admissions": admissions, "year": on.year, "query": query}
