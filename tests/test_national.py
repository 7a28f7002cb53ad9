"""A national roll on one file (issue #17): `member find` through a full-text index of the
folded names finds exactly the members the scan found, the index follows every write,
survives a backup and a restore, and a registry of the release before it migrates."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli import member_lists, storage
from tanhung_cli import vietnamese as vn
from tanhung_cli.db import open_db

TODAY = dt.date(2026, 12, 3)


def _scanned(conn: sqlite3.Connection, query: str) -> list[int]:
    """The members a name query found before the index: a word of the name starts with
    each word of the query, in name order."""
    words = vn.fold(query).split()
    rows = conn.execute("SELECT id, name_key FROM members ORDER BY sort_key, id").fetchall()
    return [
        r[0]
        for r in rows
        if all(any(part.startswith(w) for part in r[1].split(" ")) for w in words)
    ]


def _found(conn: sqlite3.Connection, query: str) -> list[int]:
    return [r["id"] for r in member_lists.find_members(conn, query, TODAY)]


def _queries(conn: sqlite3.Connection) -> list[str]:
    words = sorted({w for (k,) in conn.execute("SELECT name_key FROM members") for w in k.split()})
    prefixes = sorted({w[:n] for w in words for n in (1, 2, 3)})
    return [*words, *prefixes, "nguyen van an", "tran thi", "le a", "van a", "y-b", "ngu-yen"]


def test_find_through_the_index_finds_what_the_scan_found(sample_db: Path) -> None:
    conn = open_db(sample_db)
    try:
        queries = _queries(conn)
        assert len(queries) > 100
        for query in queries:
            assert _found(conn, query) == _scanned(conn, query), query
    finally:
        conn.close()


def test_hyphens_and_search_syntax_find_as_before(run: Run, db_path: Path, branches: None) -> None:
    """A hyphen inside a name (Y-Bih) is one word for the scan: "bih" does not start a
    word; quotes, stars and FTS keywords are plain text."""
    assert run("member", "add", *option_list(DIEM, name="Y-Bih Niê")).exit_code == 0
    conn = open_db(db_path)
    try:
        for query in ("bih", "y-bih", "y-b", "nie y", "y", '"y"', "y*", "NOT", "nie OR"):
            assert _found(conn, query) == _scanned(conn, query), query
        assert _found(conn, "y-bih") and not _found(conn, "bih")
    finally:
        conn.close()


def _find(run: Run, query: str) -> list[str]:
    result = run("member", "find", query, "--format", "json")
    return [r["full_name"] for r in json.loads(result.stdout)]


def test_the_index_follows_add_edit_and_import(
    run: Run, db_path: Path, branches: None, tmp_path: Path
) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    assert _find(run, "kieu diem") == ["Nguyễn Thị Kiều Diễm"]
    assert run("member", "edit", "1", "--name", "Trần Thị Kiều Oanh").exit_code == 0
    assert _find(run, "kieu diem") == []
    assert _find(run, "tran oanh") == ["Trần Thị Kiều Oanh"]
    sheet = tmp_path / "m.csv"
    sheet.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Số CCCD\n"
        "Lâm Văn Phước,Nam,02/01/1970,Kinh,Ấp Chợ,03/02/2000,084070000002\n",
        encoding="utf-8",
    )
    done = run("import", "members", str(sheet))
    assert done.exit_code == 0, done.output
    assert _find(run, "lam phuoc") == ["Lâm Văn Phước"]
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("INSERT INTO member_names(member_names) VALUES('integrity-check')")


def test_a_backup_and_a_restore_keep_the_index(
    run: Run, db_path: Path, branches: None, tmp_path: Path
) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    copy = tmp_path / "before.db"
    assert run("backup", str(copy)).exit_code == 0
    assert run("member", "edit", "1", "--name", "Trần Thị Kiều Oanh").exit_code == 0
    restored = run("--lang", "en", "restore", str(copy))
    assert restored.exit_code == 0, restored.output
    assert _find(run, "kieu diem") == ["Nguyễn Thị Kiều Diễm"]
    assert _find(run, "oanh") == []
    with closing(sqlite3.connect(db_path)) as c:
        c.execute("INSERT INTO member_names(member_names) VALUES('integrity-check')")


def _as_release_before(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP TABLE member_names")
        for trigger in ("insert", "delete", "update"):
            c.execute(f"DROP TRIGGER member_names_{trigger}")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm019_national'")
        c.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION - 1}")


def test_a_registry_of_the_release_before_migrates_and_finds_the_same(
    sample_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    _as_release_before(path)
    with closing(sqlite3.connect(path)) as c:
        c.row_factory = sqlite3.Row
        before = {q: _scanned(c, q) for q in ("nguyen van", "thi", "le", "tran thi h")}
    conn = open_db(path)  # opening migrates
    try:
        assert {q: _found(conn, q) for q in before} == before
        assert any(before.values())
    finally:
        conn.close()
    backups = list(tmp_path.glob(f"tanhung.before-schema-{storage.SCHEMA_VERSION}.*.db"))
    assert len(backups) == 1


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_streams_the_same_file_as_the_list(
    run: Run, sample_db: Path, tmp_path: Path, kind: str
) -> None:
    """Streamed one member at a time, the file still counts and holds every member."""
    out = tmp_path / f"all.{kind}"
    done = run("--db", str(sample_db), "--lang", "en", "export", "members", "-o", str(out))
    assert done.exit_code == 0, done.output
    conn = open_db(sample_db)
    try:
        listed = member_lists.list_members(conn, member_lists.Filters(), dt.date.today())
    finally:
        conn.close()
    assert f"{sum(r['status'] in ('official', 'probationary') for r in listed)} " in done.stderr
    if kind == "csv":
        assert len(out.read_text(encoding="utf-8-sig").splitlines()) == len(listed) + 1
