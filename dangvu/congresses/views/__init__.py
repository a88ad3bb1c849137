"""Pages of congresses for each term (đại hội nhiệm kỳ)."""

from .committee import committee
from .congress import congress_detail, congress_exclude, congress_include, congress_plan, congress_record
from .documents import document_add, document_download, document_withdraw
from .progress import progress
from .rounds import round_close, round_create, round_detail, round_list, round_open, round_sync

__all__ = [
    "committee",
    "congress_detail",
    "congress_exclude",
    "congress_include",
    "congress_plan",
    "congress_record",
    "document_add",
    "document_download",
    "document_withdraw",
    "progress",
    "round_close",
    "round_create",
    "round_detail",
    "round_list",
    "round_open",
    "round_sync",
]
