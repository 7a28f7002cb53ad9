"""The files of a restore: the private copy of the backup, the bytes of a registry SQLite
cannot read, and a fresh registry put in place of one. All owner-only, never over anything.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from tanhung_cli import backup
from tanhung_cli.errors import FileProblem
from tanhung_cli.safe_files import copy_private, create_private
from tanhung_cli.storage import SIDE_SUFFIXES, discard, uri

_WORKDIR = ".tanhung-restore-"


def private_copy(source: Path, folder: Path) -> Path:
    """Copy a file given to restore (and its -wal) into a private folder, untouched."""
    for stale in folder.glob(f"{_WORKDIR}*"):
        # Left by a restore that was killed: a private copy nobody needs any more.
        if time.time() - stale.stat().st_mtime > 600:
            shutil.rmtree(stale, ignore_errors=True)
    try:
        workdir = Path(tempfile.mkdtemp(prefix=_WORKDIR, dir=folder))
    except OSError as exc:
        shown = str(folder.resolve())
        raise FileProblem("restore.cannot_copy", path=shown, reason=exc.strerror) from None
    copy = workdir / "incoming.db"
    try:
        copy_private(source, copy)
        if Path(f"{source}-wal").is_file():
            copy_private(Path(f"{source}-wal"), Path(f"{copy}-wal"))
    except FileProblem as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        if exc.key == "backup.cannot_write":  # the folder of the registry is full
            shown = str(folder.resolve())
            reason = exc.params["reason"]
            raise FileProblem("restore.cannot_copy", path=shown, reason=reason) from None
        raise
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # what cannot be settled is judged as it is by inspect()
    return copy


def save_bytes(db_path: Path) -> Path:
    """Keep a file SQLite cannot read as it is, bytes and -wal, owner-only."""
    saved = backup.reserve(db_path, "before-restore")
    partial = backup.partial_of(saved)
    try:
        partial.unlink()
        copy_private(db_path, partial)
        if Path(f"{db_path}-wal").is_file():
            copy_private(Path(f"{db_path}-wal"), Path(f"{saved}-wal"))
        os.replace(partial, saved)
    except (FileProblem, OSError) as exc:
        discard(partial)
        Path(f"{saved}-wal").unlink(missing_ok=True)
        reason = exc.params.get("reason") if isinstance(exc, FileProblem) else exc.strerror
        raise FileProblem("restore.cannot_save", saved=str(saved), reason=reason) from None
    return saved


def replace_file(incoming: Path, db_path: Path) -> None:
    """Put a fresh copy of ``incoming`` in place of an unusable (or missing) registry file."""
    fresh = db_path.with_name(f".{db_path.name}.restoring")
    discard(fresh)
    create_private(fresh)
    try:
        src = sqlite3.connect(uri(incoming), uri=True)
        try:
            backup.snapshot(src, fresh)
        finally:
            src.close()
        for side in SIDE_SUFFIXES:
            Path(f"{db_path}{side}").unlink(missing_ok=True)
        os.replace(fresh, db_path)
    except sqlite3.Error as exc:
        discard(fresh)
        raise FileProblem("restore.cannot_write", path=str(db_path), reason=str(exc)) from None
    except BaseException:
        discard(fresh)
        raise
