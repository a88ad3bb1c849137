"""Vietnamese text helpers: normalisation, search keys and collation.

Collation follows Vietnamese dictionary order and is compared in three levels
over the *whole* string (like ICU/CLDR):

1. Primary: the sequence of base letters, in the Vietnamese alphabet order
   ``a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y``.  The foreign
   letters f, j, w, z sit after their Latin neighbours (e < ê < f < g,
   i < j < k, v < w < x, y < z).  Whitespace sorts before punctuation, which
   sorts before digits, which sort before letters; other scripts come last.
2. Secondary: the sequence of tones, in the order used by Vietnamese
   dictionaries (Hoàng Phê, *Từ điển tiếng Việt*) and by the CLDR ``vi``
   tailoring: ngang (none) < huyền (grave) < hỏi (hook) < ngã (tilde)
   < sắc (acute) < nặng (dot below).
3. Tertiary: case (lower before upper), then the NFC string as final tie-break.

All functions accept precomposed (NFC) and decomposed (NFD) input alike.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

#: The 29 letters of the official Vietnamese alphabet, in order.
ALPHABET: str = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
#: Full primary order used for collation (alphabet plus f, j, w, z).
COLLATION_LETTERS: str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
#: Combining tone marks in collation order: huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS: tuple[str, ...] = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

_LETTER_WEIGHT = {ch: i for i, ch in enumerate(COLLATION_LETTERS)}
_TONE_RANK = {mark: i + 1 for i, mark in enumerate(TONE_MARKS)}
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MARKED_VOWELS = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
_VOWELS = frozenset("aăâeêioôơuưy")

# Primary weight classes.
_SPACE, _SYMBOL, _DIGIT, _LETTER, _OTHER_LETTER = range(5)


def nfc(s: str | None) -> str:
    """Return ``s`` in Unicode NFC with whitespace trimmed and collapsed.

    ``None`` becomes ``""``; any run of Unicode whitespace becomes one space.
    """
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(s)).split())


def search_key(s: str | None) -> str:
    """Return a lowercase, diacritic-free key for accent-insensitive search.

    Tone and vowel marks are dropped (ă â ê ô ơ ư become a a e o o u), đ/Đ
    becomes d and whitespace is collapsed: ``"ĐẢNG ỦY XÃ"`` -> ``"dang uy xa"``.
    Any other combining mark is dropped as well (``"café"`` -> ``"cafe"``).
    """
    decomposed = unicodedata.normalize("NFD", nfc(s).lower())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("đ", "d").split())


def _clusters(decomposed: str) -> list[tuple[str, list[str]]]:
    """Split an NFD string into (base character, combining marks) pairs."""
    out: list[tuple[str, list[str]]] = []
    for ch in decomposed:
        if out and unicodedata.combining(ch):
            out[-1][1].append(ch)
        else:
            out.append((ch, []))
    return out


def _weigh(base: str, marks: list[str]) -> tuple[tuple[int, int], int, int]:
    """Return (primary weight, tone rank, case flag) for one character."""
    low = base.lower()
    if len(low) != 1:
        low = base
    is_upper = int(base != low)
    letter = low
    for mark in marks:
        letter = _MARKED_VOWELS.get((low, mark), letter)
    tone = 0
    if letter in _VOWELS:
        tone = next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0)
    if letter in _LETTER_WEIGHT:
        primary = (_LETTER, _LETTER_WEIGHT[letter])
    elif base.isspace():
        primary = (_SPACE, 0)
    elif base.isdecimal():
        primary = (_DIGIT, unicodedata.decimal(base))
    elif base.isalpha():
        primary = (_OTHER_LETTER, ord(low))
    else:
        primary = (_SYMBOL, ord(base))
    return primary, tone, is_upper


def collation_key(s: str | None) -> tuple[Any, ...]:
    """Return a sort key implementing Vietnamese alphabetical order.

    The key is ``(primary, tones, case, nfc_string)``; see the module
    docstring for the levels.  Examples: ``"an" < "ăn" < "ân" < "bá"``,
    ``"dương" < "đa"``, ``"ca" < "cà" < "cả" < "cã" < "cá" < "cạ" < "cb"``.
    Input is passed through :func:`nfc` first, so strings that differ only
    in normalisation form or surrounding/duplicate whitespace compare equal.
    """
    text = nfc(s)
    weights = [_weigh(base, marks) for base, marks in _clusters(unicodedata.normalize("NFD", text))]
    primary = tuple(w[0] for w in weights)
    tones = tuple(w[1] for w in weights)
    case = tuple(w[2] for w in weights)
    return (primary, tones, case, text)


def sort_vietnamese(items: Iterable[T], key: Callable[[T], str] = lambda x: x) -> list[T]:
    """Return ``items`` sorted in Vietnamese alphabetical order of ``key``."""
    return sorted(items, key=lambda item: collation_key(key(item)))


def split_person_name(full_name: str | None) -> tuple[str, str, str]:
    """Split a Vietnamese full name into ``(family, middle, given)``.

    Names are written family name first and given name last:
    ``"Nguyễn Thị Minh Khai"`` -> ``("Nguyễn", "Thị Minh", "Khai")``.
    A single word is taken as the given name: ``"An"`` -> ``("", "", "An")``.
    """
    words = nfc(full_name).split(" ")
    if words == [""]:
        return ("", "", "")
    if len(words) == 1:
        return ("", "", words[0])
    return (words[0], " ".join(words[1:-1]), words[-1])


def person_name_key(full_name: str | None) -> tuple[Any, ...]:
    """Sort key for people as in party registers.

    Orders by given name, then family name, then middle name(s), each with
    :func:`collation_key`: ``"Trần Văn An"`` < ``"Nguyễn Thị Bình"``.
    """
    family, middle, given = split_person_name(full_name)
    return (collation_key(given), collation_key(family), collation_key(middle))


def sort_people(items: Iterable[T], key: Callable[[T], str] = lambda x: x) -> list[T]:
    """Return ``items`` sorted by :func:`person_name_key` of ``key(item)``."""
    return sorted(items, key=lambda item: person_name_key(key(item)))


def _part_sort_string(part: str) -> str:
    weights = [_weigh(base, marks) for base, marks in _clusters(unicodedata.normalize("NFD", nfc(part)))]
    codes = []
    for (group, weight), _tone, _case in weights:
        if group == _LETTER:
            codes.append(f"{100 + weight:03d}")
        elif group == _DIGIT:
            codes.append(f"{10 + weight:03d}")
        elif group == _SPACE:
            codes.append("001")
        elif group == _OTHER_LETTER:
            codes.append("900")
        else:
            codes.append("002")
    # "000" ends the primary level, so a shorter name sorts before a longer one it begins.
    return "".join(codes) + "000" + "".join(str(tone) for _p, tone, _c in weights)


def person_sort_string(full_name: str | None) -> str:
    """A plain-digit string whose byte order is :func:`person_name_key` order (case aside).

    Stored in an indexed column so that the database can sort and paginate names the
    Vietnamese way; digits sort the same under every database collation.
    """
    family, middle, given = split_person_name(full_name)
    return "|".join(_part_sort_string(p) for p in (given, family, middle))
