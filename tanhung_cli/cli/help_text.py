"""Help pages and usage errors in the clerk's language.

The English help is the code's own text (``help=`` and docstrings); the Vietnamese is in
the help catalogue, ``tanhung_cli/i18n/help/``, read only when a help page or a usage
error is shown, never by an ordinary command:

- ``<group>.toml``: one table per command path (``["member add"]``) with the command's
  ``help`` and its options by name (``"--born" = "…"``) and arguments by name; a value is
  the help text, or a table ``{ help = "…", metavar = "…" }``;
- ``_shared.toml``: ``[text]``, help used by many commands, keyed by its English text
  (an option's own entry wins); ``[arguments]``, the arguments' names;
- ``_frames.toml``: Typer's words (Usage, Options, [required]…), metavars and usage errors.

Applied in one place, `cli/lazy.py`, when click formats help or reports a usage error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from tanhung_cli import i18n, toml_cache

ROOT = "tanhung"  # the catalogue's key of the root command
FOLDER = "tanhung_cli/i18n/help"  # where a missing translation goes, for messages


@cache
def _file(name: str) -> dict[str, Any]:
    path = resources.files("tanhung_cli.i18n").joinpath("help", f"{name}.toml")
    if not path.is_file():
        return {}
    return toml_cache.load(path)


def file_of(path: str) -> str:
    """The catalogue file (without ``.toml``) holding a command path's help."""
    return path.split(" ")[0] if path and path != ROOT else ROOT


def frame(key: str, lang: str | None = None, **params: Any) -> str:
    """One of Typer's own words or a usage error, in ``lang`` (default: the current)."""
    entry: Any = _file("_frames")
    for part in key.split("."):
        entry = entry[part]
    text: str = entry[lang or i18n.get_lang()]
    return text.format(**params) if params else text


def entry(path: str) -> dict[str, Any]:
    """The Vietnamese catalogue table of a command path (empty when there is none)."""
    table: dict[str, Any] = _file(file_of(path)).get(path) or _file(ROOT).get(path, {})
    return table


def vietnamese(path: str, name: str | None, english: str | None) -> str | None:
    """The Vietnamese help of a command (``name`` None) or of its parameter ``name``."""
    value = entry(path).get(name or "help")
    if isinstance(value, dict):
        value = value.get("help")
    if value is None and english:
        value = _file("_shared").get("text", {}).get(english.strip())
    return value if isinstance(value, str) else None


_OWN_LINE = re.compile(r"^(Ví dụ|Example|tanhung )")


def flow(text: str) -> str:
    """A help text whose paragraphs the terminal wraps: the catalogue's and the code's
    line breaks inside a paragraph (written for an 88-column editor, not an 80-column
    terminal) become spaces, except before an example."""
    paragraphs = []
    for paragraph in text.strip().split("\n\n"):
        lines = [line.strip() for line in paragraph.strip().splitlines()]
        joined = lines[0] if lines else ""
        for line in lines[1:]:
            joined += ("\n" if _OWN_LINE.match(line) else " ") + line
        paragraphs.append(re.sub(r"(?<=[.;)]) (?=(Ví dụ|Example)\b)", "\n", joined))
    return "\n\n".join(paragraphs)


def summary(name: str, english: str) -> str:
    """A group's one-line summary for the list in ``tanhung --help``."""
    if i18n.get_lang() != "vi":
        return english
    text = _file(ROOT).get("summary", {}).get(name)
    return text if isinstance(text, str) else english


def argument_name(name: str) -> str:
    """An argument's shown name in Vietnamese (``member`` → ``đảng viên``)."""
    value = _file("_shared").get("arguments", {}).get(name)
    return value if isinstance(value, str) else name


_DATE = re.compile(r"\bdates?\b|dd/mm|yyyy|\bday\b", re.IGNORECASE)


def metavar(path: str, name: str, shown: str, english: str | None) -> str | None:
    """What a value is (NGÀY/DATE, SỐ/NUMBER …) instead of Typer's ``<str>``: the
    catalogue's ``metavar`` for the option, else guessed from its type and help. ``None``
    keeps Typer's display (a choice of codes such as ``<csv|xlsx|json>``)."""
    lang = i18n.get_lang()
    own = entry(path).get(name) if lang == "vi" else None
    if isinstance(own, dict) and "metavar" in own:
        return str(own["metavar"])
    if shown == "<bool>":
        return ""
    if "|" in shown:
        return None
    kind = _file("_frames")["kinds"].get(name) or _guess(name, shown, english or "")
    more = "..." if shown.startswith("<list") else ""
    return frame(f"metavar.{kind}", lang) + more


def _guess(name: str, shown: str, text: str) -> str:
    if shown.startswith(("<int", "<float")):
        return "year" if re.search(r"\byear\b", f"{name} {text}", re.IGNORECASE) else "number"
    if shown == "<path>":
        return "folder" if re.search(r"\b(folder|directory)\b", text) else "file"
    if re.search(r"\bamount\b", text, re.IGNORECASE):
        return "money"
    return "date" if _DATE.search(text) else "text"


# Typer's English reasons for a bad value (click's own and pydantic's), as frames.
_REASONS = [
    (re.compile(r"^Value error, (?P<rest>.*)$", re.DOTALL), None),
    (re.compile(r"^Input should be a valid integer"), "error.not_integer"),
    (re.compile(r"^Input should be a valid number"), "error.not_number"),
    (re.compile(r"^Input should be greater than or equal to (?P<bound>\S+)"), "error.at_least"),
    (re.compile(r"^Input should be less than or equal to (?P<bound>\S+)"), "error.at_most"),
    (re.compile(r"^Input should be greater than (?P<bound>\S+)"), "error.above"),
    (re.compile(r"^Input should be less than (?P<bound>\S+)"), "error.below"),
    (re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$"), "error.not_one_of"),
    (re.compile(r"^File '(?P<path>.*)' does not exist\.$"), "error.no_file"),
    (re.compile(r"^Path '(?P<path>.*)' does not exist\.$"), "error.no_path"),
    (re.compile(r"^File '(?P<path>.*)' is a directory\.$"), "error.is_folder"),
    (re.compile(r"^No such command '(?P<name>.*)'\.$"), "error.no_such_command"),
    (re.compile(r"^Missing command\.$"), "error.missing_command"),
    (
        re.compile(r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$"),
        "error.extra_arguments",
    ),
    (re.compile(r"^Option '(?P<name>.*)' requires an argument\.$"), "error.needs_value"),
    (re.compile(r"^Option '(?P<name>.*)' requires \d+ arguments\.$"), "error.needs_value"),
    (re.compile(r"^Option '(?P<name>.*)' does not take a value\.$"), "error.takes_no_value"),
]


def reason(text: str) -> str:
    """Typer's English wording of a usage problem in the current language; text that is
    already the registry's own (a `t(...)` message) is returned as it is."""
    if i18n.get_lang() != "vi":
        return text
    for pattern, key in _REASONS:
        found = pattern.match(text.strip())
        if found and key is None:
            return reason(found["rest"])
        if found and key:
            return frame(key, **found.groupdict())
    return text


def missing(hints: list[str], kind: str) -> str:
    """One message naming every missing required option (or the one argument)."""
    names = ", ".join(hints)
    if len(hints) > 1:
        return frame("error.missing_many", count=len(hints), names=names)
    return frame(f"error.missing_{kind}", names=names)


def no_such_option(name: str, possibilities: list[str]) -> str:
    text = frame("error.no_such_option", name=name)
    if possibilities:
        text += " " + frame("error.possible_options", names=", ".join(sorted(possibilities)))
    return text


def invalid(hint: str | None, why: str) -> str:
    if hint:
        return frame("error.invalid_value", name=hint, reason=reason(why))
    return frame("error.invalid", reason=reason(why))


def paths_in(group: Any, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Every command path below a group, the group first (for the catalogue's tests)."""
    yield prefix
    for name in getattr(group, "list_commands", lambda ctx: [])(None):
        yield from paths_in(group.get_command(None, name), (*prefix, name))
