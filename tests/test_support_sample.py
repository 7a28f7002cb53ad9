"""The sample's support records give the article's five figures through the reports' queries."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n, roll, sample
from tanhung_cli.cli import app
from tanhung_cli.db import open_db
from tanhung_cli.lifecycle import past_spells
from tanhung_cli.reports_support import Period, by_kind, totals

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def conn(sample_db: Path):  # type: ignore[no-untyped-def]
    connection = open_db(sample_db)
    yield connection
    connection.close()


def test_the_five_figures(conn: sqlite3.Connection) -> None:
    term = Period("2015-07-01", "2020-06-30")
    kinds = {k["kind"]: (k["amount_vnd"], k["loans"], k["members"]) for k in by_kind(conn, term)}
    assert kinds["farmers-support"][:2] == (356_000_000, 14)  # Farmers' Support + district
    assert kinds["poor-members"] == (45_000_000, 3, 3)  # the district fund for poor members
    assert kinds["revolving"][:2] == (744_000_000, 36)  # Ấp Sáu and Ấp Te Te 1
    assert totals(conn, term) == {"amount_vnd": 1_145_000_000, "loans": 53, "members": 42}
    revolving = conn.execute(
        "SELECT DISTINCT b.name FROM funds f JOIN branches b ON b.id = f.branch_id"
        " WHERE f.revolving = 1 ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in revolving] == ["Ấp Sáu", "Ấp Te Te 1"]


def test_every_borrower_was_on_the_roll_and_of_the_funds_branch(conn: sqlite3.Connection) -> None:
    rows = conn.execute(
        "SELECT l.lent_on, l.member_id, f.branch_id AS fund_branch, m.* FROM loans l"
        " JOIN funds f ON f.id = l.fund_id JOIN members m ON m.id = l.member_id"
    ).fetchall()
    assert len(rows) == 53
    for row in rows:
        assert "2015-07-01" <= row["lent_on"] <= "2020-06-30"
        status = roll.status(row, row["lent_on"], past_spells(conn, row["member_id"]))
        assert status in roll.COUNTED
        assert row["fund_branch"] in (None, row["branch_id"])
    twice = conn.execute(
        "SELECT count(*) FROM (SELECT member_id FROM loans GROUP BY 1 HAVING count(*) > 1)"
    ).fetchone()[0]
    assert twice > 0  # some borrow more than once


def test_demo_prints_the_figures_after_the_roll(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "demo.db"), "demo"])
    i18n.set_lang("vi")
    lines = result.stdout.splitlines()
    at = lines.index(
        "Hỗ trợ đảng viên khó khăn: 1.145 triệu đồng (trên 1,1 tỷ đồng), 53 lượt, 42 đảng viên."
    )
    assert at > 3  # after the roll's figures
    assert lines[at + 1 : at + 4] == [
        "  Quỹ Hỗ trợ nông dân: 356 triệu đồng, 14 lượt, 12 đảng viên.",
        "  Quỹ hỗ trợ đảng viên nghèo: 45 triệu đồng, 3 lượt, 3 đảng viên.",
        "  Quỹ quay vòng: 744 triệu đồng, 36 lượt, 28 đảng viên.",
    ]


def test_summary_json_carries_support(sample_db: Path) -> None:
    args = ["--db", str(sample_db), "report", "summary", "--term", "2015-2020", "--format", "json"]
    support = json.loads(CliRunner().invoke(app, args).stdout)["support"]
    assert (support["amount_vnd"], support["loans"], support["members"]) == (1_145_000_000, 53, 42)
    assert [(f["name"], f["amount_vnd"], f["loans"]) for f in support["by_fund"]][2:] == [
        ("Quỹ hỗ trợ đảng viên nghèo huyện Tiểu Cần", 45_000_000, 3),
        ("Quỹ quay vòng chi bộ Ấp Sáu", 372_000_000, 18),
        ("Quỹ quay vòng chi bộ Ấp Te Te 1", 372_000_000, 18),
    ]


def test_the_generator_writes_the_committed_files(tmp_path: Path) -> None:
    """scripts/make_support_sample.py, run again on the sample's roll, gives the committed
    CSV files byte for byte (scripts/make_sample.py runs it too: tests/test_sample.py)."""
    folder = sample.sample_dir()
    for name in ("branches.csv", "members.csv"):
        shutil.copy(folder / name, tmp_path / name)
    script = ROOT / "scripts" / "make_support_sample.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in ("funds.csv", "fund_capital.csv", "loans.csv", "repayments.csv"):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name
