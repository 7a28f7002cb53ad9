"""Migration 19: a national roll on one file (issue #17).

``member_names`` is a full-text index (SQLite FTS5) of the members' folded names, so that
`member find` reads the few members whose names hold every word instead of all five
million. It holds no copy of the names (``content='members'``): the triggers below keep it
in step with every write of a member's row, whoever makes it (the one writer, the
importer's bulk path, a void), in the same transaction. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database

INDEX = "member_names"

_TRIGGERS = (
    f"""CREATE TRIGGER {INDEX}_insert AFTER INSERT ON members BEGIN
        INSERT INTO {INDEX} (rowid, name_key) VALUES (new.id, new.name_key);
    END""",
    f"""CREATE TRIGGER {INDEX}_delete AFTER DELETE ON members BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
    END""",
    f"""CREATE TRIGGER {INDEX}_update AFTER UPDATE OF name_key ON members BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, name_key) VALUES ('delete', old.id, old.name_key);
        INSERT INTO {INDEX} (rowid, name_key) VALUES (new.id, new.name_key);
    END""",
)


def m019_national(db: Database) -> None:
    # Names are folded already (vietnamese.fold); the tokenizer splits them into words.
    # No positions (detail) nor lengths (columnsize): find asks for words only; the
    # index is then 0.6 % of the file at 1M members (3 MiB).
    db.execute(
        f"CREATE VIRTUAL TABLE {INDEX} USING fts5(name_key, content='members',"
        " content_rowid='id', tokenize='unicode61 remove_diacritics 0', detail='none',"
        " columnsize=0)"
    )
    for sql in _TRIGGERS:
        db.execute(sql)
    db.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('rebuild')")
