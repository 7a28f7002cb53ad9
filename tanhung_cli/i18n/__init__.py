"""One catalogue of user-facing labels and messages, in Vietnamese and English.

Messages live in the ``*.toml`` files beside this module, one file per area of
the program, as tables of the form::

    [member.not_found]
    vi = "Không tìm thấy đảng viên {ref}."
    en = "No member {ref}."

``t("member.not_found", ref=5)`` renders a message in the current language.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from tanhung_cli import toml_cache

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


_loaded: dict[str, dict[str, str]] = {}
_unread: list[Any] = []


@cache
def _areas() -> None:
    """Queue the catalogue files: the core's first, which most commands need alone."""
    from tanhung_cli import member_schema  # the member fields' labels are declared there

    _loaded.update(member_schema.labels())
    files = [e for e in resources.files(__package__).iterdir() if e.name.endswith(".toml")]
    _unread.extend(sorted(files, key=lambda e: (e.name != "core.toml", e.name)))


def _lookup(key: str) -> dict[str, str] | None:
    # Files are parsed only until the key is found: reading all of them costs more
    # than `member list` spends on its query.
    _areas()
    while key not in _loaded and _unread:
        _flatten(toml_cache.load(_unread.pop(0)), "", _loaded)
    return _loaded.get(key)


def catalogue() -> dict[str, dict[str, str]]:
    """Every message of every area, by dotted key."""
    _lookup("")  # an empty key is never found: every file is read
    return _loaded


def t(key: str, /, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the current language)."""
    entry = _lookup(key)
    if entry is None:
        # A missing message is a developer's slip; show the key rather than crash.
        return key + (" " + repr(params) if params else "")
    lang = lang or _current
    text = entry.get(lang) or entry["vi"]
    if not params:
        return text
    # A value that reads differently by language (a column's name) is read in this one.
    shown = {k: v.in_lang(lang) if hasattr(v, "in_lang") else v for k, v in params.items()}
    return text.format(**shown)
