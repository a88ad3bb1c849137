"""Name pools for synthetic data: villages, schools, enterprises and people, by region.

Everything here is pure and driven by a `random.Random` the caller owns, so a seed gives the same
names on every machine. Official names (provinces, communes, wards, special zones) never come from
here: they come from `dangvu.organizations.admin_units`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

NORTH_MOUNTAIN = frozenset({"04", "08", "11", "12", "14", "15", "20"})
DELTA = frozenset({"01", "19", "22", "24", "25", "31", "33", "37"})
CENTRAL = frozenset({"38", "40", "42", "44", "46", "48", "51", "56"})
HIGHLANDS = frozenset({"52", "66", "68"})
SOUTH = frozenset({"75", "79", "80", "82", "86", "91", "92", "96"})


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(text.split(", "))


def _weighted(text: str) -> tuple[tuple[str, int], ...]:
    """ "Nguyễn 38, Trần 11" → (("Nguyễn", 38), ("Trần", 11))."""
    return tuple((name, int(weight)) for name, weight in (item.rsplit(" ", 1) for item in text.split(", ")))


def region_of(province_code: str) -> str:
    for name, codes in (
        ("north_mountain", NORTH_MOUNTAIN),
        ("delta", DELTA),
        ("central", CENTRAL),
        ("highlands", HIGHLANDS),
        ("south", SOUTH),
    ):
        if province_code in codes:
            return name
    return "delta"


# Tày, Nùng, Thái and Mông place names are mostly two syllables: a landform word (nà: rice field,
# khuổi: stream, pác: mouth, lũng: valley, cốc: foot of a hill…) and a specifier.
_MOUNTAIN_A = _words(
    "Nà Bản Khuổi Pác Lũng Cốc Phiêng Nặm Tà Khau Pò Bó Co Kéo Slam Thôm Lủng Búng Hát Nậm Huổi "
    "Pá Mường Sin Séo Lao Pù Đông"
)
_MOUNTAIN_B = _words(
    "Pục Giới Khon Mạ Rỳ Pàng Mè Luông Vài Sliểng Hẩu Khoang Slác Cáy Thin Pia Lạn Mòn Ngòa Rạo "
    "Chang Cải Sao Hoa Nưa Lẹng Phầy Chải Tủng Sáng Bon Khà Pết Mu Hin Lẩy Nghiều Táp Mới Kiểng"
)
# Kinh village names are Sino-Vietnamese pairs ("Phú Mỹ", "Thượng Phúc", "An Lạc").
_SINO_A = _words(
    "An Bình Phú Tân Hòa Thịnh Xuân Hưng Yên Phúc Lộc Thọ Vĩnh Mỹ Đức Quang Thanh Kim Ngọc Văn "
    "Cát Hồng Lương Thái Long Phước Thạnh Trường Hiệp Thuận Đông Tây Nam Bắc Thượng Hạ Trung "
    "Đại Tiên Hải Minh Quảng Gia Nghĩa Thắng Lợi"
)
_SINO_B = _words(
    "An Bình Phú Hòa Thịnh Xuân Hưng Yên Phúc Lộc Thọ Mỹ Đức Quang Thành Lạc Hội Lâm Sơn Điền "
    "Trạch Lương Thái Long Lợi Thạnh Hiệp Thuận Đông Tây Trung Tiến Hải Minh Phong Khánh Ninh "
    "Định Nghĩa Tân Vinh Châu Đoài Thượng Hạ"
)
# Central Highlands: Ê Đê, Gia Rai, Ba Na, M'Nông, K'Ho names.
_HIGHLAND_A = _words("Ea Ia Đăk Kon Ko Tơ Bu Krông Jơ Kơ Yang M' Drai")
_HIGHLAND_B = _words(
    "Kmát Sia Nia Băng Rơ Tu Prăng Tul Pốc Hring Sup Rang Lơ Bông Hnin Drăng Lang Kar Nông Bri "
    "Ktur Ring Sol Rinh"
)


def _pair(rng: random.Random, a: tuple[str, ...], b: tuple[str, ...]) -> str:
    while True:
        first, second = rng.choice(a), rng.choice(b)
        if first != second:
            return f"{first} {second}" if not first.endswith("'") else f"{first}{second}"


def sino_name(rng: random.Random) -> str:
    return _pair(rng, _SINO_A, _SINO_B)


def place_name(rng: random.Random, region: str) -> str:
    """A plausible name of a village or former commune in `region`."""
    if region == "north_mountain":
        return _pair(rng, _MOUNTAIN_A, _MOUNTAIN_B)
    if region == "highlands" and rng.random() < 0.5:
        return _pair(rng, _HIGHLAND_A, _HIGHLAND_B)
    return sino_name(rng)


def _village_style(rng: random.Random, region: str, province_code: str) -> Callable[[int], str]:
    """How villages of one commune are called: each commune keeps one main word and style."""
    if region == "north_mountain":
        # Cao Bằng, Lạng Sơn say "xóm"; Tây Bắc provinces say "bản"; "thôn" everywhere.
        word = rng.choices(
            ["thôn", "xóm", "bản"],
            weights=[
                5,
                4 if province_code in {"04", "20"} else 1,
                4 if province_code in {"11", "12", "14"} else 1,
            ],
        )[0]
        return lambda _i: f"{word} {place_name(rng, region)}"
    if region == "highlands":
        word = {"66": "buôn", "52": "làng", "68": "bon"}.get(province_code, "buôn")
        return lambda i: f"thôn {i}" if rng.random() < 0.5 else f"{word} {place_name(rng, region)}"
    if region == "south":
        return lambda i: f"ấp {i}" if rng.random() < 0.25 else f"ấp {sino_name(rng)}"
    if region == "central":
        word = "xóm" if province_code in {"40", "42"} and rng.random() < 0.5 else "thôn"
        return lambda i: f"thôn {i}" if rng.random() < 0.2 else f"{word} {sino_name(rng)}"
    word = "xóm" if rng.random() < 0.2 else "thôn"
    return lambda _i: f"{word} {sino_name(rng)}"


def residential_places(
    rng: random.Random, *, region: str, province_code: str, division: str, count: int
) -> list[str]:
    """`count` distinct residential areas of one commune: "thôn Nà Pục", "tổ dân phố 3", "ấp Tân Hòa"."""
    if division == "phường":
        word = "khu phố" if region == "south" else "tổ dân phố"
        # Wards number their residential groups; some keep the name of an old village.
        return [
            f"{word} {sino_name(rng)}" if rng.random() < 0.1 else f"{word} {i}" for i in range(1, count + 1)
        ]
    style = _village_style(rng, region, province_code)
    seen: set[str] = set()
    places: list[str] = []
    for _attempt in range(count * 20):
        if len(places) == count:
            break
        place = style(len(places) + 1)
        if place not in seen:  # one commune never has two villages of the same name
            seen.add(place)
            places.append(place)
    n = 0
    while len(places) < count:  # pools exhausted (never at realistic sizes): number the rest
        n += 1
        if f"thôn {n}" not in seen:
            seen.add(f"thôn {n}")
            places.append(f"thôn {n}")
    return places


SCHOOL_HEROES = _phrases(
    "Kim Đồng, Nguyễn Du, Lê Quý Đôn, Chu Văn An, Trần Quốc Toản, Võ Thị Sáu, Lý Tự Trọng, "
    "Nguyễn Trãi, Nguyễn Bỉnh Khiêm, Lê Lợi, Quang Trung, Nguyễn Huệ, Trần Hưng Đạo, "
    "Hoàng Văn Thụ, Nguyễn Văn Trỗi, Bế Văn Đàn, Phan Bội Châu, Phan Chu Trinh, Lê Văn Tám, "
    "Nguyễn Thị Minh Khai, Hai Bà Trưng, Tô Hiệu, Ngô Quyền, Lương Thế Vinh"
)
KINDERGARTEN_NAMES = _phrases("Hoa Sen, Hoa Mai, Họa Mi, Sơn Ca, Hoa Hồng, Sao Mai, Hướng Dương, Bình Minh")
ENTERPRISE_SECTORS = _phrases(
    "Xây dựng, Thương mại và Dịch vụ, Đầu tư và Phát triển, Vận tải, May mặc, Chế biến nông sản, "
    "Vật liệu xây dựng, Khai thác khoáng sản, Cơ khí, Thực phẩm, Điện nước, Du lịch"
)
ENTERPRISE_BRANDS = _phrases(
    "Minh Phát, Hoàng Long, Thành Đạt, Phú Cường, An Phát, Hưng Thịnh, Việt Tiến, Tân Tiến, "
    "Đại Phát, Thành Công, Hòa Bình, Trường Sơn, Sông Hồng, Phương Nam, Đông Á, Quang Minh, "
    "Bảo Châu, Thái Dương, Kim Long, Nam Việt, Hải Đăng, Thiên Phú, Gia Huy, Tiến Thành"
)
COOPERATIVE_KINDS = _phrases(
    "Nông nghiệp, Dịch vụ nông nghiệp, Dịch vụ tổng hợp, Chè, Rau an toàn, Chăn nuôi, Thủy sản, "
    "Dược liệu, Môi trường, Vận tải"
)


def enterprise_name(rng: random.Random) -> str:
    form = rng.choices(["Công ty TNHH", "Công ty Cổ phần"], weights=[3, 2])[0]
    return f"{form} {rng.choice(ENTERPRISE_SECTORS)} {rng.choice(ENTERPRISE_BRANDS)}"


# People. Family names by rough frequency; the north-mountain pool adds Tày and Nùng families.
_FAMILIES = _weighted(
    "Nguyễn 38, Trần 11, Lê 9, Phạm 7, Hoàng 5, Vũ 4, Phan 4, Đặng 2, Bùi 2, Đỗ 2, Hồ 2, Ngô 2, "
    "Dương 1, Lý 1, Đinh 1, Trịnh 1"
)
_MOUNTAIN_FAMILIES = _weighted(
    "Nông 10, Hoàng 10, Bế 6, Lục 5, Đàm 5, Lương 5, Triệu 4, Mã 3, La 3, Sầm 2, Hà 4, Lường 3, Nguyễn 10"
)
_MIDDLE_MALE = _words("Văn Đức Minh Quang Hữu Công Xuân Thanh Ngọc Mạnh")
_MIDDLE_FEMALE = _phrases("Thị, Thị, Thị Thu, Thị Thanh, Thị Ngọc, Thu, Thanh, Minh, Thị Hồng")
_GIVEN_MALE = _words(
    "Hùng Dũng Tuấn Thắng Cường Hải Long Quân Sơn Trung Hưng Phong Bình Khánh Tú Lâm Thành Đạt Việt Toàn"
)
_GIVEN_FEMALE = _words(
    "Hạnh Lan Hương Hoa Mai Linh Nga Thảo Huyền Trang Yến Phương Hằng Dung Thủy Loan Vân Nhung Hà Oanh"
)


def person_name(rng: random.Random, *, region: str, female: bool | None = None) -> str:
    """A realistic Vietnamese full name, family name first."""
    if female is None:
        female = rng.random() < 0.45
    pool = _MOUNTAIN_FAMILIES if region == "north_mountain" else _FAMILIES
    family = rng.choices([f for f, _ in pool], weights=[w for _, w in pool])[0]
    middle = rng.choice(_MIDDLE_FEMALE if female else _MIDDLE_MALE)
    given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
    return f"{family} {middle} {given}"
