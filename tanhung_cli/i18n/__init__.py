"""One catalogue of user-facing labels and messages, in Vietnamese and English.

Messages live in the ``*.toml`` files beside this module, one file per area of
the program, as tables of the form::

    [member.not_found]
    vi = "Không tìm thấy đảng viên {ref}."
    en = "No member {ref}."

``t("member.not_found", ref=5)`` renders a message in the current language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("vi", "en")
_current = "vi"


def set_lang(lang: str) -> None:
    """Choose the language of every later message."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _current = lang


def get_lang() -> str:
    return _current


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, dict[str, str]]) -> None:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "vi" in value and isinstance(value["vi"], str):
            out[name] = value
        elif isinstance(value, dict):
            _flatten(value, name + ".", out)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every message of every area, by dotted key."""
    out: dict[str, dict[str, str]] = {}
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".toml"):
            _flatten(tomllib.loads(entry.read_text(encoding="utf-8")), "", out)
    return out


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the current language)."""
    entry = catalogue().get(key)
    if entry is None:
        # A missing message is a developer's slip; show the key rather than crash.
        return key + (" " + repr(params) if params else "")
    text = entry.get(lang or _current) or entry["vi"]
    return text.format(**params) if params else text
