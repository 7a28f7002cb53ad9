"""`tanhung backup` and `tanhung restore`: verified, owner-only copies, safe while others write."""

from __future__ import annotations

import re
import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from typer.testing import CliRunner

from tanhung_cli import backup, branches, db, inspection, members, migrations, restore
from tanhung_cli.cli import app
from tanhung_cli.db import open_db
from tanhung_cli.errors import Conflict, Invalid, NotFound


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def count(path: Path, table: str = "members") -> int:
    with closing(sqlite3.connect(path)) as c:
        return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def person(i: int) -> dict[str, str]:
    return {
        "full_name": f"Thạch Văn {chr(ord('A') + i % 26)}{'a' * (i // 26 % 5)}",
        "gender": "Nam",
        "birth_date": f"{1960 + i % 30}-0{1 + i % 9}-1{i % 9}",
        "ethnicity": "Khmer",
        "branch": "Ấp Chợ",
        "admitted_on": "2010-05-19",
        "official_on": "2011-05-19",
    }


@pytest.fixture
def filled(db_path: Path) -> Path:
    """A registry with one branch and three members."""
    conn = open_db(db_path)
    branches.add_branch(conn, "Ấp Chợ")
    for i in range(3):
        members.add_member(conn, person(i))
    conn.close()
    return db_path


def test_backup_is_timestamped_verified_and_private(run: Run, filled: Path) -> None:
    result = run("--lang", "en", "backup")
    assert result.exit_code == 0, result.output
    copies = list(filled.parent.glob("registry.backup.*.db"))
    assert len(copies) == 1
    copy = copies[0]
    assert re.fullmatch(r"registry\.backup\.\d{8}-\d{6}\.db", copy.name)
    assert result.stdout.startswith(f"Backed up the registry to {copy}: 3 members, 3 events, 4 ")
    assert "verified" in result.stdout
    assert mode(copy) == 0o600
    assert mode(filled) == 0o600
    assert count(copy) == 3
    # One self-contained file, no WAL side files to forget when copying it away.
    assert not Path(f"{copy}-wal").exists()
    assert copy.read_bytes()[18:20] == b"\x01\x01"
    assert inspection.inspect(copy).counts == {"members": 3, "branches": 1, "events": 3, "audit": 4}
    # The backup itself is recorded in the live registry's audit trail.
    with closing(sqlite3.connect(filled)) as c:
        action, detail = c.execute("SELECT action, detail FROM audit ORDER BY id DESC").fetchone()
    assert action == "backup" and str(copy) in detail


def test_backup_to_a_named_file_refuses_to_overwrite(
    run: Run, filled: Path, tmp_path: Path
) -> None:
    target = tmp_path / "sub" / "copy.db"
    assert run("backup", str(target)).exit_code == 0
    assert count(target) == 3
    again = run("--lang", "en", "backup", str(target))
    assert again.exit_code == 1
    assert again.stderr == (
        f"The file {target} already exists; it is not overwritten. Choose another name,"
        " or give none for a timestamped one.\n"
    )
    folder = run("--lang", "en", "backup", str(tmp_path))
    assert folder.exit_code == 1
    assert folder.stderr.startswith(f"{tmp_path} is a folder; name the backup file")


def test_restore_round_trip(run: Run, filled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "before.db"
    assert run("backup", str(copy)).exit_code == 0
    added = run("member", "add", *option_list(DIEM, branch="Ấp Chợ"))
    assert added.exit_code == 0, added.output
    assert count(filled) == 4

    result = run("--lang", "en", "restore", str(copy))
    assert result.exit_code == 0, result.output
    saved = next(filled.parent.glob("registry.before-restore.*.db"))
    assert result.stdout == (
        f"Restored the registry from {copy}: 3 members, 3 events, 4 audit rows.\n"
        f"The registry it replaced (4 members) was kept as {saved}.\n"
    )
    assert count(filled) == 3
    assert count(saved) == 4 and mode(saved) == 0o600 and mode(filled) == 0o600
    listed = run("member", "find", "Diễm")
    assert listed.exit_code == 1
    with closing(sqlite3.connect(filled)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT action FROM audit ORDER BY id DESC").fetchone()[0] == "restore"
    # Restoring the saved file brings the newer registry back: nothing was lost.
    assert run("restore", str(saved)).exit_code == 0
    assert count(filled) == 4


def test_restore_over_an_unreadable_file_keeps_its_bytes(
    run: Run, filled: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "good.db"
    assert run("backup", str(copy)).exit_code == 0
    filled.write_bytes(b"not a database at all")
    for side in ("-wal", "-shm"):
        Path(f"{filled}{side}").unlink(missing_ok=True)
    result = run("--lang", "en", "restore", str(copy))
    assert result.exit_code == 0, result.output
    saved = next(filled.parent.glob("registry.before-restore.*.db"))
    assert saved.read_bytes() == b"not a database at all"
    assert "(unreadable) was kept as it was in" in result.stdout
    assert count(filled) == 3


def test_restore_into_a_new_place(run: Run, filled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "good.db"
    assert run("backup", str(copy)).exit_code == 0
    fresh = tmp_path / "other" / "new.db"
    done = restore.restore(fresh, copy)
    assert done.saved is None and done.source.members == 3
    assert count(fresh) == 3 and mode(fresh) == 0o600


def _other_program(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c:
        c.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")


def _newer(path: Path) -> None:
    open_db(path).close()
    with closing(sqlite3.connect(path)) as c:
        c.execute("PRAGMA user_version = 99")


def _truncated(path: Path) -> None:
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    for i in range(200):
        members.add_member(conn, person(i))
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


REFUSED = {
    "text": (lambda p: p.write_text("Họ và tên;Ngày sinh\n"), "is not a registry backup"),
    "missing": (lambda p: None, "There is no file"),
    "folder": (lambda p: p.mkdir(), "is a folder, not a backup file"),
    "other-program": (_other_program, "is an SQLite database but not a registry"),
    "newer": (
        _newer,
        f"was written by a newer version (schema 99; this version knows {db.SCHEMA_VERSION})",
    ),
    "truncated": (_truncated, "is damaged and cannot be restored"),
}


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_restore_refuses_what_is_not_a_sound_registry(
    kind: str, run: Run, filled: Path, tmp_path: Path
) -> None:
    make, message = REFUSED[kind]
    source = tmp_path / f"{kind}.db"
    make(source)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("--lang", "en", "restore", str(source))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"There is no file {source}" if kind == "missing" else str(source)
    )
    assert message in result.stderr
    assert "Traceback" not in result.output
    # Refused: nothing replaced, nothing saved, no temporary left behind.
    assert count(filled) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_restore_never_overwrites_another_programs_database(
    run: Run, filled: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "good.db"
    assert run("backup", str(copy)).exit_code == 0
    other = tmp_path / "photos.db"
    _other_program(other)
    before = other.read_bytes()
    result = CliRunner().invoke(app, ["--db", str(other), "--lang", "en", "restore", str(copy)])
    assert result.exit_code == 1
    assert result.stderr == f"{other} is an SQLite database of another program, not a registry.\n"
    assert other.read_bytes() == before
    assert not list(tmp_path.glob("photos.before-restore.*"))


def test_restore_refuses_the_registry_itself(filled: Path) -> None:
    with pytest.raises(Invalid) as refused:
        restore.restore(filled, filled)
    assert refused.value.key == "backup.same_file"


def test_domain_errors(filled: Path, tmp_path: Path) -> None:
    conn = open_db(filled)
    try:
        target = tmp_path / "x.db"
        assert backup.backup(conn, filled, target).members == 3
        with pytest.raises(Conflict):
            backup.backup(conn, filled, target)
    finally:
        conn.close()
    with pytest.raises(NotFound):
        inspection.inspect(tmp_path / "nothing.db")


def test_migration_takes_a_backup_first(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before a new migration changes an existing file, a private copy is taken."""
    following = db.SCHEMA_VERSION + 1
    monkeypatch.setattr(db, "SCHEMA_VERSION", following)
    monkeypatch.setattr(migrations, "count", lambda: following)
    monkeypatch.setattr(migrations.migrations, "apply", lambda database: None)
    open_db(filled).close()
    copies = list(filled.parent.glob(f"registry.before-schema-{following}.*.db"))
    assert len(copies) == 1
    assert mode(copies[0]) == 0o600 and count(copies[0]) == 3


def test_backup_and_restore_while_another_clerk_writes(filled: Path, tmp_path: Path) -> None:
    """Copies taken mid-stream are consistent snapshots; a restore mid-stream loses no write."""
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def clerk() -> None:
        conn = open_db(filled)
        try:
            i = 100
            while not stop.is_set() and i < 700:
                written.append(members.add_member(conn, person(i)).member_id)
                i += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    writer = threading.Thread(target=clerk)
    writer.start()
    conn = open_db(filled)
    copies = []
    try:
        for n in range(5):
            copy = backup.backup(conn, filled, tmp_path / f"copy{n}.db")
            copies.append(copy)
        restored = restore.restore(filled, copies[2].path)
    finally:
        conn.close()
        stop.set()
        writer.join()
    assert not errors, errors
    sizes = [c.members for c in copies]
    assert sizes == sorted(sizes) and sizes[-1] > 3
    for copy in copies:
        # Every member in a copy has its history row and its audit row: no half writes.
        assert count(copy.path, "events") == copy.members
        with closing(sqlite3.connect(copy.path)) as c:
            adds = c.execute("SELECT count(*) FROM audit WHERE action = 'add'").fetchone()[0]
        assert adds == copy.members + 1  # and the branch
    assert restored.source.members == copies[2].members
    with closing(sqlite3.connect(filled)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        members_now = c.execute("SELECT count(*) FROM members").fetchone()[0]
        events_now = c.execute("SELECT count(*) FROM events").fetchone()[0]
    assert members_now == events_now
    # The restore happened between two of the clerk's writes: what was written after it is
    # in the registry, what was written before it is in the saved copy.
    assert restored.saved is not None
    assert members_now >= copies[2].members
    assert count(restored.saved) >= copies[-1].members


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_exports_are_private_and_say_they_hold_personal_data(
    run: Run, filled: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"roll.{fmt}"
    result = run("--lang", "en", "export", "members", "-o", str(target), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    assert "personal data" in result.stderr


def test_a_copy_that_fails_verification_leaves_nothing(
    run: Run, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = inspection.inspect

    def short(path: Path, shown: Path | None = None, **kw: bool) -> inspection.Copy:
        copy = real(path, shown, **kw)
        copy.counts["members"] -= 1  # as if a page had gone missing on the way
        return copy

    monkeypatch.setattr(inspection, "inspect", short)
    target = tmp_path / "copy.db"
    result = run("--lang", "en", "backup", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"The copy {target} does not match the registry; it was discarded."
        " Run tanhung check, then back up again.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == []
    with closing(sqlite3.connect(filled)) as c:
        assert c.execute("SELECT count(*) FROM audit WHERE action = 'backup'").fetchone()[0] == 0


def test_a_copy_takes_its_name_only_when_whole(tmp_path: Path) -> None:
    """A name is claimed by the copy's hidden partial file: a process killed before the
    copy is verified leaves nothing under the backup's name (it left an empty file)."""
    registry = tmp_path / "r.db"
    conn = db.open_db(registry)
    saved = backup.reserve(registry, "before-restore")
    assert not saved.exists() and backup.partial_of(saved).exists()
    assert backup.reserve(registry, "before-restore") != saved  # the name is taken
    backup.copy_verified(conn, saved, reserved=True)
    conn.close()
    assert saved.exists() and not backup.partial_of(saved).exists()
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_backup_and_restore_in_a_folder_whose_name_has_hash_or_question_marks(
    tmp_path: Path,
) -> None:
    """SQLite URIs end the file name at "?" or "#": a backup in "Sổ #2" was refused as
    "not a registry" and a restore as "no file". Every read-only opening quotes the path."""
    from typer.testing import CliRunner

    from tanhung_cli.cli import app

    folder = tmp_path / "Sổ #2 ?"
    folder.mkdir()
    registry = folder / "tanhung.db"
    db = ["--db", str(registry)]
    runner = CliRunner()
    assert runner.invoke(app, [*db, "branch", "add", "Ấp Chợ"]).exit_code == 0
    saved = runner.invoke(app, [*db, "backup", str(folder / "b.db")])
    assert saved.exit_code == 0, saved.output
    restored = runner.invoke(app, [*db, "restore", str(folder / "b.db")])
    assert restored.exit_code == 0, restored.output
    assert runner.invoke(app, [*db, "check"]).exit_code == 0
    assert count(registry, "branches") == 1
