"""Party development: admission targets for organizations and the candidates' pipeline.

Written only by `dangvu.admissions.services`. A target is set by the upper level for an
organization and a period (a year, or a term), as a total and optionally per segment; progress
compares it with the members admitted in the period (the member registry's ADMITTED events,
counted where they were admitted). A candidate moves through dated stages until the ceremony,
when the member registry's `member_admit` creates the probationary member.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dangvu.core.models import TimeStampedModel
from dangvu.core.scoping import ScopedQuerySetMixin
from dangvu.members.choices import ETHNICITY_CHOICES, Education, Gender, Occupation, Religion
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from .choices import Segment, TargetPeriod

USER = settings.AUTH_USER_MODEL


class TargetQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "organization__path"


class AdmissionTarget(TimeStampedModel):
    """How many new members `organization` is to admit in a period (one row per segment).

    The period is a year (`year_from == year_to`) or a term (2025–2030). Set by the upper level
    (`assigned_by`); a target of 0 withdraws it, kept in history.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="admission_targets", verbose_name="tổ chức"
    )
    period = models.CharField("kỳ", max_length=6, choices=TargetPeriod.choices, default=TargetPeriod.YEAR)
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")
    segment = models.CharField("đối tượng", max_length=20, choices=Segment.choices, default=Segment.TOTAL)
    target = models.PositiveIntegerField("chỉ tiêu")
    assigned_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="cấp giao chỉ tiêu"
    )
    decision_ref = models.CharField("văn bản giao", max_length=120, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_from", "organization__path", "segment"]
        verbose_name = "chỉ tiêu kết nạp đảng viên"
        verbose_name_plural = "chỉ tiêu kết nạp đảng viên"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year_from", "year_to", "segment"], name="admission_target_once"
            ),
            models.CheckConstraint(
                condition=models.Q(year_to__gte=models.F("year_from")), name="target_years"
            ),
        ]

    def __str__(self) -> str:
        years = str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"
        return f"{self.organization.name} {years} ({self.get_segment_display()}): {self.target}"


class CandidateQuerySet(ScopedQuerySetMixin, models.QuerySet):
    scope_path_field = "organization__path"

    def active(self) -> CandidateQuerySet:
        return self.filter(member__isnull=True, withdrawn_on__isnull=True)


class Candidate(TimeStampedModel):
    """A person on the way to membership (quần chúng ưu tú → đảng viên dự bị), each stage dated.

    The stage is the last one done (`stage` property); each write goes through a service that
    checks the order and the rule of that stage. After the ceremony `member` is the new member.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="candidates", verbose_name="chi bộ"
    )
    # The person (the fields the member record needs at admission)
    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=2, choices=ETHNICITY_CHOICES, default="01")
    religion = models.CharField("tôn giáo", max_length=20, choices=Religion.choices, default=Religion.NONE)
    citizen_id = models.CharField("số CCCD", max_length=12, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=30, choices=Occupation.choices, blank=True)
    workplace = models.CharField("nơi làm việc", max_length=255, blank=True)
    education = models.CharField("giáo dục phổ thông", max_length=20, choices=Education.choices, blank=True)
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    permanent_address = models.CharField("nơi thường trú", max_length=255, blank=True)
    youth_union = models.BooleanField("đoàn viên thanh niên", default=False)
    search_key = models.CharField(max_length=200, editable=False, db_index=True)
    name_sort = models.CharField(max_length=400, editable=False, db_index=True)
    # Stages
    listed_on = models.DateField("được giới thiệu là quần chúng ưu tú ngày")
    class_certificate_no = models.CharField("số giấy chứng nhận lớp bồi dưỡng", max_length=60, blank=True)
    class_certified_on = models.DateField("ngày cấp giấy chứng nhận", null=True, blank=True)
    sponsor_1 = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người giới thiệu 1",
    )
    sponsor_1_since = models.DateField("cùng công tác với người giới thiệu 1 từ", null=True, blank=True)
    sponsor_2 = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người giới thiệu 2",
    )
    sponsor_2_since = models.DateField("cùng công tác với người giới thiệu 2 từ", null=True, blank=True)
    youth_union_resolution = models.CharField(
        "nghị quyết giới thiệu của Đoàn",
        max_length=120,
        blank=True,
        help_text="Thay cho một người giới thiệu.",
    )
    sponsors_assigned_on = models.DateField("phân công người giới thiệu ngày", null=True, blank=True)
    verified_on = models.DateField("hoàn thành thẩm tra lý lịch ngày", null=True, blank=True)
    verification_note = models.CharField("kết quả thẩm tra", max_length=300, blank=True)
    cell_voted_on = models.DateField("chi bộ biểu quyết ngày", null=True, blank=True)
    cell_votes_for = models.PositiveSmallIntegerField("số đảng viên tán thành", null=True, blank=True)
    cell_official_members = models.PositiveSmallIntegerField(
        "số đảng viên chính thức của chi bộ", null=True, blank=True
    )
    # A vote short of 2/3 is counted here and leaves `cell_voted_on` empty; after the third the
    # matter goes to the higher committee (QĐ 24 §4.2).
    cell_vote_attempts = models.PositiveSmallIntegerField("số lần chi bộ biểu quyết", default=0)
    base_resolved_on = models.DateField("đảng ủy cơ sở xét ngày", null=True, blank=True)
    base_resolution_ref = models.CharField("nghị quyết của đảng ủy cơ sở", max_length=120, blank=True)
    decided_on = models.DateField("ngày quyết định kết nạp", null=True, blank=True)
    decision_ref = models.CharField("số quyết định kết nạp", max_length=120, blank=True)
    decided_by = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cấp quyết định",
    )
    decision_received_on = models.DateField("chi bộ nhận quyết định ngày", null=True, blank=True)
    ceremony_on = models.DateField("lễ kết nạp ngày", null=True, blank=True)
    member = models.OneToOneField(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidate",
        verbose_name="đảng viên",
    )
    withdrawn_on = models.DateField("dừng xem xét ngày", null=True, blank=True)
    withdrawn_reason = models.CharField("lý do dừng", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = CandidateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_key", "name_sort"])

    class Meta:
        ordering = ["name_sort", "id"]
        verbose_name = "quần chúng ưu tú, người được xem xét kết nạp"
        verbose_name_plural = "quần chúng ưu tú, người được xem xét kết nạp"

    def __str__(self) -> str:
        return self.full_name

    @property
    def stage(self) -> str:
        from .choices import Stage

        if self.withdrawn_on:
            return Stage.WITHDRAWN
        for done, stage in (
            (self.member_id or self.ceremony_on, Stage.ADMITTED),
            (self.decided_on, Stage.DECIDED),
            (self.base_resolved_on, Stage.BASE_RESOLVED),
            (self.cell_voted_on, Stage.CELL_VOTED),
            (self.verified_on, Stage.VERIFIED),
            (self.sponsors_assigned_on, Stage.SPONSORED),
            (self.class_certified_on, Stage.CLASS),
        ):
            if done:
                return stage
        return Stage.LISTED
