"""Reading a JSON list of records (what `export members --format json` writes) as a table.

Each object is a row, its keys the headers (every key any record gives, in the order
they first appear), and its line the line of the file where the object opens, so that
problems read ``danh-sach.json:17: birth_date: …`` as they do for CSV.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tanhung_cli.errors import FileProblem
from tanhung_cli.table import Row, Table

_SPACE = " \t\r\n"


def looks_like_json(path: Path, sample: bytes) -> bool:
    """A .json file, or a text whose first character opens a JSON list."""
    return path.suffix.lower() == ".json" or sample.lstrip(b"\xef\xbb\xbf" + b" \t\r\n")[:1] == b"["


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _records(text: str, name: str) -> list[tuple[int, Any]]:
    """Each value of the top-level list, with the line it starts on."""
    pos = _skip(text, 0)
    if text[pos : pos + 1] != "[":
        raise FileProblem("schema.json_not_list", file=name)
    decoder = json.JSONDecoder()
    records: list[tuple[int, Any]] = []
    line, counted = 1, 0
    pos = _skip(text, pos + 1)
    closed = text[pos : pos + 1] == "]"
    while not closed:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FileProblem(
                "schema.bad_json", file=name, line=exc.lineno, reason=exc.msg
            ) from None
        records.append((line, value))
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos : pos + 1] == "]":
            closed = True
        else:
            where = text.count("\n", 0, pos) + 1
            raise FileProblem("schema.bad_json", file=name, line=where, reason="',' or ']'")
    rest = _skip(text, pos + 1)
    if rest < len(text):
        where = text.count("\n", 0, rest) + 1
        raise FileProblem("schema.bad_json", file=name, line=where, reason="extra data")
    return records


def _row(line: int, value: Any, headers: list[str]) -> Row:
    if not isinstance(value, dict):
        return Row(line, [], "schema.json_not_record")
    cells = [value.get(h) for h in headers]
    if any(isinstance(c, dict | list) for c in cells):
        return Row(line, [], "schema.json_nested")
    return Row(line, cells)


def open_json(path: Path, size: int) -> Table:
    """The records of a JSON file (UTF-8) as a table of rows."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileProblem("schema.bad_json", file=path.name, line=line, reason="UTF-8") from None
    records = _records(text, path.name)
    if not records:
        raise FileProblem("import.empty_file", file=path.name)
    keys: dict[str, None] = {}
    for _, value in records:
        if isinstance(value, dict):
            keys.update(dict.fromkeys(str(k) for k in value))
    headers = list(keys)

    def rows() -> Iterator[Row]:
        for line, value in records:
            yield _row(line, value, headers)

    return Table(path, "utf-8", None, headers, rows(), size, lambda: size)
