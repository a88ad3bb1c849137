"""Closed lists of congresses and committees (Điều lệ Đảng Điều 22, 24; DOMAIN.md §1.3, §6)."""

from django.db import models

from dangvu.organizations.models import Kind


class Level(models.TextChoices):
    """The kind of organization a congress round is for. Term lengths are rule parameters per level."""

    CELL = "cell", "Chi bộ trực thuộc"
    SUB_COMMITTEE = "sub_committee", "Đảng bộ bộ phận"
    BASE = "base", "Tổ chức cơ sở đảng"
    COMMUNE = "commune", "Đảng bộ xã, phường, đặc khu"
    PROVINCIAL = "provincial", "Đảng bộ trực thuộc tỉnh"
    PROVINCE = "province", "Đảng bộ tỉnh, thành phố"


# Which organizations hold the congresses of a round of each level.
LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    Level.CELL: (Kind.CELL,),
    Level.SUB_COMMITTEE: (Kind.SUB_COMMITTEE,),
    Level.BASE: (Kind.BASE_COMMITTEE, Kind.BASE_CELL),
    Level.COMMUNE: (Kind.COMMUNE,),
    Level.PROVINCIAL: (Kind.PROVINCIAL_BLOC,),
    Level.PROVINCE: (Kind.PROVINCE,),
}


def level_of_kind(kind: str) -> str | None:
    for level, kinds in LEVEL_KINDS.items():
        if kind in kinds:
            return level
    return None


class RoundState(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    OPEN = "open", "Đang tổ chức"
    CLOSED = "closed", "Đã kết thúc"


class Position(models.TextChoices):
    """Position in an elected committee (cấp ủy, chi ủy) or a cell's leadership."""

    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    MEMBER = "member", "Ủy viên"


class DocumentKind(models.TextChoices):
    """Documents of a congress. One number sequence from 01 covers all of them (HD 36-HD/VPTW)."""

    POLITICAL_REPORT = "political_report", "Báo cáo chính trị"
    REVIEW_REPORT = "review_report", "Báo cáo kiểm điểm của cấp ủy"
    RESOLUTION = "resolution", "Nghị quyết đại hội"
    MINUTES = "minutes", "Biên bản đại hội"
    BALLOT_MINUTES = "ballot_minutes", "Biên bản kiểm phiếu"
    CREDENTIALS = "credentials", "Báo cáo thẩm tra tư cách đại biểu"
    DECISION = "decision", "Quyết định"
    OTHER = "other", "Văn bản khác"
