"""The composition of the roll (cơ cấu đảng viên) and the branch roster (danh sách đảng viên).

Like ``reports``: SQL groups, Python reshapes; no printing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import education, roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.readmission_rules import current_admission
from tanhung_cli.reports import AGE_BANDS, AGE_SQL, Scope
from tanhung_cli.vocab import vocabulary

# Dimensions of the composition report: (key, column of members, vocabulary).
DIMENSIONS = (
    ("ethnicity", "m.ethnicity", "ethnicity"),
    ("religion", "m.religion", "religion"),
    ("theory_level", "m.theory_level", "theory_level"),
    ("professional_level", "m.professional_level", "professional_level"),
)


def _grouped(conn: sqlite3.Connection, sc: Scope, expr: str) -> dict[Any, dict[str, int]]:
    counts: dict[Any, dict[str, int]] = {}
    for value, gender, n in conn.execute(
        f"SELECT {expr}, m.gender, count(*) FROM members m"
        f" WHERE {roll.ON_ROLL}{sc.where_branch()} GROUP BY 1, 2",
        sc.params(),
    ):
        c = counts.setdefault(value, {"men": 0, "women": 0})
        c["women" if gender == "female" else "men"] += n
    return counts


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
    for key, column, vocab_name in DIMENSIONS:
        counts = _grouped(conn, sc, column)
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
        for code, c in education.general_groups(_grouped(conn, sc, "m.general_education"))
    ]
    languages = _grouped(conn, sc, "m.foreign_language")
    out["foreign_language"] = [_row(n, c) for n, c in education.language_groups(languages)]
    ages = _grouped(conn, sc, AGE_SQL)
    bands = []
    for label, low, high in AGE_BANDS:
        c = {"men": 0, "women": 0}
        for age, by_sex in ages.items():
            if age is not None and low <= age <= high:
                c["men"] += by_sex["men"]
                c["women"] += by_sex["women"]
        bands.append(_row(label.strip(), c))
    out["age"] = bands
    uncertain = _uncertain_ages(conn, sc)
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
    conn: sqlite3.Connection, sc: Scope, *, include_left: bool = False
) -> list[dict[str, Any]]:
    """The members of the branch (or of all branches) at ``as_of``, as the official list form.

    Columns: No., name, sex, birth date, ethnicity, religion, home town, the education
    scales (general, professional, foreign language) and theory level, dates joined and
    official, card number, transfers and leaving.
    """
    where = roll.STARTED if include_left else roll.ON_ROLL
    rows = conn.execute(
        f"SELECT m.*, b.name AS branch_name, {roll.EXEMPT} AS is_exempt, {roll.AWAY} AS is_away"
        " FROM members m JOIN branches b ON b.id = m.branch_id"
        f" WHERE {where}{sc.where_branch()} ORDER BY b.kind != 'hamlet', b.name_key,"
        " m.sort_key, m.id",
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
                "religion": vocabulary("religion").label(m["religion"]),
                "home_town": m["home_town"],
                "general_education": vocabulary("general_education").label(m["general_education"]),
                "professional_level": vocabulary("professional_level").label(
                    m["professional_level"]
                ),
                "foreign_language": m["foreign_language"],
                "theory_level": vocabulary("theory_level").label(m["theory_level"]),
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
    return out
