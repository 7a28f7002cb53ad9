"""The composition of the roll (cơ cấu đảng viên) and the branch roster (danh sách đảng viên).

Like ``reports``: SQL groups, Python reshapes; no printing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import education, org, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.dated_values import DATED_FIELDS, changed_after, value_at
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.reports import AGE_BANDS, Scope
from tanhung_cli.vocab import vocabulary

# Dimensions of the composition report: (key, column of members, vocabulary).
# The attributes that change over a member's life are read at the date (`dated_values`).
DIMENSIONS = (
    ("ethnicity", "m.ethnicity", "ethnicity"),
    ("religion", value_at("religion"), "religion"),
    ("theory_level", value_at("theory_level"), "theory_level"),
    ("professional_level", value_at("professional_level"), "professional_level"),
)


# The columns of idx_members_composition the roll is grouped by, in its order, with the
# dimension each one is; then the dated ones (`dated_values`).
_COLUMNS = (
    ("ethnicity", "ethnicity"),
    ("gender", None),
    ("religion", "religion"),
    ("theory_level", "theory_level"),
    ("professional_level", "professional_level"),
    ("general_education", "general_education"),
    ("foreign_language", "foreign_language"),
)
_DATED = [c for c, key in _COLUMNS if key and c in DATED_FIELDS]


def _one_pass(
    conn: sqlite3.Connection, sc: Scope
) -> tuple[dict[str, dict[Any, dict[str, int]]], list[dict[str, int]], int]:
    """Every dimension's counts ({value: {men, women}}), the age bands' and how many births
    are known by year or month alone, from one read of idx_members_composition in its
    order (no sort). Age: ``age >= A`` at the date is ``birth_date <= (year - A)-mm-dd``
    (ISO text; a year or month alone compares as `reports.AGE_SQL` reads it). Members whose
    dated attributes changed after the date (`dated_values`: few) are then moved from
    today's value to the value they had."""
    day = sc.as_of.isoformat()
    edges = [low for _, low, _ in AGE_BANDS] + [AGE_BANDS[-1][2] + 1]
    params = sc.params() | {f"age{a}": f"{sc.as_of.year - a:04d}{day[4:]}" for a in edges}
    columns = ", ".join(f"m.{c}" for c, _ in _COLUMNS)
    rows = conn.execute(
        f"SELECT {columns}, count(*), "
        + ", ".join(f"sum(m.birth_date <= :age{a})" for a in edges)
        + f", sum(length(m.birth_date) < 10) FROM members m"
        f" WHERE {roll.ON_ROLL}{sc.where_branch()} GROUP BY {columns}",
        params,
    )
    grouped: dict[str, dict[Any, dict[str, int]]] = {k: {} for _, k in _COLUMNS if k}
    bands = [{"men": 0, "women": 0} for _ in AGE_BANDS]
    partial = 0
    width = len(_COLUMNS)
    for row in rows:
        sex = "women" if row[1] == "female" else "men"
        n = row[width]
        for (_, key), value in zip(_COLUMNS, row, strict=False):
            if key:
                into = grouped[key].setdefault(value, {"men": 0, "women": 0})
                into[sex] += n
        reached = row[width + 1 : width + 1 + len(edges)]
        for i, band in enumerate(bands):
            band[sex] += reached[i] - reached[i + 1]
        partial += row[-1]
    _at_the_date(conn, sc, grouped)
    return grouped, bands, partial


def _at_the_date(
    conn: sqlite3.Connection, sc: Scope, grouped: dict[str, dict[Any, dict[str, int]]]
) -> None:
    """Move the members whose dated attributes changed after the date to their value then."""
    later = " OR ".join(f"m.id IN ({changed_after(f)})" for f in _DATED)
    held = ", ".join(f"m.{f}, {value_at(f)}" for f in _DATED)
    for row in conn.execute(
        f"SELECT m.gender, {held} FROM members m WHERE ({later})"
        f" AND {roll.ON_ROLL}{sc.where_branch()}",
        sc.params(),
    ):
        sex = "women" if row[0] == "female" else "men"
        for i, field in enumerate(_DATED):
            today, then = row[1 + 2 * i], row[2 + 2 * i]
            if today == then:
                continue
            counts = grouped[field]
            counts[today][sex] -= 1
            if not counts[today]["men"] and not counts[today]["women"]:
                del counts[today]
            counts.setdefault(then, {"men": 0, "women": 0})[sex] += 1


def _row(group: str, c: dict[str, int]) -> dict[str, Any]:
    return {"group": group, "men": c["men"], "women": c["women"], "total": c["men"] + c["women"]}


def composition(conn: sqlite3.Connection, sc: Scope, lang: str = "vi") -> dict[str, Any]:
    """Members on the roll by ethnic group, religion, age band, theory level, professional
    qualification, general education (by level) and foreign language.

    Each dimension is a list of rows ``{group, men, women, total}``; groups follow the
    vocabulary's order, and members with no value are counted as "" (not stated).
    """
    out: dict[str, Any] = {"as_of": sc.as_of.isoformat()}
    if sc.branch:
        out["branch"] = sc.branch
    grouped, ages_by_band, partial = _one_pass(conn, sc)
    for key, _column, vocab_name in DIMENSIONS:
        counts = grouped[key]
        vocab = vocabulary(vocab_name)
        order = [c for c in vocab.codes() if c in counts]
        order += sorted(c for c in counts if c not in order and c is not None)
        rows = [_row(vocab.label(code, lang), counts[code]) for code in order]
        if None in counts:
            rows.append(_row("", counts[None]))
        if key == "ethnicity":
            rows.sort(key=lambda r: -r["total"])
        out[key] = rows
    # General education by the level its grade reaches (`education`); foreign language
    # as written.
    general = vocabulary("general_education")
    out["general_education"] = [
        _row(general.label(code, lang), c)
        for code, c in education.general_groups(grouped["general_education"])
    ]
    languages = grouped["foreign_language"]
    out["foreign_language"] = [_row(n, c) for n, c in education.language_groups(languages)]
    out["age"] = [
        _row(label.strip(), c) for (label, _, _), c in zip(AGE_BANDS, ages_by_band, strict=True)
    ]
    uncertain = _uncertain_ages(conn, sc) if partial else 0
    if uncertain:
        out["age_uncertain"] = uncertain
    return out


def _band(age: int) -> int:
    return next((i for i, (_, low, high) in enumerate(AGE_BANDS) if low <= age <= high), -1)


def _uncertain_ages(conn: sqlite3.Connection, sc: Scope) -> int:
    """Members counted in an age band that a birth known by year or month alone leaves
    uncertain: each is counted once, in the band of the first day of that year or month."""
    count = 0
    for (born,) in conn.execute(
        f"SELECT m.birth_date FROM members m WHERE {roll.ON_ROLL}{sc.where_branch()}"
        " AND length(m.birth_date) < 10",
        sc.params(),
    ):
        first, last = vn.date_bounds(born)
        count += _band(vn.years_between(first, sc.as_of)) != _band(vn.years_between(last, sc.as_of))
    return count


def roster(
    conn: sqlite3.Connection, sc: Scope, *, include_left: bool = False, book: bool = False
) -> list[dict[str, Any]]:
    """The members of the branch (or of all branches) at ``as_of``, as the official list form
    (``book``: with what only the roster book shows).

    Columns: No., name, sex, birth date, ethnicity, religion, home town, the education
    scales (general, professional, foreign language) and theory level, dates joined and
    official, card number, transfers and leaving.
    """
    where = roll.STARTED if include_left else roll.ON_ROLL
    held = "".join(f", {value_at(f)} AS at_{f}" for f in DATED_FIELDS)  # values at the date
    rows = conn.execute(
        f"SELECT m.*, {org.name_at()} AS branch_name, {roll.EXEMPT} AS is_exempt,"
        f" {roll.AWAY} AS is_away{held} FROM members m JOIN branches b ON b.id = {roll.BRANCH_AT}"
        f" WHERE {where}{sc.where_branch()} ORDER BY b.kind != 'hamlet',"
        f" {org.name_at(column='name_key')}, b.id, m.sort_key, m.id",
        sc.params(),
    ).fetchall()
    day = sc.as_of.isoformat()
    # A member who came back (re-admitted, returned) is listed with the period they were
    # in at the date.
    spells = roll.past_spells_by_member(conn)
    out = []
    for no, m in enumerate(rows, 1):
        period = roll.period_at(m, day, spells.get(m["id"], ())) or m
        transferred_in = (
            period["joined_roll_on"]
            if period["joined_roll_on"] > current_admission(period)
            else None
        )
        left = period["left_on"] if period["left_on"] and period["left_on"] <= day else None
        out.append(
            {
                "no": no,
                "id": m["id"],
                "full_name": m["full_name"],
                "gender": vocabulary("gender").label(m["gender"]),
                "birth_date": m["birth_date"],
                "ethnicity": vocabulary("ethnicity").label(m["ethnicity"]),
                "religion": vocabulary("religion").label(m["at_religion"]),
                "home_town": m["home_town"],
                "general_education": vocabulary("general_education").label(
                    m["at_general_education"]
                ),
                "professional_level": vocabulary("professional_level").label(
                    m["at_professional_level"]
                ),
                "foreign_language": m["at_foreign_language"],
                "theory_level": vocabulary("theory_level").label(m["at_theory_level"]),
                "branch": m["branch_name"],
                "admitted_on": period["admitted_on"],
                "readmitted_on": m["readmitted_on"] if period is m else None,
                "official_on": period["official_on"]
                if (period["official_on"] or "9") <= day
                else None,
                "card_no": m["card_no"],
                "transferred_in_on": transferred_in,
                "left_on": left,
                "left_reason": vocabulary("leave_reason").label(period["left_reason"])
                if left
                else None,
                "status": roll.status(m, day, spells.get(m["id"], ())),
                # The standing as lists show it: the member's, where it holds at the date.
                "exempt_since": m["exempt_since"] if m["is_exempt"] else None,
                "away_since": m["away_since"] if m["is_away"] else None,
                "away_to": m["away_to"] if m["is_away"] else None,
            }
        )
        if book:  # the roster book's columns (Mẫu 7-HSĐV, render/roster_book.py)
            out[-1] |= {
                "profession": m["profession"],
                "file_no": m["file_no"],
                "came_from": m["came_from"] if transferred_in else None,
                "left_code": period["left_reason"] if left else None,
            }
    return out
