"""Pages of the quality review (đánh giá, xếp loại chất lượng)."""

from .cell import cell_entry
from .decide import collective_decide, collective_propose, decide_members
from .mine import my_evaluation
from .progress import round_progress
from .rounds import round_close, round_create, round_detail, round_list, round_open, round_reopen

__all__ = [
    "cell_entry",
    "collective_decide",
    "collective_propose",
    "decide_members",
    "my_evaluation",
    "round_close",
    "round_create",
    "round_detail",
    "round_list",
    "round_open",
    "round_progress",
    "round_reopen",
]
