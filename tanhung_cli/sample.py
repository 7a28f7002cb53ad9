"""The bundled Tân Hùng sample registry: where its files live, and loading them.

A wheel carries the repository's top-level ``data/`` as ``tanhung_cli/_data``
(see pyproject.toml); an editable install reads the repository's ``data/``.
Branches, members, courses and enrolments are loaded by the importer, exactly as
`tanhung import` loads a clerk's files; terms and targets by the domain operations
of `term add` and `target set`.
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tanhung_cli import sample_support, terms
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Conflict, FileProblem, Invalid
from tanhung_cli.history import write_transaction

FILES = (
    "branches.csv", "members.csv", "terms.csv", "courses.csv", "enrolments.csv",
    "meetings.csv", "attendance.csv",  # meetings (#13)
    "funds.csv", "fund_capital.csv", "loans.csv", "repayments.csv",  # support (#13)
    "gaps.csv",  # periods not counted in party age (#14)
)  # fmt: skip
TERM = "2015-2020"


def sample_dir() -> Path:
    """The folder holding the sample's CSV files; FileProblem if it is not installed."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_data" / "sample", package.parent / "data" / "sample"):
        if all((candidate / name).is_file() for name in FILES):
            return candidate
    raise FileProblem("demo.no_sample", path=str(package / "_data" / "sample"))


@dataclass
class Loaded:
    branches: int = 0
    members: int = 0
    terms: int = 0
    courses: int = 0
    enrolments: int = 0
    meetings: int = 0
    attendance: int = 0
    loans: int = 0
    repayments: int = 0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _optional(path: Path) -> list[dict[str, str]]:
    """A sample file a folder may leave out (a registry built from part of the sample)."""
    return _rows(path) if path.exists() else []


def _day(text: str) -> dt.date:
    return vn.parse_date(text, allow_future=True)


def is_empty(conn: sqlite3.Connection) -> bool:
    """Whether the registry holds no branch and no member yet."""
    return not conn.execute(
        "SELECT 1 FROM branches UNION ALL SELECT 1 FROM members LIMIT 1"
    ).fetchone()


def load_terms(conn: sqlite3.Connection, path: Path) -> int:
    """The terms of ``terms.csv``: name, first day, last day, admissions target."""
    rows = _rows(path)
    for row in rows:
        name, start, end, target = list(row.values())[:4]
        terms.add_term(conn, name, _day(start), _day(end))
        if target:
            terms.set_target(conn, name, "admissions", float(target))
    return len(rows)


def _import(conn: sqlite3.Connection, path: Path, target: Any) -> int:
    """One file through the importer, exactly as `tanhung import …` runs it."""
    from tanhung_cli.importer import ImportRefused, Options, run_import

    problems: list[str] = []
    try:
        summary = run_import(conn, path, target, Options(), problems.append)
    except ImportRefused:
        raise Invalid("demo.rejected", detail="; ".join(problems[:3])) from None
    return summary.added


def load_branches(conn: sqlite3.Connection, path: Path) -> int:
    """The branches of ``branches.csv`` (Tên chi bộ, Loại), through `import branches`."""
    from tanhung_cli.importer.branches import BranchImport

    return _import(conn, path, BranchImport())


def load_members(conn: sqlite3.Connection, path: Path) -> int:
    """The members of ``members.csv`` (Vietnamese headers), through `import members`."""
    from tanhung_cli.importer.members import MemberImport

    return _import(conn, path, MemberImport(conn))


def load_courses(conn: sqlite3.Connection, path: Path) -> int:
    """The courses of ``courses.csv``, through `import courses`."""
    from tanhung_cli.importer.training import CourseImport

    return _import(conn, path, CourseImport())


def load_enrolments(conn: sqlite3.Connection, path: Path) -> int:
    """Who completed which course (members named by CCCD), through `import enrolments`."""
    from tanhung_cli.importer.enrolments import EnrolmentImport

    return _import(conn, path, EnrolmentImport())


def load_meetings(conn: sqlite3.Connection, folder: Path) -> tuple[int, int]:
    """Meetings and who attended (members named by CCCD), through `import meetings` and
    `import attendance` (written by scripts/make_meetings.py)."""
    from tanhung_cli.importer.attendance import AttendanceImport
    from tanhung_cli.importer.meetings import MeetingImport

    held = _import(conn, folder / "meetings.csv", MeetingImport())
    return held, _import(conn, folder / "attendance.csv", AttendanceImport())


def load_gaps(conn: sqlite3.Connection, path: Path) -> int:
    """Periods not counted in party age (``gaps.csv``: name, CCCD, from, to, kind, note), by
    the domain operation of `member gap-add`."""
    from tanhung_cli import gaps

    rows = _rows(path)
    for row in rows:
        _name, cccd, start, end, kind, note = list(row.values())[:6]
        found = conn.execute("SELECT id FROM members WHERE national_id = ?", (cccd,)).fetchone()
        if found is None:
            raise Invalid("demo.rejected", detail=f"{path.name}: {cccd}")
        gaps.add_gap(
            conn,
            found[0],
            gaps.gap_kind(kind),
            _day(start),
            _day(end),
            note=note or None,
            today=dt.date.today(),
        )
    return len(rows)


def load_organisation(conn: sqlite3.Connection, folder: Path) -> int:
    """The level above over time (``levels_above.csv``: the district level until the 2025
    reform), members' moves between branches (``moves.csv``, by CCCD), on their dates, and
    the office's settings (``settings.csv``: the names its documents are headed with)."""
    from tanhung_cli import branch_moves, org_changes, settings

    for row in _optional(folder / "settings.csv"):
        settings.change(conn, row["Khóa"], row["Giá trị"])
    for row in _optional(folder / "levels_above.csv"):
        org_changes.set_level_above(
            conn, row["Cấp ủy cấp trên"], _day(row["Từ ngày"]), row["Quyết định"] or None
        )
    moves = _optional(folder / "moves.csv")
    for row in moves:
        found = conn.execute(
            "SELECT id FROM members WHERE national_id = ?", (row["Số CCCD"],)
        ).fetchone()
        if found is None:
            raise Invalid("demo.rejected", detail=f"moves.csv: {row['Số CCCD']}")
        branch_moves.move(
            conn,
            found[0],
            row["Chi bộ chuyển đến"],
            _day(row["Ngày chuyển"]),
            row["Quyết định"] or None,
        )
    return len(moves)


def load_sample(conn: sqlite3.Connection, folder: Path | None = None) -> Loaded:
    """Build the sample registry into an empty registry, all or nothing."""
    folder = folder or sample_dir()
    out = Loaded()
    with write_transaction(conn):  # empty when the lock is taken, not just before
        if not is_empty(conn):
            raise Conflict("demo.not_empty", path="")
        out.branches = load_branches(conn, folder / "branches.csv")
        out.members = load_members(conn, folder / "members.csv")
        load_gaps(conn, folder / "gaps.csv")
        load_organisation(conn, folder)
        out.terms = load_terms(conn, folder / "terms.csv")
        out.courses = load_courses(conn, folder / "courses.csv")
        out.enrolments = load_enrolments(conn, folder / "enrolments.csv")
        out.meetings, out.attendance = load_meetings(conn, folder)
        out.loans, out.repayments = sample_support.load_support(conn, folder)
    return out
