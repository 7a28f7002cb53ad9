"""The lazy loader (`cli/lazy.py`) and how the command groups are joined (`cli/__init__`)."""

from __future__ import annotations

import ast
import importlib
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer

from tanhung_cli.cli import COMMANDS, load_command
from tanhung_cli.cli.lazy import KNOWN_TYPER, typer_release

PACKAGE = Path(__file__).resolve().parent.parent / "tanhung_cli"
PYPROJECT = PACKAGE.parent / "pyproject.toml"
GROUPS = [
    name
    for name, (module, attribute, *_) in COMMANDS.items()
    if isinstance(getattr(importlib.import_module(module), attribute), typer.Typer)
]


def test_the_installed_typer_is_one_the_lazy_loader_knows() -> None:
    first, last = KNOWN_TYPER
    assert first <= typer_release() <= last, (
        f"Typer {typer.__version__} is installed, but tanhung_cli/cli/lazy.py was checked "
        f"only against Typer {first[0]}.{first[1]} to {last[0]}.{last[1]}: it builds commands "
        "with Typer's internal functions (get_command_from_info, solve_typer_info_defaults, "
        "get_command_name, TyperInfo, CommandInfo). Check them against this release, run "
        "tests/test_cli_lazy.py and tests/test_cli_help.py, then widen KNOWN_TYPER and the pin "
        "in pyproject.toml."
    )


def test_pyproject_pins_typer_below_the_next_minor_release() -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    typer_pin = next(d for d in dependencies if re.match(r"typer\b", d))
    major, minor = KNOWN_TYPER[1]
    assert f"<{major}.{minor + 1}" in typer_pin, (
        f"pyproject.toml says {typer_pin!r}; the lazy loader knows Typer up to "
        f"{major}.{minor}: pin it below {major}.{minor + 1}"
    )


def _typer_internals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("typer."):
            found.append(f"{path.name}:{node.lineno}: from {node.module} import ...")
        named = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if named and node.value.id == "typer" and node.attr in {"core", "models"}:  # type: ignore[attr-defined]
            found.append(f"{path.name}:{node.lineno}: typer.{node.attr}")
    return found


def test_only_the_lazy_module_reaches_into_typer() -> None:
    lazy = PACKAGE / "cli" / "lazy.py"
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != lazy
        for hit in _typer_internals(path)
    ]
    assert found == []


@pytest.mark.parametrize("name", GROUPS)
def test_a_lazy_group_builds_what_typer_builds(name: str) -> None:
    """Each command of a group, built one at a time, is the command Typer builds eagerly."""
    module, attribute, _, joined = COMMANDS[name]
    apps = [getattr(importlib.import_module(module), attribute)]
    apps += [importlib.import_module(extra).app for extra in joined]
    eager: dict[str, Any] = {}
    for app in apps:
        built = typer.main.get_command(app)
        commands = getattr(built, "commands", None) or {built.name: built}
        eager |= commands
    group = load_command(name)
    assert group.list_commands(None) == list(eager)
    for command_name, expected in eager.items():
        command = group.get_command(None, command_name)
        assert command.help == expected.help
        assert _options(command) == _options(expected)
        assert _source(command) == _source(expected)


def _options(command: Any) -> list[list[str]]:
    # Typer adds these to an app of one command; the lazy groups never offer them.
    completion = {"--install-completion", "--show-completion"}
    return [p.opts for p in command.params if not completion & set(p.opts)]


def _source(command: Any) -> str:
    return f"{command.callback.__module__}.{command.callback.__qualname__}"


def test_the_member_group_is_joined_from_its_modules_without_side_effects() -> None:
    """Importing a module of the group adds nothing to another module's app: the group is
    joined in one place, `COMMANDS`."""
    module, attribute, _, joined = COMMANDS["member"]
    for extra in joined:
        importlib.import_module(extra)
    own = importlib.import_module(module)
    defined_in = {c.callback.__module__ for c in getattr(own, attribute).registered_commands}  # type: ignore[union-attr]
    assert defined_in == {module}
    for extra in joined:
        app = importlib.import_module(extra).app
        assert {c.callback.__module__ for c in app.registered_commands} == {extra}  # type: ignore[union-attr]
    names = load_command("member").list_commands(None)
    assert len(names) == len(set(names)) and {"add", "show", "confirm", "standing"} <= set(names)


def test_options_not_given_are_coerced_only_when_given(run: Any, branches: None) -> None:
    """Typer's coercion of an option is built only for a value (`DeferredCoercion`): an
    option not given is None, a list not given is empty, a given value is still coerced and
    a wrong one still refused, as Typer does."""
    from typer.core import TyperOption

    from tanhung_cli.cli.lazy import DeferredCoercion

    command = load_command("report").get_command(None, "summary")
    ctx = command.make_context("summary", [])
    options = [p for p in command.get_params(ctx) if isinstance(p, TyperOption)]
    waiting = {p.name for p in options if isinstance(p._runtime_param, DeferredCoercion)}
    values = {p.name: ctx.params.get(p.name) for p in options}
    assert {name for name, value in values.items() if value in (None, ())} <= waiting
    assert (
        not {n for n, v in values.items() if v not in (None, ()) and not isinstance(v, bool)}
        & waiting
    )
    assert run("member", "list").exit_code == 0
    assert run("report", "summary").exit_code == 0
    shown = run("report", "summary", "--format", "json")
    assert shown.exit_code == 0 and shown.stdout.lstrip().startswith("{")
    wrong = run("report", "summary", "--format", "xml")
    assert wrong.exit_code == 2 and "xml" in wrong.stderr


def test_a_command_of_a_group_imports_no_module_joined_for_other_commands() -> None:
    """`member list` is member.py's own: member_view (`member show`) and the other joined
    modules are imported only for their commands or for the group's list."""
    import subprocess
    import sys

    probe = (
        "import sys; from tanhung_cli.cli import load_command; g = load_command('member'); "
        "g.get_command(None, 'list'); print('tanhung_cli.cli.member_view' in sys.modules); "
        "g.get_command(None, 'show'); print('tanhung_cli.cli.member_view' in sys.modules); "
        "print(len(g.list_commands(None)) == len(set(g.list_commands(None))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]
