"""Carrying one declared table (`merge_tables`) of an old registry into the merged one.

The old rows are staged with their foreign keys renumbered (through the ``old → new``
maps of the tables they name). A table with a ``key`` is deduplicated on it: a row whose
key is already in the new file (or earlier in the same file, after renumbering: two
hamlets merged that both had a target) is the same record when every other value is
equal, and a conflict otherwise. The others take the old rowid plus an offset. Every row
leaves its origin (``merge_origins``) and, when another table refers to it, its map.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from tanhung_cli.merge_sources import Source
from tanhung_cli.merge_tables import TABLES, Table
from tanhung_cli.problems import Problem

REFERENCED = frozenset(target for table in TABLES for target in table.fks.values())


@dataclass
class Found:
    """What carrying the tables found: conflicts, and the records set aside because the
    clerk preferred another file's (``prefer``: that file's number)."""

    problems: list[Problem]
    prefer: int | None = None
    set_aside: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """A table's columns as the new file has them; ``alias``: its INTEGER PRIMARY KEY."""

    names: tuple[str, ...]
    alias: str | None


def columns(conn: sqlite3.Connection, table: str) -> Columns:
    info = conn.execute(f'PRAGMA main.table_info("{table}")').fetchall()
    keys = [row["name"] for row in info if row["pk"]]
    alias = None
    if len(keys) == 1:
        typed = next(row["type"] for row in info if row["name"] == keys[0])
        alias = keys[0] if str(typed).upper() == "INTEGER" else None
    return Columns(tuple(row["name"] for row in info if row["name"] != alias), alias)


def map_table(source: Source, table: str) -> str:
    return f"temp.map_{source.alias}_{table}"


def make_map(conn: sqlite3.Connection, source: Source, table: str, pairs: object = None) -> str:
    name = map_table(source, table)
    conn.execute(f"CREATE TABLE {name} (old INTEGER PRIMARY KEY, new INTEGER NOT NULL)")
    if pairs is not None:
        conn.executemany(f"INSERT INTO {name} VALUES (?, ?)", pairs)  # type: ignore[arg-type]
    return name


def value(source: Source, table: Table, column: str, row: str = "s") -> str:
    """The SQL of ``column`` of an old row, renumbered when it is a foreign key."""
    target = table.fks.get(column)
    if target is None:
        return f'{row}."{column}"'
    return f'(SELECT new FROM {map_table(source, target)} WHERE old = {row}."{column}")'


def origins(conn: sqlite3.Connection, source: Source, table: str, pairs: str) -> None:
    """Record where the rows of ``pairs`` (SQL giving old_rowid, new_rowid) came from."""
    conn.execute(
        "INSERT INTO main.merge_origins (source_id, tbl, old_rowid, new_rowid)"
        f" SELECT ?, ?, old_rowid, new_rowid FROM ({pairs})",
        (source.number, table),
    )


def copy(conn: sqlite3.Connection, source: Source, table: Table, found: Found) -> None:
    out = found.problems
    cols = columns(conn, table.name)
    names = cols.names
    offset = conn.execute(f'SELECT coalesce(max(rowid), 0) FROM main."{table.name}"').fetchone()[0]
    conn.execute("DROP TABLE IF EXISTS temp.stage")
    picked = ", ".join(f'{value(source, table, c)} AS "{c}"' for c in names)
    others = [c for c in names if c not in table.key]
    conn.execute(
        f"CREATE TABLE temp.stage AS SELECT s.rowid AS old_rowid, NULL AS new_rowid, {picked}"
        f' FROM {source.alias}."{table.name}" s'
    )
    if table.key:
        _dedupe(conn, source, table, offset, others, found)
    conn.execute(
        "UPDATE temp.stage SET new_rowid = old_rowid + ? WHERE new_rowid IS NULL", (offset,)
    )
    listed = ", ".join(f'"{c}"' for c in names)
    try:
        conn.execute(
            f'INSERT INTO main."{table.name}" (rowid, {listed}) SELECT new_rowid, {listed}'
            " FROM temp.stage WHERE new_rowid = old_rowid + ? ORDER BY new_rowid",
            (offset,),
        )
    except sqlite3.IntegrityError as exc:
        out.append(
            Problem(
                "merge.record_refused",
                {"table": table.name, "registry": source.shown, "reason": str(exc)},
            )
        )
    origins(conn, source, table.name, "SELECT old_rowid, new_rowid FROM temp.stage")
    if table.name in REFERENCED or cols.alias:
        make_map(conn, source, table.name)
        conn.execute(
            f"INSERT INTO {map_table(source, table.name)} SELECT old_rowid, new_rowid"
            " FROM temp.stage"
        )


def _dedupe(
    conn: sqlite3.Connection,
    source: Source,
    table: Table,
    offset: int,
    others: list[str],
    result: Found,
) -> None:
    """Rows whose key the new file already has, or an earlier row of the same file has."""
    out = result.problems
    keys = ", ".join(f'"{c}"' for c in table.key)
    same = " AND ".join(f'm."{c}" IS s."{c}"' for c in table.key)
    conn.execute(f"CREATE INDEX temp.stage_key ON stage ({keys})")
    main_sig, stage_sig = (_signature(others, row) for row in ("m", "s"))
    found = conn.execute(
        f"SELECT s.old_rowid, m.rowid, {main_sig} IS {stage_sig}"
        f' FROM temp.stage s JOIN main."{table.name}" m ON {same}'
    ).fetchall()
    for old, new, equal in found:
        if not equal:
            _resolve(conn, source, table, (old, new), others, result)
    conn.executemany(
        "UPDATE temp.stage SET new_rowid = ? WHERE old_rowid = ?", ((n, o) for o, n, _ in found)
    )
    twice = conn.execute(
        f"SELECT s.old_rowid, m.old_rowid, {main_sig} IS {stage_sig} FROM temp.stage s"
        f" JOIN temp.stage m ON {same} AND m.old_rowid < s.old_rowid"
        " WHERE s.new_rowid IS NULL AND m.old_rowid = (SELECT min(f.old_rowid) FROM temp.stage f"
        f" WHERE {same.replace('m.', 'f.')})"
    ).fetchall()
    for old, first, equal in twice:
        if not equal:
            out.append(
                Problem(
                    "merge.record_twice",
                    {"table": table.name, "registry": source.shown, "id": old, "other": first},
                )
            )
    conn.executemany(
        "UPDATE temp.stage SET new_rowid = ? WHERE old_rowid = ?",
        ((first + offset, old) for old, first, _ in twice),
    )


def _signature(names: list[str], row: str) -> str:
    """The values of a row besides its key, as one comparable value."""
    if not names:
        return "''"
    return f"json_array({', '.join(f'{row}.{chr(34)}{c}{chr(34)}' for c in names)})"


def _resolve(
    conn: sqlite3.Connection,
    source: Source,
    table: Table,
    rows: tuple[int, int],
    others: list[str],
    result: Found,
) -> None:
    """A record of ``source`` (old rowid) whose key a kept record (new rowid) has, with
    other values: the preferred file's is kept, else a conflict naming both."""
    old, new = rows
    first = conn.execute(
        "SELECT s.name, o.old_rowid, o.source_id FROM main.merge_origins o"
        " JOIN main.merge_sources s ON s.id = o.source_id"
        " WHERE o.tbl = ? AND o.new_rowid = ? ORDER BY o.rowid",
        (table.name, new),
    ).fetchall()
    other = f"{first[0][0]} #{first[0][1]}" if first else "?"
    kept = {row[2] for row in first}
    if result.prefer is not None and result.prefer in kept:
        result.set_aside.append({"table": table.name, "file": source.shown, "id": old})
        return
    if result.prefer == source.number and others:
        cols = ", ".join(f'"{c}"' for c in others)
        conn.execute(
            f'UPDATE main."{table.name}" SET ({cols}) = (SELECT {cols} FROM temp.stage'
            " WHERE old_rowid = ?) WHERE rowid = ?",
            (old, new),
        )
        for name, old_rowid, _ in first:
            result.set_aside.append({"table": table.name, "file": name, "id": old_rowid})
        return
    result.problems.append(
        Problem(
            "merge.record_differs",
            {"table": table.name, "registry": source.shown, "id": old, "other": other},
        )
    )
