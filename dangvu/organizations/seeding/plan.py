"""The shape of a synthetic province, built in memory before anything touches the database.

`plan_province` is pure: the same province, scale and seed give the same tree, node for node,
on any machine (every commune draws from its own `random.Random` seeded with the seed and the
commune's official code, so `--communes 3` yields exactly the first three communes of a full run).

The tree follows the structure in force from 01/7/2025 (Quy định 294-QĐ/TW): province → the four
provincial blocs and the commune, ward and special-zone committees → base organizations and
residential cells → cells, sub-committees, party groups. The seed records the tree as the
reorganization of 01/7/2025 established it; earlier history (the 63 provinces, districts) is not
generated.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from ..admin_units import AdminUnit, get_unit, wards_of
from ..models import BaseType, Kind
from .catalog import BLOCS, MILITARY, MILITARY_NAMES, Bloc, Unit
from .names import (
    COOPERATIVE_KINDS,
    KINDERGARTEN_NAMES,
    SCHOOL_HEROES,
    enterprise_name,
    place_name,
    region_of,
    residential_places,
)

REORGANIZED_ON = date(2025, 7, 1)
PARTY_FOUNDED_ON = date(1930, 2, 3)
ROOT_CODE = "TW"
ROOT_NAME = "Đảng Cộng sản Việt Nam"


@dataclass(frozen=True)
class Profile:
    """How dense a scale is. Ranges are inclusive (random.randint)."""

    residential: tuple[int, int]  # residential cells of a commune (xã, đặc khu)
    ward_residential: tuple[int, int]  # residential cells of a ward (phường)
    schools: tuple[int, int]  # kindergartens, primary and lower-secondary schools
    cooperatives: tuple[int, int]
    enterprises: tuple[int, int]  # private enterprises in a commune
    ward_enterprises: tuple[int, int]
    committees: tuple[int, int]  # further base committees (upper-secondary school, company, health centre)
    committee_cells: tuple[int, int]
    sub_committee: float  # chance a company committee has a sub-committee level
    ubnd_committee: float  # chance the commune People's Committee office is a base committee
    party_groups: float  # share of residential cells that work in 2–4 party groups
    bloc_committee: float  # chance a bloc unit not marked `big` is a base committee
    bloc_cells: tuple[int, int]


PROFILES: dict[str, Profile] = {
    # A small mountain province like Cao Bằng: about 1,700 cells over 56 communes (seeds/).
    "demo": Profile(
        residential=(11, 19),
        ward_residential=(9, 16),
        schools=(3, 5),
        cooperatives=(0, 2),
        enterprises=(0, 1),
        ward_enterprises=(1, 3),
        committees=(0, 1),
        committee_cells=(3, 5),
        sub_committee=0.6,
        ubnd_committee=0.25,
        party_groups=0.08,
        bloc_committee=0.3,
        bloc_cells=(3, 5),
    ),
    # A large province or city (Hồ Chí Minh City by default): 15,000–20,000 organizations.
    "province": Profile(
        residential=(26, 42),
        ward_residential=(26, 42),
        schools=(7, 11),
        cooperatives=(1, 4),
        enterprises=(2, 6),
        ward_enterprises=(6, 14),
        committees=(2, 3),
        committee_cells=(4, 8),
        sub_committee=0.3,
        ubnd_committee=0.8,
        party_groups=0.2,
        bloc_committee=0.7,
        bloc_cells=(5, 10),
    ),
    # The country: 34 provinces, 3,321 communes, about 300,000 organizations.
    "national": Profile(
        residential=(22, 36),
        ward_residential=(24, 40),
        schools=(5, 8),
        cooperatives=(1, 4),
        enterprises=(1, 5),
        ward_enterprises=(4, 11),
        committees=(1, 3),
        committee_cells=(4, 8),
        sub_committee=0.25,
        ubnd_committee=0.7,
        party_groups=0.25,
        bloc_committee=0.5,
        bloc_cells=(4, 8),
    ),
}
DEFAULT_PROVINCE = {"demo": "04", "province": "79", "national": "04"}


@dataclass(slots=True)
class PlanNode:
    """One organization to create. Its path is given when it is loaded."""

    code: str
    name: str
    kind: str
    base_type: str = ""
    admin_unit_code: str = ""
    founded_on: date = REORGANIZED_ON
    children: list[PlanNode] = field(default_factory=list)

    def add(
        self, suffix: str, name: str, kind: str, base_type: str = "", admin_unit_code: str = ""
    ) -> PlanNode:
        child = PlanNode(f"{self.code}-{suffix}", name, kind, base_type, admin_unit_code, self.founded_on)
        self.children.append(child)
        return child

    def walk(self) -> Iterator[PlanNode]:
        """This node and everything under it, parents before children (path order)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass(frozen=True)
class ProvinceNames:
    code: str
    level: str  # "tỉnh" or "thành phố"
    bare: str  # "Cao Bằng", "Hà Nội"

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.level == "thành phố" else "Tỉnh ủy"

    def fill(self, template: str, n: int = 0) -> str:
        return template.format(lvl=self.level, u=self.committee, p=self.bare, n=n)


def province_names(code: str) -> ProvinceNames:
    unit = get_unit(code)
    if unit is None or len(code) != 2:
        raise ValueError(code)
    level = "thành phố" if unit.division.startswith("thành phố") else "tỉnh"
    bare = unit.name[len("Thành phố ") :] if unit.name.startswith("Thành phố ") else unit.name
    return ProvinceNames(code=code, level=level, bare=bare)


def split_unit_name(unit: AdminUnit) -> tuple[str, str]:
    """("xã", "Hòa An") from "Xã Hòa An"; the division word is lower-cased in party names."""
    division = unit.division
    bare = unit.name[len(division) :].strip() if unit.name.lower().startswith(division) else unit.name
    return division, bare


def plan_province(code: str, *, scale: str, seed: int, communes: int | None = None) -> PlanNode:
    """The whole tree of one province (without the central root), ready to load."""
    profile = PROFILES[scale]
    names = province_names(code)
    province = PlanNode(
        f"T{code}", f"Đảng bộ {names.level} {names.bare}", Kind.PROVINCE, admin_unit_code=code
    )
    wards = wards_of(code)
    # One military command area per eight to twelve communes, as the former districts were.
    areas = max(2, round(len(wards) / 11))
    for bloc in BLOCS:
        _plan_bloc(province, bloc, names, profile, random.Random(f"{seed}:{code}:{bloc.code}"), areas)
    region = region_of(code)
    for ward in wards[:communes] if communes is not None else wards:
        _plan_commune(province, ward, profile, random.Random(f"{seed}:{ward.code}"), region, code)
    return province


def _cell_names(names: ProvinceNames, unit: Unit, count: int) -> list[str]:
    listed = [names.fill(c) for c in unit.cells[:count]]
    if not unit.more:
        return listed
    return listed + [names.fill(unit.more, n) for n in range(1, count - len(listed) + 1)]


def _plan_bloc(
    province: PlanNode, bloc: Bloc, names: ProvinceNames, profile: Profile, rng: random.Random, areas: int
) -> None:
    name = MILITARY_NAMES.get(names.code) if bloc is MILITARY else None
    node = province.add(bloc.code, name or names.fill(bloc.name), Kind.PROVINCIAL_BLOC)
    units = [(unit, n) for unit in bloc.units for n in (range(1, areas + 1) if unit.regional else [0])]
    for i, (unit, n) in enumerate(units, 1):
        title = names.fill(unit.name, n)
        if unit.big or rng.random() < profile.bloc_committee:
            base = node.add(f"B{i:02d}", f"Đảng bộ {title}", Kind.BASE_COMMITTEE, unit.base_type)
            count = rng.randint(*profile.bloc_cells) + (2 if unit.big else 0)
            for j, cell in enumerate(_cell_names(names, unit, count), 1):
                base.add(f"C{j:02d}", f"Chi bộ {cell}", Kind.CELL)
        else:
            node.add(f"B{i:02d}", f"Chi bộ {title}", Kind.BASE_CELL, unit.base_type)


class _CommuneBuilder:
    """Adds the base organizations of one commune, numbering their codes B01, B02…"""

    def __init__(self, commune: PlanNode, rng: random.Random, profile: Profile) -> None:
        self.commune, self.rng, self.profile, self.count = commune, rng, profile, 0
        self.used: set[str] = set()

    def unique(self, title: str) -> str:
        # Two "Trường Tiểu học Kim Đồng" in one commune become "… số 2" as schools are named in practice.
        n, candidate = 1, title
        while candidate in self.used:
            n += 1
            candidate = f"{title} số {n}"
        self.used.add(candidate)
        return candidate

    def base_cell(self, title: str, base_type: str) -> PlanNode:
        self.count += 1
        return self.commune.add(
            f"B{self.count:02d}", f"Chi bộ {self.unique(title)}", Kind.BASE_CELL, base_type
        )

    def base_committee(
        self, title: str, base_type: str, cells: list[str], *, sub: list[str] | None = None
    ) -> None:
        self.count += 1
        base = self.commune.add(
            f"B{self.count:02d}", f"Đảng bộ {self.unique(title)}", Kind.BASE_COMMITTEE, base_type
        )
        for j, cell in enumerate(cells, 1):
            base.add(f"C{j:02d}", f"Chi bộ {cell}", Kind.CELL)
        for k, title_sub in enumerate(sub or [], 1):
            part = base.add(f"P{k}", f"Đảng bộ bộ phận {title_sub}", Kind.SUB_COMMITTEE)
            for j in range(1, self.rng.randint(2, 4) + 1):
                part.add(f"C{j:02d}", f"Chi bộ Tổ sản xuất số {j}", Kind.CELL)


def _plan_commune(
    province: PlanNode, ward: AdminUnit, profile: Profile, rng: random.Random, region: str, province_code: str
) -> None:
    division, bare = split_unit_name(ward)
    commune = province.add(ward.code, f"Đảng bộ {division} {bare}", Kind.COMMUNE, admin_unit_code=ward.code)
    b = _CommuneBuilder(commune, rng, profile)
    place = f"{division} {bare}"
    is_ward = division == "phường"

    b.base_cell(f"Cơ quan Đảng – Mặt trận {place}", BaseType.ADMINISTRATIVE)
    office = f"Cơ quan Hội đồng nhân dân – Ủy ban nhân dân {place}"
    if rng.random() < profile.ubnd_committee:
        economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if is_ward else "Phòng Kinh tế"
        b.base_committee(
            office,
            BaseType.ADMINISTRATIVE,
            [
                "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
                economy,
                "Phòng Văn hóa – Xã hội",
                "Trung tâm Phục vụ hành chính công",
            ],
        )
    else:
        b.base_cell(office, BaseType.ADMINISTRATIVE)
    b.base_cell(f"Công an {place}", BaseType.POLICE)
    b.base_cell(f"Quân sự {place}", BaseType.MILITARY)
    b.base_cell(f"Trạm Y tế {place}", BaseType.PUBLIC_SERVICE)

    # Schools: one of each level carries the commune's name, the others a hero's or a place's.
    for i in range(rng.randint(*profile.schools)):
        level = ("Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở")[i % 3]
        if i < 3:
            school = f"{level} {bare}"
        elif level == "Trường Mầm non":
            school = f"{level} {rng.choice(KINDERGARTEN_NAMES)}"
        else:
            school = f"{level} {rng.choice(SCHOOL_HEROES) if rng.random() < 0.5 else place_name(rng, region)}"
        if region in {"north_mountain", "highlands"} and level != "Trường Mầm non" and rng.random() < 0.2:
            school = school.replace(level, f"Trường Phổ thông dân tộc bán trú {level[7:]}", 1)
        b.base_cell(school, BaseType.PUBLIC_SERVICE)
    for _ in range(rng.randint(*profile.cooperatives)):
        # The statistical forms count cooperatives apart from enterprises; BaseType files them under OTHER.
        b.base_cell(f"Hợp tác xã {rng.choice(COOPERATIVE_KINDS)} {place_name(rng, region)}", BaseType.OTHER)
    for _ in range(rng.randint(*(profile.ward_enterprises if is_ward else profile.enterprises))):
        b.base_cell(enterprise_name(rng), BaseType.PRIVATE_ENTERPRISE)
    for _ in range(rng.randint(*profile.committees)):
        _plan_commune_committee(b, bare, is_ward, region)

    places = residential_places(
        rng,
        region=region,
        province_code=province_code,
        division=division,
        count=rng.randint(*(profile.ward_residential if is_ward else profile.residential)),
    )
    for i, where in enumerate(places, 1):
        cell = commune.add(f"C{i:03d}", f"Chi bộ {where}", Kind.CELL)
        if rng.random() < profile.party_groups:
            for g in range(1, rng.randint(2, 4) + 1):
                cell.add(f"T{g}", f"Tổ đảng số {g}", Kind.PARTY_GROUP)


def _plan_commune_committee(b: _CommuneBuilder, bare: str, is_ward: bool, region: str) -> None:
    """A larger base organization of the commune: it is a base committee with its own cells."""
    rng, profile = b.rng, b.profile
    count = rng.randint(*profile.committee_cells)
    choice = rng.choices(
        ["school", "company", "health", "forestry"],
        weights=[4, 4 if is_ward else 2, 2 if is_ward else 1, 0 if is_ward else 1],
    )[0]
    if choice == "school":
        b.base_committee(
            f"Trường Trung học phổ thông {rng.choice((bare, *SCHOOL_HEROES[:8]))}",
            BaseType.PUBLIC_SERVICE,
            [
                *(
                    "Tổ Toán – Tin học",
                    "Tổ Ngữ văn",
                    "Tổ Ngoại ngữ",
                    "Tổ Khoa học tự nhiên",
                    "Tổ Khoa học xã hội",
                    "Tổ Văn phòng",
                    "Tổ Giáo dục thể chất",
                )[:count]
            ],
        )
    elif choice == "company":
        cells = ["Văn phòng Công ty", "Phòng Kế hoạch – Kỹ thuật", "Phòng Tài chính – Kế toán"][
            : max(1, count - 2)
        ]
        cells += [f"Phân xưởng số {n}" for n in range(1, count - len(cells) + 1)]
        sub = (
            [f"Xí nghiệp số {k}" for k in range(1, rng.randint(1, 2) + 1)]
            if rng.random() < profile.sub_committee
            else None
        )
        b.base_committee(
            enterprise_name(rng).replace("Công ty TNHH", "Công ty Cổ phần"),
            BaseType.PRIVATE_ENTERPRISE,
            cells,
            sub=sub,
        )
    elif choice == "health":
        b.base_committee(
            f"Trung tâm Y tế khu vực {bare}",
            BaseType.PUBLIC_SERVICE,
            [
                "Khoa Khám bệnh",
                "Khoa Nội",
                "Khoa Ngoại – Sản",
                "Khoa Y tế công cộng",
                "Phòng Kế hoạch – Nghiệp vụ",
                "Khoa Dược – Xét nghiệm",
                "Phòng Tổ chức – Hành chính",
            ][:count],
        )
    else:
        b.base_committee(
            f"Công ty TNHH Một thành viên Lâm nghiệp {bare}",
            BaseType.STATE_ENTERPRISE,
            ["Văn phòng Công ty", *(f"Đội sản xuất số {n}" for n in range(1, count))],
        )
