"""The registry's files below any connection: what a registry file is, how SQLite's
complaints about it read to a clerk, and how the files the registry writes are made.

The one place for these, under everything that opens or copies a registry: `db`
(`open_db`, the only opener), `registry_file`, `migrations`, `backup`, `restore`,
`safe_files` and `outfile` build on it. It imports nothing else of the package but its
errors, so nothing here can lead back to `db`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tanhung_cli.errors import DatabaseProblem

# The number of migrations in ``tanhung_cli.migrations``; kept in PRAGMA
# user_version so that an up-to-date file opens without importing sqlite-utils.
SCHEMA_VERSION = 21
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PAGE_SIZE = 512
# The tables every registry has; a file without them is some other program's.
REGISTRY_TABLES = frozenset({"members", "branches", "audit", "events"})
# SQLite deletes or rewrites these beside a database: nothing else may bear their names.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
BUSY_PAUSE_S = 0.05

# Not on Windows: there a name cannot be a link one did not make, nor a FIFO.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def uri(path: Path | str, query: str = "mode=ro") -> str:
    """``path`` as an SQLite URI with ``query``: quoted, since "?" and "#" in a folder's
    name would otherwise end the file name (a backup in "Sổ #2" opened another file)."""
    from urllib.parse import quote

    return f"file:{quote(str(Path(path).absolute()))}?{query}"


def read_header(path: Path, *, follow_links: bool = True) -> bytes:
    """The first bytes of ``path``, as many as an SQLite header has (OSError if unreadable).

    Opened without blocking: a FIFO put where a file was expected must not hang the command.
    """
    flags = os.O_RDONLY | _BINARY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags if follow_links else flags | _NOFOLLOW)
    try:
        return os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)


def is_sqlite(header: bytes) -> bool:
    return header == SQLITE_HEADER


def tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def has_registry_tables(names: set[str]) -> bool:
    return names >= REGISTRY_TABLES


def is_registry(version: int, names: set[str]) -> bool:
    """Whether a file of schema ``version`` holding tables ``names`` is a registry.

    Registries are created whole: an SQLite file without the registry's tables (even one
    with no tables at all) is another program's, or a broken start.
    """
    return version >= 1 and has_registry_tables(names)


def create_owner_only(path: Path) -> int:
    """Create ``path`` new and readable by its owner only, from its first byte (personal
    data, Decree 13/2023); never over an existing file, never through a link. Returns a
    descriptor open for writing. Raises FileExistsError or OSError."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW | _BINARY
    return os.open(path, flags, 0o600)


def side_files(path: Path) -> tuple[Path, ...]:
    return tuple(Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES)


def discard(path: Path) -> None:
    """Remove a database file this process made and failed to finish, with its side files."""
    for name in (path, *side_files(path)):
        name.unlink(missing_ok=True)


def is_busy(exc: BaseException) -> bool:
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def database_problem(exc: sqlite3.Error, path: Path | str | None = None) -> DatabaseProblem:
    """The clerk's reading of an SQLite error: busy, read-only, full disk, or unusable."""
    text = str(exc)
    if is_busy(exc):
        return DatabaseProblem("db.busy")
    if "readonly" in text or "read-only" in text:
        return DatabaseProblem("db.readonly")
    if "full" in text:
        return DatabaseProblem("db.full", reason=text)
    if "disk I/O" in text:
        return DatabaseProblem("db.io", reason=text)
    if "malformed" in text or "not a database" in text:
        return DatabaseProblem("db.damaged", reason=text)
    return DatabaseProblem("db.unusable", path=str(path or ""), reason=text)
