"""What sits under a province's four directly subordinate party committees created in 2025.

Names follow the 2025 apparatus (merged departments such as Sở Nông nghiệp và Môi trường, the
Fatherland Front absorbing the mass organizations, regional courts and procuracies, Ban Chỉ huy
Phòng thủ khu vực). Placeholders: {lvl} "tỉnh"/"thành phố", {u} "Tỉnh ủy"/"Thành ủy", {p} the
province's name without its level, {n} a number.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..models import BaseType


class Unit(NamedTuple):
    """A base organization of a provincial bloc and the cells it has when it is a base committee."""

    name: str
    base_type: str
    cells: tuple[str, ...] = ()
    big: bool = False  # always a base committee (a large agency, hospital, company)
    more: str = ""  # name of further cells once `cells` runs out ("" means no more)
    regional: bool = False  # one unit per former district area: the name has {n}


def _names(text: str) -> tuple[str, ...]:
    """Names written as one string, separated by semicolons (names may contain commas)."""
    return tuple(name.strip() for name in text.split(";") if name.strip())


def _unit(name: str, base_type: str, cells: str | tuple[str, ...] = "", **options: Any) -> Unit:
    return Unit(name, base_type, _names(cells) if isinstance(cells, str) else cells, **options)


class Bloc(NamedTuple):
    code: str
    name: str
    units: tuple[Unit, ...]


ADM, PUB, STATE, MIL, POL = (
    BaseType.ADMINISTRATIVE,
    BaseType.PUBLIC_SERVICE,
    BaseType.STATE_ENTERPRISE,
    BaseType.MILITARY,
    BaseType.POLICE,
)
HOSPITAL_CELLS = _names(
    "Khoa Khám bệnh; Khoa Nội tổng hợp; Khoa Ngoại tổng hợp; Khoa Sản; Khoa Nhi; "
    "Khoa Hồi sức tích cực – Chống độc; Khoa Xét nghiệm; Khoa Chẩn đoán hình ảnh; "
    "Khoa Dược; Phòng Kế hoạch tổng hợp; Phòng Tổ chức – Hành chính; Phòng Điều dưỡng"
)
SCHOOL_CELLS = _names(
    "Tổ Toán – Tin học; Tổ Ngữ văn; Tổ Ngoại ngữ; Tổ Khoa học tự nhiên; Tổ Khoa học xã hội; Tổ Văn phòng"
)
POLICE_CELLS = ("Đội Tổng hợp",)

PARTY_AGENCIES = Bloc(
    "CQD",
    "Đảng bộ các cơ quan Đảng {lvl} {p}",
    (
        _unit(
            "Văn phòng {u}",
            ADM,
            (
                "Phòng Tổng hợp; Phòng Hành chính – Lưu trữ; Phòng Quản trị – Tài vụ; "
                "Phòng Tài chính Đảng; Phòng Cơ yếu – Công nghệ thông tin"
            ),
            big=True,
        ),
        _unit(
            "Ban Tổ chức {u}",
            ADM,
            (
                "Phòng Tổ chức đảng – đảng viên; Phòng Cán bộ; Phòng Bảo vệ chính trị nội bộ; "
                "Phòng Địa phương; Văn phòng Ban"
            ),
            big=True,
        ),
        _unit(
            "Ủy ban Kiểm tra {u}",
            ADM,
            (
                "Phòng Kiểm tra, giám sát số 1; Phòng Kiểm tra, giám sát số 2; "
                "Phòng Kiểm tra, giám sát số 3; Văn phòng Ủy ban"
            ),
        ),
        _unit(
            "Ban Tuyên giáo và Dân vận {u}",
            ADM,
            (
                "Phòng Lý luận chính trị – Lịch sử Đảng; Phòng Tuyên truyền – Báo chí – Xuất bản; "
                "Phòng Dân vận – Tôn giáo; Phòng Khoa giáo – Văn hóa – Văn nghệ; Văn phòng Ban"
            ),
        ),
        _unit(
            "Ban Nội chính {u}",
            ADM,
            "Phòng Nội chính; Phòng Phòng, chống tham nhũng, lãng phí, tiêu cực; Văn phòng Ban",
        ),
        _unit(
            "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam {lvl}",
            ADM,
            (
                "Văn phòng; Ban Công tác Mặt trận; Ban Tổ chức – Kiểm tra; "
                "Cơ quan Hội Liên hiệp Phụ nữ; Cơ quan Hội Nông dân; Cơ quan Hội Cựu chiến binh; "
                "Cơ quan Liên đoàn Lao động; Cơ quan Đoàn Thanh niên Cộng sản Hồ Chí Minh"
            ),
            big=True,
        ),
        _unit(
            "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân {lvl}",
            ADM,
            (
                "Phòng Công tác Quốc hội; Phòng Công tác Hội đồng nhân dân; "
                "Phòng Hành chính – Tổ chức – Quản trị"
            ),
        ),
        _unit(
            "Tòa án nhân dân {lvl}",
            ADM,
            "Văn phòng Tòa án nhân dân {lvl}",
            big=True,
            more="Tòa án nhân dân khu vực {n}",
        ),
        _unit(
            "Viện Kiểm sát nhân dân {lvl}",
            ADM,
            "Văn phòng Viện Kiểm sát nhân dân {lvl}",
            big=True,
            more="Viện Kiểm sát nhân dân khu vực {n}",
        ),
        _unit(
            "Trường Chính trị {lvl} {p}",
            PUB,
            ("Khoa Xây dựng Đảng; Khoa Lý luận cơ sở; Khoa Nhà nước và pháp luật; Phòng Quản lý đào tạo"),
        ),
        _unit(
            "Báo và Phát thanh, Truyền hình {p}",
            PUB,
            (
                "Phòng Thời sự – Chính trị; Phòng Kinh tế – Xã hội; Phòng Kỹ thuật – Công nghệ; "
                "Phòng Hành chính – Trị sự; Phòng Chuyên đề – Văn nghệ; Phòng Báo điện tử"
            ),
            big=True,
        ),
    ),
)
PEOPLES_COMMITTEE = Bloc(
    "UBND",
    "Đảng bộ Ủy ban nhân dân {lvl} {p}",
    (
        _unit(
            "Văn phòng Ủy ban nhân dân {lvl}",
            ADM,
            (
                "Phòng Tổng hợp; Phòng Kinh tế; Phòng Khoa giáo – Văn xã; Phòng Hành chính – Tổ chức; "
                "Trung tâm Phục vụ hành chính công; Trung tâm Thông tin – Công báo"
            ),
            big=True,
        ),
        _unit(
            "Sở Nội vụ",
            ADM,
            (
                "Văn phòng Sở; Phòng Tổ chức, biên chế; Phòng Công chức, viên chức; "
                "Phòng Lao động – Việc làm; Phòng Người có công; Chi cục Văn thư – Lưu trữ"
            ),
        ),
        _unit(
            "Sở Tài chính",
            ADM,
            (
                "Văn phòng Sở; Phòng Quản lý ngân sách; Phòng Tài chính đầu tư; "
                "Phòng Quản lý giá – Công sản; Phòng Doanh nghiệp, kinh tế tập thể và tư nhân; "
                "Thanh tra Sở"
            ),
            big=True,
        ),
        _unit(
            "Sở Tư pháp", ADM, "Văn phòng Sở; Phòng Hành chính tư pháp; Trung tâm Trợ giúp pháp lý nhà nước"
        ),
        _unit(
            "Sở Công Thương",
            ADM,
            (
                "Văn phòng Sở; Phòng Quản lý công nghiệp; Phòng Quản lý thương mại; "
                "Phòng Quản lý năng lượng; Chi cục Quản lý thị trường"
            ),
        ),
        _unit(
            "Sở Nông nghiệp và Môi trường",
            ADM,
            (
                "Văn phòng Sở; Chi cục Kiểm lâm; Chi cục Thủy lợi; "
                "Chi cục Trồng trọt và Bảo vệ thực vật; Chi cục Chăn nuôi và Thú y; "
                "Văn phòng Đăng ký đất đai; Trung tâm Khuyến nông; Phòng Quản lý đất đai; "
                "Phòng Môi trường"
            ),
            big=True,
            more="Hạt Kiểm lâm khu vực {n}",
        ),
        _unit(
            "Sở Xây dựng",
            ADM,
            (
                "Văn phòng Sở; Phòng Quản lý hoạt động xây dựng; "
                "Phòng Quản lý kết cấu hạ tầng giao thông; Phòng Phát triển đô thị; "
                "Trung tâm Đăng kiểm xe cơ giới"
            ),
            big=True,
        ),
        _unit(
            "Sở Giáo dục và Đào tạo",
            ADM,
            (
                "Văn phòng Sở; Phòng Giáo dục phổ thông; Phòng Giáo dục mầm non; Phòng Tổ chức cán bộ; "
                "Phòng Khảo thí và Quản lý chất lượng"
            ),
        ),
        _unit(
            "Sở Y tế",
            ADM,
            (
                "Văn phòng Sở; Phòng Nghiệp vụ Y; Phòng Nghiệp vụ Dược; Chi cục Dân số; "
                "Chi cục An toàn vệ sinh thực phẩm"
            ),
        ),
        _unit(
            "Sở Khoa học và Công nghệ",
            ADM,
            (
                "Văn phòng Sở; Phòng Quản lý khoa học; Phòng Chuyển đổi số; "
                "Trung tâm Công nghệ thông tin và Truyền thông"
            ),
        ),
        _unit(
            "Sở Văn hóa, Thể thao và Du lịch",
            ADM,
            ("Văn phòng Sở; Phòng Quản lý văn hóa; Phòng Quản lý du lịch; Bảo tàng {lvl}; Thư viện {lvl}"),
        ),
        _unit(
            "Sở Dân tộc và Tôn giáo", ADM, "Văn phòng Sở; Phòng Chính sách dân tộc; Phòng Quản lý tôn giáo"
        ),
        _unit(
            "Thanh tra {lvl}",
            ADM,
            (
                "Văn phòng; Phòng Nghiệp vụ 1; Phòng Nghiệp vụ 2; Phòng Nghiệp vụ 3; "
                "Phòng Tiếp công dân và xử lý đơn thư"
            ),
        ),
        _unit(
            "Ban Quản lý dự án đầu tư xây dựng {lvl}",
            PUB,
            ("Phòng Kỹ thuật; Phòng Điều hành dự án 1; Phòng Điều hành dự án 2; Phòng Hành chính – Tổng hợp"),
        ),
        _unit("Bệnh viện Đa khoa {lvl} {p}", PUB, HOSPITAL_CELLS, big=True),
        _unit(
            "Bệnh viện Y dược cổ truyền và Phục hồi chức năng",
            PUB,
            (
                "Khoa Khám bệnh; Khoa Nội tổng hợp; Khoa Ngoại tổng hợp; Phòng Kế hoạch tổng hợp; "
                "Phòng Tổ chức – Hành chính; Phòng Điều dưỡng"
            ),
        ),
        _unit("Bệnh viện Đa khoa khu vực {n}", PUB, HOSPITAL_CELLS, regional=True),
        _unit(
            "Trung tâm Kiểm soát bệnh tật {lvl}",
            PUB,
            (
                "Khoa Phòng, chống bệnh truyền nhiễm; Khoa Xét nghiệm; Khoa Dinh dưỡng; "
                "Phòng Kế hoạch – Nghiệp vụ"
            ),
        ),
        _unit(
            "Trường Cao đẳng {p}",
            PUB,
            (
                "Khoa Kinh tế; Khoa Kỹ thuật – Công nghệ; Khoa Y dược; Khoa Sư phạm; Phòng Đào tạo; "
                "Phòng Tổ chức – Hành chính"
            ),
            big=True,
        ),
        _unit("Trường Trung học phổ thông Chuyên {p}", PUB, SCHOOL_CELLS),
        _unit(
            "Công ty TNHH Một thành viên Xổ số kiến thiết {p}",
            STATE,
            "Văn phòng Công ty; Phòng Kế hoạch – Kinh doanh; Phòng Tài chính – Kế toán",
        ),
        _unit(
            "Công ty Cổ phần Cấp thoát nước {p}",
            STATE,
            "Văn phòng Công ty; Phòng Kỹ thuật; Nhà máy nước",
            more="Xí nghiệp Cấp nước số {n}",
        ),
        _unit(
            "Công ty TNHH Một thành viên Khai thác công trình thủy lợi {p}",
            STATE,
            "Văn phòng Công ty",
            more="Cụm Thủy nông số {n}",
        ),
    ),
)
MILITARY = Bloc(
    "QS",
    "Đảng bộ Quân sự {lvl} {p}",
    (
        _unit(
            "Cơ quan Bộ Chỉ huy Quân sự {lvl}",
            MIL,
            "Phòng Tham mưu; Phòng Chính trị; Phòng Hậu cần – Kỹ thuật; Ban Tài chính",
            big=True,
        ),
        _unit(
            "Ban Chỉ huy Phòng thủ khu vực {n}",
            MIL,
            "Ban Tham mưu; Ban Chính trị; Ban Hậu cần – Kỹ thuật",
            regional=True,
        ),
        _unit("Trường Quân sự {lvl}", MIL, "Khoa Quân sự; Khoa Chính trị; Phòng Đào tạo"),
        _unit("Tiểu đoàn Huấn luyện – Cơ động", MIL, "Cơ quan Tiểu đoàn", big=True, more="Đại đội {n}"),
    ),
)
# Hà Nội and Hồ Chí Minh City have a Capital / City Command instead of a provincial military command.
MILITARY_NAMES = {
    "01": "Đảng bộ Bộ Tư lệnh Thủ đô Hà Nội",
    "79": "Đảng bộ Bộ Tư lệnh Thành phố Hồ Chí Minh",
}

_POLICE_UNITS = (
    ("Phòng Tham mưu", True),
    ("Phòng Công tác đảng và công tác chính trị", False),
    ("Phòng Tổ chức cán bộ", False),
    ("Phòng Hậu cần", False),
    ("Phòng An ninh chính trị nội bộ", False),
    ("Phòng An ninh kinh tế", False),
    ("Phòng An ninh điều tra", False),
    ("Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", False),
    ("Phòng Quản lý xuất nhập cảnh", False),
    ("Phòng Cảnh sát hình sự", True),
    ("Phòng Cảnh sát kinh tế", False),
    ("Phòng Cảnh sát điều tra tội phạm về ma túy", True),
    ("Phòng Cảnh sát quản lý hành chính về trật tự xã hội", False),
    ("Phòng Cảnh sát giao thông", True),
    ("Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", True),
    ("Phòng Cảnh sát cơ động", True),
    ("Phòng Kỹ thuật hình sự", False),
    ("Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp", False),
    ("Trại tạm giam", True),
)
POLICE = Bloc(
    "CA",
    "Đảng bộ Công an {lvl} {p}",
    tuple(Unit(name, POL, POLICE_CELLS, big=big, more="Đội {n}") for name, big in _POLICE_UNITS),
)

BLOCS = (PARTY_AGENCIES, PEOPLES_COMMITTEE, MILITARY, POLICE)
