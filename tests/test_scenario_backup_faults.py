"""Backups and restores under faults (issue 10, items 2, 9, 12, 14, 15 and the fault suite).

The target absent, existing, a symbolic link, a folder, read-only, a pipe, on a full disk,
and the process killed at random moments: the registry and every file that was there
before are unchanged unless the command succeeded, and nothing is left world-readable.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import backup, branches, db, inspection, members, restore, waiting
from tanhung_cli.db import BUSY_TIMEOUT_MS, open_db
from tanhung_cli.i18n import t


def person(i: int) -> dict[str, str]:
    return {
        "full_name": f"Thạch Văn {chr(ord('A') + i % 26)}{'a' * (i // 26 % 9)}",
        "gender": "Nam",
        "birth_date": f"{1960 + i % 30}-{1 + i % 12:02d}-{1 + i // 30 % 28:02d}",
        "ethnicity": "Khmer",
        "branch": "Ấp Chợ",
        "admitted_on": "2010-05-19",
        "official_on": "2011-05-19",
        "note": "ghi chú dài " * (i % 5),
    }


def make_registry(path: Path, people: int = 3) -> Path:
    path.parent.mkdir(exist_ok=True)  # a registry is never created in a missing folder
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    for i in range(people):
        members.add_member(conn, person(i))
    conn.close()
    return path


@pytest.fixture
def filled(db_path: Path) -> Path:
    return make_registry(db_path)


@pytest.fixture
def good_backup(tmp_path: Path) -> Path:
    """A sound backup of a registry of one member, in a folder of its own."""
    folder = tmp_path / "usb"
    folder.mkdir()
    other = make_registry(folder / "other.db", people=1)
    conn = open_db(other)
    copy = backup.backup(conn, other, folder / "one-member.db").path
    conn.close()
    for name in folder.glob("other.db*"):
        name.unlink()
    return copy


def state(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``folder``: its mode and a hash of its bytes (links: their target)."""
    seen = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            seen[str(path)] = (info.st_mode, os.readlink(path))
        elif stat.S_ISREG(info.st_mode):
            seen[str(path)] = (info.st_mode, hashlib.sha256(path.read_bytes()).hexdigest())
        else:
            seen[str(path)] = (info.st_mode, "")
    return seen


def members_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as c:
        return int(c.execute("SELECT count(*) FROM members").fetchone()[0])


def world_readable(folder: Path, before: dict[str, tuple[int, str]]) -> list[str]:
    """Regular files created under ``folder`` since ``before`` that others may read."""
    return [
        str(p)
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and str(p) not in before
        and p.stat().st_mode & 0o077
    ]  # fmt: skip


def registry_rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT * FROM members ORDER BY id").fetchall()


# --- item 12: a backup while another clerk writes ---------------------------------------


def hold_write_lock(path: Path) -> sqlite3.Connection:
    clerk = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    clerk.execute("BEGIN IMMEDIATE")
    clerk.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    return clerk


def test_a_backup_waits_in_the_open_and_is_reported_finished(
    run: Run, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another clerk keeps the write lock throughout: the backup says at once that it waits,
    waits no longer than the busy timeout, and reports the verified copy as done, noting
    that only its audit row is missing. (It waited 60 s, then said "busy", and a retry was
    refused "file exists".)"""
    assert BUSY_TIMEOUT_MS == 15_000  # the README's 15 s
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # the same path, quicker
    target = tmp_path / "copy.db"
    clerk = hold_write_lock(filled)
    try:
        result = run("--lang", "en", "backup", str(target))
    finally:
        clerk.execute("ROLLBACK")
        clerk.close()
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        t("safety.waiting", lang="en", seconds=1)
        + "\n"
        + t("backup.audit_missing", lang="en")
        + "\n"
    )
    assert result.stdout.startswith(f"Backed up the registry to {target}: 3 members")
    assert inspection.inspect(target).members == 3
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_backup_that_waited_writes_its_audit_row(run: Run, filled: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    clerk = hold_write_lock(filled)
    release = threading.Timer(0.5, lambda: (clerk.execute("COMMIT"), clerk.close()))
    release.start()
    try:
        result = run("--lang", "en", "backup", str(target))
    finally:
        release.join()
    assert result.exit_code == 0, result.output
    assert result.stderr == t("safety.waiting", lang="en", seconds=15) + "\n"
    with closing(sqlite3.connect(filled)) as c:
        assert c.execute("SELECT count(*) FROM audit WHERE action = 'backup'").fetchone()[0] == 1


def test_waiting_is_bounded_by_the_busy_timeout(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One short try, a word to the clerk, then one wait: never the busy timeout four times."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 400)
    timeouts: list[int] = []
    real = waiting._set_timeout

    def spy(conn: sqlite3.Connection, ms: int) -> None:
        timeouts.append(ms)
        real(conn, ms)

    monkeypatch.setattr(waiting, "_set_timeout", spy)
    told = []
    clerk = hold_write_lock(filled)
    conn = db.connect(filled, wal=False)  # a registry's connection: its busy timeout is db's
    try:
        with pytest.raises(Exception) as busy:
            waiting.begin_immediate(conn, lambda: told.append(1))
    finally:
        clerk.execute("ROLLBACK")
        clerk.close()
        conn.close()
    assert getattr(busy.value, "key", None) == "db.busy"
    assert told == [1]
    waited = timeouts[1:-1]  # between the first short try and the reset
    assert timeouts[0] == waiting.FIRST_TRY_MS and timeouts[-1] == 400
    assert sum(waited) <= 400 + 50 * len(waited)


# --- item 15: refused targets of a backup -----------------------------------------------


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
def test_a_backup_refuses_side_file_names(
    run: Run, filled: Path, tmp_path: Path, suffix: str
) -> None:
    """`backup X.db-journal` was accepted, and SQLite later deleted the "backup"."""
    before = state(tmp_path)
    target = tmp_path / f"X.db{suffix}"
    result = run("--lang", "en", "backup", str(target))
    assert result.exit_code == 1
    assert result.stderr == t("backup.side_file", lang="en", path=str(target)) + "\n"
    assert state(tmp_path) == before


def test_a_backup_refuses_the_registry_and_its_side_files(run: Run, filled: Path) -> None:
    before = state(filled.parent)
    for name in (filled, Path(f"{filled}-wal"), Path(f"{filled}-journal")):
        result = run("--lang", "en", "backup", str(name))
        assert result.exit_code == 1
        assert "Traceback" not in result.output
    assert registry_rows(filled) and state(filled.parent).keys() == before.keys()


def test_a_backup_creates_only_the_last_missing_folder(
    run: Run, filled: Path, tmp_path: Path
) -> None:
    """An unmounted USB stick (/media/usb missing) is refused, not made as empty folders."""
    media = tmp_path / "media"
    media.mkdir()
    target = media / "usb" / "backups" / "copy.db"
    result = run("--lang", "en", "backup", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        t("backup.no_folder", lang="en", folder=str(media / "usb"), path=str(target)) + "\n"
    )
    assert list(media.iterdir()) == []
    # One missing level is made, owner-only.
    (media / "usb").mkdir()
    assert run("backup", str(target)).exit_code == 0
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert inspection.inspect(target).members == 3


# --- the fault suite: a backup's target ---------------------------------------------------


def _existing(p: Path) -> None:
    p.write_bytes(b"an earlier backup")
    p.chmod(0o600)


def _symlink(p: Path) -> None:
    aim = p.with_name("aim.txt")
    aim.write_bytes(b"keep me")
    aim.chmod(0o600)
    p.symlink_to(aim)


def _dangling(p: Path) -> None:
    p.symlink_to(p.with_name("nowhere.db"))


def _folder(p: Path) -> None:
    p.mkdir()


def _fifo(p: Path) -> None:
    os.mkfifo(p, 0o600)


def _read_only(p: Path) -> None:
    _existing(p)
    p.chmod(0o400)


TARGETS = {
    "existing": (_existing, "backup.exists"),
    "symlink": (_symlink, "backup.symlink"),
    "dangling-symlink": (_dangling, "backup.symlink"),
    "folder": (_folder, "backup.target_is_directory"),
    "fifo": (_fifo, "backup.exists"),
    "read-only": (_read_only, "backup.exists"),
}


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_a_backup_never_writes_over_what_is_there(kind: str, filled: Path, tmp_path: Path) -> None:
    """Through the real command in its own process: a pipe must not be opened (it blocks)."""
    make, key = TARGETS[kind]
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "copy.db"
    make(target)
    before, rows = state(tmp_path), registry_rows(filled)
    done = tanhung(filled, "backup", str(target))
    assert done.returncode == 1
    assert done.stderr.decode() == t(key, lang="en", path=str(target)) + "\n"
    assert state(tmp_path) == before and registry_rows(filled) == rows


def test_a_backup_into_an_unwritable_folder_names_it(
    run: Run, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    real = os.open

    def refuse(path: object, *args: object, **kw: object) -> int:
        if str(path).startswith(str(folder)):  # as for anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    target = folder / "copy.db"
    result = run("--lang", "en", "backup", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith("Cannot write the backup file ")
    assert str(folder) in result.stderr
    assert list(folder.iterdir()) == []


def tanhung(
    db: Path, *args: str, limit: int | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """`python -m tanhung_cli --db DB --lang en ARGS…`, with a file-size limit if given (a
    full disk: writes past ``limit`` bytes fail, SIGXFSZ ignored)."""

    def limited() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "tanhung_cli", "--db", str(db), "--lang", "en", *args],
        capture_output=True,
        timeout=timeout,
        preexec_fn=limited,
    )


def test_a_backup_on_a_full_disk_names_the_copy_and_leaves_nothing(tmp_path: Path) -> None:
    live = make_registry(tmp_path / "live.db", people=1200)
    size = live.stat().st_size
    target = tmp_path / "out" / "copy.db"
    before, rows = state(tmp_path), registry_rows(live)
    done = tanhung(live, "backup", str(target), limit=size // 2)
    assert done.returncode == 1
    stderr = done.stderr.decode()
    assert stderr.startswith(f"The backup to {target} failed ("), stderr
    assert "Traceback" not in stderr
    assert state(tmp_path) == before and registry_rows(live) == rows


# --- the fault suite: a restore's source and target ------------------------------------


def test_a_restore_from_a_pipe_is_refused_without_waiting(filled: Path, tmp_path: Path) -> None:
    """`restore` from a FIFO hung forever (opening a pipe waits for a writer)."""
    pipe = tmp_path / "backup.db"
    os.mkfifo(pipe, 0o600)
    before = state(tmp_path)
    done = tanhung(filled, "restore", str(pipe), timeout=30)
    assert done.returncode == 1
    assert done.stderr.decode() == t("backup.not_regular", lang="en", path=str(pipe)) + "\n"
    assert state(tmp_path) == before


def test_a_restore_through_a_link_reads_the_backup(
    run: Run, filled: Path, good_backup: Path, tmp_path: Path
) -> None:
    link = tmp_path / "latest.db"
    link.symlink_to(good_backup)
    kept = state(good_backup.parent)
    assert run("restore", str(link)).exit_code == 0
    assert members_in(filled) == 1 and state(good_backup.parent) == kept


def test_a_read_only_registry_is_not_made_writable(
    run: Run, filled: Path, good_backup: Path
) -> None:
    """`restore` turned a registry kept read-only on purpose (0444) into a writable one."""
    filled.chmod(0o444)
    before = state(filled.parent)
    result = run("--lang", "en", "restore", str(good_backup))
    assert result.exit_code == 1
    assert result.stderr == t("restore.read_only", lang="en", path=str(filled)) + "\n"
    assert state(filled.parent) == before
    assert stat.S_IMODE(filled.stat().st_mode) == 0o444


def test_the_saved_wal_of_a_damaged_registry_is_private(
    run: Run, filled: Path, good_backup: Path
) -> None:
    """The `-wal` kept beside a damaged registry's saved copy was created 0644."""
    old = os.umask(0o022)
    try:
        filled.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
        Path(f"{filled}-wal").write_bytes(b"some pages of the damaged registry")
        Path(f"{filled}-shm").unlink(missing_ok=True)
        result = run("--lang", "en", "restore", str(good_backup))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    saved = next(filled.parent.glob("registry.before-restore.*.db"))
    saved_wal = Path(f"{saved}-wal")
    assert saved_wal.read_bytes() == b"some pages of the damaged registry"
    assert stat.S_IMODE(saved_wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert members_in(filled) == 1


def test_a_restore_on_a_full_disk_names_the_file_it_could_not_write(tmp_path: Path) -> None:
    """The current registry (1,200 members) cannot be saved: the message names the copy
    being saved, not the registry, and the registry is as it was."""
    live = make_registry(tmp_path / "live.db", people=1200)
    small = make_registry(tmp_path / "usb" / "small.db", people=1)
    conn = open_db(small)
    source = backup.backup(conn, small, tmp_path / "usb" / "backup.db").path
    conn.close()
    before, rows = state(tmp_path), registry_rows(live)
    done = tanhung(live, "restore", str(source), limit=live.stat().st_size // 2)
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert stderr.startswith("Cannot keep the current registry as "), stderr
    assert "live.before-restore." in stderr and "Traceback" not in stderr
    assert stderr.endswith("nothing was restored, the registry is unchanged.\n")
    assert registry_rows(live) == rows
    after = state(tmp_path)
    assert {k: v for k, v in after.items() if "-shm" not in k and "-wal" not in k} == {
        k: v for k, v in before.items() if "-shm" not in k and "-wal" not in k
    }


def test_a_full_disk_while_overwriting_names_the_registry_and_changes_nothing(
    run: Run, filled: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(live: sqlite3.Connection) -> None:
        live.execute("DELETE FROM main.settings")  # a first page written, then the disk is full
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(restore, "_overwrite", full)
    rows = registry_rows(filled)
    result = run("--lang", "en", "restore", str(good_backup))
    assert result.exit_code == 1
    assert result.stderr == (
        t("restore.cannot_write", lang="en", path=str(filled), reason="database or disk is full")
        + "\n"
    )
    assert registry_rows(filled) == rows
    assert not list(filled.parent.glob("registry.before-restore.*"))
    assert not list(filled.parent.glob(".registry.before-restore.*"))


# --- item 15: triggers ----------------------------------------------------------------


def drop_triggers(path: Path, *names: str) -> None:
    with closing(sqlite3.connect(path)) as c:
        for name in names:
            c.execute(f"DROP TRIGGER {name}")
        c.commit()


def test_the_append_only_triggers_are_those_the_migrations_make(db_path: Path) -> None:
    open_db(db_path).close()
    with closing(sqlite3.connect(db_path)) as c:
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert inspection.missing_triggers(c) == []
    assert set(inspection.APPEND_ONLY_TRIGGERS) <= names


def test_a_backup_without_its_audit_triggers_is_not_restored(
    run: Run, filled: Path, good_backup: Path
) -> None:
    drop_triggers(good_backup, "audit_no_update", "audit_no_delete")
    rows = registry_rows(filled)
    result = run("--lang", "en", "restore", str(good_backup))
    assert result.exit_code == 1
    assert (
        result.stderr
        == t(
            "backup.no_triggers",
            lang="en",
            path=str(good_backup),
            triggers="audit_no_update, audit_no_delete",
        )
        + "\n"
    )
    assert registry_rows(filled) == rows


def test_check_finds_missing_triggers(run: Run, filled: Path) -> None:
    drop_triggers(filled, "events_no_delete")
    result = run("--lang", "en", "check")
    assert result.exit_code == 1
    assert t("check.missing_trigger", lang="en", name="events_no_delete", table="events") in (
        result.stdout
    )


# --- the fault suite: killed at random moments ----------------------------------------------


def _kill_after(args: list[str], delay: float) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tanhung_cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def killed_backups(tmp_path: Path, kills: int, seed: int) -> list[str]:
    live = make_registry(tmp_path / "live.db", people=600)
    members_before = members_in(live)
    began = time.monotonic()
    assert tanhung(live, "backup", str(tmp_path / "timing.db")).returncode == 0
    duration = time.monotonic() - began
    (tmp_path / "timing.db").unlink()
    rng = random.Random(seed)
    outcomes = []
    for n in range(kills):
        target = tmp_path / f"out{n}" / "copy.db"
        before = state(tmp_path)
        _kill_after(
            ["--db", str(live), "backup", str(target)], duration * (n + rng.random()) / kills
        )
        assert members_in(live) == members_before
        if target.exists():  # under its name only when whole and verified
            assert inspection.inspect(target).members == members_before
            outcomes.append("whole")
        else:
            outcomes.append("none")
        assert world_readable(tmp_path, before) == []
        for name, (mode, digest) in before.items():
            if name != str(live) and "live.db-" not in name:
                assert state(Path(name).parent).get(name) == (mode, digest), name
    print(f"\n{kills} backups killed at random moments: {outcomes}, none half-written")
    return outcomes


# A few kills by default, more in the slow run (`pytest -m slow`).
KILLS = [(3, 1975), pytest.param(15, 2026, marks=pytest.mark.slow)]


@pytest.mark.parametrize(("kills", "seed"), KILLS)
def test_killed_backups_leave_a_whole_copy_or_none(tmp_path: Path, kills: int, seed: int) -> None:
    outcomes = killed_backups(tmp_path, kills=kills, seed=seed)
    assert len(outcomes) == kills


def killed_restores(tmp_path: Path, kills: int, seed: int) -> list[str]:
    template = make_registry(tmp_path / "template.db", people=600)
    small = make_registry(tmp_path / "usb" / "small.db", people=1)
    conn = open_db(small)
    source = backup.backup(conn, small, tmp_path / "usb" / "backup.db").path
    conn.close()
    source_state = state(source.parent)
    live = tmp_path / "live.db"

    def fresh() -> None:
        for old in tmp_path.glob("live*"):
            old.unlink()
        for old in tmp_path.glob(".live*"):
            old.unlink()
        live.write_bytes(template.read_bytes())
        live.chmod(0o600)

    fresh()
    began = time.monotonic()
    assert tanhung(live, "restore", str(source)).returncode == 0
    duration = time.monotonic() - began
    rng = random.Random(seed)
    outcomes = []
    for n in range(kills):
        fresh()
        before = state(tmp_path)
        _kill_after(
            ["--db", str(live), "restore", str(source)], duration * (n + rng.random()) / kills
        )
        count = members_in(live)
        assert count in (600, 1), count
        outcomes.append("before" if count == 600 else "restored")
        assert state(source.parent) == source_state
        assert world_readable(tmp_path, before) == []
        for saved in tmp_path.glob("live.before-restore.*.db"):
            assert members_in(saved) == 600
    print(f"\n{kills} restores killed at random moments: {outcomes}, nothing mixed")
    return outcomes


@pytest.mark.parametrize(
    ("kills", "seed"), [(3, 1930), pytest.param(15, 1945, marks=pytest.mark.slow)]
)
def test_killed_restores_leave_the_old_registry_or_the_new(
    tmp_path: Path, kills: int, seed: int
) -> None:
    outcomes = killed_restores(tmp_path, kills=kills, seed=seed)
    assert len(outcomes) == kills


# --- the table-by-table restore keeps what a page copy kept -------------------------------


def test_a_backup_of_an_older_schema_is_restored_and_brought_up_to_date(
    run: Run, filled: Path, tmp_path: Path
) -> None:
    """The backup's own tables, indexes, triggers and version come in; then the migrations."""
    old = make_registry(tmp_path / "old.db", people=2)
    with closing(sqlite3.connect(old)) as c:
        c.execute("DROP INDEX idx_members_roll")
        c.execute("DROP INDEX idx_members_admitted")
        c.execute("DROP INDEX idx_courses_start")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_report_indexes'")
        c.execute("PRAGMA user_version = 1")
        c.execute("PRAGMA journal_mode = DELETE")
        c.commit()
    result = run("--lang", "en", "restore", str(old))
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(filled)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        assert {"idx_members_roll", *inspection.APPEND_ONLY_TRIGGERS} <= names
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = [r[0] for r in c.execute("SELECT id FROM members ORDER BY id")]
    assert ids == [1, 2]
    # The saved registry is a verified migration-era backup of the 3 members it held.
    saved = next(filled.parent.glob("registry.before-restore.*.db"))
    assert inspection.inspect(saved).members == 3
    with closing(sqlite3.connect(filled)) as c, pytest.raises(sqlite3.IntegrityError):
        c.execute("DELETE FROM audit")


def test_a_restore_waits_in_the_open_and_changes_nothing_when_still_busy(
    run: Run, filled: Path, good_backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    rows, before = registry_rows(filled), state(good_backup.parent)
    clerk = hold_write_lock(filled)
    try:
        result = run("--lang", "en", "restore", str(good_backup))
    finally:
        clerk.execute("ROLLBACK")
        clerk.close()
    assert result.exit_code == 1
    assert result.stderr == (
        t("safety.waiting", lang="en", seconds=1) + "\n" + t("db.busy", lang="en") + "\n"
    )
    assert registry_rows(filled) == rows and state(good_backup.parent) == before
    assert not list(filled.parent.glob("*before-restore*"))
    assert not list(filled.parent.glob(".tanhung-restore-*"))


@pytest.mark.parametrize(
    "command",
    [["branch", "add", "Ấp Mới"], ["member", "edit", "1", "--phone", "0912345678"],
     ["member", "leave", "1", "--reason", "died", "--on", "01/01/2024"]],
)  # fmt: skip
def test_every_write_waits_in_the_open_once_within_the_busy_timeout(
    run: Run, filled: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """The class of item 12: every writing command took the lock through a retry of four
    15 s waits, in silence. Now one bounded wait, told at once, then "busy"; nothing changed."""
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    timeouts: list[int] = []
    real = waiting._set_timeout
    monkeypatch.setattr(waiting, "_set_timeout", lambda c, ms: (timeouts.append(ms), real(c, ms)))
    before = filled.read_bytes()
    clerk = hold_write_lock(filled)
    try:
        result = run("--lang", "en", *command)
    finally:
        clerk.execute("ROLLBACK")
        clerk.close()
    assert result.exit_code == 1
    assert result.stderr == (
        t("safety.waiting", lang="en", seconds=1) + "\n" + t("db.busy", lang="en") + "\n"
    )
    # A first short try, then waits that add up to the timeout once, never four times.
    assert timeouts[0] == waiting.FIRST_TRY_MS and max(timeouts[1:-1]) <= 300
    assert filled.read_bytes() == before
