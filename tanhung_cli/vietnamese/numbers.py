"""Whole numbers read from cells, and numbers, percentages and money written the Vietnamese
way (a dot between thousands, a comma before decimals)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tanhung_cli.vietnamese.text import clean

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
