"""What `tanhung merge` does with each table of a registry: one declaration per table.

Every table of the schema is declared here, once: how its records are carried into the
new committee's registry (``way``), the columns that name a record in both old files
(``key``: the same key with the same values is one record, with other values a conflict)
and its foreign keys (column → table), which the merge renumbers. A test fails when the
schema has a table not declared here, or a foreign key not listed: a new table is one
row below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# copy: every record carried, renumbered (deduplicated on ``key`` when there is one);
# branches / members: matched by their own planners (mapping file; CCCD, card, file no);
# history: the audit trail and members' dated history, through `history.carry_over`;
# skip: not carried (the migrations' own bookkeeping, earlier merges' origins).
Way = Literal["copy", "branches", "members", "history", "skip"]


@dataclass(frozen=True)
class Table:
    name: str
    way: Way = "copy"
    key: tuple[str, ...] = ()
    fks: dict[str, str] = field(default_factory=dict)
    why: str = ""  # for ``skip``: why the table is not carried


# In the order they are carried: a table after the tables its foreign keys name.
TABLES: tuple[Table, ...] = (
    Table("_sqlite_migrations", "skip", why="the new registry's own migrations"),
    Table("settings", key=("key",)),
    Table("branches", "branches", key=("name_key",)),
    Table("members", "members", fks={"branch_id": "branches"}),
    Table("past_spells", fks={"member_id": "members", "branch_id": "branches"}),
    Table("branch_spells", fks={"member_id": "members", "branch_id": "branches"}),
    Table("branch_names", key=("branch_id", "to_on"), fks={"branch_id": "branches"}),
    Table("levels_above", key=("from_on",)),
    Table("unit_kinds", key=("code",)),
    Table("branch_history_assumed"),
    Table("audit", "history"),
    Table("events", "history", fks={"member_id": "members", "audit_id": "audit"}),
    Table("terms", key=("name",)),
    Table("targets", key=("term_id", "metric"), fks={"term_id": "terms"}),
    Table("branch_targets", key=("term_id", "branch_id", "metric"),
          fks={"term_id": "terms", "branch_id": "branches"}),
    Table("courses", key=("name_key", "start_on")),
    Table("enrolments", key=("course_id", "member_id"),
          fks={"course_id": "courses", "member_id": "members"}),
    Table("ratings", key=("member_id", "year"),
          fks={"member_id": "members", "branch_id": "branches"}),
    Table("rating_exclusions", key=("member_id", "year"),
          fks={"member_id": "members", "branch_id": "branches"}),
    Table("meetings", fks={"branch_id": "branches"}),
    Table("attendance", key=("meeting_id", "member_id"),
          fks={"meeting_id": "meetings", "member_id": "members"}),
    Table("funds", key=("name_key",), fks={"branch_id": "branches"}),
    Table("fund_capital", fks={"fund_id": "funds"}),
    Table("loans", key=("fund_id", "member_id", "lent_on"),
          fks={"fund_id": "funds", "member_id": "members", "branch_id": "branches"}),
    Table("repayments", key=("loan_id", "paid_on"), fks={"loan_id": "loans"}),
    Table("gaps", key=("member_id", "kind", "from_on"), fks={"member_id": "members"}),
    Table("badges", key=("member_id", "years", "void_reason"), fks={"member_id": "members"}),
    # The full-text index of names (migration 19) and its own tables: the new registry's
    # triggers index each member as the merge inserts them.
    Table("member_names", "skip", why="the new registry indexes its own members"),
    Table("member_names_config", "skip", why="the name index's own bookkeeping"),
    Table("member_names_data", "skip", why="the name index's own bookkeeping"),
    Table("member_names_idx", "skip", why="the name index's own bookkeeping"),
    Table("merge_sources", "skip", why="the new registry lists its own old files"),
    Table("merge_origins", "skip", why="earlier merges' origins stay in the old files"),
)  # fmt: skip

BY_NAME = {table.name: table for table in TABLES}
