"""Reading dated rule parameters: the value of a rule on a given date, with its regulation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import LegalBasis, RuleParameter


@dataclass(frozen=True)
class Rule:
    """A rule value in force on a date and the regulation it comes from."""

    key: str
    value: Any
    legal_basis: LegalBasis
    article: str

    @property
    def citation(self) -> str:
        """ "Điều 24, Quy định 294-QĐ/TW" — the part of an error message that names the rule."""
        where = f"{self.article}, " if self.article else ""
        return f"{where}{self.legal_basis.label}"


# Within `cached_rules()`, every parameter of a key is read once and looked up in memory: a loop
# over thousands of members (badges, imports) must not query the rules table per member.
_cache: ContextVar[dict[str, list[RuleParameter]] | None] = ContextVar("rule_cache", default=None)


@contextmanager
def cached_rules() -> Iterator[None]:
    """Memoize rule parameters for the duration of the block (one report, one import)."""
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def _in_force(params: list[RuleParameter], on: date) -> RuleParameter | None:
    for p in params:  # newest first
        if p.effective_from <= on and (p.effective_to is None or p.effective_to > on):
            return p
    return None


def _params(key: str) -> list[RuleParameter]:
    """All parameters of `key`, newest first: from the block's memo if one is active."""
    cache = _cache.get()
    if cache is not None and key in cache:
        return cache[key]
    params = list(
        RuleParameter.objects.select_related("legal_basis").filter(key=key).order_by("-effective_from")
    )
    if cache is not None:
        cache[key] = params
    return params


def rule(key: str, *, on: date, before_first: bool = False) -> Rule:
    """The parameter `key` in force on `on`. Raises ImproperlyConfigured if none is.

    With `before_first`, a date older than the first recorded value gets that value (paper records
    of members admitted decades before the first regulation the system knows).
    """
    params = _params(key)
    param = _in_force(params, on)
    if param is None and before_first and params and on < params[-1].effective_from:
        param = params[-1]
    if param is None:
        raise ImproperlyConfigured(f"Chưa có tham số quy tắc «{key}» áp dụng ngày {on:%d/%m/%Y}.")
    return Rule(key=key, value=param.value, legal_basis=param.legal_basis, article=param.article)
