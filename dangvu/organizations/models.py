"""The party tree: organizations and the dated events that built it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from dangvu.core.models import TimeStampedModel
from dangvu.core.scoping import ScopedQuerySetMixin


class Kind(models.TextChoices):
    """Kinds of party organization (GLOSSARY.md). Which may sit under which is a rule parameter."""

    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Đảng bộ tỉnh, thành phố"
    PROVINCIAL_BLOC = "provincial_bloc", "Đảng bộ trực thuộc tỉnh (khối, cơ quan, LLVT)"
    DISTRICT = "district", "Đảng bộ huyện, quận, thị xã (trước 01/7/2025)"
    COMMUNE = "commune", "Đảng bộ xã, phường, đặc khu"
    BASE_COMMITTEE = "base_committee", "Đảng bộ cơ sở"
    BASE_CELL = "base_cell", "Chi bộ cơ sở"
    SUB_COMMITTEE = "sub_committee", "Đảng bộ bộ phận"
    CELL = "cell", "Chi bộ trực thuộc"
    PARTY_GROUP = "party_group", "Tổ đảng"


BASE_KINDS = (Kind.BASE_COMMITTEE, Kind.BASE_CELL)
CELL_KINDS = (Kind.BASE_CELL, Kind.CELL)


class BaseType(models.TextChoices):
    """Statistical category of a base organization (loại hình tổ chức cơ sở đảng)."""

    COMMUNE = "commune", "Xã, phường, đặc khu"
    ADMINISTRATIVE = "administrative", "Cơ quan hành chính"
    PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp"
    STATE_ENTERPRISE = "state_enterprise", "Doanh nghiệp nhà nước"
    PRIVATE_ENTERPRISE = "private_enterprise", "Doanh nghiệp ngoài nhà nước"
    MILITARY = "military", "Quân đội"
    POLICE = "police", "Công an"
    OTHER = "other", "Khác"


class OrganizationQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    scope_path_field = "path"

    def active(self, on=None) -> OrganizationQuerySet:
        """Not dissolved (on `on`, default: now)."""
        if on is None:
            return self.filter(dissolved_on__isnull=True)
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))

    def search(self, text: str) -> OrganizationQuerySet:
        """Diacritic-insensitive search on name and code ("dang uy xa" finds "Đảng ủy xã")."""
        from dangvu.core.text import search_key

        key = search_key(text)
        if not key:
            return self
        return self.filter(Q(search_key__contains=key) | Q(code__iexact=text.strip()))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self) -> OrganizationQuerySet:
        # MP_NodeManager hard-codes MP_NodeQuerySet; return ours and keep treebeard's path order.
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node, TimeStampedModel):
    """A node of the party tree (province, commune committee, base committee, cell, party group…).

    Create, move and dissolve through `dangvu.organizations.services` only: they check the
    structure rules, keep `path`/`depth`/`numchild` right through treebeard, and write the
    OrganizationEvent that lets the tree be rebuilt as of any date. Nothing is hard-deleted.
    """

    code = models.CharField("mã tổ chức", max_length=40, unique=True)
    name = models.CharField("tên", max_length=255)
    kind = models.CharField("cấp tổ chức", max_length=20, choices=Kind.choices)
    base_type = models.CharField(
        "loại hình cơ sở", max_length=20, choices=BaseType.choices, blank=True, default=""
    )
    admin_unit_code = models.CharField(
        "mã đơn vị hành chính",
        max_length=10,
        blank=True,
        help_text="Mã tỉnh hoặc xã, phường theo danh mục đơn vị hành chính Việt Nam.",
    )
    border_area = models.BooleanField(
        "xã, phường biên giới",
        default=False,
        help_text="Địa bàn biên giới: kết nạp đảng viên ở đây được tính vào chỉ tiêu khu vực biên giới.",
    )
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    # Diacritic-free lowercase name and code, kept by the services, for search.
    search_key = models.CharField(max_length=300, editable=False, db_index=True)

    objects = OrganizationManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "search_key"])

    class Meta:
        ordering = ["path"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        indexes = [
            models.Index(fields=["kind", "dissolved_on"], name="org_kind_dissolved_idx"),
            # Subtree filters are `path LIKE 'prefix%'`; on PostgreSQL a btree index serves them only
            # with the pattern operator class (other databases ignore opclasses).
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # Children lists (`depth = d AND path LIKE 'prefix%'`): for the root the prefix matches the
            # whole tree, and the country's 34 provinces took 222 ms to find without it.
            models.Index(
                fields=["depth", "path"],
                name="org_depth_path_idx",
                opclasses=["int4_ops", "varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="org_dissolved_after_founded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def is_base(self) -> bool:
        return self.kind in BASE_KINDS

    def admin_unit_label(self) -> str:
        from .admin_units import admin_unit_name

        return admin_unit_name(self.admin_unit_code)


class OrganizationEvent(TimeStampedModel):
    """A dated change of the tree: created, renamed, moved, dissolved (and later merged, split).

    `effective_on` is the date the decision takes effect, which may be earlier than the day it is
    recorded. Parent and name before and after are stored by id and value, never by path, so the
    tree as it stood on any date can be rebuilt after later moves.
    """

    class EventKind(models.TextChoices):
        CREATED = "created", "Thành lập"
        RENAMED = "renamed", "Đổi tên"
        UPDATED = "updated", "Cập nhật thông tin"
        MOVED = "moved", "Chuyển trực thuộc"
        DISSOLVED = "dissolved", "Giải thể"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name="tổ chức"
    )
    kind = models.CharField("loại sự kiện", max_length=20, choices=EventKind.choices)
    effective_on = models.DateField("ngày hiệu lực")
    decision_ref = models.CharField("số quyết định", max_length=120, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    old_parent = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="trực thuộc cũ",
    )
    new_parent = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="trực thuộc mới",
    )
    old_name = models.CharField("tên cũ", max_length=255, blank=True)
    new_name = models.CharField("tên mới", max_length=255, blank=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    data = models.JSONField("chi tiết", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="người thực hiện",
    )

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = "sự kiện tổ chức"
        verbose_name_plural = "sự kiện tổ chức"
        indexes = [models.Index(fields=["organization", "effective_on"], name="org_event_org_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organization} ({self.effective_on:%d/%m/%Y})"
