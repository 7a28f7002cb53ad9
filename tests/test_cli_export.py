"""`export members -o FILE` writes what the file's ending says, unless --format says otherwise."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import DIEM, Run


@pytest.mark.usefixtures("branches")
@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [("ds.xlsx", None, "xlsx"), ("ds.JSON", None, "json"), ("ds.csv", None, "csv"),
     ("ds.txt", None, "csv"), ("ds.txt", "json", "json")],
)  # fmt: skip
def test_format_follows_the_ending(
    run: Run, tmp_path: Path, name: str, fmt: str | None, kind: str
) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    target = tmp_path / name
    result = run("export", "members", "-o", str(target), *(["--format", fmt] if fmt else []))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if kind == "xlsx":
        assert zipfile.is_zipfile(target)
    elif kind == "json":
        assert json.loads(data)[0]["full_name"] == "Nguyễn Thị Kiều Diễm"
    else:
        assert data.startswith(b"\xef\xbb\xbfid,full_name,")


@pytest.mark.usefixtures("branches")
def test_vietnamese_sheet_shows_status_in_vietnamese(run: Run, tmp_path: Path) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    vi = run("export", "members", "--headers", "vi").stdout.splitlines()
    assert vi[0].endswith(",Trạng thái") and vi[1].endswith(",Chính thức")
    en = run("export", "members").stdout.splitlines()
    assert en[1].endswith(",official")
    as_json = json.loads(run("export", "members", "--format", "json", "--headers", "vi").stdout)
    assert as_json[0]["status"] == "official"
