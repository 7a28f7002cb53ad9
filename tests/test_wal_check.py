"""A ``-wal`` that does not belong to the registry beside it is refused, never replayed.

Issue 10, item 3: a clerk copies registry B over ``tanhung.db`` while the ``-wal`` of an
earlier crash of registry A is beside it; the first command, even `check`, replayed A's
log into B and truncated it for good.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, option_list
from typer.testing import CliRunner, Result

from tanhung_cli import branches, i18n
from tanhung_cli.db import open_db
from tanhung_cli.i18n import t

ADD = option_list(DIEM, card=None, cccd=None)


def invoke(path: Path, *args: str) -> Result:
    result = CliRunner().invoke(app_(), ["--db", str(path), "--lang", "en", *args])
    i18n.set_lang("vi")
    assert "Traceback" not in result.output
    return result


def app_():  # type: ignore[no-untyped-def]
    from tanhung_cli.cli import app

    return app


def registry(path: Path, members: int, prefix: str = "Thạch Thị") -> Path:
    conn = open_db(path)
    branches.add_branch(conn, "Ấp Chợ")
    conn.close()
    add(path, members, prefix)
    return path


def add(path: Path, members: int, prefix: str) -> None:
    for i in range(members):
        name = f"{prefix} {'Sa' * (i % 9 + 1)} {chr(65 + i // 9 % 26)}"
        result = invoke(path, "member", "add", *option_list(ADD, name=name))
        assert result.exit_code == 0, result.output


def count(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)) as c:
        return int(c.execute("SELECT count(*) FROM members").fetchone()[0])


def crash_wal(path: Path, more: int, keep: Path) -> None:
    """Add ``more`` members to ``path`` and keep its -wal as a crash would leave it."""
    holder = sqlite3.connect(path)  # another clerk's open connection: no checkpoint on close
    holder.execute("SELECT count(*) FROM members").fetchone()
    add(path, more, "Lâm Văn")
    shutil.copyfile(f"{path}-wal", keep)
    holder.close()


@pytest.mark.parametrize(
    ("a_members", "b_members"), [(3, 40), (40, 3)], ids=["B-larger", "B-smaller"]
)
@pytest.mark.parametrize("command", [("check",), ("member", "list"), ("member", "add", *ADD)])
def test_a_stale_wal_beside_a_copied_in_registry_is_refused(
    tmp_path: Path, a_members: int, b_members: int, command: tuple
) -> None:
    a = registry(tmp_path / "a.db", a_members)
    stale = tmp_path / "stale-wal"
    crash_wal(a, 4, stale)
    b = registry(tmp_path / "b.db", b_members, "Danh Văn")
    office = tmp_path / "office"
    office.mkdir()
    live = office / "tanhung.db"
    shutil.copyfile(b, live)
    wal = Path(f"{live}-wal")
    shutil.copyfile(stale, wal)
    refused_then_moved(live, command, tmp_path, b_members)


def refused_then_moved(live: Path, command: tuple, tmp_path: Path, members: int) -> None:
    """``command`` refuses the -wal beside ``live``, changing nothing; moved away as the
    message says, the copied-in registry is whole, with its ``members``."""
    wal = Path(f"{live}-wal")
    before, log = live.read_bytes(), wal.read_bytes()
    result = invoke(live, *command)
    assert result.exit_code == 1
    assert result.stderr == t("db.foreign_wal", lang="en", wal=str(wal), path=str(live)) + "\n"
    assert live.read_bytes() == before and wal.read_bytes() == log
    shutil.move(wal, tmp_path / "moved-wal")
    Path(f"{live}-shm").unlink(missing_ok=True)
    assert invoke(live, "check").exit_code == 0
    assert count(live) == members


@pytest.mark.parametrize("command", [("check",), ("member", "list")])
def test_a_stale_wal_of_a_registry_the_same_size_is_refused(tmp_path: Path, command: tuple) -> None:
    """The copied-in file is an earlier copy of the same registry, of the same size: the
    log's sizes fit it, and replayed it left the registry "malformed" (seen by hand: `check`
    advised a restore, then `member list` wrote the log into the file for good)."""
    live = registry(tmp_path / "tanhung.db", 1)
    assert invoke(live, "backup", str(tmp_path / "b1.db")).exit_code == 0
    add(live, 1, "Kim Văn")
    assert invoke(live, "restore", str(tmp_path / "b1.db")).exit_code == 0
    [earlier] = tmp_path.glob("tanhung.before-restore.*.db")  # the file before the restore
    stale = tmp_path / "stale-wal"
    crash_wal(live, 2, stale)  # then a crash, and the clerk copies the earlier file back
    shutil.copyfile(earlier, live)
    wal = Path(f"{live}-wal")
    shutil.copyfile(stale, wal)
    Path(f"{live}-shm").unlink(missing_ok=True)
    from tanhung_cli.wal_check import foreign_wal

    assert live.stat().st_size == earlier.stat().st_size  # what makes the log fit the file
    # The sizes alone cannot tell when the restore leaves the file as large as the backup
    # (schema 14); with schema 15 (the badge register) the restore's rewrite grows the
    # schema table by a page and they do tell. The command must refuse either way.
    assert foreign_wal(live) in (None, Path(f"{live}-wal"))
    refused_then_moved(live, command, tmp_path, 2)


def test_a_stale_wal_beside_a_missing_registry_is_refused(tmp_path: Path) -> None:
    a = registry(tmp_path / "a.db", 3)
    live = tmp_path / "office.db"
    crash_wal(a, 2, Path(f"{live}-wal"))
    result = invoke(live, "branch", "add", "Ấp Te Te")
    assert result.exit_code == 1
    assert result.stderr.startswith("The write-ahead log ")
    assert not live.exists()


def test_the_registry_own_wal_after_a_crash_is_recovered(tmp_path: Path) -> None:
    """The same file with its own log, as a crash leaves them: the last adds are kept."""
    a = registry(tmp_path / "a.db", 5)
    holder = sqlite3.connect(a)
    holder.execute("SELECT count(*) FROM members").fetchone()
    add(a, 3, "Lâm Văn")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{a}{suffix}", crashed / f"tanhung.db{suffix}")
    holder.close()
    from tanhung_cli.wal_check import foreign_wal

    assert foreign_wal(crashed / "tanhung.db") is None
    result = invoke(crashed / "tanhung.db", "member", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.count('"full_name"') == 8


def _writer(path: Path, rounds: int) -> None:
    conn = open_db(path)
    conn.execute("PRAGMA wal_autocheckpoint = 20")  # checkpoints and restarts the log often
    for i in range(rounds):
        with conn:
            conn.execute(
                "INSERT INTO audit (at, action, entity, detail) VALUES ('now', 'x', 'y', ?)",
                ("z" * (50 + i % 3000),),
            )
    conn.close()


def test_a_live_wal_is_never_taken_for_a_stale_one(tmp_path: Path) -> None:
    """Other clerks write, checkpoint and restart the log while the log is judged."""
    from tanhung_cli.wal_check import foreign_wal

    path = registry(tmp_path / "r.db", 2)
    holder = open_db(path)  # keeps the log in use between the writers
    ctx = multiprocessing.get_context("fork")
    writers = [ctx.Process(target=_writer, args=(path, 400)) for _ in range(2)]
    for w in writers:
        w.start()
    judged = 0
    while any(w.is_alive() for w in writers):
        assert foreign_wal(path) is None
        judged += 1
    for w in writers:
        w.join()
    assert [w.exitcode for w in writers] == [0, 0]
    holder.close()
    assert judged > 10


def test_check_changes_nothing_even_with_the_registry_own_wal(tmp_path: Path) -> None:
    """`check` opens read-only: it neither checkpoints a log into the file nor removes it."""
    a = registry(tmp_path / "a.db", 3)
    holder = sqlite3.connect(a)
    holder.execute("SELECT count(*) FROM members").fetchone()
    add(a, 2, "Lâm Văn")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{a}{suffix}", crashed / f"tanhung.db{suffix}")
    holder.close()
    live = crashed / "tanhung.db"
    before, log = live.read_bytes(), Path(f"{live}-wal").read_bytes()
    result = invoke(live, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "No problems found: 5 members checked.\n"
    assert live.read_bytes() == before
    assert Path(f"{live}-wal").read_bytes() == log


def _foreign_pair(tmp_path: Path) -> tuple[Path, Path]:
    a = registry(tmp_path / "a.db", 3)
    live = registry(tmp_path / "b.db", 30, "Danh Văn")
    crash_wal(a, 3, Path(f"{live}-wal"))
    return live, Path(f"{live}-wal")


def test_the_checksums_are_sqlite_own(tmp_path: Path) -> None:
    """Every frame of a real log carries the checksum `wal_check` computes."""
    import mmap
    import struct

    from tanhung_cli import wal_check

    live, wal = _foreign_pair(tmp_path)
    with wal.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as log:
        magic, _, page_size = struct.unpack(">3I", log[:12])
        frames = (len(log) - 32) // (24 + page_size)
        assert frames > 3
        assert wal_check._checksums_hold(log, magic, page_size, frames)
        assert not wal_check._checksums_hold(log, magic ^ 1, page_size, frames)


@pytest.mark.parametrize(
    "damage",
    ["header-only", "bad-magic", "torn-first-frame", "cut-mid-frame"],
)
def test_a_log_sqlite_would_not_replay_is_not_refused(tmp_path: Path, damage: str) -> None:
    """What SQLite ignores (no valid committed frame) cannot harm the file: not refused."""
    from tanhung_cli.wal_check import foreign_wal

    live, wal = _foreign_pair(tmp_path)
    assert foreign_wal(live) == wal
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    if damage == "header-only":
        data = data[:32]
    elif damage == "bad-magic":
        data[0:4] = b"\x00\x00\x00\x00"
    elif damage == "torn-first-frame":
        data[32 + 24 + 100] ^= 0xFF  # the first frame's page: its checksum no longer holds
    else:
        data = data[: 32 + 24 + page_size // 2]
    wal.write_bytes(bytes(data))
    assert foreign_wal(live) is None
    result = invoke(live, "check")  # what SQLite itself makes of the log: nothing
    assert result.exit_code == 0, result.output
    assert result.stdout == "No problems found: 30 members checked.\n"
    assert count(live) == 30
