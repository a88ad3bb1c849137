"""Vietnamese formatting filters: ``{% load vn %}``.

``{{ n|vn_int }}`` -> ``1.352.000``; ``{{ done|vn_percent:total }}`` ->
``78,65%``; ``{{ d|vn_date }}`` -> ``dd/mm/yyyy``; ``{{ s|search_key }}`` ->
diacritic-free lowercase text (e.g. for ``data-search`` attributes).

Filters never raise: unusable input is returned unchanged (``None`` -> ``""``).
"""

from __future__ import annotations

import datetime
from decimal import InvalidOperation
from typing import Any

from django import template
from django.utils import timezone

from dangvu.core import formats, text

register = template.Library()

_BAD_INPUT = (TypeError, ValueError, ArithmeticError, InvalidOperation)


@register.filter(is_safe=True)
def vn_int(value: Any) -> Any:
    """Format an integer with ``.`` thousands separators."""
    if value is None or value == "":
        return ""
    try:
        return formats.fmt_int(value)
    except _BAD_INPUT:
        return value


@register.filter(is_safe=True)
def vn_percent(num: Any, den: Any) -> Any:
    """Format ``num/den`` as a Vietnamese percentage (``"—"`` if den is 0)."""
    try:
        return formats.fmt_percent(num, den)
    except _BAD_INPUT:
        return formats.NO_VALUE


@register.filter(is_safe=True)
def vn_date(value: Any) -> Any:
    """Format a date (or datetime, in local time if aware) as ``dd/mm/yyyy``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, datetime.date):
        return formats.fmt_date(value)
    return value


@register.filter(name="search_key")
def search_key(value: Any) -> str:
    """Return the accent-insensitive search key of ``value``."""
    return text.search_key(None if value is None else str(value))
