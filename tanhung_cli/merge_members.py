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
    new_ids: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # per source
    primaries: dict[int, list[int]] = field(default_factory=dict)  # old ids carried as rows
    earlier: list[tuple[int, int, int]] = field(default_factory=list)  # (source, old, new)
    shared: int = 0
    problems: list[Problem] = field(default_factory=list)


def _find(parent: dict[Record, Record], item: Record) -> Record:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def plan(conn: sqlite3.Connection, sources: list[Source]) -> Plan:
    rows: dict[Record, sqlite3.Row] = {}
    parent: dict[Record, Record] = {}
    owner: dict[tuple[str, str], Record] = {}
    for source in sources:
        for row in conn.execute(f"SELECT {_READ} FROM {source.alias}.members ORDER BY id"):
            record = (source.number, row["id"])
            rows[record] = row
            parent[record] = record
            for column in NUMBERS:
                value = (row[column] or "").strip()
                if not value:
                    continue
                other = owner.setdefault((column, value), record)
                if other != record:
                    parent[_find(parent, record)] = _find(parent, other)
    groups: dict[Record, list[Record]] = {}
    for record in rows:
        groups.setdefault(_find(parent, record), []).append(record)
    result = Plan()
    next_id = 0
    for group in groups.values():
        next_id += 1
        for source_no, old in group:
            result.new_ids.setdefault(source_no, []).append((old, next_id))
        if len(group) == 1:
            result.primaries.setdefault(group[0][0], []).append(group[0][1])
            continue
        result.shared += 1
        current = _current(group, rows, sources, result.problems)
        result.primaries.setdefault(current[0], []).append(current[1])
        result.earlier.extend((s, old, next_id) for s, old in group if (s, old) != current)
    return result


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
