"""A member's branch over time (issue #15): a move is dated, and reports at an earlier
date keep the member in the old branch. "Moving one member today changes the 2024
per-branch report (Ấp Chợ 14 → 15 at 31/12/2024)": not any more."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from tanhung_cli.i18n import t

NAMES = ("Một", "Hai", "Ba", "Bốn")
PERSON = ("--gender", "Nam", "--born", "01/01/1970", "--ethnicity", "Kinh")


def _json(run: Run, *args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _per_branch(run: Run, day: str) -> dict[str, int]:
    return {b["branch"]: b["total"] for b in _json(run, "report", "branches", "--as-of", day)}


@pytest.fixture
def roll(run: Run, branches: None) -> None:
    """Three members of Ấp Chợ admitted in 2010, one of Ấp Te Te 1."""
    for no, branch in enumerate(("Ấp Chợ", "Ấp Chợ", "Ấp Chợ", "Ấp Te Te 1")):
        added = run(
            "member",
            "add",
            "--name",
            f"Lê Văn {NAMES[no]}",
            *PERSON,
            "--branch",
            branch,
            "--admitted",
            "01/03/2010",
            "--official",
            "01/03/2011",
        )
        assert added.exit_code == 0, added.output


@pytest.mark.usefixtures("roll")
def test_a_move_today_leaves_the_2024_report_as_it_was(run: Run) -> None:
    before = _per_branch(run, "31/12/2024")
    assert before == {"Ấp Chợ": 3, "Ấp Te Te 1": 1, "Trường THCS": 0}
    moved = run("member", "move", "4", "--to", "Ấp Chợ", "--decision", "7-QĐ/ĐU")
    assert moved.exit_code == 0, moved.output
    assert moved.stdout.startswith("Đã chuyển đảng viên mã 4 (Lê Văn Bốn) từ Chi bộ Ấp Te Te 1")
    assert _per_branch(run, "31/12/2024") == before
    assert _per_branch(run, "03/12/2026")["Ấp Chợ"] == 4
    listed = _json(run, "member", "list", "--as-of", "31/12/2024", "--branch", "Ấp Te Te 1")
    assert [m["full_name"] for m in listed] == ["Lê Văn Bốn"]
    assert listed[0]["branch"] == "Ấp Te Te 1"
    summary = _json(run, "report", "summary", "--as-of", "31/12/2024", "--branch", "Ấp Chợ")
    assert summary["members"]["total"] == 3


@pytest.mark.usefixtures("roll")
def test_a_move_inside_a_period_is_out_of_one_branch_and_into_the_other(run: Run) -> None:
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2024").exit_code == 0
    data = _json(run, "report", "changes", "--from", "01/01/2024", "--to", "31/12/2024")
    assert (data["start"], data["end"], data["moved_in"], data["moved_out"]) == (4, 4, 1, 1)
    assert data["increases"]["total"] == data["decreases"]["total"] == 0
    rows = {r["branch"]: r for r in data["by_branch"]}
    assert (rows["Ấp Chợ"]["start"], rows["Ấp Chợ"]["moved_out"], rows["Ấp Chợ"]["end"]) == (
        3,
        1,
        2,
    )
    assert (rows["Ấp Te Te 1"]["moved_in"], rows["Ấp Te Te 1"]["end"]) == (1, 2)
    assert data["reconciles"] is True
    one = _json(
        run, "report", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--branch", "Ấp Chợ"
    )
    assert (one["start"], one["moved_out"], one["moved_in"], one["end"]) == (3, 1, 0, 2)
    assert one["reconciles"] is True
    table = run("report", "changes", "--from", "01/01/2024", "--to", "31/12/2024")
    assert t("changes.moved_out") in table.stdout


@pytest.mark.usefixtures("roll")
def test_an_admission_is_credited_to_the_branch_that_admitted(run: Run) -> None:
    assert (
        run("term", "add", "2010-2015", "--start", "01/01/2010", "--end", "31/12/2014").exit_code
        == 0
    )
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2012").exit_code == 0
    rows = _json(run, "report", "branches", "--as-of", "31/12/2014")
    admitted = {r["branch"]: r["admitted_in_term"] for r in rows}
    assert admitted == {"Ấp Chợ": 3, "Ấp Te Te 1": 1, "Trường THCS": 0}
    totals = {r["branch"]: r["total"] for r in rows}
    assert totals == {"Ấp Chợ": 2, "Ấp Te Te 1": 2, "Trường THCS": 0}


@pytest.mark.usefixtures("roll")
@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        (("--on", "01/03/2010"), "moves.before_joining",
         {"id": 1, "name": "Lê Văn Một", "date": "01/03/2010"}),
        (("--on", "01/01/2009"), "moves.before_joining",
         {"id": 1, "name": "Lê Văn Một", "date": "01/03/2010"}),
    ],
)  # fmt: skip
def test_a_move_is_refused_before_joining(
    run: Run, args: tuple[str, ...], key: str, params: dict[str, Any]
) -> None:
    refused = run("member", "move", "1", "--to", "Ấp Te Te 1", *args)
    assert refused.exit_code == 1
    assert refused.stderr == t(key, **params) + "\n"


@pytest.mark.usefixtures("roll")
def test_moves_are_refused_out_of_order_after_leaving_or_into_the_same_branch(run: Run) -> None:
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2020").exit_code == 0
    earlier = run("member", "move", "1", "--to", "Ấp Chợ", "--on", "01/06/2019")
    assert earlier.exit_code == 1
    assert (
        earlier.stderr == t("moves.before_last", id=1, name="Lê Văn Một", date="01/06/2020") + "\n"
    )
    same = run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2021")
    assert same.exit_code == 1 and "Ấp Te Te 1" in same.stderr
    assert run("member", "leave", "2", "--reason", "died", "--on", "01/01/2022").exit_code == 0
    late = run("member", "move", "2", "--to", "Ấp Te Te 1", "--on", "01/02/2022")
    assert late.exit_code == 1
    assert (
        late.stderr == t("moves.after_leaving", id=2, name="Lê Văn Hai", date="01/01/2022") + "\n"
    )
    before_death = run("member", "move", "2", "--to", "Ấp Te Te 1", "--on", "01/06/2021")
    assert before_death.exit_code == 0, before_death.output
    future = run("member", "move", "3", "--to", "Ấp Te Te 1", "--on", "01/01/2099")
    assert future.exit_code == 2


@pytest.mark.usefixtures("roll")
def test_edit_branch_is_refused_with_a_pointer_and_a_correction_rewrites_the_spell(
    run: Run,
) -> None:
    """A clerk who edits the branch is asked which it is: a dated move, or a branch typed
    wrongly from the start (--correction, which changes the past on purpose)."""
    refused = run("member", "edit", "3", "--branch", "Ấp Te Te 1")
    assert refused.exit_code == 1
    assert "member move 3" in refused.stderr
    fixed = run("member", "move", "3", "--to", "Ấp Te Te 1", "--correction")
    assert fixed.exit_code == 0, fixed.output
    assert _per_branch(run, "31/12/2010") == {"Ấp Chợ": 2, "Ấp Te Te 1": 2, "Trường THCS": 0}
    dated = run("member", "move", "3", "--to", "Ấp Chợ", "--correction", "--on", "01/01/2020")
    assert dated.exit_code == 2


@pytest.mark.usefixtures("roll")
def test_the_member_history_shows_the_move_with_its_decision(run: Run) -> None:
    assert (
        run(
            "member",
            "move",
            "1",
            "--to",
            "Ấp Te Te 1",
            "--on",
            "01/06/2020",
            "--decision",
            "9-QĐ/ĐU",
        ).exit_code
        == 0
    )
    events = _json(run, "member", "history", "1")["events"]
    moved = [e for e in events if e["kind"] == "moved"]
    assert [(e["on_date"], e["decision_no"]) for e in moved] == [("2020-06-01", "9-QĐ/ĐU")]


@pytest.mark.usefixtures("roll")
def test_member_show_at_a_date_names_the_branch_of_that_day(run: Run) -> None:
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2020").exit_code == 0
    assert _json(run, "member", "show", "1", "--as-of", "31/12/2019")["branch"] == "Ấp Chợ"
    assert _json(run, "member", "show", "1")["branch"] == "Ấp Te Te 1"


@pytest.mark.usefixtures("roll")
def test_the_organisation_refuses_what_did_not_happen(run: Run, db_path: Path) -> None:
    """Close refused while members remain; a merge needs two branches; a split names
    members of the branch; a rename before the last; a move into a closed branch."""
    before = db_path.read_bytes()
    with closing(sqlite3.connect(db_path)) as conn:
        there = conn.execute("SELECT id, full_name FROM members WHERE branch_id = 1").fetchall()
    assert len(there) == 3
    refusals = [
        (("branch", "close", "Ấp Chợ", "--on", "01/01/2024"),
         t("bugs.org.close_members", name="Ấp Chợ", date="01/01/2024",
           who=", ".join(f"{i} {n}" for i, n in there))),
        (("branch", "merge", "Ấp Chợ", "--into", "Ấp Chợ", "--on", "01/01/2024"),
         t("org.merge_one")),
        (("branch", "split", "Ấp Chợ", "--into", "Ấp Chợ B", "--members", "4", "--on",
          "01/01/2024"), t("org.not_in_branch", ids="4", name="Ấp Chợ")),
        (("branch", "split", "Ấp Chợ", "--into", "Ấp Chợ B", "--members", "1,x", "--on",
          "01/01/2024"), t("org.bad_member_id", file="--members", line=0, value="x")),
    ]  # fmt: skip
    for words, message in refusals:
        refused = run(*words)
        assert refused.exit_code == 1, (words, refused.output)
        assert refused.stderr == message + "\n", words
    assert db_path.read_bytes() == before
    assert (
        run(
            "branch", "merge", "Ấp Chợ", "Ấp Te Te 1", "--into", "Ấp Mới", "--on", "01/01/2024"
        ).exit_code
        == 0
    )
    into_closed = run("member", "move", "1", "--to", "Ấp Chợ", "--on", "01/02/2024")
    assert into_closed.exit_code == 1
    assert into_closed.stderr == t("moves.branch_not_open", name="Ấp Chợ", date="01/02/2024") + "\n"
    assert run("branch", "rename", "Ấp Mới", "--to", "Ấp Tân", "--on", "01/03/2024").exit_code == 0
    early = run("branch", "rename", "Ấp Tân", "--to", "Ấp Tân Mới", "--on", "01/02/2024")
    assert early.exit_code == 1
    assert early.stderr == t("org.rename_before_last", name="Ấp Tân", date="01/03/2024") + "\n"
    listed = _json(run, "branch", "list", "--as-of", "31/12/2023")
    assert [(b["name"], b["members"]) for b in listed] == [
        ("Ấp Chợ", 3),
        ("Ấp Te Te 1", 1),
        ("Trường THCS", 0),
    ]
    listed = _json(run, "branch", "list", "--as-of", "01/02/2024")
    assert [(b["name"], b["members"]) for b in listed] == [("Ấp Mới", 4), ("Trường THCS", 0)]
    listed = _json(run, "branch", "list")
    assert [(b["name"], b["members"]) for b in listed] == [("Ấp Tân", 4), ("Trường THCS", 0)]


@pytest.mark.usefixtures("roll")
def test_a_split_reads_members_from_a_file(run: Run, tmp_path: Path) -> None:
    listed = tmp_path / "tach.txt"
    listed.write_text("1\n2; 3\n", encoding="utf-8")
    done = run(
        "branch",
        "split",
        "Ấp Chợ",
        "--into",
        "Ấp Chợ B",
        "--members-file",
        str(listed),
        "--on",
        "01/01/2024",
        "--decision",
        "3-QĐ/ĐU",
    )
    assert done.exit_code == 0, done.output
    assert done.stdout == t("org.split", name="Ấp Chợ B", date="01/01/2024", count=3) + "\n"
    assert run("branch", "close", "Ấp Chợ", "--on", "01/02/2024").exit_code == 0
    at = {
        b["branch"]: b["total"] for b in _json(run, "report", "branches", "--as-of", "31/12/2023")
    }
    assert at == {"Ấp Chợ": 3, "Ấp Te Te 1": 1, "Trường THCS": 0}


def test_a_badge_is_listed_under_the_branch_it_was_presented_in(run: Run, branches: None) -> None:
    added = run(
        "member",
        "add",
        "--name",
        "Trần Văn Tư",
        "--gender",
        "Nam",
        "--born",
        "01/01/1960",
        "--ethnicity",
        "Kinh",
        "--branch",
        "Ấp Chợ",
        "--admitted",
        "03/02/1985",
        "--official",
        "03/02/1986",
    )
    assert added.exit_code == 0, added.output
    assert run("badge", "award", "1", "--years", "30", "--on", "03/02/2015").exit_code == 0
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2020").exit_code == 0
    listed = _json(run, "badge", "list", "--branch", "Ấp Chợ")
    assert [(b["full_name"], b["branch"]) for b in listed] == [("Trần Văn Tư", "Ấp Chợ")]
    assert _json(run, "badge", "list", "--branch", "Ấp Te Te 1") == []


@pytest.mark.usefixtures("roll")
def test_nobody_joins_a_branch_merged_by_then(run: Run) -> None:
    assert (
        run(
            "branch", "merge", "Ấp Chợ", "Ấp Te Te 1", "--into", "Ấp Mới", "--on", "01/01/2024"
        ).exit_code
        == 0
    )
    late = run(
        "member",
        "add",
        "--name",
        "Trần Văn Tư",
        *PERSON,
        "--branch",
        "Ấp Chợ",
        "--admitted",
        "03/02/2024",
    )
    assert late.exit_code == 1
    assert t("moves.branch_not_open", name="Ấp Chợ", date="03/02/2024") in late.stderr
    early = run(
        "member",
        "add",
        "--name",
        "Trần Văn Tư",
        *PERSON,
        "--branch",
        "Ấp Chợ",
        "--admitted",
        "03/02/2014",
        "--official",
        "03/02/2015",
    )
    assert early.exit_code == 0, early.output


def test_the_clerk_adds_a_kind_of_unit(run: Run, branches: None) -> None:
    """Unit kinds are data: a sub-committee (đảng bộ bộ phận) beside hamlet and sector."""
    added = run(
        "branch", "kind-add", "subcommittee", "--vi", "Đảng bộ bộ phận", "--en", "Sub-committee"
    )
    assert added.exit_code == 0, added.output
    assert added.stdout == t("org.kind_added", code="subcommittee", label="Đảng bộ bộ phận") + "\n"
    again = run("branch", "kind-add", "dang-bo-bo-phan", "--vi", "đảng bộ bộ phận")
    assert again.exit_code == 1
    assert run("branch", "add", "Khối Vận", "--kind", "Đảng bộ bộ phận").exit_code == 0
    listed = _json(run, "branch", "list")
    assert {b["name"]: b["kind"] for b in listed}["Khối Vận"] == "subcommittee"
    table = run("branch", "list")
    assert "Đảng bộ bộ phận" in table.stdout
    assert run("branch", "add", "Khối Khác", "--kind", "tỉnh").exit_code == 1


@pytest.mark.usefixtures("roll")
def test_support_counts_in_the_branch_of_the_day_it_was_given(run: Run) -> None:
    """A revolving fund of a branch lends to its members of that day; a loan recorded after
    the borrower moved still counts where they were when they borrowed."""
    assert (
        run(
            "support",
            "fund",
            "Quỹ quay vòng Ấp Chợ",
            "--kind",
            "quay vòng",
            "--branch",
            "Ấp Chợ",
            "--capital",
            "30 triệu",
            "--on",
            "01/01/2017",
        ).exit_code
        == 0
    )
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2020").exit_code == 0
    lent = run(
        "support",
        "add",
        "Quỹ quay vòng Ấp Chợ",
        "1",
        "5tr",
        "--on",
        "01/02/2019",
        "--due",
        "01/02/2020",
    )
    assert lent.exit_code == 0, lent.output
    late = run(
        "support",
        "add",
        "Quỹ quay vòng Ấp Chợ",
        "1",
        "5tr",
        "--on",
        "01/02/2021",
        "--due",
        "01/02/2022",
    )
    assert late.exit_code == 1
    report = _json(run, "report", "support", "--from", "01/01/2019", "--to", "31/12/2019")
    assert [b["branch"] for b in report["by_branch"]] == ["Ấp Chợ"]


@pytest.mark.usefixtures("roll")
def test_a_move_entered_by_mistake_is_voided_and_the_branch_comes_back(run: Run) -> None:
    before = _per_branch(run, "31/12/2024")
    assert run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/06/2024").exit_code == 0
    assert _per_branch(run, "31/12/2024") != before
    events = _json(run, "member", "history", "1")["events"]
    moved = next(e for e in events if e["kind"] == "moved")
    voided = run("member", "void-event", "1", str(moved["id"]), "--reason", "Nhầm người")
    assert voided.exit_code == 0, voided.output
    assert _per_branch(run, "31/12/2024") == before
    assert _json(run, "member", "show", "1")["branch"] == "Ấp Chợ"
    again = run("member", "move", "1", "--to", "Ấp Te Te 1", "--on", "01/03/2024")
    assert again.exit_code == 0, again.output  # the voided move no longer bars earlier dates
