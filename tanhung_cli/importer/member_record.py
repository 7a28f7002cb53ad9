"""The member record an import passes around: its layout, in a row and in a staging file.

`MemberImport.validate` makes it, a worker stages it (`staging`), and the write reads it
back by these names: a row is the file's line, then the record.
"""

from __future__ import annotations

import operator
import pickle
from typing import Any

from tanhung_cli import member_schema, members
from tanhung_cli.importer import Problems
from tanhung_cli.rules import RULES_VERSION

FIELDS = (*members.STORED_FIELDS, "name_key", "sort_key")
SHOWN = frozenset({*members.STORED_FIELDS, *member_schema.ROLL_LABELS})  # not the keys
# Roll columns are named in messages by the file columns that carry them.
LABELLED = member_schema.ROLL_LABELS
KEYS = member_schema.UNIQUE
# A record, as `validate` returns it and a staging file keeps it (`staging`, after the
# line): the fields nearly every row fills first, then the rest, the roll dates (for a new
# member; None when the file does not say), the file's id, and the empty required cells
# (`pending_cells`). A row with nothing after the usual fields is a shorter record: fewer
# values to bind when it is staged; the rest read back as NULL (`whole`).
USUAL = member_schema.USUAL
LAYOUT = (*USUAL, *(f for f in FIELDS if f not in USUAL), *LABELLED)
RECORD = (*LAYOUT, "id", "pending")
AT = {name: i + 1 for i, name in enumerate(RECORD)}  # in a row: the line, then the record
WIDTH = len(RECORD) + 1
ID, JOINED, PRESENCE, PENDING = AT["id"], AT["joined_roll_on"], AT["presence"], -1
USUAL_OF = operator.itemgetter(*USUAL)
REST_OF = operator.itemgetter(*LAYOUT[len(USUAL) :])
INSERT = (
    f"INSERT INTO members (id, {', '.join(LAYOUT)}, created_at, updated_at, rules_version)"
    f" VALUES (?, {', '.join('?' * len(LAYOUT))}, ?, ?, ?)"
)


def rules_stamp(readmitted: object) -> int | None:
    """The stamp of a new member's row (`rules_stamp`): a row staged without problems passed
    the rules as `check` judges it, but for a re-admission's start on the roll, which the
    import derives (`check` judges that row again)."""
    return RULES_VERSION if readmitted is None else None


# A field's column in a staging file: r0 is the record's first value.
COL = {name: f"r{i}" for i, name in enumerate(RECORD)}


def whole(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row with its record at full length (a short record leaves the rest out)."""
    return row if len(row) == WIDTH else row + (None,) * (WIDTH - len(row))


def pending_cells(row: tuple[Any, ...]) -> tuple[Problems, dict[str, Any]]:
    """A staged row's empty required cells: (their problems, the cells the row does give)."""
    found: tuple[Problems, dict[str, Any]] = pickle.loads(row[PENDING])
    return found
