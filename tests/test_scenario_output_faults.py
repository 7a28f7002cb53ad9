"""Fault injection for every file the registry writes for a clerk: exports, rejects, reports.

For each writer, the target is absent, existing, a symbolic link (to the registry, to
another file), a folder, in a read-only folder, a FIFO, on a full disk, and the process
is killed at random points. The registry and every file that was there before are
unchanged unless the command succeeded, and nothing it writes is readable by others.
"""

from __future__ import annotations

import errno
import itertools
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DIEM, Run
from typer.testing import CliRunner

from tanhung_cli import outfile
from tanhung_cli.cli import app
from tanhung_cli.i18n import set_lang

BAD_ROWS = (
    "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n"
    "Lê Văn Tư,Nam,31/02/1980,Kinh,Ấp Chợ,03/02/2015\n"
    "Lê Văn Năm,Nam,02/03/1980,Kinh,Ấp Chợ,03/02/2015\n"
    "Lê Văn Sáu,Nam,02/13/1980,Kinh,Ấp Chợ,03/02/2015\n"
)


@dataclass(frozen=True)
class Writer:
    """A command that writes a file the clerk names, and what a whole file holds."""

    name: str
    suffix: str
    words: Callable[[Path, Path], list[str]]  # (target, input file) -> command words
    marker: bytes  # found in every whole file (not for workbooks: zipped)


def _export(target: Path, incoming: Path) -> list[str]:
    return ["export", "members", "-o", str(target)]


def _rejects(target: Path, incoming: Path) -> list[str]:
    return ["import", "members", str(incoming), "--skip-invalid", "--dry-run",
            "--rejects", str(target)]  # fmt: skip


def _report(target: Path, incoming: Path) -> list[str]:
    return ["report", "roster", "--branch", "Ấp Chợ", "--output", str(target)]


NAME = "Nguyễn Thị Kiều Diễm".encode()
WRITERS = [
    Writer("export-csv", ".csv", _export, NAME),
    Writer("export-xlsx", ".xlsx", _export, b""),
    Writer("export-json", ".json", _export, NAME),
    Writer("rejects-csv", ".csv", _rejects, b"31/02/1980"),
    Writer("rejects-xlsx", ".xlsx", _rejects, b""),
    Writer("report-md", ".md", _report, NAME),
    Writer(
        "report-html", ".html", _report, "Nguyễn Thị".encode()
    ),  # the name wraps (the form has 14 columns)
    Writer("report-csv", ".csv", _report, NAME),
    Writer("report-json", ".json", _report, NAME),
]
by_writer = pytest.mark.parametrize("writer", WRITERS, ids=[w.name for w in WRITERS])


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file under ``folder`` (a link as where it points), the registry's -wal/-shm
    aside: SQLite's own, and emptied by a checkpoint."""
    files: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            files[name] = "-> " + os.readlink(path)
        elif path.is_file() and not path.name.endswith(("-wal", "-shm")):
            files[name] = path.read_bytes()
    return files


def whole(writer: Writer, target: Path) -> bool:
    if writer.suffix == ".xlsx":
        with zipfile.ZipFile(target) as book:
            return book.testzip() is None
    data = target.read_bytes()
    return writer.marker in data and (writer.suffix != ".html" or data.endswith(b"</html>\n"))


def private(folder: Path, before: dict[str, bytes | str]) -> None:
    """Nothing new in ``folder`` is readable by anyone but its owner."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and str(path.relative_to(folder)) not in before:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*" + outfile.TEMP_SUFFIX)]


@pytest.fixture
def world(run: Run, branches: None, tmp_path: Path) -> Path:
    """A registry with a member, and a file of rows an import rejects."""
    assert run("member", "add", *DIEM).exit_code == 0
    incoming = tmp_path / "incoming.csv"
    incoming.write_text(BAD_ROWS, encoding="utf-8")
    return incoming


def refused(result, target: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert str(target) in result.stderr and "Traceback" not in result.output


@by_writer
def test_absent_target_is_written_whole_and_owner_only(
    run: Run, world: Path, tmp_path: Path, writer: Writer
) -> None:
    before = snapshot(tmp_path)
    target = tmp_path / f"out{writer.suffix}"
    result = run(*writer.words(target, world))
    assert result.exit_code == 0, result.output
    assert whole(writer, target) and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []
    private(tmp_path, before)
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before


@by_writer
def test_existing_target_is_refused_and_replaced_only_with_force(
    run: Run, world: Path, tmp_path: Path, writer: Writer
) -> None:
    target = tmp_path / f"out{writer.suffix}"
    target.write_bytes(b"the clerk's own file")
    target.chmod(0o644)
    before = snapshot(tmp_path)
    refused(run(*writer.words(target, world)), target)
    assert snapshot(tmp_path) == before
    result = run(*writer.words(target, world), "--force")
    assert result.exit_code == 0, result.output
    assert whole(writer, target) and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


@by_writer
@pytest.mark.parametrize("kind", ["link-to-registry", "link-to-file", "folder", "fifo"])
def test_links_folders_and_fifos_are_refused_even_forced(
    run: Run, world: Path, tmp_path: Path, db_path: Path, writer: Writer, kind: str
) -> None:
    target = tmp_path / f"out{writer.suffix}"
    if kind == "link-to-registry":
        target.symlink_to(db_path)
    elif kind == "link-to-file":
        (tmp_path / "other.txt").write_text("keep me")
        target.symlink_to(tmp_path / "other.txt")
    elif kind == "folder":
        target.mkdir()
        (target / "inside.txt").write_text("keep me")
    else:
        os.mkfifo(target)
    before = snapshot(tmp_path)
    for force in ([], ["--force"]):
        refused(run(*writer.words(target, world), *force), target)
        assert snapshot(tmp_path) == before
        assert leftovers(tmp_path) == []


@by_writer
def test_a_read_only_folder_is_told_and_nothing_is_written(
    run: Run, world: Path, tmp_path: Path, writer: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    folder.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: the stick is write-protected instead
        real = os.open

        def protected(path: object, flags: int, *args: object, **kw: object) -> int:
            if flags & os.O_CREAT and Path(str(path)).parent == folder:
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real(path, flags, *args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(outfile.os, "open", protected)
    before = snapshot(tmp_path)
    target = folder / f"out{writer.suffix}"
    try:
        refused(run(*writer.words(target, world)), target)
    finally:
        folder.chmod(0o700)
    assert snapshot(tmp_path) == before


@by_writer
def test_a_missing_folder_is_not_created(
    run: Run, world: Path, tmp_path: Path, writer: Writer
) -> None:
    target = tmp_path / "unplugged" / f"out{writer.suffix}"
    refused(run(*writer.words(target, world)), target)
    assert not target.parent.exists()


@by_writer
@pytest.mark.parametrize("existing", [False, True], ids=["absent", "forced-over"])
def test_a_full_disk_names_the_file_and_keeps_what_was_there(
    run: Run, world: Path, tmp_path: Path, writer: Writer, existing: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / f"out{writer.suffix}"
    if existing:
        target.write_bytes(b"yesterday's list")
    before = snapshot(tmp_path)
    monkeypatch.setattr(outfile.os, "fsync", full)
    result = run(*writer.words(target, world), *(["--force"] if existing else []))
    refused(result, target)
    assert snapshot(tmp_path) == before
    assert leftovers(tmp_path) == []


# The issue's own scenarios, as written.


def test_export_onto_its_own_backup_keeps_the_backup(run: Run, world: Path, tmp_path: Path) -> None:
    backup = tmp_path / "sao-luu.db"
    assert run("backup", str(backup)).exit_code == 0
    before = backup.read_bytes()
    for force in ([], ["--force"]):
        result = run("--lang", "en", "export", "members", "-o", str(backup), *force)
        refused(result, backup)
        assert "SQLite database" in result.stderr
    assert backup.read_bytes() == before


def test_export_onto_the_registry_keeps_it(run: Run, world: Path, db_path: Path) -> None:
    before = db_path.read_bytes()
    for force in ([], ["--force"]):
        result = run("--lang", "en", "export", "members", "-o", str(db_path), *force)
        refused(result, db_path)
        assert "is the registry" in result.stderr
    assert db_path.read_bytes() == before
    assert "Diễm" in run("member", "list").stdout


def test_a_link_named_roster_html_to_the_registry_is_not_followed(
    run: Run, world: Path, tmp_path: Path, db_path: Path
) -> None:
    roster = tmp_path / "roster.html"
    roster.symlink_to(db_path)
    before = db_path.read_bytes()
    for force in ([], ["--force"]):
        refused(run("report", "roster", "--output", str(roster), *force), roster)
    assert db_path.read_bytes() == before and roster.is_symlink()


def test_rejects_onto_the_input_file_keeps_20000_rows(
    run: Run, branches: None, tmp_path: Path
) -> None:
    incoming = tmp_path / "ds-loi.csv"
    rows = "".join(f"Lê Văn Tư,Nam,31/02/1980,Kinh,Ấp Chợ,03/02/2015,{i}\n" for i in range(20_000))
    incoming.write_text(BAD_ROWS.splitlines()[0] + ",Ghi chú\n" + rows, encoding="utf-8")
    before = incoming.read_bytes()
    os.link(incoming, tmp_path / "same-file.csv")
    for target in (incoming, tmp_path / "same-file.csv"):
        for force in ([], ["--force"]):
            result = run("import", "members", str(incoming), "--skip-invalid",
                         "--rejects", str(target), *force)  # fmt: skip
            refused(result, target)
    assert incoming.read_bytes() == before
    assert run("member", "list", "--format", "csv").stdout.count("\n") == 1  # the header


def test_an_unknown_ending_is_refused_not_written_as_csv(
    run: Run, world: Path, tmp_path: Path
) -> None:
    for words in (["export", "members", "-o"], ["report", "roster", "--output"],
                  ["import", "members", str(world), "--rejects"]):  # fmt: skip
        target = tmp_path / "danh-sach.db"
        result = run(*words, str(target))
        assert result.exit_code == 2 and ".csv" in result.output, result.output
        assert not target.exists()


# A real full disk (a file size limit) and real kills, in a process of their own.

ROWS = 1500


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A registry of 1,500 members and a file of 3,000 rows an import rejects."""
    folder = tmp_path_factory.mktemp("big")
    registry = folder / "tanhung.db"
    runner = CliRunner()
    syllables = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam",
                 "Oanh", "Phúc", "Quang", "Sơn", "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]  # fmt: skip
    names = itertools.islice(itertools.product(syllables, repeat=3), ROWS)
    members = folder / "members.csv"
    members.write_text(
        BAD_ROWS.splitlines()[0] + ",Ghi chú\n"
        + "".join(f"Nguyễn {a} {b} {c},Nam,01/01/1970,Kinh,Ấp Chợ,01/01/2000,số {i}\n"
                  for i, (a, b, c) in enumerate(names))
        + "Nguyễn Thị Kiều Diễm,Nữ,12/03/1975,Kinh,Ấp Chợ,19/05/2000,\n",
        encoding="utf-8",
    )  # fmt: skip
    for words in (["branch", "add", "Ấp Chợ"], ["import", "members", str(members)]):
        result = runner.invoke(app, ["--db", str(registry), *words])
        assert result.exit_code == 0, result.output
    set_lang("vi")
    rejected = folder / "rejected.csv"
    rejected.write_text(BAD_ROWS + BAD_ROWS.split("\n", 1)[1] * 1000, encoding="utf-8")
    return registry, rejected


def tanhung(registry: Path, words: list[str], **kw: object) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANHUNG_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tanhung_cli", "--db", str(registry), *words],
        env=env, stdout=subprocess.DEVNULL, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def setup_big(big: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    registry, incoming = tmp_path / "tanhung.db", tmp_path / "incoming.csv"
    shutil.copyfile(big[0], registry)
    shutil.copyfile(big[1], incoming)
    registry.chmod(0o600)
    return registry, incoming


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails (EFBIG) instead of killing
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


@pytest.mark.parametrize(
    "writer", [w for w in WRITERS if w.name != "rejects-xlsx"], ids=lambda w: w.name
)
def test_a_real_full_disk_leaves_nothing_under_the_name(
    big: tuple[Path, Path], tmp_path: Path, writer: Writer
) -> None:
    registry, incoming = setup_big(big, tmp_path)
    target = tmp_path / f"out{writer.suffix}"
    before = snapshot(tmp_path)
    proc = tanhung(
        registry, writer.words(target, incoming), preexec_fn=_limit_file_size,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    _, err = proc.communicate(timeout=120)
    message = err.decode()
    assert proc.returncode == 1 and str(target) in message, message
    assert "Traceback" not in message
    assert not target.exists() and leftovers(tmp_path) == []
    assert snapshot(tmp_path) == before


def kills(default: int, slow: int) -> list[object]:
    return [pytest.param(default, id=f"{default}-kills"),
            pytest.param(slow, id=f"{slow}-kills", marks=pytest.mark.slow)]  # fmt: skip


@by_writer
@pytest.mark.parametrize("times", kills(2, 25))
def test_killed_at_random_points_leaves_old_or_whole(
    big: tuple[Path, Path], tmp_path: Path, writer: Writer, times: int
) -> None:
    registry, incoming = setup_big(big, tmp_path)
    target = tmp_path / f"out{writer.suffix}"
    # How long a whole run takes, and what it writes (workbooks carry their time).
    start = time.monotonic()
    reference = tmp_path / f"reference{writer.suffix}"
    done = tanhung(registry, writer.words(reference, incoming), stderr=subprocess.PIPE)
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err.decode()
    span = time.monotonic() - start
    rng = random.Random(f"{writer.name}-{times}")
    outcomes = {"old": 0, "whole": 0}
    midway = 0  # kills that caught the temporary file being written
    for attempt in range(times):
        target.write_bytes(b"the file before")
        target.chmod(0o600)
        before = snapshot(tmp_path)
        earlier = set(leftovers(tmp_path))
        # Half the kills anywhere, half in the last part of the run, where the file is written.
        delay = rng.uniform(0, span) if attempt % 2 == 0 else rng.uniform(0.6 * span, 1.1 * span)
        proc = tanhung(
            registry, [*writer.words(target, incoming), "--force"], stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if target.read_bytes() == b"the file before":
            outcomes["old"] += 1
        else:
            assert whole(writer, target), f"attempt {attempt}: a part-written file, {delay:.2f}s"
            if writer.suffix != ".xlsx":
                assert target.read_bytes() == reference.read_bytes()
            outcomes["whole"] += 1
        # The next writer of the name sweeps what a killed one left: those may go.
        kept = {k: v for k, v in before.items() if k != target.name and not k.startswith(".")}
        assert {k: v for k, v in snapshot(tmp_path).items() if k in kept} == kept
        private(tmp_path, before)
        for left in leftovers(tmp_path):  # a killed writer's temporary: owner-only, hidden
            assert left.name.startswith(".") and stat.S_IMODE(left.stat().st_mode) == 0o600
        midway += bool(set(leftovers(tmp_path)) - earlier)
    assert sum(outcomes.values()) == times
    print(
        f"{writer.name}: {times} kills, {outcomes}, {midway} mid-write"
    )  # shown with -s: the figures of the run


def test_a_killed_workbook_export_leaves_no_rows_in_the_temp_folder(
    run: Run, world: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl streams a workbook's rows (names, birth dates, CCCD) through a temporary
    file; a SIGKILL left it in /tmp for good (110 found there after the kill tests). It now
    lives in a scratch folder named after the process, swept by the next workbook written."""
    import tempfile

    from tanhung_cli import exporter

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a process that has ended
    dead.wait()
    killed = temp / f"{exporter.XLSX_SCRATCH}{dead.pid}-x1y2"
    killed.mkdir(mode=0o700)
    (killed / "openpyxl.abc.xml").write_text("<row>Nguyễn Thị Kiều Diễm 084175000123</row>")
    result = run("export", "members", "-o", str(tmp_path / "ds.xlsx"))
    assert result.exit_code == 0, result.output
    assert list(temp.iterdir()) == []  # the killed export's rows swept, this one's removed
    assert tempfile.gettempdir() == str(temp)  # put back as it was
