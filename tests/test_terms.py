"""Terms (nhiệm kỳ) and their targets: domain rules and the `term` / `target` commands."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from tanhung_cli import terms
from tanhung_cli.errors import Conflict, Invalid, NotFound

START, END = dt.date(2015, 7, 1), dt.date(2020, 6, 30)


def test_add_list_and_target(conn: sqlite3.Connection) -> None:
    term = terms.add_term(conn, "2015 – 2020", START, END)
    assert term.name == "2015-2020"
    terms.set_target(conn, "2015–2020", "kết nạp", 39)
    terms.set_target(conn, "2015-2020", "admissions", 40)  # a later resolution changes it
    [(found, targets)] = terms.list_terms(conn)
    assert (found.name, found.start, found.end, targets) == (
        "2015-2020",
        START,
        END,
        {"admissions": 40},
    )
    assert terms.target(conn, found, "admissions") == 40
    assert terms.term_at(conn, dt.date(2018, 1, 1)) == found
    assert terms.term_at(conn, dt.date(2021, 1, 1)) is None
    actions = conn.execute("SELECT action FROM audit WHERE entity = 'term' ORDER BY id").fetchall()
    assert [a[0] for a in actions] == ["add", "set-target", "set-target"]


def test_refusals(conn: sqlite3.Connection) -> None:
    terms.add_term(conn, "2015-2020", START, END)
    with pytest.raises(Conflict):
        terms.add_term(conn, "2015-2020", dt.date(2030, 1, 1), dt.date(2031, 1, 1))
    with pytest.raises(Conflict, match="2015-2020"):
        terms.add_term(conn, "2019-2024", dt.date(2019, 7, 1), dt.date(2024, 6, 30))
    with pytest.raises(Invalid):
        terms.add_term(conn, "2020-2025", END, START)
    with pytest.raises(Invalid):
        terms.add_term(conn, "  ", dt.date(2020, 7, 1), dt.date(2025, 6, 30))
    with pytest.raises(NotFound):
        terms.get_term(conn, "2010-2015")
    with pytest.raises(Invalid):
        terms.set_target(conn, "2015-2020", "weather", 3)
    with pytest.raises(Invalid):
        terms.set_target(conn, "2015-2020", "admissions", -1)
    assert conn.execute("SELECT count(*) FROM terms").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM targets").fetchone()[0] == 0


@pytest.mark.usefixtures("conn")  # an existing registry: no "created" line
def test_term_commands(run) -> None:
    result = run("term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020")
    assert result.exit_code == 0, result.output
    assert result.output == "Đã thêm nhiệm kỳ 2015-2020 (01/07/2015 – 30/06/2020).\n"
    result = run("target", "set", "2015-2020", "admissions", "39")
    assert result.exit_code == 0
    assert result.output == "Nhiệm kỳ 2015-2020: chỉ tiêu kết nạp đảng viên = 39.\n"
    result = run("term", "list", "--format", "json")
    assert json.loads(result.output) == [
        {
            "name": "2015-2020",
            "start": "2015-07-01",
            "end": "2020-06-30",
            "targets": {"admissions": 39.0},
            "branch_targets": {},
        }
    ]
    result = run("term", "list", "--format", "csv")
    assert result.output.splitlines() == [
        "name,start,end,target_admissions,target_training",
        "2015-2020,2015-07-01,2020-06-30,39.0,",
    ]
    result = run("term", "list")
    assert "2015-2020" in result.output and "kết nạp đảng viên: 39" in result.output
    result = run("term", "list", lang="en")
    assert "admissions: 39" in result.output


def test_term_command_errors(run) -> None:
    result = run("term", "add", "2015-2020", "--start", "31/02/2015", "--end", "30/06/2020")
    assert result.exit_code == 2
    assert "31/02/2015" in result.output
    run("term", "add", "2015-2020", "--start", "01/07/2015", "--end", "30/06/2020")
    result = run("term", "add", "2016-2021", "--start", "01/07/2016", "--end", "30/06/2021")
    assert result.exit_code == 1
    assert result.stderr == "Nhiệm kỳ 2016-2021 trùng thời gian với nhiệm kỳ 2015-2020.\n"
    result = run("target", "set", "2010-2015", "admissions", "39")
    assert result.exit_code == 1
    assert result.stderr == "Không có nhiệm kỳ '2010-2015'. Các nhiệm kỳ đã có: 2015-2020.\n"
    result = run("target", "set", "2015-2020", "admissions", "many")
    assert result.exit_code == 2
    result = run("target", "set", "2015-2020", "rain", "3", lang="en")
    assert result.exit_code == 1
    assert result.stderr == "Unknown target 'rain'; use one of: admissions, training.\n"
    assert run("term", "list", "-f", "json").output.count('"targets"') == 1
    assert "Chưa có nhiệm kỳ" not in run("term", "list").output
