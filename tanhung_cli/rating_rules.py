"""The rules of the year's rating under Quy định 366-QĐ/TW (30/8/2025), kept as settings.

- A score out of 100 (QĐ 366 art. 10: criteria scored on a 100-point scale) gives the
  grade by its band (art. 11): hoàn thành xuất sắc from 90, tốt from 70 to under 90,
  hoàn thành from 50 to under 70, không hoàn thành under 50. Art. 11 also asks further
  conditions of each grade (tasks done on time, no discipline…), so a grade may be
  LOWER than the score's band, never higher.
- From the first year rated under QĐ 366 (setting ``rating_score_from``, 2025) a rating
  needs its score and the members not rated are told apart (exempted, suspended, admitted
  or transferred in fewer than ``rating_new_months`` / ``rating_transfer_months`` months
  before the rating date, 31/12 unless ``rating_day`` says "MM-DD"). Earlier years keep
  what the branch recorded: a grade alone, as QĐ 132 and QĐ 124 knew it.
- The cap on "xuất sắc" (20 % of "tốt") is counted over the whole committee, or per
  branch when ``rating_cap_unit`` is "branch".
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from tanhung_cli import roll
from tanhung_cli import vietnamese as vn
from tanhung_cli.errors import Invalid
from tanhung_cli.problems import Number, Term

LEVELS = ("excellent", "good", "done", "failed")  # best first
REASONS = ("exempt", "suspended", "new", "transferred_in", "other")
RECORDED_REASONS = ("suspended", "other")  # those a clerk records; the rest are derived
DEFAULTS: dict[str, Any] = {
    "rating_score_from": 2025,
    "rating_band_excellent": 90.0,
    "rating_band_good": 70.0,
    "rating_band_done": 50.0,
    "rating_new_months": 6,
    "rating_transfer_months": 6,
    "rating_day": "12-31",
    "rating_cap_unit": "committee",
}
_SCORE = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


@dataclass(frozen=True)
class Rules:
    score_from: int
    bands: tuple[float, float, float]  # excellent, good, done: the lowest score of each
    new_months: int
    transfer_months: int
    day: str  # MM-DD
    cap_unit: str  # committee | branch

    def rating_date(self, year: int) -> dt.date:
        try:
            return dt.date.fromisoformat(f"{year}-{self.day}")
        except ValueError:
            return dt.date(year, 12, 31)

    def grade_for(self, score: float) -> str:
        """The grade a score's band gives (QĐ 366 art. 11)."""
        return next(
            (lv for lv, low in zip(LEVELS, self.bands, strict=False) if score >= low), "failed"
        )

    def under_qd366(self, year: int) -> bool:
        return year >= self.score_from


DEFAULT_CAP_PERCENT = 20.0


def cap_percent(conn: sqlite3.Connection) -> float:
    """The cap on "xuất sắc", in percent of those rated "tốt" (setting excellent_cap_percent)."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'excellent_cap_percent'").fetchone()
    try:
        return float(row[0]) if row else DEFAULT_CAP_PERCENT
    except ValueError:
        return DEFAULT_CAP_PERCENT


def rules(conn: sqlite3.Connection) -> Rules:
    stored = dict(
        conn.execute("SELECT key, value FROM settings WHERE key LIKE 'rating_%'").fetchall()
    )

    def get(key: str) -> Any:
        default = DEFAULTS[key]
        try:
            return type(default)(stored.get(key, default))
        except ValueError:
            return default

    unit = get("rating_cap_unit")
    return Rules(
        score_from=get("rating_score_from"),
        bands=(get("rating_band_excellent"), get("rating_band_good"), get("rating_band_done")),
        new_months=get("rating_new_months"),
        transfer_months=get("rating_transfer_months"),
        day=get("rating_day"),
        cap_unit=unit if unit in ("committee", "branch") else "committee",
    )


def parse_score(text: str | float | None) -> float | None:
    """A score typed or read from a file: 0 to 100, at most two decimals ("92,5" or "92.5")."""
    if text is None or (isinstance(text, str) and not vn.clean(text)):
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        text = repr(round(float(text), 6)).removesuffix(".0")
    value = vn.clean(str(text))
    if not _SCORE.match(value) or float(value.replace(",", ".")) > 100:
        raise Invalid("rating.bad_score", value=value[:20])
    return float(value.replace(",", "."))


def grade_of(r: Rules, year: int, level: str | None, score: float | None) -> str:
    """The grade to record: the typed one, checked against the score, or the score's own."""
    if score is None:
        if level is None:
            raise Invalid("rating.level_or_score", year=year)
        if r.under_qd366(year):
            raise Invalid("rating.score_required", year=year, first=r.score_from)
        return level
    band = r.grade_for(score)
    if level is None:
        return band
    if LEVELS.index(level) < LEVELS.index(band):
        raise Invalid(
            "rating.above_band",
            level=Term(("rating", level)),
            score=Number(score),
            band=Term(("rating", band)),
        )
    return level


def _months_before(day: dt.date, months: int) -> str:
    return vn.add_months(day, -months).isoformat()


def not_rated(conn: sqlite3.Connection, year: int, member_id: int | None = None) -> dict[int, str]:
    """The members on the roll in ``year`` not to be rated, with why: a recorded reason
    (suspended, other), then, from the year QĐ 366 applies, exempt at the rating date,
    admitted or transferred in fewer than the set months before it."""
    r = rules(conn)
    day = r.rating_date(year)
    out: dict[int, str] = {}
    recorded = conn.execute(
        "SELECT member_id, reason FROM rating_exclusions WHERE year = :year"
        " AND (:id IS NULL OR member_id = :id)",
        {"year": year, "id": member_id},
    ).fetchall()
    if r.under_qd366(year):
        params = {
            "as_of": day.isoformat(),
            "id": member_id,
            "new": _months_before(day, r.new_months),
            "moved": _months_before(day, r.transfer_months),
        }
        rows = conn.execute(
            f"SELECT m.id, {roll.EXEMPT} AS exempt,"
            " COALESCE(m.readmitted_on, m.admitted_on) > :new AS new,"
            " EXISTS (SELECT 1 FROM events e WHERE e.member_id = m.id"
            "  AND e.kind = 'transferred_in' AND e.on_date > :moved"
            "  AND e.on_date <= :as_of) AS moved"
            f" FROM members m WHERE {roll.ON_ROLL} AND (:id IS NULL OR m.id = :id)",
            params,
        ).fetchall()
        for row in rows:
            reason = next((k for k in ("exempt", "new", "moved") if row[k]), None)
            if reason:
                out[row["id"]] = "transferred_in" if reason == "moved" else reason
    out.update({row["member_id"]: row["reason"] for row in recorded})
    return out
