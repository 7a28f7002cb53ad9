"""`member void-event` says exactly what it can undo (bug of session 8: its refusal listed
confirmations, exemptions and leavings, not the moves between branches and dated changes
it also undoes). The list is made from `void_events.UNDOABLE`, the table the code decides
with: every kind there is undone (or refused for another reason), every other refused
with that list.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import void_events
from tanhung_cli.i18n import catalogue, t
from tests.conftest import Run


@pytest.fixture
def db_path(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copy(sample_db, path)
    return path


def events(db_path: Path, member: int) -> dict[str, int]:
    """The member's latest event of each kind."""
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT kind, max(id) FROM events WHERE member_id = ? GROUP BY kind", (member,)
        )
        return dict(rows.fetchall())


def test_every_kind_undone_has_its_words() -> None:
    assert set(void_events.UNDOABLE) >= {"confirmed", "exempted", "left", "moved", "changed"}
    for kind in void_events.UNDOABLE:
        entry = catalogue().get(f"bugs.void.kind.{kind}")
        assert entry and entry["vi"] and entry["en"], kind


def test_the_refusal_lists_moves_and_dated_changes(run: Run, db_path: Path) -> None:
    imported = events(db_path, 43)["imported"]
    result = run("member", "void-event", "43", str(imported), "--reason", "thử")
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "chuyển chi bộ bằng member move" in message
    assert "thay đổi thông tin có ngày hiệu lực (member edit --on)" in message
    english = run("member", "void-event", "43", str(imported), "--reason", "x", lang="en")
    text = " ".join(english.stderr.split())
    assert text.startswith(f"Event {imported} (")
    assert "a move between branches made with member move" in text
    assert "a dated change of an attribute (member edit --on)" in text
    assert void_events.undoable().in_lang("en") in text


def test_what_it_says_it_undoes_it_undoes(run: Run, db_path: Path) -> None:
    """A move (member move) and a dated change are undone; a kind not listed is refused."""
    steps = (
        ("member", "move", "43", "--to", "Ấp Chợ", "--on", "01/03/2024"),
        ("member", "edit", "43", "--theory", "Trung cấp", "--on", "01/05/2024"),
        ("member", "exempt", "43", "--on", "01/06/2024"),
    )
    for words in steps:
        assert run(*words).exit_code == 0
    found = events(db_path, 43)
    seen = set()
    for kind in ("exempted", "changed", "moved", "imported"):  # latest first
        result = run("member", "void-event", "43", str(found[kind]), "--reason", "ghi nhầm")
        if kind in void_events.UNDOABLE:
            assert result.exit_code == 0, (kind, result.output)
            seen.add(kind)
        else:
            assert result.exit_code == 1
            assert void_events.undoable().in_lang("vi") in " ".join(result.stderr.split())
    assert seen == {"exempted", "changed", "moved"}
    assert t("bugs.void.kind.moved") in void_events.undoable().in_lang("vi")
