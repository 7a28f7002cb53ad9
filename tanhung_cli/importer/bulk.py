"""Loading many rows at once: a table's indexes dropped for the load, then built once.

Building an index from a million rows in one sort is several times cheaper than keeping
it up to date row by row. A unique index that cannot be built again names the duplicates
the load brought in; the importer refuses those rows and builds it then. Everything
happens inside the import's transaction, so a refused or dry-run import puts the indexes
back as they were.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Index:
    name: str
    sql: str
    columns: tuple[str, ...]
    unique: bool


def defer_indexes(
    conn: sqlite3.Connection, table: str, keep: Callable[[Index], bool]
) -> list[Index]:
    """Drop the indexes of ``table`` that ``keep`` does not want during the load."""
    dropped = []
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        " AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, sql in rows:
        columns = tuple(r[2] for r in conn.execute(f'PRAGMA index_info("{name}")'))
        index = Index(name, sql, columns, sql.upper().startswith("CREATE UNIQUE"))
        if not keep(index):
            conn.execute(f'DROP INDEX "{name}"')
            dropped.append(index)
    return dropped


def rebuild(
    conn: sqlite3.Connection, indexes: list[Index], on_duplicates: Callable[[Index], None]
) -> None:
    """Build ``indexes`` again, unique ones first; ``on_duplicates`` clears what blocks one."""
    for index in sorted(indexes, key=lambda i: not i.unique):
        try:
            conn.execute(index.sql)
        except sqlite3.IntegrityError:
            on_duplicates(index)
            conn.execute(index.sql)
