"""Users, their roles in organizations, and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dangvu.core.models import TimeStampedModel


class User(AbstractUser):
    """A person who logs in. What they may see comes from their OrgRoles, never from this row."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    """The five roles of DESIGN.md §2."""

    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    ORG_STAFF = "org_staff", "Cán bộ tổ chức"
    LEADER = "leader", "Lãnh đạo cấp ủy"
    CELL_SECRETARY = "cell_secretary", "Bí thư, cấp ủy viên chi bộ"
    MEMBER = "member", "Đảng viên"


class OrgRoleQuerySet(models.QuerySet):
    def active(self, on=None) -> OrgRoleQuerySet:
        """Roles granted on or before `on` (default today) and not revoked by then."""
        on = on or timezone.localdate()
        return self.filter(granted_on__lte=on).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))


class OrgRole(TimeStampedModel):
    """A user holds a role in an organization (and, for most roles, its subtree) between two dates.

    Roles are revoked by setting `revoked_on`, never deleted, so who could see what on any day
    stays on record.
    """

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="org_roles", verbose_name="người dùng"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="roles", verbose_name="tổ chức"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    granted_on = models.DateField("ngày giao", default=timezone.localdate)
    revoked_on = models.DateField("ngày thu hồi", null=True, blank=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="người giao"
    )
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="người thu hồi"
    )
    reason = models.CharField("lý do", max_length=300, blank=True)

    objects = OrgRoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "granted_on"]
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=models.F("granted_on")),
                name="org_role_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organization}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.granted_on <= today and (self.revoked_on is None or self.revoked_on > today)


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256: they are long random strings, so a slow hash adds nothing."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only its hash is stored; the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("tên", max_length=100, blank=True)
    prefix = models.CharField("tiền tố", max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AccessLog(models.Model):
    """Who revealed which sensitive field or exported which data, and when. Read by system admins."""

    class Action(models.TextChoices):
        REVEAL = "reveal", "Xem trường nhạy cảm"
        EXPORT = "export", "Xuất dữ liệu"
        IMPORT = "import", "Nhập dữ liệu"

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name="người dùng"
    )
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    object_type = models.CharField("loại đối tượng", max_length=40)
    object_id = models.CharField("mã đối tượng", max_length=40, blank=True)
    detail = models.CharField("chi tiết", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "nhật ký truy cập"
        verbose_name_plural = "nhật ký truy cập"

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.object_type} {self.object_id}"
