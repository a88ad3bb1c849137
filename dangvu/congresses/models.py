"""Congresses for each term: rounds, each organization's congress, its documents, and the
committees it elects as dated memberships (Điều lệ Đảng Điều 22, 24; Chỉ thị 45-CT/TW; DOMAIN.md §6).

Written only by `dangvu.congresses.services`. A round is opened by an organization for the
organizations of one level in its subtree ("Đại hội chi bộ trực thuộc nhiệm kỳ 2025–2027" for all
affiliated cells of a province); opening writes one `Congress` row per organization, which the
organization then fills in (planned date, held date, attendance, elected committee).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dangvu.core.models import LegalBasis, TimeStampedModel
from dangvu.core.scoping import ScopedQuerySetMixin
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from .choices import DocumentKind, Level, Position, RoundState

USER = settings.AUTH_USER_MODEL


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoundQuerySet:
        """Rounds opened in the user's scope or above it (a cell works in the province's round)."""
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


class CongressRound(TimeStampedModel):
    """A congress round of one level for a term, opened by `organization` for its subtree."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="congress_rounds", verbose_name="cấp chỉ đạo"
    )
    name = models.CharField("tên đợt đại hội", max_length=255)
    level = models.CharField("đại hội cấp", max_length=20, choices=Level.choices)
    term_start_year = models.PositiveSmallIntegerField("nhiệm kỳ từ năm")
    term_end_year = models.PositiveSmallIntegerField("nhiệm kỳ đến năm")
    pilot_five_year = models.BooleanField(
        "thí điểm đại hội chi bộ 5 năm một lần",
        default=False,
        help_text="Theo Quy định 294-QĐ/TW (từ 01/7/2025).",
    )
    term_months = models.PositiveSmallIntegerField(
        "độ dài nhiệm kỳ (tháng)", help_text="Theo tham số quy tắc áp dụng khi mở đợt."
    )
    starts_on = models.DateField("bắt đầu tổ chức từ ngày")
    deadline = models.DateField("hoàn thành trước ngày")
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, verbose_name="căn cứ")
    state = models.CharField(
        "trạng thái", max_length=10, choices=RoundState.choices, default=RoundState.DRAFT
    )
    opened_on = models.DateField("mở ngày", null=True, blank=True)
    closed_on = models.DateField("kết thúc ngày", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start_year", "-starts_on", "-id"]
        verbose_name = "đợt đại hội"
        verbose_name_plural = "đợt đại hội"

    def __str__(self) -> str:
        return self.name

    @property
    def term_label(self) -> str:
        return f"{self.term_start_year}–{self.term_end_year}"


class CongressQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "organization__path"


class Congress(TimeStampedModel):
    """One organization's congress in a round: planned and held dates, attendance, the election.

    `excluded` takes an organization out of the round's total (dissolved or merged before its
    congress, with the reason); nothing is deleted.
    """

    round = models.ForeignKey(CongressRound, on_delete=models.PROTECT, related_name="congresses")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="congresses", verbose_name="tổ chức"
    )
    planned_on = models.DateField("dự kiến tổ chức ngày", null=True, blank=True)
    held_on = models.DateField("đã tổ chức ngày", null=True, blank=True)
    pilot = models.BooleanField("đại hội điểm", default=False)
    delegate_congress = models.BooleanField(
        "đại hội đại biểu", default=False, help_text="Không chọn: đại hội đảng viên."
    )
    summoned = models.PositiveIntegerField("số đại biểu, đảng viên được triệu tập", null=True, blank=True)
    attending = models.PositiveIntegerField("số có mặt", null=True, blank=True)
    official_members = models.PositiveIntegerField(
        "số đảng viên chính thức của tổ chức",
        null=True,
        blank=True,
        help_text="Khi đại hội: căn cứ số lượng cấp ủy, chi ủy (Điều lệ Đảng Điều 24).",
    )
    committee_size = models.PositiveSmallIntegerField("số cấp ủy viên được bầu", null=True, blank=True)
    secretary_elected_directly = models.BooleanField("bầu bí thư trực tiếp tại đại hội", default=False)
    excluded = models.BooleanField("không tính vào tổng số", default=False)
    excluded_reason = models.CharField("lý do không tính", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = CongressQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "organization__path"]
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"
        constraints = [
            models.UniqueConstraint(fields=["round", "organization"], name="congress_once_per_round")
        ]
        indexes = [models.Index(fields=["round", "held_on"])]

    def __str__(self) -> str:
        return f"Đại hội {self.organization.name} ({self.round.term_label})"


class CongressDocument(TimeStampedModel):
    """A document of a congress. Numbers run from 01 across every kind (HD 36-HD/VPTW)."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="documents")
    number = models.PositiveSmallIntegerField("số")
    kind = models.CharField("loại văn bản", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("trích yếu", max_length=300)
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    file = models.FileField("tệp", upload_to="congresses/%Y/", blank=True)
    original_name = models.CharField("tên tệp", max_length=255, blank=True)
    withdrawn = models.BooleanField("đã thu hồi", default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["congress", "number"]
        verbose_name = "văn bản đại hội"
        verbose_name_plural = "văn bản đại hội"
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="congress_document_number")
        ]

    def __str__(self) -> str:
        return f"{self.number:02d} – {self.title}"


class MembershipQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "organization__path"

    def current(self, on=None) -> MembershipQuerySet:
        """Memberships in force on `on` (default today)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on)
        )


class CommitteeMembership(TimeStampedModel):
    """A member's seat in an organization's committee (cấp ủy, chi ủy) or its leadership, dated.

    Elected at a congress (`congress`, with the vote) or appointed (`appointed_ref`); ended by the
    next congress or a decision. Later work on cadres builds on these rows.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committee_memberships", verbose_name="tổ chức"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="committee_memberships", verbose_name="đảng viên"
    )
    position = models.CharField("chức vụ", max_length=12, choices=Position.choices, default=Position.MEMBER)
    congress = models.ForeignKey(
        Congress,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elected",
        verbose_name="đại hội",
    )
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    end_reason = models.CharField("lý do thôi", max_length=300, blank=True)
    votes_for = models.PositiveIntegerField("số phiếu bầu vào cấp ủy", null=True, blank=True)
    votes_valid = models.PositiveIntegerField("số phiếu hợp lệ", null=True, blank=True)
    position_votes_for = models.PositiveIntegerField("số phiếu bầu chức vụ", null=True, blank=True)
    position_votes_valid = models.PositiveIntegerField("số phiếu hợp lệ bầu chức vụ", null=True, blank=True)
    elected_directly = models.BooleanField("bí thư do đại hội bầu trực tiếp", default=False)
    first_time = models.BooleanField("tham gia lần đầu", default=True)
    age_exception = models.CharField(
        "lý do ngoại lệ về tuổi",
        max_length=300,
        blank=True,
        help_text="Khi không đủ tuổi tái cử, tham gia lần đầu.",
    )
    appointed_ref = models.CharField("quyết định chỉ định", max_length=120, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "-started_on", "id"]
        verbose_name = "cấp ủy viên"
        verbose_name_plural = "cấp ủy viên"
        indexes = [
            models.Index(fields=["organization", "ended_on"]),
            models.Index(fields=["member", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()} {self.organization.name}: {self.member.full_name}"
