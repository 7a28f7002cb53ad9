"""Telling a registry from its copies among the files of a report across registries (#17).

A folder of registries also holds their copies: `tanhung backup` writes
``<name>.backup.<yyyymmdd-hhmmss>.db`` beside the registry, and opening a registry made by
an older release first copies it to ``<name>.before-schema-<N>.<yyyymmdd-hhmmss>.db``
(`backup.reserve`). Read as registries, they would count a commune two or three times.

A registry has no identity of its own, but its audit trail is append-only (triggers refuse
any change) and every command that writes adds a row, with its time, clerk, command and
details. A copy of a registry, taken at any moment, holds the trail the registry had then:
one file's trail is the beginning of the other's (or the same). Two registries built apart
never share their trail's rows (a merged registry's carried rows name the file they came
from). So two files are the same registry when the shorter trail is the beginning of the
longer; when a file has no trail yet (nothing written), its name alone tells a backup.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

# backup.reserve's names: "<stem>.<label>.<stamp>[-n]<suffix>", label "backup" or
# "before-schema-N" (migrations.apply).
BACKUP_NAME = re.compile(
    r"^(?P<stem>.+)\.(?:backup|before-schema-\d+)\.\d{8}-\d{6}(?:-\d+)?(?P<suffix>\.[^.]+)$"
)


def backup_of(path: Path) -> Path | None:
    """The registry ``path`` is named as a backup of (beside it), or None."""
    found = BACKUP_NAME.match(path.name)
    return path.with_name(found["stem"] + found["suffix"]) if found else None


def trail(conn: sqlite3.Connection) -> list[bytes]:
    """The audit trail's running digest after each row, in order: two trails begin alike
    exactly as far as these agree."""
    running = hashlib.blake2b(digest_size=16)
    out = []
    for row in conn.execute(
        "SELECT id, at, clerk, command, action, entity, entity_id, detail FROM audit ORDER BY id"
    ):
        running.update(repr(tuple(row)).encode())
        out.append(running.digest())
    return out


def _same(a: list[bytes], b: list[bytes]) -> bool:
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return bool(shorter) and longer[len(shorter) - 1] == shorter[-1]


def in_order(paths: list[Path]) -> list[Path]:
    """The files as given, those named as backups last: a registry is read before its copies."""
    return sorted(paths, key=lambda p: backup_of(p) is not None)


@dataclass
class Seen:
    """The registries read so far, each with its trail."""

    read: list[tuple[Path, list[bytes]]] = field(default_factory=list)

    def twin(self, path: Path, conn: sqlite3.Connection) -> Path | None:
        """The registry already read that ``path`` (open as ``conn``) is a copy of, or None;
        else ``path`` joins those read."""
        own = trail(conn)
        for other, theirs in self.read:
            if _same(own, theirs):
                return other
        named = backup_of(path)
        if named is not None and not own:
            for other, _ in self.read:
                if other.resolve() == named.resolve():
                    return other
        self.read.append((path, own))
        return None
