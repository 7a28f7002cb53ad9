"""Rules that may change, kept in the registry's ``settings`` table, not in code."""

from __future__ import annotations

import sqlite3
from typing import Any

from tanhung_cli import history, setting_keys
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


def stored(conn: sqlite3.Connection) -> dict[str, str]:
    """The settings this registry has set (key: stored text)."""
    return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM settings")}


def _in_force(found: dict[str, str]) -> dict[str, str]:
    return {s.key: found.get(s.key, s.default) for s in setting_keys.SETTABLE}


def in_force(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every setting a clerk may change: its value in force, its default, whether it is set."""
    found = stored(conn)
    return [
        {
            "key": s.key,
            "value": found.get(s.key, s.default),
            "default": s.default,
            "set": s.key in found,
            "kind": s.kind,
            "source": s.source,
        }
        for s in setting_keys.SETTABLE
    ]


def change(conn: sqlite3.Connection, key: str, typed: str) -> tuple[str, str | None, str]:
    """Set ``key`` to what ``typed`` says (checked by its kind), with its audit row.
    Returns the key, the value before (None: the default was in force) and the stored one."""
    declared = setting_keys.find(key)
    value = setting_keys.parse(declared, typed)
    with history.write_transaction(conn):
        found = stored(conn)
        before = found.get(declared.key)
        setting_keys.check_order(declared.key, _in_force(found | {declared.key: value}))
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (declared.key, value),
        )
        detail = {"name": declared.key, "value": value, "old": before}
        history.record(conn, "set-setting", "setting", None, detail)
    return declared.key, before, value


def unset(conn: sqlite3.Connection, key: str) -> tuple[str, str | None, str]:
    """Back to the default: the key, the value it had (None: it was not set), the default."""
    declared = setting_keys.find(key)
    with history.write_transaction(conn):
        found = stored(conn)
        before = found.pop(declared.key, None)
        setting_keys.check_order(declared.key, _in_force(found))
        if before is not None:
            conn.execute("DELETE FROM settings WHERE key = ?", (declared.key,))
            detail = {"name": declared.key, "value": declared.default, "old": before}
            history.record(conn, "unset-setting", "setting", None, detail)
    return declared.key, before, declared.default
