"""Vietnamese number and date formatting.

Vietnamese convention: ``.`` groups thousands and ``,`` is the decimal
separator (``1.352.000``, ``78,65%``); dates are written ``dd/mm/yyyy``.
Rounding is always half-up (away from zero on ties), never banker's rounding.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction | str

#: Shown instead of a percentage when the denominator is zero or missing.
NO_VALUE = "—"

_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def _to_decimal(x: Number) -> Decimal:
    """Convert ``x`` to Decimal; floats go through ``str`` to avoid artefacts."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):
        return Decimal(str(x))
    if isinstance(x, Fraction):
        return Decimal(x.numerator) / Decimal(x.denominator)
    return Decimal(x)


def _to_fraction(x: Number) -> Fraction:
    """Convert ``x`` to an exact Fraction (floats via their ``str`` form)."""
    return x if isinstance(x, Fraction) else Fraction(_to_decimal(x))


def _group(digits: str) -> str:
    """Insert ``.`` every three digits from the right: ``"1352"`` -> ``"1.352"``."""
    return f"{int(digits):,}".replace(",", ".")


def _format_decimal(value: Decimal, places: int) -> str:
    """Format an already-rounded Decimal the Vietnamese way."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.{places}f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{frac}" if places > 0 else text


def _quantize(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_int(n: Number | None) -> str:
    """Format an integer with ``.`` thousands separators.

    ``1352000`` -> ``"1.352.000"``, ``-1352`` -> ``"-1.352"``.  Non-integral
    values are rounded half-up first.  ``None`` -> ``""``.
    """
    if n is None:
        return ""
    if isinstance(n, int):
        return f"{n:,}".replace(",", ".")
    return _format_decimal(_quantize(_to_decimal(n), 0), 0)


def fmt_decimal(x: Number | None, places: int = 2) -> str:
    """Format a number with ``places`` decimals: ``78.555`` -> ``"78,56"``.

    Thousands are grouped with ``.`` (``1234.5`` -> ``"1.234,50"``).
    ``None`` -> ``""``.
    """
    if x is None:
        return ""
    return _format_decimal(_quantize(_to_decimal(x), places), places)


def _exact_percent(num: Number, den: Number, places: int) -> Decimal:
    """Return ``num / den * 100`` rounded half-up to ``places``, exactly."""
    ratio = _to_fraction(num) * 100 / _to_fraction(den)
    scaled = abs(ratio) * 10**places
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    result = Decimal(q).scaleb(-places)
    return -result if ratio < 0 else result


def fmt_percent(num: Number | None, den: Number | None, places: int = 2) -> str:
    """Format ``num/den`` as a percentage: ``(1352, 1719)`` -> ``"78,65%"``.

    The ratio is computed exactly (rational arithmetic) and rounded half-up,
    so results never depend on float error.  A zero or missing denominator
    (or missing numerator) gives ``"—"``.
    """
    if num is None or den is None or _to_decimal(den) == 0:
        return NO_VALUE
    return _format_decimal(_exact_percent(num, den, places), places) + "%"


def fmt_progress(num: Number | None, den: Number | None) -> str:
    """Format progress as ``"1.352/1.719 (78,65%)"``."""
    return f"{fmt_int(num)}/{fmt_int(den)} ({fmt_percent(num, den)})"


def fmt_date(d: datetime.date | None) -> str:
    """Format a date as ``dd/mm/yyyy``; ``None`` -> ``""``."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date(s: str | None) -> datetime.date:
    """Parse ``dd/mm/yyyy`` (also ``d/m/yyyy``) or ISO ``yyyy-mm-dd``.

    Raises :class:`ValueError` with a Vietnamese message for anything else,
    including impossible dates such as ``31/02/2024``.
    """
    text = (s or "").strip()
    try:
        if match := _VN_DATE.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"Ngày không hợp lệ: «{text}». Hãy nhập theo dạng dd/mm/yyyy.")
