"""A registry of the release before dated attributes (schema 15) opens, migrates after its
backup, prints every figure it printed before, and `check` states the assumption that
today's values held since each member joined (issue #15)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from tanhung_cli import check, composition, reports, storage
from tanhung_cli.db import open_db

BEFORE = storage.SCHEMA_VERSION - 1  # the release before (the lead renumbers at merge)
DAYS = (dt.date(2005, 12, 31), dt.date(2015, 6, 30), dt.date(2020, 6, 30), dt.date(2025, 12, 31))


def _as_release_before(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP INDEX idx_events_changed")
        c.execute("DELETE FROM settings WHERE key = 'dated_values_assumed_through'")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm016_attributes'")
        c.execute(f"PRAGMA user_version = {BEFORE}")


def _figures(path: Path) -> dict[str, Any]:
    conn = open_db(path)
    try:
        out: dict[str, Any] = {}
        for day in DAYS:
            sc = reports.scope(conn, as_of=day)
            out[day.isoformat()] = {
                "summary": reports.summary(conn, sc),
                "composition": composition.composition(conn, sc),
                "roster": composition.roster(conn, sc),
            }
        return out
    finally:
        conn.close()


def test_a_registry_of_the_release_before_migrates_and_keeps_every_figure(
    sample_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    before = _figures(path)
    _as_release_before(path)
    after = _figures(path)  # opening migrates
    assert after == before
    assert len(list(tmp_path.glob(f"tanhung.before-schema-{BEFORE + 1}.*.db"))) == 1
    conn = open_db(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        notes = [n for n in check.check(conn).notes if n.key == "dated.assumed"]
        members = conn.execute("SELECT count(*) FROM members WHERE voided_at IS NULL").fetchone()
        assert [n.params["count"] for n in notes] == [members[0]]
        assert "hold since they joined" in notes[0].message("en")
    finally:
        conn.close()


def test_a_new_registry_states_no_assumption(sample_db: Path) -> None:
    conn = open_db(sample_db)
    try:
        assert [n for n in check.check(conn).notes if n.key == "dated.assumed"] == []
    finally:
        conn.close()
