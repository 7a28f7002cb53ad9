"""Merging committees (issue #17): the new commune committee's registry from the old ones.

All or nothing. The old files are read read-only (an older one migrated on a copy,
`merge_sources`); the new registry is built under a hidden name beside the target
(``.new-NEW.db.PID``, which `leftovers` sweeps if the process is killed) and linked into
place only when whole and free of conflicts, never over an existing file. A dry run
builds it the same way, lists every conflict and removes it. Branches come through the
mapping file (`merge_branches`), members are matched by their numbers
(`merge_members`), every other table is carried as `merge_tables` declares it
(`merge_copy`), the audit trail and members' history through `history.carry_over`, and
each record's origin is kept in ``merge_origins``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tanhung_cli import (
    audit,
    history,
    leftovers,
    merge_branches,
    merge_copy,
    merge_members,
    merge_people,
    registry_file,
    storage,
)
from tanhung_cli.errors import Conflict, Invalid
from tanhung_cli.merge_sources import (
    Source,
    check,
    remove_scratch,
    scratch_folder,
    sha256_of,
    source_uri,
)
from tanhung_cli.merge_tables import TABLES
from tanhung_cli.problems import Problem
from tanhung_cli.registry_file import NEW_PREFIX

# SQLite attaches at most 10 files; the new registry is one.
MOST_FILES = 9
# The page cache of the build (KiB): the indexes of 200,000 members fit.
CACHE_KIB = 65536
# Audit entities whose ids the merge renumbers: entity → table.
ENTITIES = {
    "member": "members",
    "branch": "branches",
    "course": "courses",
    "term": "terms",
    "meeting": "meetings",
    "fund": "funds",
    "loan": "loans",
}


@dataclass
class Outcome:
    sources: list[Source]
    counts: dict[str, int] = field(default_factory=dict)
    shared: int = 0
    branches_merged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # told, not blocking
    prefer: int | None = None  # the file whose records win a difference (--prefer)
    set_aside: list[dict[str, object]] = field(default_factory=list)
    written: bool = False


def _refuse_target(into: Path, paths: list[Path]) -> None:
    if len(paths) < 2:
        raise Invalid("merge.too_few")
    if len(paths) > MOST_FILES:
        raise Invalid("merge.too_many", most=MOST_FILES)
    if into.exists() or into.is_symlink():
        raise Conflict("merge.target_exists", path=str(into))
    if not into.parent.is_dir():
        raise Invalid("merge.no_folder", path=str(into))
    seen: dict[Path, Path] = {}
    for path in paths:
        real = path.resolve()
        if real in seen:
            raise Invalid("merge.same_file", path=str(path), other=str(seen[real]))
        seen[real] = path


def merge(
    paths: list[Path],
    into: Path,
    mapping: Path | None = None,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
) -> Outcome:
    """Build ``into`` from the registries ``paths``; nothing is written while a conflict
    remains (the outcome lists them), nor by a dry run."""
    _refuse_target(into, paths)
    leftovers.clean(into)  # an earlier merge's unfinished file, killed 10 minutes ago or more
    folder = scratch_folder()
    temp = into.parent / f"{NEW_PREFIX}{into.name}.{os.getpid()}"
    try:
        sources = [check(path, number, folder) for number, path in enumerate(paths, start=1)]
        outcome = Outcome(sources)
        if prefer is not None:
            chosen = merge_branches.source_named(prefer, sources)
            if chosen is None:
                raise Invalid("merge.prefer_unknown", name=prefer)
            outcome.prefer = chosen.number
        storage.discard(temp)
        conn = registry_file.build_unfinished(temp)
        try:
            _build(conn, outcome, mapping)
        finally:
            conn.close()
        _unchanged(sources)
        if not outcome.problems and not dry_run:
            _fsync(temp)
            _take_name(temp, into)
            outcome.written = True
        return outcome
    finally:
        storage.discard(temp)
        remove_scratch(folder)


def _build(conn: sqlite3.Connection, outcome: Outcome, mapping: Path | None) -> None:
    conn.execute("PRAGMA journal_mode = MEMORY")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA foreign_keys = OFF")  # checked whole at the end
    for source in outcome.sources:
        conn.execute(f"ATTACH DATABASE ? AS {source.alias}", (source_uri(source),))
    with history.write_transaction(conn):
        _carry(conn, outcome, mapping)
        outcome.problems.extend(
            Problem("merge.dangling", {"table": row[0], "parent": row[2]})
            for row in conn.execute("PRAGMA main.foreign_key_check")
        )
    for source in outcome.sources:
        conn.execute(f"DETACH DATABASE {source.alias}")
    outcome.counts = {
        t.name: conn.execute(f'SELECT count(*) FROM main."{t.name}"').fetchone()[0]
        for t in TABLES
        if t.way != "skip"
    }
    if not outcome.problems:
        conn.execute("PRAGMA journal_mode = WAL")


def _carry(conn: sqlite3.Connection, outcome: Outcome, mapping: Path | None) -> None:
    sources = outcome.sources
    stamp = audit.now()
    conn.executemany(
        "INSERT INTO main.merge_sources (id, name, sha256, schema, merged_at) VALUES (?,?,?,?,?)",
        ((s.number, s.shown, s.sha256, s.schema, stamp) for s in sources),
    )
    branches = merge_branches.plan(conn, sources, mapping)
    outcome.problems.extend(branches.problems)
    outcome.branches_merged = branches.merged
    for row in branches.rows.values():
        conn.execute(
            "INSERT INTO main.branches (id, name, name_key, kind, note, created_at)"
            " VALUES (:id, :name, :name_key, :kind, :note, :created_at)",
            row,
        )
    members = merge_members.plan(conn, sources)
    outcome.problems.extend(members.problems)
    outcome.warnings.extend(members.warnings)
    outcome.shared = members.shared
    for source in sources:
        pairs = branches.maps.get(source.number, [])
        merge_copy.make_map(conn, source, "branches", pairs)
        _origins(conn, source, "branches", pairs)
    merge_people.carry(conn, sources, members)
    found = merge_copy.Found(outcome.problems, outcome.prefer)
    for table in TABLES:
        if table.way == "copy":
            for source in sources:
                merge_copy.copy(conn, source, table, found)
    outcome.set_aside = found.set_aside
    if found.set_aside:
        history.record(conn, "merge", "set_aside", None, {"records": found.set_aside})
    for source in sources:
        history.carry_over(
            conn,
            source.alias,
            source.shown,
            merge_copy.map_table(source, "members"),
            {e: merge_copy.map_table(source, t) for e, t in ENTITIES.items()},
        )
        history.record(
            conn,
            "merge",
            "registry",
            source.number,
            {"file": source.shown, "sha256": source.sha256, "schema": source.schema},
        )


def _origins(conn: sqlite3.Connection, source: Source, table: str, pairs: object) -> None:
    conn.executemany(
        "INSERT INTO main.merge_origins (source_id, tbl, old_rowid, new_rowid) VALUES (?,?,?,?)",
        ((source.number, table, old, new) for old, new in pairs),  # type: ignore[attr-defined]
    )


def _unchanged(sources: list[Source]) -> None:
    """Refuse the merge when an old file read in place changed while it was read
    (another clerk's checkpoint): what was read may mix two states of it. (A file read
    from a snapshot copy was copied whole, through SQLite.)"""
    for source in sources:
        if source.read_from == source.path and sha256_of(source.path) != source.sha256:
            raise Conflict("merge.changed", path=source.shown)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _take_name(temp: Path, into: Path) -> None:
    try:
        os.link(temp, into)  # never over a file made meanwhile
    except FileExistsError:
        raise Conflict("merge.target_exists", path=str(into)) from None
    except OSError:  # no hard links here (a FAT-formatted USB stick)
        if into.exists():
            raise Conflict("merge.target_exists", path=str(into)) from None
        os.replace(temp, into)
