"""Migration 10 (on its own branch): the year's rating as Quy định 366-QĐ/TW (30/8/2025) asks.

A rating keeps its score out of 100 beside its grade (QĐ 366 art. 11: the grade follows
the score's band); ratings recorded before have no score and keep their grade. Members
not rated in a year for a reason the registry cannot derive (suspended from activity,
đình chỉ sinh hoạt, or another reason the branch gives) are recorded apart, with it.
Never edit once shipped.
"""

from __future__ import annotations

from sqlite_utils import Database


def m014_rating(db: Database) -> None:
    db.table("ratings").add_column("score", float)  # 0-100; NULL for a grade without a score
    db.table("rating_exclusions").create(
        {"member_id": int, "year": int, "reason": str, "note": str, "branch_id": int},
        pk=("member_id", "year"),
        not_null={"reason"},
        foreign_keys=[("member_id", "members", "id"), ("branch_id", "branches", "id")],
    )
