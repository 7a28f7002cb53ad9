"""Migration 9 (8 on its own branch): leaving and re-admission under the rules of 2025.

A removal's sub-reason (xóa tên: not confirmed, abandoned activity …), and the date of a
re-admission kept beside the first admission date, which stays the member's "Ngày vào
Đảng" (HD 12-HD/BTCTW 2022: the records keep the first admission; "kết nạp lần 2" apart).
Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m009_leaving(db: Database) -> None:
    members = db.table("members")
    members.add_column("removal_reason", str)  # vocabulary removal_reason
    members.add_column("readmitted_on", str)  # the re-admission; admitted_on stays the first
    # Reports count re-admissions in a term apart (roll.ADMISSIONS): few rows, a small index.
    db.execute(
        "CREATE INDEX idx_members_readmitted ON members (readmitted_on, branch_id)"
        " WHERE readmitted_on IS NOT NULL"
    )
    # A re-admitted member's first admission was overwritten by the re-admission before this
    # release; it survives as the admission of the period closed then (past_spells).
    db.execute(
        """
        UPDATE members SET readmitted_on = admitted_on, admitted_on = coalesce((
            SELECT s.admitted_on FROM past_spells s WHERE s.member_id = members.id
             ORDER BY s.joined_roll_on, s.id LIMIT 1), admitted_on)
         WHERE id IN (SELECT member_id FROM events WHERE kind = 'readmitted')
        """
    )
