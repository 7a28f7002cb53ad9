"""Every file the registry writes about members is readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from conftest import DIEM, Run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("branches")
def test_rejects_and_report_files_are_private(run: Run, tmp_path: Path) -> None:
    assert run("member", "add", *DIEM).exit_code == 0
    incoming = tmp_path / "ds.csv"
    incoming.write_text(
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Chi bộ,Ngày vào Đảng\n"
        "Lê Văn Tư,Nam,31/02/1980,Kinh,Ấp Chợ,03/02/2015\n"
        "Lê Văn Năm,Nam,02/03/1980,Kinh,Ấp Chợ,03/02/2015\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "loi.csv"
    rejects.write_text("old", encoding="utf-8")
    rejects.chmod(0o644)
    # An existing rejects file is replaced only when told so (issue #10).
    refused = run("import", "members", str(incoming), "--skip-invalid", "--rejects", str(rejects))
    assert refused.exit_code == 1 and rejects.read_text(encoding="utf-8") == "old"
    result = run(
        "import", "members", str(incoming), "--skip-invalid", "--rejects", str(rejects), "--force"
    )
    assert result.exit_code == 0, result.output  # --skip-invalid: the good row is written
    assert mode(rejects) == 0o600
    assert "31/02/1980" in rejects.read_text(encoding="utf-8-sig")
    for name in ("ap-cho.html", "ap-cho.md", "ap-cho.csv"):
        target = tmp_path / name
        result = run("report", "roster", "--branch", "Ấp Chợ", "--output", str(target))
        assert result.exit_code == 0, result.output
        assert mode(target) == 0o600
        assert "01234567" in target.read_text(encoding="utf-8-sig")  # the card number
