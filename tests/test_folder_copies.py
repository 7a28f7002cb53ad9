"""A folder of registries counts each commune once (#17, bug of session 8): the registry's
own backups (`tanhung backup`, the automatic `before-schema-N` copy made before a
migration) are left out and named; two files that are the same registry are refused
naming both, or the second skipped with --skip-unreadable.

The sample split into three communes (`test_many_registries.communes`), copied to a folder
with a backup of one of them beside it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app
from tanhung_cli.i18n import t
from tanhung_cli.registry_copies import backup_of
from tests.test_many_registries import AT, communes  # noqa: F401 - the fixture

TOTAL = 301  # the three communes' members on 30/06/2020: 128 + 121 + 52


def invoke(*args: str, lang: str = "vi") -> Any:
    result = CliRunner().invoke(app, ["--lang", lang, *args])
    i18n.set_lang("vi")
    return result


@pytest.fixture
def folder(communes: list[Path], tmp_path: Path) -> Path:  # noqa: F811
    """The three communes, and xa-a backed up with `tanhung backup` (a clerk's routine)."""
    out = tmp_path / "so-cac-xa"
    out.mkdir()
    for path in communes:
        shutil.copy(path, out / path.name)
    result = invoke("--db", str(out / "xa-a.db"), "backup")
    assert result.exit_code == 0, result.output
    return out


def _backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.db") if backup_of(p) is not None)


def _figures(*args: str) -> dict[str, Any]:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_backup_in_the_folder_is_not_counted_and_is_named(folder: Path) -> None:
    (backup,) = _backups(folder)
    data = _figures("report", "summary", "--folder", str(folder), *AT)
    assert data["members"]["total"] == TOTAL and data["registries"] == 3
    assert data["backups"] == [{"file": str(backup), "of": str(folder / "xa-a.db")}]
    text = invoke("report", "summary", "--folder", str(folder), *AT).stdout
    assert backup.name in text and "sao lưu" in text
    english = invoke("report", "summary", "--folder", str(folder), *AT, lang="en").stdout
    assert "backups of a registry counted" in english


def test_composition_and_communes_count_a_backed_up_commune_once(folder: Path) -> None:
    comp = _figures("report", "composition", "--folder", str(folder), *AT)
    assert sum(r["total"] for r in comp["age"]) == TOTAL
    rows = _figures("report", "communes", "--folder", str(folder), *AT)["communes"]
    assert [r["file"] for r in rows] == ["xa-a.db", "xa-b.db", "xa-c.db"]


def test_the_copy_made_before_a_migration_is_not_counted(folder: Path) -> None:
    """`migrations.apply` names it <name>.before-schema-N.<stamp>.db, beside the registry."""
    shutil.copy(folder / "xa-b.db", folder / "xa-b.before-schema-19.20261201-080000.db")
    data = _figures("report", "summary", "--folder", str(folder), *AT)
    assert data["members"]["total"] == TOTAL
    assert sorted(b["of"] for b in data["backups"]) == [
        str(folder / "xa-a.db"),
        str(folder / "xa-b.db"),
    ]


def test_a_registry_changed_since_its_backup_is_still_recognised(folder: Path) -> None:
    """The backup holds the registry as it was: the registry's audit trail goes on from it."""
    result = invoke("--db", str(folder / "xa-a.db"), "branch", "add", "Chi bộ Mới")
    assert result.exit_code == 0, result.output
    data = _figures("report", "summary", "--folder", str(folder), *AT)
    assert data["members"]["total"] == TOTAL and len(data["backups"]) == 1


def test_two_files_of_the_same_registry_are_refused_naming_both(folder: Path) -> None:
    shutil.copy(folder / "xa-c.db", folder / "xa-c-ban-chep.db")
    result = invoke("report", "summary", "--folder", str(folder), *AT)
    assert result.exit_code == 1 and "Traceback" not in result.output
    message = t(
        "bugs.many.same_registry",
        path=str(folder / "xa-c.db"),
        other=str(folder / "xa-c-ban-chep.db"),
    )
    assert message in " ".join(result.stderr.split())
    skipped = _figures("report", "summary", "--folder", str(folder), *AT, "--skip-unreadable")
    assert skipped["members"]["total"] == TOTAL
    assert [s["file"] for s in skipped["skipped"]] == [str(folder / "xa-c.db")]


def test_a_backup_named_on_the_command_line_is_not_counted_twice(folder: Path) -> None:
    (backup,) = _backups(folder)
    data = _figures("report", "summary", "--db", str(backup), "--db", str(folder / "xa-a.db"))
    assert data["registries"] == 1 and data["backups"][0]["file"] == str(backup)


def test_a_backup_alone_is_the_commune_s_registry(folder: Path) -> None:
    """Sent in place of the registry (the registry is not in the folder): it is counted."""
    (folder / "xa-a.db").unlink()
    data = _figures("report", "summary", "--folder", str(folder), *AT)
    assert data["members"]["total"] == TOTAL and data["backups"] == []
