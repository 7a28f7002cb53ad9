"""The audit trail: who, when, which command, what changed; append-only; `tanhung audit`."""

from __future__ import annotations

import csv
import getpass
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli.db import open_db

ADD = option_list(DIEM, branch="Ấp Chợ")


def audit_rows(path: Path) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(path)) as c:
        c.row_factory = sqlite3.Row
        return c.execute("SELECT * FROM audit ORDER BY id").fetchall()


@pytest.mark.parametrize("table", ["audit", "events"])
def test_history_rows_refuse_update_and_delete(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(
        "INSERT INTO branches (name, name_key, kind) VALUES ('Ấp Chợ', 'ap cho', 'hamlet')"
    )
    conn.execute(
        "INSERT INTO audit (at, clerk, command, action, entity) VALUES ('t', 'c', 'x', 'add', 'm')"
    )
    conn.execute(
        "INSERT INTO members (full_name, name_key, sort_key, gender, birth_date, ethnicity,"
        " branch_id, admitted_on, joined_roll_on) VALUES ('A B', 'a b', 'b', 'nam', '1980-01-01',"
        " '01', 1, '2000-01-01', '2000-01-01')"
    )
    conn.execute(
        "INSERT INTO events (member_id, on_date, kind, audit_id) VALUES (1, '2000-01-01', 'admitted', 1)"
    )
    with pytest.raises(sqlite3.IntegrityError, match=f"{table} rows cannot be changed"):
        conn.execute(f"UPDATE {table} SET id = id")
    with pytest.raises(sqlite3.IntegrityError, match=f"{table} rows cannot be deleted"):
        conn.execute(f"DELETE FROM {table}")
    # Not even a whole-table wipe in one statement, nor REPLACE over an existing row.
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM {table}")
    assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 1


@pytest.mark.usefixtures("branches")
def test_every_write_records_who_when_which_command_and_what(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("--clerk", "Chị Sa", "member", "add", *ADD).exit_code == 0
    monkeypatch.setenv("TANHUNG_CLERK", "Anh Hùng")
    assert (
        run("member", "edit", "1", "--phone", "0912345678", "--remark", "gọi điện").exit_code == 0
    )
    monkeypatch.delenv("TANHUNG_CLERK")
    assert run("member", "edit", "1", "--phone", "0987654321").exit_code == 0
    rows = audit_rows(db_path)[3:]  # after the three branches
    assert [r["clerk"] for r in rows] == ["Chị Sa", "Anh Hùng", getpass.getuser()]
    assert [r["action"] for r in rows] == ["add", "edit", "edit"]
    assert rows[0]["command"].startswith(f"tanhung --db {db_path} --clerk Chị Sa member add")
    assert (
        rows[1]["command"]
        == f"tanhung --db {db_path} member edit 1 --phone 0912345678 --remark gọi điện"
    )
    assert json.loads(rows[1]["detail"]) == {"phone": [None, "0912345678"]}
    assert json.loads(rows[2]["detail"]) == {"phone": ["0912345678", "0987654321"]}
    assert all(r["at"][:4].isdigit() and "T" in r["at"] for r in rows)
    # The member's history joins each event with its audit row.
    history = json.loads(run("member", "history", "1", "--format", "json").stdout)
    assert [(e["kind"], e["clerk"]) for e in history["events"]] == [
        ("admitted", "Chị Sa"),
        ("edited", "Anh Hùng"),
        ("edited", getpass.getuser()),
    ]
    assert history["events"][1]["command"] == rows[1]["command"]
    table = run("member", "history", "1")
    assert "Chị Sa" in table.stdout and "Anh Hùng" in table.stdout


@pytest.mark.usefixtures("branches")
def test_a_refused_command_leaves_no_trace(run: Run, db_path: Path) -> None:
    before = len(audit_rows(db_path))
    refused = run("member", "add", *option_list(ADD, born="31/02/1980"))
    assert refused.exit_code == 1
    assert len(audit_rows(db_path)) == before


@pytest.mark.usefixtures("branches")
def test_audit_lists_everything(run: Run, db_path: Path) -> None:
    assert run("--clerk", "Chị Sa", "member", "add", *ADD).exit_code == 0
    listed = run("--lang", "en", "audit")
    assert listed.exit_code == 0, listed.output
    assert "Audit trail" in listed.stdout and "4 rows" in listed.stdout
    assert "Chị Sa" in listed.stdout
    data = json.loads(run("audit", "--format", "json").stdout)
    assert [(r["id"], r["action"], r["entity"], r["entity_id"]) for r in data] == [
        (1, "add", "branch", 1),
        (2, "add", "branch", 2),
        (3, "add", "branch", 3),
        (4, "add", "member", 1),
    ]
    assert data[3]["detail"] == {"name": "Nguyễn Thị Kiều Diễm"}
    assert data[3]["clerk"] == "Chị Sa"
    rows = list(csv.DictReader(io.StringIO(run("audit", "--format", "csv").stdout)))
    assert len(rows) == 4 and rows[3]["clerk"] == "Chị Sa"
    assert list(rows[0]) == [
        "id",
        "at",
        "clerk",
        "command",
        "action",
        "entity",
        "entity_id",
        "detail",
    ]


@pytest.mark.usefixtures("branches")
def test_audit_since(run: Run, db_path: Path) -> None:
    conn = open_db(db_path)
    # Rows from an earlier day, as a registry in use for years would hold.
    conn.execute(
        "INSERT INTO audit (at, clerk, command, action, entity) VALUES"
        " ('2019-05-19T08:00:00+07:00', 'old', 'tanhung x', 'add', 'branch')"
    )
    conn.close()
    assert len(json.loads(run("audit", "-f", "json").stdout)) == 4
    assert len(json.loads(run("audit", "--since", "01/01/2020", "-f", "json").stdout)) == 3
    assert len(json.loads(run("audit", "--since", "2019-05-19", "-f", "json").stdout)) == 4
    none = run("--lang", "en", "audit", "--since", "01/01/2099")
    assert none.exit_code == 0 and none.stdout == "No audit rows.\n"
    assert json.loads(run("audit", "--since", "01/01/2099", "-f", "json").stdout) == []
    bad = run("audit", "--since", "31/02/2020")
    assert bad.exit_code == 2
    assert "31/02/2020" in bad.stderr
