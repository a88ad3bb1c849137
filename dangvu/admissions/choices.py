"""Closed lists of party development (phát triển đảng viên; DOMAIN.md §1.1–1.2)."""

from django.db import models


class TargetPeriod(models.TextChoices):
    YEAR = "year", "Năm"
    TERM = "term", "Nhiệm kỳ"


class Segment(models.TextChoices):
    """Parts of an admission target. The keys are those of `reports.statistics` admission segments,
    plus border areas (organizations marked as such)."""

    TOTAL = "total", "Tổng số"
    FEMALE = "female", "Nữ"
    ETHNIC_MINORITY = "ethnic_minority", "Người dân tộc thiểu số"
    RELIGIOUS = "religious", "Người có đạo"
    # The member record does not hold Youth Union membership: counted by age, as the statistics do.
    YOUTH = "youth", "Thanh niên (từ 30 tuổi trở xuống)"
    PRIVATE_ENTERPRISE = "private_enterprise", "Trong doanh nghiệp ngoài nhà nước"
    BORDER = "border", "Ở xã biên giới"


class Stage(models.TextChoices):
    """The admission pipeline, in order (DOMAIN.md §1.1). A candidate is at the first stage not done."""

    LISTED = "listed", "Quần chúng ưu tú"
    CLASS = "class", "Đã học lớp bồi dưỡng nhận thức về Đảng"
    SPONSORED = "sponsored", "Đã phân công người giới thiệu"
    VERIFIED = "verified", "Đã thẩm tra lý lịch"
    CELL_VOTED = "cell_voted", "Chi bộ đã biểu quyết đề nghị kết nạp"
    BASE_RESOLVED = "base_resolved", "Đảng ủy cơ sở đã xét, đề nghị"
    DECIDED = "decided", "Đã có quyết định kết nạp"
    ADMITTED = "admitted", "Đã tổ chức lễ kết nạp (đảng viên dự bị)"
    WITHDRAWN = "withdrawn", "Dừng xem xét"


STAGE_ORDER = [
    Stage.LISTED,
    Stage.CLASS,
    Stage.SPONSORED,
    Stage.VERIFIED,
    Stage.CELL_VOTED,
    Stage.BASE_RESOLVED,
    Stage.DECIDED,
    Stage.ADMITTED,
]
