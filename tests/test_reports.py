"""Reports over the Tân Hùng sample: the article's figures, and every report in every format."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tanhung_cli import composition, i18n, reports
from tanhung_cli.cli import app
from tanhung_cli.db import open_db

# Support for members in hardship (issue #13): the article's figures, from the records.
SUPPORT_FUNDS = [
    ("Quỹ Hỗ trợ nông dân Trung ương", "farmers-support", 208_000_000, 8, 8),
    ("Quỹ Hỗ trợ nông dân huyện Tiểu Cần", "farmers-support", 148_000_000, 6, 6),
    ("Quỹ hỗ trợ đảng viên nghèo huyện Tiểu Cần", "poor-members", 45_000_000, 3, 3),
    ("Quỹ quay vòng chi bộ Ấp Sáu", "revolving", 372_000_000, 18, 14),
    ("Quỹ quay vòng chi bộ Ấp Te Te 1", "revolving", 372_000_000, 18, 14),
]
FIGURES = ("amount_vnd", "loans", "members")
SUPPORT_2020 = {
    "amount_vnd": 1_145_000_000, "loans": 53, "members": 42,
    "by_fund": [dict(zip(("name", "kind", *FIGURES), f, strict=True)) for f in SUPPORT_FUNDS],
    "by_kind": [
        {"kind": "farmers-support", "amount_vnd": 356_000_000, "loans": 14, "members": 12},
        {"kind": "poor-members", "amount_vnd": 45_000_000, "loans": 3, "members": 3},
        {"kind": "revolving", "amount_vnd": 744_000_000, "loans": 36, "members": 28},
    ],
}  # fmt: skip
# At 31/12/2019 each revolving fund had made one loan (20 million) fewer.
SUPPORT_2019 = {
    **SUPPORT_2020, "amount_vnd": 1_105_000_000, "loans": 51,
    "by_fund": [
        f | ({"amount_vnd": 352_000_000, "loans": 17} if f["kind"] == "revolving" else {})
        for f in SUPPORT_2020["by_fund"]
    ],
    "by_kind": [*SUPPORT_2020["by_kind"][:2],
                {"kind": "revolving", "amount_vnd": 704_000_000, "loans": 34, "members": 28}],
}  # fmt: skip
SUMMARY_2020 = {
    "as_of": "2020-06-30",
    "term": {"name": "2015-2020", "start": "2015-07-01", "end": "2020-06-30"},
    "members": {
        "total": 301, "official": 292, "probationary": 9, "women": 78, "men": 223,
        "by_ethnicity": {"Kinh": 243, "Khmer": 56, "Hoa": 2},
    },
    "admissions": {"in_term": 45, "target": 39, "percent_of_target": 115.4, "readmitted": 0},
    "training": {"attendances": 124, "people": 110},
    # Issue #13: "12 cuộc hội nghị … 623 lượt đồng chí dự" (since 2017, to the term's end).
    "activity": {"since": "2017-01-01", "conferences": 12, "attendances": 623},
    "support": SUPPORT_2020,
}  # fmt: skip
# Half a year before the end: members admitted in 2020 not yet there, those who left
# in 2020 still there, and one more probationary member (confirmed in the spring).
SUMMARY_2019 = {
    "as_of": "2019-12-31",
    "term": SUMMARY_2020["term"],
    "members": {
        "total": 298, "official": 288, "probationary": 10, "women": 76, "men": 222,
        "by_ethnicity": {"Kinh": 241, "Khmer": 55, "Hoa": 2},
    },
    "admissions": {"in_term": 41, "target": 39, "percent_of_target": 105.1, "readmitted": 0},
    "training": {"attendances": 116, "people": 102},
    "activity": {"since": "2017-01-01", "conferences": 12, "attendances": 623},
    "support": SUPPORT_2019,
}  # fmt: skip


@pytest.fixture
def report(sample_db: Path):
    runner = CliRunner()

    def invoke(*args: str, lang: str = "vi") -> Result:
        result = runner.invoke(app, ["--db", str(sample_db), "--lang", lang, "report", *args])
        i18n.set_lang("vi")
        return result

    return invoke


@pytest.fixture
def conn(sample_db: Path):
    connection = open_db(sample_db)
    yield connection
    connection.close()


def test_summary_reproduces_the_article(report) -> None:
    result = report("summary", "--term", "2015-2020", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == SUMMARY_2020
    by_date = report("summary", "--as-of", "30/06/2020", "-f", "json")
    assert json.loads(by_date.output) == SUMMARY_2020


def test_summary_inside_the_term(report) -> None:
    result = report("summary", "--as-of", "31/12/2019", "--format", "json")
    assert json.loads(result.output) == SUMMARY_2019


def test_summary_table_reads_like_the_clerks_report(report) -> None:
    lines = report("summary", "--term", "2015-2020").output.splitlines()
    assert lines[:4] == [
        "Tổng hợp tình hình đảng viên đến ngày 30/06/2020",
        "Toàn Đảng bộ có 301 đảng viên; chính thức 292, dự bị 9; dân tộc Khmer 56, Hoa 2; nữ 78.",
        "Nhiệm kỳ 2015-2020 (01/07/2015 – 30/06/2020): kết nạp được 45 đảng viên mới, đạt"
        " 115,4 % chỉ tiêu nghị quyết (39).",
        "Đưa 124 lượt đồng chí tham dự các lớp đào tạo, bồi dưỡng (110 đồng chí).",
    ]
    assert any("Tỷ lệ đạt chỉ tiêu kết nạp" in line and "115,4 %" in line for line in lines)
    english = report("summary", "--term", "2015-2020", lang="en").output
    assert "The Party Committee has 301 members: 292 official, 9 probationary" in english
    assert "115.4% of the resolution's target (39)" in english


def test_summary_csv_and_markdown(report) -> None:
    rows = list(
        csv.reader(io.StringIO(report("summary", "-t", "2015-2020", "-f", "csv", lang="en").output))
    )
    assert rows[0] == ["key", "value"]
    assert dict(rows[1:]) == {
        "members.total": "301", "members.official": "292", "members.probationary": "9",
        "members.women": "78", "members.men": "223", "members.by_ethnicity.Kinh": "243",
        "members.by_ethnicity.Khmer": "56", "members.by_ethnicity.Hoa": "2",
        "admissions.in_term": "45", "admissions.target": "39",
        "admissions.percent_of_target": "115.4", "admissions.readmitted": "0",
        "training.attendances": "124",
        "training.people": "110",
        # Issue #13: the article's conferences and support, in the same table.
        "activity.conferences": "12", "activity.attendances": "623",
        "support.amount_vnd": "1145000000", "support.loans": "53", "support.members": "42",
    }  # fmt: skip
    md = report("summary", "-t", "2015-2020", "-f", "markdown").output
    assert md.startswith(
        "# Tổng hợp tình hình đảng viên đến ngày 30/06/2020\n\nToàn Đảng bộ có 301"
    )
    assert "| Tỷ lệ đạt chỉ tiêu kết nạp | 115,4 % |" in md
    assert "| Đảng viên dự bị | 9 |" in md
    assert "| Hỗ trợ đảng viên khó khăn (số tiền) | 1.145.000.000 đ |" in md
    assert "Từ năm 2017 đến nay, Đảng ủy tổ chức 12 cuộc hội nghị giao ban bí thư chi bộ" in md


def test_branch_rows_add_up_to_the_summary(report) -> None:
    for as_of, expected in (("30/06/2020", SUMMARY_2020), ("31/12/2019", SUMMARY_2019)):
        rows = json.loads(report("branches", "--as-of", as_of, "-f", "json").output)
        assert len(rows) == 14
        assert set(rows[0]) == {"branch", "kind", "total", "official", "probationary", "women",
                                "by_ethnicity", "admitted_in_term"}  # fmt: skip
        members = expected["members"]
        for key in ("total", "official", "probationary", "women"):
            assert sum(r[key] for r in rows) == members[key], key
        ethnic: dict[str, int] = {}
        for r in rows:
            assert sum(r["by_ethnicity"].values()) == r["total"]
            for name, n in r["by_ethnicity"].items():
                ethnic[name] = ethnic.get(name, 0) + n
        assert ethnic == members["by_ethnicity"]
        assert sum(r["admitted_in_term"] for r in rows) == expected["admissions"]["in_term"]
    hamlets = [r["branch"] for r in rows if r["kind"] == "hamlet"]
    assert len(hamlets) == 8 and "Ấp Te Te 1" in hamlets


def test_branches_formats(report) -> None:
    table = report("branches", "-t", "2015-2020").output
    assert "Đảng viên theo chi bộ, ngày 30/06/2020" in table
    total_line = next(line for line in table.splitlines() if "Cộng" in line)
    assert [c.strip() for c in total_line.strip("│ ").split("│")][1:] == [
        "301", "292", "9", "78", "243", "56", "2", "45"]  # fmt: skip
    rows = list(
        csv.DictReader(
            io.StringIO(report("branches", "-t", "2015-2020", "-f", "csv", lang="en").output)
        )
    )
    assert len(rows) == 14 and sum(int(r["total"]) for r in rows) == 301
    assert rows[0].keys() >= {"branch", "kind", "Kinh", "Khmer", "admitted_in_term"}
    md = report("branches", "-t", "2015-2020", "-f", "markdown").output
    assert "| Cộng | 301 | 292 | 9 | 78 | 243 | 56 | 2 | 45 |" in md
    one = json.loads(report("branches", "-b", "Te Te 1", "-t", "2015-2020", "-f", "json").output)
    assert [r["branch"] for r in one] == ["Ấp Te Te 1"]


def test_admissions(report) -> None:
    data = json.loads(report("admissions", "-t", "2015-2020", "-f", "json").output)
    assert (data["in_term"], data["target"], data["percent_of_target"]) == (45, 39, 115.4)
    assert [(y["year"], y["admitted"]) for y in data["by_year"]] == [
        (2015, 5), (2016, 8), (2017, 9), (2018, 9), (2019, 10), (2020, 4)]  # fmt: skip
    assert sum(b["admitted"] for b in data["by_branch"]) == 45
    table = report("admissions", "-t", "2015-2020").output
    assert "Kết nạp 45 / chỉ tiêu 39: đạt 115,4 %." in table
    assert "2019 ████████████████████████████████████████ 10" in table  # the bar chart
    # Scaled to the target (issue #16): its mark at 39/45 of 40 cells; 45 passes it.
    assert "Chỉ tiêu nghị quyết " + "█" * 35 + "┃ 39" in table
    assert "Kết nạp " + "█" * 35 + "┃" + "█" * 4 + " 45" in table
    assert "┃ chỉ tiêu: 39" in table
    rows = list(
        csv.reader(
            io.StringIO(report("admissions", "-t", "2015-2020", "-f", "csv", lang="en").output)
        )
    )
    assert rows[0] == ["section", "group", "admitted"] and ["year", "2019", "10"] in rows
    md = report("admissions", "--as-of", "31/12/2017", "-f", "markdown").output
    assert "| 2018 |" not in md and "| 2017 | 9 |" in md and "## Theo năm" in md


def test_training(report) -> None:
    data = json.loads(report("training", "-t", "2015-2020", "-f", "json").output)
    assert data["total"] == {"attendances": 124, "people": 110}
    kinds = {k["kind"]: (k["attendances"], k["people"]) for k in data["by_kind"]}
    assert kinds == {"theory-elementary": (24, 24), "theory-intermediate": (10, 10),
                     "new-member": (44, 44), "committee": (16, 16), "professional": (30, 30)}  # fmt: skip
    table = report("training", "-t", "2015-2020").output
    assert "Lớp đảng viên mới" in table and "Cộng" in table
    rows = list(
        csv.DictReader(
            io.StringIO(report("training", "-t", "2015-2020", "-f", "csv", lang="en").output)
        )
    )
    assert sum(int(r["attendances"]) for r in rows) == 124
    md = report("training", "--as-of", "31/12/2019", "-f", "markdown", lang="en").output
    assert "| Total | 116 | 102 |" in md


def test_composition(report) -> None:
    data = json.loads(report("composition", "--as-of", "30/06/2020", "-f", "json").output)
    scales = ("general_education", "professional_level", "theory_level", "foreign_language")
    for key in ("ethnicity", "religion", "age", *scales):
        assert sum(r["total"] for r in data[key]) == 301, key
        assert sum(r["women"] for r in data[key]) == 78, key
    assert data["ethnicity"][1] == {"group": "Khmer", "men": 44, "women": 12, "total": 56}
    table = report("composition", "--as-of", "30/06/2020").output
    assert "Tháp tuổi (nam | nữ)" in table and "61-70" in table
    rows = list(
        csv.DictReader(
            io.StringIO(
                report("composition", "--as-of", "30/06/2020", "-f", "csv", lang="en").output
            )
        )
    )
    assert {r["section"] for r in rows} == {
        "ethnicity",
        "religion",
        "age",
        *scales,
    }
    md = report("composition", "--as-of", "30/06/2020", "-b", "Te Te 1", "-f", "markdown").output
    assert "| Khmer | " in md and "## Độ tuổi" in md


def test_roster(report, tmp_path: Path) -> None:
    data = json.loads(
        report("roster", "-b", "Te Te 1", "--as-of", "30/06/2020", "-f", "json").output
    )
    assert len(data) == 34 and [r["no"] for r in data] == list(range(1, 35))
    assert sum(r["status"] == "probationary" for r in data) == 1
    everyone = json.loads(report("roster", "--as-of", "30/06/2020", "--all", "-f", "json").output)
    assert len(everyone) == 319 and sum(r["status"] == "left" for r in everyone) == 18
    table = report("roster", "-b", "Te Te 1", "--as-of", "30/06/2020").output
    assert "Danh sách đảng viên Ấp Te Te 1, ngày 30/06/2020" in table and "34 đảng viên" in table
    at_end = report(
        "roster", "-b", "Ấp Chợ", "--as-of", "30/06/2020", "-f", "csv", lang="en"
    ).output
    rows = list(csv.DictReader(io.StringIO(at_end)))
    assert len(rows) == 38 and rows[0]["card_no"].isdigit() and len(rows[0]["card_no"]) == 8
    md = report("roster", "-b", "Ấp Chợ", "--as-of", "30/06/2020", "-f", "markdown").output
    assert md.count("\n| ") == 2 + 38  # header, rule, one line a member


def test_output_files(report, tmp_path: Path) -> None:
    for suffix in (".md", ".html", ".csv", ".json"):
        out = tmp_path / f"summary{suffix}"
        result = report("summary", "-t", "2015-2020", "--output", str(out))
        assert result.exit_code == 0, result.output
        assert result.output == f"Đã ghi báo cáo vào {out}.\n"
    assert "| Tổng số đảng viên | 301 |" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    html = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Toàn Đảng bộ có 301 đảng viên" in html
    # A report's CSV is headed in the clerk's language (issue #16); --lang en: the keys.
    assert (
        (tmp_path / "summary.csv")
        .read_bytes()
        .startswith("\ufeffChỉ tiêu thống kê,Số lượng\nTổng số đảng viên,301\n".encode())
    )
    assert json.loads((tmp_path / "summary.json").read_text(encoding="utf-8")) == SUMMARY_2020
    result = report("roster", "-b", "Ấp Chợ", "-o", str(tmp_path / "ap-cho.html"))
    assert result.exit_code == 0 and "Ấp Chợ" in (tmp_path / "ap-cho.html").read_text(
        encoding="utf-8"
    )
    bad = report("summary", "-o", str(tmp_path / "summary.docx"))
    assert bad.exit_code == 2 and ".docx" in bad.output


def test_refusals(report) -> None:
    result = report("summary", "--term", "2010-2015")
    assert result.exit_code == 1
    assert result.stderr == (
        "Không có nhiệm kỳ '2010-2015'. Các nhiệm kỳ đã có: 2015-2020, 2020-2025, 2025-2030.\n"
    )
    result = report("summary", "--as-of", "32/01/2020")
    assert result.exit_code == 2
    result = report("branches", "--branch", "Ấp Mười")
    assert result.exit_code == 1 and "Ấp Mười" in result.stderr
    result = report("admissions", "--as-of", "01/01/2014")
    assert result.exit_code == 1
    assert result.stderr.startswith("Chưa có nhiệm kỳ chứa ngày 01/01/2014")
    result = report("summary", "--as-of", "01/01/2014", "-f", "json")
    data = json.loads(result.output)
    assert data["term"] is None and data["admissions"]["in_term"] is None
    assert report("summary", "-f", "xml").exit_code == 2


def test_summary_reads_an_index_not_the_table(conn: sqlite3.Connection) -> None:
    """The roll is counted from idx_members_roll, in its order: no table scan, no sort."""
    from tanhung_cli import roll

    sc = reports.scope(conn, term="2015-2020")
    plan = " | ".join(
        row[3]
        for row in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT m.ethnicity, m.gender, count(*), sum({roll.OFFICIAL})"
            f" FROM members m WHERE {roll.ON_ROLL} GROUP BY 1, 2",
            sc.params(),
        )
    )
    assert "COVERING INDEX idx_members_roll" in plan and "TEMP B-TREE FOR GROUP BY" not in plan


def test_domain_reports_match_the_commands(conn: sqlite3.Connection) -> None:
    sc = reports.scope(conn, term="2015-2020")
    assert reports.summary(conn, sc) == SUMMARY_2020
    by_branch = reports.branches(conn, sc)
    assert sum(b["total"] for b in by_branch) == 301
    te_te = reports.scope(conn, term="2015-2020", branch="te te 1")
    assert reports.summary(conn, te_te)["members"]["total"] == 34
    assert len(composition.roster(conn, te_te)) == 34
