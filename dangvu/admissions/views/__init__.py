"""Pages of party development: admissions against targets, candidates, probation follow-up."""

from .candidates import (
    candidate_create,
    candidate_detail,
    candidate_edit,
    candidate_list,
    candidate_stage,
    candidate_withdraw,
)
from .probation import probation
from .progress import progress
from .targets import target_edit

__all__ = [
    "candidate_create",
    "candidate_edit",
    "candidate_detail",
    "candidate_list",
    "candidate_stage",
    "candidate_withdraw",
    "probation",
    "progress",
    "target_edit",
]
