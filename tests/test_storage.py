"""The storage fence (`storage.py`): the registry's file concerns in one place, and the
modules below `open_db` never leading back to `db`."""

from __future__ import annotations

import ast
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tanhung_cli import storage
from tanhung_cli.db import open_db

PACKAGE = Path(__file__).resolve().parent.parent / "tanhung_cli"
BELOW_DB = ("storage", "migrations", "backup", "waiting", "safe_files", "outfile")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every tanhung_cli module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("tanhung_cli.")}


GRAPH = {_module(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _path_to(start: str, goal: str) -> list[str] | None:
    seen, todo = {start}, [[start]]
    while todo:
        trail = todo.pop()
        for nxt in sorted(GRAPH.get(trail[-1], ())):
            if nxt == goal:
                return [*trail, nxt]
            if nxt in GRAPH and nxt not in seen:
                seen.add(nxt)
                todo.append([*trail, nxt])
    return None


@pytest.mark.parametrize("name", BELOW_DB)
def test_what_open_db_builds_on_never_imports_db(name: str) -> None:
    """`db -> migrations -> backup -> db` was a cycle: now `db` is on top of these."""
    trail = _path_to(f"tanhung_cli.{name}", "tanhung_cli.db")
    assert trail is None, " -> ".join(trail or [])


def test_storage_imports_nothing_of_the_package_but_errors() -> None:
    assert _imports(PACKAGE / "storage.py") <= {
        "tanhung_cli.errors",
        "tanhung_cli.errors.DatabaseProblem",
    }


@pytest.mark.parametrize(
    "text",
    [
        "SQLite format 3",
        "O_EXCL",
        '"members", "branches", "audit", "events"',
        '"-wal", "-shm", "-journal"',
    ],
)
def test_the_file_concerns_are_written_once(text: str) -> None:
    """Header check, owner-only creation, the registry's tables, the side files: storage.py."""
    holders = [
        path.name
        for path in sorted(PACKAGE.rglob("*.py"))
        if text in path.read_text(encoding="utf-8")
    ]
    assert holders == ["storage.py"]


def test_the_registrys_connections_are_made_by_db_and_registry_file_only() -> None:
    """`db.connect` (the pragmas, no checks) serves `open_db` and the registry's creation;
    every command opens the registry through `open_db`."""
    users = [
        path.name
        for path in sorted(PACKAGE.rglob("*.py"))
        if "db.connect(" in (text := path.read_text(encoding="utf-8"))
        or "tanhung_cli.db import connect" in text
    ]
    assert users == ["registry_file.py"]


def test_a_new_file_is_owner_only_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    os.close(storage.create_owner_only(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        storage.create_owner_only(target)
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    with pytest.raises(OSError):
        storage.create_owner_only(link)
    assert not (tmp_path / "elsewhere.db").exists()


def test_a_registry_is_recognised_by_its_header_version_and_tables(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    open_db(path).close()
    assert storage.is_sqlite(storage.read_header(path))
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        assert storage.is_registry(version, storage.tables(conn))
    conn.close()
    assert not storage.is_registry(0, storage.tables(conn := sqlite3.connect(":memory:")))
    conn.close()
    other = tmp_path / "other.txt"
    other.write_text("SQLite format 2 and then some", encoding="utf-8")
    assert not storage.is_sqlite(storage.read_header(other))
