"""No one joined the Party before it was founded: 03/02/1930 (the founding conference
of the Communist Party of Vietnam, 3 February 1930; Charter, preamble)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tanhung_cli.problems import Problem, dated

if TYPE_CHECKING:
    from tanhung_cli.cells import DateCell

FOUNDED = "1930-02-03"


def check(admitted: DateCell | None, problems: list[Problem]) -> None:
    """An admission all of whose days fall before the founding ("1929", 02/02/1930) is
    refused; "1930" or "02/1930" may hold a day after it and is accepted."""
    if admitted is not None and admitted.last.iso < FOUNDED:
        params = {"value": dated(admitted.iso)}
        problems.append(Problem("ids.admitted_before_founding", params, "admitted_on"))
