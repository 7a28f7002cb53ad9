"""Exemption and temporary absence seen in lists and `member show`, and listed apart
(issue #11, point 2, in part)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list


@pytest.fixture
def three(run: Run, branches: None) -> None:
    """Diễm (1) exempt since 2024, Tám (2) away on a temporary transfer since 2025,
    Tạm (3) attending here temporarily."""
    assert run("member", "add", *DIEM).exit_code == 0
    tam = option_list(DIEM, name="Trần Văn Tám", gender="Nam", card=None, cccd=None)
    assert run("member", "add", *tam).exit_code == 0
    assert run("member", "exempt", "1", "--on", "01/03/2024").exit_code == 0
    away = run("member", "transfer-out", "2", "--to", "Xã Y", "--kind", "temporary",
               "--on", "01/02/2025", "--until", "01/12/2025")  # fmt: skip
    assert away.exit_code == 0, away.output
    visitor = option_list(DIEM, name="Lê Thị Tạm", card=None, cccd=None, official="19/05/2001")
    came = run("member", "transfer-in", "--kind", "temporary", "--from", "Xã Z",
               "--on", "01/01/2025", *visitor)  # fmt: skip
    assert came.exit_code == 0, came.output


def _listed(run: Run, *args: str) -> list[tuple[int, str, bool, bool]]:
    result = run("member", "list", *args, "--as-of", "01/06/2025", "-f", "json")
    assert result.exit_code == 0, result.output
    return [(m["id"], m["status"], m["exempt"], m["away"]) for m in json.loads(result.stdout)]


@pytest.mark.usefixtures("three")
def test_exempt_and_away_members_are_marked_in_lists(run: Run) -> None:
    assert _listed(run, "--status", "exempt") == [(1, "official", True, False)]
    assert _listed(run, "--status", "away") == [(2, "official", False, True)]
    assert _listed(run, "--status", "đi vắng") == [(2, "official", False, True)]
    table = run("member", "list", "--as-of", "01/06/2025").stdout
    assert "Chính thức · miễn SH" in table and "Chính thức · tạm chuyển đi" in table
    before = run("member", "list", "--as-of", "01/01/2024", "--status", "exempt", "-f", "json")
    assert json.loads(before.stdout) == []  # not yet exempt then


@pytest.mark.usefixtures("three")
def test_member_show_says_it_in_words(run: Run) -> None:
    shown = run("member", "show", "2", "--as-of", "01/06/2025").stdout
    assert "Chính thức · tạm chuyển đi" in shown
    visitor = run("member", "show", "3").stdout
    assert "Sinh hoạt tạm thời" in visitor and "│ Có " in visitor
    assert "│ x " not in visitor
    data = json.loads(run("member", "show", "1", "--as-of", "01/06/2025", "-f", "json").stdout)
    assert (data["status"], data["exempt"], data["away"]) == ("official", True, False)


# One definition of "on the roll" in every count (issue #11, point 2): temporary attendees
# are listed apart and never counted; members who left are listed apart with --all.

AS_OF = ("--as-of", "01/06/2025")


@pytest.mark.usefixtures("three")
def test_member_list_counts_the_roll_and_lists_temporary_attendees_apart(run: Run) -> None:
    table = run("member", "list", *AS_OF).stdout
    counted, _, apart = table.partition("Sinh hoạt tạm thời, không tính vào số lượng")
    assert "2 đảng viên" in counted and "Diễm" in counted and "Tám" in counted
    assert "Tạm" not in counted.replace("tạm chuyển đi", "")
    assert "Lê Thị Tạm" in apart and "1 người" in apart
    english = run("--lang", "en", "member", "list", *AS_OF).stdout
    assert "2 members" in english and "Attending temporarily, not counted" in english


@pytest.mark.usefixtures("three")
def test_every_count_agrees(run: Run) -> None:
    summary = json.loads(run("report", "summary", *AS_OF, "-f", "json").stdout)
    branches = json.loads(run("branch", "list", *AS_OF, "-f", "json").stdout)
    listed = json.loads(run("member", "list", *AS_OF, "-f", "json").stdout)
    on_roll = [m for m in listed if m["status"] in ("official", "probationary")]
    assert summary["members"]["total"] == sum(b["members"] for b in branches) == len(on_roll) == 2
    table = run("member", "list", *AS_OF, "--branch", "Ấp Chợ").stdout
    assert "2 đảng viên" in table


@pytest.mark.usefixtures("three")
def test_export_says_who_is_counted(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "members.csv"
    result = run("export", "members", "-o", str(out), *AS_OF)
    assert result.exit_code == 0, result.output
    assert f"Đã xuất 2 đảng viên và 1 người sinh hoạt tạm thời ra {out}." in result.stderr
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1 + 3


@pytest.mark.usefixtures("three")
def test_left_members_are_listed_apart_with_all(run: Run) -> None:
    assert run("member", "leave", "2", "--reason", "died", "--on", "01/05/2025").exit_code == 0
    table = run("member", "list", "--all", *AS_OF).stdout
    counted, _, apart = table.partition("Đã ra khỏi danh sách")
    assert "1 đảng viên" in counted and "Tám" not in counted
    assert "Trần Văn Tám" in apart


@pytest.mark.usefixtures("three")
def test_roster_notes_exemption_and_absence(run: Run, tmp_path: Path) -> None:
    table = run("report", "roster", *AS_OF).stdout
    assert "Miễn sinh hoạt từ 01/03/2024" in table
    assert "Tạm chuyển sinh hoạt đến Xã Y từ 01/02/2025" in table
    rows = list(
        csv.DictReader(io.StringIO(run("report", "roster", *AS_OF, "-f", "csv", lang="en").stdout))
    )
    assert [(r["exempt_since"], r["away_since"], r["away_to"]) for r in rows] == [
        ("2024-03-01", "", ""),
        ("", "2025-02-01", "Xã Y"),
    ]
    page = tmp_path / "roster.html"
    assert run("report", "roster", *AS_OF, "-o", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "Miễn sinh" in text and "Ghi chú" in text  # the form's note column (wrapped)
    before = run("report", "roster", "--as-of", "01/01/2024").stdout
    assert "Miễn sinh hoạt" not in before and "Tạm chuyển" not in before
