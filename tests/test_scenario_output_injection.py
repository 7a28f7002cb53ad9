"""Texts from the registry stay texts in every output: HTML escaped, CSV never a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import Run
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app

SCRIPT = '"><script>alert(1)</script>'
LINK = "[link=javascript:alert(1)]x[/link]"  # rich markup: a raw href in export_html
CLOSER = "[/bold]"  # rich markup that does not parse
FORMULA = "@SUM(A1)"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def add_member(run: Run, branch: str, *extra: str) -> None:
    result = run("member", "add", "--name", "Nguyễn Văn An", "--gender", "Nam", "--born",
                 "01/01/1970", "--ethnicity", "Kinh", "--branch", branch, "--admitted",
                 "01/01/2000", "--official", "01/01/2001", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output


@pytest.fixture
def hostile(run: Run) -> None:
    for name in (SCRIPT, LINK, CLOSER, FORMULA):
        assert run("--clerk", "=1+2", "branch", "add", name).exit_code == 0
        add_member(run, name, "--note", "=1+1", "--home-town", "+84 HYPERLINK")


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    "words",
    [["summary"], ["branches"], ["admissions"], ["training"], ["composition"], ["roster"]]
    + [["roster", "--branch", name] for name in (SCRIPT, LINK, CLOSER)],
)
def test_html_reports_escape_every_text(run: Run, tmp_path: Path, words: list[str]) -> None:
    target = tmp_path / "report.html"
    result = run("report", *words, "--output", str(target))
    assert result.exit_code in (0, 1), result.output  # 1: no term for a term report
    if result.exit_code:
        return
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page and 'href="javascript' not in page
    if SCRIPT in words or words == ["branches"]:
        assert "&lt;script&gt;" in page


@pytest.mark.usefixtures("hostile")
def test_the_html_title_is_escaped(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "roster.html"
    assert run("report", "roster", "--branch", SCRIPT, "--output", str(target)).exit_code == 0
    head = target.read_text(encoding="utf-8").split("</head>")[0]
    assert '<meta name="title" content="' in head and "<script" not in head
    assert "&quot;&gt;&lt;script&gt;" in head


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    "words",
    [["branch", "list"], ["member", "list"], ["member", "show", "3"], ["report", "branches"],
     ["report", "roster", "--branch", CLOSER]],
)  # fmt: skip
def test_markup_in_names_is_shown_as_typed(run: Run, words: list[str]) -> None:
    result = run(*words)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize(
    "words",
    [["member", "list", "--format", "csv"], ["report", "roster", "--format", "csv"],
     ["report", "branches", "--format", "csv"], ["report", "composition", "--format", "csv"],
     ["audit", "--format", "csv"], ["export", "members"], ["branch", "list", "--format", "csv"],
     ["report", "roster", "--output", "{file}"], ["export", "members", "-o", "{file}"],
     ["import", "members", "{bad}", "--dry-run", "--rejects", "{file}"]],
)  # fmt: skip
def test_every_csv_neutralises_formulas(run: Run, tmp_path: Path, words: list[str]) -> None:
    target, bad = tmp_path / "out.csv", tmp_path / "bad.csv"
    bad.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ghi chú\n"
        f"Lê Văn Tư,Nam,31/02/1980,Kinh,{FORMULA},03/02/2015,=cmd|' /C calc'!A0\n",
        encoding="utf-8",
    )
    args = [w.format(file=target, bad=bad) for w in words]
    result = run(*args)
    assert result.exit_code in (0, 1), result.output  # 1: the import refuses the bad row
    text = target.read_text(encoding="utf-8-sig") if "{file}" in words else result.stdout
    cells = csv_cells(text)
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]
    if "composition" not in words:
        assert any(c.startswith("'") for c in cells)  # something was neutralised


def test_negative_numbers_in_reports_stay_numbers() -> None:
    from tanhung_cli import render

    out = io.StringIO()
    render.to_csv([{"change": -3, "name": "-3"}], ["change", "name"], out)
    assert out.getvalue() == "change,name\n-3,'-3\n"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_stored_quote_before_a_formula_survives_the_round_trip(
    run: Run, tmp_path: Path, fmt: str
) -> None:
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    add_member(run, "Ấp Chợ", "--note", "'=1+1", "--home-town", "=2+3", "--profession", "''-x")
    first = tmp_path / "first.csv"
    assert run("export", "members", "-o", str(first)).exit_code == 0
    source = first
    if fmt == "xlsx":
        source = tmp_path / "first.xlsx"
        assert run("export", "members", "-o", str(source)).exit_code == 0
    other = tmp_path / "other.db"
    runner = CliRunner()
    for words in (["branch", "add", "Ấp Chợ"], ["import", "members", str(source)],
                  ["export", "members", "-o", str(tmp_path / "second.csv")]):  # fmt: skip
        result = runner.invoke(app, ["--db", str(other), *words])
        i18n.set_lang("vi")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "second.csv").read_bytes() == first.read_bytes()
    shown = runner.invoke(app, ["--db", str(other), "member", "show", "1", "--format", "json"])
    member = json.loads(shown.stdout)
    assert (member["note"], member["home_town"], member["profession"]) == ("'=1+1", "=2+3", "''-x")
