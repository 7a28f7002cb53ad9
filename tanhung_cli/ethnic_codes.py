"""Bare ethnic code numbers, read by the table a file says it uses (issue #14, point 10).

The registry stores the codes of the 2008 table (QĐ 1019/QĐ-TCTK of 12/11/2008:
04 Mường, 05 Khmer, 06 Hoa), ``vocab/ethnic_groups.csv``. The 1979 table (QĐ
121-TCTK/PPCĐ of 02/03/1979: 04 Hoa, 05 Khơ-me, 06 Mường …) is still printed on
official sites; ``vocab/ethnic_codes_1979.csv`` maps its numbers to the 2008 codes. A
name ("Hoa", "Khơ-me") means the same in both; only a bare number depends on the table.

An import notes whether it met a bare number (`met_numbers`), to say which table it
read them by. The note is this process's: a worker's is carried back with its chunk.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from tanhung_cli import cells
from tanhung_cli.vocab import _as_number

TABLES = ("2008", "1979")
DEFAULT = "2008"

_met = False  # a bare number was read since `forget` (in this process)


@cache
def codes_1979() -> dict[int, str]:
    """The 2008 code of each number of the 1979 table."""
    text = (
        resources.files("tanhung_cli.vocab")
        .joinpath("ethnic_codes_1979.csv")
        .read_text(encoding="utf-8")
    )
    return {int(row["code_1979"]): row["code_2008"] for row in csv.DictReader(text.splitlines())}


def read_cell(value: object, table: str = DEFAULT) -> object:
    """An ethnicity cell as the 2008 table reads it: a bare number of the 1979 table
    becomes its 2008 code, anything else stays as it is. A number is noted."""
    if type(value) is str and not value[:1].isdigit():
        return value  # the usual cell: a name ("Kinh", "Khmer")
    number = _as_number(cells.text(value))
    if number is None:
        return value
    global _met
    _met = True
    if table == "1979":
        return codes_1979().get(number, value)  # not in the table: unknown in both
    return value


def met_numbers() -> bool:
    return _met


def note_met() -> None:
    """A worker's chunk says it read a bare number."""
    global _met
    _met = True


def forget() -> None:
    """At the start of an import: nothing met yet."""
    global _met
    _met = False
