"""Migration 18: a member's branch over time, and the organisation as
dated data (issue #15).

- ``branch_spells``: a member's EARLIER branches, each until ``to_on`` (exclusive: the day
  of the move, merge or split that ended it). ``members.branch_id`` stays the branch today;
  a member who never moved has no row, so "the branch at a date" costs nothing for them.
- ``branch_names``: a branch's earlier names, each until ``to_on`` (the rename's date).
- ``branches`` gains when it opened and closed, with their decisions (NULL opened_on: open
  since before the registry's records began).
- ``levels_above``: the level above the committee, dated (the district level was abolished
  in 2025: Huyện ủy until 30/06/2025, then the Tỉnh ủy).
- ``unit_kinds``: kinds of unit the clerk adds to the built-in hamlet and sector.

The stated assumption (`check` says it, with the count): a registry made before this
migration knew only each member's branch today, so that branch is taken as theirs since
they joined the roll (admission or transfer in), and every branch as open since before the
records began: every figure it printed before still prints. Never edit once shipped.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database


def m018_branch_history(db: Database) -> None:
    db.table("branch_spells").create(
        {
            "id": int,
            "member_id": int,
            "branch_id": int,
            "from_on": str,  # informational: the spell's first day (the next one's is to_on)
            "to_on": str,  # the day the member was no longer in this branch
            "how": str,  # move | merge | split | readmit | correction
            "decision": str,
            "created_at": str,
        },
        pk="id",
        not_null={"member_id", "branch_id", "to_on", "how"},
        foreign_keys=[("member_id", "members", "id"), ("branch_id", "branches", "id")],
    )
    db.execute("CREATE INDEX idx_branch_spells_member ON branch_spells (member_id, to_on)")
    db.table("branch_names").create(
        {"id": int, "branch_id": int, "name": str, "name_key": str, "to_on": str, "decision": str},
        pk="id",
        not_null={"branch_id", "name", "name_key", "to_on"},
        foreign_keys=[("branch_id", "branches", "id")],
    )
    db.execute("CREATE INDEX idx_branch_names_branch ON branch_names (branch_id, to_on)")
    for column in ("opened_on", "opened_decision", "closed_on", "closed_decision"):
        db.execute(f"ALTER TABLE branches ADD COLUMN {column} TEXT")
    db.table("levels_above").create(
        {"id": int, "name": str, "from_on": str, "decision": str},
        pk="id",
        not_null={"name", "from_on"},
    )
    # Kinds of unit the clerk adds beside the built-in ones of the `branch_kind` vocabulary
    # (hamlet, sector): e.g. a sub-committee (đảng bộ bộ phận).
    db.table("unit_kinds").create({"code": str, "vi": str, "en": str}, pk="code", not_null={"vi"})
    # The stated assumption, for `check` to say: how many members' branch history it made.
    db.table("branch_history_assumed").create({"migrated_on": str, "members": int})
    members = db.execute("SELECT count(*) FROM members WHERE voided_at IS NULL").fetchone()[0]
    if members:
        db.table("branch_history_assumed").insert(
            {"migrated_on": dt.date.today().isoformat(), "members": members}
        )
