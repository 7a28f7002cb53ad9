"""The organisation as dated data (issue #15): which branches existed on a day, under which
names, and the level above the committee then.

A branch is open from ``opened_on`` (NULL: since before the records began) until
``closed_on`` (exclusive: the day of its merge or closing). Its earlier names are rows of
``branch_names``, each until the day of the rename; ``branches.name`` is today's.
Writes (open, rename, merge, split, close) are in `org_changes`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.branches import sort_key
from tanhung_cli.problems import Problem, dated
from tanhung_cli.vocab import vocabulary


def name_at(day: str = ":as_of", alias: str = "b", column: str = "name") -> str:
    """SQL: the name (or with ``column`` "name_key", its folded key) of branch ``alias`` on
    ``day`` (a parameter or a column)."""
    return (
        f"COALESCE((SELECT n.{column} FROM branch_names n WHERE n.branch_id = {alias}.id"
        f" AND n.to_on > {day} ORDER BY n.to_on LIMIT 1), {alias}.{column})"
    )


def open_on(day: str = ":as_of", alias: str = "b") -> str:
    """SQL: the branch ``alias`` was open on ``day``."""
    return (
        f"(COALESCE({alias}.opened_on, '') <= {day}"
        f" AND ({alias}.closed_on IS NULL OR {alias}.closed_on > {day}))"
    )


def branches_at(
    conn: sqlite3.Connection, day: str, until: str | None = None, only: int | None = None
) -> list[dict[str, Any]]:
    """The branches open on ``day`` (or at any time from ``day`` to ``until``), each with
    its name on the last of those days, in the order reports use (hamlets first)."""
    last = until or day
    rows = conn.execute(
        f"SELECT b.id, {name_at(':last')} AS name, b.kind, b.opened_on, b.closed_on"
        " FROM branches b WHERE COALESCE(b.opened_on, '') <= :last"
        " AND (b.closed_on IS NULL OR b.closed_on > :first)"
        + (" AND b.id = :only" if only is not None else ""),
        {"first": day, "last": last, "only": only},
    ).fetchall()
    out = [dict(r) for r in rows]
    out.sort(key=lambda b: sort_key(b["kind"], b["name"]))
    return out


def names_at(conn: sqlite3.Connection, day: str) -> dict[int, str]:
    """Every branch's name on ``day`` (closed ones included), by id."""
    rows = conn.execute(f"SELECT b.id, {name_at(':day')} FROM branches b", {"day": day})
    return dict(rows.fetchall())


def level_above(conn: sqlite3.Connection, day: str) -> str | None:
    """The level above the committee on ``day`` (cấp ủy cấp trên), if the registry says."""
    row = conn.execute(
        "SELECT name FROM levels_above WHERE from_on <= ? ORDER BY from_on DESC LIMIT 1", (day,)
    ).fetchone()
    return str(row[0]) if row else None


def not_open_problem(conn: sqlite3.Connection, branch_id: int, day: str) -> Problem | None:
    """A member cannot join the roll in a branch not open that day (merged, closed, or not
    yet opened): the problem, on the branch column."""
    row = conn.execute(
        f"SELECT {name_at(':day')} AS name, b.opened_on, b.closed_on FROM branches b"
        " WHERE b.id = :id",
        {"day": day, "id": branch_id},
    ).fetchone()
    if row is None or open_at(row, day):
        return None
    return Problem("moves.branch_not_open", {"name": row["name"], "date": dated(day)}, "branch")


def open_at(branch: sqlite3.Row, day: str) -> bool:
    """Whether ``branch`` (with opened_on, closed_on) was open on ``day``."""
    return (branch["opened_on"] or "") <= day and not (
        branch["closed_on"] and branch["closed_on"] <= day
    )


def added_kind(conn: sqlite3.Connection, text: str) -> str | None:
    """The code of a kind of unit the clerk added, by its code or either label (folded)."""
    key = vn.fold(text)
    for code, vi, en in conn.execute("SELECT code, vi, en FROM unit_kinds"):
        if key in (vn.fold(code), vn.fold(vi), vn.fold(en or "")):
            return str(code)
    return None


def kind_label(conn: sqlite3.Connection, code: str, lang: str = "vi") -> str:
    """A kind of unit as the clerk reads it: the vocabulary's label, or the added kind's."""
    row = conn.execute("SELECT vi, en FROM unit_kinds WHERE code = ?", (code,)).fetchone()
    if row is None:
        return vocabulary("branch_kind").label(code, lang)
    return str(row["en"] or row["vi"]) if lang == "en" else str(row["vi"])
