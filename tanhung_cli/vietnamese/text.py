"""Vietnamese text and names: Unicode forms, folding, capitals, and alphabetical order."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that ride along from Word, web pages and Excel. Tab, newline, \x1c-\x1f
# and \x85 are left to str.split(), which treats them as whitespace: they separate words.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_normalize = unicodedata.normalize

# Only the diacritic blocks: vowel signs of other scripts are letters, not accents.
_DIACRITICS = [
    *range(0x300, 0x370),
    *range(0x1AB0, 0x1B00),
    *range(0x1DC0, 0x1E00),
    *range(0x20D0, 0x2100),
    *range(0xFE20, 0xFE30),
]
# ð is what some converters write for đ (Icelandic eth looks the same in most fonts).
_FOLD = {c: None for c in _DIACRITICS} | {ord("đ"): "d", ord("ð"): "d"}

# --- name sort key -------------------------------------------------------------------------
# The key has a section per part of the name (given, middle, family) separated by \x02; a
# part's section is its primary letters, its tones and a tie-break, separated by \x01; \x03
# separates words within a part. All three sort below every letter (ICU does the same with
# tab < space < punctuation < digit < letter).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"  # ICU's root order of ASCII punctuation
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {
    "a\u0306": "ă",
    "a\u0302": "â",
    "e\u0302": "ê",
    "o\u0302": "ô",
    "o\u031b": "ơ",
    "u\u031b": "ư",
}

_Table = dict[int, str | None]


def _sort_tables() -> tuple[_Table, _Table, _Table]:
    """Translation tables for the primary letters, the tones and the tone-free tie-break."""
    primary: _Table = {c: None for c in _DIACRITICS}
    tone: _Table = {c: _TONES.get(chr(c)) for c in _DIACRITICS}
    untone: _Table = {ord(m): None for m in _TONES}
    primary[32] = tone[32] = "\x03"
    for code, char in enumerate(_PUNCTUATION + "0123456789" + _ALPHABET, start=4):
        primary[ord(char)] = primary[ord(char.upper())] = chr(code)
        tone[ord(char)] = tone[ord(char.upper())] = None
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        decomposed = _normalize("NFD", chr(code))
        base, marks = decomposed[0].lower(), decomposed[1:]
        for mark in marks:
            base = _LETTER_MARKS.get(base + mark, base)
        if base in _ALPHABET:
            primary[code] = primary[ord(base)]
            tone[code] = "".join(_TONES.get(m, "") for m in marks) or None
            if tone[code]:
                untone[code] = _normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    return primary, tone, untone


_PRIMARY, _TONE, _UNTONE = _sort_tables()


def clean(text: str) -> str:
    """NFC, without invisible characters, with every whitespace run turned into one space."""
    return " ".join(_normalize("NFC", _INVISIBLE.sub("", text)).split())


def fold(text: str) -> str:
    """A key for search and matching: no case, no diacritics, đ as d."""
    return _fold_cleaned(clean(text))


def _fold_cleaned(cleaned: str) -> str:
    lowered = cleaned.casefold().replace("đ", "d")
    decomposed = _normalize("NFD", lowered)
    ascii_only = decomposed.encode("ascii", "ignore")
    # Fast path: a Latin letter decomposes into one ASCII letter and marks, nothing else does.
    if len(ascii_only) == len(lowered):
        return ascii_only.decode()
    # A stray mark standing between spaces leaves a double space behind; a dropped mark can
    # leave the marks of other scripts out of canonical order.
    return " ".join(_normalize("NFD", decomposed.translate(_FOLD)).split())


def _split(words: list[str], given_name: str | None) -> tuple[str, str, str]:
    if len(words) < 2:
        return "", "", " ".join(words)
    size = 1
    if given_name:
        wanted = fold(given_name)
        size = wanted.count(" ") + 1 if wanted else 1
        if size > len(words) or _fold_cleaned(" ".join(words[-size:])) != wanted:
            size = 1
        elif size == len(words):
            return "", "", " ".join(words)
    return words[0], " ".join(words[1:-size]), " ".join(words[-size:])


def capitalised(text: str) -> str:
    """A name typed all in capitals or all in small letters, as Vietnamese writes names:
    "NGUYỄN VĂN TÁM" and "nguyễn văn tám" become "Nguyễn Văn Tám". A name in mixed case is
    kept as typed (the clerk chose it: "Thạch Thị Sa Rươne", "H'Mông")."""
    if not (text.isupper() or text.islower()):
        return text
    return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))


def split_name(full_name: str, given_name: str | None = None) -> tuple[str, str, str]:
    """(family, middle, given); ``given_name`` overrides a multi-word given name."""
    return _split(clean(full_name).split(" "), given_name)


def _part_sort_key(part: str) -> str:
    # Tones and case are compared word by word, not by code point, so Hòa and Hoà are equal;
    # swapcase puts lower case first, as ICU does.
    return (
        part.translate(_PRIMARY)
        + "\x01"
        + part.translate(_TONE)
        + "\x01"
        + part.translate(_UNTONE).swapcase()
    )


def name_sort_key(full_name: str, given_name: str | None = None) -> str:
    """A key that sorts by code point in Vietnamese order of given, middle, family name.

    Each part is compared whole (letters, then tones, then case) before the next, as a clerk
    reads a list: every "Anh" before every "Ánh", whatever their middle and family names.
    """
    family, middle, given = _split(clean(full_name).split(" "), given_name)
    return "\x02".join((_part_sort_key(given), _part_sort_key(middle), _part_sort_key(family)))


def text_sort_key(text: str) -> str:
    """Vietnamese alphabetical order of a plain text (a branch, a course), word by word."""
    return name_sort_key(text, text)
