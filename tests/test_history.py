"""One writer of history: only `history.py` writes audit rows, events and members' updates."""

from __future__ import annotations

import ast
import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest

import tanhung_cli
from tanhung_cli import branches, history, members

PACKAGE = Path(tanhung_cli.__file__).parent

# SQL that writes a member's history, the audit trail or a member's values.
WRITES_HISTORY = re.compile(
    r"\b(INSERT\s+(OR\s+\w+\s+)?INTO\s+(main\.)?[\"']?(events|audit)\b"
    r"|REPLACE\s+INTO\s+(main\.)?[\"']?(events|audit)\b"
    r"|UPDATE\s+(OR\s+\w+\s+)?(main\.)?[\"']?members\b)",
    re.IGNORECASE,
)
# The tables through sqlite-utils (`db["events"].insert(...)`, `db.table("audit")`).
TABLE_BY_NAME = re.compile(r"""(\b(db|conn)\s*\[|\btable\()\s*["'](events|audit)["']""")
# The lock of a change is taken through `history.write_transaction`, nowhere else.
LOCK_OWNERS = {"history.py", "waiting.py"}
# Only the migrations create the tables; only `history` writes them.
ALLOWED = {
    "history.py",
    "migrations/roll.py",
    "migrations/activity.py",
    "migrations/leaving.py",
    "migrations/education.py",
    "migrations/rules_stamp.py",
}


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string of the module, an f-string's literal parts joined (`{...}` as `?`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "?" for v in node.values]
            found.append((node.lineno, "".join(str(p) for p in parts)))
    return found


def history_writers(package: Path) -> list[str]:
    """``file:line`` of every place outside `history.py` that writes history itself."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if name not in ALLOWED:
            lines = {line for line, text in _strings(tree) if WRITES_HISTORY.search(text)}
            found += [f"{name}:{line}" for line in sorted(lines)]
            found += [
                f"{name}:{source.count(chr(10), 0, m.start()) + 1}"
                for m in TABLE_BY_NAME.finditer(source)
            ]
        if name not in LOCK_OWNERS:
            for node in ast.walk(tree):
                takes_lock = (
                    isinstance(node, ast.ImportFrom)
                    and (node.module or "").endswith(("db", "waiting"))
                    and any(a.name in ("write_transaction", "write_lock") for a in node.names)
                ) or (
                    isinstance(node, ast.Attribute)
                    and node.attr in ("write_transaction", "write_lock")
                    and getattr(node.value, "id", None) in ("db", "waiting")
                )
                if takes_lock:
                    found.append(f"{name}:{getattr(node, 'lineno', 0)}")
    return found


def test_only_history_writes_history() -> None:
    assert history_writers(PACKAGE) == []


@pytest.mark.parametrize(
    "line",
    [
        'conn.execute("INSERT INTO events (member_id, on_date, kind) VALUES (?, ?, ?)")',
        'conn.execute("insert into audit (at) values (?)")',
        'conn.execute("INSERT OR IGNORE INTO main.events SELECT * FROM x")',
        'conn.execute(f"UPDATE members SET {sets}, updated_at = ? WHERE id = ?")',
        'conn.execute("UPDATE members"\n    " SET note = ? WHERE id = ?")',
        'db["events"].insert({"kind": "x"})',
        'db.table("audit").insert({})',
        "from tanhung_cli.db import bulk_load, write_transaction",
        "with db.write_transaction(conn): pass",
        "from tanhung_cli.waiting import write_lock",
        "with waiting.write_lock(conn): pass",
    ],
)
def test_the_scan_sees_a_writer_elsewhere(tmp_path: Path, line: str) -> None:
    (tmp_path / "history.py").write_text('X = "INSERT INTO events"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "rogue.py").write_text(f"def f(conn, db):\n    {line}\n", encoding="utf-8")
    assert history_writers(tmp_path) == ["sub/rogue.py:2"]


def test_the_scan_leaves_reads_and_other_tables_alone(tmp_path: Path) -> None:
    (tmp_path / "reads.py").write_text(
        "Q = 'SELECT * FROM events WHERE member_id = ?'\n"
        "I = 'INSERT INTO members (id, created_at, updated_at) SELECT 1, ?, ?'\n"
        "U = 'UPDATE branches SET kind = ? WHERE id = ?'\n"
        "from tanhung_cli.history import write_transaction\n",
        encoding="utf-8",
    )
    assert history_writers(tmp_path) == []


@pytest.fixture
def registry(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A registry with one member (id 1; audit rows 1 and 2, event 1) and nothing else."""
    branches.add_branch(conn, "Ấp Chợ")
    raw = {"full_name": "Lê Văn An", "gender": "Nam", "birth_date": "1970-01-01",
           "ethnicity": "Kinh", "branch": "Ấp Chợ", "admitted_on": "2000-01-01"}  # fmt: skip
    members.add_member(conn, raw, today=dt.date(2026, 6, 30))
    return conn


def _events(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return [
        tuple(r)
        for r in conn.execute(
            "SELECT member_id, on_date, kind, field, old, new, decision_no, note, audit_id"
            " FROM events WHERE id > 1 ORDER BY id"
        )
    ]


def test_a_change_writes_its_audit_row_then_its_events(registry: sqlite3.Connection) -> None:
    conn = registry
    with history.write_transaction(conn):
        history.update_member(conn, 1, {"note": "x"}, "2026-01-02T03:04:05+07:00")
        change = history.record(conn, "edit", "member", 1, {"note": [None, "x"]})
        change.event(1, "edited", "2026-01-02", field="note", new="x", decision="12-QĐ")
        change.events([(1, "2026-01-02", "edited", "phone", None, "1", None, "n")])
    audit = conn.execute("SELECT id, action, entity, entity_id, detail FROM audit WHERE id > 2")
    assert [tuple(r) for r in audit] == [(3, "edit", "member", 1, '{"note": [null, "x"]}')]
    assert _events(conn) == [
        (1, "2026-01-02", "edited", "note", None, "x", "12-QĐ", None, 3),
        (1, "2026-01-02", "edited", "phone", None, "1", None, "n", 3),
    ]
    row = conn.execute("SELECT note, updated_at FROM members WHERE id = 1").fetchone()
    assert tuple(row) == ("x", "2026-01-02T03:04:05+07:00")


def test_events_of_a_set_of_members_in_one_statement(registry: sqlite3.Connection) -> None:
    conn = registry
    conn.execute("CREATE TEMP TABLE lines (id INTEGER PRIMARY KEY, line INTEGER)")
    conn.executemany("INSERT INTO lines VALUES (?, ?)", [(1, 3)])
    with history.write_transaction(conn):
        change = history.record(conn, "import", "member", None, {"file": "m.csv"})
        change.events_from(
            "lines ORDER BY id",
            {"member_id": "id", "on_date": ":on", "kind": "'imported'", "note": ":file"},
            {"on": "2026-01-02", "file": "m.csv"},
        )
    assert _events(conn) == [(1, "2026-01-02", "imported", None, None, None, None, "m.csv", 3)]


def test_events_from_refuses_a_column_events_lacks(registry: sqlite3.Connection) -> None:
    conn = registry
    with history.write_transaction(conn):
        change = history.record(conn, "import", "member")
        with pytest.raises(ValueError, match="not a column of events: audit_id"):
            change.events_from("members", {"member_id": "id", "audit_id": "1"})
    assert _events(conn) == []


def test_a_refused_change_leaves_neither_audit_row_nor_events(
    registry: sqlite3.Connection,
) -> None:
    conn = registry
    with pytest.raises(RuntimeError), history.write_transaction(conn):
        history.update_member(conn, 1, {"note": "x"})
        history.record(conn, "edit", "member", 1).event(1, "edited", "2026-01-02")
        raise RuntimeError
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 2
    assert _events(conn) == []
    assert conn.execute("SELECT note FROM members").fetchone()[0] is None


def test_a_write_without_its_audit_row_is_rolled_back(registry: sqlite3.Connection) -> None:
    conn = registry
    with pytest.raises(history.Unaudited), history.write_transaction(conn):
        history.update_member(conn, 1, {"note": "x"})
    assert conn.execute("SELECT note FROM members").fetchone()[0] is None
    with history.write_transaction(conn):  # reading only, or writing nothing, needs no row
        conn.execute("SELECT count(*) FROM members").fetchone()
        conn.execute("UPDATE members SET note = 'x' WHERE id = 2")
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 2
