"""The history an import of members writes, set-based from the import's temporary tables
(`import_lines`: the members it added; `import_changes`: the fields it changed)."""

from __future__ import annotations

import sqlite3

from tanhung_cli.dated_values import CHANGED, DATED_FIELDS
from tanhung_cli.history import Change


def write_history(conn: sqlite3.Connection, change: Change, on: str, file: str) -> None:
    """One 'imported' event per added member, one 'edited' per change, and the events of
    a standing the file gives (exemption, temporary transfer out)."""
    values = {"on": on, "file": file}
    added = {"member_id": "id", "on_date": ":on", "kind": "'imported'", "note": ":file"}
    change.events_from("import_lines ORDER BY id", added, values)
    # A dated attribute the file changes is a change dated the import day (`dated_values`):
    # reports at earlier dates keep the value they read.
    dated = ", ".join(f"'{f}'" for f in DATED_FIELDS)
    kind = f"CASE WHEN field IN ({dated}) THEN '{CHANGED}' ELSE 'edited' END"
    edited = {"member_id": "member_id", "on_date": ":on", "kind": kind}
    edited.update({c: c for c in ("field", "old", "new")})
    change.events_from("import_changes ORDER BY rowid", edited, values)
    _standing_events(conn, change)


# What a member file says of a member's standing, and the event a command records for it.
_STANDING_EVENTS = {"exempt_since": "exempted", "away_since": "transferred_out_temporary"}


def _standing_events(conn: sqlite3.Connection, change: Change) -> None:
    """The dated events `member exempt` and `transfer-out --kind temporary` would have
    written, for the members this import added or gave such a standing."""
    rows = conn.execute(
        "SELECT m.id, m.exempt_since, m.away_since, m.away_to,"
        " m.id IN (SELECT id FROM import_lines) AS added,"
        " (SELECT group_concat(c.field) FROM import_changes c WHERE c.member_id = m.id) AS changed"
        " FROM members m WHERE (m.exempt_since IS NOT NULL OR m.away_since IS NOT NULL)"
        " AND (added OR changed IS NOT NULL) ORDER BY m.id"
    )
    for row in rows.fetchall():
        changed = (row["changed"] or "").split(",")
        for column, kind in _STANDING_EVENTS.items():
            if not row[column] or not (row["added"] or column in changed):
                continue
            # As the commands write them: the exemption's date, the place gone to.
            field, new = (
                ("place", row["away_to"]) if column == "away_since" else (column, row[column])
            )
            change.event(row["id"], kind, row[column], field=field, new=new)
