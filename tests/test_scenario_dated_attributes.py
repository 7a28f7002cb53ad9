"""Ten years of a small committee's attributes (issue #15): every report at five dates,
taken before later edits, prints the same after them. The past does not change."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import Run

DAYS = ("31/12/2016", "30/06/2018", "31/12/2020", "30/06/2023", "31/12/2025")
PEOPLE = (
    ("Lê Thị Hoa", "Nữ", "01/01/1985", "01/06/2010"),
    ("Trần Văn Minh", "Nam", "02/02/1980", "01/03/2012"),
    ("Thạch Sa Rươne", "Nam", "03/03/1990", "19/05/2016"),
)


def reports(run: Run) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for day in DAYS:
        for command in ("composition", "roster"):
            got = run("report", command, "--as-of", day, "--format", "json")
            assert got.exit_code == 0, got.output
            out[f"{command} {day}"] = json.loads(got.stdout)
        listed = run("member", "list", "--as-of", day, "--format", "json")
        out[f"list {day}"] = json.loads(listed.stdout)
    return out


def ok(run: Run, *args: str) -> None:
    out = run(*args)
    assert out.exit_code == 0, out.output


@pytest.mark.usefixtures("branches")
def test_ten_years_of_attributes_keep_every_past_report(run: Run) -> None:
    for name, gender, born, admitted in PEOPLE:
        ok(
            run,
            "member",
            "add",
            "--name",
            name,
            "--gender",
            gender,
            "--born",
            born,
            "--ethnicity",
            "Kinh",
            "--branch",
            "Ấp Chợ",
            "--admitted",
            admitted,
        )
    ok(run, "member", "edit", "1", "--theory", "Sơ cấp", "--education", "12/12", "--correction")
    ok(run, "member", "edit", "2", "--religion", "Phật giáo", "--correction")
    ok(run, "member", "edit", "1", "--theory", "Trung cấp", "--on", "15/03/2018")
    ok(run, "member", "edit", "1", "--professional", "Đại học", "--on", "01/07/2021")
    ok(run, "member", "edit", "2", "--religion", "Không", "--on", "10/10/2019")
    ok(run, "member", "edit", "3", "--foreign-language", "Tiếng Anh B1", "--on", "01/01/2022")
    ok(
        run,
        "course",
        "add",
        "Sơ cấp LLCT 2017",
        "--kind",
        "theory-elementary",
        "--start",
        "01/03/2017",
        "--end",
        "30/04/2017",
    )
    ok(run, "course", "enrol", "1", "3")
    ok(run, "course", "complete", "1", "3", "--on", "30/04/2017")
    before = reports(run)
    theory = {r["group"]: r["total"] for r in before["composition 30/06/2018"]["theory_level"]}
    assert theory == {"Trung cấp": 1, "Sơ cấp": 1, "": 1}
    # Later: changes today, a course today, a re-import, a correction of today's religion.
    today = dt.date.today().strftime("%d/%m/%Y")
    ok(run, "member", "edit", "1", "--theory", "Cao cấp")
    ok(run, "member", "edit", "2", "--education", "9/12", "--professional", "Trung cấp")
    ok(run, "member", "edit", "3", "--profession", "Nông dân", "--foreign-language", "Tiếng Anh B2")
    ok(
        run,
        "course",
        "add",
        "Trung cấp LLCT",
        "--kind",
        "theory-intermediate",
        "--start",
        "01/01/2026",
        "--end",
        today,
    )
    ok(run, "course", "enrol", "2", "3")
    ok(run, "course", "complete", "2", "3")
    assert reports(run) == before
    now = json.loads(run("report", "composition", "--as-of", today, "--format", "json").stdout)
    assert {r["group"]: r["total"] for r in now["theory_level"]} == {
        "Cao cấp": 1,
        "Trung cấp": 1,
        "": 1,
    }
