"""The only module that reaches into Typer's internals: groups whose commands are built
one at a time, when they are run or shown; and the classes of every command and group,
which show help pages and usage errors in the clerk's language (`cli/help_text.py`,
`cli/help_pages.py`) and name every missing required option at once.

Typer builds every command of an app (its options, from the function's signature) when
the app is turned into a click group; `member` has 15 commands, and `member list` need
not pay for the other 14 (bench/startup_bench.py). Typer has no public way to build one
command of an app, so this module uses the functions Typer itself builds them with. They
are not promised to stay: ``pyproject.toml`` pins Typer below its next minor release, and
tests/test_cli_lazy.py fails with a clear message on a Typer outside ``KNOWN_TYPER``.

Typer (0.29) also builds a pydantic TypeAdapter for every option of the command run, to
coerce its value, even for an option not given (its value None, which no adapter changes):
about 1.5 ms each, 25 ms for `member list`'s filters. `DeferredCoercion` builds it only
for a value there is.
"""

from __future__ import annotations

import copy
import importlib
from typing import Any

import typer
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperCommand, TyperGroup, _TyperParameter
from typer.main import get_command_from_info, get_command_name, solve_typer_info_defaults
from typer.models import CommandInfo, TyperInfo

from tanhung_cli import i18n
from tanhung_cli.cli import help_text
from tanhung_cli.cli.help_pages import localise

# The Typer minor releases whose internals this module was checked against (first, last).
# Widen it, and the pin in pyproject.toml, only after tests/test_cli_lazy.py passes.
KNOWN_TYPER = ((0, 26), (0, 29))

__all__ = [
    "KNOWN_TYPER",
    "ClickException",
    "LazyGroup",
    "LocalGroup",
    "localised_error",
    "single",
    "summary",
    "typer_release",
]


def typer_release() -> tuple[int, int]:
    """The installed Typer's (major, minor)."""
    major, minor, *_ = typer.__version__.split(".")
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


# typer.rich_utils' module constants: the frame of every help page and error panel.
_FRAMES = {
    "ARGUMENTS_PANEL_TITLE": "arguments_panel",
    "OPTIONS_PANEL_TITLE": "options_panel",
    "COMMANDS_PANEL_TITLE": "commands_panel",
    "ERRORS_PANEL_TITLE": "error_panel",
    "ABORTED_TEXT": "aborted",
    "RICH_HELP": "try_help",
    "DEFAULT_STRING": "default",
    "ENVVAR_STRING": "envvar",
    "REQUIRED_LONG_STRING": "required",
    "DEPRECATED_STRING": "deprecated",
}


def _use_frames() -> None:
    from typer import rich_utils

    for constant, key in _FRAMES.items():
        setattr(rich_utils, constant, help_text.frame(key))


def _every_missing(command: Any, ctx: Any, given: list[str], exc: MissingParameter) -> Any:
    """One usage error naming every required option missing from ``given``, when more
    than one is (click stops at the first)."""
    try:
        opts, _, _ = command.make_parser(ctx).parse_args(args=list(given))
    except UsageError:
        return exc
    hints = [
        f"'{param.opts[0]}'"
        for param in command.get_params(ctx)
        if param.required
        and param.param_type_name == "option"
        and opts.get(param.name) is None
        and param.resolve_envvar_value(ctx) is None
    ]
    if len(hints) < 2:
        return exc
    return UsageError(help_text.missing(hints, "option"), ctx)


def localised_error(exc: ClickException) -> ClickException:
    """A usage error of click's in the current language (exit code kept)."""
    _use_frames()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and isinstance(ctx.command, Localised):
        localise(ctx.command, ctx)
    if isinstance(exc, NoArgsIsHelpError) or i18n.get_lang() != "vi":
        return exc
    if isinstance(exc, MissingParameter) and not exc.message:
        argument = exc.param is not None and exc.param.param_type_name == "argument"
        hint = exc.param.get_error_hint() if exc.param is not None else str(exc.param_hint)
        text = help_text.missing([hint], "argument" if argument else "option")
    elif isinstance(exc, NoSuchOption):
        text = help_text.no_such_option(exc.option_name, list(exc.possibilities or ()))
    elif isinstance(exc, BadParameter):
        shown = exc.param_hint if isinstance(exc.param_hint, str) else None
        shown = shown or (exc.param.get_error_hint() if exc.param is not None else None)
        text = help_text.invalid(shown, exc.message)
    elif isinstance(exc, UsageError):
        text = help_text.reason(exc.message)
    else:
        return exc
    translated = UsageError(text, ctx)
    translated.exit_code = exc.exit_code
    return translated


class DeferredCoercion(RuntimeParam):
    """A parameter's coercion, built by Typer only when there is a value to coerce.

    (Typer's RuntimeParam is a frozen dataclass; this adds no field, so no decorator: a
    dataclass costs more to create than this saves for one option.)"""

    @classmethod
    def install(cls, params: list[Any]) -> None:
        for param in params:
            if isinstance(param, _TyperParameter) and param._runtime_param is None:
                descriptor = param.type_descriptor
                param._runtime_param = cls(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
                )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:  # () or None, by Typer's own rule, whatever the type
            return super().coerce(value, param, ctx)
        param._runtime_param = build_runtime_param(param.type_descriptor)
        return param._runtime_param.coerce(value, param=param, ctx=ctx)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        raise AssertionError("coerce() hands every value to Typer's own coercion")


class Localised:
    """Help pages, usage lines and missing options in the clerk's language
    (`cli/help_text.py`); mixed into every command and group of `tanhung`."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        DeferredCoercion.install(params)  # its own, --help and the completion options
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _use_frames()
        localise(self, ctx)
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _use_frames()
        localise(self, ctx)
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        prefix = help_text.frame("usage")
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=prefix)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except MissingParameter as exc:
            raise _every_missing(self, ctx, given, exc) from None
        except UsageError as exc:
            exc.ctx = exc.ctx or ctx  # the parser's own errors lack it: no usage line
            raise


class LocalCommand(Localised, TyperCommand):
    """A command of `tanhung`, with its help in the clerk's language."""


class LocalGroup(Localised, TyperGroup):
    """A group of `tanhung`, with its help in the clerk's language."""

    lists_own_commands = True


class LazyGroup(LocalGroup):
    """A command group that builds a command's options only when it is run or shown, and
    imports the modules joined to it (`cli.COMMANDS`) only when a command is not its own
    or the group's commands are listed: `member list` imports no module of `member show`.

    A group is a group even with one command so far (`export members`).
    """

    def __init__(
        self, infos: dict[str, CommandInfo], target: typer.Typer, joined: tuple[str, ...], **kw: Any
    ) -> None:
        super().__init__(commands={}, **kw)
        self.infos = infos
        self.target = target
        self.joined = joined  # modules whose ``app`` joins the group, not yet imported

    @classmethod
    def of(cls, target: typer.Typer, *joined: str) -> LazyGroup:
        """The group of ``target`` (its name and help) with the commands of ``target`` and of
        the ``app`` of every module named in ``joined``, in that order."""
        info = solve_typer_info_defaults(TyperInfo(target))
        group = cls(
            {},
            target,
            joined,
            name=info.name or "",
            help=info.help,
            no_args_is_help=bool(info.no_args_is_help),
            rich_markup_mode=target.rich_markup_mode,
        )
        group._add(target)
        return group

    def _add(self, app: typer.Typer) -> None:
        for command in app.registered_commands:
            name = command.name or get_command_name(command.callback.__name__)  # type: ignore[union-attr]
            if name in self.infos:
                raise ValueError(f"two commands named {name!r} in group {self.name!r}")
            self.infos[name] = command

    def _join(self) -> None:
        joined, self.joined = self.joined, ()
        for module in joined:
            self._add(importlib.import_module(module).app)

    def list_commands(self, ctx: Any) -> list[str]:
        self._join()
        return list(self.infos)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.infos:
            self._join()
        if cmd_name not in self.commands and cmd_name in self.infos:
            info = self.infos[cmd_name]
            if info.cls in (None, TyperCommand):
                info = copy.copy(info)
                info.cls = LocalCommand
            self.commands[cmd_name] = get_command_from_info(
                info,
                pretty_exceptions_short=self.target.pretty_exceptions_short,
                rich_markup_mode=self.target.rich_markup_mode,
            )
        return self.commands.get(cmd_name)


def single(name: str, function: Any) -> Any:
    """The click command of one function, named ``name``."""
    # No --install-completion on a single command: it writes into the clerk's ~/.bashrc.
    app = typer.Typer(add_completion=False)
    app.command(name, cls=LocalCommand)(function)
    return typer.main.get_command(app)


def summary(name: str, text: str) -> Any:
    """A stand-in command that only carries its summary, for the list in ``--help``."""
    return TyperCommand(name=name, help=text)
