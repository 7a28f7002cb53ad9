"""The one declaration of a member's fields, and what is derived from it (#12, point 1)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import Run
from sqlite_utils import Database

from tanhung_cli import columns, exporter, member_schema, members, migrations, rules
from tanhung_cli.i18n import t
from tanhung_cli.importer import member_record


def test_every_stored_field_has_its_column(conn: sqlite3.Connection) -> None:
    stored = {row[1] for row in conn.execute("PRAGMA table_info(members)")}
    assert {f.column for f in member_schema.FIELDS if f.column} <= stored
    assert set(member_record.LAYOUT) <= stored


def test_the_sets_are_derived_from_the_schema() -> None:
    names = [f.name for f in member_schema.FIELDS]
    assert [c.name for c in columns.MEMBER_COLUMNS] == names
    assert list(exporter.EXPORT_COLUMNS) == [*names, "status"]
    assert dict(rules.VOCAB_COLUMNS) == {
        f.name: f.vocab for f in member_schema.FIELDS if f.kind == "vocab"
    }
    assert set(members.STORED_FIELDS) <= set(rules.RECORD)
    assert members.UNIQUE_COLUMNS == member_record.KEYS == ("card_no", "national_id", "file_no")
    assert member_record.LAYOUT[-2:] == ("joined_roll_on", "presence")
    options = {f.param: f.name for f in member_schema.options("edit")}
    assert len(options) == len(member_schema.options("edit"))
    assert options["cccd"] == "national_id"


def test_the_commands_take_the_schema_options(run: Run) -> None:
    for command in ("add", "edit", "transfer-in"):
        shown = run("member", command, "--help").stdout
        for field in member_schema.options(command):
            assert field.option in shown, (command, field.option)


def test_labels_come_from_the_schema() -> None:
    for field in member_schema.FIELDS:
        assert t("column." + field.name, lang="vi") == field.vi
        assert t("column." + field.name, lang="en") == field.name
    assert t("column.branch_id", lang="vi") == "Chi bộ"


def test_members_away_before_the_migration_are_filled_in(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    for migration in migrations.migrations._migrations[:4]:  # a registry of version 4
        migration.fn(db)
    db.execute(
        "INSERT INTO branches (id, name, name_key, kind) VALUES (1, 'Ấp Chợ', 'ap cho', 'x')"
    )
    for member_id in (1, 2, 3):
        db.execute(
            "INSERT INTO members (id, full_name, name_key, sort_key, gender, birth_date,"
            " ethnicity, branch_id, admitted_on, joined_roll_on) VALUES"
            " (?, 'Lê Văn Tư', 'le van tu', 'tu', 'M', '1980-01-01', '01', 1, '2010-01-01',"
            " '2010-01-01')",
            [member_id],
        )
    events = [(1, "2020-01-01", "transferred_out_temporary", "Xã Tân Hòa"),
              (2, "2020-01-01", "transferred_out_temporary", "Xã Tân Hòa"),
              (2, "2021-01-01", "returned", None), (3, "2021-01-01", "exempted", None)]  # fmt: skip
    for event in events:
        db.execute("INSERT INTO events (member_id, on_date, kind, new) VALUES (?, ?, ?, ?)", event)
    migrations.roll.m005_away(db)
    found = db.execute("SELECT id, away_since, away_to, away_until FROM members ORDER BY id")
    assert found.fetchall() == [
        (1, "2020-01-01", "Xã Tân Hòa", None),
        (2, None, None, None),
        (3, None, None, None),
    ]
