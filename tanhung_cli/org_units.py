"""The level above the committee, dated, and the kinds of unit the clerk adds (issue #15):
the organisation's records that are not a branch. A level given again is recognised
(`org_again`)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tanhung_cli import history, org_again
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.history import write_transaction
from tanhung_cli.lifecycle import text


def set_level_above(
    conn: sqlite3.Connection,
    name: str,
    on: dt.date,
    decision: str | None = None,
    correction: bool = False,
) -> org_again.Level:
    """The level above the committee from ``on`` (cấp ủy cấp trên trực tiếp); the same
    level again writes nothing; ``correction`` replaces the level recorded from ``on``."""
    cleaned, day = text(name, 150), on.isoformat()
    if not cleaned:
        raise Invalid("org.bad_level")
    with write_transaction(conn):
        found = org_again.level_above(conn, cleaned, day, text(decision), correction)
        if isinstance(found, org_again.Level):
            return found
        if found is not None:
            conn.execute(
                "UPDATE levels_above SET name = ?, decision = ? WHERE id = ?",
                (cleaned, text(decision) or found["decision"], found["id"]),
            )
            detail = {"name": [found["name"], cleaned], "from": day}
            history.record(conn, "level_above_correct", "branch", None, detail)
            return org_again.Level("corrected", day, found["name"])
        conn.execute(
            "INSERT INTO levels_above (name, from_on, decision) VALUES (?, ?, ?)",
            (cleaned, day, text(decision)),
        )
        history.record(conn, "level_above", "branch", None, {"name": cleaned, "from": day})
    return org_again.Level("recorded", day)


def add_kind(
    conn: sqlite3.Connection, code: str, vi: str, en: str | None = None
) -> tuple[str, bool]:
    """A kind of unit the clerk adds (e.g. a sub-committee, đảng bộ bộ phận): its code, and
    whether it is new (False: added with these names already, nothing written)."""
    from tanhung_cli import org
    from tanhung_cli import vietnamese as vn
    from tanhung_cli.vocab import UnknownValue, vocabulary

    cleaned = vn.fold(code).replace(" ", "-")
    label = text(vi, 100)
    if not cleaned or not label or len(cleaned) > 40:
        raise Invalid("org.bad_kind")
    with write_transaction(conn):
        if org_again.kind_added(conn, cleaned, label, en):
            return cleaned, False
        for word in (cleaned, label, en or ""):
            try:
                taken = vocabulary("branch_kind").resolve(word).code if word else None
            except UnknownValue:
                taken = None
            taken = taken or (org.added_kind(conn, word) if word else None)
            if taken:
                raise Conflict("org.kind_exists", value=word, code=taken)
        conn.execute(
            "INSERT INTO unit_kinds (code, vi, en) VALUES (?, ?, ?)",
            (cleaned, label, text(en, 100)),
        )
        history.record(conn, "add_kind", "branch", None, {"code": cleaned, "vi": label, "en": en})
    return cleaned, True
