"""Members judged once by the rules of their release (`rules_stamp`, issue #17: `check`
within 30 s at five million members): the fast check finds exactly what the full one does."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli import member_schema, rules
from tanhung_cli.db import open_db
from tanhung_cli.i18n import t

PACKAGE = Path(rules.__file__).parent
# What decides whether a stored member passes (`rules_stamp.stored_problems`): the
# validator and every module it reads a rule from, and the vocabularies they read.
SOURCES = (
    "rules.py",
    "date_rules.py",
    "cells.py",
    "education.py",
    "founding.py",
    "readmission_rules.py",
    "leaving.py",
    "cccd.py",
    "transfer_rules.py",
    "admission_dates.py",
    "probation.py",
    "probation_eras.toml",
    "member_schema.py",
    "rules_stamp.py",
    "branches.py",
    "vietnamese/__init__.py",
    "vietnamese/dates.py",
    "vietnamese/text.py",
    "vietnamese/numbers.py",
    "vocab/__init__.py",
    "vocab/cccd_provinces.csv",
    "vocab/ethnic_groups.csv",
)
# The hash of SOURCES (and of the vocabularies they read) for each RULES_VERSION.
RECORDED = {1: "70de5fcc0b7c4322cab957bf47ec67e3d3005e92542b2652aa951659d86fde21"}


def _sources_hash() -> str:
    digest = hashlib.sha256()
    texts = {name: (PACKAGE / name).read_text(encoding="utf-8") for name in SOURCES}
    for name, text in texts.items():
        digest.update(f"{name}\n{text.replace(chr(13), '')}\n".encode())
    # Only the vocabularies a rule reads: a new vocabulary elsewhere in the file is not one.
    used = {f.vocab for f in member_schema.FIELDS if f.vocab}
    used |= {m for text in texts.values() for m in re.findall(r'vocabulary\("(\w+)"\)', text)}
    tables = tomllib.loads((PACKAGE / "vocab" / "vocab.toml").read_text(encoding="utf-8"))
    digest.update(json.dumps({k: tables.get(k) for k in sorted(used)}, sort_keys=True).encode())
    return digest.hexdigest()


def test_the_rules_version_changes_with_the_rules() -> None:
    """A stored member's stamp says "passed the rules of RULES_VERSION": whoever changes what
    the validator accepts must bump it, or `check` would trust rows it never judged."""
    now = _sources_hash()
    version = rules.RULES_VERSION
    assert RECORDED.get(version) == now, (
        "The validator's sources changed (tests/test_rules_stamp.py SOURCES). If what it "
        f"accepts changed, set rules.RULES_VERSION = {version + 1} and add"
        f" {{{version + 1}: {now!r}}} to RECORDED here: every member is then judged again at"
        f" the next `tanhung check`. If it did not (a comment, a rename), record {now!r} for"
        f" {version} instead."
        if RECORDED.get(version)
        else f"Record RECORDED[{version}] = {now!r} in tests/test_rules_stamp.py."
    )


def _scope(result_stderr: str) -> str:
    return result_stderr.strip().splitlines()[-1]


def _quick(revalidated: int, members: int) -> str:
    return t("check.scope_quick", revalidated=revalidated, members=members)


def _stamps(path: Path) -> list[int | None]:
    with closing(sqlite3.connect(path)) as c:
        return [r[0] for r in c.execute("SELECT rules_version FROM members ORDER BY id")]


def _findings(run: Run, *args: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(run("check", "--format", "json", *args).stdout)
    return found


def test_the_fast_check_finds_what_the_full_check_finds(
    run: Run, sample_db: Path, db_path: Path
) -> None:
    shutil.copy(sample_db, db_path)
    members = 379
    # The importer stamped the sample's members as it loaded them, but for a re-admission
    # (its start on the roll is derived) and one changed since (a dated change).
    assert _scope(run("check").stderr) == _quick(2, members)
    assert _scope(run("check").stderr) == _quick(0, members)
    with closing(sqlite3.connect(db_path)) as c, c:
        # Behind the writer's back: a date that is no date, a twin, an edit breaking a rule.
        c.execute("UPDATE members SET birth_date = '1990-02-30' WHERE id = 5")
        columns = [
            r[1]
            for r in c.execute("PRAGMA table_info(members)")
            if r[1] not in ("id", "rules_version")
        ]
        copied = ", ".join("NULL" if c in member_schema.UNIQUE else c for c in columns)
        c.execute(
            f"INSERT INTO members ({', '.join(columns)}) SELECT {copied} FROM members WHERE id = 7"
        )
        c.execute("UPDATE members SET official_on = admitted_on WHERE id = 9")
    fast, full = _findings(run), _findings(run, "--full")
    assert fast == full
    assert {(f["member"]["id"], f["key"]) for f in fast} >= {  # type: ignore[index]
        (5, "rule.date_impossible"),
        (7, "check.duplicate"),
        (9, "rule.official_too_early"),
    }
    text = run("check")
    assert text.exit_code == 1
    # The twin passed the rules and was stamped by the first check; the two rows that
    # break a rule are judged at every check until put right.
    assert _scope(text.stderr) == _quick(2, members + 1)
    assert run("check", "--full").stderr.strip().splitlines()[-1] == t(
        "check.scope_full", revalidated=members + 1
    )


def test_a_row_changed_behind_the_writer_is_judged_again(
    run: Run, sample_db: Path, db_path: Path
) -> None:
    shutil.copy(sample_db, db_path)
    assert run("check").exit_code == 0
    assert set(_stamps(db_path)) == {rules.RULES_VERSION}
    assert run("member", "edit", "3", "--note", "Đã xác minh").exit_code == 0
    assert _stamps(db_path)[2] == rules.RULES_VERSION  # a validated edit stamps anew
    with closing(sqlite3.connect(db_path)) as c, c:
        c.execute("UPDATE members SET note = 'sửa tay' WHERE id = 4")  # the sqlite3 tool
        c.execute(
            "INSERT INTO members (full_name, name_key, sort_key, gender, birth_date,"
            " ethnicity, branch_id, admitted_on, joined_roll_on, presence) VALUES"
            " ('Lê Văn Mới', 'le van moi', 'y', 'nam', '1990-01-01', '01', 1,"
            " '2020-03-01', '2020-03-01', 'regular')"
        )
    assert _stamps(db_path)[3] is None
    assert _stamps(db_path)[-1] is None
    assert _scope(run("check").stderr) == _quick(2, 380)
    assert None not in _stamps(db_path)  # judged and passed: stamped by the check
    assert _scope(run("check").stderr) == _quick(0, 380)


def test_a_changed_setting_has_every_member_judged_again(
    run: Run, sample_db: Path, db_path: Path
) -> None:
    shutil.copy(sample_db, db_path)
    assert run("setting", "set", "min_age_months", "216").exit_code == 0  # as it was: 18 years
    assert set(_stamps(db_path)) == {None}
    assert _scope(run("check").stderr) == _quick(379, 379)
    assert set(_stamps(db_path)) == {rules.RULES_VERSION}


@pytest.mark.usefixtures("either_import_path", "branches")
def test_an_import_stamps_what_it_validated(run: Run, tmp_path: Path, db_path: Path) -> None:
    data = tmp_path / "m.csv"
    data.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức\n"
        "Lê Văn Tư,Nam,01/01/1990,Kinh,Ấp Chợ,01/08/2015,01/08/2016\n"
        "Trần Thị Bình,Nữ,02/02/1991,Kinh,Ấp Chợ,01/08/2021,\n"
        "Phạm Văn Năm,Nam,03/03/1980,Kinh,Ấp Chợ,01/08/2010,01/08/2011\n",
        encoding="utf-8",
    )
    done = run("import", "members", str(data))
    assert done.exit_code == 0, done.output
    assert _stamps(db_path) == [rules.RULES_VERSION] * 3
    assert _scope(run("check").stderr) == _quick(0, 3)


BEFORE = 19  # the schema before m020_rules_stamp (m021 after it stays applied)


def _as_release_before(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c, c:
        for name in (
            "members_rules_version_stale",
            *(f"settings_rules_version_{w}" for w in ("insert", "update", "delete")),
        ):
            c.execute(f"DROP TRIGGER {name}")
        c.execute("ALTER TABLE members DROP COLUMN rules_version")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm020_rules_stamp'")
        c.execute(f"PRAGMA user_version = {BEFORE}")


def test_a_registry_of_the_release_before_migrates_and_checks_the_same(
    run: Run, sample_db: Path, db_path: Path
) -> None:
    shutil.copy(sample_db, db_path)
    _as_release_before(db_path)
    before = _findings(run)  # read-only: checked as it is, every member judged, not migrated
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == BEFORE
    open_db(db_path).close()  # opening to write migrates
    assert set(_stamps(db_path)) == {None}  # unstamped: the first check judges every one
    assert _findings(run) == before
    assert set(_stamps(db_path)) == {rules.RULES_VERSION}
    assert _findings(run) == before == _findings(run, "--full")
    assert _scope(run("check").stderr) == _quick(0, 379)


def test_a_merge_carries_no_stamp_of_the_old_files(run: Run, tmp_path: Path) -> None:
    """The old files' stamps were earned under their own settings: the new file's first
    check judges every merged member, then stamps them."""
    from test_merge import merge, registry

    a = registry(tmp_path / "a.db", {"Ấp Đông": ["Lê Văn Ba"]})
    b = registry(tmp_path / "b.db", {"Ấp Chợ": ["Trần Văn Năm"]}, serial=50)
    assert set(_stamps(a)) == {rules.RULES_VERSION}
    new = tmp_path / "new.db"
    assert merge(str(a), str(b), "--into", str(new)).exit_code == 0
    assert _stamps(new) == [None, None]
    assert _scope(run("--db", str(new), "check").stderr) == _quick(2, 2)
    assert _stamps(new) == [rules.RULES_VERSION] * 2
