"""Tests for dangvu.core.text (pure Python, no database)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.text import (
    ALPHABET,
    TONE_MARKS,
    collation_key,
    nfc,
    person_name_key,
    search_key,
    sort_people,
    sort_vietnamese,
    split_person_name,
)

VOWELS = "aăâeêioôơuưy"


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def with_tone(letter: str, tone: int) -> str:
    """Return ``letter`` carrying tone ``tone`` (0 = none, 1..5 = TONE_MARKS)."""
    if tone == 0:
        return letter
    return unicodedata.normalize("NFC", letter + TONE_MARKS[tone - 1])


def strip_tones(s: str) -> str:
    kept = (ch for ch in nfd(s) if ch not in TONE_MARKS)
    return unicodedata.normalize("NFC", "".join(kept))


def cmp(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


LOWER_CHARS = [with_tone(c, t) for c in ALPHABET for t in range(6 if c in VOWELS else 1)]
VN_CHARS = LOWER_CHARS + [c.upper() for c in LOWER_CHARS]
vn_text = st.text(alphabet=st.sampled_from(VN_CHARS + [" "]), max_size=20)
vn_word = st.text(alphabet=st.sampled_from(VN_CHARS), min_size=1, max_size=7)
any_text = st.text(max_size=30)


# --- nfc / search_key ---------------------------------------------------------


def test_nfc_examples() -> None:
    assert nfc(None) == ""
    assert nfc("  Nguyễn \t Văn\n An  ") == "Nguyễn Văn An"
    assert nfc(nfd("Nguyễn")) == "Nguyễn"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẢNG ỦY XÃ", "dang uy xa"),
        ("Ăn Ấm Ếch Ốc Ơn Ưu Đi", "an am ech oc on uu di"),
        ("  Trần   Thị\tBình ", "tran thi binh"),
        (None, ""),
    ],
)
def test_search_key_examples(raw: str | None, key: str) -> None:
    assert search_key(raw) == key
    if raw is not None:
        assert search_key(nfd(raw)) == key


@given(any_text)
def test_search_key_idempotent(s: str) -> None:
    assert search_key(search_key(s)) == search_key(s)


@given(any_text)
def test_search_key_nfc_nfd_invariant(s: str) -> None:
    assert search_key(nfd(s)) == search_key(unicodedata.normalize("NFC", s))


@given(vn_text)
def test_search_key_ascii_for_vietnamese(s: str) -> None:
    key = search_key(s)
    assert key.isascii()
    assert key == key.lower()
    assert key == search_key(nfd(s))


# --- collation_key ------------------------------------------------------------


@pytest.mark.parametrize(
    "ordered",
    [
        ["an", "ăn", "ân", "bá"],
        ["ca", "cà", "cả", "cã", "cá", "cạ", "cb"],
        ["dương", "đa", "đời", "e"],
        ["ê", "fa", "ga"],
        ["i", "ja", "ka"],
        ["vy", "wa", "xa", "y", "za"],
        ["1", "9", "a", "A", "à", "À"],
        ["an", "an b", "anb"],
        ["ma", "mà", "mả", "mã", "má", "mạ", "mai"],
        ["tôi", "tối", "tơi", "tới", "tu", "tư"],
    ],
)
def test_collation_examples(ordered: list[str]) -> None:
    assert sorted(reversed(ordered), key=collation_key) == ordered
    assert sort_vietnamese(list(reversed(ordered))) == ordered


def test_collation_case_and_normalisation() -> None:
    assert collation_key("Đa")[:2] == collation_key("đa")[:2]
    assert collation_key("đa") < collation_key("Đa") < collation_key("đà")
    assert collation_key(nfd("Ngọc")) == collation_key("Ngọc")
    assert collation_key("  ngọc ") == collation_key("ngọc")


@given(st.permutations(list(ALPHABET)))
def test_alphabet_order(letters: list[str]) -> None:
    assert "".join(sorted(letters, key=collation_key)) == ALPHABET


@given(st.lists(st.sampled_from(list(ALPHABET)), unique=True), st.randoms())
def test_alphabet_order_any_case(letters: list[str], rnd: random.Random) -> None:
    mixed = [c.upper() if rnd.random() < 0.5 else c for c in letters]
    result = [c.lower() for c in sorted(mixed, key=collation_key)]
    assert result == [c for c in ALPHABET if c in letters]


@given(st.lists(any_text, max_size=8))
def test_collation_total_order_consistent_with_sort(items: list[str]) -> None:
    keys = [collation_key(s) for s in items]
    ordered = sorted(items, key=collation_key)
    assert [nfc(s) for s in ordered] == [nfc(s) for s in sorted(reversed(items), key=collation_key)]
    sorted_keys = [collation_key(s) for s in ordered]
    assert all(a <= b for a, b in zip(sorted_keys, sorted_keys[1:], strict=False))
    for a, ka in zip(items, keys, strict=True):
        for b, kb in zip(items, keys, strict=True):
            assert (ka == kb) == (nfc(a) == nfc(b))
            assert cmp(ka, kb) == -cmp(kb, ka)


@given(any_text)
def test_collation_nfc_nfd_invariant(s: str) -> None:
    assert collation_key(nfd(s)) == collation_key(unicodedata.normalize("NFC", s))


@given(vn_text)
def test_collation_vietnamese_nfd_invariant(s: str) -> None:
    assert collation_key(nfd(s)) == collation_key(s)


@given(
    st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=4),
    st.sampled_from(list(VOWELS)),
    st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=4),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_same_letters_order_by_tone(pre: str, vowel: str, post: str, t1: int, t2: int) -> None:
    a = pre + with_tone(vowel, t1) + post
    b = pre + with_tone(vowel, t2) + post
    assert cmp(collation_key(a), collation_key(b)) == cmp(t1, t2)


@given(vn_text, vn_text)
def test_base_letters_dominate_tones(a: str, b: str) -> None:
    bare_a, bare_b = strip_tones(nfc(a)).lower(), strip_tones(nfc(b)).lower()
    if bare_a != bare_b:
        assert cmp(collation_key(a), collation_key(b)) == cmp(collation_key(bare_a), collation_key(bare_b))


# --- person names ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Nguyễn Thị Minh Khai", ("Nguyễn", "Thị Minh", "Khai")),
        ("Trần Văn An", ("Trần", "Văn", "An")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Khai", ("", "", "Khai")),
        ("  Hồ   Chí  Minh ", ("Hồ", "Chí", "Minh")),
        ("", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_split_person_name(name: str | None, parts: tuple[str, str, str]) -> None:
    assert split_person_name(name) == parts


def test_person_name_order() -> None:
    assert person_name_key("Trần Văn An") < person_name_key("Nguyễn Thị Bình")
    assert person_name_key("Lê Văn An") < person_name_key("Trần Văn An")
    assert person_name_key("Đỗ Thị An") > person_name_key("Dương Văn An")
    assert person_name_key("Lê Thị An") < person_name_key("Lê Văn An")
    people = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Văn An", "Đặng Thị Ánh"]
    assert sort_people(people) == [
        "Lê Văn An",
        "Trần Văn An",
        "Đặng Thị Ánh",
        "Nguyễn Thị Bình",
    ]
    rows = [{"name": n} for n in people]
    assert [r["name"] for r in sort_people(rows, key=lambda r: r["name"])] == [
        "Lê Văn An",
        "Trần Văn An",
        "Đặng Thị Ánh",
        "Nguyễn Thị Bình",
    ]


@given(vn_word, vn_word, vn_word, vn_word, vn_word)
def test_person_name_key_properties(fam1: str, fam2: str, mid: str, giv1: str, giv2: str) -> None:
    k1, k2 = collation_key(giv1), collation_key(giv2)
    n1, n2 = f"{fam1} {mid} {giv1}", f"{fam2} {mid} {giv2}"
    if k1 != k2:
        assert cmp(person_name_key(n1), person_name_key(n2)) == cmp(k1, k2)
    same1, same2 = f"{fam1} {mid} {giv1}", f"{fam2} {mid} {giv1}"
    assert cmp(person_name_key(same1), person_name_key(same2)) == cmp(
        collation_key(fam1), collation_key(fam2)
    )
    assert person_name_key(nfd(n1)) == person_name_key(n1)


# --- person_sort_string: the database-storable form of person_name_key -----------------------
from hypothesis import given as _given  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

from dangvu.core.text import person_sort_string  # noqa: E402

_NAME_WORDS = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Đặng",
    "Thị",
    "Văn",
    "An",
    "Ân",
    "Anh",
    "Bình",
    "Bính",
    "Dũng",
    "Đức",
    "Hà",
    "Hạ",
    "Hà",
    "Minh",
    "Ngọc",
    "Ánh",
    "Ấn",
    "Y",
    "Uyên",
    "Ư",
]


@_given(
    _st.lists(
        _st.lists(_st.sampled_from(_NAME_WORDS), min_size=1, max_size=4).map(" ".join),
        min_size=2,
        max_size=12,
    )
)
def test_person_sort_string_orders_like_person_name_key(names):
    def key_without_case(name):
        return tuple(part[:2] for part in person_name_key(name))

    by_key = sorted(names, key=key_without_case)
    by_string = sorted(names, key=person_sort_string)
    assert [key_without_case(n) for n in by_key] == [key_without_case(n) for n in by_string]


def test_person_sort_string_examples():
    names = ["Nguyễn Thị Bình", "Trần Văn An", "Lê Ân", "Đặng An", "Nguyễn Anh"]
    # a < â, so "Anh" comes before "Ân"; equal given names order by family name (Đ < T).
    assert sorted(names, key=person_sort_string) == [
        "Đặng An",
        "Trần Văn An",
        "Nguyễn Anh",
        "Lê Ân",
        "Nguyễn Thị Bình",
    ]
    assert person_sort_string("Nguyễn Văn An").isascii()
