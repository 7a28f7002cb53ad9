"""The one place that opens the registry file: pragmas, permissions, migrations.

Reads go through the standard library's ``sqlite3`` directly: importing
sqlite-utils costs about 75 ms, more than half of what a clerk waits for
``member list``. sqlite-utils is loaded only when the schema must change
(``migrations``) or a command writes in bulk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tanhung_cli import storage
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.storage import BUSY_PAUSE_S, SCHEMA_VERSION, database_problem, is_busy

BUSY_TIMEOUT_MS = 15_000
# SQLite skips its busy handler in a few cases (WAL recovery, changing the journal
# mode): retry those a bounded number of times before telling the clerk.
BUSY_RETRIES = 4


def _null(value: None) -> None:
    return None


# Python's sqlite3 looks for an adapter each time it binds a None (a tuple built, a dict
# lookup that misses, two attribute lookups); registered, it is one dict hit. A member row
# binds a dozen empty cells, and an import binds a million rows: 2-3 µs a row saved.
sqlite3.register_adapter(type(None), _null)


def default_db_path() -> Path:
    """The registry file in the user's application-data folder."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "tanhung" / "tanhung.db"


def connect(path: Path | str, *, wal: bool = True, uri: bool = False) -> sqlite3.Connection:
    """Open ``path`` with the registry's pragmas, without checking its schema."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, uri=uri)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # REPLACE deletes the row it replaces; only with this do the audit trail's
        # delete triggers see it (sqlite-utils set it, on the connections it migrated).
        conn.execute("PRAGMA recursive_triggers = ON")
        if wal:
            _use_wal(conn)
    except sqlite3.DatabaseError as exc:
        raise database_problem(exc, path) from None
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    # Changing the journal mode writes to the file: only once it is known to be a registry.
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        # Another process may be loading in bulk with a rollback journal: then work in
        # that mode (reads wait on the busy timeout); the next opening sets WAL.
        with contextlib.suppress(DatabaseProblem):
            retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
    conn.execute("PRAGMA synchronous = NORMAL")


def retry_busy(step: Callable[[], object]) -> None:
    """Run ``step``, retrying a bounded number of times while SQLite says busy."""
    for attempt in range(BUSY_RETRIES):
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            if attempt == BUSY_RETRIES - 1:
                raise DatabaseProblem("db.busy") from None
            time.sleep(BUSY_PAUSE_S * (attempt + 1))


@contextlib.contextmanager
def bulk_load(conn: sqlite3.Connection) -> Iterator[None]:
    """A bulk load: each new page written once, and no foreign key looked up row by row.

    In WAL mode every page a load writes goes to the WAL first and is copied into the file
    at the checkpoint. With a rollback journal, pages the file did not have are written
    straight into it, and the journal keeps only the few pages that existed: a million-row
    load writes half as much. SQLite leaves WAL only when no other connection has the file
    open; otherwise the load stays in WAL. WAL comes back afterwards (`open_db` restores it
    anyway if this process dies first).

    Foreign keys are not enforced during the load: the loader checks those of what it
    brought in from outside (`PRAGMA foreign_key_check`) before it commits.
    """
    try:
        mode = conn.execute("PRAGMA main.journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "wal"
    if mode != "wal":
        # Leaving WAL checkpoints what other connections committed into the file without
        # telling this connection's page cache, which a rollback journal then trusts
        # (SQLite 3.40): a write would put back stale pages over their rows. Drop it.
        conn.execute("PRAGMA shrink_memory")
        # With a rollback journal, NORMAL may lose the file to a power cut; FULL may not.
        conn.execute("PRAGMA main.synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
        if mode != "wal":
            conn.execute("PRAGMA main.synchronous = NORMAL")
            with contextlib.suppress(DatabaseProblem, sqlite3.OperationalError):
                retry_busy(lambda: conn.execute("PRAGMA main.journal_mode = WAL"))
            conn.execute("PRAGMA shrink_memory")  # the same, the other way round


def open_db(
    path: Path | str | None = None,
    *,
    create: bool = True,
    readonly: bool = False,
    migrate: bool = True,
    untouched: bool = False,
) -> sqlite3.Connection:
    """Open the registry at ``path`` and bring its schema up to date.

    A missing file is created as a new registry only with ``create`` (commands that
    only read pass False). ``readonly`` opens the file so that nothing, not even a
    migration, can change it (`check`). A file this process cannot write (read-only
    media, a write-protected file or folder) is opened read-only: it can be read and
    backed up, and a write is refused as `db.readonly`.

    ``untouched``: a registry read in place (a file another committee sent, `registries`):
    read-only, and neither the file nor a side file beside it is created or changed
    (`untouched`); one of an older schema is refused (`db.old_in_place`) rather than
    migrated, since migrating is writing.
    """
    path = Path(path) if path is not None else default_db_path()
    from tanhung_cli import registry_file as rf

    if rf.check_file(path):
        if not create:
            raise DatabaseProblem("db.missing", path=str(path.absolute()))
        rf.create_registry(path, make_folders=path == default_db_path())
    rf.refuse_foreign_wal(path)
    if untouched:
        return _open_untouched(path)
    conn = None
    if not readonly and rf.writable(path):
        try:
            conn, version = rf.attempt(path)
        except (sqlite3.DatabaseError, DatabaseProblem) as exc:
            if isinstance(exc, DatabaseProblem) and not rf.cannot_write(exc):
                raise
            if isinstance(exc, sqlite3.Error) and not rf.cannot_write(exc):
                raise database_problem(exc, path) from None
            # e.g. a folder where SQLite cannot create the -shm: read it read-only
    if conn is None:
        conn, version = rf.open_read_only(path)
        readonly = True
    try:
        if version > SCHEMA_VERSION:
            raise DatabaseProblem("db.too_new", path=str(path), found=version, known=SCHEMA_VERSION)
        if not storage.is_registry(version, storage.tables(conn)):
            raise DatabaseProblem("db.not_registry", path=str(path))
        if not readonly:
            _use_wal(conn)
            if version < SCHEMA_VERSION and migrate:
                upgrade(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_problem(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _open_untouched(path: Path) -> sqlite3.Connection:
    from tanhung_cli.untouched import open_untouched

    conn, version = open_untouched(path)
    try:
        if version > SCHEMA_VERSION:
            raise DatabaseProblem("db.too_new", path=str(path), found=version, known=SCHEMA_VERSION)
        if not storage.is_registry(version, storage.tables(conn)):
            raise DatabaseProblem("db.not_registry", path=str(path))
        if version < SCHEMA_VERSION:
            raise DatabaseProblem("db.old_in_place", path=str(path), found=version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise database_problem(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


def upgrade(conn: sqlite3.Connection, path: Path) -> None:
    """Apply pending migrations (`migrations.apply`), backing up an existing registry first.

    All of it under the write lock, taken on a connection of its own (``conn`` reads the
    snapshot for the backup meanwhile), and the version is read again once the lock is
    held: of six clerks opening an old registry at once, one backs it up and migrates,
    and the others find it done.
    """
    from tanhung_cli import migrations

    lock = connect(path, wal=False)
    try:
        retry_busy(lambda: lock.execute("BEGIN IMMEDIATE"))
        try:
            migrations.apply(conn, path, lock)
        except BaseException:
            if lock.in_transaction:
                lock.execute("ROLLBACK")
            raise
        lock.execute("COMMIT")
    finally:
        lock.close()
