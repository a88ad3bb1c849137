"""Closed lists of the quality review (QĐ 366-QĐ/TW, HD 43-HD/BTCTW; DOMAIN.md §2)."""

from django.db import models


class Level(models.TextChoices):
    """The four levels, best first, for members and collectives alike."""

    EXCELLENT = "htxs", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "htt", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "ht", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "kht", "Không hoàn thành nhiệm vụ"


LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED]
LEVEL_SHORT = {Level.EXCELLENT: "HTXS", Level.GOOD: "HTT", Level.COMPLETED: "HT", Level.NOT_COMPLETED: "KHT"}


def rank(level: str) -> int:
    """0 for the best level; higher is worse."""
    return LEVEL_ORDER.index(Level(level))


class Period(models.TextChoices):
    YEAR = "year", "Năm"
    QUARTER = "quarter", "Quý"
    TERM = "term", "Nhiệm kỳ"


class RoundState(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    OPEN = "open", "Đang đánh giá"
    CLOSED = "closed", "Đã kết thúc"


class Subject(models.TextChoices):
    """What a collective rating is about: the organization, or its leadership collective (cấp ủy)."""

    ORGANIZATION = "organization", "Tổ chức đảng"
    LEADERSHIP = "leadership", "Tập thể cấp ủy"
