"""A problem as data, worded once, in the clerk's language, where it is shown.

The validator, `check`, the warnings of life events and imports all find problems; each is
a `Problem`: a message key of the catalogue, its parameters kept as data (dates as
`datetime.date`, numbers as numbers), and where it lies (column, file and line, member).
Nothing below the command line words it: `word` does, in the language asked for, and
`as_json` gives its machine-readable form (`check --format json`, `import --format json`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from tanhung_cli import vietnamese as vn
from tanhung_cli.i18n import get_lang, t

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Problem:
    key: str
    params: Mapping[str, Any] = field(default_factory=lambda: _NO_PARAMS)
    column: str | None = None
    line: int | None = None
    member: int | None = None  # the member's id
    member_name: str | None = None
    file: str | None = None

    def message(self, lang: str | None = None) -> str:
        return word(self, lang)


class Count(int):
    """A number a clerk reads grouped (9.999.999 in Vietnamese), kept a number in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return vn.format_int(self, lang)


class Number(float):
    """A number that may have decimals (a setting's percentage), worded with the
    message's decimal mark: 12,5 (vi) or 12.5 (en), 20 for 20.0; a number in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return vn.format_decimal(self, 0 if self.is_integer() else 1, lang)


class Label(str):
    """A label of the catalogue given as a parameter (``label.kind``), worded in the
    message's language; its key in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return t(self, lang=lang)


class Labels(tuple[str, ...]):
    """Labels of the catalogue listed in a message ("Ngày sinh, Số CCCD"), worded in the
    message's language; the list of their keys in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return ", ".join(t(key, lang=lang) for key in self)


class Partial(str):
    """A date of the old rolls known by year or month alone ('1960', '1960-03'), worded as
    such (1960, 03/1960); its ISO text in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return vn.format_date(str(self), lang)


class Term(tuple[str, str]):
    """A value of a vocabulary, ``(vocabulary, code)``, worded by its label in the
    message's language (Nữ, female); its code in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        from tanhung_cli.vocab import vocabulary

        return vocabulary(self[0]).label(self[1], lang)

    def data(self) -> Any:
        return self[1]


class Candidates(tuple[tuple[int, str], ...]):
    """Members a reference could mean, ``((id, birth date as stored), ...)``, worded
    "12 (01/02/1960), 15 (1960)"; a list of ``{"id", "birth_date"}`` in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return ", ".join(f"{i} ({vn.format_date(born, lang)})" for i, born in self)

    def data(self) -> Any:
        return [{"id": i, "birth_date": born} for i, born in self]


class Matches(tuple[tuple[str, int], ...]):
    """Which column of a row found which member, ``((column, id), ...)``, worded
    "Số thẻ đảng viên → 12, Số CCCD → 15"; a ``{column: id}`` object in JSON."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        return ", ".join(f"{t('column.' + c, lang=lang)} → {i}" for c, i in self)

    def data(self) -> Any:
        return dict(self)


_PARTIAL = re.compile(r"\d{4}(-\d{2})?")


def dated(value: dt.date | str | None) -> dt.date | str | None:
    """A stored ISO date as a date for a message; anything else (a damaged value) as it is."""
    if isinstance(value, str):
        if _PARTIAL.fullmatch(value):
            return Partial(value)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def word(problem: Problem, lang: str | None = None) -> str:
    """The problem's message alone, in ``lang`` (default: the current language)."""
    lang = lang or get_lang()
    params = problem.params
    if not params:
        return t(problem.key, lang=lang)
    for value in params.values():
        if isinstance(value, dt.date):
            params = {
                k: vn.format_date(v, lang) if isinstance(v, dt.date) else v
                for k, v in params.items()
            }
            break
    # `i18n.t` reads a value that has `in_lang` (a column, a Count, a Label) in ``lang``.
    return t(problem.key, lang=lang, **params)


def located(problem: Problem, lang: str | None = None, label: str | None = None) -> str:
    """The problem as the command line prints it, where it lies first.

    ``file:line: column: problem`` for a row of a file (``label``: the column's header as
    the file writes it), ``Member id (name): column: problem`` for a stored member,
    ``column: problem`` for a value typed."""
    text = word(problem, lang)
    if problem.column:
        text = f"{label or t('column.' + problem.column, lang=lang)}: {text}"
    if problem.file is not None and problem.line is not None:
        return f"{problem.file}:{problem.line}: {text}"
    if problem.member is not None:
        name = problem.member_name
        return t("check.member", lang=lang, id=problem.member, name=name, problem=text)
    return text


def located_all(problems: Iterable[Problem], lang: str | None = None) -> Iterator[str]:
    """`located` of each problem, each distinct message about a member worded once: the
    check of a national roll tells the same note of a hundred thousand members."""
    lang = lang or get_lang()
    worded: dict[tuple[Any, ...], str] = {}
    for problem in problems:
        if problem.file is not None or problem.member is None:
            yield located(problem, lang)
            continue
        # By type too: Count(5) and 5 are equal, and worded differently.
        key = (problem.key, problem.column, *((k, type(v), v) for k, v in problem.params.items()))
        try:
            text = worded.get(key)
        except TypeError:  # a value that cannot be a key: worded each time
            yield located(problem, lang)
            continue
        if text is None:
            text = word(problem, lang)
            if problem.column:
                text = f"{t('column.' + problem.column, lang=lang)}: {text}"
            worded[key] = text
        yield t(
            "check.member", lang=lang, id=problem.member, name=problem.member_name, problem=text
        )


def _data(value: Any) -> Any:
    if hasattr(value, "data"):
        return value.data()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)  # a Count too
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_data(each) for each in value]
    return str(value)


def as_json(problem: Problem, lang: str | None = None) -> dict[str, Any]:
    """The problem for a program: its key, its message in ``lang``, its data, where it lies."""
    member = None
    if problem.member is not None:
        member = {"id": problem.member, "name": problem.member_name}
    return {
        "key": problem.key,
        "message": word(problem, lang),
        "params": {k: _data(v) for k, v in problem.params.items()},
        "column": problem.column,
        "member": member,
        "file": problem.file,
        "line": problem.line,
    }


def pack(params: Mapping[str, Any]) -> bytes | None:
    """A problem's parameters as an SQL value, for the problems an import keeps on disk."""
    import pickle  # only imports need it: not on every command's start-up

    return pickle.dumps(dict(params)) if params else None


@functools.lru_cache(maxsize=4096)  # a file repeats its bad values ('X' for a gender)
def unpack(packed: bytes | None) -> Mapping[str, Any]:
    """The parameters `pack` kept (read back from the import's own temporary tables)."""
    import pickle

    return MappingProxyType(pickle.loads(packed)) if packed else _NO_PARAMS
