"""No admission before the Party was founded, 03/02/1930 (issue #14, point 12).

The founding conference of the Communist Party of Vietnam met on 3 February 1930 (the
Charter's preamble): an admission dated earlier is refused, located, in both languages,
and nothing is written; a year or month alone is refused only when all its days are.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import Run

from tanhung_cli.i18n import t

PERSON = ("--name", "Lê Văn Xưa", "--gender", "Nam", "--born", "01/01/1905", "--ethnicity",
          "Kinh", "--branch", "Ấp Chợ")  # fmt: skip


def _count(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT count(*) FROM members").fetchone()[0])


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    ("admitted", "official", "refused"),
    [
        ("02/02/1930", None, True),  # the day before the founding
        ("03/02/1930", "03/02/1931", False),  # the founding day itself
        ("1929", None, True),  # every day of 1929 is before
        ("01/1930", None, True),  # every day of January 1930 too
        ("02/1930", "1931", False),  # February 1930 holds days after the 3rd
    ],
)
def test_charter_preamble_no_admission_before_03_02_1930(
    run: Run, db_path: Path, admitted: str, official: str | None, refused: bool
) -> None:
    dates = ["--admitted", admitted, *(["--official", official] if official else [])]
    out = run("member", "add", *PERSON, *dates)
    if refused:
        assert out.exit_code == 1
        assert out.stderr.startswith("Ngày vào Đảng: ")
        assert "là trước ngày thành lập Đảng (03/02/1930)" in out.stderr
        assert _count(db_path) == 0
    else:
        assert out.exit_code == 0, out.output
        assert _count(db_path) == 1


@pytest.mark.usefixtures("branches")
def test_charter_preamble_refusal_in_english(run: Run, db_path: Path) -> None:
    out = run("member", "add", *PERSON, "--admitted", "02/02/1930", lang="en")
    assert out.exit_code == 1
    assert "is before the founding of the Party (03/02/1930)" in out.stderr
    assert _count(db_path) == 0


@pytest.mark.usefixtures("branches", "either_import_path")
def test_charter_preamble_import_refused_located(run: Run, db_path: Path, tmp_path: Path) -> None:
    rows = [
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng,Ngày chính thức",
        "Lê Văn Một,Nam,01/01/1905,Kinh,Ấp Chợ,03/02/1930,03/02/1931",
        "Lê Văn Hai,Nam,01/01/1905,Kinh,Ấp Chợ,02/02/1930,",
    ]
    (tmp_path / "ds.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = run("import", "members", str(tmp_path / "ds.csv"))
    assert out.exit_code == 1
    expected = t("ids.admitted_before_founding", value="02/02/1930", lang="vi")
    assert out.stderr.splitlines()[0] == f"ds.csv:3: Ngày vào Đảng: {expected}"
    assert _count(db_path) == 0
