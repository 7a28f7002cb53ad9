"""`member list --output FILE`: the list as a file to print or file (.xlsx, .html, .md,
.csv): the members counted, then those the list holds apart, each a table of the sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import roll
from tanhung_cli.cli.common import standing_label
from tanhung_cli.i18n import t

ListOutput = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the list to a new file: .xlsx, .html, .md, .csv."),
]

# As `outputs.ForceOption`, declared here: `member list` starts without loading `outputs`.
ListForce = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace an existing file that is not a registry (never a database)."
    ),
]

COLUMNS = (
    "no",
    "id",
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "branch",
    "admitted_on",
    "official_on",
    "status",
)


def write_list(
    ctx: typer.Context, rows: list[dict[str, Any]], title: str, output: Path, force: bool
) -> None:
    from tanhung_cli.cli.outputs import emit, guard
    from tanhung_cli.render.formats import Format
    from tanhung_cli.render.sheet import Sheet, Table

    headers = [t("label.no"), *(t("column." + c) for c in COLUMNS[1:])]

    def table(group: list[dict[str, Any]], heading: str, key: str) -> Table:
        shown = [
            {**r, "no": i, "status": standing_label(r), "admitted_on": r["admitted_on"]}
            for i, r in enumerate(group, 1)
        ]
        return Table(COLUMNS, headers, shown, heading, ("no", "id"), key)

    counted = [r for r in rows if r["status"] in roll.COUNTED]
    tables = [table(counted, "", "counted")]
    for status in roll.APART:
        group = [r for r in rows if r["status"] == status]
        if group:
            tables.append(table(group, t(f"member.apart.{status}"), status))
    caption = t("member.count", count=len(counted))
    emit(
        Sheet(title, rows, tables=tables, caption=caption), Format.table, output, guard(ctx, force)
    )
