"""Named figures for an organization on a date or over a period: what pages, exports, the API and
the CLI show. Field names here are the stable names of the API (documented in docs/statistics.md).

Definitions (documented for users in docs/huong-dan/thong-ke.md):
- counted members (đảng số): probationary and official members whose membership is recorded at an
  organization of the subtree; temporary members are listed at the host but counted at home;
- age (tuổi đời) and party age (tuổi Đảng) are counted by year: the year of the date minus the
  year of birth, or of the first admission;
- ethnic minorities: every group but Kinh; religious: every religion but "Không".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from dangvu.members.choices import (
    ETHNICITY_CHOICES,
    KINH,
    Education,
    Gender,
    Occupation,
    Qualification,
    Religion,
    Status,
    TheoryLevel,
)
from dangvu.members.models import MemberEvent
from dangvu.organizations.models import BaseType, Kind, Organization

from . import figures, tallies

AGE_BANDS = [  # (code, label, lowest age, highest age) — Biểu số 2, 3-BTCTW
    ("18_30", "Từ 18 đến 30 tuổi", 0, 30),
    ("31_35", "Từ 31 đến 35 tuổi", 31, 35),
    ("36_40", "Từ 36 đến 40 tuổi", 36, 40),
    ("41_45", "Từ 41 đến 45 tuổi", 41, 45),
    ("46_50", "Từ 46 đến 50 tuổi", 46, 50),
    ("51_55", "Từ 51 đến 55 tuổi", 51, 55),
    ("56_60", "Từ 56 đến 60 tuổi", 56, 60),
    ("over_60", "Trên 60 tuổi", 61, 200),
]
PARTY_AGE_BANDS = [
    ("under_10", "Dưới 10 năm", 0, 9),
    ("10_19", "Từ 10 đến dưới 20 năm", 10, 19),
    ("20_29", "Từ 20 đến dưới 30 năm", 20, 29),
    ("30_39", "Từ 30 đến dưới 40 năm", 30, 39),
    ("40_49", "Từ 40 đến dưới 50 năm", 40, 49),
    ("50_plus", "Từ 50 năm trở lên", 50, 500),
]
YOUTH_MAX_AGE = tallies.YOUTH_MAX_AGE
UNKNOWN = "Chưa ghi"


def _choices_rows(counter: Counter, family: str, choices: list[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = [
        {"code": code, "label": label, "total": counter.get(f"{family}:{code}", 0)} for code, label in choices
    ]
    unknown = counter.get(f"{family}:", 0)
    if unknown:
        rows.append({"code": "", "label": UNKNOWN, "total": unknown})
    return rows


def _by_gender(counter: Counter, family: str, code: str) -> tuple[int, int]:
    female = counter.get(f"{family}:{code}:{Gender.FEMALE}", 0)
    return counter.get(f"{family}:{code}:{Gender.MALE}", 0) + female, female


def describe(counter: Counter, on: date) -> dict[str, Any]:
    """The named figures of one organization's counter on `on` (a dict ready for JSON)."""
    total = counter.get("all", 0)
    female = counter.get(f"g:{Gender.FEMALE}", 0)
    kinh_total, _ = _by_gender(counter, "eth", KINH)
    no_religion, _ = _by_gender(counter, "rel", Religion.NONE)

    ages: Counter = Counter()
    ages_female: Counter = Counter()
    pyramid: dict[int, dict[str, int]] = {}
    age_sum = 0
    for key, n in counter.items():
        if key.startswith("by:"):
            _, year, gender = key.split(":")
            age = on.year - int(year)
            age_sum += age * n
            band = next(code for code, _l, lo, hi in AGE_BANDS if age <= hi)
            ages[band] += n
            if gender == Gender.FEMALE:
                ages_female[band] += n
            five = min(age // 5 * 5, 90)
            slot = pyramid.setdefault(five, {"male": 0, "female": 0})
            slot[gender] = slot.get(gender, 0) + n
    party_ages: Counter = Counter()
    for key, n in counter.items():
        if key.startswith("ay:"):
            years = on.year - int(key[3:])
            party_ages[next(code for code, _l, lo, hi in PARTY_AGE_BANDS if years <= hi)] += n

    ethnicity = []
    for code, name in ETHNICITY_CHOICES:
        t, f = _by_gender(counter, "eth", code)
        if t:
            ethnicity.append({"code": code, "label": name, "total": t, "female": f})
    religion = []
    for code, label in Religion.choices:
        t, f = _by_gender(counter, "rel", code)
        religion.append({"code": code, "label": label, "total": t, "female": f})

    org_kinds = [
        {"code": k.value, "label": k.label, "total": counter.get(f"org:{k.value}", 0)}
        for k in Kind
        if counter.get(f"org:{k.value}", 0)
    ]
    return {
        "as_of": on.isoformat(),
        "members": {
            "total": total,
            "official": counter.get(f"st:{Status.OFFICIAL}", 0),
            "probationary": counter.get(f"st:{Status.PROBATIONARY}", 0),
            "female": female,
            "male": counter.get(f"g:{Gender.MALE}", 0),
            "ethnic_minority": total - kinh_total,
            "religious": total - no_religion,
            "exempted": counter.get("ex", 0),
            "youth": ages.get("18_30", 0),
            "mean_age": round(age_sum / total, 1) if total else None,
        },
        "organizations": {
            "by_kind": org_kinds,
            "base": sum(counter.get(f"org:{k}", 0) for k in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)),
            "cells": sum(counter.get(f"org:{k}", 0) for k in (Kind.BASE_CELL, Kind.CELL)),
            "base_by_type": [
                {"code": t.value, "label": t.label, "total": counter.get(f"base:{t.value}", 0)}
                for t in BaseType
            ],
        },
        "age_bands": [
            {"code": c, "label": label, "total": ages.get(c, 0), "female": ages_female.get(c, 0)}
            for c, label, _lo, _hi in AGE_BANDS
        ],
        "age_pyramid": [
            {"from": a, "label": f"{a}–{a + 4}" if a < 90 else "90+", **pyramid[a]} for a in sorted(pyramid)
        ],
        "party_age_bands": [
            {"code": c, "label": label, "total": party_ages.get(c, 0)}
            for c, label, _lo, _hi in PARTY_AGE_BANDS
        ],
        "admission_periods": [
            {"code": c, "label": label, "total": counter.get(f"ap:{c}", 0)}
            for c, _s, _e, label in tallies.ADMISSION_PERIODS
        ],
        "ethnicity": ethnicity,
        "religion": religion,
        "education": _choices_rows(counter, "edu", Education.choices),
        "qualification": _choices_rows(counter, "qual", Qualification.choices),
        "theory_level": _choices_rows(counter, "th", TheoryLevel.choices),
        "occupation": _choices_rows(counter, "occ", Occupation.choices),
        "admissions_per_year": _admissions_per_year(counter, on),
    }


def _admissions_per_year(counter: Counter, on: date, years: int = 10) -> list[dict[str, int]]:
    """New admissions in each of the last `years` calendar years up to `on`, by the organizations
    under this one on `on` (whatever they were under when they admitted)."""
    return [
        {"year": y, "admitted": counter.get(f"ad:{y}", 0)} for y in range(on.year - years + 1, on.year + 1)
    ]


def brief_keys(on: date) -> list[str]:
    """The counter keys `describe_brief` reads."""
    keys = ["all", "ex"]
    keys += [f"st:{s}" for s in (Status.OFFICIAL, Status.PROBATIONARY)]
    for g in Gender.values:
        keys += [f"g:{g}", f"eth:{KINH}:{g}", f"rel:{Religion.NONE}:{g}"]
    keys += [f"org:{k}" for k in Kind.values] + [f"base:{t}" for t in BaseType.values]
    keys += [f"ad:{y}" for y in range(on.year - 9, on.year + 1)]
    return keys


def describe_brief(counter: Counter, on: date) -> dict[str, Any]:
    """The figures of a child row (dashboard table, report annex, API `children`): members by status,
    gender, minorities, religion, exemption; organizations; admissions per year. Ages and the
    breakdowns are left out: they are the bulk of the counters and no child row shows them. Reads
    only `brief_keys` (a province has 172 children: the full `describe` for each cost 100 ms)."""
    total = counter.get("all", 0)
    kinh = sum(counter.get(f"eth:{KINH}:{g}", 0) for g in Gender.values)
    no_religion = sum(counter.get(f"rel:{Religion.NONE}:{g}", 0) for g in Gender.values)
    kinds = {k.value: counter.get(f"org:{k.value}", 0) for k in Kind}
    return {
        "as_of": on.isoformat(),
        "members": {
            "total": total,
            "official": counter.get(f"st:{Status.OFFICIAL}", 0),
            "probationary": counter.get(f"st:{Status.PROBATIONARY}", 0),
            "female": counter.get(f"g:{Gender.FEMALE}", 0),
            "male": counter.get(f"g:{Gender.MALE}", 0),
            "ethnic_minority": total - kinh,
            "religious": total - no_religion,
            "exempted": counter.get("ex", 0),
        },
        "organizations": {
            "by_kind": [
                {"code": k.value, "label": k.label, "total": kinds[k.value]} for k in Kind if kinds[k.value]
            ],
            "base": kinds[Kind.BASE_COMMITTEE] + kinds[Kind.BASE_CELL],
            "cells": kinds[Kind.BASE_CELL] + kinds[Kind.CELL],
            "base_by_type": [
                {"code": t.value, "label": t.label, "total": counter.get(f"base:{t.value}", 0)}
                for t in BaseType
            ],
        },
        "admissions_per_year": _admissions_per_year(counter, on),
    }


@dataclass
class Snapshot:
    """Figures of an organization and its children on a date."""

    organization: Organization
    on: date
    figures: dict[str, Any]
    children: list[tuple[dict[str, Any], dict[str, Any]]]  # (organization info, figures)
    temporary_hosted: int
    from_history: bool


def snapshot(org: Organization, on: date | None = None) -> Snapshot:
    """Figures for `org` and each of its children on `on` (today by default)."""
    today = timezone.localdate()
    on = min(on or today, today)
    total, children, tree = figures.counts_for(org, on, child_keys=brief_keys(on))
    if tree is None:
        infos = {
            r["pk"]: r
            for r in Organization.objects.filter(pk__in=list(children)).values(
                "pk", "code", "name", "kind", "path"
            )
        }
        hosted = figures.hosted_temporary_today(org)
    else:
        infos = tree.info
        hosted = figures.hosted_temporary(tree)
    child_rows = [
        (
            {
                "id": c,
                "code": infos[c]["code"],
                "name": infos[c]["name"],
                "kind": infos[c]["kind"],
                "kind_label": Kind(infos[c]["kind"]).label,
            },
            describe_brief(children[c], on),
        )
        for c in sorted(children, key=lambda c: infos[c]["path"])
    ]
    figs = describe(total, on)
    figs["members"]["temporary_hosted"] = hosted
    return Snapshot(
        organization=org,
        on=on,
        figures=figs,
        children=child_rows,
        temporary_hosted=hosted,
        from_history=on < today,
    )


# ---------------------------------------------------------------------------------------------
# Periods: increase, decrease, new admissions

K = MemberEvent.Kind
INCREASE_KINDS = (K.ADMITTED, K.READMITTED, K.TRANSFERRED_IN, K.CONTACT_RESTORED)
DECREASE_KINDS = (K.DECEASED, K.EXPELLED, K.REMOVED, K.LEFT, K.TRANSFERRED_OUT, K.CONTACT_LOST)


def period(org: Organization, start: date, end: date) -> dict[str, Any]:
    """Biểu số 1 and 2: members at the start, increases and decreases by cause, members at the end,
    new admissions by segment. The subtree is taken as it stood at the end of the period; a
    transfer between two organizations of the subtree is neither an increase nor a decrease."""
    today = timezone.localdate()
    end = min(end, today)
    tree = figures.tree_as_of(org, end)
    ids = tree.ids()
    opening = figures.counted_total(figures.tree_as_of(org, figures.day_before(start)))
    if end >= today:
        closing = figures.today_counts([org.pk], keys=["all"]).get(org.pk, Counter()).get("all", 0)
    else:
        closing = figures.counted_total(tree)

    province_prefix = org.path[: 2 * Organization.steplen] if org.depth >= 2 else None
    events = (
        MemberEvent.objects.filter(
            figures._org_filter(tree),
            effective_on__gte=start,
            effective_on__lte=end,
            kind__in=[*INCREASE_KINDS, *DECREASE_KINDS],
        )
        .order_by()
        .values(
            "kind",
            "organization_id",
            "other_org_id",
            "other_org__path",
            "status_after",
            "effective_on",
            "data",
            *(f"member__{f}" for f in figures.MEMBER_FIELDS),
            "member__official_on",
        )
    )
    inc: Counter = Counter()
    dec: Counter = Counter()
    admissions: list[dict[str, Any]] = []
    for e in events:
        if e["organization_id"] not in ids:
            continue
        kind = e["kind"]
        if kind in (K.TRANSFERRED_IN, K.TRANSFERRED_OUT):
            other = e["other_org_id"]
            if other is not None and other in ids:
                continue  # moved within the subtree
            path = e["other_org__path"]
            where = (
                "other_province"
                if not path or not province_prefix or not path.startswith(province_prefix)
                else "same_province"
            )
            (inc if kind == K.TRANSFERRED_IN else dec)[f"{kind}:{where}"] += 1
        if kind in INCREASE_KINDS:
            inc[kind] += 1
        else:
            dec[kind] += 1
            if kind == K.REMOVED:
                official_on = e["member__official_on"]
                if official_on is None or official_on > e["effective_on"]:
                    dec["removed:probationary"] += 1
        if kind == K.ADMITTED:
            admissions.append(e)
    increase_total = sum(inc[k] for k in INCREASE_KINDS)
    decrease_total = sum(dec[k] for k in DECREASE_KINDS)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "opening": opening,
        "increase": {
            "total": increase_total,
            "admitted": inc[K.ADMITTED],
            "transferred_in": inc[K.TRANSFERRED_IN],
            "transferred_in_other_province": inc[f"{K.TRANSFERRED_IN}:other_province"],
            "transferred_in_same_province": inc[f"{K.TRANSFERRED_IN}:same_province"],
            "readmitted": inc[K.READMITTED],
            "contact_restored": inc[K.CONTACT_RESTORED],
        },
        "decrease": {
            "total": decrease_total,
            "deceased": dec[K.DECEASED],
            "expelled": dec[K.EXPELLED],
            "removed": dec[K.REMOVED],
            "removed_probationary": dec["removed:probationary"],
            "left": dec[K.LEFT],
            "transferred_out": dec[K.TRANSFERRED_OUT],
            "transferred_out_other_province": dec[f"{K.TRANSFERRED_OUT}:other_province"],
            "transferred_out_same_province": dec[f"{K.TRANSFERRED_OUT}:same_province"],
            "contact_lost": dec[K.CONTACT_LOST],
        },
        "closing": closing,
        "balanced": opening + increase_total - decrease_total == closing,
        "admissions": _admission_segments(admissions),
    }


def _admission_segments(events: list[dict[str, Any]]) -> dict[str, Any]:
    seg: Counter = Counter()
    by: dict[str, Counter] = {
        f: Counter() for f in ("education", "qualification", "theory_level", "occupation")
    }
    for e in events:
        seg["total"] += 1
        on = e["effective_on"]
        if e["member__gender"] == Gender.FEMALE:
            seg["female"] += 1
        if on.year - e["member__birth_date"].year <= YOUTH_MAX_AGE:
            seg["youth"] += 1
        if e["member__ethnicity"] != KINH:
            seg["ethnic_minority"] += 1
        if e["member__religion"] != Religion.NONE:
            seg["religious"] += 1
        if e["member__occupation"] == Occupation.PRIVATE_ENTERPRISE:
            seg["private_enterprise"] += 1
        for f, c in by.items():
            c[e[f"member__{f}"]] += 1
    choices = {
        "education": Education.choices,
        "qualification": Qualification.choices,
        "theory_level": TheoryLevel.choices,
        "occupation": Occupation.choices,
    }
    out: dict[str, Any] = {
        k: seg.get(k, 0)
        for k in ("total", "female", "youth", "ethnic_minority", "religious", "private_enterprise")
    }
    for f, c in by.items():
        rows = [{"code": code, "label": label, "total": c.get(code, 0)} for code, label in choices[f]]
        if c.get(""):
            rows.append({"code": "", "label": UNKNOWN, "total": c[""]})
        out[f"by_{f}"] = rows
    return out
