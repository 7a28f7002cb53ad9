"""The one list of output formats, and the few each kind of command accepts.

A command's ``--format`` option names one of the subsets below; Typer offers and
checks its values, and hands the command a member of ``Format``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"
    text = "text"


# What lists print on stdout.
Listing = Literal[Format.table, Format.json, Format.csv]
# What reports print on stdout (their --output file may also be .html or .pdf).
Report = Literal[Format.table, Format.json, Format.csv, Format.markdown]
# What a member file may be (export members).
MemberFile = Literal[Format.csv, Format.xlsx, Format.json]
# How `check` and `import` give their problems: lines for the clerk, or JSON.
Problems = Literal[Format.text, Format.json]
