"""Every command explains itself."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from tanhung_cli.cli import app


def _commands(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            found += _commands(command, (*path, name))
    return found


ALL = _commands(typer.main.get_command(app))


def test_there_are_commands() -> None:
    assert ("member", "add") in ALL and ("branch", "list") in ALL


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "tanhung")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert command.help and command.help.strip()[0].isupper(), path


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("tanhung ")


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(app, ["frobnicate"]).exit_code == 2
