"""`tanhung branch …`: the committee's branches (chi bộ)."""

from __future__ import annotations

from typing import Annotated

import typer

from tanhung_cli import branches, render
from tanhung_cli.cli.common import AsOfOption, Format, FormatOption, as_of_date, registry
from tanhung_cli.cli.list_output import listing, refuse_early, write_list
from tanhung_cli.cli.outputs import ForceOption
from tanhung_cli.cli.report_options import OutputOpt
from tanhung_cli.i18n import t
from tanhung_cli.render import values

app = typer.Typer(no_args_is_help=True, help="Branches of the committee (chi bộ).")

KindOption = Annotated[
    str,
    typer.Option("--kind", "-k", help="hamlet (chi bộ ấp) or sector (chi bộ ngành, sự nghiệp)."),
]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='The branch name, e.g. "Ấp Chợ".')],
    kind: KindOption = "hamlet",
) -> None:
    """Add a branch (thêm chi bộ).

    Example: tanhung branch add "Ấp Te Te 1" --kind hamlet
    """
    conn = registry(ctx, write=True)
    branch_id = branches.add_branch(conn, name, kind)
    row = branches.get_branch(conn, str(branch_id))
    typer.echo(t("branch.added", id=branch_id, name=row["name"]))


@app.command("edit")
def edit(
    ctx: typer.Context,
    branch: Annotated[str, typer.Argument(help="The branch, by name or id.")],
    name: Annotated[str | None, typer.Option("--name", help="The new name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="hamlet or sector.")] = None,
) -> None:
    """Rename a branch or change its kind (sửa chi bộ)."""
    conn = registry(ctx, write=True)
    changes = branches.edit_branch(conn, branch, name=name, kind=kind)
    if not changes:
        typer.echo(t("branch.unchanged"))
        return
    row = branches.get_branch(conn, name or branch)
    typer.echo(t("branch.edited", id=row["id"], name=row["name"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """List the branches of a day with their names then and member counts (danh sách chi bộ).

    Example: tanhung branch list --as-of 31/12/2020
    """
    refuse_early(ctx, output, force)
    from tanhung_cli import org
    from tanhung_cli.i18n import get_lang

    day = as_of_date(as_of)
    conn = registry(ctx)
    rows = branches.list_branches(conn, day.isoformat())
    kinds = {r["kind"]: org.kind_label(conn, r["kind"], get_lang()) for r in rows}
    headers = [t("label.id"), t("label.branch"), t("label.kind"), t("label.members")]
    title = t("branch.list_title", date=values.date(day))
    if output is not None:
        cells = [(r["id"], r["name"], kinds[r["kind"]], r["members"]) for r in rows]
        table = listing(("id", "name", "kind", "members"), headers, cells, ("id", "members"))
        write_list(ctx, output, force, title, table, rows)
    elif fmt is Format.json:
        render.to_json(rows)
    elif fmt is Format.csv:
        render.to_csv(rows, ["id", "name", "kind", "members"])
    else:
        render.table(
            [(r["id"], r["name"], kinds[r["kind"]], r["members"]) for r in rows],
            headers,
            title=title,
            justify=["right", "left", "left", "right"],
        )
