"""A registry file that cannot be used as asked: each gets one clear line and exit 1."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli import branches, db, members
from tanhung_cli.db import open_db
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.i18n import t
from tanhung_cli.waiting import write_lock as write_transaction

ADD = option_list(DIEM, branch="Ấp Chợ", card=None, cccd=None)
BUSY_EN = (
    "Someone else is writing to the registry; waited without success. Try again in a few minutes.\n"
)
FULL_EN = "The disk is full ("
READONLY_EN = "The registry is read-only: nothing can be written. Check the file's permissions.\n"


def count(path: Path, table: str = "members") -> int:
    with closing(sqlite3.connect(path)) as c:
        return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture
def ready(db_path: Path) -> Path:
    conn = open_db(db_path)
    branches.add_branch(conn, "Ấp Chợ")
    conn.close()
    return db_path


def test_busy_gives_up_with_a_clear_message(
    run: Run, ready: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(db, "BUSY_PAUSE_S", 0.01)
    holder = sqlite3.connect(ready, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = run("--lang", "en", "member", "add", *ADD)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    # Told at once that it waits, then that it gave up.
    assert result.stderr == t("safety.waiting", lang="en", seconds=1) + "\n" + BUSY_EN
    assert "locked" not in result.output
    # Bounded: the wait ends after the timeout, not never.
    assert waited < 5
    assert count(ready) == 0
    assert run("member", "add", *ADD).exit_code == 0


def test_busy_retry_succeeds_when_the_other_clerk_finishes(
    ready: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(db, "BUSY_PAUSE_S", 0.05)
    holder = sqlite3.connect(ready, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.2, lambda: holder.execute("COMMIT"))
    releaser.start()
    conn = open_db(ready)
    try:
        with write_transaction(conn):
            conn.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    finally:
        releaser.join()
        holder.close()
        conn.close()
    assert count(ready, "settings") == 1


def _read_only_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, permissions do not stop writes: open the file read-only instead."""
    real = sqlite3.connect

    def connect(path: object, *args: object, **kw: object) -> sqlite3.Connection:
        kw.pop("uri", None)
        return real(f"file:{path}?mode=ro", *args, uri=True, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(db.sqlite3, "connect", connect)


def test_read_only_registry(run: Run, ready: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("member", "add", *ADD).exit_code == 0
    if os.geteuid() == 0:
        _read_only_connect(monkeypatch)
    else:
        ready.chmod(0o400)
    try:
        result = run("--lang", "en", "member", "add", *option_list(ADD, name="Lê Văn Tám"))
        listed = run("member", "list", "--format", "json")
    finally:
        ready.chmod(0o600)
    assert result.exit_code == 1
    assert result.stderr == READONLY_EN
    # Reading still works: the clerk can look, print and back up.
    assert listed.exit_code == 0 and '"Nguyễn Thị Kiều Diễm"' in listed.stdout
    assert count(ready) == 1


def test_full_disk_by_page_limit(run: Run, ready: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = db.connect

    def limited(path: Path, **kw: bool) -> sqlite3.Connection:
        conn = real(path, **kw)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(db, "connect", limited)
    outcomes = []
    for i in range(200):
        name = f"Thạch Văn {'Sa' * (1 + i % 20)} Ne"
        note = "x" * 190
        result = run("--lang", "en", "member", "add", *option_list(ADD, name=name, note=note))
        outcomes.append(result)
        if result.exit_code:
            break
    failed = outcomes[-1]
    assert failed.exit_code == 1, "the page limit was never reached"
    assert failed.stderr.startswith(FULL_EN)
    assert failed.stderr.endswith("Nothing was changed; free some space and try again.\n")
    added = len(outcomes) - 1
    # All of each write or none of it: every stored member has its history and audit row.
    assert count(ready) == added == count(ready, "events")
    assert count(ready, "audit") == added + 1


FILL = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
sys.argv = ["tanhung", *sys.argv[2:]]
from tanhung_cli.cli import main
main()
"""


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_full_disk_by_file_size_limit(ready: Path) -> None:
    """The operating system refuses to let the files grow, as on a full disk."""
    # The limit is per file: the registry may not grow, and its write-ahead log may not
    # hold one transaction.
    env = {**os.environ, "TANHUNG_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-c", FILL, "16384", "--db", str(ready), "member", "add", *ADD],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # The operating system says EFBIG, which SQLite reports as an I/O error.
    assert result.stderr == (
        "Cannot read or write the registry file (disk I/O error): the disk may be full or the"
        " shared folder unreachable. Nothing was changed; check it and try again.\n"
    ), result.stderr
    assert count(ready) == 0 and count(ready, "audit") == 1
    with closing(sqlite3.connect(ready)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert signal.SIGXFSZ  # the child ignored it, so it saw an error instead of dying


def test_domain_full_disk_is_a_database_problem(conn: sqlite3.Connection) -> None:
    branches.add_branch(conn, "Ấp Chợ")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    raw = {
        "gender": "Nam",
        "birth_date": "1980-01-01",
        "ethnicity": "Kinh",
        "branch": "Ấp Chợ",
        "admitted_on": "2010-01-01",
        "note": "y" * 200,
    }
    with pytest.raises(DatabaseProblem) as full:
        for i in range(500):
            members.add_member(conn, {**raw, "full_name": f"Lê Văn {'Ba' * (1 + i % 30)}"})
    assert full.value.key == "db.full"
    assert not conn.in_transaction
    stored = conn.execute("SELECT count(*) FROM members").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == stored


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda p: p.mkdir(), "is a folder, not a registry file. Name a file, e.g. --db"),
        (lambda p: p.write_text("Họ và tên\n"), "is not a registry file (not an SQLite database)."),
        (
            lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000),
            "The registry file is damaged (file is not a database). Details: tanhung check",
        ),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.close(),
            "is an SQLite database of another program, not a registry.",
        ),
    ],
    ids=["directory", "text-file", "garbage-after-header", "other-program"],
)
def test_files_that_are_not_a_registry(tmp_path: Path, setup: object, expected: str) -> None:
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    path = tmp_path / "given.db"
    setup(path)  # type: ignore[operator]
    before = path.read_bytes() if path.is_file() else None
    for args in (["member", "list"], ["member", "add", *ADD], ["check"], ["backup"]):
        result = CliRunner().invoke(app, ["--db", str(path), "--lang", "en", *args])
        assert result.exit_code == 1, (args, result.output)
        if args == ["check"] and "damaged" in expected:
            # `check` reports an unreadable file as its finding, on stdout.
            assert result.stdout.startswith("The database file is damaged: file is not a database")
            continue
        assert expected in result.stderr, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.output
    # Refused: the file is left exactly as it was.
    assert (path.read_bytes() if path.is_file() else None) == before


def test_a_db_path_that_cannot_be_created(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    path = blocker / "sub" / "r.db"
    # A reading command never creates a registry; a writing one never creates folders.
    result = CliRunner().invoke(app, ["--db", str(path), "--lang", "en", "member", "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"There is no registry at {path}. Check the --db path")
    result = CliRunner().invoke(app, ["--db", str(path), "--lang", "en", "branch", "add", "Ấp A"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"The folder {path.parent} does not exist; ")
    assert blocker.read_text() == "x"


def test_a_newer_registry_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    path = tmp_path / "new.db"
    open_db(path).close()
    with closing(sqlite3.connect(path)) as c:
        c.execute("PRAGMA user_version = 99")
    result = CliRunner().invoke(app, ["--db", str(path), "--lang", "en", "member", "add", *ADD])
    assert result.exit_code == 1
    assert result.stderr == (
        f"The registry {path} was written by a newer version (schema 99; this version knows"
        f" {db.SCHEMA_VERSION})."
        " Upgrade tanhung.\n"
    )
