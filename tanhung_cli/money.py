"""Amounts of money as clerks type them, read into whole dong (an integer).

Accepted: ``356000000``, ``356.000.000``, ``356,000,000``, ``356 000 000`` (groups of
three), with or without ``đ``, ``đồng``, ``VND``; with a unit: ``356 triệu``, ``45tr``,
``1,1 tỷ``, ``1.1 tỷ``, ``500 nghìn``, ``1 tỷ 145 triệu``, ``1.145,5 triệu``.

Refused, with the reason: a decimal without a unit (``1.5``, ``1,5``: 1,5 đồng or
15?), one mark followed by three digits before a unit (``1.500 triệu``: one and a half
million, or one thousand five hundred million?), a fraction of a dong, zero, a negative
amount, and more than 15 digits (the bound of ``vietnamese.parse_number``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid

# Units, by their folded spellings (accents dropped), and what one of them is worth.
UNITS = {
    "ty": 10**9, "ti": 10**9, "billion": 10**9, "bn": 10**9, "b": 10**9,
    "trieu": 10**6, "tr": 10**6, "million": 10**6, "m": 10**6,
    "nghin": 10**3, "ngan": 10**3, "k": 10**3, "thousand": 10**3,
}  # fmt: skip
CURRENCY = ("dong", "vnd", "d")
_PART = re.compile(r"([0-9](?:[0-9., ]*[0-9])?)\s*([a-z]*)")
_GROUPED = {sep: re.compile(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+") for sep in ".,  "}
LIMIT = 10**vn.MAX_NUMBER_DIGITS


def _refuse(reason: str, text: str) -> Invalid:
    return Invalid(f"money.{reason}", value=text[:40])


def _strip_currency(folded: str) -> str:
    for word in CURRENCY:
        if folded.endswith(word):
            return folded[: -len(word)].rstrip().rstrip(".")
    return folded


def _whole(number: str, text: str) -> int:
    """A number without a unit: digits, or digits in groups of three."""
    if number.isdigit():
        return int(number)
    for pattern in _GROUPED.values():
        if pattern.fullmatch(number):
            return int(re.sub(r"[^0-9]", "", number))
    if re.fullmatch(r"[0-9]+[.,][0-9]+", number):
        raise _refuse("ambiguous", text)
    raise _refuse("not_amount", text)


def _with_unit(number: str, text: str) -> Decimal:
    """A number before a unit: digits, a decimal (``1,1``, ``1.1``), or groups and a
    decimal mark of the other kind (``1.145,5``, ``1,145.5``)."""
    number = number.replace(" ", "").replace("\u00a0", "")
    if number.isdigit():
        return Decimal(number)
    match = re.fullmatch(r"([0-9]+)[.,]([0-9]+)", number)
    if match:
        if len(match[2]) == 3:  # 1.500 triệu: 1,5 triệu or 1.500 triệu?
            raise _refuse("ambiguous_unit", text)
        return Decimal(f"{match[1]}.{match[2]}")
    for group, point in ((".", ","), (",", ".")):
        whole, _, fraction = number.partition(point)
        if _GROUPED[group].fullmatch(whole) and (not fraction or fraction.isdigit()):
            return Decimal(whole.replace(group, "") + "." + (fraction or "0"))
    raise _refuse("not_amount", text)


def parse_amount(value: object) -> int:
    """Whole dong from what a clerk typed or a cell holds; ``Invalid("money.…")`` with the
    reason otherwise."""
    if isinstance(value, bool):
        raise _refuse("not_amount", str(value))
    if isinstance(value, int | float):
        exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        return _bounded(exact, str(value))
    text = vn.clean(str(value or ""))
    if not text:
        raise Invalid("money.empty")
    if text.startswith(("-", "\u2212", "(")):
        raise _refuse("negative", text)
    if any(not c.isascii() and not c.isalpha() for c in text.replace("\u00a0", " ")):
        raise _refuse("not_amount", text)  # full-width digits, symbols: not what fold keeps
    folded = _strip_currency(vn.fold(text).replace("\u00a0", " "))
    parts = _PART.findall(folded)
    if not parts or "".join(n + u for n, u in parts).replace(" ", "") != folded.replace(" ", ""):
        raise _refuse("not_amount", text)
    if len(parts) == 1 and not parts[0][1]:
        return _bounded(Decimal(_whole(parts[0][0].strip(), text)), text)
    total, last = Decimal(0), None
    for number, unit in parts:
        worth = UNITS.get(unit)
        if worth is None or (last is not None and worth >= last):
            raise _refuse("not_amount", text)
        total += _with_unit(number.strip(), text) * worth
        last = worth
    return _bounded(total, text)


def _bounded(amount: Decimal, text: str) -> int:
    try:
        if amount != amount.to_integral_value():
            raise _refuse("fraction", text)
    except InvalidOperation:
        raise _refuse("not_amount", text) from None
    if amount < 0:
        raise _refuse("negative", text)
    if amount == 0:
        raise _refuse("zero", text)
    if amount >= LIMIT:
        raise _refuse("too_large", text)
    return int(amount)


class Money(int):
    """An amount of dong given to a message: 45.000.000 đ (vi), 45,000,000 VND (en); a
    number in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return vn.format_money(self, lang)
