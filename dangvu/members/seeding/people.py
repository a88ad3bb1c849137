"""Who the synthetic members are: names by ethnicity, ethnicity and religion by province, IDs.

Pure functions of a `random.Random` the caller owns, so a seed gives the same people on every
machine. Frequencies are rough shares from published surname and census figures (Nguyễn about
38%, Trần 11%, Lê 9.5%…; Cao Bằng about 95% ethnic minorities: Tày, Nùng, HMông, Dao).
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

from dangvu.organizations.seeding.names import region_of


class Pool:
    """A weighted choice that costs one bisect (random.choices rebuilds its table every call)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, text: str) -> None:
        pairs = [item.rsplit(" ", 1) for item in text.split(", ")]
        self.items = [name for name, _ in pairs]
        self.cum = list(accumulate(float(w) for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _uniform(text: str) -> Pool:
    return Pool(", ".join(f"{w} 1" for w in text.split(", ")))


KINH_FAMILIES = Pool(
    "Nguyễn 38, Trần 11, Lê 9.5, Phạm 7, Hoàng 3, Huỳnh 2, Phan 4.5, Vũ 2.5, Võ 1.5, Đặng 2.1, "
    "Bùi 2, Đỗ 1.4, Hồ 1.3, Ngô 1.3, Dương 1, Lý 0.5, Đinh 0.8, Trịnh 0.6, Đào 0.6, Mai 0.5, "
    "Trương 0.7, Lương 0.4, Hà 0.4, Tạ 0.3, Cao 0.4, Lâm 0.3, Tô 0.2, Chu 0.2, Đoàn 0.4, Lưu 0.2"
)
KINH_MIDDLE = {
    "male": Pool(
        "Văn 30, Đức 8, Minh 8, Quang 6, Hữu 6, Công 5, Xuân 4, Thanh 4, Ngọc 3, Mạnh 3, Tuấn 2, "
        "Hoàng 2, Trọng 3, Đình 4, Quốc 3, Anh 2, Thế 2, Việt 2"
    ),
    "female": Pool(
        "Thị 45, Thu 6, Ngọc 6, Thanh 5, Minh 3, Thị Thu 4, Thị Thanh 4, Thị Ngọc 3, Thị Hồng 3, "
        "Hồng 3, Kim 3, Phương 2, Mai 2, Bích 2, Thúy 2, Diệu 1"
    ),
}
KINH_GIVEN = {
    "male": _uniform(
        "An, Bình, Cường, Dũng, Hùng, Tuấn, Thắng, Hải, Long, Quân, Sơn, Trung, Hưng, Phong, Khánh, "
        "Tú, Lâm, Thành, Đạt, Việt, Toàn, Hiếu, Huy, Nam, Tùng, Hoàng, Minh, Đức, Thịnh, Tâm, Phúc, "
        "Nghĩa, Quang, Tiến, Kiên, Lực, Vinh, Hòa, Thuận, Hiệp, Chiến, Công, Giang, Kỳ, Lợi"
    ),
    "female": _uniform(
        "Anh, Hoa, Hương, Lan, Mai, Hạnh, Linh, Nga, Thảo, Huyền, Trang, Yến, Phương, Hằng, Dung, "
        "Thủy, Loan, Vân, Nhung, Hà, Oanh, Hồng, Liên, Ngọc, Quỳnh, Thư, Tuyết, Chi, Giang, Hiền, "
        "Lý, My, Nhàn, Tâm, Uyên, Xuân, Diệp, Duyên, Ánh, Bích"
    ),
}

# Minority names: (family pool, male middles, female middles, male givens, female givens).
_TAY_NUNG_GIVEN_M = (
    "Hùng, Dũng, Thắng, Cường, Hải, Sơn, Tuấn, Bình, Quý, Khánh, Lâm, Thành, Vinh, Chiến, Pẻng, Slao"
)
_TAY_NUNG_GIVEN_F = (
    "Hoa, Lan, Mai, Hương, Hạnh, Nga, Thảo, Huyền, Dung, Thủy, Vân, Nhung, Hà, Liên, Duyên, Mấy"
)
MINORITY = {
    "02": (  # Tày
        Pool(
            "Hoàng 14, Nông 14, Lục 6, Đàm 6, Bế 7, Triệu 4, Lương 6, Hà 5, Ma 4, La 3, Mã 3, Sầm 2, "
            "Vi 2, Lâm 3, Nguyễn 8, Lý 3, Hứa 2"
        ),
        Pool("Văn 8, Đức 1, Minh 1, Thanh 1"),
        Pool("Thị 10, Thu 1, Thanh 1"),
        _uniform(_TAY_NUNG_GIVEN_M),
        _uniform(_TAY_NUNG_GIVEN_F),
    ),
    "07": (  # Nùng
        Pool(
            "Hoàng 16, Nông 10, Lục 5, Lăng 4, Chu 4, Vi 4, Triệu 5, Lý 5, Mã 3, Lương 4, Đinh 2, Hứa 3, "
            "Nguyễn 5, Đàm 3"
        ),
        Pool("Văn 9, Đức 1"),
        Pool("Thị 10, Thu 1"),
        _uniform(_TAY_NUNG_GIVEN_M),
        _uniform(_TAY_NUNG_GIVEN_F),
    ),
    "08": (  # HMông
        Pool("Vàng 16, Sùng 12, Giàng 12, Lý 10, Thào 10, Hầu 6, Mua 6, Lầu 5, Hờ 4, Cháng 3, Ly 4"),
        Pool("A 8, Mí 3, Seo 3, Văn 3"),
        Pool("Thị 10, Mí 1"),
        _uniform("Pao, Dính, Páo, Chứ, Sính, Tủa, Lử, Chúng, Sử, Dế, Chính, Vừ, Giàng, Súa, Nhìa"),
        _uniform("Mai, Mỷ, Súa, Dợ, Dúa, Chở, Pà, Sía, Lan, Máy, Di, Xi"),
    ),
    "09": (  # Dao
        Pool("Triệu 25, Bàn 20, Đặng 14, Lý 12, Chảo 6, Phùng 5, Tẩn 4, Hoàng 4"),
        Pool("Văn 6, Tài 3, Kim 2, Sành 1, Phúc 1"),
        Pool("Thị 8, Mùi 2, Kiều 1"),
        _uniform("Vần, Phin, Quý, Sinh, Kiêm, Lìu, Nhất, Quẩy, Chàn, Hin, Dào, Phẩu"),
        _uniform("Mai, Chiêu, Nải, Hiền, Sểnh, Mẩy, Liên, Phương, Chang, Tá"),
    ),
    "03": (  # Thái
        Pool("Lò 18, Lường 12, Cầm 10, Quàng 8, Tòng 8, Vì 6, Hà 8, Điêu 5, Lò 4, Lự 3, Mè 3, Sa 2"),
        Pool("Văn 10"),
        Pool("Thị 10"),
        _uniform("Khăm, Phong, Ón, Xuân, Bun, Ngọc, Thanh, Chung, Pánh, Inh, Xiêng, Hặc"),
        _uniform("Ươi, Xuân, Lả, Mai, Ơn, Hoa, Xiêm, Pọm, Thoa, Ngoan, Quyên, Lún"),
    ),
    "06": (  # Mường
        Pool("Bùi 30, Đinh 20, Quách 10, Hà 10, Xa 5, Cao 5, Nguyễn 5, Phạm 5"),
        Pool("Văn 10, Đức 1"),
        Pool("Thị 10"),
        KINH_GIVEN["male"],
        KINH_GIVEN["female"],
    ),
    "05": (  # Khơ-me
        Pool("Thạch 25, Danh 20, Sơn 15, Kim 10, Lâm 8, Trà 5, Lý 5, Châu 5, Thị 2"),
        Pool("Văn 5, Minh 1, Sô 1"),
        Pool("Thị 10"),
        _uniform("Sóc, Phal, Sang, Ri, Sa Rây, Thươl, Hên, Khol, Som, Sa Vong, Út, Mây"),
        _uniform("Sa Rinh, Sa Phol, Thy, Ni, Xa, Sóc, Đa, Thươn, Chanh, Phia"),
    ),
    "10": (  # Gia-rai (family name first: "Ksor Phước", "Siu H'Mai")
        Pool("Ksor 25, Rơ Mah 20, Siu 20, Rah Lan 15, Kpă 10, Nay 10"),
        Pool("Văn 2, Y 1"),
        Pool("H' 3, Thị 1"),
        _uniform("Phước, Lâm, Hiêng, Bril, Blek, Duyên, Tuh, Jek, Phin, Dôh"),
        _uniform("Mai, Lan, Blơi, Hlin, Nhơn, Phiên, Lương, Ler"),
    ),
    "13": (  # Ba-na
        Pool("Đinh 60, A 20, Y 10, Siu 10"),
        Pool("Văn 5"),
        Pool("Thị 5"),
        _uniform("Blưk, Hyôn, Núp, Pếch, Glơng, Thưh, Djôn, Khiêng"),
        _uniform("Hlun, Phel, Hiên, Nhứ, Djui, Lan"),
    ),
}
# Groups without a pool of their own borrow the closest one.
MINORITY["12"] = MINORITY["10"]  # Ê-đê
MINORITY["16"] = MINORITY["13"]  # Cơ-ho
MINORITY["20"] = MINORITY["13"]  # Mnông
MINORITY["15"] = MINORITY["02"]  # Sán Chay
MINORITY["29"] = MINORITY["03"]  # Khơ-mú
MINORITY["04"] = (
    Pool("Lý 20, Trần 15, Lâm 15, Hoàng 10, Quách 10, Lưu 10, Trương 10"),
    *KINH_MIDDLE.values(),
    *KINH_GIVEN.values(),
)  # Hoa
MINORITY["17"] = (
    Pool("Đàng 30, Thiên 15, Bá 15, Lộ 10, Quảng 10, Thông 10, Châu 10"),
    *KINH_MIDDLE.values(),
    *KINH_GIVEN.values(),
)  # Chăm
MINORITY["21"] = MINORITY["17"]  # Ra-glai

# Ethnic composition of members (code from choices.ETHNIC_GROUPS, weight) by province code.
ETHNICITY_BY_PROVINCE = {
    "04": Pool("02 40, 07 31, 08 9, 09 9, 01 8, 15 3"),  # Cao Bằng
    "20": Pool("07 40, 02 36, 01 18, 09 4, 08 2"),  # Lạng Sơn
    "08": Pool("02 30, 01 38, 09 10, 08 8, 15 6, 07 4, 06 4"),  # Tuyên Quang (with Hà Giang)
    "15": Pool("01 45, 02 18, 08 12, 09 12, 03 5, 07 5, 15 3"),  # Lào Cai (with Yên Bái)
    "11": Pool("03 45, 01 25, 08 25, 29 5"),  # Điện Biên
    "12": Pool("03 40, 01 25, 08 25, 09 10"),  # Lai Châu
    "14": Pool("03 55, 01 22, 08 15, 06 5, 29 3"),  # Sơn La
    "19": Pool("01 80, 02 8, 07 6, 18 4, 09 2"),  # Thái Nguyên (with Bắc Kạn)
    "25": Pool("01 78, 06 18, 09 2, 02 2"),  # Phú Thọ (with Hòa Bình)
    "38": Pool("01 86, 06 9, 03 5"),  # Thanh Hóa
    "40": Pool("01 88, 03 9, 08 2, 29 1"),  # Nghệ An
    "52": Pool("01 74, 10 14, 13 10, 02 2"),  # Gia Lai
    "66": Pool("01 78, 12 14, 20 4, 02 2, 07 2"),  # Đắk Lắk
    "68": Pool("01 84, 16 8, 20 4, 17 2, 21 2"),  # Lâm Đồng
    "56": Pool("01 92, 17 4, 21 4"),  # Khánh Hòa (with Ninh Thuận)
    "91": Pool("01 90, 05 8, 04 1, 17 1"),  # An Giang
    "92": Pool("01 88, 05 10, 04 2"),  # Cần Thơ (with Sóc Trăng)
    "86": Pool("01 90, 05 9, 04 1"),  # Vĩnh Long (with Trà Vinh)
    "79": Pool("01 96, 04 3, 05 1"),  # Hồ Chí Minh City
}
ETHNICITY_DEFAULT = Pool("01 98, 06 0.5, 02 0.5, 04 0.5, 03 0.5")
MOUNTAIN_FAMILIES_FOR_KINH = Pool(
    "Nguyễn 30, Hoàng 12, Nông 6, Lê 8, Trần 8, Phạm 6, Lương 5, Vũ 5, Đàm 4, Triệu 3, Hà 4"
)

RELIGION_BY_REGION = {
    "north_mountain": Pool("none 96, buddhism 2.5, catholic 0.8, protestant 0.7"),
    "delta": Pool("none 90, buddhism 6.5, catholic 3.3, other 0.2"),
    "central": Pool("none 86, buddhism 9, catholic 4.5, protestant 0.3, other 0.2"),
    "highlands": Pool("none 85, buddhism 5, catholic 5, protestant 5"),
    "south": Pool("none 82, buddhism 11, catholic 4, cao_dai 1.5, hoa_hao 1, islam 0.2, other 0.3"),
}


def ethnicity(rng: random.Random, province_code: str) -> str:
    return ETHNICITY_BY_PROVINCE.get(province_code, ETHNICITY_DEFAULT).pick(rng)


def religion(rng: random.Random, province_code: str) -> str:
    return RELIGION_BY_REGION[region_of(province_code)].pick(rng)


def full_name(rng: random.Random, *, gender: str, ethnic: str, province_code: str) -> str:
    """A plausible full name, family name first, for a person of `ethnic` living in the province."""
    pools = MINORITY.get(ethnic)
    if pools is not None:
        family, middle_m, middle_f, given_m, given_f = pools
        middle = (middle_f if gender == "female" else middle_m).pick(rng)
        given = (given_f if gender == "female" else given_m).pick(rng)
        if middle.endswith("'"):
            return f"{family.pick(rng)} {middle}{given}"
        return f"{family.pick(rng)} {middle} {given}"
    families = MOUNTAIN_FAMILIES_FOR_KINH if region_of(province_code) == "north_mountain" else KINH_FAMILIES
    middle = KINH_MIDDLE[gender].pick(rng)
    given = KINH_GIVEN[gender].pick(rng)
    while given == middle:
        given = KINH_GIVEN[gender].pick(rng)
    return f"{families.pick(rng)} {middle} {given}"


def phone(rng: random.Random) -> str:
    """A mobile number of the 09x/03x ranges (Viettel, VinaPhone, MobiFone)."""
    return f"{rng.choice(('09', '03'))}{rng.randint(0, 99_999_999):08d}"


# Affine maps modulo 10^k are bijections when the factor is prime to 10: consecutive serials give
# unique numbers that do not look consecutive.
def scramble(serial: int, digits: int, salt: int) -> str:
    modulus = 10**digits
    return f"{(serial * 7_368_787 + salt) % modulus:0{digits}d}"


def citizen_id(birth_province: str, gender: str, birth_year: int, serial: int, salt: int) -> str:
    """12 digits: birth province (3), gender and century (1), birth year (2), 6 serial digits.

    Gender/century digit: 0/1 male/female born 1900–1999, 2/3 born 2000–2099.
    """
    century = 0 if birth_year < 2000 else 2
    digit = century + (1 if gender == "female" else 0)
    return f"{int(birth_province):03d}{digit}{birth_year % 100:02d}{scramble(serial, 6, salt)}"
