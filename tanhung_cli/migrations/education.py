"""Migration 10: education as separate scales (issue #14 point 11). Never edit it once
shipped: add a new one (`migrations/__init__.py` lists them in order).

The single ``education`` column held general and professional levels on one scale. It
becomes ``general_education``; the professional values it held (trung cấp, cao đẳng, đại
học, sau đại học) move, unchanged, to the new ``professional_level``, so every value
stays, on its own scale. The general education of those members was never recorded: it
stays empty (unknown, counted by `check`), never guessed. Foreign language and the
exception to the THCS rule of admission are new and empty.
"""

from __future__ import annotations

from sqlite_utils import Database

# The codes of the single scale that were professional levels (the same codes now).
PROFESSIONAL = ("vocational", "college", "university", "postgraduate")


def m012_education(db: Database) -> None:
    db.execute("ALTER TABLE members RENAME COLUMN education TO general_education")
    members = db.table("members")
    members.add_column("professional_level", str)  # vocabulary professional_level
    members.add_column("foreign_language", str)  # as written: "Tiếng Anh B1"
    members.add_column("education_exception", str)  # why an admission without THCS stands
    marks = ", ".join("?" for _ in PROFESSIONAL)
    db.execute(
        "UPDATE members SET professional_level = general_education, general_education = NULL"
        f" WHERE general_education IN ({marks})",
        PROFESSIONAL,
    )
