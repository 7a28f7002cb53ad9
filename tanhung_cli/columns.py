"""The columns of member files (import and export), with their two-language headers."""

from __future__ import annotations

from dataclasses import dataclass

from tanhung_cli import member_schema


@dataclass(frozen=True)
class Column:
    name: str  # English header, also the JSON key and the field name
    vi: str  # Vietnamese header
    required: bool = False
    kind: str = "text"  # text | date | vocab:<name> | branch | digits
    also: tuple[str, ...] = ()  # further headers accepted on import


# The member file's columns, as `member_schema` declares them.
MEMBER_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        f.name,
        f.vi,
        f.required,
        f"vocab:{f.vocab}" if f.kind == "vocab" else "date" if f.kind == "plan" else f.kind,
        f.also,
    )
    for f in member_schema.FIELDS
)
MEMBER_FIELDS = tuple(c.name for c in MEMBER_COLUMNS if c.name != "id")
COLUMN_BY_NAME = {c.name: c for c in MEMBER_COLUMNS}
MEMBER_DATES = frozenset(c.name for c in MEMBER_COLUMNS if c.kind == "date")


def header(column: Column, headers: str) -> str:
    """The header of ``column`` in the ``en`` or ``vi`` set."""
    return column.vi if headers == "vi" else column.name


class ColumnName(str):
    """A column named in a message, shown as its header in the message's language:
    `card_no` reads "Số thẻ đảng viên" in Vietnamese (`i18n.t` asks ``in_lang``)."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        column = COLUMN_BY_NAME.get(str(self))
        return header(column, lang) if column else str(self)
