"""A branch measured against its own target, never the committee's (issue #11, point 5)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tanhung_cli import i18n
from tanhung_cli.cli import app


@pytest.fixture
def tanhung(sample_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    own = tmp_path / "tanhung.db"
    shutil.copyfile(sample_db, own)  # this file changes its copy

    def invoke(*args: str, lang: str = "vi") -> Result:
        result = CliRunner().invoke(app, ["--db", str(own), "--lang", lang, *args])
        i18n.set_lang("vi")
        return result

    return invoke


def _summary(tanhung, *more: str) -> dict:  # type: ignore[no-untyped-def]
    result = tanhung("report", "summary", "--term", "2015-2020", *more, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_branch_without_a_target_of_its_own_has_no_percentage(tanhung) -> None:  # type: ignore[no-untyped-def]
    admissions = _summary(tanhung, "--branch", "Ấp Chợ")["admissions"]
    # Before: 6 admitted, 15,4 % of the committee's 39.
    assert admissions == {"in_term": 6, "target": None, "percent_of_target": None, "readmitted": 0}
    text = tanhung("report", "summary", "--term", "2015-2020", "--branch", "Ấp Chợ").stdout
    assert "15,4" not in text
    assert "kết nạp được 6 đảng viên mới (chi bộ chưa có chỉ tiêu riêng:" in " ".join(text.split())


def test_a_branch_target_is_the_branchs_alone(tanhung) -> None:  # type: ignore[no-untyped-def]
    result = tanhung("target", "set", "2015-2020", "admissions", "5", "--branch", "chợ")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Nhiệm kỳ 2015-2020, chi bộ Ấp Chợ: chỉ tiêu kết nạp đảng viên = 5.\n"
    assert _summary(tanhung, "--branch", "Ấp Chợ")["admissions"] == {
        "in_term": 6, "target": 5, "percent_of_target": 120.0, "readmitted": 0,
    }  # fmt: skip
    # The committee's target and every other branch are as they were.
    assert _summary(tanhung)["admissions"] == {
        "in_term": 45,
        "target": 39,
        "percent_of_target": 115.4,
        "readmitted": 0,  # kết nạp lại, apart: the sample has none
    }
    assert _summary(tanhung, "--branch", "Ấp Nhì")["admissions"]["target"] is None
    admissions = tanhung("report", "admissions", "--term", "2015-2020", "-f", "json")
    rows = {r["branch"]: r for r in json.loads(admissions.stdout)["by_branch"]}
    assert (rows["Ấp Chợ"]["target"], rows["Ấp Chợ"]["percent_of_target"]) == (5, 120.0)
    assert (rows["Ấp Nhì"]["target"], rows["Ấp Nhì"]["percent_of_target"]) == (None, None)
    # Set again: changed, not added twice.
    assert tanhung("target", "set", "2015-2020", "admissions", "4", "-b", "Ấp Chợ").exit_code == 0
    assert _summary(tanhung, "--branch", "Ấp Chợ")["admissions"]["percent_of_target"] == 150.0


def test_a_target_for_an_unknown_branch_is_refused_and_changes_nothing(tanhung) -> None:  # type: ignore[no-untyped-def]
    result = tanhung("target", "set", "2015-2020", "admissions", "5", "--branch", "Ấp Không Có")
    assert result.exit_code == 1
    assert "Ấp Không Có" in result.stderr
    assert _summary(tanhung)["admissions"]["target"] == 39


def test_term_list_shows_the_branches_targets(tanhung) -> None:  # type: ignore[no-untyped-def]
    assert (
        tanhung("target", "set", "2015-2020", "admissions", "5", "--branch", "chợ").exit_code == 0
    )
    term, *_later = json.loads(tanhung("term", "list", "-f", "json").stdout)
    assert term["branch_targets"] == {"Ấp Chợ": {"admissions": 5}}
    assert "Ấp Chợ: kết nạp đảng viên 5" in " ".join(tanhung("term", "list").stdout.split())
