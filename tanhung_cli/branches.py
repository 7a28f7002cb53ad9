"""Branches (chi bộ): hamlet branches (chi bộ ấp) and sector branches (chi bộ ngành)."""

from __future__ import annotations

import difflib
import sqlite3
from typing import Any, cast

from tanhung_cli import audit, history, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, Invalid, NotFound
from tanhung_cli.history import write_transaction
from tanhung_cli.vocab import UnknownValue, vocabulary

_PREFIXES = ("chi bo ",)
_HAMLET = "ap "


def branch_key(name: str) -> str:
    """The folded name a branch is matched by; a leading "Chi bộ" is ignored."""
    key = vn.fold(name)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


def display_name(name: str) -> str:
    """The name as kept, one way whatever the typing: "Chi bộ ấp Chợ", "ấp Chợ" and
    "ẤP CHỢ" are all "Ấp Chợ"; a name in mixed case keeps it ("Trường THCS Tân Hùng")."""
    name = vn.capitalised(vn.clean(name))
    if vn.fold(name).startswith(_PREFIXES):
        name = name.split(" ", 2)[2] if name.count(" ") >= 2 else ""
    return name[:1].upper() + name[1:]


def _without_hamlet(key: str) -> str:
    return key[len(_HAMLET) :] if key.startswith(_HAMLET) else key


class BranchIndex:
    """Every branch, loaded once, to resolve names typed by clerks or read from files."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT id, name, name_key FROM branches").fetchall()
        self.by_key = {r["name_key"]: (r["id"], r["name"]) for r in rows}
        self.by_id = {r["id"]: r["name"] for r in rows}
        # "Chợ" finds "Ấp Chợ" (and the reverse) when that is unambiguous.
        short: dict[str, list[tuple[int, str]]] = {}
        for key, value in self.by_key.items():
            short.setdefault(_without_hamlet(key), []).append(value)
        self.by_short = {k: v[0] for k, v in short.items() if len(v) == 1}

    def resolve(self, text: str) -> tuple[int, str]:
        key = branch_key(text)
        found = self.by_key.get(key) or self.by_short.get(_without_hamlet(key))
        if found:
            return found
        raise LookupError(text, self.suggest(key))

    def suggest(self, key: str) -> list[str]:
        names = {k: v[1] for k, v in self.by_key.items()}
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        return [names[k] for k in close]


def _kind(text: str, conn: sqlite3.Connection | None = None) -> str:
    """A kind of unit: a built-in one (``branch_kind``) or one the clerk added (`org`)."""
    try:
        return vocabulary("branch_kind").resolve(text).code
    except UnknownValue:
        from tanhung_cli import org

        found = org.added_kind(conn, text) if conn is not None else None
        if found:
            return found
        raise Invalid("branch.bad_kind", value=text) from None


def sort_key(kind: str, name: str) -> tuple[bool, str]:
    """Hamlet branches first, then sector branches, each in Vietnamese order."""
    return kind != "hamlet", vn.text_sort_key(name)


def get_branch(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """The branch named (folded) or numbered ``ref``."""
    row = None
    number = vn.parse_number(ref)
    if number is not None:
        row = conn.execute("SELECT * FROM branches WHERE id = ?", (number,)).fetchone()
    if row is None:
        index = BranchIndex(conn)
        try:
            branch_id, _ = index.resolve(ref)
        except LookupError as exc:
            hint = ", ".join(exc.args[1])
            key = "branch.not_found_hint" if hint else "branch.not_found"
            raise NotFound(key, name=vn.clean(ref), hint=hint) from None
        row = conn.execute("SELECT * FROM branches WHERE id = ?", (branch_id,)).fetchone()
    return cast(sqlite3.Row, row)


def add_branch(conn: sqlite3.Connection, name: str, kind: str = "hamlet") -> int:
    """Create a branch; refuse a name that folds to an existing one."""
    name = display_name(name)
    if not name or len(name) > 100:
        raise Invalid("branch.bad_name")
    key = branch_key(name)
    with write_transaction(conn):
        kind_code = _kind(kind, conn)  # an added kind is read under the lock
        other = conn.execute("SELECT name FROM branches WHERE name_key = ?", (key,)).fetchone()
        if other:
            raise Conflict("branch.exists", name=other["name"])
        cur = conn.execute(
            "INSERT INTO branches (name, name_key, kind, created_at) VALUES (?, ?, ?, ?)",
            (name, key, kind_code, audit.now()),
        )
        branch_id = int(cur.lastrowid or 0)
        history.record(conn, "add", "branch", branch_id, {"name": name, "kind": kind_code})
    return branch_id


def edit_branch(
    conn: sqlite3.Connection, ref: str, name: str | None = None, kind: str | None = None
) -> dict[str, Any]:
    """Rename a branch or change its kind; return what changed."""
    with write_transaction(conn):
        row = get_branch(conn, ref)
        changes: dict[str, Any] = {}
        if name is not None:
            name = display_name(name)
            if not name or len(name) > 100:
                raise Invalid("branch.bad_name")
            if name != row["name"]:
                changes["name"] = name
                changes["name_key"] = branch_key(name)
        if kind is not None and _kind(kind, conn) != row["kind"]:
            changes["kind"] = _kind(kind, conn)
        if not changes:
            return {}
        if "name_key" in changes:
            other = conn.execute(
                "SELECT name FROM branches WHERE name_key = ? AND id != ?",
                (changes["name_key"], row["id"]),
            ).fetchone()
            if other:
                raise Conflict("branch.exists", name=other["name"])
        sets = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE branches SET {sets} WHERE id = ?", (*changes.values(), row["id"]))
        detail = {k: [row[k], v] for k, v in changes.items() if k != "name_key"}
        history.record(conn, "edit", "branch", row["id"], detail)
    return {k: v for k, v in changes.items() if k != "name_key"}


def list_branches(conn: sqlite3.Connection, as_of: str) -> list[dict[str, Any]]:
    """The branches open at ``as_of``, with their names then and the number of members
    on their roll that day (`org.branches_at`, `roll.BRANCH_AT`)."""
    from tanhung_cli import org  # it sorts with this module's sort_key

    counts = dict(
        conn.execute(
            f"SELECT {roll.BRANCH_AT}, count(*) FROM members m WHERE {roll.ON_ROLL} GROUP BY 1",
            {"as_of": as_of},
        ).fetchall()
    )
    return [
        {"id": b["id"], "name": b["name"], "kind": b["kind"], "members": counts.get(b["id"], 0)}
        for b in org.branches_at(conn, as_of)
    ]
