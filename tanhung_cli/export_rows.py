"""The rows of `export members`, lean: a national roll is millions of them (issue #17).

Each row is what ``member_lists.public`` makes of a member, in ``EXPORT_COLUMNS``' order,
but worked out from the cursor's tuple through a plan made once per export: every source
column's position, every vocabulary's labels in a dict. A member whose current period
holds at the date and who has no earlier period (all but a handful) takes that plan; the
others go through ``public`` itself, so both give the same cells.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from tanhung_cli import member_lists, org, roll
from tanhung_cli.dated_values import DATED_FIELDS, value_at
from tanhung_cli.members import VOCAB_OF
from tanhung_cli.vocab import vocabulary

# Columns the plan works out itself rather than copying from the row.
_DERIVED = ("transferred_in_on", "temporary", "status")
_AWAY = tuple(c for c, flag in member_lists.STANDING_FLAG.items() if flag == "away")


def _guarded(flag: str, kinds: Sequence[str]) -> str:
    """``flag`` (`roll.EXEMPT`, `roll.AWAY`: the member's last event of ``kinds``) asked
    only of members who have such an event: one uncorrelated ``IN (SELECT …)`` answers
    the others, as `roll` does for past spells (two index searches a member saved)."""
    listed = ", ".join(f"'{k}'" for k in kinds)
    return f"(CASE WHEN m.id IN (SELECT e.member_id FROM events e WHERE e.kind IN ({listed})) THEN {flag} ELSE 0 END)"


# What the plan reads of a member beside the exported columns.
_NEEDED = (
    "id",
    "joined_roll_on",
    "voided_at",
    "admitted_on",
    "readmitted_on",
    "left_on",
    "presence",
    "official_on",
)


def _select(columns: Sequence[str]) -> str:
    """The columns the plan reads, ``FROM members m``: only those (a row of the table is
    60 columns, and the sort of the roll carries each one it reads)."""
    read = dict.fromkeys(_NEEDED)
    dated = []
    for name in columns:
        if name in DATED_FIELDS:
            dated.append(name)
        elif name not in ("branch", *_DERIVED):
            read[name] = None
    return (
        ", ".join(f"m.{name}" for name in read)
        + f", {_guarded(roll.EXEMPT, ('exempted', 'unexempted'))} AS is_exempt"
        + f", {_guarded(roll.AWAY, roll.AWAY_KINDS)} AS is_away, {roll.BRANCH_AT} AS branch_at"
        + "".join(f", {value_at(f)} AS at_{f}" for f in dated)
        + " FROM members m"
    )


def _labels(name: str) -> dict[str, str]:
    """A vocabulary's Vietnamese labels by code (``Vocabulary.label``'s default)."""
    words = vocabulary(name)
    return {code: words.label(code) for code in words.codes()}


def export_rows(
    conn: sqlite3.Connection,
    filters: member_lists.Filters,
    as_of: dt.date,
    columns: Sequence[str],
    written: Counter[str],
    statuses: Mapping[str, str] | None = None,
) -> Iterator[list[Any]]:
    """The selected members' cells in ``columns`` (names of ``public``'s keys), one list a
    member; counts each status into ``written``; ``statuses`` labels the status cell."""
    sql, params = member_lists.members_sql(filters, as_of, _select(columns))
    cursor = conn.cursor()
    cursor.row_factory = None  # tuples: the plan reads by position
    cursor.execute(sql, params)
    at = {d[0]: i for i, d in enumerate(cursor.description)}
    day = as_of.isoformat()
    names = org.names_at(conn, day)
    spells = roll.past_spells_by_member(conn)
    slow = _slow(conn, names, day, spells, columns)

    # Where each cell comes from: the row's column (or the value at the date of a dated
    # field, or the branch at the date), a label looked up in a dict on the way.
    source: list[int] = []
    period_labels: list[tuple[int, dict[str, str]]] = []  # a blank stays as it is
    code_labels: list[tuple[int, dict[str, str]]] = []  # a blank becomes None
    for pos, name in enumerate(columns):
        if name == "branch":
            source.append(at["branch_at"])
        elif name in _DERIVED:
            source.append(at["id"])  # a placeholder, replaced below
        elif name in member_lists.PERIOD_FIELDS:
            source.append(at[name])
            if name in VOCAB_OF:
                period_labels.append((pos, _labels(VOCAB_OF[name])))
        elif name in DATED_FIELDS and f"at_{name}" in at:
            source.append(at[f"at_{name}"])
            if name in VOCAB_OF:
                period_labels.append((pos, _labels(VOCAB_OF[name])))
        else:
            source.append(at[name])
            if name in VOCAB_OF:
                code_labels.append((pos, _labels(VOCAB_OF[name])))
    cells = itemgetter(*source) if len(source) > 1 else lambda t: (t[source[0]],)
    where = {name: pos for pos, name in enumerate(columns)}
    p_transferred, p_temporary, p_status = (where.get(c) for c in _DERIVED)
    p_left_on, p_left_reason = where.get("left_on"), where.get("left_reason")
    exempt_cells = [where[c] for c in ("exempt_since",) if c in where]
    away_cells = [where[c] for c in _AWAY if c in where]
    i_id, i_joined, i_voided = at["id"], at["joined_roll_on"], at["voided_at"]
    i_admitted, i_readmitted = at["admitted_on"], at["readmitted_on"]
    i_left_on, i_presence, i_official = at["left_on"], at["presence"], at["official_on"]
    i_exempt, i_away = at["is_exempt"], at["is_away"]
    p_branch, branch_at = where.get("branch"), at["branch_at"]
    names_get = names.get

    for t in cursor:
        if t[i_joined] > day or t[i_voided] or t[i_id] in spells:
            out = slow(t)  # an earlier period, not yet on the roll, or voided: rare
        else:
            out = list(cells(t))
            if p_status is not None:
                left_on = t[i_left_on]
                if left_on and left_on <= day:
                    out[p_status] = "left"
                elif t[i_presence] == "temporary":
                    out[p_status] = "temporary"
                elif t[i_official] and t[i_official] <= day:
                    out[p_status] = "official"
                else:
                    out[p_status] = "probationary"
            for pos, labels in period_labels:
                value = out[pos]
                if value:
                    out[pos] = labels.get(value, value)
            for pos, labels in code_labels:
                value = out[pos]
                out[pos] = labels.get(value, value) if value else None
            if p_transferred is not None:
                joined = t[i_joined]
                admission = str(t[i_readmitted] or t[i_admitted])
                out[p_transferred] = joined if joined > admission else None
            if p_temporary is not None:
                out[p_temporary] = "x" if t[i_presence] == "temporary" else None
            if p_branch is not None:  # the branch at the date, as `public` shows it
                out[p_branch] = names_get(t[branch_at], "")
            left_on = t[i_left_on]
            if left_on and left_on > day:
                if p_left_on is not None:
                    out[p_left_on] = None
                if p_left_reason is not None:
                    out[p_left_reason] = None
            if not t[i_exempt]:
                for pos in exempt_cells:
                    out[pos] = None
            if not t[i_away]:
                for pos in away_cells:
                    out[pos] = None
        if p_status is not None:
            status = out[p_status]
            written[status] += 1
            if statuses is not None:
                out[p_status] = statuses.get(status, status)
        yield out


def _slow(
    conn: sqlite3.Connection,
    names: Mapping[int, str],
    day: str,
    spells: Mapping[int, Any],
    columns: Sequence[str],
) -> Callable[[tuple[Any, ...]], list[Any]]:
    """The member of the row (its id first) as ``member_lists._published`` makes it, in
    ``columns``' order, read again whole."""
    sql = f"SELECT {member_lists.WITH_STANDING} WHERE m.id = :id"

    def cells(found: tuple[Any, ...]) -> list[Any]:
        row = dict(conn.execute(sql, {"id": found[0], "as_of": day}).fetchone())
        record = member_lists.public(row, names, day, spells.get(row["id"], ()))
        record["exempt"], record["away"] = bool(row["is_exempt"]), bool(row["is_away"])
        member_lists.fit_standing(record)
        return [record.get(c) for c in columns]

    return cells
