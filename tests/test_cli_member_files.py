"""Member files carry every standing a member has now, and import back (#11, point 1).

Exempt, away on a temporary transfer out with its planned return, attending here
temporarily, left, re-admitted, transferred in: export → import into a new registry →
export gives the same file and the same `report summary`, in CSV, xlsx and JSON, on
both import paths. JSON files import as CSV files do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from tanhung_cli.i18n import t

pytestmark = pytest.mark.usefixtures("either_import_path")

BRANCHES = (("Ấp Chợ", "hamlet"), ("Ấp Te Te 1", "hamlet"))


def _add(run: Run, name: str, admitted: str, *extra: str) -> None:
    added = run("member", "add", "--name", name, "--gender", "Nam", "--born", "01/01/1960",
                "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", admitted, *extra)  # fmt: skip
    assert added.exit_code == 0, added.output


def _ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def every_state(run: Run) -> None:
    """A registry holding each standing a member can have at once."""
    for name, kind in BRANCHES:
        _ok(run, "branch", "add", name, "--kind", kind)
    _add(run, "Nguyễn Văn An", "01/01/1990", "--official", "01/01/1991")  # 1: plain
    _add(run, "Trần Văn Bảy", "01/01/1985", "--official", "01/01/1986")  # 2: exempt
    _ok(run, "member", "exempt", "2", "--on", "15/03/2021", "--note", "Tuổi cao")
    _add(run, "Lê Văn Cường", "01/01/2000", "--official", "01/01/2001")  # 3: away
    _ok(run, "member", "transfer-out", "3", "--to", "Xã Tân Hòa", "--kind", "temporary",
        "--on", "01/09/2026", "--until", "30/06/2027")  # fmt: skip
    _add(run, "Phạm Văn Dũng", "01/01/1995", "--official", "01/01/1996")  # 4: left
    _ok(run, "member", "leave", "4", "--reason", "died", "--on", "01/02/2024")
    _add(run, "Võ Văn Em", "01/01/1988", "--official", "01/01/1989")  # 5: re-admitted
    _ok(run, "member", "leave", "5", "--reason", "removed", "--on", "01/01/2010")
    _ok(run, "member", "readmit", "5", "--on", "01/06/2015", "--consent", "12-CV/TU")
    person = ("--gender", "Nữ", "--born", "02/03/1980", "--ethnicity", "Kinh", "--branch",
              "Ấp Te Te 1", "--admitted", "03/02/2005", "--official", "03/02/2006",
              "--from", "Xã Tân Hòa", "--on", "01/05/2022")  # fmt: skip
    _ok(run, "member", "transfer-in", "--kind", "official", "--name", "Đặng Thị Gấm", *person)
    _ok(run, "member", "transfer-in", "--kind", "temporary", "--name", "Hồ Thị Hoa", *person)


def _other(run: Run, tmp_path: Path) -> Path:
    other = tmp_path / "other.db"
    for name, kind in BRANCHES:
        _ok(run, "--db", str(other), "branch", "add", name, "--kind", kind)
    return other


def _cells(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


@pytest.mark.usefixtures("every_state")
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("headers", ["en", "vi"])
def test_every_state_survives_the_round_trip(
    run: Run, tmp_path: Path, fmt: str, headers: str
) -> None:
    first, second = tmp_path / f"first.{fmt}", tmp_path / f"second.{fmt}"
    _ok(run, "export", "members", "--all", "-o", str(first), "--headers", headers)
    other = _other(run, tmp_path)
    imported = run("--db", str(other), "import", "members", str(first))
    assert imported.exit_code == 0, imported.output
    assert "thêm 7, cập nhật 0, không đổi 0, bị từ chối 0" in imported.stdout
    _ok(run, "--db", str(other), "export", "members", "--all", "-o", str(second),
        "--headers", headers)  # fmt: skip
    if fmt == "xlsx":  # a workbook's container stamps the time it was written
        assert _cells(second) == _cells(first)
    else:
        assert second.read_bytes() == first.read_bytes()
    assert _ok(run, "--db", str(other), "report", "summary") == _ok(run, "report", "summary")
    for status, count in (("exempt", 1), ("away", 1), ("temporary", 1), ("left", 1)):
        found = json.loads(
            _ok(run, "--db", str(other), "member", "list", "--status", status, "-f", "json")
        )
        assert len(found) == count, status
    # The history the commands would have written: exempt since, away since and where to.
    shown = _ok(run, "--db", str(other), "member", "history", "2", "-f", "json")
    assert [(e["on_date"], e["kind"]) for e in json.loads(shown)["events"]][0] == (
        "2021-03-15",
        "exempted",
    )
    away = json.loads(_ok(run, "--db", str(other), "member", "show", "3", "-f", "json"))
    assert (away["away_since"], away["away_to"], away["away_until"]) == (
        "2026-09-01",
        "Xã Tân Hòa",
        "2027-06-30",
    )
    # And the same file into the registry it came from changes nothing.
    again = run("import", "members", str(first))
    assert "thêm 0, cập nhật 0, không đổi 7, bị từ chối 0" in again.stdout, again.output


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exempt_and_away_members_come_back_as_such(run: Run, tmp_path: Path, fmt: str) -> None:
    for name, kind in BRANCHES:
        _ok(run, "branch", "add", name, "--kind", kind)
    _add(run, "Trần Văn Bảy", "01/01/1985", "--official", "01/01/1986")
    _add(run, "Lê Văn Cường", "01/01/2000", "--official", "01/01/2001")
    _ok(run, "member", "exempt", "1", "--on", "15/03/2021")
    _ok(run, "member", "transfer-out", "2", "--to", "Xã Tân Hòa", "--kind", "temporary",
        "--on", "01/09/2026", "--until", "01/03/2027")  # fmt: skip
    exported = tmp_path / f"ds.{fmt}"
    _ok(run, "export", "members", "-o", str(exported))
    other = _other(run, tmp_path)
    _ok(run, "--db", str(other), "import", "members", str(exported))
    for status, name in (("exempt", "Trần Văn Bảy"), ("away", "Lê Văn Cường")):
        listed = _ok(run, "--db", str(other), "member", "list", "--status", status, "-f", "json")
        assert [m["full_name"] for m in json.loads(listed)] == [name]


@pytest.mark.usefixtures("every_state")
def test_an_exemption_imported_is_on_its_date(run: Run, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    _ok(run, "export", "members", "-o", str(first))
    other = _other(run, tmp_path)
    _ok(run, "--db", str(other), "import", "members", str(first))
    for day, count in (("14/03/2021", 0), ("15/03/2021", 1)):
        listed = _ok(run, "--db", str(other), "member", "list", "--status", "exempt",
                     "--as-of", day, "-f", "json")  # fmt: skip
        assert len(json.loads(listed)) == count


@pytest.mark.usefixtures("branches")
def test_planned_return_is_kept_and_shown(run: Run) -> None:
    _add(run, "Lê Văn Cường", "01/01/2000", "--official", "01/01/2001")
    out = _ok(run, "member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--kind", "temporary",
              "--on", "01/09/2026", "--until", "30/06/2027")  # fmt: skip
    assert t("schema.returning_on", date="30/06/2027") in out
    shown = _ok(run, "member", "show", "1")
    assert "Dự kiến trở về" in shown and "30/06/2027" in shown
    assert "Nơi chuyển đến" in shown and "Xã Tân Hòa" in shown
    _ok(run, "member", "transfer-in", "1", "--on", "01/12/2026")  # back: no longer away
    assert "Dự kiến trở về" not in _ok(run, "member", "show", "1")


@pytest.mark.usefixtures("branches")
def test_planned_return_is_refused_where_it_cannot_be(run: Run) -> None:
    _add(run, "Lê Văn Cường", "01/01/2000", "--official", "01/01/2001")
    base = ("member", "transfer-out", "1", "--to", "Xã Tân Hòa", "--on", "01/09/2026")
    before = run(*base, "--kind", "temporary", "--until", "01/08/2026")
    assert before.exit_code == 1
    assert before.stderr.strip() == t("schema.until_before", until="01/08/2026", date="01/09/2026")
    official = run(*base, "--kind", "official", "--until", "01/10/2026")
    assert official.exit_code == 1
    assert official.stderr.strip() == t("schema.until_official")
    assert json.loads(_ok(run, "member", "show", "1", "-f", "json"))["away"] is False


HEAD = "id,full_name,gender,birth_date,ethnicity,branch,admitted_on,official_on"


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    ("cells", "column", "key", "params"),
    [
        (",exempt_since\n,2000-01-01", "exempt_since", "schema.before_joining",
         {"date": "2010-01-01"}),
        (",away_since,away_to\n,2020-01-01,", "away_to", "schema.away_needs_place", {}),
        (",away_to\n,Xã Tân Hòa", "away_since", "schema.away_needs_date", {}),
        (",away_since,away_to,away_until\n,2020-01-01,Xã Tân Hòa,2019-01-01", "away_until",
         "schema.return_before_leaving", {}),
        (",temporary,away_since,away_to\n,x,2020-01-01,Xã Tân Hòa", "away_since",
         "schema.away_temporary", {}),
    ],
)  # fmt: skip
def test_a_standing_that_cannot_be_is_located(
    run: Run, tmp_path: Path, cells: str, column: str, key: str, params: dict[str, str]
) -> None:
    head, values = cells.split("\n")
    path = tmp_path / "ds.csv"
    path.write_text(
        f"{HEAD}{head}\n,Lê Văn Tư,Nam,1980-01-01,Kinh,Ấp Chợ,2010-01-01,2011-01-01{values}\n",
        encoding="utf-8",
    )
    refused = run("import", "members", str(path), lang="en")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[0] == f"ds.csv:2: {column}: " + t(key, lang="en", **params)
    assert json.loads(_ok(run, "member", "list", "-f", "json")) == []


@pytest.mark.usefixtures("branches")
def test_json_problems_are_located_and_nothing_is_imported(run: Run, tmp_path: Path) -> None:
    records = [
        {"full_name": "Lê Văn Tư", "gender": "Nam", "birth_date": "1980-01-01",
         "ethnicity": "Kinh", "branch": "Ấp Chợ", "admitted_on": "2010-01-01"},
        {"full_name": "Trần Văn Năm", "gender": "Nam", "birth_date": "1980-02-31",
         "ethnicity": "Kinh", "branch": "Ấp Chợ", "admitted_on": "2010-01-01"},
        ["not", "a", "member"],
    ]  # fmt: skip
    path = tmp_path / "ds.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    refused = run("import", "members", str(path), lang="en")
    assert refused.exit_code == 1
    lines = refused.stderr.splitlines()
    # Each record's line is the line its object opens on, as an editor shows it.
    assert lines[0] == (
        "ds.json:10: birth_date: " + t("rule.date_impossible", lang="en", value="1980-02-31")
    )
    assert lines[1] == "ds.json:18: " + t("schema.json_not_record", lang="en")
    assert json.loads(_ok(run, "member", "list", "-f", "json")) == []
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps(records[:1], ensure_ascii=False), encoding="utf-8")
    assert "thêm 1," in _ok(run, "import", "members", str(fine))


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ('{"full_name": "Lê Văn Tư"}', "schema.json_not_list", {}),
        ('[\n  {"full_name": "Lê Văn Tư"},\n  {"full_name": \n', "schema.bad_json",
         {"line": 4, "reason": "Expecting value"}),
    ],
)  # fmt: skip
def test_a_json_file_that_is_not_a_list_of_members(
    run: Run, tmp_path: Path, text: str, key: str, params: dict[str, Any]
) -> None:
    path = tmp_path / "ds.json"
    path.write_text(text, encoding="utf-8")
    refused = run("import", "members", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == t(key, file="ds.json", **params)


@pytest.mark.usefixtures("branches")
def test_an_update_that_gives_an_exemption_records_it(run: Run, tmp_path: Path) -> None:
    _add(run, "Trần Văn Bảy", "01/01/1985", "--official", "01/01/1986")
    path = tmp_path / "ds.csv"
    path.write_text(
        f"{HEAD},exempt_since\n1,Trần Văn Bảy,Nam,1960-01-01,Kinh,Ấp Chợ,1985-01-01,1986-01-01,"
        "2021-03-15\n",
        encoding="utf-8",
    )
    refused = run("import", "members", str(path))
    assert refused.exit_code == 1
    assert "Miễn sinh hoạt từ" in refused.stderr
    _ok(run, "import", "members", str(path), "--update")
    listed = _ok(run, "member", "list", "--status", "exempt", "--as-of", "15/03/2021", "-f", "json")
    assert [m["full_name"] for m in json.loads(listed)] == ["Trần Văn Bảy"]
    events = json.loads(_ok(run, "member", "history", "1", "-f", "json"))["events"]
    assert ("2021-03-15", "exempted") in [(e["on_date"], e["kind"]) for e in events]
