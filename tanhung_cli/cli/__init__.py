"""The `tanhung` command: global options, the command groups, errors mapped to exit codes."""

from __future__ import annotations

import importlib
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import __version__, audit, i18n
from tanhung_cli.cli import help_text
from tanhung_cli.cli.common import state
from tanhung_cli.cli.lazy import (
    ClickException,
    LazyGroup,
    LocalGroup,
    localised_error,
    single,
    summary,
)
from tanhung_cli.errors import TanhungError
from tanhung_cli.i18n import t
from tanhung_cli.render.terminal import say
from tanhung_cli.signals import Stopped, stoppable
from tanhung_cli.storage import database_problem


def _report(exc: BaseException) -> str:
    """The clerk's one-line reading of an error raised below a command."""
    from tanhung_cli.members import InvalidMember
    from tanhung_cli.problems import located

    if isinstance(exc, InvalidMember):
        return "\n".join(map(located, exc.problems))
    if isinstance(exc, TanhungError):
        return exc.message()
    problem = database_problem(exc) if isinstance(exc, sqlite3.Error) else None
    if problem is not None and problem.key != "db.unusable":
        return problem.message()  # busy, read-only, full disk, damaged
    return t("db.error", reason=str(exc))


# Every command, loaded only when it is run. Importing all command modules and
# building every command's options costs more than Python and Typer take to
# start, and a clerk typing `tanhung member list` should not wait for `report`
# (bench/startup_bench.py). name: (module, attribute, summary for `tanhung --help`,
# modules whose own ``app`` joins the group). A test checks each summary is the
# first line of the command's own help.
COMMANDS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "demo": ("tanhung_cli.cli.demo", "demo", "Build the Tân Hùng sample registry and print its summary (sổ mẫu Đảng bộ xã Tân Hùng).", ()),
    "branch": ("tanhung_cli.cli.branch", "app", "Branches of the committee (chi bộ).", ("tanhung_cli.cli.branch_dated",)),
    "member": ("tanhung_cli.cli.member", "app", "Party members (đảng viên).",
               ("tanhung_cli.cli.member_view", "tanhung_cli.cli.member_life", "tanhung_cli.cli.member_transfer", "tanhung_cli.cli.member_status", "tanhung_cli.cli.member_gaps", "tanhung_cli.cli.member_void", "tanhung_cli.cli.member_move")),
    "import": ("tanhung_cli.cli.imports", "app", "Load lists from CSV / Excel files (nhập từ tệp).", ()),
    "export": ("tanhung_cli.cli.export", "app", "Write lists to CSV / Excel / JSON files (xuất ra tệp).", ("tanhung_cli.cli.meeting_export", "tanhung_cli.cli.support_export", "tanhung_cli.cli.badge_export")),
    "course": ("tanhung_cli.cli.course", "app", "Training courses (khóa đào tạo, bồi dưỡng).", ("tanhung_cli.cli.course_void",)),
    "meeting": ("tanhung_cli.cli.meeting", "app", "Meetings and attendance (hội nghị, sinh hoạt chi bộ).", ()),
    "badge": ("tanhung_cli.cli.badge", "app", "Party badges (Huy hiệu Đảng).", ()),
    "rating": ("tanhung_cli.cli.rating", "app", "Annual ratings (xếp loại chất lượng).", ()),
    "support": ("tanhung_cli.cli.support", "app", "Support for members in hardship (hỗ trợ đảng viên khó khăn).", ("tanhung_cli.cli.support_funds",)),
    "due": ("tanhung_cli.cli.due", "due", "List what is due (đến hạn): confirmations of probationary members and Party badges.", ()),
    "term": ("tanhung_cli.cli.term", "app", "Terms between congresses (nhiệm kỳ).", ("tanhung_cli.cli.term_void",)),
    "target": ("tanhung_cli.cli.term", "target_app", "Targets of a term's resolution (chỉ tiêu).", ()),
    "report": ("tanhung_cli.cli.report", "app", "Reports (báo cáo): summary, branches, admissions…", ("tanhung_cli.cli.report_term", "tanhung_cli.cli.report_roll", "tanhung_cli.cli.report_activity", "tanhung_cli.cli.report_support", "tanhung_cli.cli.report_changes", "tanhung_cli.cli.report_many")),
    "backup": ("tanhung_cli.cli.safety", "backup", "Back up the registry to a verified, owner-only copy (sao lưu).", ()),
    "restore": ("tanhung_cli.cli.safety", "restore", "Replace the registry with a backup, keeping the current one (khôi phục).", ()),
    "check": ("tanhung_cli.cli.safety", "check", "Check the registry file and its records for problems (kiểm tra sổ).", ()),
    "merge": ("tanhung_cli.cli.merge", "merge", "Merge old committees' registries into a new one (hợp nhất sổ đảng viên).", ()),
    "setting": ("tanhung_cli.cli.setting", "app", "Rules and names an office may set (thiết lập).", ()),
    "audit": ("tanhung_cli.cli.safety", "audit", "List the audit trail: who changed what, when, by which command (nhật ký thay đổi).", ()),
}  # fmt: skip


def load_command(name: str) -> Any:
    """The click command behind ``name``, importing its module now."""
    module_name, attribute, _, joined = COMMANDS[name]
    target = getattr(importlib.import_module(module_name), attribute)
    if isinstance(target, typer.Typer):
        command: Any = LazyGroup.of(target, *joined)  # joined modules imported when needed
    else:
        command = single(name, target)
    command.name = name
    return command


def requested_lang(words: list[str], environ: Any = os.environ) -> str:
    """The language asked for by ``--lang`` before the command, else ``TANHUNG_LANG``, else
    Vietnamese; any case. Known before click parses anything, so that help and usage
    errors about the command (parsed before the root's options are applied) speak it."""
    value = environ.get("TANHUNG_LANG") or "vi"
    for i, word in enumerate(words):
        if word in COMMANDS:
            break
        if word == "--lang" and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith("--lang="):
            value = word.partition("=")[2]
    value = str(value).strip().lower()
    return value if value in i18n.LANGUAGES else "vi"


class RegistryGroup(LocalGroup):
    """Loads commands on demand, and catches the registry's refusals once for all of them."""

    lists_own_commands = False  # its list is the summaries in COMMANDS

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        # Listing commands in `tanhung --help` needs only their summaries.
        if cmd_name not in COMMANDS:
            return None
        return summary(cmd_name, help_text.summary(cmd_name, COMMANDS[cmd_name][2]))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in COMMANDS:
            return args[0], load_command(args[0]), args[1:]
        return super().resolve_command(ctx, args)

    def main(self, args: Any = None, *pos: Any, **kw: Any) -> Any:
        words = list(args) if args is not None else sys.argv[1:]
        audit.set_context(command=" ".join(["tanhung", *words])[:500])
        i18n.set_lang(requested_lang(words))
        return super().main(args, *pos, **kw)

    def make_context(self, *args: Any, **kw: Any) -> Any:
        try:
            return super().make_context(*args, **kw)
        except ClickException as exc:
            raise localised_error(exc) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            # SIGTERM and Ctrl-C raise `Stopped`: transactions roll back, a large import's
            # workers are terminated and its staging folder removed, temporary files go.
            with stoppable():
                return super().invoke(ctx)
        except ClickException as exc:  # a usage error below the root: in the language
            raise localised_error(exc) from None
        except (TanhungError, sqlite3.Error) as exc:
            say(_report(exc), err=True)
            raise typer.Exit(1) from None
        except Stopped as exc:  # SIGTERM or Ctrl-C in a long command, cleaned up
            typer.echo(t("bounds.stopped", signal=signal.Signals(exc.signum).name), err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader (head, less) has gone: stop quietly, as other commands do.
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(0) from None
        except OSError as exc:
            say(t("error.os", path=exc.filename or "", reason=exc.strerror), err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=RegistryGroup,
    no_args_is_help=True,
    add_completion=True,  # on the root only: commands never offer it
    help="Membership registry of a commune Party Committee (sổ đảng viên của Đảng bộ xã).",
)


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
    if lang.strip().lower() not in i18n.LANGUAGES:
        raise typer.BadParameter("vi | en", param_hint="--lang")
    i18n.set_lang(lang.strip().lower())
    state(ctx).db_path = db
    audit.set_clerk(clerk)


def main() -> None:
    """Entry point of the `tanhung` console script."""
    app()
