"""Merging committees (issue #17): `tanhung merge OLD.db … --into NEW.db`.

In 2025 communes merged with their Party Committees (Nghị quyết 60-NQ/TW, 12/4/2025;
Nghị quyết 202/2025/QH15 on provinces, and the Standing Committee's resolutions on
communes): the clerk of a new commune committee inherits two to four old registries.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import valid_cccd
from typer.testing import CliRunner, Result

from tanhung_cli import i18n, merge_tables, storage
from tanhung_cli.cli import app
from tanhung_cli.db import open_db

BORN = "01/02/1980"


def tanhung(db: Path | None, *args: str) -> Result:
    words = ["--db", str(db)] if db else []
    result = CliRunner().invoke(app, [*words, *args])
    i18n.set_lang("vi")
    return result


def ok(db: Path, *args: str) -> Result:
    result = tanhung(db, *args)
    assert result.exit_code == 0, result.output
    return result


def add(db: Path, name: str, branch: str, cccd: str, *more: str, born: str = BORN) -> None:
    ok(
        db,
        "member",
        "add",
        "--name",
        name,
        "--gender",
        "Nam",
        "--born",
        born,
        "--ethnicity",
        "Kinh",
        "--branch",
        branch,
        "--admitted",
        "03/02/2005",
        "--official",
        "03/02/2006",
        "--cccd",
        cccd,
        *more,
    )


def registry(path: Path, branches: dict[str, list[str]], serial: int = 0) -> Path:
    """A registry with the branches and members named (a CCCD each, from ``serial``)."""
    for branch, names in branches.items():
        ok(path, "branch", "add", branch)
        for name in names:
            serial += 1
            add(path, name, branch, valid_cccd(serial, False, 1980))
    return path


def digest(*paths: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def merge(*args: str) -> Result:
    return tanhung(None, "merge", *args)


def summary(db: Path, on: str = "30/06/2024") -> dict[str, object]:
    data = json.loads(ok(db, "report", "summary", "--as-of", on, "-f", "json").stdout)
    return dict(data["members"])


def test_every_table_of_the_schema_is_declared_with_its_foreign_keys(tmp_path: Path) -> None:
    """A table added to the schema (branch history, attribute history…) must be declared in
    `merge_tables.TABLES`, with its key and foreign keys, before a merge can carry it."""
    with closing(open_db(tmp_path / "fresh.db")) as conn:
        tables = sorted(storage.tables(conn))
        undeclared = [name for name in tables if name not in merge_tables.BY_NAME]
        assert undeclared == [], f"declare these tables in merge_tables.TABLES: {undeclared}"
        assert sorted(merge_tables.BY_NAME) == tables  # nothing declared that is not there
        for table in merge_tables.TABLES:
            if table.way == "skip":
                continue
            found = {
                row["from"]: row["table"]
                for row in conn.execute(f'PRAGMA foreign_key_list("{table.name}")')
            }
            assert table.fks == found, table.name
            columns = {row["name"] for row in conn.execute(f'PRAGMA table_info("{table.name}")')}
            assert set(table.key) <= columns, table.name
    order = [t.name for t in merge_tables.TABLES]
    for table in merge_tables.TABLES:  # a table comes after the tables it refers to
        assert all(order.index(target) < order.index(table.name) for target in table.fks.values())


def test_two_communes_with_a_shared_member_give_one_person_with_both_periods(
    tmp_path: Path,
) -> None:
    """Nguyễn Văn An moved from xã A to xã B in 2021 (transfer out, transfer in): after
    the merge he is one member, on the roll in B's branch, with A's period in
    `past_spells`; counted once at every date, each file's history kept with its origin."""
    a = registry(tmp_path / "xa-a.db", {"Ấp Một": ["Lê Văn Ba", "Phạm Thị Tư"]}, serial=100)
    b = registry(tmp_path / "xa-b.db", {"Ấp Hai": ["Trần Văn Năm"]}, serial=200)
    cccd = valid_cccd(7, False, 1980)
    add(a, "Nguyễn Văn An", "Ấp Một", cccd, "--card", "12345678")
    ok(a, "member", "transfer-out", "3", "--to", "Đảng bộ xã B", "--on", "01/03/2021")
    ok(
        b,
        "member",
        "transfer-in",
        "--from",
        "Đảng bộ xã A",
        "--on",
        "15/03/2021",
        "--name",
        "Nguyễn Văn An",
        "--gender",
        "Nam",
        "--born",
        BORN,
        "--ethnicity",
        "Kinh",
        "--branch",
        "Ấp Hai",
        "--admitted",
        "03/02/2005",
        "--official",
        "03/02/2006",
        "--cccd",
        cccd,
    )
    before = digest(a, b)
    new = tmp_path / "xa-moi.db"

    result = merge(str(a), str(b), "--into", str(new))

    assert result.exit_code == 0, result.output
    assert "4 đảng viên (1 có trong nhiều sổ)" in result.stdout
    assert digest(a, b) == before
    assert files(tmp_path) == {"xa-a.db", "xa-b.db", "xa-moi.db"}  # no side file, no leftover
    with closing(sqlite3.connect(new)) as c:
        c.row_factory = sqlite3.Row
        an = c.execute("SELECT * FROM members WHERE national_id = ?", (cccd,)).fetchall()
        assert len(an) == 1
        assert an[0]["joined_roll_on"] == "2021-03-15" and an[0]["left_on"] is None
        assert an[0]["card_no"] == "12345678"  # taken from A's record, which had it
        spells = c.execute("SELECT * FROM past_spells WHERE member_id = ?", (an[0]["id"],))
        assert [(s["left_on"], s["left_reason"]) for s in spells] == [("2021-03-01", "transferred")]
        origins = c.execute(
            "SELECT s.name, o.old_rowid FROM merge_origins o JOIN merge_sources s"
            " ON s.id = o.source_id WHERE o.tbl = 'members' AND o.new_rowid = ? ORDER BY s.id",
            (an[0]["id"],),
        ).fetchall()
        assert [tuple(o) for o in origins] == [(str(a), 3), (str(b), 2)]
        kinds = [
            r[0]
            for r in c.execute(
                "SELECT kind FROM events WHERE member_id = ? ORDER BY id", (an[0]["id"],)
            )
        ]
        assert kinds == ["admitted", "transferred_out", "admitted", "transferred_in"]
        trail = [json.loads(r[0]) for r in c.execute("SELECT detail FROM audit ORDER BY id")]
        assert {d["merged_from"]["file"] for d in trail if "merged_from" in d} == {str(a), str(b)}
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert summary(new, "30/06/2020")["total"] == 4  # An counted once: in A then
    assert summary(new, "10/03/2021")["total"] == 3  # between leaving A and joining B
    assert summary(new)["total"] == 4
    assert "Sổ đảng viên không có lỗi" in ok(new, "check").stdout


def test_a_hamlet_merge_through_the_mapping_file(tmp_path: Path) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Đông": ["Lê Văn Ba"], "Ấp Tây": ["Phạm Văn Tư"]})
    b = registry(tmp_path / "b.db", {"Ấp Chợ": ["Trần Văn Năm"]}, serial=50)
    mapping = tmp_path / "chi-bo.csv"
    mapping.write_text(
        "Tệp,Chi bộ cũ,Chi bộ mới\na.db,Ấp Đông,Ấp Đông Tây\na.db,Chi bộ ấp Tây,Ấp Đông Tây\n",
        encoding="utf-8",
    )
    new = tmp_path / "new.db"

    result = merge(str(a), str(b), "--into", str(new), "--branches", str(mapping))

    assert result.exit_code == 0, result.output
    assert "2 chi bộ (1 gộp)" in result.stdout
    listed = json.loads(ok(new, "branch", "list", "-f", "json").stdout)
    counts = {row["name"]: row for row in listed}
    assert sorted(counts) == ["Ấp Chợ", "Ấp Đông Tây"]
    roster = json.loads(ok(new, "member", "list", "--branch", "Ấp Đông Tây", "-f", "json").stdout)
    assert sorted(m["full_name"] for m in roster) == ["Lê Văn Ba", "Phạm Văn Tư"]


def test_branches_of_the_same_name_are_a_conflict_until_mapped(tmp_path: Path) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Chi bộ ấp Chợ": ["Trần Văn Năm"]}, serial=50)
    new = tmp_path / "new.db"
    before = digest(a, b)

    refused = merge(str(a), str(b), "--into", str(new))

    assert refused.exit_code == 1
    assert 'Chi bộ "Ấp Chợ" (sổ ' in refused.stderr and str(b) in refused.stderr
    assert "2 xung đột: chưa ghi gì" in refused.stderr
    assert not new.exists() and files(tmp_path) == {"a.db", "b.db"}
    mapping = tmp_path / "map.csv"
    mapping.write_text("file,old branch,new branch\nb.db,Ấp Chợ,Ấp Chợ Mới\n", encoding="utf-8")
    dry = merge(str(a), str(b), "--into", str(new), "--branches", str(mapping), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Chạy thử: không có xung đột" in dry.stdout and not new.exists()
    done = merge(str(a), str(b), "--into", str(new), "--branches", str(mapping))
    assert done.exit_code == 0, done.output
    names = {r["name"] for r in json.loads(ok(new, "branch", "list", "-f", "json").stdout)}
    assert names == {"Ấp Chợ", "Ấp Chợ Mới"}
    assert digest(a, b) == before


def test_a_dry_run_lists_every_conflict_with_its_file_and_record(tmp_path: Path) -> None:
    """The same CCCD with another birth date is two people claiming one number: a conflict;
    so is a mapping line naming a file or branch that is not there (file.csv:line)."""
    cccd = valid_cccd(9, False, 1980)
    a = registry(tmp_path / "a.db", {"Ấp Chợ": []})
    b = registry(tmp_path / "b.db", {"Ấp Chợ": []})
    add(a, "Nguyễn Văn An", "Ấp Chợ", cccd)
    add(b, "Nguyễn Văn An", "Ấp Chợ", cccd, born="02/02/1980")
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "Tệp,Chi bộ cũ,Chi bộ mới\nc.db,Ấp Chợ,Ấp X\na.db,Ấp Không Có,Ấp Y\n", encoding="utf-8"
    )
    new = tmp_path / "new.db"

    result = merge(str(a), str(b), "--into", str(new), "--branches", str(mapping), "--dry-run")

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f'{mapping}:2: Tệp: "c.db" không phải một trong các sổ cũ được hợp nhất.' in lines
    assert f'{mapping}:3: Chi bộ cũ: "Ấp Không Có" không phải chi bộ của sổ {a}.' in lines
    assert any(
        "khác Ngày sinh" in line and f"{a} #1" in line and f"{b} #1" in line for line in lines
    )
    assert sum("trùng tên" in line for line in lines) == 2  # each file's "Ấp Chợ"
    assert sum("đang có tên trong danh sách của hai sổ" in line for line in lines) == 1
    assert lines[-1] == "6 xung đột: chưa ghi gì. Sửa tệp ánh xạ hoặc sổ cũ rồi chạy lại."
    assert not new.exists()
    as_json = merge(str(a), str(b), "--into", str(new), "--dry-run", "-f", "json")
    data = json.loads(as_json.stdout)
    assert data["written"] is False
    assert sorted(c["key"] for c in data["conflicts"]) == [
        "merge.branch_clash",
        "merge.branch_clash",
        "merge.member_both_rolls",
        "merge.member_identity",
    ]


def test_a_file_newer_than_this_release_is_refused_with_its_name(tmp_path: Path) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Trần Văn Năm"]}, serial=50)
    with closing(sqlite3.connect(b)) as c:
        c.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    before = digest(a, b)
    new = tmp_path / "new.db"

    result = merge(str(a), str(b), "--into", str(new))

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Sổ {b} được ghi bởi phiên bản mới hơn (lược đồ {storage.SCHEMA_VERSION + 1}, phiên bản"
        f" này biết đến {storage.SCHEMA_VERSION}): hãy cập nhật tanhung trước khi hợp nhất."
    )
    assert digest(a, b) == before and files(tmp_path) == {"a.db", "b.db"}


@pytest.mark.parametrize("content", [b"", b"ho ten,ngay sinh\n", b"sqlite"])
def test_a_file_that_is_not_a_registry_is_refused_with_its_name(
    tmp_path: Path, content: bytes
) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    other = tmp_path / "other.db"
    if content == b"sqlite":
        with closing(sqlite3.connect(other)) as c:
            c.execute("CREATE TABLE t (x)")
    else:
        other.write_bytes(content)
    result = merge(str(a), str(other), "--into", str(tmp_path / "new.db"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{other} không phải là sổ đảng viên: không hợp nhất."
    assert not (tmp_path / "new.db").exists()


def test_an_older_registry_is_read_from_a_migrated_copy(tmp_path: Path, sample_db: Path) -> None:
    """The sample as the release before this one wrote it (schema 16): read after
    migrating a copy; the original keeps its bytes and gets no backup beside it."""
    old = tmp_path / "tan-hung.db"
    shutil.copy(sample_db, old)
    with closing(sqlite3.connect(old)) as c, c:
        c.execute("DROP TABLE merge_origins")
        c.execute("DROP TABLE merge_sources")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm017_merge_origins'")
        c.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION - 1}")
    other = registry(tmp_path / "other.db", {"Ấp Mới Lập": ["Trần Văn Năm"]}, serial=900_000)
    before = digest(old, other)
    new = tmp_path / "new.db"

    result = merge(str(old), str(other), "--into", str(new))

    assert result.exit_code == 0, result.output
    assert digest(old, other) == before
    assert files(tmp_path) == {"tan-hung.db", "other.db", "new.db"}
    with closing(sqlite3.connect(new)) as c:
        schemas = c.execute("SELECT name, schema FROM merge_sources ORDER BY id").fetchall()
    assert schemas == [(str(old), storage.SCHEMA_VERSION - 1), (str(other), storage.SCHEMA_VERSION)]


def test_the_merged_figures_are_the_sum_of_the_old_ones(tmp_path: Path, sample_db: Path) -> None:
    """No member shared: `report summary` of the merged registry at a date is the sum of
    the old ones' (the Tân Hùng sample and a small neighbouring commune)."""
    a = tmp_path / "tan-hung.db"
    shutil.copy(sample_db, a)
    b = registry(
        tmp_path / "b.db",
        {"Ấp Mới Lập": ["Trần Văn Năm", "Lê Văn Sáu"], "Ấp Bến Đò": ["Võ Văn Bảy"]},
        serial=900_000,
    )
    new = tmp_path / "new.db"
    assert merge(str(a), str(b), "--into", str(new)).exit_code == 0
    for on in ("30/06/2020", "31/12/2024"):
        old_a, old_b, merged = summary(a, on), summary(b, on), summary(new, on)
        for figure in ("total", "official", "probationary", "women", "men"):
            assert merged[figure] == old_a[figure] + old_b[figure], (on, figure)
        ethnic = dict(old_a["by_ethnicity"])  # type: ignore[call-overload]
        for name, count in old_b["by_ethnicity"].items():  # type: ignore[attr-defined]
            ethnic[name] = ethnic.get(name, 0) + count
        assert merged["by_ethnicity"] == ethnic
    as_of = ("--as-of", "30/06/2020", "-f", "json")
    branches_a = json.loads(ok(a, "report", "branches", *as_of).stdout)
    branches_new = json.loads(ok(new, "report", "branches", *as_of).stdout)
    assert len(json.dumps(branches_new)) > len(json.dumps(branches_a))
    with closing(sqlite3.connect(new)) as c, closing(sqlite3.connect(a)) as old:
        for table in (
            "courses",
            "enrolments",
            "meetings",
            "attendance",
            "loans",
            "repayments",
            "terms",
            "targets",
            "branch_targets",
            "gaps",
            "ratings",
            "badges",
        ):
            count = f"SELECT count(*) FROM {table}"
            assert c.execute(count).fetchone() == old.execute(count).fetchone(), table


def test_the_target_is_never_overwritten(tmp_path: Path) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Trần Văn Năm"]}, serial=50)
    result = merge(str(a), str(b), "--into", str(a))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"Tệp {a} đã có")
    assert merge(str(a), str(a), "--into", str(tmp_path / "n.db")).exit_code == 1


def test_a_registry_of_the_release_before_migrates_and_keeps_its_figures(
    tmp_path: Path, sample_db: Path
) -> None:
    """Migration 17 (the merge's origins) on the sample as the release before writes it:
    a verified backup first, two empty tables, the same figures."""
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    figures = ok(path, "report", "summary", "-t", "2015-2020", "-f", "json").stdout
    due = ok(path, "due", "--as-of", "01/01/2020", "-f", "json").stdout
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP TABLE merge_origins")
        c.execute("DROP TABLE merge_sources")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm017_merge_origins'")
        c.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION - 1}")
    assert ok(path, "report", "summary", "-t", "2015-2020", "-f", "json").stdout == figures
    assert ok(path, "due", "--as-of", "01/01/2020", "-f", "json").stdout == due
    backups = list(tmp_path.glob(f"tanhung.before-schema-{storage.SCHEMA_VERSION}.*.db"))
    assert len(backups) == 1
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        assert c.execute("SELECT count(*) FROM merge_sources").fetchone()[0] == 0


def test_a_term_both_committees_recorded_is_one_term_and_differing_targets_conflict(
    tmp_path: Path,
) -> None:
    """Records named by a key in both files (a term by its name) are one record when
    equal; the committee's target for the same term in two files, if different, is a
    conflict naming both records (`merge_tables`: targets keyed by term and metric)."""
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Trần Văn Năm"]}, serial=50)
    for path, admissions in ((a, "12"), (b, "12")):
        ok(path, "term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025")
        ok(path, "target", "set", "2020-2025", "admissions", admissions)
    ok(b, "target", "set", "2020-2025", "admissions", "8", "--branch", "Ấp Mới")
    new = tmp_path / "new.db"
    assert merge(str(a), str(b), "--into", str(new)).exit_code == 0
    with closing(sqlite3.connect(new)) as c:
        assert c.execute("SELECT name FROM terms").fetchall() == [("2020-2025",)]
        assert c.execute("SELECT metric, value FROM targets").fetchall() == [("admissions", 12)]
        assert c.execute("SELECT count(*) FROM branch_targets").fetchone()[0] == 1
        origins = c.execute("SELECT source_id FROM merge_origins WHERE tbl = 'terms'").fetchall()
        assert origins == [(1,), (2,)]  # one term, found in both files
    ok(b, "target", "set", "2020-2025", "admissions", "9")
    refused = tanhung(None, "--lang", "en", "merge", str(a), str(b), "--into", str(new) + "2")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"Table targets: record {b} #1 has the key of {a} #1 with other values.",
        "Conflicts: 1. Nothing written: fix the mapping file or the old registries and run again.",
    ]


def test_one_name_and_birth_date_without_a_common_number_is_told_not_joined(
    tmp_path: Path,
) -> None:
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Lê Văn Ba"]}, serial=50)
    new = tmp_path / "new.db"
    result = merge(str(a), str(b), "--into", str(new))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Lưu ý: cùng họ tên và ngày sinh nhưng không chung số CCCD, thẻ đảng hay số lý lịch,"
        f" được giữ là hai người: {a} #1 (Lê Văn Ba); {b} #1 (Lê Văn Ba). Nếu là một người,"
        " ghi số cho cả hai bản ghi ở sổ cũ rồi hợp nhất lại."
    ]
    assert "2 đảng viên (0 có trong nhiều sổ)" in result.stdout


def test_two_hamlets_merged_with_targets_for_the_same_term(tmp_path: Path) -> None:
    """After a hamlet merge, two branch targets of one term and metric fall on one branch:
    equal, one row; different, a conflict naming both records of the file."""
    a = registry(tmp_path / "a.db", {"Ấp Đông": ["Lê Văn Ba"], "Ấp Tây": ["Phạm Văn Tư"]})
    b = registry(tmp_path / "b.db", {"Ấp Chợ": ["Trần Văn Năm"]}, serial=50)
    ok(a, "term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025")
    for branch in ("Ấp Đông", "Ấp Tây"):
        ok(a, "target", "set", "2020-2025", "admissions", "3", "--branch", branch)
    mapping = tmp_path / "map.csv"
    mapping.write_text("file,old branch,new branch\na.db,Ấp Đông,Ấp Hòa\na.db,Ấp Tây,Ấp Hòa\n")
    new = tmp_path / "new.db"
    assert merge(str(a), str(b), "--into", str(new), "--branches", str(mapping)).exit_code == 0
    with closing(sqlite3.connect(new)) as c:
        assert c.execute("SELECT metric, value FROM branch_targets").fetchall() == [
            ("admissions", 3)
        ]
    ok(a, "target", "set", "2020-2025", "admissions", "4", "--branch", "Ấp Tây")
    other = tmp_path / "other.db"
    refused = merge(str(a), str(b), "--into", str(other), "--branches", str(mapping))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == (
        f"Bảng branch_targets: bản ghi {a} #2 và #1 trùng khóa sau khi gộp chi bộ nhưng khác"
        " nội dung."
    )
    assert not other.exists()


@pytest.mark.parametrize("preferred", ["a", "b"])
def test_prefer_keeps_one_files_record_and_audits_the_other(tmp_path: Path, preferred: str) -> None:
    """The committee's target for one term differs in the two files: --prefer names the
    file whose record the new registry keeps; the other is set aside, in the audit."""
    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Trần Văn Năm"]}, serial=50)
    for path, admissions in ((a, "12"), (b, "9")):
        ok(path, "term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025")
        ok(path, "target", "set", "2020-2025", "admissions", admissions)
    new = tmp_path / "new.db"
    result = merge(str(a), str(b), "--into", str(new), "--prefer", f"{preferred}.db")
    assert result.exit_code == 0, result.output
    assert "1 bản ghi khác nội dung của sổ không được ưu tiên đã bỏ qua" in result.stderr
    kept, aside = (12, b) if preferred == "a" else (9, a)
    with closing(sqlite3.connect(new)) as c:
        assert c.execute("SELECT value FROM targets").fetchall() == [(kept,)]
        detail = c.execute("SELECT detail FROM audit WHERE entity = 'set_aside'").fetchone()[0]
    assert json.loads(detail) == {"records": [{"table": "targets", "file": str(aside), "id": 1}]}
    unknown = merge(str(a), str(b), "--into", str(tmp_path / "x.db"), "--prefer", "c.db")
    assert unknown.exit_code == 1
    assert (
        unknown.stderr.strip() == '--prefer: "c.db" không phải một trong các sổ cũ được hợp nhất.'
    )


def test_the_mapping_may_be_a_workbook_and_a_missing_one_is_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Chợ": ["Trần Văn Năm"]}, serial=50)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["Tệp", "Chi bộ cũ", "Chi bộ mới"],
        ["a.db", "Ấp Chợ", "Ấp Chợ"],
        ["b.db", "Ấp Chợ", "Ấp Chợ"],
    ):
        sheet.append(row)
    mapping = tmp_path / "chi-bo.xlsx"
    book.save(mapping)
    new = tmp_path / "new.db"
    result = merge(str(a), str(b), "--into", str(new), "--branches", str(mapping))
    assert result.exit_code == 0, result.output
    assert "1 chi bộ (1 gộp), 2 đảng viên" in result.stdout
    missing = merge(str(a), str(b), "--into", str(tmp_path / "x.db"), "--branches", "no.csv")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[0] == "Không có tệp no.csv."


def test_an_old_file_changed_during_the_merge_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another clerk writes to an old registry while it is read (its checkpoint rewrites
    pages under the reader): nothing is written, the file is named."""
    from tanhung_cli import history

    a = registry(tmp_path / "a.db", {"Ấp Chợ": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Mới": ["Trần Văn Năm"]}, serial=50)
    carry_over = history.carry_over
    added: list[str] = []

    def meanwhile(*args: object, **kwargs: object) -> tuple[int, int]:
        added.append(f"Ấp Vừa Thêm {len(added) + 1}")
        ok(a, "branch", "add", added[-1])
        return carry_over(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(history, "carry_over", meanwhile)
    new = tmp_path / "new.db"
    result = merge(str(a), str(b), "--into", str(new))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Sổ {a} đã thay đổi trong lúc hợp nhất")
    assert not new.exists()
    assert merge(*(str(p) for p in [a] * 10), "--into", str(new)).stderr.strip() == (
        "Mỗi lần hợp nhất được tối đa 9 sổ cũ."
    )


def test_three_communes_and_a_member_who_lived_in_all_three(tmp_path: Path) -> None:
    """Nguyễn Văn An moved A → B (2019) → C (2022): one member, on C's roll, with two
    earlier periods; his card number known only to A, his file number only to B."""
    a = registry(tmp_path / "a.db", {"Ấp Một": ["Lê Văn Ba"]}, serial=100)
    b = registry(tmp_path / "b.db", {"Ấp Hai": ["Trần Văn Năm"]}, serial=200)
    c = registry(tmp_path / "c.db", {"Ấp Ba": ["Võ Văn Bảy"]}, serial=300)
    cccd = valid_cccd(7, False, 1980)
    person = (
        "--name",
        "Nguyễn Văn An",
        "--gender",
        "Nam",
        "--born",
        BORN,
        "--ethnicity",
        "Kinh",
        "--admitted",
        "03/02/2005",
        "--official",
        "03/02/2006",
        "--cccd",
        cccd,
    )
    add(a, "Nguyễn Văn An", "Ấp Một", cccd, "--card", "12345678")
    ok(a, "member", "transfer-out", "2", "--to", "xã B", "--on", "01/03/2019")
    ok(
        b,
        "member",
        "transfer-in",
        "--from",
        "xã A",
        "--on",
        "15/03/2019",
        *person,
        "--branch",
        "Ấp Hai",
        "--file-no",
        "012345TV",
    )
    ok(b, "member", "transfer-out", "2", "--to", "xã C", "--on", "01/06/2022")
    ok(
        c,
        "member",
        "transfer-in",
        "--from",
        "xã B",
        "--on",
        "10/06/2022",
        *person,
        "--branch",
        "Ấp Ba",
    )
    new = tmp_path / "new.db"
    result = merge(str(a), str(b), str(c), "--into", str(new))
    assert result.exit_code == 0, result.output
    assert (
        "Đã hợp nhất 3 sổ" in result.stdout and "4 đảng viên (1 có trong nhiều sổ)" in result.stdout
    )
    with closing(sqlite3.connect(new)) as db:
        an = db.execute(
            "SELECT id, joined_roll_on, card_no, file_no FROM members WHERE national_id = ?",
            (cccd,),
        ).fetchall()
        assert [tuple(r)[1:] for r in an] == [("2022-06-10", "12345678", "012345TV")]
        spells = db.execute(
            "SELECT joined_roll_on, left_on FROM past_spells WHERE member_id = ?"
            " ORDER BY joined_roll_on",
            (an[0][0],),
        ).fetchall()
        assert spells == [("2005-02-03", "2019-03-01"), ("2019-03-15", "2022-06-01")]
    for on, total in (
        ("31/12/2018", 4),
        ("10/03/2019", 3),
        ("31/12/2020", 4),
        ("05/06/2022", 3),
        ("31/12/2024", 4),
    ):
        assert summary(new, on)["total"] == total, on
