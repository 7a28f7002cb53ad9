"""Migrations 1-5: the roll (branches, members, their history, terms, training,
ratings, the audit trail) and its later columns and indexes. Never edit one once
shipped: add a new one (`migrations/__init__.py` lists them in order)."""

from __future__ import annotations

from sqlite_utils import Database

# Rows of the audit trail and of members' history are never changed or removed.
_APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} rows cannot be deleted'); END;
"""


def m001_registry(db: Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("branches").create(
        {"id": int, "name": str, "name_key": str, "kind": str, "note": str, "created_at": str},
        pk="id",
        not_null={"name", "name_key", "kind"},
    )
    db.table("branches").create_index(["name_key"], unique=True)
    db.table("members").create(
        {
            "id": int,
            "full_name": str,
            "given_name": str,  # set only when the given name has more than one word
            "name_key": str,  # vietnamese.fold(full_name), for search and matching
            "sort_key": str,  # vietnamese.name_sort_key(...), Vietnamese name order
            "gender": str,
            "birth_date": str,
            "ethnicity": str,  # code of the statistics office, "05" = Khmer
            "religion": str,
            "branch_id": int,
            "admitted_on": str,  # ngày vào Đảng
            "official_on": str,  # ngày chính thức; empty while probationary (dự bị)
            "card_no": str,
            "national_id": str,
            "file_no": str,
            "home_town": str,
            "education": str,
            "theory_level": str,
            "profession": str,
            "phone": str,
            "note": str,
            "age_exception": str,  # why an admission outside 18-60 was allowed
            # The member's current period on this committee's roll; earlier
            # periods are kept in ``past_spells``.
            "joined_roll_on": str,
            "presence": str,  # 'regular', or 'temporary' (attends, not counted)
            "left_on": str,
            "left_reason": str,
            "exempt_since": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={
            "full_name",
            "name_key",
            "sort_key",
            "gender",
            "birth_date",
            "ethnicity",
            "branch_id",
            "admitted_on",
            "joined_roll_on",
            "presence",
        },
        defaults={"presence": "regular"},
        foreign_keys=[("branch_id", "branches", "id")],
    )
    members = db.table("members")
    members.create_index(["card_no"], unique=True)
    members.create_index(["national_id"], unique=True)
    members.create_index(["file_no"], unique=True)
    members.create_index(["name_key", "birth_date"])
    members.create_index(["branch_id"])
    db.table("past_spells").create(
        {
            "id": int,
            "member_id": int,
            "joined_roll_on": str,
            "left_on": str,
            "left_reason": str,
            "admitted_on": str,
            "official_on": str,
            "presence": str,
            "branch_id": int,
        },
        pk="id",
        foreign_keys=[("member_id", "members", "id"), ("branch_id", "branches", "id")],
    )
    db.table("past_spells").create_index(["member_id"])
    db.table("audit").create(
        {
            "id": int,
            "at": str,
            "clerk": str,
            "command": str,
            "action": str,
            "entity": str,
            "entity_id": int,
            "detail": str,
        },
        pk="id",
    )
    db.table("audit").create_index(["at"])
    db.table("events").create(
        {
            "id": int,
            "member_id": int,
            "on_date": str,
            "kind": str,
            "field": str,
            "old": str,
            "new": str,
            "decision_no": str,
            "note": str,
            "audit_id": int,
        },
        pk="id",
        not_null={"member_id", "on_date", "kind"},
        foreign_keys=[("member_id", "members", "id"), ("audit_id", "audit", "id")],
    )
    db.table("events").create_index(["member_id"])
    db.table("terms").create(
        {"id": int, "name": str, "start_on": str, "end_on": str},
        pk="id",
        not_null={"name", "start_on", "end_on"},
    )
    db.table("terms").create_index(["name"], unique=True)
    db.table("targets").create(
        {"term_id": int, "metric": str, "value": float},
        pk=("term_id", "metric"),
        foreign_keys=[("term_id", "terms", "id")],
    )
    db.table("courses").create(
        {
            "id": int,
            "name": str,
            "name_key": str,
            "kind": str,
            "organiser": str,
            "start_on": str,
            "end_on": str,
        },
        pk="id",
        not_null={"name", "name_key", "kind", "start_on", "end_on"},
    )
    db.table("courses").create_index(["name_key", "start_on"], unique=True)
    db.table("enrolments").create(
        {"course_id": int, "member_id": int, "completed": int, "completed_on": str},
        pk=("course_id", "member_id"),
        not_null={"completed"},
        defaults={"completed": 0},
        foreign_keys=[("course_id", "courses", "id"), ("member_id", "members", "id")],
    )
    db.table("enrolments").create_index(["member_id"])
    db.table("ratings").create(
        {"member_id": int, "year": int, "level": str, "branch_id": int},
        pk=("member_id", "year"),
        not_null={"level"},
        foreign_keys=[("member_id", "members", "id"), ("branch_id", "branches", "id")],
    )
    db.executescript(_APPEND_ONLY.format(table="audit") + _APPEND_ONLY.format(table="events"))


def m002_report_indexes(db: Database) -> None:
    # Reports count the roll by scanning this narrow index, in the order of their
    # GROUP BY, instead of the wide members table (see bench/report_bench.py).
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_members_roll ON members (ethnicity, gender,"
        " joined_roll_on, left_on, presence, official_on, branch_id)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_members_admitted ON members (admitted_on, branch_id)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_courses_start ON courses (start_on, kind)")


def m003_name_order(db: Database) -> None:
    # Names are now ordered part by part (every "Anh" before every "Ánh"): recompute the
    # stored key of every member.
    from tanhung_cli.vietnamese import name_sort_key

    conn = db.conn
    rows = conn.execute("SELECT id, full_name, given_name FROM members").fetchall()
    conn.executemany(
        "UPDATE members SET sort_key = ? WHERE id = ?",
        [(name_sort_key(name, given), member_id) for member_id, name, given in rows],
    )


def m004_branch_targets(db: Database) -> None:
    # A branch's own targets for a term; the committee's stay in ``targets``.
    db.table("branch_targets").create(
        {"term_id": int, "branch_id": int, "metric": str, "value": float},
        pk=("term_id", "branch_id", "metric"),
        foreign_keys=[("term_id", "terms", "id"), ("branch_id", "branches", "id")],
    )


def m005_away(db: Database) -> None:
    # A member away on a temporary transfer out (still counted here): since when, where to
    # and the planned return, kept with the member as the exemption is (`exempt_since`);
    # the dated history stays in `events`. Those away now are filled in from it.
    for column in ("away_since", "away_to", "away_until"):
        db.table("members").add_column(column, str)
    kinds = "'transferred_out_temporary', 'returned', 'transferred_in', 'readmitted', 'left',"
    last = (  # the member's last event that begins or ends an absence (`roll.AWAY_KINDS`)
        "FROM events e WHERE e.member_id = members.id AND e.kind IN"
        f" ({kinds} 'transferred_out') ORDER BY e.on_date DESC, e.id DESC LIMIT 1"
    )
    db.execute(
        f"UPDATE members SET (away_since, away_to) = (SELECT e.on_date, e.new {last})"
        f" WHERE (SELECT e.kind {last}) = 'transferred_out_temporary'"
    )
