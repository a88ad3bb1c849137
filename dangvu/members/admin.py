"""Members in the Django admin: read-only. Lifecycle changes go through the services (pages, API),
which write the dated events and keep the current state in step; the admin must not bypass them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Member, MemberEvent, Transfer


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("full_name", "birth_date", "organization", "status", "exempted", "official_on")
    list_filter = ("status", "exempted", "gender")
    search_fields = ("search_key", "citizen_id", "card_number")
    list_select_related = ("organization",)
    raw_id_fields = ("organization", "residence_liaison_org", "user")
    ordering = ("name_sort", "id")


@admin.register(MemberEvent)
class MemberEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("member", "kind", "effective_on", "organization", "status_after", "actor")
    list_filter = ("kind",)
    search_fields = ("member__search_key", "decision_ref")
    list_select_related = ("member", "organization", "actor")
    date_hierarchy = "effective_on"


@admin.register(Transfer)
class TransferAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "member",
        "kind",
        "state",
        "from_org",
        "to_org",
        "external_destination",
        "issued_on",
        "report_due_on",
    )
    list_filter = ("kind", "state")
    search_fields = ("member__search_key", "decision_ref")
    list_select_related = ("member", "from_org", "to_org")
