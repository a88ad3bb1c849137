"""Reading dated rule parameters: the value of a rule on a given date, with its regulation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

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


def rule(key: str, *, on: date) -> Rule:
    """The parameter `key` in force on `on`. Raises ImproperlyConfigured if none is."""
    param = (
        RuleParameter.objects.select_related("legal_basis")
        .filter(key=key, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from")
        .first()
    )
    if param is None:
        raise ImproperlyConfigured(f"Chưa có tham số quy tắc «{key}» áp dụng ngày {on:%d/%m/%Y}.")
    return Rule(key=key, value=param.value, legal_basis=param.legal_basis, article=param.article)
