"""Demo campaigns on a seeded province (`dangvu seed`, after the members and the demo accounts):
the border communes, two congress rounds of the 2025–2030 term with realistic partial progress and
the committees they elected, candidates at every stage of admission, and the year's admission
targets.

Rounds, targets, border flags and candidates go through the services (rights, rules, history);
the results of some 1,800 congresses are written in bulk (see `congresses`). Everything runs in one
transaction, once per province: a second `dangvu seed` finds the cell round and only prints the
figures. About 10 seconds on SQLite for the demo province.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.models import OrgRole, Role
from dangvu.congresses import selectors as congress_selectors
from dangvu.congresses.models import CongressRound
from dangvu.core.rules import cached_rules
from dangvu.core.text import search_key
from dangvu.organizations.services import organization_update

from ...admin_units import get_unit
from ...models import Kind, Organization
from ..plan import split_unit_name
from .candidates import seed_candidates
from .congresses import ROUNDS, MemberIndex, seed_round
from .targets import seed_targets

# Communes of Cao Bằng on the border with China, by name: those of the former border districts
# (Bảo Lạc, Hà Quảng, Trùng Khánh, Hạ Lang, Quảng Hòa, Thạch An) that reach the frontier. A demo
# list read off the map, not an official one; other provinces get no border flag.
BORDER_COMMUNES: dict[str, frozenset[str]] = {
    "04": frozenset(
        {
            "Cốc Pàng", "Cô Ba", "Khánh Xuân", "Xuân Trường", "Lũng Nặm", "Trường Hà", "Tổng Cọt",
            "Hà Quảng", "Thanh Long", "Trà Lĩnh", "Quang Hán", "Quang Trung", "Đình Phong",
            "Đàm Thuỷ", "Đoài Dương", "Lý Quốc", "Quang Long", "Vinh Quý", "Phục Hòa", "Đức Long",
        }
    )
}  # fmt: skip


@dataclass
class CampaignReport:
    created: bool  # False: the province had its campaigns already (nothing was written)
    lines: list[str] = field(default_factory=list)  # "Đại hội chi bộ …: 886/1.136 (78,00%)"
    seconds: float = 0.0
    refused: list[str] = field(default_factory=list)  # candidate stages a rule refused (rare)


def campaign_actor(province: Organization) -> Any | None:
    """Who runs the demo campaigns: the province's organization staff (the demo account
    `tinh.tochuc`), else a system administrator; None when the seed made no accounts."""
    grants = OrgRole.objects.active().select_related("user").order_by("id")
    grant = (
        grants.filter(organization=province, role=Role.ORG_STAFF).first()
        or grants.filter(role=Role.SYSTEM_ADMIN).first()
    )
    return grant.user if grant else None


def seed_campaigns(
    *, province: Organization, seed: int, actor: Any, as_of: date | None = None
) -> CampaignReport:
    """Seed the campaigns of `province` as `actor`, once (nothing is written if its cell round
    exists already). Deterministic for a seed and a seeding day."""
    started = time.perf_counter()
    as_of = as_of or timezone.localdate()
    cell = ROUNDS[-1]
    exists = CongressRound.objects.filter(
        organization=province, level=cell.level, term_start_year=cell.term[0], term_end_year=cell.term[1]
    ).exists()
    refused: list[str] = []
    if not exists:
        with transaction.atomic(), cached_rules():
            mark_border(province, actor)
            members = MemberIndex(province)
            for plan in ROUNDS:
                seed_round(plan, province=province, actor=actor, seed=seed, as_of=as_of, members=members)
            # Candidates first: those admitted here count in the year's admissions the targets follow.
            refused = seed_candidates(province=province, actor=actor, seed=seed, as_of=as_of, members=members)
            seed_targets(province=province, actor=actor, seed=seed, as_of=as_of)
    return CampaignReport(
        created=not exists,
        lines=summary(province, as_of),
        seconds=time.perf_counter() - started,
        refused=refused,
    )


def summary(province: Organization, as_of: date) -> list[str]:
    """One line per opened round of the province, and one for the year's admissions."""
    from dangvu.admissions.selectors import target_progress

    lines = []
    rounds = CongressRound.objects.filter(organization=province, opened_on__isnull=False)
    for rnd in rounds.order_by("id"):
        lines.append(f"{rnd.name}: {congress_selectors.progress(rnd, province, as_of=as_of).ratio_text}")
    admissions = target_progress(province, year_from=as_of.year, as_of=as_of)
    lines.append(f"Kết nạp đảng viên năm {as_of.year}: {admissions.ratio_text}")
    return lines


def mark_border(province: Organization, actor: Any) -> list[Organization]:
    """Flag the province's border communes (`BORDER_COMMUNES`) through the organization service."""
    names = {search_key(n) for n in BORDER_COMMUNES.get(province.code[1:], ())}
    marked = []
    communes = Organization.objects.filter(
        path__startswith=province.path, kind=Kind.COMMUNE, border_area=False
    )
    for commune in communes.order_by("path"):
        unit = get_unit(commune.admin_unit_code)
        bare = split_unit_name(unit)[1] if unit else commune.name  # "Xã Trà Lĩnh" → "Trà Lĩnh"
        if search_key(bare) in names:  # "Thuỷ" and "Thủy" are the same name
            marked.append(
                organization_update(
                    actor=actor, org=commune, border_area=True, reason="Xã biên giới (dữ liệu mẫu)"
                )
            )
    return marked


__all__ = ["BORDER_COMMUNES", "CampaignReport", "campaign_actor", "mark_border", "seed_campaigns", "summary"]
