"""The audit trail reads in words for moves, dated changes and the organisation's dated
changes (bug of session 8: `tanhung audit` printed "Chi bộ: 2, 1" for a move, the codes of
a dated change, "opened on: …" in Vietnamese): branches by their names, a field by its
label, old → new, the date it took effect in dd/mm/yyyy, in Vietnamese and English.

Every row the sample and the commands below record is rendered, and fails the test when
any part of its detail would print a code (`trail.raw_codes`); every key a module writes
literally into a detail has its label.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tanhung_cli import audit
from tanhung_cli.render import trail
from tests.conftest import Run

COMMANDS = (
    ("member", "move", "43", "--to", "Ấp Chợ", "--on", "01/03/2024", "--decision", "5-QĐ/ĐU"),
    ("member", "edit", "43", "--theory", "Trung cấp", "--on", "01/05/2024"),
    ("member", "edit", "43", "--education", "12/12", "--correction"),
    ("member", "move", "44", "--to", "Ấp Sáu", "--correction"),
    ("branch", "open", "Ấp Mới", "--on", "01/01/2024", "--decision", "1-QĐ/ĐU"),
    ("branch", "rename", "Ấp Mới", "--to", "Ấp Mới Hai", "--on", "01/02/2024"),
    ("branch", "merge", "Ấp Te Te 1", "Ấp Te Te 2", "--into", "Ấp Te Te", "--on", "01/07/2025"),
    ("branch", "split", "Ấp Chợ", "--into", "Ấp Chợ B", "--members", "1,2", "--on", "01/07/2025"),
    ("branch", "close", "Ấp Mới Hai", "--on", "01/10/2025"),
    ("branch", "level-above", "Tỉnh ủy X", "--from", "01/01/2026"),
    ("branch", "level-above", "Tỉnh ủy Y", "--from", "01/01/2026", "--correction"),
    ("branch", "kind-add", "subcommittee", "--vi", "Đảng bộ bộ phận", "--en", "Sub-committee"),
    ("branch", "add", "Ban Chỉ huy", "--kind", "subcommittee"),
    ("member", "exempt", "43", "--on", "01/06/2024", "--note", "Tuổi cao"),
)


@pytest.fixture
def db_path(sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture
def recorded(run: Run, db_path: Path) -> list[dict[str, Any]]:
    for words in COMMANDS:
        result = run(*words)
        assert result.exit_code == 0, (words, result.output)
    with closing(sqlite3.connect(db_path)) as conn:
        conn.row_factory = sqlite3.Row
        rows = audit.entries(conn)
        audit.names(conn, rows)
    return rows


def test_no_recorded_detail_prints_a_code(recorded: list[dict[str, Any]]) -> None:
    raw = {(r["action"], r["entity"]): trail.raw_codes(r) for r in recorded if trail.raw_codes(r)}
    assert raw == {}
    actions = {r["action"] for r in recorded}
    assert {"move", "merge", "split", "open", "close", "rename", "level_above"} <= actions


def _row(run: Run, lang: str, *words: str) -> str:
    shown = run("audit", lang=lang).stdout
    found = [line for line in shown.splitlines() if all(w in line for w in words)]
    assert found, (words, shown)
    return " ".join(found[0].split())


@pytest.mark.usefixtures("recorded")
def test_a_move_reads_the_branch_names_and_its_date(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    vi = _row(run, "vi", "Chuyển chi bộ", "Đảng viên 43")
    assert "Chi bộ: Ấp Nhứt → Ấp Chợ; Có hiệu lực từ: 01/03/2024; Quyết định: 5-QĐ/ĐU" in vi
    en = _row(run, "en", "Moved between branches", "Member 43")
    assert "Branch: Ấp Nhứt → Ấp Chợ; Effective from: 2024-03-01; Decision: 5-QĐ/ĐU" in en


@pytest.mark.usefixtures("recorded")
def test_a_dated_change_reads_its_label_values_and_date(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    vi = _row(run, "vi", "Thay đổi (có ngày hiệu lực)")
    assert "Lý luận chính trị: Sơ cấp → Trung cấp; Có hiệu lực từ: 01/05/2024" in vi
    en = _row(run, "en", "Changed (from a date)")
    assert "Elementary → Intermediate; Effective from: 2024-05-01" in en
    corrected = _row(run, "vi", "Đính chính", "Đảng viên 43")
    assert "5/12 → 12/12" in corrected and "hiệu lực" not in corrected  # a correction: no date


@pytest.mark.usefixtures("recorded")
def test_the_organisation_s_changes_read_in_words(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    assert "Ngày thành lập: 01/01/2024; Quyết định: 1-QĐ/ĐU" in _row(
        run, "vi", "Thành lập chi bộ", "Chi bộ 15"
    )
    assert "Tên: Ấp Mới → Ấp Mới Hai; Ngày: 01/02/2024" in _row(run, "vi", "Đổi tên chi bộ")
    assert "Chi bộ: Ấp Te Te 2 → Ấp Te Te" in _row(run, "vi", "Sáp nhập")
    assert "Tên: Tỉnh ủy X → Tỉnh ủy Y" in _row(run, "vi", "Sửa cấp ủy cấp trên")
    assert "Loại: Chi bộ ấp" in _row(run, "vi", "Thêm", "Ấp Chợ B")
    assert "Loại: Đảng bộ bộ phận" in _row(run, "vi", "Thêm", "Ban Chỉ huy")
    page = run("audit", lang="vi").stdout
    assert not re.search(r"\d{4}-\d\d-\d\d", page)  # every date dd/mm/yyyy


def test_every_key_written_literally_into_a_detail_has_its_label() -> None:
    package = Path(trail.__file__).parents[1]
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    keys: set[str] = set()
    for found in re.finditer(r'record(?:_audit)?\(\s*\w+,\s*"[\w-]+"[^{]{0,120}?\{', code):
        depth, end = 1, found.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(code[end], 0)
            end += 1
        keys |= set(re.findall(r'"(\w+)"\s*:', code[found.end() : end]))
    keys |= {"opened_on", "closed_on", "decision"}  # written as f"{column}_on" (org_changes)
    assert len(keys) >= 20
    assert sorted(k for k in keys if not trail.labelled(k)) == []
