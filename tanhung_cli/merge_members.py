"""Who is one person across the old files: members matched by CCCD, card and file number.

Records of several old files that share any of the three numbers are one member. A member
who moved between the old communes (transferred out of one, into the other) is one
person with both periods: the current record (the one still on a roll, else the latest)
stays the member's row and each earlier one becomes a period of ``past_spells``
(`roll.PERIODS`). Numbers that join records which disagree on who the person is (name,
birth date, gender, admission), two records of one file, two periods that overlap or two
files that both hold the member on their roll are conflicts, each named with its file
and record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from tanhung_cli.merge_sources import Source
from tanhung_cli.problems import Label, Labels, Problem

NUMBERS = ("national_id", "card_no", "file_no")
IDENTITY = ("name_key", "birth_date", "gender", "admitted_on")
_READ = (
    "id, full_name, name_key, birth_date, gender, admitted_on, national_id, card_no, file_no,"
    " joined_roll_on, left_on, voided_at"
)

Record = tuple[int, int]  # (source number, old member id)


@dataclass
class Plan:
    """New ids: each old id plus its file's offset (the first file keeps its ids), except
    a shared member's records, which all take the first one's (``joined``)."""

    offsets: dict[int, int] = field(default_factory=dict)
    joined: dict[Record, int] = field(default_factory=dict)
    earlier: list[tuple[int, int, int]] = field(default_factory=list)  # (source, old, new)
    shared: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def new_id(self, record: Record) -> int:
        return self.joined.get(record, record[1] + self.offsets[record[0]])


def _find(parent: dict[Record, Record], item: Record) -> Record:
    while parent.setdefault(item, item) != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _pairs(conn: sqlite3.Connection, sources: list[Source]) -> list[tuple[Record, Record]]:
    """Records of two files that share a number, found through each file's unique index."""
    found: list[tuple[Record, Record]] = []
    for first in sources:
        for second in sources[first.number :]:
            for column in NUMBERS:
                rows = conn.execute(
                    f"SELECT a.id, b.id FROM {first.alias}.members a"
                    f" JOIN {second.alias}.members b ON b.{column} = a.{column}"
                    f" WHERE trim(a.{column}) != ''"
                )
                found.extend(((first.number, x), (second.number, y)) for x, y in rows)
    return found


def plan(conn: sqlite3.Connection, sources: list[Source]) -> Plan:
    result = Plan()
    offset = 0
    for source in sources:
        result.offsets[source.number] = offset
        top = conn.execute(f"SELECT max(id) FROM {source.alias}.members").fetchone()[0]
        offset += top or 0
    parent: dict[Record, Record] = {}
    for one, other in _pairs(conn, sources):
        parent[_find(parent, one)] = _find(parent, other)
    groups: dict[Record, list[Record]] = {}
    for record in list(parent):
        groups.setdefault(_find(parent, record), []).append(record)
    for group in groups.values():
        group.sort()
        rows = {r: _read(conn, sources, r) for r in group}
        new = result.new_id(group[0])
        result.joined.update((record, new) for record in group)
        result.shared += 1
        current = _current(group, rows, sources, result.problems)
        result.earlier.extend((s, old, new) for s, old in group if (s, old) != current)
    result.warnings = _alike(conn, sources, result)
    return result


def _alike(conn: sqlite3.Connection, sources: list[Source], plan: Plan) -> list[Problem]:
    """Records of two files with one name and birth date and no number in common: maybe
    one person whose numbers were never written (kept apart; the clerk is told)."""
    found = []
    for first in sources:
        for second in sources[first.number :]:
            rows = conn.execute(
                f"SELECT a.id, b.id FROM {first.alias}.members a"
                f" JOIN {second.alias}.members b"
                " ON b.name_key = a.name_key AND b.birth_date = a.birth_date"
            )
            for x, y in rows:
                one, other = (first.number, x), (second.number, y)
                if plan.joined.get(one, -1) != plan.joined.get(other, -2):
                    pair = [(one, _read(conn, sources, one)), (other, _read(conn, sources, other))]
                    names = "; ".join(_where(r, dict(pair), sources) for r, _ in pair)
                    found.append(Problem("merge.member_alike", {"records": names}))
    return found


def _read(conn: sqlite3.Connection, sources: list[Source], record: Record) -> sqlite3.Row:
    alias = sources[record[0] - 1].alias
    row = conn.execute(f"SELECT {_READ} FROM {alias}.members WHERE id = ?", (record[1],))
    return row.fetchone()  # type: ignore[no-any-return]


def _label(column: str) -> str:
    return f"column.{'full_name' if column == 'name_key' else column}"


def _where(record: Record, rows: dict[Record, sqlite3.Row], sources: list[Source]) -> str:
    row = rows[record]
    return f"{sources[record[0] - 1].shown} #{row['id']} ({row['full_name']})"


def _current(
    group: list[Record], rows: dict[Record, sqlite3.Row], sources: list[Source], out: list[Problem]
) -> Record:
    """The record that stays the member's row; the group's conflicts into ``out``."""
    names = "; ".join(_where(r, rows, sources) for r in group)

    def conflict(key: str, **params: object) -> None:
        out.append(Problem(key, {"records": names, **params}))

    if len({source for source, _ in group}) < len(group):
        conflict("merge.member_same_file")
    differ = [c for c in IDENTITY if len({rows[r][c] for r in group}) > 1]
    if differ:
        conflict("merge.member_identity", fields=Labels(_label(c) for c in differ))
    for column in NUMBERS:
        if len({(rows[r][column] or "").strip() for r in group} - {""}) > 1:
            conflict("merge.member_numbers", field=Label(_label(column)))
    if any(rows[r]["voided_at"] for r in group):
        conflict("merge.member_voided")
    on_roll = [r for r in group if rows[r]["left_on"] is None]
    if len(on_roll) > 1:
        conflict("merge.member_both_rolls")
    by_start = sorted(group, key=lambda r: str(rows[r]["joined_roll_on"]))
    for before, after in zip(by_start, by_start[1:], strict=False):
        left = rows[before]["left_on"]
        if left is None or str(left) > str(rows[after]["joined_roll_on"]):
            if len(on_roll) <= 1:
                conflict("merge.member_overlap")
            break
    return on_roll[0] if on_roll else by_start[-1]
