"""Set a command's help page in the current language, just before click shows it: its
help, its parameters' help and metavars, the help of the commands a group lists. Works on
the objects Typer built (duck-typed); `cli/lazy.py` calls it and sets Typer's frame."""

from __future__ import annotations

from typing import Any

from tanhung_cli import i18n
from tanhung_cli.cli import help_text


def path_of(ctx: Any) -> str:
    """The catalogue key of the command a context runs: "member add", "tanhung"."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(names)) or help_text.ROOT


def _english(thing: Any, *values: Any) -> Any:
    """The code's own (English) texts of a command or parameter, kept on first use so that
    the object can be shown again in the other language."""
    return thing.__dict__.setdefault("_tanhung_english", values)


def _localise_param(param: Any, path: str, ctx: Any, in_vi: bool) -> None:
    english, shown_as = _english(param, param.help, param.metavar)
    argument = param.param_type_name == "argument"
    name = param.name if argument else next((o for o in param.opts if o[:2] == "--"), param.opts[0])
    if "--help" in param.opts:
        param.help = help_text.frame("help_option")
    else:
        param.help = (in_vi and help_text.vietnamese(path, name, english)) or english
    kind = help_text.metavar(path, name, param.display_type(ctx), english)
    if argument:
        param.metavar = help_text.argument_name(param.name) if in_vi else shown_as
        if param.metavar and param.nargs != 1:
            param.metavar += "..."
        if kind is not None:  # the type column; an argument's metavar is its name
            param.display_type_rich = lambda ctx: kind
    elif shown_as is None and kind is not None:
        param.metavar = kind


def localise(command: Any, ctx: Any) -> None:
    """Set a command's help, its parameters' help and metavars in the current language,
    just before click shows its help page or usage line."""
    in_vi = i18n.get_lang() == "vi"
    path = path_of(ctx)
    (english,) = _english(command, command.help)
    text = (in_vi and help_text.vietnamese(path, None, english)) or english
    command.help = help_text.flow(text) if text else text
    if command.options_metavar:
        command.options_metavar = help_text.frame("options_metavar")
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = help_text.frame("subcommand_metavar")
    for param in command.get_params(ctx):
        _localise_param(param, path, ctx, in_vi)
    if getattr(command, "lists_own_commands", False):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            (sub_english,) = _english(sub, sub.help)
            text = in_vi and help_text.vietnamese(f"{path} {name}", None, sub_english)
            sub.help = text or sub_english
