"""Closed lists of the member record (Mẫu 2-HSĐV). Labels are what users read."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Status(models.TextChoices):
    """Where a member stands. Only PROBATIONARY and OFFICIAL are counted (đảng số)."""

    PROBATIONARY = "probationary", "Đảng viên dự bị"
    OFFICIAL = "official", "Đảng viên chính thức"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển sinh hoạt ra ngoài hệ thống"
    REMOVED = "removed", "Đã xóa tên"
    EXPELLED = "expelled", "Đã khai trừ"
    LEFT = "left", "Đã ra khỏi Đảng"
    DECEASED = "deceased", "Đã từ trần"
    CONTACT_LOST = "contact_lost", "Mất liên lạc"


ACTIVE_STATUSES = (Status.PROBATIONARY, Status.OFFICIAL)
EXIT_STATUSES = (Status.REMOVED, Status.EXPELLED, Status.LEFT)


class Education(models.TextChoices):
    """General education (giáo dục phổ thông)."""

    PRIMARY = "primary", "Tiểu học"
    LOWER_SECONDARY = "lower_secondary", "Trung học cơ sở"
    UPPER_SECONDARY = "upper_secondary", "Trung học phổ thông"


class Qualification(models.TextChoices):
    """Professional qualification (chuyên môn, nghiệp vụ)."""

    NONE = "none", "Chưa qua đào tạo"
    ELEMENTARY = "elementary", "Sơ cấp"
    VOCATIONAL = "vocational", "Trung cấp"
    COLLEGE = "college", "Cao đẳng"
    BACHELOR = "bachelor", "Đại học"
    MASTER = "master", "Thạc sĩ"
    DOCTOR = "doctor", "Tiến sĩ"


class TheoryLevel(models.TextChoices):
    """Political theory (lý luận chính trị)."""

    NONE = "none", "Chưa qua đào tạo"
    ELEMENTARY = "elementary", "Sơ cấp"
    INTERMEDIATE = "intermediate", "Trung cấp"
    ADVANCED = "advanced", "Cao cấp"
    BACHELOR = "bachelor", "Cử nhân"


class Religion(models.TextChoices):
    NONE = "none", "Không"
    BUDDHISM = "buddhism", "Phật giáo"
    CATHOLIC = "catholic", "Công giáo"
    PROTESTANT = "protestant", "Tin lành"
    CAO_DAI = "cao_dai", "Cao Đài"
    HOA_HAO = "hoa_hao", "Phật giáo Hòa Hảo"
    ISLAM = "islam", "Hồi giáo"
    OTHER = "other", "Khác"


class Occupation(models.TextChoices):
    """Occupation groups of the statistical forms."""

    OFFICIAL = "official", "Cán bộ, công chức"
    PUBLIC_EMPLOYEE = "public_employee", "Viên chức"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    STATE_ENTERPRISE = "state_enterprise", "Làm việc trong doanh nghiệp nhà nước"
    PRIVATE_ENTERPRISE = "private_enterprise", "Làm việc trong doanh nghiệp ngoài nhà nước"
    FARMER = "farmer", "Nông, lâm, ngư nghiệp"
    STUDENT = "student", "Học sinh, sinh viên"
    RETIRED = "retired", "Nghỉ hưu"
    SELF_EMPLOYED = "self_employed", "Lao động tự do"
    OTHER = "other", "Khác"


# The 54 ethnic groups of Vietnam, official order of the General Statistics Office (code 01-54).
ETHNIC_GROUPS = [
    "Kinh",
    "Tày",
    "Thái",
    "Hoa",
    "Khơ-me",
    "Mường",
    "Nùng",
    "HMông",
    "Dao",
    "Gia-rai",
    "Ngái",
    "Ê-đê",
    "Ba-na",
    "Xơ-Đăng",
    "Sán Chay",
    "Cơ-ho",
    "Chăm",
    "Sán Dìu",
    "Hrê",
    "Mnông",
    "Ra-glai",
    "Xtiêng",
    "Bru-Vân Kiều",
    "Thổ",
    "Giáy",
    "Cơ-tu",
    "Gié-Triêng",
    "Mạ",
    "Khơ-mú",
    "Co",
    "Ta-ôi",
    "Chơ-ro",
    "Kháng",
    "Xinh-mun",
    "Hà Nhì",
    "Chu-ru",
    "Lào",
    "La Chí",
    "La Ha",
    "Phù Lá",
    "La Hủ",
    "Lự",
    "Lô Lô",
    "Chứt",
    "Mảng",
    "Pà Thẻn",
    "Co Lao",
    "Cống",
    "Bố Y",
    "Si La",
    "Pu Péo",
    "Brâu",
    "Ơ-đu",
    "Rơ-măm",
]
ETHNICITY_CHOICES = [(f"{i:02d}", name) for i, name in enumerate(ETHNIC_GROUPS, start=1)]
KINH = "01"
