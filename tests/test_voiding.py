"""Issue #15, "Mistakes undone": a member entered twice is voided with a reason; it leaves
every count, list, export and check, stays in `member show`, the history and the audit,
and is never counted as removed (xóa tên); a void can be undone."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tanhung_cli import storage
from tanhung_cli.i18n import t
from tests.conftest import Run
from tests.test_reports import SUMMARY_2020

TWIN = ("member", "add", "--name", "Võ Hoàng Bình", "--gender", "Nam", "--born", "07/08/1942",
        "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "31/01/1969",
        "--official", "31/01/1970")  # fmt: skip


@pytest.fixture
def sample(run: Run, db_path: Path, sample_db: Path) -> Run:
    shutil.copy(sample_db, db_path)
    return run


def _summary(run: Run, *args: str) -> dict[str, object]:
    result = run("report", "summary", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _twin(run: Run) -> int:
    added = run(*TWIN, lang="en")
    assert added.exit_code == 0, added.output
    listed = json.loads(run("member", "find", "Võ Hoàng Bình", "-f", "json").stdout)
    return max(m["id"] for m in listed)


def _ids(run: Run, *args: str) -> set[int]:
    result = run("member", "list", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return {m["id"] for m in json.loads(result.stdout)}


def test_a_voided_duplicate_leaves_every_count_and_check(sample: Run, tmp_path: Path) -> None:
    run = sample
    before_2020 = _summary(run, "-t", "2015-2020")
    assert before_2020 == SUMMARY_2020
    now = _summary(run)
    twin = _twin(run)
    assert _summary(run)["members"]["total"] == now["members"]["total"] + 1  # type: ignore[index]
    check = json.loads(run("check", "--format", "json").stdout)
    assert [p["key"] for p in check if p["key"] == "check.duplicate"] == ["check.duplicate"]

    voided = run("member", "void", str(twin), "--reason", "nhập trùng với mã 1")
    assert voided.exit_code == 0, voided.output
    assert voided.stdout.strip() == t("void.member_done", id=twin, name="Võ Hoàng Bình")
    assert _summary(run) == now
    assert _summary(run, "-t", "2015-2020") == SUMMARY_2020
    assert twin not in _ids(run) and twin not in _ids(run, "--all")
    assert 1 in _ids(run)
    check = json.loads(run("check", "--format", "json").stdout)
    assert "check.duplicate" not in [p["key"] for p in check]
    out = tmp_path / "members.json"
    assert run("export", "members", "-o", str(out), "--format", "json").exit_code == 0
    ids = {m["id"] for m in json.loads(out.read_text(encoding="utf-8"))}
    assert twin not in ids and 1 in ids
    branches = json.loads(run("branch", "list", "-f", "json").stdout)
    cho = next(b for b in branches if b["name"] == "Ấp Chợ")
    assert cho["members"] == _branch_count(run, "Ấp Chợ")


def _branch_count(run: Run, branch: str) -> int:
    """Members counted in the branch: one attending here temporarily is listed, not counted."""
    result = run("member", "list", "--branch", branch, "-f", "json")
    return sum(m["status"] != "temporary" for m in json.loads(result.stdout))


def test_a_voided_record_is_shown_marked_with_its_reason_and_history(sample: Run) -> None:
    run = sample
    twin = _twin(run)
    assert run("member", "void", str(twin), "--reason", "duplicate of 1").exit_code == 0
    shown = run("member", "show", str(twin), lang="en")
    assert shown.exit_code == 0, shown.output
    assert "VOIDED as a mistake on" in shown.stdout and "duplicate of 1" in shown.stdout
    assert "Voided (entered by mistake)" in shown.stdout
    data = json.loads(run("member", "show", str(twin), "-f", "json").stdout)
    assert data["status"] == "voided" and data["void_reason"] == "duplicate of 1"
    history = json.loads(run("member", "history", str(twin), "-f", "json").stdout)
    assert [e["kind"] for e in history["events"]] == ["admitted", "voided"]
    assert history["events"][-1]["note"] == "duplicate of 1"
    listed = json.loads(run("member", "voided", "-f", "json").stdout)
    assert [(m["id"], m["void_reason"]) for m in listed] == [(twin, "duplicate of 1")]
    trail = run("audit", "-f", "json")
    assert trail.exit_code == 0, trail.output
    actions = [(a["action"], a["entity_id"]) for a in json.loads(trail.stdout)]
    assert ("void", twin) in actions


def _leavings(run: Run) -> dict[str, int]:
    result = run("report", "leavings", "-t", "2020-2025", "-f", "json")
    assert result.exit_code == 0, result.output
    return {r["reason"]: r["count"] for r in json.loads(result.stdout)["by_reason"]}


def test_a_void_is_never_a_removal_from_the_party(sample: Run) -> None:
    """Xóa tên is `member leave … removed`: a duplicate whose name a clerk removed by
    mistake, then voided, is in no leaving figure; voiding writes no leaving."""
    run = sample
    before = _leavings(run)
    twin = _twin(run)
    left = run("member", "leave", str(twin), "--reason", "removed", "--removal",
               "abandoned", "--on", "02/01/2024", lang="en")  # fmt: skip
    assert left.exit_code == 0, left.output
    assert _leavings(run)["removed"] == before["removed"] + 1
    assert twin in _ids(run, "--status", "left")
    assert run("member", "void", str(twin), "--reason", "trùng").exit_code == 0
    assert _leavings(run) == before
    assert twin not in _ids(run, "--status", "left")
    events = json.loads(run("member", "history", str(twin), "-f", "json").stdout)["events"]
    assert [e["kind"] for e in events][-1] == "voided"


def test_a_void_is_undone_and_the_record_counts_again(sample: Run) -> None:
    run = sample
    now = _summary(run)
    twin = _twin(run)
    assert run("member", "void", str(twin), "--reason", "trùng").exit_code == 0
    undone = run("member", "unvoid", str(twin), "--reason", "hủy nhầm", lang="en")
    assert undone.exit_code == 0, undone.output
    assert "counts again" in undone.stdout
    assert _summary(run)["members"]["total"] == now["members"]["total"] + 1  # type: ignore[index]
    assert twin in _ids(run)
    events = json.loads(run("member", "history", str(twin), "-f", "json").stdout)["events"]
    assert [e["kind"] for e in events] == ["admitted", "voided", "unvoided"]


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("member", "void", "{twin}", "--reason", "  "), "void.reason_required"),
        (("member", "void", "{twin}"), "void.reason_required"),
        (("member", "unvoid", "{twin}", "--reason", "x"), "void.member_not_voided"),
        (("member", "void", "1", "--reason", "x"), "void.member_has_records"),
    ],
)
def test_refusals_say_why_exit_1_and_change_nothing(
    sample: Run, db_path: Path, args: tuple[str, ...], key: str
) -> None:
    run = sample
    twin = _twin(run)
    trail = len(json.loads(run("audit", "-f", "json").stdout))
    result = run(*(a.format(twin=twin) for a in args), lang="en")
    assert result.exit_code == 1, result.output
    assert result.stdout == "" and "Traceback" not in result.output
    name = "Võ Hoàng Bình"
    expected = {
        "void.reason_required": t("void.reason_required", lang="en"),
        "void.member_not_voided": t("void.member_not_voided", lang="en", id=twin, name=name),
    }
    if key in expected:
        assert result.stderr.strip() == expected[key]
    else:
        assert result.stderr.startswith(f"The record of {name} (id 1) cannot be voided: it holds")
    assert len(json.loads(run("audit", "-f", "json").stdout)) == trail
    assert twin in _ids(run)


def test_a_voided_member_takes_no_more_records(sample: Run) -> None:
    run = sample
    twin = _twin(run)
    assert run("member", "void", str(twin), "--reason", "trùng").exit_code == 0
    for args in (
        ("member", "edit", str(twin), "--phone", "0909000000"),
        ("member", "leave", str(twin), "--reason", "died", "--on", "01/01/2024"),
        ("member", "void", str(twin), "--reason", "again"),
    ):
        result = run(*args, lang="en")
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.strip() == t(
            "void.member_voided", lang="en", id=twin, name="Võ Hoàng Bình"
        )


def _as_release_12(path: Path) -> None:
    """The file as the release before voiding (schema 12) writes it: no void columns."""
    with closing(sqlite3.connect(path)) as c, c:
        c.execute("DROP INDEX idx_members_roll")
        c.execute("DROP INDEX idx_members_voided")
        c.execute("DROP INDEX IF EXISTS idx_members_composition")  # a later release's
        c.execute("ALTER TABLE members DROP COLUMN voided_at")
        c.execute("ALTER TABLE members DROP COLUMN void_reason")
        c.execute(
            "CREATE INDEX idx_members_roll ON members (ethnicity, gender,"
            " joined_roll_on, left_on, presence, official_on, branch_id)"
        )
        c.execute("DELETE FROM _sqlite_migrations WHERE name = 'm013_void'")
        c.execute("PRAGMA user_version = 12")


def test_a_release_12_registry_migrates_with_a_backup_and_keeps_every_figure(
    run: Run, db_path: Path, sample_db: Path
) -> None:
    """Issue #15, "Done when": a registry of the current release migrates with its
    automatic backup, every figure it printed still prints, and a duplicate voids."""
    shutil.copy(sample_db, db_path)
    reference = {
        args: run(*args, "-f", "json").stdout
        for args in (("report", "summary", "-t", "2015-2020"), ("report", "summary"),
                     ("report", "leavings", "-t", "2020-2025"), ("branch", "list"))
    }  # fmt: skip
    _as_release_12(db_path)
    for args, printed in reference.items():
        assert run(*args, "-f", "json").stdout == printed, args
    copies = list(db_path.parent.glob("registry.before-schema-13.*.db"))
    assert len(copies) == 1
    with closing(sqlite3.connect(copies[0])) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 12
    with closing(sqlite3.connect(db_path)) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == storage.SCHEMA_VERSION
        columns = [r[2] for r in c.execute("PRAGMA index_info(idx_members_roll)")]
        assert columns[-1] == "voided_at"
        assert (
            c.execute("SELECT count(*) FROM members WHERE voided_at IS NULL").fetchone()[0] == 379
        )
    twin = _twin(run)
    assert run("member", "void", str(twin), "--reason", "trùng").exit_code == 0
    assert run("report", "summary", "-f", "json").stdout == reference[("report", "summary")]


def test_an_import_naming_a_voided_record_is_refused_at_its_line(
    sample: Run, tmp_path: Path
) -> None:
    """A file exported before the void names the voided record: its line is refused,
    located; nothing is imported (all or nothing)."""
    run = sample
    twin = _twin(run)
    out = tmp_path / "before.csv"
    assert run("export", "members", "-o", str(out)).exit_code == 0
    assert run("member", "void", str(twin), "--reason", "trùng").exit_code == 0
    trail = len(json.loads(run("audit", "-f", "json").stdout))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(f"{twin},"))
    result = run("import", "members", str(out), lang="en")
    assert result.exit_code == 1, result.output
    message = t("void.import_voided", lang="en", id=twin, name="Võ Hoàng Bình")
    assert f"{out.name}:{line}: {message}" in result.stderr
    assert len(json.loads(run("audit", "-f", "json").stdout)) == trail


NEW = ("--gender", "Nam", "--born", "01/01/1990", "--ethnicity", "Kinh", "--branch", "Ấp Chợ")


def test_a_voided_member_leaves_the_findings_of_transfers_and_education(sample: Run) -> None:
    """Checks added with #14 read `members` directly: a voided attendee whose time here
    ended, a voided arrival whose letter came late and a voided 2025 admission without
    THCS were still listed by `check` (found by review, reproduced here)."""
    guest = sample("member", "transfer-in", "--kind", "temporary", "--name", "Lê Văn Khách",
                   *NEW, "--admitted", "01/01/2015", "--official", "01/01/2016",
                   "--from", "Đảng bộ xã Hiếu Tử", "--on", "01/02/2026", "--until", "01/07/2026",
                   lang="en")  # fmt: skip
    late = sample("member", "transfer-in", "--name", "Lê Văn Trễ", *NEW, "--admitted",
                  "01/01/2015", "--official", "01/01/2016", "--from", "Đảng bộ xã Tập Ngãi",
                  "--on", "02/03/2026", "--letter-date", "02/01/2026", lang="en")  # fmt: skip
    school = sample("member", "add", "--name", "Lê Văn Học", *NEW, "--admitted", "02/03/2026",
                    "--education", "5/12", lang="en")  # fmt: skip
    for added in (guest, late, school):
        assert added.exit_code == 0, added.output
    ids = {m["full_name"]: m["id"] for m in json.loads(sample("member", "list", "--all",
                                                              "-f", "json").stdout)}  # fmt: skip
    mine = [ids["Lê Văn Khách"], ids["Lê Văn Trễ"], ids["Lê Văn Học"]]

    def named() -> set[int]:
        found = sample("check", "--as-of", "30/11/2026", "-f", "json", lang="en")
        notes = sample("check", "--as-of", "30/11/2026", lang="en").stderr
        listed = {p["member"]["id"] for p in json.loads(found.stdout) if p["member"]}
        return listed | {i for i in mine if f"Member {i} (" in notes}

    assert set(mine) <= named()
    for member in mine:
        voided = sample("member", "void", str(member), "--reason", "nhập nhầm", lang="en")
        assert voided.exit_code == 0, voided.output
    assert not set(mine) & named()
