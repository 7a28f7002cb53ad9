"""The `tanhung` command: global options, the command groups, errors mapped to exit codes."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tanhung_cli import __version__, audit, i18n
from tanhung_cli.cli import branch, member, safety
from tanhung_cli.cli import course, due, member_life, member_status, rating  # noqa: F401
from tanhung_cli.cli import demo, report, term
from tanhung_cli.cli import export, imports
from tanhung_cli.cli.common import state
from tanhung_cli.db import database_problem
from tanhung_cli.errors import TanhungError
from tanhung_cli.i18n import t


def _report(exc: BaseException) -> str:
    """The clerk's one-line reading of an error raised below a command."""
    from tanhung_cli.members import InvalidMember

    if isinstance(exc, InvalidMember):
        return "\n".join(f"{t('column.' + p.column)}: {p.message()}" for p in exc.problems)
    if isinstance(exc, TanhungError):
        return exc.message()
    problem = database_problem(exc) if isinstance(exc, sqlite3.Error) else None
    if problem is not None and problem.key != "db.unusable":
        return problem.message()  # busy, read-only, full disk, damaged
    return t("db.error", reason=str(exc))


class RegistryGroup(TyperGroup):
    """Catches the registry's refusals once, for every command below it."""

    def main(self, args: Any = None, *pos: Any, **kw: Any) -> Any:
        words = list(args) if args is not None else sys.argv[1:]
        audit.set_context(command=" ".join(["tanhung", *words])[:500])
        return super().main(args, *pos, **kw)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TanhungError, sqlite3.Error) as exc:
            typer.echo(_report(exc), err=True)
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # The reader (head, less) has gone: stop quietly, as other commands do.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(0) from None
        except OSError as exc:
            typer.echo(t("error.os", path=exc.filename or "", reason=exc.strerror), err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=RegistryGroup,
    no_args_is_help=True,
    add_completion=False,
    help="Membership registry of a commune Party Committee (sổ đảng viên của Đảng bộ xã).",
)
app.add_typer(branch.app, name="branch")
app.add_typer(member.app, name="member")
app.add_typer(imports.app, name="import")
app.add_typer(export.app, name="export")
app.add_typer(course.app, name="course")
app.add_typer(rating.app, name="rating")
app.command("due")(due.due)
app.add_typer(term.app, name="term")
app.add_typer(term.target_app, name="target")
app.add_typer(report.app, name="report")
app.command("demo")(demo.demo)
safety.register(app)  # backup, restore, check, audit


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tanhung {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", envvar="TANHUNG_DB", help="The registry file (SQLite).", show_default=False
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", envvar="TANHUNG_LANG", help="Language of labels and messages: vi or en."
        ),
    ] = "vi",
    clerk: Annotated[
        str | None,
        typer.Option(
            "--clerk",
            envvar="TANHUNG_CLERK",
            help="Who is recorded in the audit trail; default the OS user.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Keep the roll of party members (đảng viên) of a commune Party Committee (Đảng bộ xã)."""
    if lang not in i18n.LANGUAGES:
        raise typer.BadParameter("vi | en", param_hint="--lang")
    i18n.set_lang(lang)
    state(ctx).db_path = db
    audit.set_clerk(clerk)


def main() -> None:
    """Entry point of the `tanhung` console script."""
    app()
