"""Who a member row is: an id the registry gave, and a match that may not change a person.

A row found by one number (card, CCCD or file number) but naming another person (another
name, birth date or gender) is not an update of the stored member: the number is wrong on
one side, and only the clerk can tell which. A member's identity changes only when every
number on the row agrees with the stored member and at least two do, or when the row
carries the member's registry id from an export (which matches only if the name agrees).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.importer.member_record import AT, KEYS
from tanhung_cli.problems import Count, Problem, Term, dated

# Ids in a member file are kept (or matched) only up to this: seven digits, never taken for
# an 8-digit card number or a 12-digit CCCD, and far above any commune's roll.
MAX_FILE_ID = 9_999_999
IDENTITY = ("name_key", "birth_date", "gender")


def registry_id(cell: Any) -> int | None:
    """The registry id an ``id``/``Mã`` cell holds, or None when it cannot be one."""
    number = vn.parse_number(cell)  # the one bound on numbers read from a file
    return number if number is not None and 1 <= number <= MAX_FILE_ID else None


def not_an_id(cell: Any) -> Problem:
    """Why a cell of the id column is refused (a branch's own code, most likely)."""
    params = {"value": str(cell).strip()[:40], "max": Count(MAX_FILE_ID)}
    return Problem("import.not_an_id", params, "id")


def conflict(
    row: tuple[Any, ...], stored: Mapping[str, Any], rec: Mapping[str, Any], by: tuple[str, ...]
) -> Problem | None:
    """The problem of a row matched by ``by`` that names another person than ``stored``."""
    if all(rec[c] == stored[c] for c in IDENTITY):
        return None
    agreeing = [k for k in KEYS if row[AT[k]] and row[AT[k]] == stored[k]]
    contradicting = any(row[AT[k]] and stored[k] and row[AT[k]] != stored[k] for k in KEYS)
    if not contradicting and ("id" in by or len(agreeing) > 1):
        return None  # a correction, applied with --update like any other change
    people = {
        "stored": stored["full_name"],
        "id": stored["id"],
        "gender": Term(("gender", stored["gender"])),
        "row_gender": Term(("gender", rec["gender"])),
    }
    key = next((k for k in by if k in KEYS), None)
    if key is None:  # the same folded name and birth date: only the gender differs
        return Problem("import.other_gender", people, "gender")
    params = {
        "value": row[AT[key]],
        "name": rec["full_name"],
        "born": _date(stored["birth_date"]),
        "row_born": _date(rec["birth_date"]),
        **people,
    }
    return Problem("import.other_person", params, key)


def _date(iso: str | None) -> dt.date | str:
    return dated(iso) or "—"
