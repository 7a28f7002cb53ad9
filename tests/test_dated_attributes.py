"""A member's attributes over time (issue #15): reports at a date read the theory level,
education, religion … that held then, from their dated history, not today's row."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from conftest import Run

from tanhung_cli import members
from tanhung_cli.i18n import t

PERSON = ("--gender", "Nữ", "--born", "01/01/1985", "--ethnicity", "Kinh", "--branch", "Ấp Chợ")


def composition(run: Run, as_of: str) -> dict[str, Any]:
    out = run("report", "composition", "--as-of", as_of, "--format", "json")
    assert out.exit_code == 0, out.output
    return dict(json.loads(out.stdout))


def theory(run: Run, as_of: str) -> dict[str, int]:
    return {r["group"]: r["total"] for r in composition(run, as_of)["theory_level"]}


def edit(run: Run, *args: str) -> str:
    out = run("member", "edit", "1", *args)
    assert out.exit_code == 0, out.output
    return str(out.stdout)


@pytest.fixture
def member(run: Run, branches: None) -> None:
    added = run(
        "member",
        "add",
        "--name",
        "Lê Thị Hoa",
        *PERSON,
        "--admitted",
        "01/06/2010",
        "--official",
        "01/06/2011",
    )
    assert added.exit_code == 0, added.output
    edit(run, "--theory", "Sơ cấp", "--correction")  # held since she joined


@pytest.mark.usefixtures("member")
def test_theory_level_counts_in_the_row_of_each_date(run: Run) -> None:
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2018", "--decision", "12-QĐ/HU")
    edit(run, "--theory", "Cao cấp", "--on", "01/09/2024")
    assert theory(run, "31/12/2012") == {"Sơ cấp": 1}
    assert theory(run, "14/03/2018") == {"Sơ cấp": 1}
    assert theory(run, "15/03/2018") == {"Trung cấp": 1}
    assert theory(run, "31/12/2020") == {"Trung cấp": 1}
    assert theory(run, "31/12/2024") == {"Cao cấp": 1}
    roster = run("report", "roster", "--as-of", "31/12/2020", "--format", "json")
    rows = json.loads(roster.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    assert [r["theory_level"] for r in rows] == ["Trung cấp"]
    listed = run("member", "list", "--as-of", "31/12/2012", "--format", "json")
    assert json.loads(listed.stdout)[0].get("theory_level", "Sơ cấp") == "Sơ cấp"
    shown = run("--lang", "vi", "member", "show", "1")
    assert "Cao cấp từ 01/09/2024; Trung cấp từ 15/03/2018; trước đó Sơ cấp" in shown.stdout
    at = json.loads(run("member", "show", "1", "--as-of", "01/01/2020", "--format", "json").stdout)
    assert at["theory_level"] == "Trung cấp"
    assert [p["from"] for p in at["dated"]["theory_level"]] == [None, "2018-03-15", "2024-09-01"]
    history = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    changed = [e for e in history if e["kind"] == "changed"]
    assert [(e["on_date"], e["old"], e["new"], e["decision_no"]) for e in changed] == [
        ("2018-03-15", "elementary", "intermediate", "12-QĐ/HU"),
        ("2024-09-01", "intermediate", "advanced", None),
    ]


@pytest.mark.usefixtures("member")
def test_a_correction_changes_every_date(run: Run) -> None:
    edit(run, "--theory", "Trung cấp", "--correction")
    for day in ("31/12/2012", "31/12/2020", "31/12/2025"):
        assert theory(run, day) == {"Trung cấp": 1}
    history = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    assert [e["kind"] for e in history if e["field"] == "theory_level"] == [
        "corrected",
        "corrected",
    ]
    audit = run("audit", "--format", "json")
    if audit.exit_code == 0:  # the audit trail names it a correction
        assert "correct" in [a["action"] for a in json.loads(audit.stdout)]


@pytest.mark.usefixtures("member")
def test_a_correction_after_a_change_puts_right_the_value_since_then(run: Run) -> None:
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2018")
    edit(run, "--theory", "Cao cấp", "--correction")  # it was Cao cấp, typed wrongly
    assert theory(run, "31/12/2012") == {"Sơ cấp": 1}
    assert theory(run, "31/12/2020") == {"Cao cấp": 1}


@pytest.mark.usefixtures("member")
def test_editing_today_leaves_the_reports_of_2020_identical(run: Run) -> None:
    days = ("31/12/2020", "30/06/2015")
    before = {d: composition(run, d) for d in days}
    roster_before = run("report", "roster", "--as-of", "31/12/2020", "--format", "json").stdout
    edit(
        run,
        "--theory",
        "Cao cấp",
        "--education",
        "12/12",
        "--professional",
        "Đại học",
        "--religion",
        "Phật giáo",
        "--foreign-language",
        "Tiếng Anh B1",
    )
    assert {d: composition(run, d) for d in days} == before
    after = run("report", "roster", "--as-of", "31/12/2020", "--format", "json").stdout
    assert after == roster_before
    today = composition(run, dt.date.today().strftime("%d/%m/%Y"))
    assert {r["group"]: r["total"] for r in today["theory_level"]} == {"Cao cấp": 1}
    assert {r["group"]: r["total"] for r in today["religion"]} == {"Phật giáo": 1}


@pytest.mark.usefixtures("member")
@pytest.mark.parametrize(
    ("on", "key"),
    [
        ("31/12/1984", "dated.before_birth"),
        ("31/05/2010", "dated.before_admission"),
        ("01/01/2017", "dated.out_of_order"),
    ],
)
def test_a_change_out_of_place_is_refused_and_nothing_changes(run: Run, on: str, key: str) -> None:
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2018")
    before = run("member", "history", "1", "--format", "json").stdout
    out = run("--lang", "en", "member", "edit", "1", "--theory", "Cao cấp", "--on", on)
    assert out.exit_code == 1
    first = t(key, lang="en").split("{")[0]
    assert first.strip() and first.strip().split()[0] in out.stderr
    assert "Traceback" not in out.output
    assert run("member", "history", "1", "--format", "json").stdout == before
    assert theory(run, "31/12/2020") == {"Trung cấp": 1}


@pytest.mark.usefixtures("member")
def test_a_value_not_in_the_vocabulary_is_refused(run: Run) -> None:
    out = run("member", "edit", "1", "--theory", "Thượng cấp", "--on", "15/03/2018")
    assert out.exit_code == 1
    assert theory(run, "31/12/2020") == {"Sơ cấp": 1}


@pytest.mark.usefixtures("member")
def test_an_import_that_changes_a_member_dates_the_change_the_import_day(
    run: Run, tmp_path: Any
) -> None:
    exported = tmp_path / "members.csv"
    assert run("export", "members", "-o", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    exported.write_text(text.replace("Sơ cấp", "Trung cấp"), encoding="utf-8")
    out = run("import", "members", str(exported), "--update")
    assert out.exit_code == 0, out.output
    assert theory(run, "31/12/2020") == {"Sơ cấp": 1}
    assert theory(run, dt.date.today().strftime("%d/%m/%Y")) == {"Trung cấp": 1}


@pytest.mark.usefixtures("member")
def test_a_change_dated_after_today_is_refused(run: Run, conn: Any) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    out = run("member", "edit", "1", "--theory", "Cao cấp", "--on", tomorrow.strftime("%d/%m/%Y"))
    assert out.exit_code == 2  # every --on refuses a future date (usage)
    assert "--on" in out.output
    with pytest.raises(members.InvalidMember) as refused:
        members.edit_member(
            conn, 1, {"theory_level": "Cao cấp"}, on=tomorrow, today=tomorrow - dt.timedelta(2)
        )
    assert [p.key for p in refused.value.problems] == ["dated.after_today"]
    assert theory(run, tomorrow.strftime("%d/%m/%Y")) == {"Sơ cấp": 1}


@pytest.mark.usefixtures("branches")
def test_a_theory_course_raises_the_level_from_its_completion_date(run: Run) -> None:
    added = run("member", "add", "--name", "Lê Thị Hoa", *PERSON, "--admitted", "01/06/2010")
    assert added.exit_code == 0, added.output
    course = run(
        "course",
        "add",
        "Sơ cấp LLCT 2019",
        "--kind",
        "theory-elementary",
        "--start",
        "01/03/2019",
        "--end",
        "30/04/2019",
    )
    assert course.exit_code == 0, course.output
    assert run("course", "enrol", "1", "1").exit_code == 0
    assert run("course", "complete", "1", "1", "--on", "30/04/2019").exit_code == 0
    assert theory(run, "31/12/2018") == {"": 1}
    assert theory(run, "31/12/2020") == {"Sơ cấp": 1}
    # A change dated before the completion is out of order: refused, nothing changed.
    out = run("member", "edit", "1", "--theory", "Trung cấp", "--on", "01/01/2019")
    assert out.exit_code == 1
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2023")
    assert theory(run, "31/12/2020") == {"Sơ cấp": 1}
    assert theory(run, "31/12/2023") == {"Trung cấp": 1}


def _changed_ids(run: Run) -> list[int]:
    history = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    return [e["id"] for e in history if e["kind"] == "changed" and not e["voided"]]


@pytest.mark.usefixtures("member")
def test_a_change_recorded_by_mistake_is_voided_latest_first(run: Run) -> None:
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2018")
    edit(run, "--theory", "Cao cấp", "--on", "01/09/2024")
    first, second = _changed_ids(run)
    out = run("member", "void-event", "1", str(first), "--reason", "ghi nhầm ngày")
    assert out.exit_code == 1 and str(second) in out.stderr  # the later one first
    out = run("member", "void-event", "1", str(second), "--reason", "ghi nhầm")
    assert out.exit_code == 0, out.output
    assert theory(run, "31/12/2025") == {"Trung cấp": 1}
    assert theory(run, "31/12/2012") == {"Sơ cấp": 1}
    assert run("member", "void-event", "1", str(first), "--reason", "ghi nhầm").exit_code == 0
    assert theory(run, "31/12/2025") == {"Sơ cấp": 1}
    assert _changed_ids(run) == []
    # Now in order again: the change can be recorded at its right date.
    edit(run, "--theory", "Trung cấp", "--on", "15/03/2017")
    assert theory(run, "31/12/2017") == {"Trung cấp": 1}


@pytest.mark.usefixtures("member")
def test_filling_an_empty_value_as_of_today_says_how_to_date_it(run: Run) -> None:
    out = run("--lang", "en", "member", "edit", "1", "--professional", "Đại học")
    assert out.exit_code == 0, out.output
    assert "professional_level recorded as a change from today" in out.stderr
    assert "--correction" in out.stderr
    out = run("member", "edit", "1", "--religion", "Phật giáo", "--correction")
    assert out.exit_code == 0 and "--correction" not in out.stderr
