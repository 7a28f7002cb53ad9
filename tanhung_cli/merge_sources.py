"""The old registries a merge reads: checked, never written, an older one migrated on a copy.

Each old file is refused with its name when it is not a registry or was written by a
newer release; it is read through SQLite read-only and ``immutable`` (SQLite makes no
``-wal``/``-shm`` beside it), so nothing can be written into it. A file of an older
schema, or one with a ``-wal`` holding changes (another clerk at work), is copied
(SQLite's backup, from a read-only connection) into a private scratch folder, and the
copy is migrated and read: the original stays as it was, byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tanhung_cli import scratch, storage
from tanhung_cli.errors import Invalid

SCRATCH_PREFIX = "tanhung-merge-"
# Read-only, by whether the file has a log to read (``immutable``: no side files made).
_READ_ONLY = {False: "mode=ro&immutable=1", True: "mode=ro"}


@dataclass
class Source:
    """An old registry as the merge reads it."""

    number: int  # 1, 2, … in the order given
    path: Path  # as the clerk gave it
    shown: str  # its name in messages
    sha256: str
    schema: int  # its schema version as found
    read_from: Path  # the file itself, or its migrated copy

    @property
    def alias(self) -> str:
        return f"src{self.number}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refuse(key: str, shown: str, **params: object) -> Invalid:
    return Invalid(key, path=shown, **params)


def check(path: Path, number: int, folder: Path) -> Source:
    """Read ``path`` as an old registry; an older one is migrated on a copy in ``folder``."""
    shown = str(path)
    if not path.is_file():
        raise _refuse("merge.missing" if not path.exists() else "merge.not_registry", shown)
    try:
        header = storage.read_header(path)
    except OSError as exc:
        raise _refuse("merge.cannot_read", shown, reason=exc.strerror) from None
    if not storage.is_sqlite(header) or path.stat().st_size < storage.MIN_PAGE_SIZE:
        raise _refuse("merge.not_registry", shown)
    digest = sha256_of(path)
    logged = _has_log(path)
    try:
        conn = sqlite3.connect(storage.uri(path, _READ_ONLY[logged]), uri=True)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        raise _refuse("merge.not_registry", shown) from None
    try:
        if version > storage.SCHEMA_VERSION:
            raise _refuse("merge.too_new", shown, found=version, known=storage.SCHEMA_VERSION)
        if not storage.is_registry(version, storage.tables(conn)):
            raise _refuse("merge.not_registry", shown)
        read_from = path
        if version < storage.SCHEMA_VERSION or logged:
            read_from = _copy(
                conn, folder / f"old-{number}.db", migrate=version < storage.SCHEMA_VERSION
            )
    except sqlite3.DatabaseError:
        raise _refuse("merge.not_registry", shown) from None
    finally:
        conn.close()
    return Source(number, path, shown, digest, version, read_from)


def _has_log(path: Path) -> bool:
    """Whether a ``-wal`` beside ``path`` holds changes (another clerk at work, a crash)."""
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def source_uri(source: Source) -> str:
    """How the merge attaches an old file: immutable, so that SQLite makes no side file
    beside it (a file with a log is read from a copy taken through SQLite instead)."""
    return storage.uri(source.read_from, _READ_ONLY[False])


def _copy(conn: sqlite3.Connection, copy: Path, *, migrate: bool) -> Path:
    """A snapshot of the old file in the scratch folder, migrated if it is older."""
    from tanhung_cli import db

    dest = sqlite3.connect(copy)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    if migrate:
        db.open_db(copy, create=False).close()  # migrates the copy (its backup stays in scratch)
    return copy


def scratch_folder() -> Path:
    return scratch.make(SCRATCH_PREFIX)


def remove_scratch(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
