"""Vietnam's official administrative units (34 provinces, 3,321 communes since 01/7/2025).

The list comes from the `vietnam-provinces` package (maintained, follows the official GSO codes),
not from a hand-typed table. Codes are stored as strings: provinces with 2 digits ("01"),
communes and wards with 5 ("00004").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import Province, Ward


@dataclass(frozen=True)
class AdminUnit:
    code: str
    name: str
    division: str  # tỉnh, thành phố trung ương, xã, phường, đặc khu
    province_code: str


def _province_unit(p: Province) -> AdminUnit:
    code = f"{int(p.code):02d}"
    return AdminUnit(code=code, name=p.name, division=p.division_type.value, province_code=code)


def _ward_unit(w: Ward) -> AdminUnit:
    return AdminUnit(
        code=f"{int(w.code):05d}",
        name=w.name,
        division=w.division_type.value,
        province_code=f"{int(w.province_code):02d}",
    )


@lru_cache(maxsize=1)
def _units() -> dict[str, AdminUnit]:
    units = {u.code: u for u in map(_province_unit, Province.iter_all())}
    units.update({u.code: u for u in map(_ward_unit, Ward.iter_all())})
    return units


def get_unit(code: str) -> AdminUnit | None:
    return _units().get(code) if code else None


def admin_unit_name(code: str) -> str:
    unit = get_unit(code)
    return unit.name if unit else ""


def provinces() -> list[AdminUnit]:
    return sorted((u for u in _units().values() if len(u.code) == 2), key=lambda u: u.code)


@lru_cache(maxsize=64)
def wards_of(province_code: str) -> tuple[AdminUnit, ...]:
    return tuple(
        sorted(
            (u for u in _units().values() if len(u.code) == 5 and u.province_code == province_code),
            key=lambda u: u.code,
        )
    )
