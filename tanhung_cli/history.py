"""A recorded change: the one writer of the audit trail and of members' dated history.

Every write to the registry happens inside ``write_transaction`` (the write lock: what a
write checks is read after it is taken), leaves one audit row (``record``) and, when it
changes a member, that member's dated ``events`` rows (``Change.event``, ``events``, or
``events_from`` for an import's set of members) and their ``updated_at``
(``update_member``). No other module writes ``audit`` or ``events``: a test
(``tests/test_history.py``) reads the package and refuses such SQL anywhere else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tanhung_cli import audit
from tanhung_cli.waiting import write_lock

# The columns of a history entry a change gives (``audit_id`` is the change's own).
EVENT_COLUMNS = ("member_id", "on_date", "kind", "field", "old", "new", "decision_no", "note")
_INSERT_EVENTS = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, audit_id)"

# One entry as ``Change.events`` takes it: the values of EVENT_COLUMNS, in that order.
Event = tuple[int, str, str, str | None, Any, Any, str | None, str | None]

# Open changes not yet audited: the connection's count of changed rows when each began.
_unaudited: dict[int, int] = {}


class Unaudited(RuntimeError):
    """A change wrote to the registry without its audit row (a bug: nothing was kept)."""


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The write lock of a change: all of the block's writes or none (``waiting.write_lock``).

    Read what the change checks inside the block (``members.member_for_update``); a
    block nested in another joins it. A block that wrote rows and recorded no audit
    row is rolled back (``Unaudited``): every write leaves its trace.
    """
    if conn.in_transaction:
        with write_lock(conn):
            yield conn
        return
    with write_lock(conn):
        _unaudited[id(conn)] = conn.total_changes
        try:
            yield conn
            if conn.total_changes != _unaudited.get(id(conn), conn.total_changes):
                raise Unaudited("a write without its audit row")
        finally:
            _unaudited.pop(id(conn), None)


@contextlib.contextmanager
def bookkeeping_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """The write lock of a write that changes no record, only what the registry knows of
    it (the rules' stamps, `rules_stamp`): no audit row, since nothing a clerk sees changed."""
    with write_lock(conn):
        yield conn


def stamp_rules(conn: sqlite3.Connection, version: int, ids: Sequence[int]) -> None:
    """Record that members ``ids`` pass the rules of ``version`` as stored (`rules_stamp`);
    a stamp, not a change of the member: no audit row, ``updated_at`` as it was."""
    marks = ", ".join("?" * len(ids))
    conn.execute(
        f"UPDATE members SET rules_version = ? WHERE id IN ({marks}) AND rules_version IS NOT ?",
        (version, *ids, version),
    )


def record(
    conn: sqlite3.Connection,
    action: str,
    entity: str,
    entity_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Change:
    """Append the audit row of a change (inside its transaction); its events follow it."""
    cur = conn.execute(
        "INSERT INTO audit (at, clerk, command, action, entity, entity_id, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            audit.now(),
            audit.clerk(),
            audit.command(),
            action,
            entity,
            entity_id,
            json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        ),
    )
    _unaudited.pop(id(conn), None)
    return Change(conn, int(cur.lastrowid or 0))


@dataclass(frozen=True)
class Change:
    """A change whose audit row is written: the member history entries it explains."""

    conn: sqlite3.Connection
    audit_id: int

    def event(
        self,
        member_id: int,
        kind: str,
        on: dt.date | str,
        *,
        field: str | None = None,
        old: Any = None,
        new: Any = None,
        decision: str | None = None,
        note: str | None = None,
    ) -> None:
        """Append one dated entry to the member's history."""
        self.events([(member_id, str(on), kind, field, old, new, decision, note)])

    def events(self, entries: Iterable[Event]) -> None:
        """Append dated entries, each the values of ``EVENT_COLUMNS`` in order."""
        self.conn.executemany(
            f"{_INSERT_EVENTS} VALUES ({', '.join('?' * len(EVENT_COLUMNS))}, ?)",
            ((*entry, self.audit_id) for entry in entries),
        )

    def events_from(
        self, source: str, columns: Mapping[str, str], params: Mapping[str, Any] | None = None
    ) -> None:
        """Append one entry per row of ``source`` in a single INSERT … SELECT (an import).

        ``source`` follows FROM (a table, its WHERE and ORDER BY); ``columns`` maps some of
        ``EVENT_COLUMNS`` to SQL expressions over it (named ``params``, ``:name``); the
        others are NULL.
        """
        unknown = set(columns) - set(EVENT_COLUMNS)
        if unknown:
            raise ValueError(f"not a column of events: {', '.join(sorted(unknown))}")
        values = ", ".join(columns.get(c, "NULL") for c in EVENT_COLUMNS)
        self.conn.execute(
            f"{_INSERT_EVENTS} SELECT {values}, :audit_id FROM {source}",
            {**(params or {}), "audit_id": self.audit_id},
        )


def update_member(
    conn: sqlite3.Connection,
    member_id: int,
    values: Mapping[str, Any],
    stamp: str | None = None,
) -> None:
    """Store new values on the member's row and when they changed (``stamp``: now)."""
    sets = "".join(f"{column} = ?, " for column in values)
    conn.execute(
        f"UPDATE members SET {sets}updated_at = ? WHERE id = ?",
        (*values.values(), stamp or audit.now(), member_id),
    )


def carry_over(
    conn: sqlite3.Connection, schema: str, label: str, members: str, maps: Mapping[str, str]
) -> tuple[int, int]:
    """Carry the audit trail and members' dated history of an old registry attached as
    ``schema`` into this one (`merge`), in their order, after this file's own rows.

    Each audit row keeps its time, clerk, command and action; its detail gains
    ``merged_from`` (the old file ``label``, its old id and entity id); an entity renumbered
    by the merge takes its new id through ``maps`` (entity → a table of ``old, new``
    ids). Each history entry follows its member (``members``: that table for members)
    and its audit row. Returns the offsets added to the old audit and events ids.
    """
    audit_offset = conn.execute("SELECT coalesce(max(id), 0) FROM main.audit").fetchone()[0]
    events_offset = conn.execute("SELECT coalesce(max(id), 0) FROM main.events").fetchone()[0]
    cases = " ".join(
        f"WHEN '{entity}' THEN (SELECT new FROM {table} WHERE old = a.entity_id)"
        for entity, table in maps.items()
    )
    entity_id = f"CASE a.entity {cases} ELSE a.entity_id END" if cases else "a.entity_id"
    detail = (
        "CASE WHEN a.detail IS NULL THEN '{}'"
        " WHEN json_valid(a.detail) AND json_type(a.detail) = 'object' THEN a.detail"
        " ELSE json_object('text', a.detail) END"
    )
    conn.execute(
        "INSERT INTO main.audit (id, at, clerk, command, action, entity, entity_id, detail)"
        f" SELECT a.id + :offset, a.at, a.clerk, a.command, a.action, a.entity, {entity_id},"
        f" json_set({detail}, '$.merged_from', json_object("
        "'file', :label, 'audit_id', a.id, 'entity_id', a.entity_id))"
        f" FROM {schema}.audit a ORDER BY a.id",
        {"offset": audit_offset, "label": label},
    )
    conn.execute(
        f"INSERT INTO main.events (id, {', '.join(EVENT_COLUMNS)}, audit_id)"
        f" SELECT e.id + :events, (SELECT new FROM {members} WHERE old = e.member_id),"
        f" {', '.join('e.' + c for c in EVENT_COLUMNS[1:])}, e.audit_id + :audit"
        f" FROM {schema}.events e ORDER BY e.id",
        {"events": events_offset, "audit": audit_offset},
    )
    return audit_offset, events_offset
