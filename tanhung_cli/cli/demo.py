"""`tanhung demo`: build the bundled Tân Hùng sample registry and print its summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli import reports, sample
from tanhung_cli.cli.common import state
from tanhung_cli.cli.outputs import emit
from tanhung_cli.cli.report import summary_sheet
from tanhung_cli.db import default_db_path, open_db
from tanhung_cli.errors import Conflict
from tanhung_cli.i18n import t
from tanhung_cli.render import Format, formats, values


def demo_path() -> Path:
    """The demo's own file beside the clerk's registry, replaced on every run."""
    return default_db_path().with_name("tanhung-demo.db")


def _named_on_command_line(ctx: typer.Context) -> Path | None:
    """The --db given on the command line; TANHUNG_DB may name the clerk's real registry."""
    root = ctx.find_root()
    source = root.get_parameter_source("db")
    if source is not None and source.name == "COMMANDLINE":
        return state(ctx).db_path
    return None


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo(
    ctx: typer.Context,
    fmt: Annotated[
        formats.Report, typer.Option("--format", "-f", help="table, json, csv or markdown.")
    ] = Format.table,
) -> None:
    """Build the Tân Hùng sample registry and print its summary (sổ mẫu Đảng bộ xã Tân Hùng).

    The sample is built into its own file (tanhung-demo.db in the application-data
    folder, replaced on every run) unless --db names a new or empty registry.

    Example: tanhung demo; tanhung --db demo.db demo
    """
    named = _named_on_command_line(ctx)
    path = named or demo_path()
    folder = sample.sample_dir()
    if named is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _fresh(path)
    conn = open_db(path)
    ctx.call_on_close(conn.close)
    if not sample.is_empty(conn):
        raise Conflict("demo.not_empty", path=str(path))
    quiet = fmt is not Format.table
    if not quiet:
        typer.echo(t("demo.building", path=path), err=True)
    loaded = sample.load_sample(conn, folder)
    if not quiet:
        typer.echo(
            t(
                "demo.loaded",
                branches=loaded.branches,
                members=loaded.members,
                courses=loaded.courses,
                enrolments=loaded.enrolments,
                meetings=loaded.meetings,
                loans=loaded.loans,
            ),
            err=True,
        )
    sc = reports.scope(conn, term=sample.TERM)
    data = reports.summary(conn, sc)
    emit(summary_sheet(data), fmt, None)
    if not quiet:
        end = values.date(sc.as_of)
        typer.echo(t("demo.next", path=path, end=end), err=True)
