"""Opening the registry never makes one by mistake, and works from read-only media.

Issue 10, items 1 (a 0-byte --db), 6 (a mistyped --db), 13 (read-only media) and 15
(unfinished copies left beside the registry; one migration backup for many clerks).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import DIEM, option_list
from typer.testing import CliRunner, Result

from tanhung_cli import backup, branches, db, i18n, migrations, registry_file
from tanhung_cli.cli import app
from tanhung_cli.db import open_db
from tanhung_cli.i18n import t

ADD = option_list(DIEM, card=None, cccd=None)


def invoke(path: Path | None, *args: str, lang: str = "en") -> Result:
    words = ["--db", str(path)] if path is not None else []
    result = CliRunner().invoke(app, [*words, "--lang", lang, *args])
    i18n.set_lang("vi")
    assert "Traceback" not in result.output
    return result


def registry(path: Path, members: int = 2) -> Path:
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    conn.close()
    for i in range(members):
        result = invoke(
            path, "member", "add", *option_list(ADD, name=f"Thạch Thị {'Sa' * (i + 1)}")
        )
        assert result.exit_code == 0, result.output
    return path


def members(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as c:
        return int(c.execute("SELECT count(*) FROM members").fetchone()[0])


READING = [
    ("member", "list"),
    ("member", "show", "1"),
    ("member", "find", "Diễm"),
    ("member", "history", "1"),
    ("member", "standing", "1"),
    ("branch", "list"),
    ("course", "list"),
    ("term", "list"),
    ("rating", "list", "2024"),
    ("report", "summary"),
    ("report", "branches"),
    ("due",),
    ("check",),
    ("audit",),
    ("backup",),
    ("export", "members"),
]


# Item 1, the database half: an empty file is not a new registry.


@pytest.mark.parametrize("args", [("check",), ("member", "list"), ("branch", "add", "Ấp Chợ")])
def test_a_zero_byte_registry_is_refused_by_every_command(tmp_path: Path, args: tuple) -> None:
    path = tmp_path / "tanhung.db"
    path.write_bytes(b"")
    result = invoke(path, *args)
    assert result.exit_code == 1
    assert result.stderr == t("db.empty_file", lang="en", path=str(path)) + "\n"
    assert "No problems found" not in result.output
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tanhung.db"]


def test_an_sqlite_file_without_tables_is_not_a_new_registry(tmp_path: Path) -> None:
    path = tmp_path / "blank.db"
    with closing(sqlite3.connect(path)) as c:
        c.execute("PRAGMA user_version = 0")
        c.execute("CREATE TABLE x (a)")
        c.execute("DROP TABLE x")  # a valid SQLite file with no table at all
    before = path.read_bytes()
    result = invoke(path, "branch", "add", "Ấp Chợ")
    assert result.exit_code == 1
    assert result.stderr == t("db.not_registry", lang="en", path=str(path)) + "\n"
    assert path.read_bytes() == before


# Item 6: a mistyped --db.


@pytest.mark.parametrize("args", READING, ids=[" ".join(a) for a in READING])
def test_a_reading_command_never_creates_a_registry(tmp_path: Path, args: tuple) -> None:
    path = tmp_path / "typo" / "tanhng.db"
    result = invoke(path, *args)
    assert result.exit_code == 1, result.output
    assert result.stderr == t("db.missing", lang="en", path=str(path)) + "\n"
    assert not path.parent.exists()
    (tmp_path / "typo").mkdir()
    assert invoke(path, *args).exit_code == 1
    assert list((tmp_path / "typo").iterdir()) == []


def test_a_relative_db_is_named_with_its_full_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(Path("tanhng.db"), "member", "list", lang="vi")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Không có sổ đảng viên tại {tmp_path / 'tanhng.db'}. Hãy kiểm tra đường dẫn --db"
        " (hoặc TANHUNG_DB); lệnh chỉ đọc không tạo sổ mới.\n"
    )


def test_a_dry_run_import_creates_nothing(tmp_path: Path) -> None:
    source = tmp_path / "chi-bo.csv"
    source.write_text("name,kind\nẤp Chợ,hamlet\n", encoding="utf-8")
    path = tmp_path / "new.db"
    result = invoke(path, "import", "branches", str(source), "--dry-run")
    assert result.exit_code == 1
    assert not path.exists()


def test_a_writing_command_creates_the_registry_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    first = invoke(path, "branch", "add", "Ấp Chợ", lang="vi")
    assert first.exit_code == 0, first.output
    assert first.stderr == f"Đã tạo sổ đảng viên mới: {path}\n"
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    second = invoke(path, "branch", "add", "Ấp Te Te")
    assert second.exit_code == 0 and second.stderr == ""
    assert invoke(path, "branch", "list").exit_code == 0
    # Nothing but the registry is left in the folder (no hidden file it was built in).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]


def test_a_writing_command_never_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "usb" / "so-dang-vien" / "tanhung.db"
    result = invoke(path, "branch", "add", "Ấp Chợ")
    assert result.exit_code == 1
    assert result.stderr == (
        t("db.no_folder", lang="en", folder=str(path.parent), path=str(path)) + "\n"
    )
    assert not (tmp_path / "usb").exists()


def test_the_default_folder_may_be_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TANHUNG_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = tmp_path / "data" / "tanhung" / "tanhung.db"
    assert invoke(None, "member", "list").exit_code == 1
    assert not (tmp_path / "data").exists()
    result = invoke(None, "branch", "add", "Ấp Chợ")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Created a new registry: {default}\n"
    assert default.exists()


def test_two_clerks_creating_one_registry_at_once_share_it(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        created = pool.map(_create, [path] * 8)
    assert sum(created) == 1
    conn = open_db(path, create=False)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    conn.close()


def _create(path: Path) -> bool:
    return registry_file.create_registry(path)


# Item 13: read-only media.


class Media:
    """A folder that cannot be written: ``source`` is where the test writes first,
    ``folder`` where commands read, once ``protect()`` has made it read-only."""

    def __init__(self, source: Path, folder: Path, protect: Callable[[], None]) -> None:
        self.source, self.folder, self.protect = source, folder, protect


def _simulate_read_only_media(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What SQLite and the OS answer on read-only media, for a root that permissions do
    not stop: no write access, and no -shm can be made (only immutable opens work)."""
    real_access, real_connect = os.access, sqlite3.connect

    def access(path: object, mode: int, *a: object, **kw: object) -> bool:
        if mode & os.W_OK and str(path).startswith(str(folder)):
            return False
        return real_access(path, mode, *a, **kw)  # type: ignore[arg-type]

    def connect(database: object, *a: object, **kw: object) -> sqlite3.Connection:
        name = unquote(str(database))
        if str(folder) in name and "immutable=1" not in name:
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.fixture(params=["mounted", "simulated"])
def media(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    source = tmp_path / "usb"
    source.mkdir()
    if request.param == "simulated":
        yield Media(source, source, lambda: _simulate_read_only_media(monkeypatch, source))
        return
    if os.geteuid() != 0:  # an ordinary user: permissions are the read-only media

        def chmod() -> None:
            for path in source.iterdir():
                path.chmod(0o444)
            source.chmod(0o555)

        yield Media(source, source, chmod)
        source.chmod(0o755)
        return
    mount = tmp_path / "ro"
    mount.mkdir()
    bound = subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"cannot bind-mount here to make read-only media: {bound.stderr!r}")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], capture_output=True)
        if ro.returncode != 0:
            pytest.skip(f"cannot remount read-only: {ro.stderr!r}")
        yield Media(source, mount, lambda: None)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_read_only_media_can_be_read_reported_and_backed_up(media: Media, tmp_path: Path) -> None:
    registry(media.source / "tanhung.db", members=3)
    media.protect()
    path = media.folder / "tanhung.db"
    before = path.read_bytes()
    listed = invoke(path, "member", "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.count('"full_name"') == 3
    assert invoke(path, "member", "show", "1").exit_code == 0
    assert invoke(path, "report", "summary", "--format", "json").exit_code == 0
    copy = tmp_path / "backup.db"
    backed = invoke(path, "backup", str(copy))
    assert backed.exit_code == 0, backed.output
    assert members(copy) == 3
    checked = invoke(path, "check")
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "No problems found: 3 members checked.\n"
    # A write is refused as such, and nothing changed.
    added = invoke(path, "member", "add", *ADD)
    assert added.exit_code == 1
    assert "read-only" in added.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in media.folder.iterdir()) == ["tanhung.db"]


def test_check_tells_permissions_from_damage(media: Media) -> None:
    """A -wal on read-only media without its -shm cannot be read there: that is not damage."""
    path = registry(media.source / "tanhung.db", members=2)
    holder = sqlite3.connect(path)
    holder.execute("SELECT count(*) FROM members").fetchone()
    assert invoke(path, "member", "add", *option_list(ADD, name="Lâm Văn Ba")).exit_code == 0
    shutil.copyfile(f"{path}-wal", media.source / "saved-wal")
    holder.close()
    os.replace(media.source / "saved-wal", f"{path}-wal")  # the stick was pulled out
    media.protect()
    seen = media.folder / "tanhung.db"
    result = invoke(seen, "check")
    assert result.exit_code == 1
    assert "The database file is damaged" not in result.output
    assert "Restore a backup" not in result.output
    assert result.stderr.startswith(f"Cannot open the registry {seen} read-only (")
    assert "The file is not judged damaged." in result.stderr


# Item 15: unfinished copies, and one migration backup for many clerks.


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_stale_unfinished_copies_are_removed_by_the_next_writer(tmp_path: Path) -> None:
    from tanhung_cli import leftovers

    path = registry(tmp_path / "tanhung.db", members=1)
    stale_backup = backup.partial_of(tmp_path / "tanhung.backup.20260101-101010.db")
    stale_backup.write_bytes(b"SQLite format 3\x00 names and CCCD")
    Path(f"{stale_backup}-journal").write_bytes(b"x")
    stale_restore = tmp_path / ".tanhung.db.restoring"
    stale_restore.write_bytes(b"SQLite format 3\x00")
    workdir = tmp_path / ".tanhung-restore-abc123"
    workdir.mkdir()
    (workdir / "incoming.db").write_bytes(b"x")
    for stale in (stale_backup, Path(f"{stale_backup}-journal"), stale_restore, workdir):
        _age(stale, leftovers.STALE_AFTER_S + 60)
    _age(workdir / "incoming.db", leftovers.STALE_AFTER_S + 60)
    live = backup.partial_of(tmp_path / "tanhung.backup.20260101-101500.db")
    live.write_bytes(b"being written")  # another clerk's backup, still running
    other = tmp_path / ".other.db.partial"  # not this registry's
    other.write_bytes(b"x")
    _age(other, leftovers.STALE_AFTER_S + 60)

    assert invoke(path, "member", "list").exit_code == 0  # readers remove nothing
    assert stale_backup.exists()
    result = invoke(path, "branch", "add", "Ấp Te Te", lang="vi")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Đã xóa 3 bản chép dở còn lại trong {tmp_path}")
    assert len(result.stderr.splitlines()) == 1
    assert not stale_backup.exists() and not Path(f"{stale_backup}-journal").exists()
    assert not stale_restore.exists() and not workdir.exists()
    assert live.exists() and other.exists()
    again = invoke(path, "branch", "add", "Ấp Nhứt")
    assert again.stderr == ""


def _open_old(path: Path, barrier: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    open_db(path).close()


def test_many_clerks_opening_an_old_registry_make_one_migration_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = registry(tmp_path / "tanhung.db", members=3)
    following = db.SCHEMA_VERSION + 1
    monkeypatch.setattr(db, "SCHEMA_VERSION", following)
    monkeypatch.setattr(migrations, "count", lambda: following)
    monkeypatch.setattr(migrations.migrations, "apply", lambda database: time.sleep(0.2))
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(6)
    clerks = [ctx.Process(target=_open_old, args=(path, barrier)) for _ in range(6)]
    for clerk in clerks:
        clerk.start()
    for clerk in clerks:
        clerk.join(60)
    assert [clerk.exitcode for clerk in clerks] == [0] * 6
    copies = list(tmp_path.glob(f"tanhung.before-schema-{following}.*.db"))
    assert len(copies) == 1
    assert members(copies[0]) == 3
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == following


def test_a_reopened_registry_still_refuses_replacing_audit_rows(tmp_path: Path) -> None:
    """REPLACE deletes the row it replaces: the delete trigger must see it on every
    connection, not only on the one that created the schema (sqlite-utils set
    recursive_triggers there)."""
    path = registry(tmp_path / "r.db", members=1)
    conn = open_db(path)
    try:
        rows = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="audit rows cannot be deleted"):
            conn.execute("INSERT OR REPLACE INTO audit SELECT * FROM audit")
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == rows
    finally:
        conn.close()
