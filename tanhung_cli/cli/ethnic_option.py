"""`--ethnic-codes`: the table a file or a command's bare ethnic numbers are read by."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer

from tanhung_cli import ethnic_codes
from tanhung_cli.i18n import t


class EthnicTable(enum.StrEnum):
    """The tables of ethnic code numbers (`ethnic_codes`)."""

    t2008 = "2008"
    t1979 = "1979"


EthnicCodes = Annotated[
    EthnicTable,
    typer.Option(
        "--ethnic-codes",
        help="Read a bare ethnic code number by the 2008 table (QĐ 1019/QĐ-TCTK:"
        " 04 Mường, 06 Hoa) or the 1979 one (04 Hoa, 06 Mường).",
    ),
]


def typed(fields: dict[str, Any], table: EthnicTable) -> str | None:
    """A bare number typed as --ethnicity, read by ``table`` (in place); then the note
    to give, saying which table read it (None for a name)."""
    value = fields.get("ethnicity")
    if not value:
        return None
    ethnic_codes.forget()
    fields["ethnicity"] = ethnic_codes.read_cell(value, table.value)
    return t(f"ids.ethnic_typed_{table.value}") if ethnic_codes.met_numbers() else None
