"""The one CSV writer: every CSV the registry writes, to a file or to stdout, goes through it.

A text cell that a spreadsheet would run as a formula (OWASP's CSV injection: a cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a quote in
front, which Excel and LibreOffice show as text. Reading takes the quote away again
(``unneutralise``, used by ``tabular``). For that to give back exactly what was stored,
a value that itself starts with quotes before such a character gets one more quote:
``'=1`` is written ``''=1`` and read back as ``'=1``. Numbers are never changed: a
negative count in a report stays a number a spreadsheet can add up.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text: str) -> bool:
    """Whether ``text`` would be run as a formula, or lose a quote on the way back."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """A text cell made inert for a spreadsheet; other values as they are."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: the quote in front of a cell a spreadsheet would run."""
    if text.startswith("'") and needs_quote(text[1:]):
        return text[1:]
    return text


def keep_quotes(value: Any) -> Any:
    """A workbook's text cell is never a formula, but imports still unneutralise it:
    a value that starts with a quote before a formula character keeps it by one more."""
    if isinstance(value, str) and value.startswith("'") and needs_quote(value):
        return "'" + value
    return value


def write_csv(
    out: IO[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    lineterminator: str = "\r\n",
) -> int:
    """Write the header and rows, formulas neutralised; return the number of rows."""
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([neutralise(h) for h in headers])
    count = 0
    for row in rows:
        # A national roll is millions of cells: a row goes out as it is (the csv module
        # writes None as "") unless a text cell starts with a character `neutralise` may
        # act on (a quote too: it lstrips them), checked without a call per cell.
        for v in row:
            if v.__class__ is not str and v.__class__ is not int and v is not None:
                row = ["" if v is None else neutralise(v) for v in row]
                break
            if v.__class__ is str and v and v[0] in _MAYBE:
                row = ["" if v is None else neutralise(v) for v in row]
                break
        writer.writerow(row)
        count += 1
    return count


_MAYBE = frozenset(FORMULA_STARTS) | {"'"}
