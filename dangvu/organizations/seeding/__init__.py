"""Synthetic data: a realistic party tree for demos, tests and benchmarks (`dangvu seed`)."""

from .load import REASON, SeedReport, root_ensure, seed_tree
from .plan import DEFAULT_PROVINCE, PROFILES, REORGANIZED_ON, ROOT_CODE, PlanNode, plan_province

__all__ = [
    "DEFAULT_PROVINCE",
    "PROFILES",
    "REASON",
    "REORGANIZED_ON",
    "ROOT_CODE",
    "PlanNode",
    "SeedReport",
    "plan_province",
    "root_ensure",
    "seed_tree",
]
