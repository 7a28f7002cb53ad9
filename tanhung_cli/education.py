"""Education as separate scales (issue #14 point 11), and the THCS rule of admission.

A member's record keeps four scales, as the member file (lý lịch đảng viên) does:
general education (giáo dục phổ thông), professional qualification (chuyên môn nghiệp
vụ), political theory (``theory_level``) and foreign language (ngoại ngữ, free text).

General education is kept as written: a grade completed, "9/12" in the 12-year system or
"7/10" in the former 10-year system of the North, or a level alone ("THCS") when the
record says no more. A grade reaches a level by its system: 12-year 5 / 9 / 12 and
10-year 4 / 7 / 10 complete primary / lower secondary / upper secondary (so 7/10 counts
as 9/12 does; nothing is converted or stored twice).

The single scale of registries before the split put "Đại học" where "9/12" belongs: a
file or option still giving a professional level in the general column has it read into
the professional scale (migration 10 does the same for stored values). The general
education of those members is then unknown, never guessed: `check` counts them.

Admission (Quy định 294-QĐ/TW 2025, Điều 1, point 1.2 "Về trình độ học vấn", as Quy
định 232-QĐ/TW, Điều 1, before it): the person admitted has lower secondary education
(tốt nghiệp THCS) or more; the mountain, island, ethnic-minority and hardship areas, and
other cases the Secretariat's guidance allows, are exceptions, recorded on the member
(``education_exception``, naming the decision or the area). A warning, not a refusal:
the admission is a decision already taken. It applies to admissions from the setting
``education_checked_from`` on (default 20/01/2025, Quy định 232-QĐ/TW); older records
are history and are not warned.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tanhung_cli import cells
from tanhung_cli.cells import memo_key
from tanhung_cli.problems import Count, Problem, Term, dated
from tanhung_cli.vocab import UnknownValue, lookup_key, vocabulary

if TYPE_CHECKING:
    from tanhung_cli.rules import Context

LEVELS = ("below-primary", "primary", "lower-secondary", "upper-secondary")
# The grade that completes each level, by the system's number of grades.
COMPLETES = {12: (5, 9, 12), 10: (4, 7, 10)}
_GRADE = re.compile(r"^(?:lop)?(\d{1,2})/(10|12)$")
# A professional level of these reaches lower secondary: trung cấp and above admit only
# those who finished THCS (Luật Giáo dục nghề nghiệp 2014, art. 32 and 33).
ABOVE_LOWER_SECONDARY = frozenset(
    {"vocational", "college", "university", "master", "doctor", "postgraduate"}
)
SETTING = "education_checked_from"
DEFAULT_CHECKED_FROM = "2025-01-20"
# The member's values the admission rule reads: an edit of one of them is re-checked.
WATCHED = frozenset(
    {"general_education", "professional_level", "education_exception", "admitted_on"}
)
Answer = tuple[str | None, str | None, str | None, Mapping[str, Any]]


def grade(code: str | None) -> tuple[int, int] | None:
    """(grade, system) of a stored grade ("9/12" → (9, 12)); None for a level or nothing."""
    match = _GRADE.match(code or "")
    return (int(match[1]), int(match[2])) if match else None


def level(code: str | None) -> str | None:
    """The level a stored general-education value reaches; None when not recorded."""
    if not code:
        return None
    found = grade(code)
    if found is None:
        return code if code in LEVELS else None
    number, system = found
    reached = sum(number >= g for g in COMPLETES[system])
    return LEVELS[reached]


def has_lower_secondary(general: str | None, professional: str | None) -> bool | None:
    """Whether the member finished lower secondary (THCS); None when nothing tells."""
    reached = level(general)
    if reached and LEVELS.index(reached) >= LEVELS.index("lower-secondary"):
        return True
    if professional in ABOVE_LOWER_SECONDARY:
        return True
    return False if reached else None


def read_general(value: object) -> Answer:
    """(general, professional, problem key, params) for a general-education cell."""
    text = cells.text(value)
    if not text:
        return None, None, None, {}
    key = lookup_key(text)
    match = _GRADE.match(key)
    if match:
        number, system = int(match[1]), int(match[2])
        if not 1 <= number <= system:
            return None, None, "education.bad_grade", {"value": text, "system": system}
        return f"{number}/{system}", None, None, {}
    try:
        return vocabulary("general_education").resolve(text).code, None, None, {}
    except UnknownValue as general:
        try:  # the single scale of old files: "Đại học" in the education column
            return None, vocabulary("professional_level").resolve(text).code, None, {}
        except UnknownValue as professional:
            hint = ", ".join((*general.suggestions, *professional.suggestions)[:3])
            if hint:
                return None, None, "rule.unknown_value_hint", {"value": text, "hint": hint}
            return None, None, "rule.unknown_value", {"value": text}


def read(
    get: Callable[[str], object], rec: dict[str, Any], problems: list[Problem], ctx: Context
) -> None:
    """The validator's hook (`rules.validate_member`): the general-education cell read
    into ``rec`` (a professional level in it goes to the professional scale), and the
    exception to the THCS rule."""
    value = get("education_exception")
    if value is not None and value != "":
        rec["education_exception"] = cells.text(value) or None
    value = get("general_education")
    if value is None or value == "":
        return
    key = value if type(value) is str else memo_key(value)
    general, professional, problem, params = ctx.memo["schooling"].get(key) or ctx.remember(
        "schooling", key, read_general(value)
    )
    if problem:
        problems.append(Problem(problem, params, "general_education"))
    rec["general_education"] = general
    if professional:
        given = rec.get("professional_level")
        if given and given != professional:
            params = {
                "value": Term(("professional_level", professional)),
                "other": Term(("professional_level", given)),
            }
            problems.append(Problem("education.two_professional", params, "general_education"))
        else:
            rec["professional_level"] = professional


def checked_from(conn: sqlite3.Connection) -> str:
    """The first admission date the THCS rule is checked on (a setting; ISO date)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    return str(row[0]) if row and row[0] else DEFAULT_CHECKED_FROM


def admission_problem(member: Mapping[str, Any], since: str) -> Problem | None:
    """A warning when an admission from ``since`` on has no THCS and no recorded exception
    (Quy định 294-QĐ/TW, Điều 1, point 1.2)."""
    admitted = member.get("readmitted_on") or member.get("admitted_on")
    if not admitted or admitted < since or member.get("education_exception"):
        return None
    general = member.get("general_education")
    found = has_lower_secondary(general, member.get("professional_level"))
    if found:
        return None
    if found is None:
        return Problem("education.not_recorded", {}, "general_education")
    value = Term(("general_education", general or ""))
    return Problem("education.below_lower_secondary", {"value": value}, "general_education")


def notes(conn: sqlite3.Connection) -> list[Problem]:
    """What `check` tells of education: members whose general education is unknown though
    a professional level is recorded (the single scale kept only that), and each admission
    from the setting's date on without THCS nor a recorded exception."""
    found = []
    unknown = conn.execute(
        "SELECT count(*) FROM members WHERE general_education IS NULL"
        " AND professional_level IS NOT NULL AND voided_at IS NULL"
    ).fetchone()[0]
    if unknown:
        found.append(Problem("education.check_general_unknown", {"count": Count(unknown)}))
    since = checked_from(conn)
    rows = conn.cursor()
    rows.row_factory = None  # tuples: a national roll's recent admissions are many
    rows.execute(
        "SELECT id, full_name, admitted_on, readmitted_on, general_education,"
        " professional_level, education_exception FROM members"
        " WHERE coalesce(readmitted_on, admitted_on) >= ? AND education_exception IS NULL"
        " AND voided_at IS NULL"
        " ORDER BY id",
        (since,),
    )
    # The note depends on the member's education and dates alone: each kind worked out once.
    kinds: dict[tuple[Any, ...], Problem | None] = {}
    days: dict[str, Any] = {}
    for member_id, name, admitted_on, readmitted_on, general, professional, exception in rows:
        admitted = readmitted_on or admitted_on
        kind = (bool(admitted) and admitted >= since, bool(exception), general, professional)
        if kind not in kinds:
            member = {
                "admitted_on": admitted_on,
                "readmitted_on": readmitted_on,
                "general_education": general,
                "professional_level": professional,
                "education_exception": exception,
            }
            problem = admission_problem(member, since)
            kinds[kind] = problem and replace(
                problem,
                key=problem.key.replace("education.", "education.check_"),
                params={**problem.params, "since": dated(since)},
                column=None,
            )
        note = kinds[kind]
        if note:
            day = days.get(admitted) or days.setdefault(admitted, dated(admitted))
            params = {**note.params, "admitted": day}
            found.append(Problem(note.key, params, None, note.line, member_id, name, note.file))
    return found


def general_groups(counts: Mapping[Any, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Counts by stored general-education value folded into levels, lowest first; the
    members not recorded last as "" (`composition`)."""
    by_level: dict[str, dict[str, int]] = {}
    for code, c in counts.items():
        reached = level(code) or ""
        into = by_level.setdefault(reached, {"men": 0, "women": 0})
        into["men"] += c["men"]
        into["women"] += c["women"]
    order = [lv for lv in (*LEVELS, "") if lv in by_level]
    return [(lv, by_level[lv]) for lv in order]


def language_groups(counts: Mapping[Any, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Counts by foreign language as written, spellings that differ only in case, marks
    or spacing together (the first seen names the group); most first, "" last."""
    groups: dict[str, tuple[str, dict[str, int]]] = {}
    for text, c in sorted(counts.items(), key=lambda item: item[0] or ""):
        key = lookup_key(text) if text else ""
        name, into = groups.setdefault(key, (text or "", {"men": 0, "women": 0}))
        into["men"] += c["men"]
        into["women"] += c["women"]
    rows = sorted(groups.values(), key=lambda g: (not g[0], -g[1]["men"] - g[1]["women"], g[0]))
    return rows
