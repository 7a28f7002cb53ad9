"""Vietnamese text, names, dates and numbers: the places where naive code goes wrong."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

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


# --- dates ---------------------------------------------------------------------------------
_DATE = re.compile(
    r"(?:(?P<d>\d{1,2})(?P<s1>[/.-])(?P<m>\d{1,2})(?P=s1)(?P<y>\d{4})"
    r"|(?P<Y>\d{4})(?P<s2>[/.-])(?P<M>\d{1,2})(?P=s2)(?P<D>\d{1,2}))"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|(?P<year>[1-9]\d{3})|(?P<serial>[1-9]\d{4})(?:\.\d+)?"
)
_EXCEL_EPOCH = date(1899, 12, 30)
_OLDEST = date(1900, 1, 1)


class DateError(ValueError):
    """A text that is not an acceptable date; ``reason`` says why."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a date ({reason})")
        self.text = text
        self.reason = reason


def text_sort_key(text: str) -> str:
    """Vietnamese alphabetical order of a plain text (a branch, a course), word by word."""
    return name_sort_key(text, text)


def parse_date(text: str, *, allow_future: bool = False, today: date | None = None) -> date:
    """The date written as dd/mm/yyyy, yyyy-mm-dd or an Excel serial number."""
    cleaned = clean(text)
    if not cleaned:
        raise DateError(text, "empty")
    match = _DATE.fullmatch(cleaned)
    if match is None:
        raise DateError(text, "format")
    found = match.groupdict()
    if found["year"]:
        raise DateError(text, "year_only")
    if found["serial"]:
        result = _EXCEL_EPOCH + timedelta(days=int(found["serial"]))
    else:
        if found["d"]:
            day, month, year = found["d"], found["m"], found["y"]
        else:
            year, month, day = found["Y"], found["M"], found["D"]
        if int(year) < 1900:
            raise DateError(text, "too_old")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise DateError(text, "impossible") from None
    if result < _OLDEST:
        raise DateError(text, "too_old")
    if not allow_future and result > (today or date.today()):
        raise DateError(text, "future")
    return result


# A year alone, or a month and year, as old rolls write them (matched folded):
# 1960, năm 1960, 3/1960, 03-1960, 03.1960, 1960-03, tháng 3/1960, tháng 3 năm 1960, T3/1960.
_PARTIAL = re.compile(
    r"(?:nam\s*)?(?P<year>\d{4})"
    r"|(?:(?:thang|th|t)\s*\.?\s*)?(?P<m>\d{1,2})\s*(?:[/.-]|nam)\s*(?P<y>\d{4})"
    r"|(?P<Y>\d{4})[/.-](?P<M>\d{1,2})"
)


def parse_partial_date(text: str, *, today: date | None = None) -> date | str:
    """A day, as `parse_date` reads it, or a date known only by its year or month, kept as
    ISO text ("1960", "1960-03") and never made a day: old rolls have such dates."""
    try:
        return parse_date(text, today=today)  # the usual case first, as fast as ever
    except DateError as exc:
        match = _PARTIAL.fullmatch(fold(text)) if exc.reason in ("format", "year_only") else None
        if match is None:
            raise
    year, month = match["year"] or match["y"] or match["Y"], match["m"] or match["M"]
    if int(year) < 1900:
        raise DateError(text, "too_old")
    if month is not None and not 1 <= int(month) <= 12:
        raise DateError(text, "impossible")
    iso = year if month is None else f"{year}-{int(month):02d}"
    if iso > (today or date.today()).isoformat()[: len(iso)]:
        raise DateError(text, "future")
    return iso


def is_partial(iso: str | None) -> bool:
    """Whether a stored date is a year ("1960") or a month ("1960-03") alone."""
    return iso is not None and 0 < len(iso) < 10


def date_bounds(iso: str) -> tuple[date, date]:
    """The first and the last day a stored date may be: one day, or its year's or month's."""
    if len(iso) == 4:
        return date(int(iso), 1, 1), date(int(iso), 12, 31)
    if len(iso) == 7:
        first = date(int(iso[:4]), int(iso[5:]), 1)
        return first, add_months(first, 1) - timedelta(days=1)
    day = date.fromisoformat(iso)
    return day, day


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: date, months: int) -> date:
    """``d`` moved by calendar months, clamped to the end of a shorter month."""
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    last = _MONTH_DAYS[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return d.replace(year=year, month=month0 + 1, day=min(d.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months completed from ``start`` to ``end``; negative when ``end`` comes first."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    # Counting via add_months keeps 31 Jan + 1 month = 28 Feb a completed month.
    return months - 1 if add_months(start, months) > end else months


def years_between(start: date, end: date) -> int:
    """Whole years completed from ``start`` to ``end``; negative when ``end`` comes first."""
    months = months_between(start, end)
    return months // 12 if months >= 0 else -(-months // 12)


# --- numbers -------------------------------------------------------------------------------
_VI_MARKS = str.maketrans(",.", ".,")
# SQLite integers stop at 19 digits, and Python's int() reads "١٢" and refuses "²", both
# digits to str.isdigit(). No id, year or count the registry keeps comes near 15 digits:
# a longer number is a card, a CCCD or a branch's own code, never an id.
MAX_NUMBER_DIGITS = 15


def parse_number(value: object) -> int | None:
    """The whole number a reference or a cell is ("12", " 012 ", 12, 12.0, "12.0"), or
    None when it is not one: not ASCII digits, negative, or over 15 digits. Every number
    typed or read from a file that reaches SQL as an integer goes through here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() and 0 <= value < 10**MAX_NUMBER_DIGITS else None
    if isinstance(value, int):
        return value if 0 <= value < 10**MAX_NUMBER_DIGITS else None
    if not isinstance(value, str):
        return None
    text = clean(value).removesuffix(".0")
    if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
        return int(text)
    return None


def format_int(n: int, lang: str = "vi") -> str:
    """``n`` with thousands grouped: 1.145.000.000 (vi) or 1,145,000,000 (en)."""
    text = f"{n:,}"
    return text if lang == "en" else text.replace(",", ".")


def format_decimal(x: float, digits: int = 1, lang: str = "vi") -> str:
    """``x`` rounded half up to ``digits`` decimals: 1.234,5 (vi) or 1,234.5 (en)."""
    # Decimal from repr rounds the digits a clerk sees: 2.675 becomes 2.68, not float's 2.67.
    value = Decimal(repr(float(x)))
    if not value.is_finite():
        return str(x)
    value = value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP) + 0  # + 0 drops "-0"
    text = f"{value:,f}"
    return text if lang == "en" else text.translate(_VI_MARKS)


def format_percent(x: float, digits: int = 1, lang: str = "vi") -> str:
    """``x`` percentage points: 115,4 % (vi) or 115.4% (en)."""
    text = format_decimal(x, digits, lang)
    return text + "%" if lang == "en" else text + " %"


def format_money(n: int, lang: str = "vi") -> str:
    """An amount of dong: 1.145.000.000 đ (vi) or 1,145,000,000 VND (en)."""
    return format_int(n, lang) + (" VND" if lang == "en" else " đ")


def format_date(d: date | str | None, lang: str = "vi") -> str:
    """dd/mm/yyyy (vi) or yyyy-mm-dd (en); nothing for no date. A stored (ISO) date may be
    given as text: a year alone shows as 1960, a month as 03/1960 (vi) or 1960-03 (en)."""
    if not d:
        return ""
    if isinstance(d, str):
        if lang == "en" or len(d) == 4:
            return d
        if len(d) == 7:
            return f"{d[5:]}/{d[:4]}"
        d = date.fromisoformat(d)
    return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
