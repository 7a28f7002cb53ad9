"""The options every `tanhung report …` command shares, and the scope they name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tanhung_cli.cli.common import date_option, registry
from tanhung_cli.render import formats, values

if TYPE_CHECKING:
    from tanhung_cli import reports

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Answer for this date (dd/mm/yyyy); default the term's end or today."
    ),
]
TermOpt = Annotated[
    str | None,
    typer.Option(
        "--term",
        "-t",
        help="The term (nhiệm kỳ), e.g. 2015-2020; default the term running at --as-of.",
    ),
]
BranchOpt = Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch (chi bộ).")]
FormatOpt = Annotated[
    formats.Report, typer.Option("--format", "-f", help="table, json, csv or markdown.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to a new file: .pdf or .html to print, .xlsx, .md, .csv (or .json).",
    ),
]


def scope_of(
    ctx: typer.Context, as_of: str | None, term: str | None, branch: str | None = None
) -> reports.Scope:
    from tanhung_cli import reports  # not for a command that only takes these options

    day = date_option(as_of, "--as-of", allow_future=True)
    return reports.scope(registry(ctx), as_of=day, term=term, branch=branch)


def date_of(sc: reports.Scope) -> str:
    return values.date(sc.as_of)


def need_term(sc: reports.Scope) -> None:
    if sc.term is None:
        from tanhung_cli.errors import NotFound

        raise NotFound("report.no_term", date=date_of(sc))
