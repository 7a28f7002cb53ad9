"""Exemption and temporary absence seen in lists and `member show`, and listed apart
(issue #11, point 2, in part)."""

from __future__ import annotations

import json

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
               "--on", "01/02/2025")  # fmt: skip
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
