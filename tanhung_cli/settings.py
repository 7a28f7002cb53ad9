"""Rules that may change, kept in the registry's ``settings`` table, not in code."""

from __future__ import annotations

import sqlite3

from tanhung_cli.rules import Limits

DEFAULTS = {
    "min_age_months": Limits.min_age_months,
    "max_age_months": Limits.max_age_months,
    "probation_months": Limits.probation_months,
    "partial_dates_before": Limits.partial_dates_before,
    "age_by_calendar_month": Limits.age_by_calendar_month,
}


def limits(conn: sqlite3.Connection) -> Limits:
    """The age and probation limits in force for this registry, and the year before which
    a date of the roll may be known by its year or month alone (old records)."""
    stored = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    values = {k: int(stored.get(k, v)) for k, v in DEFAULTS.items()}
    return Limits(**values)
