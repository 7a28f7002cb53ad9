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
from collections.abc import Iterable, Iterator, Mapping
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
