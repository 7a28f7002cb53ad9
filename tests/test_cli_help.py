"""Every command explains itself, and `tanhung --help` lists each with its own summary."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from tanhung_cli.cli import COMMANDS, app, load_command
from tanhung_cli.cli.help_text import frame


def _commands() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [()]
    for name in COMMANDS:
        command: Any = load_command(name)
        found.append((name,))
        if hasattr(command, "list_commands"):
            found += [(name, sub) for sub in command.list_commands(None)]
    return found


ALL = _commands()


def test_there_are_commands() -> None:
    for path in [("member", "add"), ("member", "confirm"), ("branch", "list"), ("demo",),
                 ("import", "members"), ("report", "summary"), ("check",)]:  # fmt: skip
        assert path in ALL


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_summary_is_the_commands_own(name: str) -> None:
    help_text = load_command(name).help or ""
    assert COMMANDS[name][2] == help_text.strip().splitlines()[0]


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "tanhung")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first = result.stdout.strip().splitlines()[0]
    assert first.startswith(frame("usage", "vi")) and (" ".join(path) in first)
    if path:
        command: Any = load_command(path[0])
        if len(path) > 1:
            command = command.get_command(None, path[1])
        assert command.help and command.help.strip()[0].isupper(), path


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    for name in COMMANDS:
        assert f" {name} " in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("tanhung ")


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert "frobnicate" in result.stderr
