"""Migrations 6-7: meetings with their attendance, and support for members in hardship
(funds, their capital, loans and grants, repayments). Never edit one once shipped."""

from __future__ import annotations

from sqlite_utils import Database


def m006_meetings(db: Database) -> None:
    # Meetings of the committee (branch_id NULL) and of its branches, and who attended.
    # Guests not on the roll are a count on the meeting, apart from the roll's attendance.
    db.table("meetings").create(
        {
            "id": int,
            "on_date": str,
            "kind": str,  # vocabulary meeting_kind
            "title": str,
            "branch_id": int,  # NULL: held by the committee
            "note": str,  # the decision or a note
            "guests": int,
            "created_at": str,
        },
        pk="id",
        not_null={"on_date", "kind", "title", "guests"},
        defaults={"guests": 0},
        foreign_keys=[("branch_id", "branches", "id")],
    )
    # One meeting of a kind a day for whoever holds it: what re-imports match on.
    db.execute(
        "CREATE UNIQUE INDEX idx_meetings_held ON meetings (on_date, kind, ifnull(branch_id, 0))"
    )
    db.execute("CREATE INDEX idx_meetings_kind ON meetings (kind, on_date, branch_id)")
    db.table("attendance").create(
        {"meeting_id": int, "member_id": int, "status": str, "reason": str},
        pk=("meeting_id", "member_id"),
        not_null={"status"},
        foreign_keys=[("meeting_id", "meetings", "id"), ("member_id", "members", "id")],
    )
    # Reports read a meeting's marks from this covering index without the table
    # (bench/activity_bench.py); a member's from the second.
    db.execute("CREATE INDEX idx_attendance_marks ON attendance (meeting_id, status, member_id)")
    db.execute("CREATE INDEX idx_attendance_member ON attendance (member_id, status)")


def m007_support(db: Database) -> None:
    # Support for members in hardship: funds as data, their capital (the money put in:
    # what a revolving fund lends from), loans and grants, and repayments of loans.
    # Amounts are whole dong (integers); a fund's owner is a branch, or the committee
    # when branch_id is NULL.
    db.executescript(
        """
        CREATE TABLE funds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            branch_id INTEGER REFERENCES branches(id),
            revolving INTEGER NOT NULL DEFAULT 0,
            note TEXT
        );
        CREATE TABLE fund_capital (
            id INTEGER PRIMARY KEY,
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            on_date TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            note TEXT
        );
        CREATE TABLE loans (
            id INTEGER PRIMARY KEY,
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            branch_id INTEGER REFERENCES branches(id),
            kind TEXT NOT NULL CHECK (kind IN ('loan', 'grant')),
            amount INTEGER NOT NULL CHECK (amount > 0),
            lent_on TEXT NOT NULL,
            due_on TEXT,
            purpose TEXT,
            repaid INTEGER NOT NULL DEFAULT 0 CHECK (repaid >= 0 AND repaid <= amount),
            UNIQUE (fund_id, member_id, lent_on)
        );
        CREATE INDEX idx_loans_date ON loans (lent_on, fund_id, amount, member_id, branch_id);
        CREATE INDEX idx_loans_member ON loans (member_id);
        CREATE TABLE repayments (
            id INTEGER PRIMARY KEY,
            loan_id INTEGER NOT NULL REFERENCES loans(id),
            paid_on TEXT NOT NULL,
            amount INTEGER NOT NULL CHECK (amount > 0),
            UNIQUE (loan_id, paid_on)
        );
        """
    )
