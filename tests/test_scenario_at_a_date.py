"""Counts and lists at a date: admissions, returning members, exemptions that ended."""

from __future__ import annotations

import json

import pytest
from conftest import Run

PERSON = ("--gender", "Nam", "--born", "01/01/1970", "--ethnicity", "Kinh", "--branch", "Ấp Chợ")


def admitted(run: Run, term: str, key: str = "in_term") -> int:
    out = run("report", "summary", "--term", term, "--format", "json")
    assert out.exit_code == 0, out.output
    return int(json.loads(out.stdout)["admissions"][key])


@pytest.mark.usefixtures("branches")
def test_transfers_in_are_not_admissions_and_a_readmission_keeps_the_first(run: Run) -> None:
    assert (
        run("term", "add", "1990-1995", "--start", "01/07/1990", "--end", "30/06/1995").exit_code
        == 0
    )
    assert (
        run("term", "add", "2020-2025", "--start", "01/07/2020", "--end", "30/06/2025").exit_code
        == 0
    )
    local = run("member", "add", "--name", "Lê Văn Tư", *PERSON, "--admitted", "01/08/1990",
                "--official", "01/08/1991")  # fmt: skip
    assert local.exit_code == 0, local.output
    assert (
        run("member", "add", "--name", "Lê Văn Năm", *PERSON, "--admitted", "01/08/2021").exit_code
        == 0
    )
    for kind, name in (("official", "Phạm Văn Dũng"), ("temporary", "Võ Văn Em")):
        moved = run("member", "transfer-in", "--kind", kind, "--from", "Xã Tân Hòa", "--name", name,
                    *PERSON, "--admitted", "01/02/2021", "--official", "01/02/2022",
                    "--on", "01/05/2022")  # fmt: skip
        assert moved.exit_code == 0, moved.output
    assert admitted(run, "2020-2025") == 1
    assert admitted(run, "1990-1995") == 1
    assert run("member", "leave", "1", "--reason", "removed", "--on", "01/06/2005").exit_code == 0
    assert run("member", "readmit", "1", "--on", "01/06/2023", "--consent", "1").exit_code == 0
    assert admitted(run, "1990-1995") == 1  # the first admission still counts
    # The re-admission counts too, apart from new admissions (HD 11-HD/BTCTW 2021).
    assert admitted(run, "2020-2025") == 1
    assert admitted(run, "2020-2025", "readmitted") == 1
    roster = run("report", "roster", "--as-of", "31/12/1994", "--format", "json")
    assert roster.exit_code == 0, roster.output
    rows = json.loads(roster.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    first = next(r for r in rows if r["full_name"] == "Lê Văn Tư")
    assert (first["admitted_on"], first["official_on"], first["status"]) == (
        "1990-08-01", "1991-08-01", "official",
    )  # fmt: skip
    listed = json.loads(run("member", "list", "--as-of", "31/12/1994", "--format", "json").stdout)
    assert [(m["admitted_on"], m["official_on"], m["status"]) for m in listed] == [
        ("1990-08-01", "1991-08-01", "official")
    ]


@pytest.mark.usefixtures("branches")
def test_exempt_list_at_a_past_date_sees_an_exemption_that_ended(run: Run) -> None:
    added = run("member", "add", "--name", "Lê Văn Tư", *PERSON, "--admitted", "01/08/1990",
                "--official", "01/08/1991")  # fmt: skip
    assert added.exit_code == 0
    assert run("member", "exempt", "1", "--on", "01/01/2020").exit_code == 0
    assert run("member", "unexempt", "1", "--on", "01/01/2022").exit_code == 0

    def exempt(day: str) -> list[int]:
        out = run("member", "list", "--status", "exempt", "--as-of", day, "--format", "json")
        return [m["id"] for m in json.loads(out.stdout)]

    assert (exempt("31/12/2019"), exempt("01/06/2021"), exempt("01/06/2022")) == ([], [1], [])


@pytest.mark.usefixtures("branches")
def test_admission_corrections_must_fit_the_periods_on_the_roll(run: Run) -> None:
    moved = run("member", "transfer-in", "--kind", "official", "--from", "Xã Tân Hòa",
                "--name", "Phạm Văn Dũng", *PERSON, "--admitted", "01/02/2010",
                "--official", "01/02/2011", "--on", "01/05/2018")  # fmt: skip
    assert moved.exit_code == 0, moved.output
    late = run("member", "edit", "1", "--admitted", "01/06/2018", "--official", "01/06/2019")
    assert late.exit_code == 1
    assert late.stderr == (
        "Ngày vào Đảng: sau ngày vào danh sách Đảng bộ (01/05/2018);"
        " đảng viên chuyển đến phải vào Đảng trước đó\n"
    )
    assert run("member", "add", "--name", "Lê Văn Tư", *PERSON, "--admitted", "01/08/1990",
               "--official", "01/08/1991").exit_code == 0  # fmt: skip
    assert run("member", "leave", "2", "--reason", "removed", "--on", "01/01/2018").exit_code == 0
    assert (
        run(
            "member", "readmit", "2", "--on", "01/06/2019", "--consent", "1", "--exception", "2"
        ).exit_code
        == 0
    )
    early = run("member", "edit", "2", "--admitted", "01/06/2017")
    assert early.exit_code == 1
    assert early.stderr.startswith(
        "Ngày vào Đảng: không muộn hơn lần ra khỏi danh sách trước (01/01/2018)"
    )


@pytest.mark.usefixtures("branches")
def test_transfer_in_note_belongs_to_the_event(run: Run) -> None:
    moved = run("member", "transfer-in", "--from", "Xã Tân Hòa", "--name", "Phạm Văn Dũng",
                *PERSON, "--admitted", "01/02/2010", "--official", "01/02/2011",
                "--on", "01/05/2018", "--note", "Theo giấy giới thiệu số 12")  # fmt: skip
    assert moved.exit_code == 0, moved.output
    shown = json.loads(run("member", "show", "1", "--format", "json").stdout)
    assert shown["note"] is None and shown["transferred_in_on"] == "2018-05-01"
    events = json.loads(run("member", "history", "1", "--format", "json").stdout)["events"]
    assert [e["note"] for e in events if e["kind"] == "transferred_in"] == [
        "Theo giấy giới thiệu số 12"
    ]
