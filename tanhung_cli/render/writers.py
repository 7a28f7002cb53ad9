"""Records as a JSON document or as CSV, on stdout or into an open file."""

from __future__ import annotations

import io
import itertools
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any


def to_json(data: Any, out: IO[str] | None = None) -> None:
    """One JSON document: dates ISO, text as it is (NFC)."""
    from tanhung_cli.render import json_text  # json: not for a list on the screen

    out = out or sys.stdout
    # As json.dump(data, out, ensure_ascii=False, indent=2, default=str) writes it, which
    # wrote millions of pieces one by one for a national list: joined in blocks.
    pieces = json_text.pieces(data)
    while block := "".join(itertools.islice(pieces, 4096)):
        out.write(block)
    out.write("\n")


def to_csv(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], out: IO[str] | None = None
) -> None:
    """Records as CSV on stdout, through the one writer that neutralises formulas."""
    from tanhung_cli.csvout import write_csv

    records = ([row.get(c) for c in columns] for row in rows)
    write_csv(out or sys.stdout, columns, records, lineterminator="\n")


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    to_csv(rows, columns, buf)
    return buf.getvalue()
