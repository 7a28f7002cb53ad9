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
