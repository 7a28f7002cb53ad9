"""`tanhung export badges`: the register of Party badges, a file `import badges` reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli import badges
from tanhung_cli.branches import get_branch
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.outputs import ForceOption, Headers, HeadersOption, file_kind, write_records
from tanhung_cli.i18n import t
from tanhung_cli.importer.badges import BADGE_COLUMNS
from tanhung_cli.render.formats import MemberFile

app = typer.Typer()

# The columns written, each a column `import badges` reads (the branch is read past).
COLUMNS = (
    "id",
    "national_id",
    "full_name",
    "branch",
    "years",
    "presented_on",
    "badge_no",
    "decision",
    "kind",
    "note",
)
VI = {c.name: c.vi for c in BADGE_COLUMNS} | {"branch": "Chi bộ"}


@app.command("badges")
def badges_(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write; stdout when omitted.")
    ] = None,
    fmt: Annotated[
        MemberFile | None,
        typer.Option(
            "--format", "-f", help="csv (UTF-8 with BOM), xlsx or json; default by ending."
        ),
    ] = None,
    headers: HeadersOption = Headers.en,
    year: Annotated[
        int | None, typer.Option("--year", min=1, max=9999, help="Only this year.")
    ] = None,
    branch: Annotated[str | None, typer.Option("--branch", "-b", help="Only this branch.")] = None,
    force: ForceOption = False,
) -> None:
    """Export the register of Party badges to a CSV, Excel or JSON file that
    `import badges` reads back (xuất sổ Huy hiệu Đảng).

    Example: tanhung export badges -o huy-hieu.xlsx --headers vi
    """
    kind, where = file_kind(ctx, output, fmt, force)
    conn = registry(ctx)
    branch_id = get_branch(conn, branch)["id"] if branch else None
    rows = badges.register(conn, year, branch_id)
    head = [VI[c] for c in COLUMNS] if headers is Headers.vi else list(COLUMNS)
    write_records(kind, COLUMNS, head, rows, "presented_on", output, where)
    if output is None:
        return
    typer.echo(t("badge.exported", count=len(rows), file=output), err=True)
