"""`export members`' lean rows (issue #17) are exactly the cells `member_lists.public` makes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tanhung_cli import member_lists
from tanhung_cli.db import open_db
from tanhung_cli.export_rows import export_rows
from tanhung_cli.exporter import EXPORT_COLUMNS
from tanhung_cli.vocab import vocabulary

DATES = (
    "1975-04-30",
    "1990-01-01",
    "2005-06-30",
    "2015-01-01",
    "2020-09-01",
    "2023-06-30",
    "2024-12-31",
    "2025-07-01",
    "2026-12-03",
    "2040-01-01",
)


def _through_public(conn: Any, filters: member_lists.Filters, day: dt.date) -> list[list[Any]]:
    """The rows as the export wrote them before: every member through `public`."""
    words = vocabulary("status")
    return [
        [r.get(c) for c in EXPORT_COLUMNS[:-1]] + [words.label(r["status"], "vi")]
        for r in member_lists.iter_members(conn, filters, day)
    ]


@pytest.mark.parametrize("include_left", [False, True])
def test_lean_rows_equal_the_public_records_of_the_sample(
    sample_db: Path, include_left: bool
) -> None:
    conn = open_db(sample_db)
    words = vocabulary("status")
    statuses = {code: words.label(code, "vi") for code in words.codes()}
    try:
        for day in map(dt.date.fromisoformat, DATES):
            filters = member_lists.Filters(include_left=include_left)
            written: Counter[str] = Counter()
            lean = list(export_rows(conn, filters, day, EXPORT_COLUMNS, written, statuses))
            assert lean == _through_public(conn, filters, day), day
            assert sum(written.values()) == len(lean)
    finally:
        conn.close()


def test_lean_rows_by_branch_and_status_codes(sample_db: Path) -> None:
    conn = open_db(sample_db)
    try:
        day = dt.date(2025, 7, 1)
        for (branch_id,) in conn.execute("SELECT id FROM branches"):
            filters = member_lists.Filters(branch_id=branch_id, include_left=True)
            written: Counter[str] = Counter()
            lean = list(export_rows(conn, filters, day, EXPORT_COLUMNS, written))
            records = list(member_lists.iter_members(conn, filters, day))
            assert lean == [[r.get(c) for c in EXPORT_COLUMNS] for r in records]
            assert written == Counter(r["status"] for r in records)
    finally:
        conn.close()


PERSON = ("--gender", "Nam", "--born", "01/01/1970", "--ethnicity", "Kinh", "--branch", "Ấp Chợ")


@pytest.mark.usefixtures("branches")
def test_lean_rows_equal_public_through_a_members_life(run: Any, db_path: Path) -> None:
    """Exempt, away, transferred in, temporary, left and re-admitted, a dated theory level,
    a voided record: at every date, the same cells as `public`."""
    steps = [
        (
            "member",
            "add",
            "--name",
            "Lê Văn Tư",
            *PERSON,
            "--admitted",
            "01/08/1990",
            "--official",
            "01/08/1991",
            "--theory",
            "Sơ cấp",
        ),
        ("member", "add", "--name", "Lê Văn Năm", *PERSON, "--admitted", "01/08/2021"),
        (
            "member",
            "transfer-in",
            "--kind",
            "official",
            "--from",
            "Xã Tân Hòa",
            "--name",
            "Phạm Văn Dũng",
            *PERSON,
            "--admitted",
            "01/02/2021",
            "--official",
            "01/02/2022",
            "--on",
            "01/05/2022",
        ),
        (
            "member",
            "transfer-in",
            "--kind",
            "temporary",
            "--from",
            "Xã Tân Hòa",
            "--name",
            "Võ Văn Em",
            *PERSON,
            "--admitted",
            "01/02/2021",
            "--official",
            "01/02/2022",
            "--on",
            "01/05/2022",
        ),
        ("member", "exempt", "1", "--on", "01/01/2002"),
        ("member", "unexempt", "1", "--on", "01/01/2004"),
        ("member", "edit", "1", "--theory", "Trung cấp", "--on", "15/03/2003"),
        ("member", "leave", "1", "--reason", "removed", "--on", "01/06/2005"),
        ("member", "readmit", "1", "--on", "01/06/2023", "--consent", "1"),
        ("member", "exempt", "3", "--on", "01/01/2023"),
        ("member", "edit", "3", "--theory", "Trung cấp", "--on", "15/03/2023"),
        (
            "member",
            "transfer-out",
            "2",
            "--kind",
            "temporary",
            "--to",
            "Xã Tân Hòa",
            "--on",
            "01/03/2024",
            "--until",
            "01/02/2025",
        ),
        ("member", "add", "--name", "Lê Văn Sáu", *PERSON, "--admitted", "01/08/2021"),
        ("member", "void", "5", "--reason", "nhập trùng"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)
    conn = open_db(db_path)
    try:
        for day in map(
            dt.date.fromisoformat, DATES + ("2003-01-01", "2004-06-01", "2022-06-01", "2024-06-01")
        ):
            for include_left in (False, True):
                filters = member_lists.Filters(include_left=include_left)
                written: Counter[str] = Counter()
                lean = list(export_rows(conn, filters, day, EXPORT_COLUMNS, written))
                records = list(member_lists.iter_members(conn, filters, day))
                assert lean == [[r.get(c) for c in EXPORT_COLUMNS] for r in records], day
    finally:
        conn.close()
