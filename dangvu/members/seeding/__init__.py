"""Synthetic party members for demos, tests and benchmarks (`dangvu seed --members`)."""

from .load import MemberSeedReport, province_holders, seed_members

__all__ = ["MemberSeedReport", "province_holders", "seed_members"]
