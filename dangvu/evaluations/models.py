"""The yearly (or quarterly, or per-term) quality review: rounds and their ratings.

Written only by `dangvu.evaluations.services`. A round is opened by an organization for its
subtree; opening writes the work list (a `MemberRating` for every member counted on the reference
date, an `OrganizationRating` for every organization to be ranked and for each leadership
collective). Each step of a rating keeps who and when; the final level is the decided one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dangvu.core.models import LegalBasis, TimeStampedModel
from dangvu.core.scoping import ScopedQuerySetMixin
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from .choices import Level, Period, RoundState, Subject

USER = settings.AUTH_USER_MODEL


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Rounds opened in the user's scope, or above it (a commune works in the province's round)."""
        from dangvu.core.scoping import scope_paths

        paths = scope_paths(user)
        if paths is None:
            return self
        if not paths:
            return self.none()
        q = models.Q(pk__in=[])
        for path, _subtree in paths:
            q |= models.Q(organization__path__startswith=path)
            prefixes = [path[:i] for i in range(Organization.steplen, len(path) + 1, Organization.steplen)]
            q |= models.Q(organization__path__in=prefixes)
        return self.filter(q)


class EvaluationRound(TimeStampedModel):
    """A review round for a period, opened by `organization` for everything under it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name="tổ chức"
    )
    name = models.CharField("tên đợt", max_length=200)
    period = models.CharField("kỳ đánh giá", max_length=10, choices=Period.choices, default=Period.YEAR)
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý", null=True, blank=True)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    reference_date = models.DateField(
        "ngày chốt danh sách", help_text="Đảng viên, tổ chức có tại ngày này được đưa vào danh sách."
    )
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, verbose_name="căn cứ")
    member_deadline = models.DateField("hạn đảng viên tự đánh giá", null=True, blank=True)
    cell_deadline = models.DateField("hạn chi bộ đề xuất", null=True, blank=True)
    decision_deadline = models.DateField("hạn cấp có thẩm quyền quyết định", null=True, blank=True)
    state = models.CharField(
        "trạng thái", max_length=10, choices=RoundState.choices, default=RoundState.DRAFT
    )
    opened_on = models.DateField("mở ngày", null=True, blank=True)
    closed_on = models.DateField("kết thúc ngày", null=True, blank=True)
    override_reason = models.TextField("lý do kết thúc khi còn vi phạm", blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-reference_date", "-id"]
        verbose_name = "đợt đánh giá, xếp loại"
        verbose_name_plural = "đợt đánh giá, xếp loại"

    def __str__(self) -> str:
        return self.name


class RatingQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "organization__path"


class MemberRating(TimeStampedModel):
    """One member's review in a round: self-assessment, the cell's proposal and vote, the decision."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="member_ratings")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="ratings", verbose_name="đảng viên"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="chi bộ, tổ chức"
    )
    probationary = models.BooleanField("đảng viên dự bị", default=False)
    ranked = models.BooleanField("thuộc diện xếp loại", default=True)
    not_ranked_reason = models.CharField("lý do không xếp loại", max_length=200, blank=True)
    disciplined = models.BooleanField("bị kỷ luật trong kỳ", default=False)
    # Self-assessment (Mẫu 2A/2B/2C)
    self_score = models.PositiveSmallIntegerField("điểm tự chấm", null=True, blank=True)
    self_level = models.CharField("tự xếp loại", max_length=4, choices=Level.choices, blank=True)
    strengths = models.TextField("ưu điểm", blank=True)
    shortcomings = models.TextField("hạn chế, khuyết điểm", blank=True)
    remedies = models.TextField("biện pháp khắc phục", blank=True)
    self_submitted_at = models.DateTimeField("nộp tự đánh giá lúc", null=True, blank=True)
    # The cell committee's proposal
    score = models.PositiveSmallIntegerField("điểm chi ủy chấm", null=True, blank=True)
    proposed_level = models.CharField("chi ủy đề xuất", max_length=4, choices=Level.choices, blank=True)
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    # The cell meeting's vote on the proposal
    votes_for = models.PositiveSmallIntegerField("số phiếu tán thành", null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField("số đảng viên biểu quyết", null=True, blank=True)
    voted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(null=True, blank=True)
    # The competent committee's decision: the final level
    decided_level = models.CharField(
        "cấp có thẩm quyền quyết định", max_length=4, choices=Level.choices, blank=True
    )
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__path", "member__name_sort", "id"]
        verbose_name = "xếp loại đảng viên"
        verbose_name_plural = "xếp loại đảng viên"
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="member_rating_once_per_round")
        ]
        indexes = [models.Index(fields=["round", "organization"], name="member_rating_round_org_idx")]

    def __str__(self) -> str:
        return f"{self.member} – {self.round}"

    @property
    def level(self) -> str:
        return self.decided_level


class OrganizationRating(TimeStampedModel):
    """A collective's review in a round: proposed by the organization, decided by the level above."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="organization_ratings")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="tổ chức"
    )
    subject = models.CharField(
        "đối tượng", max_length=15, choices=Subject.choices, default=Subject.ORGANIZATION
    )
    score = models.PositiveSmallIntegerField("điểm", null=True, blank=True)
    exceeded_share = models.PositiveSmallIntegerField(
        "tỷ lệ chỉ tiêu, nhiệm vụ vượt (%)", null=True, blank=True
    )
    subordinate_disciplined = models.BooleanField("có tổ chức trực thuộc bị kỷ luật", default=False)
    leadership_disciplined = models.BooleanField("có cấp ủy viên bị kỷ luật", default=False)
    report = models.TextField("tóm tắt báo cáo kiểm điểm", blank=True)
    proposed_level = models.CharField("tự đề xuất", max_length=4, choices=Level.choices, blank=True)
    proposed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_level = models.CharField("cấp trên quyết định", max_length=4, choices=Level.choices, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)

    objects = RatingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__path", "subject", "id"]
        verbose_name = "xếp loại tổ chức đảng"
        verbose_name_plural = "xếp loại tổ chức đảng"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization", "subject"], name="organization_rating_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_subject_display()}) – {self.round}"

    @property
    def level(self) -> str:
        return self.decided_level
