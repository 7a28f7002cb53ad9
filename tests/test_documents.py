"""Documents to print and file (issue #16): `--output FILE.html` and `FILE.pdf`.

HTML: real tables whose header row repeats on each page (``thead``), the office's heading
("ĐẢNG BỘ XÃ …" / "CHI BỘ …" left, "ĐẢNG CỘNG SẢN VIỆT NAM" right, the place and date),
the title and the signature block (T/M ĐẢNG ỦY, BÍ THƯ; HD 36-HD/VPTW, the format of
the Party's documents), the names settings. The roster book follows the columns of
Mẫu 7-HSĐV (Hướng dẫn 12-HD/BTCTW 2012, 09-HD/BTCTW 2017). PDF checks live in
``test_documents_pdf.py`` (they need Chromium and poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app

TERM = ["-t", "2015-2020"]


@pytest.fixture
def sample(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample, so that its settings may be changed."""
    path = tmp_path / "sample.db"
    shutil.copy(sample_db, path)
    return path


def tanhung(registry: Path, *args: str, lang: str = "vi") -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(registry), "--lang", lang, *args])
    i18n.set_lang("vi")
    return result.exit_code, result.stdout, result.stderr


def html_of(registry: Path, tmp_path: Path, *args: str, lang: str = "vi") -> str:
    out = tmp_path / "doc.html"
    out.unlink(missing_ok=True)
    code, _, err = tanhung(registry, *args, "--output", str(out), lang=lang)
    assert code == 0, err
    return out.read_text(encoding="utf-8")


def settle(registry: Path, **values: str) -> None:
    with closing(sqlite3.connect(registry)) as conn, conn:
        conn.executemany(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            [(f"document_{k}", v) for k, v in values.items()],
        )


def test_a_report_is_a_document_with_heading_title_table_and_signature(
    sample: Path, tmp_path: Path
) -> None:
    page = html_of(sample, tmp_path, "report", "summary", *TERM)
    today = dt.date.today()
    assert page.startswith("<!DOCTYPE html>") and "<pre" not in page
    assert '<div class="strong">ĐẢNG BỘ XÃ TÂN HÙNG</div>' in page  # the sample's settings
    assert "Tân Hùng, ngày " in page
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page
    assert f"ngày {today:%d} tháng {today:%m} năm {today.year}" in page
    assert "<h1>Tổng hợp tình hình đảng viên đến ngày 30/06/2020</h1>" in page
    assert "<thead><tr><th" in page and "display: table-header-group" in page
    assert "T/M ĐẢNG ỦY" in page and "BÍ THƯ" in page
    assert re.search(r"<td[^>]*>301</td>", page) and "115,4 %" in page
    assert "size: A4;" in page and "counter(page)" in page and "counter(pages)" in page


def test_unset_names_leave_lines_to_fill_by_hand(sample: Path, tmp_path: Path) -> None:
    for key in ("document_committee", "document_place"):
        assert tanhung(sample, "setting", "unset", key)[0] == 0
    page = html_of(sample, tmp_path, "report", "summary", *TERM)
    assert "ĐẢNG BỘ XÃ ………………" in page and "………………, ngày" in page


def test_the_names_of_the_heading_and_signature_are_settings(sample: Path, tmp_path: Path) -> None:
    settle(
        sample,
        committee="ĐẢNG BỘ XÃ TÂN HÙNG",
        place="Tân Hùng",
        signer_name="Nguyễn Văn Bảy",
        upper="ĐẢNG BỘ HUYỆN TIỂU CẦN",
    )
    page = html_of(sample, tmp_path, "report", "branches", *TERM)
    assert '<div class="strong">ĐẢNG BỘ XÃ TÂN HÙNG</div>' in page
    assert "<div>ĐẢNG BỘ HUYỆN TIỂU CẦN</div>" in page
    assert "Tân Hùng, ngày " in page and "Nguyễn Văn Bảy" in page


def test_the_level_above_heads_the_document_as_it_is_on_the_day_printed(
    sample: Path, tmp_path: Path
) -> None:
    """The level above is dated data (`branch level-above`): the district level was
    abolished on 01/07/2025 (Nghị quyết 202/2025/QH15, 60-NQ/TW), so a document printed
    today names the province's committee, "ĐẢNG BỘ TỈNH …" (HD 36-HD/VPTW); a setting
    ``document_upper`` wins over it."""
    assert (
        tanhung(sample, "branch", "level-above", "Huyện ủy Tiểu Cần", "--from", "01/01/1992")[0]
        == 0
    )
    assert (
        tanhung(sample, "branch", "level-above", "Tỉnh ủy Vĩnh Long", "--from", "01/07/2025")[0]
        == 0
    )
    page = html_of(sample, tmp_path, "report", "branches", *TERM)
    assert "<div>ĐẢNG BỘ TỈNH VĨNH LONG</div>" in page and "TIỂU CẦN" not in page
    settle(sample, upper="ĐẢNG BỘ TỈNH TRÀ VINH")
    page = html_of(sample, tmp_path, "report", "branches", *TERM)
    assert "<div>ĐẢNG BỘ TỈNH TRÀ VINH</div>" in page and "VĨNH LONG" not in page


def test_one_branch_s_document_is_headed_and_signed_by_the_branch(
    sample: Path, tmp_path: Path
) -> None:
    settle(sample, committee="ĐẢNG BỘ XÃ TÂN HÙNG", signer_name="Nguyễn Văn Bảy")
    page = html_of(sample, tmp_path, "report", "composition", "-b", "ấp chợ")
    assert "<div>ĐẢNG BỘ XÃ TÂN HÙNG</div>" in page
    assert '<div class="strong">CHI BỘ ẤP CHỢ</div>' in page
    assert "T/M CHI BỘ" in page and "Nguyễn Văn Bảy" not in page  # the branch's secretary
    assert "ĐẢNG BỘ TỈNH" not in page  # the committee directly above the branch only


def test_the_document_speaks_the_language_asked(sample: Path, tmp_path: Path) -> None:
    page = html_of(sample, tmp_path, "report", "summary", *TERM, lang="en")
    assert '<html lang="en">' in page and "COMMUNIST PARTY OF VIETNAM" in page
    assert "SECRETARY" in page and '"Page " counter(page) " of " counter(pages)' in page


def test_the_roster_book_has_the_columns_of_form_7_hsdv_by_branch(
    sample: Path, tmp_path: Path
) -> None:
    """Mẫu 7-HSĐV (HD 12-HD/BTCTW): 14 columns; 9 (army, police, retired) not held."""
    page = html_of(sample, tmp_path, "report", "roster", "--as-of", "30/06/2020")
    assert "Mẫu 7-HSĐV" in page and "SỔ DANH SÁCH ĐẢNG VIÊN" in page
    assert "size: A4 landscape" in page
    heads = re.findall(r"<thead>(.*?)</thead>", page)
    assert len(heads) == 14  # one table a branch, each with its header row
    numbers = re.findall(r"<th>(\d+)</th>", heads[0])
    assert numbers == [str(n) for n in range(1, 15) if n != 9]
    for label in ("Họ và tên", "Quê quán", "Ngày vào Đảng, ngày chính thức", "Ghi chú"):
        assert label in heads[0]
    assert "Chi bộ Ấp Chợ (38 đảng viên)" in page
    assert len(re.findall(r"<tbody>", page)) == 14
    assert page.count('<tr><td class="num">') == 301  # every member on the roll
    assert "301 đảng viên" in page


def test_the_roster_book_of_one_branch(sample: Path, tmp_path: Path) -> None:
    page = html_of(sample, tmp_path, "report", "roster", "-b", "Ấp Chợ", "--as-of", "30/06/2020")
    assert "CHI BỘ ẤP CHỢ" in page and page.count("<thead>") == 1
    assert page.count('<tr><td class="num">') == 38


@pytest.mark.parametrize(
    "name", ["branches", "admissions", "training", "composition", "due", "changes"]
)
def test_every_report_is_a_document(sample: Path, tmp_path: Path, name: str) -> None:
    args = {
        "composition": ["--as-of", "30/06/2020"],
        "due": ["--as-of", "01/01/2020", "--within", "365"],
        "changes": ["--from", "01/07/2015", "--to", "30/06/2020"],
    }.get(name, TERM)
    words = ["due"] if name == "due" else ["report", name]
    out = tmp_path / "doc.html"
    code, _, err = tanhung(sample, *words, *args, "--output", str(out))
    if code == 2 and "--output" in err:
        pytest.skip(f"{' '.join(words)} has no --output")
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page and "<thead>" in page and "BÍ THƯ" in page


def test_no_browser_no_pdf_and_nothing_written(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("TANHUNG_BROWSER", raising=False)
    out = tmp_path / "summary.pdf"
    code, _, err = tanhung(sample, "report", "summary", *TERM, "--output", str(out))
    assert code == 1 and not out.exists()
    assert err.strip().count("\n") == 0 and "apt-get install chromium" in err
    assert "Traceback" not in err
    html = tmp_path / "summary.html"  # HTML still works
    assert tanhung(sample, "report", "summary", *TERM, "--output", str(html))[0] == 0


def test_a_member_s_sheet(sample: Path, tmp_path: Path) -> None:
    """The registry's part of the phiếu đảng viên (Mẫu 2-HSĐV): identity, admission and
    party age, transfers, training, ratings, badges, history."""
    page = html_of(sample, tmp_path, "member", "show", "38", "--as-of", "30/06/2020")
    assert "PHIẾU ĐẢNG VIÊN" in page and "Trương Quốc Hòa" in page
    for section in (
        "I. Bản thân",
        "II. Vào Đảng, tuổi đảng",
        "III. Chuyển sinh hoạt",
        "IV. Đào tạo, bồi dưỡng",
        "V. Xếp loại chất lượng",
        "VI. Huy hiệu Đảng",
        "VII. Quá trình",
    ):
        assert f"<h2>{section}" in page
    assert "Tuổi Đảng" in page and "size: A4;" in page and "T/M ĐẢNG ỦY" in page
    assert page.count("<thead>") == 2  # the courses and the history; the rest are fields
    code, _, err = tanhung(sample, "member", "show", "38", "-o", str(tmp_path / "x.csv"))
    assert code == 2 and ".pdf" in err and not (tmp_path / "x.csv").exists()
