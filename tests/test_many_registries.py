"""Reports across many registries (#17): the figures of many committees' files read in
place, added up, counts only, every file left byte for byte as it was.

The bundled sample split by branch into three registries (three committees): each built
from the sample's own CSV files, filtered to its branches' members, by `sample.load_sample`
(the importer, as `tanhung demo` builds the sample).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n, sample, storage
from tanhung_cli.cli import app
from tanhung_cli.db import open_db
from tanhung_cli.errors import DatabaseProblem
from tanhung_cli.i18n import t

GROUPS = (
    ("Ấp Chợ", "Ấp Nhứt", "Ấp Nhì", "Ấp Sáu"),
    ("Ấp Te Te 1", "Ấp Te Te 2", "Ấp Phụng Sa", "Ấp Trung Tiến"),
    (),  # every other branch: the schools, the health station, police, militia, the office
)
BY_CCCD = ("enrolments.csv", "attendance.csv", "gaps.csv", "loans.csv", "repayments.csv")
AT = ["--as-of", "30/06/2020"]


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, head: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([head, *rows])


def _split(source: Path, folder: Path, group: int) -> None:
    """The sample's files with only the members of the group's branches (all branches,
    terms, courses, meetings and funds kept: each committee has its own)."""
    folder.mkdir()
    for name in sample.FILES:
        shutil.copy(source / name, folder / name)
    head, rows = _read(source / "members.csv")
    branch, cccd = head.index("Chi bộ"), head.index("Số CCCD")
    named = {b for g in GROUPS for b in g}
    kept = [
        r for r in rows if (r[branch] in GROUPS[group] if GROUPS[group] else r[branch] not in named)
    ]
    _write(folder / "members.csv", head, kept)
    ids = {r[cccd] for r in kept}
    for name in BY_CCCD:
        head, rows = _read(source / name)
        at = head.index("Số CCCD")
        _write(folder / name, head, [r for r in rows if r[at] in ids])


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three registries: the sample's members split by branch."""
    top = tmp_path_factory.mktemp("communes")
    paths = []
    for group, name in enumerate(("xa-a", "xa-b", "xa-c")):
        _split(sample.sample_dir(), top / f"csv-{name}", group)
        path = top / "files" / f"{name}.db"
        path.parent.mkdir(exist_ok=True)
        conn = open_db(path)
        sample.load_sample(conn, top / f"csv-{name}")
        conn.close()
        paths.append(path)
    return paths


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    i18n.set_lang("vi")
    return result


def figures(*args: str) -> dict[str, Any]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def many(paths: list[Path]) -> list[str]:
    return [w for p in paths for w in ("--db", str(p))]


def _counts(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "members": data["members"],
        "in_term": data["admissions"]["in_term"],
        "readmitted": data["admissions"]["readmitted"],
        "training": data["training"],
        "loans": data["support"]["loans"],
        "amount": data["support"]["amount_vnd"],
    }


def test_the_three_files_add_up_to_the_whole_sample_and_to_their_sum(
    communes: list[Path], sample_db: Path
) -> None:
    whole = figures("--db", str(sample_db), "report", "summary", *AT)
    each = [figures("--db", str(p), "report", "summary", *AT) for p in communes]
    across = figures("report", "summary", *many(communes), *AT)
    assert [e["members"]["total"] for e in each] == [128, 121, 52]  # 301 in all
    assert _counts(across) == _counts(whole)
    assert across["members"]["total"] == 301 and across["admissions"]["in_term"] == 45
    assert across["training"] == {"attendances": 124, "people": 110}
    # Each committee keeps its own target and briefings: the sum, not the whole sample's.
    assert across["admissions"]["target"] == 3 * 39 == sum(e["admissions"]["target"] for e in each)
    assert across["admissions"]["percent_of_target"] == round(45 * 100 / 117, 1)
    assert across["activity"]["conferences"] == sum(e["activity"]["conferences"] for e in each)
    assert across["registries"] == 3 and across["skipped"] == []
    assert across["term"] == whole["term"]
    for key in ("total", "official", "probationary", "women", "men"):
        assert across["members"][key] == sum(e["members"][key] for e in each)


def test_composition_across_files_is_the_whole_samples(
    communes: list[Path], sample_db: Path
) -> None:
    whole = figures("--db", str(sample_db), "report", "composition", *AT)
    across = figures("report", "composition", *many(communes), *AT)
    for key in ("ethnicity", "religion", "age", "theory_level", "professional_level"):
        assert sorted(map(str, across[key])) == sorted(map(str, whole[key])), key
    assert sum(r["total"] for r in across["age"]) == 301


def test_one_row_a_commune_with_admissions_against_its_own_target(communes: list[Path]) -> None:
    data = figures("report", "communes", *many(communes), "-t", "2015-2020")
    rows = data["communes"]
    assert [r["file"] for r in rows] == ["xa-a.db", "xa-b.db", "xa-c.db"]
    assert [r["total"] for r in rows] == [128, 121, 52]
    assert all(r["target"] == 39 and r["term"] == "2015-2020" for r in rows)
    assert sum(r["admitted_in_term"] for r in rows) == data["total"]["admitted_in_term"] == 45
    assert [r["percent_of_target"] for r in rows] == [
        round(r["admitted_in_term"] * 100 / 39, 1) for r in rows
    ]
    text = invoke("report", "communes", *many(communes), "-t", "2015-2020").stdout
    assert "xa-b.db" in text and "Cộng" in text


def test_a_folder_is_every_registry_in_it(communes: list[Path]) -> None:
    by_folder = figures("report", "summary", "--folder", str(communes[0].parent), *AT)
    assert by_folder["members"]["total"] == 301
    assert by_folder["files"] == [str(p) for p in communes]


def test_the_same_file_twice_is_refused(communes: list[Path]) -> None:
    result = invoke("report", "summary", "--db", str(communes[0]), "--db", str(communes[0]))
    assert result.exit_code == 1
    assert "xa-a.db" in result.stderr and "Traceback" not in result.output


def _sample_people() -> list[str]:
    """Names, CCCDs and birth dates (as files write them and as ISO) of the sample."""
    head, rows = _read(sample.sample_dir() / "members.csv")
    out = []
    for r in rows:
        born = r[head.index("Ngày sinh")]
        out += [r[head.index("Họ và tên")], r[head.index("Số CCCD")], born]
        if len(born) == 10:
            out.append(f"{born[6:]}-{born[3:5]}-{born[:2]}")
    return [w for w in out if w and w not in ("30/06/2020", "01/07/2015", "2020-06-30")]


def test_no_personal_data_reaches_any_format_or_output_file(
    communes: list[Path], tmp_path: Path
) -> None:
    people = _sample_people()
    assert len(people) > 900
    texts = []
    for command in ("summary", "communes", "composition"):
        base = ["report", command, *many(communes), *AT]
        for fmt in ("table", "json", "csv", "markdown"):
            result = invoke(*base, "--format", fmt)
            assert result.exit_code == 0, result.output
            texts.append(result.output)
        for ending in ("md", "html", "csv", "json"):
            out = tmp_path / f"{command}.{ending}"
            assert invoke(*base, "--output", str(out)).exit_code == 0
            texts.append(out.read_text(encoding="utf-8-sig"))
    found = {p for p in people for text in texts if p in text}
    assert found == set()


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    }


def test_the_files_read_are_left_byte_for_byte_with_no_side_file(communes: list[Path]) -> None:
    folder = communes[0].parent
    before = _state(folder)
    assert sorted(before) == ["xa-a.db", "xa-b.db", "xa-c.db"]  # at rest: no -wal, no -shm
    for command in ("summary", "communes", "composition"):
        assert invoke("report", command, "--folder", str(folder)).exit_code == 0
    assert _state(folder) == before


@pytest.fixture
def at_rest(communes: list[Path], tmp_path: Path) -> Path:
    path = tmp_path / "xa-d.db"
    shutil.copy(communes[0], path)
    return path


def _set_version(path: Path, version: int) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()


def _foreign(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        conn.commit()


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("garbage", "db.not_sqlite"),
        ("foreign", "db.not_registry"),
        ("newer", "db.too_new"),
        ("older", "db.old_in_place"),
    ],
)
def test_an_unreadable_file_is_refused_named_or_skipped_when_asked(
    communes: list[Path], tmp_path: Path, kind: str, key: str
) -> None:
    bad = tmp_path / "hong.db"
    if kind == "garbage":
        bad.write_bytes(b"not a database at all" * 100)
    elif kind == "foreign":
        _foreign(bad)
    else:
        shutil.copy(communes[1], bad)
        _set_version(bad, storage.SCHEMA_VERSION + (1 if kind == "newer" else -1))
    before = _state(tmp_path)
    args = ["report", "summary", "--db", str(communes[0]), "--db", str(bad), *AT]
    refused = invoke(*args)
    assert refused.exit_code == 1 and refused.stdout == ""
    assert str(bad) in refused.stderr and "--skip-unreadable" in refused.stderr
    skipped = invoke(*args, "--skip-unreadable", "--format", "json")
    assert skipped.exit_code == 0
    data = json.loads(skipped.stdout)
    assert data["members"]["total"] == 128 and data["registries"] == 1
    assert [s["file"] for s in data["skipped"]] == [str(bad)]
    reason = DatabaseProblem(key, path=str(bad), found=0, known=storage.SCHEMA_VERSION)
    assert data["skipped"][0]["reason"].split(" (")[0] == reason.message().split(" (")[0]
    assert f"Bỏ qua {bad}" in skipped.stderr
    table = invoke(*args, "--skip-unreadable")
    assert t("many.skipped_line", files=str(bad)) in table.stdout.replace("\n", " ")
    assert _state(tmp_path) == before


def test_an_older_registry_is_refused_with_the_way_to_upgrade_it(at_rest: Path) -> None:
    _set_version(at_rest, storage.SCHEMA_VERSION - 1)
    result = invoke("report", "summary", "--db", str(at_rest))
    assert result.exit_code == 1
    assert f"tanhung --db {at_rest} report summary" in result.stderr


HOLD = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None);"
    " c.execute('PRAGMA locking_mode = EXCLUSIVE') if sys.argv[2] == 'wal' else None;"
    " c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); sys.stdin.read()"
)


@pytest.fixture(params=["rollback", "wal"])
def locked(at_rest: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """Another process holds the file's exclusive lock: a rollback-journal writer, or a
    WAL registry opened in exclusive locking mode."""
    if request.param == "rollback":
        with closing(sqlite3.connect(at_rest)) as conn:
            conn.execute("PRAGMA journal_mode = DELETE")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(at_rest), request.param],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield at_rest
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(10)


@pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")
def test_a_locked_file_is_named_and_skipped_only_when_asked(
    communes: list[Path], locked: Path
) -> None:
    args = ["report", "communes", "--db", str(communes[2]), "--db", str(locked), *AT]
    refused = invoke(*args)
    assert refused.exit_code == 1
    assert str(locked) in refused.stderr and t("db.busy") in refused.stderr
    skipped = figures(*args, "--skip-unreadable")
    assert [r["file"] for r in skipped["communes"]] == ["xa-c.db"]
    assert [s["file"] for s in skipped["skipped"]] == [str(locked)]


def test_a_registry_in_use_is_read_with_its_log(at_rest: Path) -> None:
    """Another clerk has the file open (its -wal is there): read through SQLite's own
    read-only mode, what they committed included; their files are theirs."""
    writer = open_db(at_rest)
    try:
        writer.execute("UPDATE settings SET value = value WHERE 0")  # opens the log
        assert Path(f"{at_rest}-wal").exists()
        data = figures("report", "summary", "--db", str(at_rest), *AT)
        assert data["members"]["total"] == 128
    finally:
        writer.close()


def test_open_db_untouched_creates_nothing_and_refuses_writes(at_rest: Path) -> None:
    before = _state(at_rest.parent)
    conn = open_db(at_rest, create=False, untouched=True)
    try:
        rows = conn.execute("SELECT count(*) FROM members").fetchone()[0]
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("CREATE TABLE x (y)")
        assert sorted(p.name for p in at_rest.parent.iterdir()) == ["xa-d.db"]
    finally:
        conn.close()
    assert _state(at_rest.parent) == before
    with closing(sqlite3.connect(at_rest)) as plain:
        assert rows == plain.execute("SELECT count(*) FROM members").fetchone()[0] > 128


def test_a_writer_starting_during_the_read_makes_it_read_again(at_rest: Path) -> None:
    """Read as immutable, a file may change under the read only through a log: one that
    appears meanwhile sends the read round again, through SQLite's own read-only mode."""
    from tanhung_cli import registries

    seen: list[int] = []
    writers: list[sqlite3.Connection] = []

    def read(conn: sqlite3.Connection) -> int:
        if not writers:  # another clerk opens the file while it is being read
            writers.append(open_db(at_rest))
            writers[0].execute("UPDATE settings SET value = value WHERE 0")
        seen.append(conn.execute("SELECT count(*) FROM members").fetchone()[0])
        return seen[-1]

    try:
        done = registries.read_each([at_rest], read, skip_unreadable=False)
    finally:
        writers[0].close()
    assert len(seen) == 2 and done.parts == [(at_rest, seen[0])]


def test_a_branch_is_refused_with_many_registries(communes: list[Path]) -> None:
    for command in ("summary", "composition"):
        result = invoke("report", command, *many(communes), "--branch", "Ấp Chợ")
        assert result.exit_code == 2
        assert t("many.no_branch") in " ".join(result.stderr.replace("│", " ").split())


def test_one_file_read_in_place_gives_its_own_report(sample_db: Path) -> None:
    ordinary = figures("--db", str(sample_db), "report", "summary", "-t", "2015-2020")
    in_place = figures("report", "summary", "--db", str(sample_db), "-t", "2015-2020")
    for key in ("as_of", "term", "members", "admissions", "training", "activity"):
        assert in_place[key] == ordinary[key], key
    support = {k: v for k, v in ordinary["support"].items() if k != "by_fund"}
    assert in_place["support"] == support


@pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")
def test_a_file_system_without_locks_is_read_the_ordinary_way(
    at_rest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A network share may have no advisory locks (ENOLCK): not "locked", SQLite's own
    read-only reading."""
    import errno
    import fcntl

    def no_locks(*args: object) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "lockf", no_locks)
    data = figures("report", "summary", "--db", str(at_rest), *AT)
    assert data["members"]["total"] == 128 and data["skipped"] == []


def test_a_term_a_file_does_not_have_is_refused_naming_the_file(communes: list[Path]) -> None:
    """Not an unreadable file: the clerk asked for a term; --skip-unreadable does not hide it."""
    args = ["report", "communes", *many(communes[:2]), "-t", "1990-1995", "--skip-unreadable"]
    result = invoke(*args)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"{communes[0]}: ")
