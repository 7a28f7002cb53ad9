"""Migration 17: where a merged registry's records came from.

`tanhung merge` builds a new committee's registry from the old ones (issue #17): each old
file is a row of ``merge_sources`` (its name, its SHA-256 when read, its schema) and
each record carried over a row of ``merge_origins`` (the table, the record's rowid in
the old file and in the new one). A record found in two old files (a shared member, a
course both committees recorded) has one origin row per file. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m017_merge_origins(db: Database) -> None:
    db.table("merge_sources").create(
        {
            "id": int,
            "name": str,  # the old file's name as the clerk gave it
            "sha256": str,
            "schema": int,  # its schema version before it was read (migrated on a copy)
            "merged_at": str,
        },
        pk="id",
        not_null={"name", "sha256", "schema", "merged_at"},
    )
    db.table("merge_origins").create(
        {"source_id": int, "tbl": str, "old_rowid": int, "new_rowid": int},
        not_null={"source_id", "tbl", "old_rowid", "new_rowid"},
        foreign_keys=[("source_id", "merge_sources", "id")],
    )
    db.execute("CREATE INDEX merge_origins_new ON merge_origins (tbl, new_rowid)")
