"""JSON text exactly as ``json.dumps(data, ensure_ascii=False, indent=2, default=str)``
writes it, in pieces, faster for long lists of flat records (a national `due` list: tens
of thousands): a record whose values are all plain scalars goes through the C encoder in
one call, its item separator carrying the indentation of its depth; anything else through
the standard encoder (re-indented at its depth: JSON strings hold no raw newline)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from typing import Any

_INDENT = 2
_SCALARS = frozenset({str, int, float, bool, type(None)})
_STANDARD = json.JSONEncoder(ensure_ascii=False, indent=_INDENT, default=str)
_key = json.encoder.encode_basestring


@cache
def _flat(depth: int) -> Callable[[dict[str, Any]], str]:
    """A record's text with no indent (the C encoder, made once: `JSONEncoder.encode` makes
    one a call), each item on its own line at ``depth``."""
    separator = ",\n" + " " * (_INDENT * depth)
    if c_make_encoder is None:  # a Python without the C accelerator
        return json.JSONEncoder(
            ensure_ascii=False, default=str, separators=(separator, ": ")
        ).encode
    encode = c_make_encoder(None, str, _key, None, ": ", separator, False, False, True)
    return lambda record: "".join(encode(record, 0))


def pieces(data: Any, depth: int = 0) -> Iterator[str]:
    """The text of ``data`` nested ``depth`` levels deep, in pieces."""
    inner, outer = "\n" + " " * (_INDENT * (depth + 1)), "\n" + " " * (_INDENT * depth)
    if type(data) is dict and data and all(type(k) is str for k in data):
        if set(map(type, data.values())) <= _SCALARS:
            text = _flat(depth + 1)(data)  # '{"a": 1,\n    "b": 2}'
            yield "{" + inner + text[1:-1] + outer + "}"
            return
        separator = "{" + inner
        for key, value in data.items():
            yield separator + _key(key) + ": "
            yield from pieces(value, depth + 1)
            separator = "," + inner
        yield outer + "}"
    elif type(data) is list and data:
        separator = "[" + inner
        for value in data:
            yield separator
            yield from pieces(value, depth + 1)
            separator = "," + inner
        yield outer + "]"
    else:
        text = _STANDARD.encode(data)
        yield text.replace("\n", outer) if depth else text
