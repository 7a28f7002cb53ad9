"""The registry file before SQLite opens it: what it is, creating it, reading it read-only.

`db.open_db` asks here whether a path can hold a registry (an empty or foreign file never
does), creates a new registry whole, refuses a ``-wal`` that is not the file's own
(`wal_check`), and opens a file this process cannot write so that it can still be read.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tanhung_cli import db, storage
from tanhung_cli.db import default_db_path
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.storage import MIN_PAGE_SIZE, database_problem


def check_file(path: Path) -> bool:
    """Refuse what cannot be a registry; say whether there is no file yet.

    An empty file is not a new registry: registries are created whole (`create_registry`),
    so 0 bytes under a registry's name means a registry overwritten, or someone else's file.
    """
    if path.is_dir():
        raise DatabaseProblem("db.is_directory", path=str(path))
    if not path.exists():
        if path.is_symlink():  # a link to nothing: never create a registry through it
            raise DatabaseProblem("db.missing", path=str(path.absolute()))
        return True
    if not path.is_file():  # a device, a pipe: nothing SQLite can keep a registry in
        raise DatabaseProblem("db.not_sqlite", path=str(path))
    try:
        header = storage.read_header(path)
    except OSError as exc:
        raise DatabaseProblem("db.cannot_read", path=str(path), reason=exc.strerror) from None
    if not header:
        raise DatabaseProblem("db.empty_file", path=str(path.absolute()))
    if not storage.is_sqlite(header):
        raise DatabaseProblem("db.not_sqlite", path=str(path))
    if path.stat().st_size < MIN_PAGE_SIZE:
        # SQLite reads a cut-off first page as an empty database, and would write into it.
        raise DatabaseProblem("db.damaged", reason="file is not a database")
    return False


def refuse_foreign_wal(path: Path) -> None:
    """Refuse a ``-wal`` beside ``path`` written for another file (`wal_check`)."""
    try:
        if Path(f"{path}-wal").stat().st_size < 32:
            return  # none, or nothing SQLite would replay: the usual case costs one stat
    except OSError:
        return
    from tanhung_cli.wal_check import foreign_wal

    wal = foreign_wal(path)
    if wal is None and path.exists() and not _sound_with_its_log(path):
        wal = Path(f"{path}-wal")
    if wal is not None:
        raise DatabaseProblem("db.foreign_wal", wal=str(wal.absolute()), path=str(path.absolute()))


def _sound_with_its_log(path: Path) -> bool:
    """Whether the registry reads soundly with its ``-wal``, or, if not, is no better alone.

    `wal_check` catches a log whose sizes do not fit the file; a log written for another
    file of the same size fits, and replayed it leaves an index that no longer matches
    its table ("malformed"). Read through SQLite read-only, nothing is replayed into the
    file: read with the log, then (only if that fails) the file alone (``immutable``
    ignores the log). A file sound alone and broken with its log has a log not its own.
    One quick check: only while a ``-wal`` is there, that is while another clerk works or
    after a crash.
    """

    def sound(query: str) -> bool | None:
        try:
            conn = sqlite3.connect(storage.uri(path, query), uri=True)
        except sqlite3.Error:
            return None
        try:
            return bool(conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok")
        except sqlite3.DatabaseError as exc:
            # "malformed" is an answer; busy, or a folder where the -shm cannot be made, is not.
            return False if "malformed" in str(exc) or "not a database" in str(exc) else None
        finally:
            conn.close()

    if sound("mode=ro") is not False:
        return True
    return sound("mode=ro&immutable=1") is not True


# A registry being created is built under this prefix and name (`.new-tanhung.db.4242`).
NEW_PREFIX = ".new-"


def create_registry_if_missing(path: Path) -> bool:
    """Create a new registry at ``path`` if there is no file; say whether this call did."""
    if not check_file(path):
        return False
    return create_registry(path, make_folders=path == default_db_path())


def create_registry(path: Path, *, make_folders: bool = False) -> bool:
    """Create a new, empty registry at ``path``; say whether this call created it.

    The registry is built whole under a hidden name and linked into place, so that no
    other process ever sees an empty or half-made file under the registry's name. The
    folder must exist (a mistyped or unmounted path is refused), except ``make_folders``
    for the default application-data folder.
    """
    folder = path.parent
    if not folder.is_dir():
        if not make_folders:
            raise DatabaseProblem(
                "db.no_folder", folder=str(folder.absolute()), path=str(path.absolute())
            )
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise DatabaseProblem("db.cannot_create", path=str(path), reason=exc.strerror) from None
    refuse_foreign_wal(path)  # a log left beside a missing file would be replayed into it
    fresh = folder / f"{NEW_PREFIX}{path.name}.{os.getpid()}"
    storage.discard(fresh)
    try:
        os.close(storage.create_owner_only(fresh))
        conn = db.connect(fresh, wal=False)
        try:
            db.upgrade(conn, fresh)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        return _take_name(fresh, path)
    except OSError as exc:
        raise DatabaseProblem("db.cannot_create", path=str(path), reason=exc.strerror) from None
    finally:
        storage.discard(fresh)


def build_unfinished(fresh: Path) -> sqlite3.Connection:
    """A new, empty registry at the hidden name ``fresh``, open for writing: the caller
    fills it and links it into place when whole (`merge`), or discards it."""
    os.close(storage.create_owner_only(fresh))
    conn = db.connect(storage.uri(fresh, "mode=rw"), wal=False, uri=True)
    try:
        db.upgrade(conn, fresh)  # the schema from nothing: no backup
    except BaseException:
        conn.close()
        raise
    return conn


def _take_name(fresh: Path, path: Path) -> bool:
    try:
        os.link(fresh, path)  # never over a registry another clerk created meanwhile
    except FileExistsError:
        return False
    except OSError:  # no hard links here (a FAT-formatted USB stick)
        if path.exists():
            return False
        os.replace(fresh, path)
    return True


def writable(path: Path) -> bool:
    """Whether this process may change the registry file and create its side files."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def cannot_write(error: BaseException) -> bool:
    """Whether SQLite's error says the file or its folder cannot be written."""
    text = str(error.params.get("reason", "")) if isinstance(error, DatabaseProblem) else str(error)
    return "unable to open" in text or "readonly" in text or "read-only" in text


def attempt(target: Path | str, *, uri: bool = False) -> tuple[sqlite3.Connection, int]:
    """Connect and read the schema version: the first read is where SQLite finds out
    whether it can open the file (and its -shm) at all."""
    conn = db.connect(target, wal=False, uri=uri)  # through the module: tests wrap it
    try:
        return conn, conn.execute("PRAGMA user_version").fetchone()[0]
    except BaseException:
        conn.close()
        raise


def open_read_only(path: Path) -> tuple[sqlite3.Connection, int]:
    """Open ``path`` so that nothing can be written through the connection.

    A WAL registry read-only still needs its ``-shm``; where that cannot be created (a
    write-protected folder or medium) and there is no ``-wal`` to read, the file is
    opened as immutable: nobody can change it there anyway.
    """
    wal = Path(f"{path}-wal")
    attempts = ["mode=ro"]
    if not wal.exists() or wal.stat().st_size == 0:
        attempts.append("mode=ro&immutable=1")
    for query in attempts:
        try:
            return attempt(storage.uri(path, query), uri=True)
        except (sqlite3.DatabaseError, DatabaseProblem) as exc:
            error: BaseException = exc
            if not cannot_write(exc):
                break
    if cannot_write(error):
        reason = error.params.get("reason", "") if isinstance(error, DatabaseProblem) else error
        raise DatabaseProblem(
            "db.cannot_open_readonly", path=str(path.absolute()), reason=str(reason)
        )
    if isinstance(error, DatabaseProblem):
        raise error
    raise database_problem(error, path) from None  # type: ignore[arg-type]
