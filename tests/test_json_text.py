"""JSON documents (`render.to_json`) are exactly what the standard encoder writes with the
house's options, however they nest: the fast path for flat records changes nothing."""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
from collections import OrderedDict
from typing import Any

import pytest

from tanhung_cli.render import to_json


class Kind(enum.StrEnum):
    OFFICIAL = "official"


class Level(enum.IntEnum):
    THIRTY = 30


CASES: list[Any] = [
    {},
    [],
    "Nguyễn Thị Kiều Diễm",
    3,
    None,
    {"a": 1},
    [{"id": 1, "full_name": "Lê Văn A", "ok": True, "v": None, "x": 1.5, "q": 'say "hi"\n'}],
    {"as_of": "2026-12-03", "probation": [{"id": 1, "n": 2}, {"id": 2, "n": 3}], "badges": []},
    {
        "nested": {"deeper": {"k": [1, [2, [3, {}]], {"z": []}]}},
        "t": (1, 2),
        "d": dt.date(2020, 1, 2),
    },
    {"keys": {1: "int", 2.5: "float", False: "bool", None: "none"}},
    {"enum": Kind.OFFICIAL, "level": Level.THIRTY, "od": OrderedDict(a=1)},
    {"nan": float("nan"), "inf": float("inf"), "big": 10**30, "neg": -0.0, "e": 1e-7},
    [[{"a": {"b": 1}}, {"c": [1]}], [{}], [[]]],
    {"tab\t": "\u0000\u001f\u2028", "": ""},
]


@pytest.mark.parametrize("data", CASES)
def test_to_json_writes_what_json_dump_writes(data: Any) -> None:
    out = io.StringIO()
    to_json(data, out)
    assert out.getvalue() == json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
