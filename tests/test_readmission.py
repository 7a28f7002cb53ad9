"""Re-admission under QĐ 294-QĐ/TW of 26/5/2025, point 3.5 (HD 06-HD/TW of 9/6/2025).

Refusals are located (the member), worded in Vietnamese and English, and change nothing;
a recorded exception naming the approving decision lifts them and stays in the history.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run
from test_cli_member_life import refused

from tanhung_cli.i18n import t

CONSENT = ("--consent", "Văn bản số 12-CV/TU")
WHO = "Đảng viên mã 1 (Nguyễn Thị Kiều Diễm): "


@pytest.fixture
def left(run: Run, branches: None) -> None:
    """Diễm, official since 19/05/2001, name removed for unpaid dues on 01/01/2020."""
    assert run("member", "add", *DIEM).exit_code == 0
    gone = run("member", "leave", "1", "--reason", "removed", "--removal", "unpaid-dues",
               "--on", "01/01/2020")  # fmt: skip
    assert gone.exit_code == 0, gone.output


def test_qd294_3_5_1_exactly_36_months_after_leaving(run: Run, db_path: Path, left: None) -> None:
    """QĐ 294-QĐ/TW point 3.5.1: at least 36 months after leaving; the boundary day
    (01/01/2023 for 01/01/2020) is allowed, the day before refused."""
    args = ["member", "readmit", "1", "--on", "31/12/2022", *CONSENT]
    vi = t("readmit.too_soon", lang="vi", earliest="01/01/2023")
    refused(run, db_path, args, 1, WHO + vi)
    en = t("readmit.too_soon", lang="en", earliest="2023-01-01")
    refused(run, db_path, args, 1, "Member 1 (Nguyễn Thị Kiều Diễm): " + en, lang="en")
    ok = run("member", "readmit", "1", "--on", "01/01/2023", *CONSENT)
    assert ok.exit_code == 0, ok.output


def test_qd294_3_5_1_sixty_months_after_an_expunged_minor_conviction(
    run: Run, db_path: Path, left: None
) -> None:
    """QĐ 294-QĐ/TW point 3.5.1: 60 months from the expunging of a minor conviction."""
    args = ["member", "readmit", "1", "--on", "31/05/2023", "--expunged", "01/06/2018", *CONSENT]
    refused(run, db_path, args, 1, t("readmit.too_soon_expunged", earliest="01/06/2023"))
    args[4] = "01/06/2023"
    assert run(*args).exit_code == 0


def test_qd294_3_5_1_needs_the_provincial_standing_committees_consent(
    run: Run, db_path: Path, left: None
) -> None:
    """QĐ 294-QĐ/TW point 3.5.1: the Ban Thường vụ Tỉnh ủy consents in writing."""
    args = ["member", "readmit", "1", "--on", "01/06/2024"]
    refused(run, db_path, args, 1, WHO + t("readmit.needs_consent", lang="vi"))
    refused(run, db_path, args, 1, t("readmit.needs_consent", lang="en"), lang="en")


def test_qd294_3_5_1_once_only(run: Run, db_path: Path, left: None) -> None:
    """QĐ 294-QĐ/TW point 3.5.1: re-admitted once only in a lifetime."""
    assert run("member", "readmit", "1", "--on", "01/01/2023", *CONSENT).exit_code == 0
    again = run("member", "leave", "1", "--reason", "removed", "--on", "01/02/2023")
    assert again.exit_code == 0, again.output
    args = ["member", "readmit", "1", "--on", "01/06/2026", *CONSENT]
    refused(run, db_path, args, 1, WHO + t("readmit.once_only", date="01/01/2023"))


@pytest.mark.parametrize(
    ("leaving", "key"),
    [
        (["--reason", "resigned"], "readmit.resigned"),
        (["--reason", "removed", "--removal", "bỏ sinh hoạt"], "readmit.abandoned"),
    ],
)
def test_qd294_3_5_2_never_after_resigning_or_abandoning_activity_save_an_exception(
    run: Run, db_path: Path, branches: None, leaving: list[str], key: str
) -> None:
    """QĐ 294-QĐ/TW point 3.5.2: not after abandoning activity (1) or resigning (2,
    save special family hardship); an exception names the approving decision and is kept."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "leave", "1", *leaving, "--on", "01/01/2020").exit_code == 0
    args = ["member", "readmit", "1", "--on", "01/06/2024", *CONSENT]
    refused(run, db_path, args, 1, WHO + t(key, lang="vi"))
    refused(run, db_path, args, 1, t(key, lang="en"), lang="en")
    ok = run(*args, "--exception", "QĐ số 45-QĐ/TU")
    assert ok.exit_code == 0, ok.output
    with sqlite3.connect(db_path) as c:
        kept = c.execute(
            "SELECT new FROM events WHERE kind = 'readmitted' AND field = 'readmit_exception'"
        ).fetchall()
        audit = c.execute("SELECT detail FROM audit WHERE action = 'readmit'").fetchone()[0]
    assert kept == [("QĐ số 45-QĐ/TU",)]
    assert "QĐ số 45-QĐ/TU" in audit
    history = run("member", "history", "1").stdout
    assert "Quyết định cho phép ngoại lệ" in history and "45-QĐ/TU" in history


def test_issue_14_example_resigned_then_readmitted_five_months_later_is_refused(
    run: Run, db_path: Path, branches: None
) -> None:
    """QĐ 294-QĐ/TW 3.5.1-3.5.2: resigned 01/01/2020, re-admitted 01/06/2020: every
    reason is given, one line each."""
    assert run("member", "add", *DIEM).exit_code == 0
    assert run("member", "leave", "1", "--reason", "resigned", "--on", "01/01/2020").exit_code == 0
    result = run("member", "readmit", "1", "--on", "01/06/2020")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith(WHO) for line in lines), lines
