"""Backups of the registry, with SQLite's online backup API.

A backup is taken inside one read transaction of the live registry, so it is a
consistent snapshot even while other clerks write; the copy is then checked
(integrity, schema, the same number of rows as the snapshot) and kept readable
by its owner only (the checks are `inspection`). Restoring one is `restore.py`'s work.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tanhung_cli import inspection, waiting
from tanhung_cli.errors import Conflict, DatabaseProblem, Invalid
from tanhung_cli.inspection import APPEND_ONLY_TRIGGERS as APPEND_ONLY_TRIGGERS  # check.py
from tanhung_cli.inspection import Copy
from tanhung_cli.inspection import missing_triggers as missing_triggers  # check.py
from tanhung_cli.safe_files import create_private, refuse_target
from tanhung_cli.storage import database_problem, discard


def reserve(db_path: Path, label: str = "backup") -> Path:
    """A new name beside the registry for a copy: ``tanhung.backup.20261129-131500.db``.

    The name is claimed by creating its hidden partial file (`partial_of`), which
    `copy_verified` fills and then puts under the name: a crash never leaves an empty or
    half-written file under a backup's name.
    """
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = db_path.suffix or ".db"
    for n in range(1, 1000):
        extra = f"-{n}" if n > 1 else ""
        candidate = db_path.with_name(f"{db_path.stem}.{label}.{stamp}{extra}{suffix}")
        if candidate.exists():
            continue
        try:
            create_private(partial_of(candidate))
        except Conflict:
            continue  # another clerk's backup of the same second
        return candidate
    raise Conflict("backup.exists", path=str(candidate))


def partial_of(target: Path) -> Path:
    """Where a copy is written before it takes its name."""
    return target.with_name(f".{target.name}.partial")


def _take_name(partial: Path, target: Path) -> None:
    """Give the finished copy its name, never over an existing file."""
    try:
        os.link(partial, target)  # fails if the name is taken meanwhile
    except FileExistsError:
        raise Conflict("backup.exists", path=str(target)) from None
    except OSError:  # no hard links here (a FAT-formatted USB stick)
        if target.exists():
            raise Conflict("backup.exists", path=str(target)) from None
        os.replace(partial, target)
        return
    partial.unlink()


def snapshot(
    source: sqlite3.Connection, target: Path, on_wait: Callable[[], None] | None = None
) -> dict[str, int]:
    """Copy ``source`` into the new file ``target``; return the snapshot's row counts.

    Inside ``source``'s transaction when it has one (a restore holds the write lock).
    """
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        # One read transaction: the counts and the copied pages are the same snapshot.
        own = not source.in_transaction
        counts = (
            waiting.begin_read(source, lambda: inspection.counts_of(source), on_wait)
            if own
            else None
        )
        try:
            counts = counts or inspection.counts_of(source)
            source.backup(dest)
        finally:
            if own:
                source.execute("COMMIT")
        # A backup is one self-contained file, not a WAL database with side files.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return counts


def copy_verified(
    conn: sqlite3.Connection,
    target: Path,
    *,
    reserved: bool = False,
    registry: Path | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Copy:
    """Copy the live registry into the new file ``target`` (made by `reserve` if ``reserved``)
    and check that the copy is sound and holds what the registry held.

    The copy is written beside ``target`` and takes its name once verified, so that a
    crash or a full disk never leaves an empty or half-written file under a backup's name.
    """
    partial = partial_of(target)
    made_folder = False
    if not reserved:
        refuse_target(target, registry)
        discard(partial)
        made_folder = create_private(partial)
    try:
        counts = snapshot(conn, partial, on_wait)
        copy = inspection.inspect(partial, shown=target, triggers=False, quick=True)
        if copy.counts != counts:
            raise DatabaseProblem("backup.verify_failed", path=str(target))
        _take_name(partial, target)
    except BaseException as exc:
        discard(partial)
        if made_folder:
            _remove_empty(partial.parent)
        if isinstance(exc, sqlite3.Error):
            problem = database_problem(exc)
            if problem.key == "db.busy":
                raise problem from None
            raise DatabaseProblem("backup.failed", path=str(target), reason=str(exc)) from None
        if isinstance(exc, Invalid) and exc.key == "backup.damaged":
            # A faithful copy of a damaged registry: the registry is what is damaged.
            raise DatabaseProblem("db.damaged", reason=exc.params["reason"]) from None
        raise
    copy.path = target
    return copy


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty after all: someone else's files
        folder.rmdir()


def backup(
    conn: sqlite3.Connection,
    db_path: Path,
    target: Path | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Copy:
    """Back up the live registry into ``target`` (default: a new timestamped file).

    ``on_wait`` is called once another clerk's write makes it wait (at most the busy
    timeout). A verified copy is a finished backup: if its audit row cannot be written
    (the registry stays busy, or is read-only), ``audit_note`` says why, and that is all.
    """
    if target is None:
        copy = copy_verified(conn, reserve(db_path), reserved=True, on_wait=on_wait)
    else:
        copy = copy_verified(conn, target, registry=db_path, on_wait=on_wait)
    detail = {"file": str(copy.path), **copy.counts}
    copy.audit_note = waiting.record_audit(conn, "backup", detail, on_wait)
    return copy
