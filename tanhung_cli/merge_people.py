"""A merge's members carried (`merge_members` matched them): each old file's member ids
mapped to new ones, the rows that stay rows, and a shared member's earlier records made
periods of ``past_spells`` with what the current record lacked taken from them."""

from __future__ import annotations

import sqlite3

from tanhung_cli import history, merge_copy
from tanhung_cli.merge_members import Plan
from tanhung_cli.merge_sources import Source
from tanhung_cli.merge_tables import BY_NAME

# Values a shared member's current record lacks and an earlier one has.
FILLED = ("national_id", "card_no", "file_no", "home_town", "phone", "religion", "given_name")


def carry(conn: sqlite3.Connection, sources: list[Source], plan: Plan) -> None:
    for source in sources:
        _map(conn, source, plan)
    for source in sources:
        _members(conn, source, [old for s, old, _ in plan.earlier if s == source.number])
    _periods(conn, sources, plan.earlier)


def _map(conn: sqlite3.Connection, source: Source, plan: Plan) -> None:
    """Each old member id of ``source`` and its new one, and their origins."""
    name = merge_copy.make_map(conn, source, "members")
    conn.execute(
        f"INSERT INTO {name} SELECT id, id + ? FROM {source.alias}.members",
        (plan.offsets[source.number],),
    )
    conn.executemany(
        f"UPDATE {name} SET new = ? WHERE old = ?",
        ((new, old) for (number, old), new in plan.joined.items() if number == source.number),
    )
    merge_copy.origins(
        conn, source, "members", f"SELECT old AS old_rowid, new AS new_rowid FROM {name}"
    )


def _members(conn: sqlite3.Connection, source: Source, earlier: list[int]) -> None:
    """Carry the member rows that stay rows (not an earlier period of a shared member)."""
    cols = merge_copy.columns(conn, "members").names
    table = BY_NAME["members"]
    conn.execute("DROP TABLE IF EXISTS temp.earlier")
    conn.execute("CREATE TABLE temp.earlier (old INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO temp.earlier VALUES (?)", ((old,) for old in earlier))
    # A stamp of the rules passed is the old file's, earned under its settings: the new
    # file's first check judges the row again (`rules_stamp`).
    picked = ", ".join(
        "NULL" if c == "rules_version" else merge_copy.value(source, table, c) for c in cols
    )
    listed = ", ".join(f'"{c}"' for c in cols)
    conn.execute(
        f"INSERT INTO main.members (id, {listed}) SELECT m.new, {picked}"
        f" FROM {source.alias}.members s JOIN {merge_copy.map_table(source, 'members')} m"
        " ON m.old = s.id WHERE s.id NOT IN (SELECT old FROM temp.earlier) ORDER BY s.id"
    )


def _periods(
    conn: sqlite3.Connection, sources: list[Source], earlier: list[tuple[int, int, int]]
) -> None:
    """A shared member's earlier records become periods of ``past_spells``; values the
    current record lacks are taken from them (audited)."""
    if not earlier:
        return
    history.record(conn, "merge", "members", None, {"shared": len(earlier)})
    spell = ("joined_roll_on", "left_on", "left_reason", "admitted_on", "official_on", "presence")
    for number, old, new in earlier:
        source = sources[number - 1]
        row = conn.execute(f"SELECT * FROM {source.alias}.members WHERE id = ?", (old,)).fetchone()
        branch = conn.execute(
            f"SELECT new FROM {merge_copy.map_table(source, 'branches')} WHERE old = ?",
            (row["branch_id"],),
        ).fetchone()
        conn.execute(
            f"INSERT INTO main.past_spells (member_id, {', '.join(spell)}, branch_id)"
            f" VALUES (?, {', '.join('?' * len(spell))}, ?)",
            (new, *(row[c] for c in spell), branch[0] if branch else None),
        )
        current = conn.execute("SELECT * FROM main.members WHERE id = ?", (new,)).fetchone()
        missing = {c: row[c] for c in FILLED if current[c] is None and row[c] is not None}
        if missing:
            history.update_member(conn, new, missing, current["updated_at"])
