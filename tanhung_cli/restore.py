"""Restoring a backup over the registry: refuse what is unsound, keep what is replaced.

The incoming file is copied privately and checked (``inspection.inspect``) before anything
is touched. Then, holding the registry's write lock from start to end, the current
registry is saved beside itself and the backup's tables are written into it in the same
transaction: a clerk's write either went into the saved copy or comes after the restore.
(SQLite's backup API cannot write into a connection that holds a transaction, and a second
connection would need the lock this one holds.) A file SQLite cannot open at all is
replaced by rename instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import backup, db, inspection, storage, waiting
from tanhung_cli import restore_files as files
from tanhung_cli.db import open_db
from tanhung_cli.errors import DatabaseProblem, FileProblem, Invalid, TanhungError
from tanhung_cli.inspection import Copy
from tanhung_cli.safe_files import (
    is_read_only,
    make_folder,
    require_regular,
)
from tanhung_cli.storage import database_problem, uri

Notice = Callable[[], None] | None


@dataclass
class Restored:
    source: Copy
    saved: Path | None  # where the replaced registry was kept
    replaced_members: int | None  # how many members the replaced registry held
    audit_note: str | None = None  # why the restore's audit row is missing, if it is


def _refuse_foreign(db_path: Path) -> None:
    """Never restore over another program's database that --db names by mistake."""
    try:
        conn = sqlite3.connect(uri(db_path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return  # missing, empty or damaged: a restore is what it needs
    if tables and version == 0 and not storage.has_registry_tables(tables):
        raise DatabaseProblem("db.not_registry", path=str(db_path))


def _open_live(db_path: Path) -> sqlite3.Connection | None:
    """The registry, opened to be overwritten; None if SQLite cannot use it.

    Looked at read-only first: a connection that may write deletes, when it closes, a
    `-wal` it cannot read, and the `-wal` of a damaged registry is kept with its bytes.
    """
    try:
        probe = sqlite3.connect(uri(db_path), uri=True)
        try:
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            probe.close()
        live = sqlite3.connect(db_path, timeout=db.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        if database_problem(exc).key == "db.busy":
            raise DatabaseProblem("db.busy") from None
        return None
    # Rows are copied table by table; their links are whole in the backup.
    live.execute("PRAGMA foreign_keys = OFF")
    return live


def _shadows(live: sqlite3.Connection, schema: str) -> set[str]:
    """The tables a virtual table keeps its data in (made and dropped with it)."""
    return {r[1] for r in live.execute(f"PRAGMA {schema}.table_list") if r[2] == "shadow"}


def _overwrite(live: sqlite3.Connection) -> None:
    """Replace main's tables, indexes, triggers and rows by those of ``incoming``,
    inside the write transaction ``live`` holds."""
    old = live.execute(
        "SELECT type, name FROM main.sqlite_master"
        " WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    shadows = _shadows(live, "main")  # these go with their virtual table
    for kind, name in old:  # a table's indexes and triggers go with it
        if name not in shadows:
            live.execute(f'DROP {kind.upper()} IF EXISTS main."{name}"')
    new = live.execute(
        "SELECT type, name, sql FROM incoming.sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
    ).fetchall()
    shadows = _shadows(live, "incoming")
    for kind, name, sql in new:
        if kind == "table" and name not in shadows:
            live.execute(sql)
            if sql.upper().startswith("CREATE VIRTUAL"):
                continue  # its rows are its shadow tables', copied below
            columns = ", ".join(
                f'"{c[1]}"'
                for c in live.execute(f'PRAGMA incoming.table_xinfo("{name}")')
                if c[6] == 0  # not a generated column
            )
            live.execute(
                f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM incoming."{name}"'
            )
    for name in shadows:  # a full-text index as it was (`migrations.national`)
        live.execute(f'DELETE FROM main."{name}"')
        live.execute(f'INSERT INTO main."{name}" SELECT * FROM incoming."{name}"')
    sequences = "SELECT name FROM {}.sqlite_master WHERE name = 'sqlite_sequence'"
    if live.execute(sequences.format("main")).fetchone():
        live.execute("DELETE FROM main.sqlite_sequence")
        if live.execute(sequences.format("incoming")).fetchone():
            live.execute("INSERT INTO main.sqlite_sequence SELECT * FROM incoming.sqlite_sequence")
    for kind, _, sql in new:  # after the rows: indexes built once, no trigger fired
        if kind != "table":
            live.execute(sql)
    version = live.execute("PRAGMA incoming.user_version").fetchone()[0]
    live.execute(f"PRAGMA main.user_version = {int(version)}")


def _save_current(db_path: Path, saved: Path) -> Copy:
    """Copy the registry as last committed, while this process holds its write lock.

    Through a second connection: SQLite's backup API will not read from a connection in
    a write transaction, and a reader is not blocked by a writer's lock (WAL) or by one
    that has not begun to write (rollback journal).
    """
    reader = sqlite3.connect(db_path, timeout=db.BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        return backup.copy_verified(reader, saved, reserved=True)
    finally:
        reader.close()


def _swap_under_lock(
    live: sqlite3.Connection,
    db_path: Path,
    source: Path,
    incoming: Path,
    info: Copy,
    on_wait: Notice,
) -> tuple[Path, int]:
    """Save the registry and write the backup into it, in one hold of the write lock."""
    live.execute("ATTACH DATABASE ? AS incoming", (str(incoming),))
    try:
        waiting.begin_immediate(live, on_wait)
        saved = backup.reserve(db_path, "before-restore")
        try:
            try:
                kept = _save_current(db_path, saved)
            except (FileProblem, DatabaseProblem) as exc:
                if exc.key == "db.damaged":
                    raise
                reason = exc.params.get("reason") or exc.message()
                raise FileProblem("restore.cannot_save", saved=str(saved), reason=reason) from None
            try:
                _overwrite(live)
                if inspection.counts_of(live) != info.counts:
                    raise DatabaseProblem("restore.unverified", source=str(source))
                live.execute("COMMIT")
            except sqlite3.Error as exc:
                problem = database_problem(exc)
                if problem.key in ("db.busy", "db.readonly"):
                    raise problem from None
                reason = str(exc)
                raise FileProblem(
                    "restore.cannot_write", path=str(db_path), reason=reason
                ) from None
        except BaseException:
            if live.in_transaction:
                live.execute("ROLLBACK")
            storage.discard(saved)  # the registry is unchanged: its copy is not needed
            storage.discard(backup.partial_of(saved))
            raise
    finally:
        if live.in_transaction:
            live.execute("ROLLBACK")
        live.execute("DETACH DATABASE incoming")
    return saved, kept.members


def _refuse(db_path: Path, source: Path) -> None:
    if db_path.exists() and source.exists() and db_path.resolve() == source.resolve():
        raise Invalid("backup.same_file", path=str(source))
    if db_path.is_dir():
        raise DatabaseProblem("db.is_directory", path=str(db_path))
    if is_read_only(db_path):
        raise Invalid("restore.read_only", path=str(db_path))
    require_regular(source)
    inspection.check_header(source, str(source))
    _refuse_foreign(db_path)


def restore(db_path: Path, source: Path, on_wait: Notice = None) -> Restored:
    """Replace the registry with the backup ``source``, after saving the current one."""
    _refuse(db_path, source)
    make_folder(db_path)  # its last level at most
    incoming = files.private_copy(source, db_path.parent)
    saved: Path | None = None
    replaced: int | None = None
    try:
        info = inspection.inspect(incoming, shown=source)
        live = None
        if db_path.exists() and db_path.stat().st_size > 0:
            live = _open_live(db_path)
        swapped = False
        if live is not None:
            try:
                saved, replaced = _swap_under_lock(live, db_path, source, incoming, info, on_wait)
                swapped = True
            except DatabaseProblem as exc:
                if exc.key != "db.damaged":
                    raise
                # Damaged beyond what SQLite reads: keep its bytes (before this connection
                # closes and folds or drops its -wal), then replace it.
                saved = files.save_bytes(db_path)
            finally:
                live.close()
        if not swapped:
            if saved is None and db_path.exists() and db_path.stat().st_size > 0:
                saved = files.save_bytes(db_path)
            files.replace_file(incoming, db_path)
    finally:
        shutil.rmtree(incoming.parent, ignore_errors=True)
    os.chmod(db_path, 0o600)
    note = _record(db_path, source, saved, info, on_wait)
    info.path = source
    return Restored(info, saved, replaced, note)


def _record(
    db_path: Path, source: Path, saved: Path | None, info: Copy, on_wait: Notice
) -> str | None:
    """Bring an older backup's schema up to date and note the restore in its audit trail;
    say why the note is missing if it could not be written."""
    try:
        conn = open_db(db_path)
    except TanhungError as exc:  # the registry is restored and verified: only the note is missing
        return exc.key
    try:
        detail = {"from": str(source.resolve()), "saved": str(saved) if saved else None}
        return waiting.record_audit(conn, "restore", {**detail, **info.counts}, on_wait)
    finally:
        conn.close()
