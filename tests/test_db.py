"""Opening the registry file: creation, permissions, refusals."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import db, migrations, waiting
from tanhung_cli.errors import DatabaseProblem


def test_new_file_is_private_and_migrated(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem) as exc:
        db.open_db(tmp_path / "sub" / "r.db")  # never a missing folder (item 6 of issue 10)
    assert exc.value.key == "db.no_folder" and not (tmp_path / "sub").exists()
    path = tmp_path / "r.db"
    conn = db.open_db(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    conn.close()


def test_schema_version_counts_the_migrations() -> None:
    assert migrations.count() == db.SCHEMA_VERSION


def test_default_path_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "/srv/data")
    if db.sys.platform.startswith("linux"):
        assert db.default_db_path() == Path("/srv/data/tanhung/tanhung.db")


def test_refuses_what_is_not_a_registry(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Danh sách đảng viên\n", encoding="utf-8")
    with pytest.raises(DatabaseProblem) as exc:
        db.open_db(text)
    assert exc.value.key == "db.not_sqlite"
    with pytest.raises(DatabaseProblem) as exc:
        db.open_db(tmp_path)
    assert exc.value.key == "db.is_directory"
    with pytest.raises(DatabaseProblem) as exc:
        db.open_db(Path("/dev/null"))
    assert exc.value.key == "db.not_sqlite"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(DatabaseProblem) as exc:
        db.open_db(other)
    assert exc.value.key == "db.not_registry"


def test_refuses_a_newer_schema(tmp_path: Path, run: Run, db_path: Path) -> None:
    db.open_db(db_path).close()
    with sqlite3.connect(db_path) as c:
        c.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    result = run("branch", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Sổ {db_path} được ghi bởi phiên bản mới hơn (lược đồ {db.SCHEMA_VERSION + 1},"
        f" phiên bản này biết đến {db.SCHEMA_VERSION}). Hãy cập nhật tanhung.\n"
    )


def test_cli_messages_for_bad_files(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    result = CliRunner().invoke(app, ["--db", str(junk), "member", "list"])
    assert result.exit_code == 1
    assert "không phải tệp sổ đảng viên" in result.stderr
    result = CliRunner().invoke(app, ["--db", str(tmp_path), "--lang", "en", "member", "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path} is a folder, not a registry file.")


def test_write_transaction_is_all_or_nothing(conn: sqlite3.Connection) -> None:
    with pytest.raises(RuntimeError), waiting.write_lock(conn):
        conn.execute("INSERT INTO settings VALUES ('a', '1')")
        raise RuntimeError
    assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 0


def test_history_and_audit_rows_cannot_change(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO audit (at, action, entity) VALUES ('now', 'add', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        conn.execute("UPDATE audit SET action = 'edit'")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("DELETE FROM audit")


def test_the_registry_opens_while_another_process_loads_in_bulk(tmp_path: Path) -> None:
    """A bulk load runs with a rollback journal (`db.bulk_load`); opening the file
    then cannot set WAL, and works in the loader's mode instead of saying "busy"."""
    path = tmp_path / "r.db"
    db.open_db(path).close()
    loader = sqlite3.connect(path, isolation_level=None)
    with db.bulk_load(loader):
        assert loader.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert loader.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert loader.execute("PRAGMA foreign_keys").fetchone()[0] == 0
        loader.execute("BEGIN IMMEDIATE")  # the load holds the write lock
        reader = db.open_db(path)
        assert reader.execute("SELECT count(*) FROM members").fetchone()[0] == 0
        reader.close()
        loader.execute("ROLLBACK")
    assert loader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert loader.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert loader.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    loader.close()


def test_a_bulk_load_stays_in_wal_while_another_connection_is_open(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    other = db.open_db(path)
    loader = sqlite3.connect(path, isolation_level=None)
    with db.bulk_load(loader):
        assert loader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()
    loader.close()


def test_a_bulk_load_keeps_what_others_committed_while_it_was_checking(tmp_path: Path) -> None:
    """Rows another clerk committed (in WAL) after this connection last read, before the
    load leaves WAL, are kept: SQLite checkpoints them into the file behind this
    connection's page cache, which is dropped (it put stale pages back over them)."""
    path = tmp_path / "r.db"
    conn = db.open_db(path)

    def add(name: str) -> None:  # another clerk's command
        other = db.open_db(path)
        with waiting.write_lock(other):
            other.execute(
                "INSERT INTO branches (name, name_key, kind) VALUES (?, ?, 'hamlet')", (name, name)
            )
        other.close()

    add("Ấp Chợ")
    assert conn.execute("SELECT count(*) FROM branches").fetchone()[0] == 1  # pages cached
    add("Ấp Nhứt")
    with db.bulk_load(conn), waiting.write_lock(conn):
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM branches").fetchone()[0] == 2
        conn.execute("INSERT INTO branches (name, name_key, kind) VALUES ('Ấp Nhì', 'n', 'hamlet')")
    conn.close()
    with closing(sqlite3.connect(path)) as check:
        names = [r[0] for r in check.execute("SELECT name FROM branches ORDER BY id")]
    assert names == ["Ấp Chợ", "Ấp Nhứt", "Ấp Nhì"]
