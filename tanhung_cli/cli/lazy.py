"""The only module that reaches into Typer's internals: groups whose commands are built
one at a time, when they are run or shown.

Typer builds every command of an app (its options, from the function's signature) when
the app is turned into a click group; `member` has 15 commands, and `member list` need
not pay for the other 14 (bench/startup_bench.py). Typer has no public way to build one
command of an app, so this module uses the functions Typer itself builds them with. They
are not promised to stay: ``pyproject.toml`` pins Typer below its next minor release, and
tests/test_cli_lazy.py fails with a clear message on a Typer outside ``KNOWN_TYPER``.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_command_name, solve_typer_info_defaults
from typer.models import CommandInfo, TyperInfo

# The Typer minor releases whose internals this module was checked against (first, last).
# Widen it, and the pin in pyproject.toml, only after tests/test_cli_lazy.py passes.
KNOWN_TYPER = ((0, 26), (0, 29))

__all__ = ["KNOWN_TYPER", "LazyGroup", "TyperGroup", "single", "summary", "typer_release"]


def typer_release() -> tuple[int, int]:
    """The installed Typer's (major, minor)."""
    major, minor, *_ = typer.__version__.split(".")
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


class LazyGroup(TyperGroup):
    """A command group that builds a command's options only when it is run or shown.

    A group is a group even with one command so far (`export members`).
    """

    def __init__(self, infos: dict[str, CommandInfo], target: typer.Typer, **kw: Any) -> None:
        super().__init__(commands={}, **kw)
        self.infos = infos
        self.target = target

    @classmethod
    def of(cls, target: typer.Typer, *joined: typer.Typer) -> LazyGroup:
        """The group of ``target`` (its name and help) with the commands of ``target`` and of
        every app in ``joined``, in that order."""
        info = solve_typer_info_defaults(TyperInfo(target))
        infos: dict[str, CommandInfo] = {}
        for app in (target, *joined):
            for command in app.registered_commands:
                name = command.name or get_command_name(command.callback.__name__)  # type: ignore[union-attr]
                if name in infos:
                    raise ValueError(f"two commands named {name!r} in group {info.name!r}")
                infos[name] = command
        return cls(
            infos,
            target,
            name=info.name or "",
            help=info.help,
            no_args_is_help=bool(info.no_args_is_help),
            rich_markup_mode=target.rich_markup_mode,
        )

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.infos)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.infos:
            self.commands[cmd_name] = get_command_from_info(
                self.infos[cmd_name],
                pretty_exceptions_short=self.target.pretty_exceptions_short,
                rich_markup_mode=self.target.rich_markup_mode,
            )
        return self.commands.get(cmd_name)


def single(name: str, function: Any) -> Any:
    """The click command of one function, named ``name``."""
    # No --install-completion on a single command: it writes into the clerk's ~/.bashrc.
    app = typer.Typer(add_completion=False)
    app.command(name)(function)
    return typer.main.get_command(app)


def summary(name: str, text: str) -> Any:
    """A stand-in command that only carries its summary, for the list in ``--help``."""
    return TyperCommand(name=name, help=text)
