"""How `check` and `import` give their problems: lines for the clerk, or JSON for a program."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import typer

from tanhung_cli.problems import Problem, as_json
from tanhung_cli.render.formats import Format, Problems

# The one Format; the name says which of its members these commands take.
ProblemFormat = Format

ProblemFormatOption = Annotated[
    Problems,
    typer.Option(
        "--format", "-f", help="text: one line per problem; json: a list of problems on stdout."
    ),
]


def problems_json(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """The problems as JSON data, their messages in the current language."""
    return [as_json(problem) for problem in problems]
