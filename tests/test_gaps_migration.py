"""A registry of the release before gaps (schema 10, no gaps table) opens, migrates after its
backup, keeps every figure of the article, and then records gaps (issue #14 point 7)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from tanhung_cli import due, gaps, reports, reports_term, storage
from tanhung_cli.db import open_db


def _as_release_10(path: Path) -> None:
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP TABLE gaps")
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_gaps'")
        c.execute("PRAGMA user_version = 10")


def _figures(path: Path) -> dict:
    conn = open_db(path)
    try:
        sc = reports.scope(conn, term="2015-2020")
        return {
            "summary": reports.summary(conn, sc),
            "admissions": reports_term.admissions(conn, sc),
            "branches": reports.branches(conn, sc),
            "due": due.due(conn, dt.date(2025, 1, 1), 730),
        }
    finally:
        conn.close()


def test_a_release_10_registry_migrates_with_its_backup_and_keeps_every_figure(
    sample_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "tanhung.db"
    shutil.copy(sample_db, path)
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DELETE FROM gaps")  # the sample's gap: a release without gaps had none
    before = _figures(path)
    assert before["summary"]["members"]["total"] == 301
    _as_release_10(path)
    after = _figures(path)  # opening migrates
    assert after == before
    assert len(list(tmp_path.glob("tanhung.before-schema-11.*.db"))) == 1
    with closing(sqlite3.connect(path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION >= 11
    conn = open_db(path)
    try:
        member = conn.execute(
            "SELECT id FROM members WHERE official_on < '2000' AND left_on IS NULL LIMIT 1"
        ).fetchone()[0]
        gaps.add_gap(
            conn, member, "lost-contact", dt.date(2001, 1, 1), dt.date(2001, 1, 31),
            today=dt.date(2026, 12, 3),
        )  # fmt: skip
        assert [g.days for g in gaps.gaps_of(conn, member)] == [31]
    finally:
        conn.close()
