"""A file exported from this registry and corrected by a branch finds its members by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

PEOPLE = ("Lê Văn Tư", "Trần Thị Bình", "Phạm Văn Năm")


@pytest.mark.usefixtures("branches")
def test_corrected_export_updates_instead_of_adding(run: Run, tmp_path: Path) -> None:
    for name in PEOPLE:
        added = run("member", "add", "--name", name, "--gender", "Nam", "--born", "01/01/1990",
                    "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/08/2021")  # fmt: skip
        assert added.exit_code == 0
    exported = tmp_path / "ex.csv"
    assert run("export", "members", "-o", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    corrected = tmp_path / "ex2.csv"
    corrected.write_text(
        text.replace("2,Trần Thị Bình,,Nam,1990-01-01", "2,Trần Thị Bình,,Nam,1990-01-15").replace(
            "3,Phạm Văn Năm,", "3,Võ Văn Sáu,"
        ),  # an id that names someone else
        encoding="utf-8-sig",
    )
    refused = run("import", "members", str(corrected))
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "ex2.csv:2: đã có trong sổ là Trần Thị Bình (mã 2) nhưng khác ở: Ngày sinh;"
    )
    done = run("import", "members", str(corrected), "--update")
    assert done.exit_code == 0, done.output
    assert "thêm 1, cập nhật 1, không đổi 1" in done.stderr + done.stdout
    listed = json.loads(run("member", "list", "--format", "json").stdout)
    assert sorted((m["id"], m["full_name"], m["birth_date"]) for m in listed) == [
        (1, "Lê Văn Tư", "1990-01-01"),
        (2, "Trần Thị Bình", "1990-01-15"),
        (3, "Phạm Văn Năm", "1990-01-01"),
        (4, "Võ Văn Sáu", "1990-01-01"),
    ]
