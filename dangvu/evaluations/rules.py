"""The ranking rules, read from dated rule parameters (DOMAIN.md §2). Each message names its regulation.

The parameters in force on the round's last day apply (`EvaluationRound.period_end`), so a 2024
round follows QĐ 124 and a 2025 round QĐ 366, and next year's change is a new parameter row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from dangvu.core.rules import rule

from .choices import LEVEL_SHORT, Level, rank


@dataclass(frozen=True)
class Violation:
    """A rule the ratings of a round break, where it happens, and the regulation it comes from."""

    code: str  # score_level, disciplined, collective_discipline, exceeded_share, cap
    message: str
    organization_id: int
    member_rating_id: int | None = None
    organization_rating_id: int | None = None


def _source(r) -> str:
    return f"{r.article} {r.legal_basis.label}".strip() if r.article else r.legal_basis.label


def level_for_score(score: int, *, on: date, exceeded_share: int | None = None) -> str | None:
    """The best level a score allows on `on`; None when no point scale is in force."""
    scale = rule("evaluation.levels", on=on).value
    if scale.get("excellent") is None:
        return None
    if score >= scale["excellent"] and (
        exceeded_share is None or exceeded_share >= scale["excellent_exceeded_share"]
    ):
        return Level.EXCELLENT
    if score >= scale["good"]:
        return Level.GOOD
    if score >= scale["completed"]:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def score_level_error(
    level: str, score: int | None, *, on: date, exceeded_share: int | None = None, collective: bool = False
) -> str | None:
    """Is `level` higher than `score` allows? (A lower level than the score is the committee's call.)"""
    if not level or score is None:
        return None
    r = rule("evaluation.levels", on=on)
    scale = r.value
    if scale.get("excellent") is None:
        return None
    if score > 100:
        return "Điểm phải từ 0 đến 100."
    if collective and level == Level.EXCELLENT and (exceeded_share or 0) < scale["excellent_exceeded_share"]:
        return (
            f"Tập thể xếp loại HTXS phải có ít nhất {scale['excellent_exceeded_share']}% chỉ tiêu, nhiệm vụ "
            f"vượt kế hoạch (theo {_source(r)})."
        )
    allowed = level_for_score(score, on=on)
    if allowed is not None and rank(level) < rank(allowed):
        bands = {
            Level.EXCELLENT: f"từ {scale['excellent']} điểm",
            Level.GOOD: f"từ {scale['good']} đến dưới {scale['excellent']} điểm",
            Level.COMPLETED: f"từ {scale['completed']} đến dưới {scale['good']} điểm",
            Level.NOT_COMPLETED: f"dưới {scale['completed']} điểm",
        }
        return (
            f"{score} điểm không đủ để xếp loại {LEVEL_SHORT[Level(level)]} "
            f"({LEVEL_SHORT[Level(level)]}: {bands[Level(level)]}, theo {_source(r)})."
        )
    return None


def disciplined_member_error(level: str, disciplined: bool, *, on: date) -> str | None:
    """A member disciplined in the period is ranked KHT, unless the parameter in force says otherwise."""
    if not disciplined or not level or level == Level.NOT_COMPLETED:
        return None
    r = rule("evaluation.disciplined_member_not_completed", on=on, before_first=True)
    if not r.value:
        return None
    return f"Đảng viên bị kỷ luật trong kỳ đánh giá phải xếp loại KHT (theo {_source(r)})."


def collective_discipline_error(
    level: str, *, subordinate_disciplined: bool, leadership_disciplined: bool, on: date
) -> str | None:
    """A collective cannot be HTXS if a subordinate unit or a member of its leadership was disciplined."""
    if level != Level.EXCELLENT:
        return None
    try:
        r = rule("evaluation.collective_excellent_blocked", on=on)
    except ImproperlyConfigured:  # no such rule before QĐ 366: nothing to check
        return None
    reasons = []
    if r.value.get("subordinate_disciplined") and subordinate_disciplined:
        reasons.append("có tổ chức trực thuộc bị kỷ luật")
    if r.value.get("leadership_disciplined") and leadership_disciplined:
        reasons.append("có cấp ủy viên bị kỷ luật")
    if not reasons:
        return None
    return f"Không được xếp loại HTXS vì {' và '.join(reasons)} (theo {_source(r)})."


def excellent_cap(*, on: date) -> tuple[int | None, str]:
    """(percent of HTT that HTXS may not exceed, or None when switched off; the regulation's name)."""
    r = rule("evaluation.excellent_cap", on=on, before_first=True)
    if not r.value.get("enabled"):
        return None, _source(r)
    return int(r.value["percent_of_good"]), _source(r)


def cap_error(excellent: int, good: int, *, on: date) -> str | None:
    """HTXS may not exceed the cap's share of HTT (per base organization)."""
    percent, source = excellent_cap(on=on)
    if percent is None or excellent == 0:
        return None
    allowed = good * percent // 100
    if excellent <= allowed:
        return None
    return (
        f"Có {excellent} đảng viên HTXS, vượt mức tối đa {allowed} ({percent}% của {good} đảng viên HTT) "
        f"theo {source}."
    )


def probationary_ranked(*, on: date) -> bool:
    return bool(rule("evaluation.probationary_ranked", on=on, before_first=True).value)
