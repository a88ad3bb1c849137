"""The member pages (thin views over the selectors and services)."""

from .actions import member_action, member_admit, member_correct, transfer_destinations
from .detail import member_detail, member_reveal
from .imports import import_status, import_template, member_import
from .lists import access_log, badge_list, member_export, member_list, member_register_export
from .transfers import transfer_inbox, transfer_step

__all__ = [
    "access_log",
    "badge_list",
    "import_status",
    "import_template",
    "member_action",
    "member_admit",
    "member_correct",
    "member_detail",
    "member_export",
    "member_import",
    "member_list",
    "member_register_export",
    "member_reveal",
    "transfer_destinations",
    "transfer_inbox",
    "transfer_step",
]
