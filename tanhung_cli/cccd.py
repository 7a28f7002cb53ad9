"""What the digits of a citizen ID (số CCCD, số định danh cá nhân) say, checked against
the member's gender and birth year.

Thông tư 59/2021/TT-BCA, art. 7 (the structure kept from Thông tư 07/2016/TT-BCA):
12 digits: 3 for the province or city where the birth was registered (the codes of its
appendix, ``vocab/cccd_provinces.csv``: the 63 provinces, 001…096; the mergers of 2025
renumber no existing card), 1 for the century of birth and sex (0 man / 1 woman born
1900–1999, 2/3 born 2000–2099, 4/5 in the 22nd century …), 2 for the last digits of the
year of birth, then 6 at random.

A few comparisons of text per row: an import of a million rows must not notice them.
"""

from __future__ import annotations

import csv
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from tanhung_cli.problems import Label, Problem

if TYPE_CHECKING:
    from tanhung_cli.cells import DateCell

COLUMN = "national_id"
_SEX = ("male", "female")  # by the parity of the fourth digit


@cache
def provinces() -> dict[str, str]:
    """The codes of the provinces of birth registration, with their names."""
    text = (
        resources.files("tanhung_cli.vocab")
        .joinpath("cccd_provinces.csv")
        .read_text(encoding="utf-8")
    )
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def _sex_label(sex: str) -> Label:
    return Label(f"ids.cccd_{sex}")


def disagreement(number: str, gender: str | None, birth: DateCell | None) -> Problem | None:
    """Which digit of a 12-digit ``number`` disagrees with the member, if one does.

    ``gender`` is the stored code (male, female) or None; ``birth`` the birth date's
    cell (a year or month alone gives its year) or None: what is unknown is not checked.
    """
    year = int(birth.iso[:4]) if birth is not None and birth.iso else None
    return _disagreement(number[:6], gender, year)


@lru_cache(maxsize=8192)  # a roll repeats its provinces, sexes and years of birth
def _disagreement(number: str, gender: str | None, year: int | None) -> Problem | None:
    """`disagreement` of the number's first six digits (the rest are random)."""
    if number[:3] not in provinces():
        return Problem("ids.cccd_province", {"code": number[:3]}, COLUMN)
    digit = ord(number[3]) - 48
    start = 1900 + 100 * (digit // 2)
    sex = _SEX[digit % 2]
    if year is None:
        if gender is not None and gender != sex:
            params = {"digit": number[3], "sex": _sex_label(sex), "member": _sex_label(gender)}
            return Problem("ids.cccd_sex", params, COLUMN)
        return None
    if (gender is not None and gender != sex) or not start <= year < start + 100:
        return Problem(
            "ids.cccd_century_sex",
            {
                "digit": number[3],
                "sex": _sex_label(sex),
                "start": str(start),
                "end": str(start + 99),
                "member": _sex_label(gender) if gender is not None else Label("ids.cccd_someone"),
                "year": str(year),
            },
            COLUMN,
        )
    if number[4:6] != f"{year % 100:02d}":
        return Problem("ids.cccd_year", {"digits": number[4:6], "year": str(year)}, COLUMN)
    return None
