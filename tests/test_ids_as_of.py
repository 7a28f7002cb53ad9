"""`member list --as-of D` and `member show --as-of D`: the roll as it stood at D.

Issue #14, point 12: a member who left after D was on the roll at D and is listed as
such, without the departure that had not happened yet; one who left before D is not.
"""

from __future__ import annotations

import json

import pytest
from conftest import Run

PERSON = ("--gender", "Nam", "--born", "01/01/1970", "--ethnicity", "Kinh", "--branch", "Ấp Chợ",
          "--admitted", "01/01/2000", "--official", "01/01/2001")  # fmt: skip


@pytest.fixture
def two_left(run: Run) -> None:
    for name in ("Lê Văn Tư", "Lê Văn Năm"):
        assert run("member", "add", "--name", name, *PERSON).exit_code == 0
    assert run("member", "leave", "1", "--on", "01/06/2020", "--reason", "died").exit_code == 0
    assert run("member", "leave", "2", "--on", "01/06/2015", "--reason", "died").exit_code == 0


@pytest.mark.usefixtures("branches", "two_left")
def test_list_as_of_hides_departures_dated_after_the_date(run: Run) -> None:
    """Issue #14 point 12: left 01/06/2020, listed at 01/01/2018 as an official member
    without a departure; left 01/06/2015, not listed."""
    out = run("member", "list", "--as-of", "01/01/2018", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [(r["id"], r["status"], r["left_on"], r["left_reason"]) for r in rows] == [
        (1, "official", None, None)
    ]


@pytest.mark.usefixtures("branches", "two_left")
def test_list_as_of_the_departure_day_shows_it(run: Run) -> None:
    """On the day of the departure itself the member has left: shown with --all only."""
    out = run("member", "list", "--as-of", "01/06/2020", "--all", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows[1]["left_on"] == "2020-06-01" and rows[1]["status"] == "left"
    assert rows[2]["left_on"] == "2015-06-01"


@pytest.mark.usefixtures("branches", "two_left")
def test_show_as_of_before_the_departure_has_none(run: Run) -> None:
    out = run("member", "show", "1", "--as-of", "01/01/2018", "--format", "json")
    assert out.exit_code == 0, out.output
    shown = json.loads(out.stdout)
    assert shown["left_on"] is None and shown["left_reason"] is None
