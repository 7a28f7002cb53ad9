"""The one writer of the files a clerk asks for (outfile) and the one CSV writer (csvout)."""

from __future__ import annotations

import errno
import io
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import outfile
from tanhung_cli.csv_records import unneutralise as read_back
from tanhung_cli.csvout import keep_quotes, neutralise, unneutralise, write_csv
from tanhung_cli.errors import FileProblem
from tanhung_cli.outfile import Guard, refuse_target


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(outfile.TEMP_SUFFIX))


def write(target: Path, text: str = "new", guard: Guard | None = None) -> None:
    with (guard or Guard()).open(target) as fh:
        fh.write(text)


def refusal(target: Path, guard: Guard | None = None) -> str:
    with pytest.raises(FileProblem) as caught:
        write(target, guard=guard)
    assert str(target) in str(caught.value) or caught.value.key == "outfile.no_folder"
    return caught.value.key


def test_a_new_file_is_owner_only_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "ds.csv"
    write(target, "hello")
    assert target.read_text() == "hello" and mode(target) == 0o600
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_refused_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "ds.csv"
    target.write_text("old")
    target.chmod(0o644)
    assert refusal(target) == "outfile.exists"
    assert target.read_text() == "old"
    write(target, "new", Guard(force=True))
    assert target.read_text() == "new" and mode(target) == 0o600
    assert leftovers(tmp_path) == []


def make_registry(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c:
        c.execute("CREATE TABLE t (x)")
        c.commit()


@pytest.mark.parametrize("force", [False, True])
def test_never_the_registry_its_side_files_or_a_database(tmp_path: Path, force: bool) -> None:
    registry = tmp_path / "tanhung.db"
    make_registry(registry)
    before = registry.read_bytes()
    guard = Guard(force=force, registry=registry)
    assert refusal(registry, guard) == "outfile.is_registry"
    for side in ("-wal", "-shm", "-journal"):
        assert refusal(tmp_path / f"tanhung.db{side}", guard) == "outfile.is_registry"
    assert refusal(tmp_path / "other.db-wal", guard) == "outfile.is_side_file"
    backup = tmp_path / "backup.csv"  # a database, whatever its name
    make_registry(backup)
    assert refusal(backup, guard) == "outfile.is_database"
    linked = tmp_path / "hard.csv"
    os.link(registry, linked)
    assert refusal(linked, guard) == "outfile.is_registry"
    # The same registry named another way: a relative path, through a linked folder.
    (tmp_path / "via").symlink_to(tmp_path)
    assert refusal(tmp_path / "via" / "tanhung.db", guard) == "outfile.is_registry"
    assert registry.read_bytes() == before


@pytest.mark.parametrize("force", [False, True])
def test_links_folders_and_fifos_are_never_written(tmp_path: Path, force: bool) -> None:
    guard = Guard(force=force)
    other = tmp_path / "other.txt"
    other.write_text("keep")
    link = tmp_path / "roster.html"
    link.symlink_to(other)
    assert refusal(link, guard) == "outfile.is_symlink"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    assert refusal(dangling, guard) == "outfile.is_symlink"
    assert not (tmp_path / "nowhere.csv").exists()
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    assert refusal(folder, guard) == "outfile.is_directory"
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert refusal(fifo, guard) == "outfile.not_regular"
    assert other.read_text() == "keep" and link.is_symlink()
    assert leftovers(tmp_path) == []


def test_a_file_the_command_reads_is_refused_even_forced(tmp_path: Path) -> None:
    source = tmp_path / "ds.csv"
    source.write_text("rows")
    guard = Guard(force=True).reading(source)
    assert refusal(source, guard) == "outfile.is_input"
    os.link(source, tmp_path / "same.csv")
    assert refusal(tmp_path / "same.csv", guard) == "outfile.is_input"
    assert source.read_text() == "rows"


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "usb" / "ds.csv"
    with pytest.raises(FileProblem) as caught:
        refuse_target(target)
    assert caught.value.key == "outfile.no_folder" and str(target) in str(caught.value)
    assert not (tmp_path / "usb").exists()


@pytest.mark.parametrize("existing", [None, "old"])
def test_a_failure_midway_leaves_the_name_as_it_was(tmp_path: Path, existing: str | None) -> None:
    target = tmp_path / "ds.csv"
    if existing:
        target.write_text(existing)
    with pytest.raises(RuntimeError), Guard(force=True).open(target) as fh:
        fh.write("half")
        raise RuntimeError("killed")
    assert (target.read_text() if target.exists() else None) == existing
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EIO])
def test_a_full_disk_names_the_file_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outfile.os, "fsync", full)
    target = tmp_path / "ds.csv"
    with pytest.raises(FileProblem) as caught:
        write(target, "x" * 10_000)
    assert str(target) in str(caught.value)
    assert caught.value.key == (
        "outfile.cannot_write" if code == errno.EIO else "outfile.disk_full"
    )
    assert not target.exists() and leftovers(tmp_path) == []


def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "ds.csv"
    with pytest.raises(FileProblem) as caught, Guard().open(target) as fh:
        fh.write("mine")
        target.write_text("another clerk's")
    assert caught.value.key == "outfile.exists"
    assert target.read_text() == "another clerk's" and leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP])
def test_without_hard_links_the_name_is_checked_then_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outfile.os, "link", no_links)  # a FAT-formatted USB stick
    target = tmp_path / "ds.csv"
    write(target, "one")
    assert target.read_text() == "one" and mode(target) == 0o600
    second = tmp_path / "second.csv"
    with pytest.raises(FileProblem), Guard().open(second) as fh:
        fh.write("two")
        second.write_text("meanwhile")
    assert second.read_text() == "meanwhile" and leftovers(tmp_path) == []


def test_what_a_killed_writer_left_is_swept(tmp_path: Path) -> None:
    dead = tmp_path / ".ds.csv.999999999.abcd.partial"  # no such process
    alive = tmp_path / f".ds.csv.{os.getpid()}.abcd.partial"
    dead.write_text("half")
    alive.write_text("being written")
    write(tmp_path / "ds.csv")
    assert not dead.exists() and alive.exists()


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+84912", "-5", "@SUM(A1)", "\t=x", "\r=x", "'=1+1", "''=x", "'''-1", "'",
     "''", "'Ấp", "Ấp Chợ", "", "a=b", "'0123", "=", "'+"],
)  # fmt: skip
def test_the_neutraliser_is_undone_exactly_on_reading(value: str) -> None:
    written = neutralise(value)
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unneutralise(written) == value and read_back(written) == value
    assert read_back(keep_quotes(value)) == value  # a workbook's text cell


def test_numbers_are_never_mangled() -> None:
    out = io.StringIO()
    write_csv(out, ["n", "text"], [[-5, "-5"], [-1.5, "=cmd"], [None, "@x"]])
    assert out.getvalue().splitlines() == ["n,text", "-5,'-5", "-1.5,'=cmd", ",'@x"]
