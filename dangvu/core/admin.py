"""The Django admin: for system administrators only, in Vietnamese; rule parameters live here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dangvu.organizations.permissions import is_system_admin

from .models import LegalBasis, RuleParameter

admin.site.site_header = "Quản trị hệ thống Đảng vụ"
admin.site.site_title = "Quản trị Đảng vụ"
admin.site.index_title = "Dữ liệu hệ thống"
admin.site.site_url = "/"


def _system_admins_only(request: HttpRequest) -> bool:
    # A staff flag alone is not enough: the admin bypasses scoping, so only system administrators
    # (superusers, or holders of an active system_admin role) may enter.
    user = request.user
    return user.is_active and user.is_staff and is_system_admin(user)


admin.site.has_permission = _system_admins_only


class NoDeleteMixin:
    """Nothing is hard-deleted (DESIGN.md §5): rows are superseded or ended with a date."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class RuleParameterInline(admin.TabularInline):
    model = RuleParameter
    extra = 0
    fields = ["key", "value", "effective_from", "effective_to", "article", "verified"]
    show_change_link = True
    can_delete = False


@admin.register(LegalBasis)
class LegalBasisAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "doc_kind", "title", "issuer", "signed_on", "effective_from", "replaced_by"]
    list_filter = ["doc_kind", "issuer"]
    search_fields = ["code", "title"]
    date_hierarchy = "effective_from"
    autocomplete_fields = ["replaced_by"]
    inlines = [RuleParameterInline]


@admin.register(RuleParameter)
class RuleParameterAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["key", "value", "effective_from", "effective_to", "legal_basis", "article", "verified"]
    list_filter = ["verified", "key"]
    search_fields = ["key", "description", "legal_basis__code"]
    autocomplete_fields = ["legal_basis"]
    list_select_related = ["legal_basis"]
