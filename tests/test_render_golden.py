"""Every list and report of the sample registry, in every format, byte for byte.

The goldens in ``fixtures/render`` were written by the code before the renderer was made
one package (issue #12, point 3); they pin what a clerk sees: terminal tables at 60, 80
and 120 columns, CSV, JSON, Markdown, HTML and the cells of an xlsx. Timestamps of the
moment the test runs are masked. ``TANHUNG_GOLDEN=write`` writes them afresh.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app

GOLDEN = Path(__file__).parent / "fixtures" / "render"
WRITE = os.environ.get("TANHUNG_GOLDEN") == "write"
STAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
# The sample's import records the command last run in this process (audit's context),
# which depends on the tests run before.
COMMAND = re.compile(r'"command": "[^"]*"')

REPORTS = {
    "summary": ["report", "summary", "-t", "2015-2020"],
    "branches": ["report", "branches", "-t", "2015-2020"],
    "admissions": ["report", "admissions", "-t", "2015-2020"],
    "training": ["report", "training", "-t", "2015-2020"],
    "composition": ["report", "composition", "--as-of", "30/06/2020"],
    "roster": ["report", "roster", "-b", "Ấp Chợ", "--as-of", "30/06/2020", "--all"],
    "changes": ["report", "changes", "--from", "01/07/2015", "--to", "30/06/2020"],
}
LISTS = {
    "member_list": ["member", "list", "--as-of", "30/06/2020", "-b", "Ấp Chợ", "--all"],
    "member_show": ["member", "show", "5", "--as-of", "30/06/2020"],
    "member_show_exempt": ["member", "show", "12", "--as-of", "30/06/2025"],
    "member_history": ["member", "history", "12"],
    "member_birthdays": ["member", "birthdays", "--as-of", "30/06/2020"],
    "member_standing": ["member", "standing", "368", "--as-of", "30/06/2020"],
    "branch_list": ["branch", "list", "--as-of", "30/06/2020"],
    "course_list": ["course", "list"],
    "course_show": ["course", "show", "1"],
    "rating_list": ["rating", "list", "2019"],
    "rating_summary": ["rating", "summary", "2019"],
    "term_list": ["term", "list"],
    "due": ["due", "--as-of", "30/06/2020", "--within", "200"],
}
WIDTHS = ("60", "80", "120")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory, sample_db: Path) -> Path:
    """The sample, with a few writes that lists show: ratings, an exemption, a correction."""
    path = tmp_path_factory.mktemp("golden") / "golden.db"
    shutil.copy(sample_db, path)
    for args in (
        ["rating", "set", "2019", "12", "HTXSNV"],
        ["rating", "set", "2019", "20", "KHTNV"],
        ["member", "exempt", "12", "--on", "01/03/2021", "--note", "Tuổi cao"],
        ["member", "edit", "12", "--phone", "0901234567", "--on", "02/03/2021"],
        ["target", "set", "2015-2020", "admissions", "6", "-b", "Ấp Chợ"],
    ):
        result = CliRunner().invoke(app, ["--db", str(path), *args])
        i18n.set_lang("vi")
        assert result.exit_code == 0, result.output
    return path


def _run(registry: Path, args: list[str], lang: str = "vi", width: str = "200") -> str:
    os.environ["COLUMNS"] = width
    try:
        result = CliRunner().invoke(app, ["--db", str(registry), "--lang", lang, *args])
    finally:
        os.environ["COLUMNS"] = "200"
        i18n.set_lang("vi")
    assert result.exit_code == 0, result.output
    return result.stdout.replace(str(registry), "<db>")


def _check(name: str, text: str) -> None:
    # What the sample's import recorded today, and when, changes every day.
    today = dt.date.today()
    text = STAMP.sub("<stamp>", text).replace(today.isoformat(), "<today>")
    text = COMMAND.sub('"command": "<command>"', text)
    text = text.replace(today.strftime("%d/%m/%Y"), "<today>")
    # A printed document's style sheet is pinned by tests/test_documents*.py, not here.
    text = re.sub(r"<style>.*?</style>", "<style>…</style>", text, flags=re.S)
    # A printed document's date line is the day it is printed.
    text = text.replace(f"ngày {today:%d} tháng {today:%m} năm {today.year}", "<today>")
    path = GOLDEN / name
    if WRITE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.read_bytes().decode("utf-8") == text, name


@pytest.mark.parametrize("name", [*REPORTS, *LISTS])
def test_terminal_at_three_widths_and_both_languages(registry: Path, name: str) -> None:
    args = {**REPORTS, **LISTS}[name]
    for width in WIDTHS:
        _check(f"{name}.{width}.txt", _run(registry, args, width=width))
    _check(f"{name}.en.txt", _run(registry, args, lang="en", width="80"))


@pytest.mark.parametrize("name", [*REPORTS, *LISTS])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv(registry: Path, name: str, fmt: str) -> None:
    args = {**REPORTS, **LISTS}[name]
    _check(f"{name}.{fmt}", _run(registry, [*args, "-f", fmt]))


@pytest.mark.parametrize("name", [*REPORTS, "rating_summary"])
def test_report_csv_in_english_keeps_the_column_names(registry: Path, name: str) -> None:
    """Issue #16: a report's CSV is headed in the clerk's language; with --lang en, by the
    stable column names (JSON's keys), as before."""
    args = {**REPORTS, **LISTS}[name]
    _check(f"{name}.en.csv", _run(registry, [*args, "-f", "csv"], lang="en"))


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_markdown(registry: Path, name: str, lang: str) -> None:
    _check(f"{name}.{lang}.md", _run(registry, [*REPORTS[name], "-f", "markdown"], lang=lang))


@pytest.mark.parametrize("name", list(REPORTS))
@pytest.mark.parametrize("ending", [".html", ".md", ".csv", ".json"])
def test_report_files(registry: Path, tmp_path: Path, name: str, ending: str) -> None:
    out = tmp_path / f"out{ending}"
    _run(registry, [*REPORTS[name], "--output", str(out)])
    data = out.read_bytes().decode("utf-8")
    _check(f"{name}.file{ending}", data)


def test_cli_demo(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    for fmt in ("table", "json", "csv", "markdown"):
        out = CliRunner().invoke(app, ["--db", str(target), "demo", "-f", fmt])
        i18n.set_lang("vi")
        assert out.exit_code == 0, out.output
        _check(f"demo.{fmt}.txt", out.stdout.replace(str(target), "<db>"))
        target.unlink()


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("headers", ["vi", "en"])
def test_exporter(registry: Path, tmp_path: Path, fmt: str, headers: str) -> None:
    out = tmp_path / f"members.{fmt}"
    args = [
        "export",
        "members",
        "-o",
        str(out),
        "--headers",
        headers,
        "--as-of",
        "30/06/2020",
        "-b",
        "Ấp Chợ",
    ]
    _run(registry, args)
    if fmt != "xlsx":
        _check(f"export.{headers}.{fmt}", out.read_bytes().decode("utf-8"))
        return
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = [n for n in book.namelist() if "sharedStrings" in n]
        shared = book.read(strings[0]).decode("utf-8") if strings else ""
    _check(f"export.{headers}.xlsx.xml", sheet + "\n" + shared)
