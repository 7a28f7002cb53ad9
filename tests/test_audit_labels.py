"""The audit trail as a clerk reads it (issue #16, "The rest of what a clerk reads"):
actions and objects in words, the detail in words rather than JSON, dd/mm/yyyy hh:mm,
newest first, `--limit`; English with --lang en. JSON and CSV keep the stored codes."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli.i18n import catalogue
from tanhung_cli.render import trail

pytestmark = pytest.mark.usefixtures("branches")


@pytest.fixture
def edited(run: Run, monkeypatch: pytest.MonkeyPatch, branches: None) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a row a line
    added = run("--clerk", "Chị Sa", "member", "add", *option_list(DIEM, branch="Ấp Chợ"))
    assert added.exit_code == 0, added.output
    assert run("member", "edit", "1", "--phone", "0912345678").exit_code == 0
    assert run("member", "exempt", "1", "--on", "01/03/2025", "--note", "Tuổi cao").exit_code == 0


def _lines(text: str) -> list[str]:
    """The table's rows, the first line of each (a long command wraps)."""
    return [line for line in text.splitlines() if re.match(r"│ +\d+ ", line)]


@pytest.mark.usefixtures("edited")
def test_the_trail_reads_in_words_newest_first(run: Run) -> None:
    result = run("audit")
    assert result.exit_code == 0, result.output
    rows = _lines(result.stdout)
    assert [r.split("│")[1].strip() for r in rows] == ["6", "5", "4", "3", "2", "1"]
    newest, edit, add = rows[0], rows[1], rows[2]
    assert "Miễn sinh hoạt" in newest and "Đảng viên 1 (Nguyễn Thị Kiều Diễm)" in newest
    assert "Sửa" in edit and "Điện thoại: — → 0912345678" in edit
    assert "Thêm" in add and "Chị Sa" in add and "Tên: Nguyễn Thị Kiều Diễm" in add
    assert "Chi bộ 1 (Ấp Chợ)" in rows[-1]
    assert "{" not in result.stdout and '"' not in result.stdout  # no JSON shown
    stamps = re.findall(r"\d\d/\d\d/\d{4} \d\d:\d\d", result.stdout)
    assert len(stamps) == 6


@pytest.mark.usefixtures("edited")
def test_english_labels(run: Run) -> None:
    result = run("audit", lang="en")
    rows = _lines(result.stdout)
    assert "Exempted" in rows[0] and "Member 1 (Nguyễn Thị Kiều Diễm)" in rows[0]
    assert "Edited" in rows[1] and "phone: — → 0912345678" in rows[1]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[0])


@pytest.mark.usefixtures("edited")
def test_limit_keeps_the_newest(run: Run) -> None:
    result = run("audit", "--limit", "2")
    rows = _lines(result.stdout)
    assert [r.split("│")[1].strip() for r in rows] == ["6", "5"]
    assert "2 dòng mới nhất trong 6 dòng" in result.stdout
    data = json.loads(run("audit", "-n", "2", "-f", "json").stdout)
    assert [r["id"] for r in data] == [5, 6]  # JSON keeps the recorded order
    assert data[0]["action"] == "edit" and data[0]["detail"] == {"phone": [None, "0912345678"]}
    rows_csv = list(csv.DictReader(io.StringIO(run("audit", "-n", "1", "-f", "csv").stdout)))
    assert [(r["id"], r["action"], r["entity"]) for r in rows_csv] == [("6", "exempt", "member")]
    assert run("audit", "--limit", "0").exit_code == 2


def test_every_recorded_action_has_words() -> None:
    """Each action a module records (history.record, waiting.record_audit) is labelled in
    both languages; so is each object."""
    package = Path(trail.__file__).parents[1]
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    actions = set(re.findall(r'record\(\s*conn,\s*"([\w-]+)"', code))
    actions |= set(re.findall(r'record_audit\(\s*conn,\s*"([\w-]+)"', code))
    actions |= {"loan", "grant", "import"}
    objects = set(re.findall(r'record\(\s*conn,\s*[\w"-]+,\s*"(\w+)"', code))
    objects |= set(re.findall(r'^\s+entity = "(\w+)"', code, re.M))
    keys = catalogue()
    assert len(actions) >= 30 and len(objects) >= 10
    assert sorted(a for a in actions if f"audit.action.{a}" not in keys) == []
    assert sorted(o for o in objects if f"audit.object.{o}" not in keys) == []


@pytest.mark.parametrize(
    ("stored", "action", "shown"),
    [
        ('{"file": "ds.csv", "added": 3}', "import", "Tệp: ds.csv; thêm: 3"),
        ('{"amount": 100000000, "on": "2015-08-15"}', "capital", "Số tiền: 100.000.000 đ; Ngày: 15/08/2015"),
        ('{"birth_date": ["1980-01-01", "1981-01-01"]}', "correct", "Ngày sinh: 01/01/1980 → 01/01/1981"),
        ('{"members": [3, 4], "on": "2020-01-01"}', "complete", "Đảng viên: 3, 4; Ngày: 01/01/2020"),
        ('{"revolving": false}', "add", "Quay vòng: không"),
        ("not json", "add", "not json"),
        (None, "add", ""),
    ],
)  # fmt: skip
def test_details_in_words(stored: str | None, action: str, shown: str) -> None:
    assert trail.detail(stored, action) == shown


def test_an_unknown_code_is_shown_as_recorded(db_path: Path, run: Run) -> None:
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute(
            "INSERT INTO audit (at, clerk, command, action, entity, detail) VALUES"
            " ('2019-05-19T08:00:00+07:00', 'cũ', 'tanhung x', 'reshuffle', 'widget', '{\"x\": 1}')"
        )
    rows = _lines(run("audit", "-n", "1").stdout)
    assert "reshuffle" in rows[0] and "widget" in rows[0] and "19/05/2019 08:00" in rows[0]
    assert "x: 1" in rows[0]
