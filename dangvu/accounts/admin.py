"""Admin pages for accounts. Roles and tokens are written through services (the role pages, the
token page); here a system administrator looks them up, and may revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from dangvu.core.admin import NoDeleteMixin

from . import services
from .models import ApiToken, OrgRole, User


class OrgRoleInline(admin.TabularInline):
    model = OrgRole
    fk_name = "user"
    extra = 0
    fields = ["role", "organization", "granted_on", "revoked_on", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(NoDeleteMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Thông tin cá nhân", {"fields": ["full_name", "email"]}),
        (
            "Quyền",
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "description": "Phạm vi dữ liệu do vai trò tại tổ chức quyết định (trang Phân quyền), "
                "không do các ô dưới đây.",
            },
        ),
        ("Thời gian", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]}),
    ]
    inlines = [OrgRoleInline]


@admin.register(OrgRole)
class OrgRoleAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["user", "role", "organization", "granted_on", "revoked_on", "granted_by"]
    list_filter = ["role", ("revoked_on", admin.EmptyFieldListFilter), "granted_on"]
    search_fields = ["user__username", "user__full_name", "organization__name", "organization__code"]
    list_select_related = ["user", "organization", "granted_by"]
    date_hierarchy = "granted_on"
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Thu hồi các vai trò đã chọn (từ hôm nay)")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[OrgRole]) -> None:
        done = 0
        for grant in queryset.filter(revoked_on__isnull=True).select_related("user", "organization"):
            try:
                services.org_role_revoke(
                    actor=request.user, grant=grant, reason="Thu hồi trong trang quản trị"
                )
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{grant}: {'; '.join(_messages(exc))}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"Đã thu hồi {done} vai trò.", messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "user__username", "user__full_name"]
    list_select_related = ["user"]
    fields = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A token's raw value must be shown to its owner once: tokens are made on the token page.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description="Thu hồi các mã đã chọn")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.api_token_revoke(token=token)
        self.message_user(request, f"Đã thu hồi {len(tokens)} mã.", messages.SUCCESS)


def _messages(exc: PermissionDenied | ValidationError) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]
