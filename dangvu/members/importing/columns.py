"""The columns of the member import template: header, model field, kind of value, help text.

The header text before "*" or "(" is the column's identity: a file is matched on it without
diacritics or case, so "Ho va ten" finds "Họ và tên*". The order here is the template's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangvu.core.text import search_key

from ..choices import ETHNICITY_CHOICES, Education, Gender, Occupation, Qualification, Religion, TheoryLevel

TEXT, DATE, CHOICE, CITIZEN_ID, CARD, EMAIL, PHONE, ORG = (
    "text",
    "date",
    "choice",
    "citizen_id",
    "card",
    "email",
    "phone",
    "org",
)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    example: str = ""
    width: int = 18

    @property
    def key(self) -> str:
        """What identifies the column in a file: the header before '*' or '(' without diacritics."""
        return header_key(self.header)

    @property
    def labels(self) -> list[str]:
        return [label for _value, label in self.choices]


def header_key(text: object) -> str:
    base = str(text or "").split("*")[0].split("(")[0]
    return search_key(base)


def _c(choices) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(label)) for v, label in choices)


COLUMNS: tuple[Column, ...] = (
    Column(
        "Họ và tên*",
        "full_name",
        required=True,
        help="Họ, chữ đệm và tên khai sinh, viết hoa chữ cái đầu.",
        example="Nguyễn Thị Minh Khai",
        width=26,
    ),
    Column("Tên gọi khác", "other_names", help="Tên gọi khác, bí danh (nếu có).", example=""),
    Column("Giới tính* (Nam/Nữ)", "gender", CHOICE, True, _c(Gender.choices), "Chọn Nam hoặc Nữ.", "Nữ", 12),
    Column(
        "Ngày sinh* (dd/mm/yyyy)",
        "birth_date",
        DATE,
        True,
        help="Ngày/tháng/năm, ví dụ 05/09/1990; có thể nhập ô kiểu ngày của Excel.",
        example="05/09/1990",
        width=14,
    ),
    Column(
        "Số CCCD",
        "citizen_id",
        CITIZEN_ID,
        help="12 chữ số, không trùng với đảng viên khác. Nhập dạng văn bản để giữ số 0 ở đầu.",
        example="001190012345",
        width=15,
    ),
    Column(
        "Dân tộc",
        "ethnicity",
        CHOICE,
        choices=_c(ETHNICITY_CHOICES),
        help="Một trong 54 dân tộc theo danh mục của Tổng cục Thống kê; để trống là Kinh.",
        example="Kinh",
        width=12,
    ),
    Column(
        "Tôn giáo",
        "religion",
        CHOICE,
        choices=_c(Religion.choices),
        help="Để trống là Không.",
        example="Không",
        width=14,
    ),
    Column(
        "Nơi sinh",
        "birth_place",
        help="Xã/phường, tỉnh/thành phố nơi sinh.",
        example="Xã An Bình, tỉnh Thử Nghiệm",
        width=24,
    ),
    Column(
        "Quê quán",
        "home_town",
        help="Quê quán theo giấy khai sinh.",
        example="Xã An Bình, tỉnh Thử Nghiệm",
        width=24,
    ),
    Column(
        "Nơi thường trú",
        "permanent_address",
        help="Địa chỉ thường trú.",
        example="Thôn Đông, xã An Bình",
        width=24,
    ),
    Column(
        "Nơi ở hiện nay",
        "current_address",
        help="Địa chỉ nơi ở hiện nay.",
        example="Thôn Đông, xã An Bình",
        width=24,
    ),
    Column(
        "Điện thoại",
        "phone",
        PHONE,
        help="Chỉ chữ số, dấu cách, dấu chấm; không bắt đầu bằng dấu +.",
        example="0912345678",
        width=14,
    ),
    Column("Email", "email", EMAIL, help="Địa chỉ thư điện tử.", example="minhkhai@example.vn", width=22),
    Column(
        "Nghề nghiệp",
        "occupation",
        CHOICE,
        choices=_c(Occupation.choices),
        help="Chọn trong danh sách.",
        example="Viên chức",
        width=22,
    ),
    Column(
        "Nơi làm việc", "workplace", help="Cơ quan, đơn vị công tác.", example="Trường THPT An Bình", width=24
    ),
    Column(
        "Giáo dục phổ thông",
        "education",
        CHOICE,
        choices=_c(Education.choices),
        help="Chọn trong danh sách.",
        example="Trung học phổ thông",
        width=18,
    ),
    Column(
        "Chuyên môn",
        "qualification",
        CHOICE,
        choices=_c(Qualification.choices),
        help="Trình độ chuyên môn, nghiệp vụ cao nhất; để trống là Chưa qua đào tạo.",
        example="Đại học",
        width=16,
    ),
    Column(
        "Lý luận chính trị",
        "theory_level",
        CHOICE,
        choices=_c(TheoryLevel.choices),
        help="Trình độ lý luận chính trị; để trống là Chưa qua đào tạo.",
        example="Sơ cấp",
        width=16,
    ),
    Column("Ngoại ngữ", "foreign_language", help="Ngoại ngữ và trình độ.", example="Tiếng Anh B1", width=14),
    Column("Số lý lịch", "dossier_number", help="Số lý lịch đảng viên.", example="LL-2015-0123", width=14),
    Column(
        "Số thẻ đảng viên",
        "card_number",
        CARD,
        help="8 chữ số, không trùng với đảng viên khác.",
        example="12345678",
        width=14,
    ),
    Column(
        "Ngày quyết định kết nạp* (dd/mm/yyyy)",
        "admission_decision_date",
        DATE,
        True,
        help="Ngày ghi trong quyết định kết nạp; tuổi đời tại ngày này phải trong giới hạn của Quy định.",
        example="10/03/2015",
        width=16,
    ),
    Column(
        "Ngày kết nạp* (dd/mm/yyyy)",
        "ceremony_date",
        DATE,
        True,
        help="Ngày tổ chức lễ kết nạp; không trước ngày quyết định. "
        "Ngày chính thức (ngày kết nạp + 12 tháng) "
        "và tình trạng dự bị/chính thức do hệ thống tính, không nhập.",
        example="26/03/2015",
        width=16,
    ),
    Column(
        "Người giới thiệu 1",
        "sponsor_1",
        help="Họ và tên người giới thiệu thứ nhất.",
        example="Trần Văn An",
        width=20,
    ),
    Column(
        "Người giới thiệu 2",
        "sponsor_2",
        help="Họ và tên người giới thiệu thứ hai.",
        example="Lê Thị Bình",
        width=20,
    ),
    Column(
        "Mã chi bộ*",
        "organization",
        ORG,
        True,
        help="Mã của chi bộ sinh hoạt (xem trên trang tổ chức); "
        "phải thuộc tổ chức đang nhập và trong phạm vi "
        "quản lý của người nhập.",
        example="T99-AB-D",
        width=16,
    ),
)

COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
