"""Dates typed on the command line stay inside the calendar the registry can count in."""

from __future__ import annotations

import pytest
from conftest import DIEM, Run


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    "command",
    [("due",), ("member", "standing", "1"), ("report", "summary"), ("member", "list")],
)
def test_as_of_beyond_2199_is_a_usage_error(run: Run, command: tuple[str, ...]) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    result = run(*command, "--as-of", "31/12/9999")
    assert result.exit_code == 2
    assert "quá xa trong tương lai (muộn nhất là 31/12/2199)" in result.stderr
    assert run(*command, "--as-of", "31/12/2199").exit_code == 0
