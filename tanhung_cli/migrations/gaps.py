"""Migration 10 (on its own branch): periods not counted in party age.

Time out of contact (mất liên lạc) and an interruption during a transfer (gián đoạn sinh
hoạt khi chuyển) are subtracted from party age (DOMAIN.md §7; QĐ 294-QĐ/TW). Each is a
dated period of one member, both days included. A restoration of membership (khôi phục
đảng tịch) needs no table: it is an event and a period on the roll. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m011_gaps(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            member_id INTEGER NOT NULL REFERENCES members(id),
            kind TEXT NOT NULL,
            from_on TEXT NOT NULL,
            to_on TEXT NOT NULL,
            decision TEXT,
            note TEXT,
            CHECK (from_on <= to_on)
        )
        """
    )
    db.execute("CREATE INDEX idx_gaps_member ON gaps (member_id, from_on)")
