"""Tests for dangvu.core.formats and the ``vn`` template filters (no database)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.formats import (
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_percent,
    fmt_progress,
    parse_date,
)
from dangvu.core.templatetags import vn

# --- numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1352, "1.352"),
        (1352000, "1.352.000"),
        (-1352, "-1.352"),
        (-999, "-999"),
        (Decimal("2.5"), "3"),
        (Decimal("-2.5"), "-3"),
        (1234.4, "1.234"),
        (None, ""),
    ],
)
def test_fmt_int(n: object, text: str) -> None:
    assert fmt_int(n) == text  # type: ignore[arg-type]


@given(st.integers())
def test_fmt_int_round_trip(n: int) -> None:
    text = fmt_int(n)
    assert int(text.replace(".", "")) == n
    groups = text.lstrip("-").split(".")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(g) == 3 for g in groups[1:])


@pytest.mark.parametrize(
    ("x", "places", "text"),
    [
        (78.555, 2, "78,56"),
        (Decimal("78.555"), 2, "78,56"),
        (Decimal("78.554"), 2, "78,55"),
        (1234.5, 2, "1.234,50"),
        (-1234.5, 1, "-1.234,5"),
        (Decimal("-0.001"), 2, "0,00"),
        (Fraction(1, 3), 3, "0,333"),
        (2.5, 0, "3"),
        (None, 2, ""),
    ],
)
def test_fmt_decimal(x: object, places: int, text: str) -> None:
    assert fmt_decimal(x, places) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("num", "den", "places", "text"),
    [
        (1352, 1719, 2, "78,65%"),
        (1, 3, 2, "33,33%"),
        (2, 3, 2, "66,67%"),
        (1, 8, 0, "13%"),
        (-1, 8, 0, "-13%"),
        (1, 200, 0, "1%"),
        (1, 8, 1, "12,5%"),
        (1719, 1719, 2, "100,00%"),
        (0, 1719, 2, "0,00%"),
        (-1, 100000, 2, "0,00%"),
        (1_000_000, 1, 2, "100.000.000,00%"),
        (Decimal("0.5"), 1, 2, "50,00%"),
        (5, 0, 2, "—"),
        (5, None, 2, "—"),
        (None, 5, 2, "—"),
    ],
)
def test_fmt_percent(num: object, den: object, places: int, text: str) -> None:
    assert fmt_percent(num, den, places) == text  # type: ignore[arg-type]


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**9), st.integers(0, 4))
def test_fmt_percent_matches_exact_decimal(num: int, den: int, places: int) -> None:
    with localcontext() as ctx:
        ctx.prec = 100
        exact = Decimal(num) * 100 / Decimal(den)
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert fmt_percent(num, den, places) == fmt_decimal(rounded, places) + "%"


def test_fmt_progress() -> None:
    assert fmt_progress(1352, 1719) == "1.352/1.719 (78,65%)"
    assert fmt_progress(0, 0) == "0/0 (—)"


# --- dates ----------------------------------------------------------------------


def test_fmt_date() -> None:
    assert fmt_date(datetime.date(2024, 3, 5)) == "05/03/2024"
    assert fmt_date(datetime.datetime(1930, 2, 3, 14, 0)) == "03/02/1930"
    assert fmt_date(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2024", datetime.date(2024, 3, 5)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        (" 03/02/1930 ", datetime.date(1930, 2, 3)),
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("29/02/2024", datetime.date(2024, 2, 29)),
    ],
)
def test_parse_date(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "31/02/2024", "29/02/2023", "05-03-2024", "2024/03/05",
     "5/3/24", "00/01/2024", "05/13/2024", "2024-3-5", "٠٥/٠٣/٢٠٢٤", None],
)  # fmt: skip
def test_parse_date_rejects(text: str | None) -> None:
    with pytest.raises(ValueError, match="Ngày không hợp lệ") as info:
        parse_date(text)
    assert f"«{(text or '').strip()}»" in str(info.value)
    assert str(info.value).endswith("Hãy nhập theo dạng dd/mm/yyyy.")


@given(st.dates())
def test_date_round_trip(d: datetime.date) -> None:
    assert parse_date(fmt_date(d)) == d
    assert parse_date(d.isoformat()) == d


# --- template filters -------------------------------------------------------------


def test_filters() -> None:
    assert vn.vn_int(1352000) == "1.352.000"
    assert vn.vn_int("1352") == "1.352"
    assert vn.vn_int(None) == ""
    assert vn.vn_int("n/a") == "n/a"
    assert vn.vn_percent(1352, 1719) == "78,65%"
    assert vn.vn_percent(1, 0) == "—"
    assert vn.vn_percent("x", 3) == "—"
    assert vn.vn_date(datetime.date(2024, 3, 5)) == "05/03/2024"
    assert vn.vn_date(None) == ""
    assert vn.vn_date("hôm nay") == "hôm nay"
    assert vn.search_key("ĐẢNG ỦY XÃ") == "dang uy xa"
    assert vn.search_key(None) == ""
    assert vn.register.filters["vn_percent"] is vn.vn_percent
