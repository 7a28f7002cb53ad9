"""Migration 15 (on its own branch): the register of Party badges (sổ Huy hiệu Đảng).

One row per badge awarded: the member, the level in years of party age, the presentation
date, the badge number and decision, and its kind (regular, early for serious illness,
posthumous: truy tặng). A badge entered by mistake is voided with a reason, never
deleted. Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m015_badges(db: Database) -> None:
    db.table("badges").create(
        {
            "id": int,
            "member_id": int,
            "years": int,
            "presented_on": str,
            "badge_no": str,
            "decision": str,
            "kind": str,  # regular | early | posthumous
            "note": str,  # the illness of an early award
            "void_reason": str,  # set when voided (entered by mistake)
        },
        pk="id",
        not_null={"member_id", "years", "presented_on", "kind"},
        foreign_keys=[("member_id", "members", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX badges_level ON badges (member_id, years) WHERE void_reason IS NULL"
    )
    db.execute(
        "CREATE UNIQUE INDEX badges_number ON badges (badge_no)"
        " WHERE badge_no IS NOT NULL AND void_reason IS NULL"
    )
