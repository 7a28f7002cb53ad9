"""The documents printed to PDF (issue #16), checked as an office would: A4 pages, nothing
cut off on the right, the heading, the figures and the last row in the text, the pages
numbered. They need Chromium and poppler-utils (`.ci/run` installs both); without them
these tests skip and say why.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tanhung_cli import i18n
from tanhung_cli.cli import app
from tanhung_cli.render.pdf import find_browser

pytestmark = [
    pytest.mark.skipif(find_browser() is None, reason="no Chromium: apt-get install -y chromium"),
    pytest.mark.skipif(
        not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
        reason="no pdftotext/pdfinfo: apt-get install -y poppler-utils",
    ),
]

A4 = (595.0, 842.0)  # points, portrait
TERM = ["-t", "2015-2020"]
DOCUMENTS = {
    "summary": (["report", "summary", *TERM], ["Tổng số đảng viên", "301", "115,4 %",
                                                "Số đảng viên được hỗ trợ"]),
    "branches": (["report", "branches", *TERM], ["301", "45"]),
    "admissions": (["report", "admissions", *TERM], ["45", "39"]),
    "training": (["report", "training", *TERM], ["124", "110"]),
    "composition": (["report", "composition", "--as-of", "30/06/2020"], ["Khmer", "56"]),
    "changes": (["report", "changes", "--from", "01/07/2015", "--to", "30/06/2020"], ["301"]),
    "roster": (["report", "roster", "--as-of", "30/06/2020"], ["SỔ DANH SÁCH ĐẢNG VIÊN",
                                                               "Mẫu 7-HSĐV", "301 đảng viên"]),
    "member": (["member", "show", "38", "--as-of", "30/06/2020"], ["PHIẾU ĐẢNG VIÊN",
                                                                  "Trương Quốc Hòa", "Tuổi Đảng"]),
    "due": (["due", "--as-of", "01/01/2020", "--within", "365"], ["Trương Minh Nghĩa",
                                                                   "10 đảng viên"]),
}  # fmt: skip


@pytest.fixture(scope="module")
def printed(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document printed once from the sample."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, (words, _) in DOCUMENTS.items():
        for ending in (".pdf", ".html"):
            target = folder / f"{name}{ending}"
            result = CliRunner().invoke(app, ["--db", str(sample_db), *words, "-o", str(target)])
            i18n.set_lang("vi")
            assert result.exit_code == 0, result.output
        out[name] = folder / f"{name}.pdf"
    return out


def pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-l", "999", str(pdf)], capture_output=True, text=True)
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info.stdout)
    return [(float(w), float(h)) for w, h in sizes]


def text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def words_right_edge(pdf: Path) -> list[tuple[float, float, str]]:
    """(page width, the word's right edge, the word) for every word of the PDF."""
    box = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for width, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', box, re.S):
        for right, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', body):
            out.append((float(width), float(right), word))
    return out


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_page_is_a4(printed: dict[str, Path], name: str) -> None:
    sizes = pages(printed[name])
    assert sizes
    for w, h in sizes:
        assert sorted((round(w), round(h))) == [595, 842], (name, w, h)
    if name == "roster":
        assert all(w > h for w, h in sizes)  # the form is wide: landscape


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_nothing_is_cut_off_on_the_right(printed: dict[str, Path], name: str) -> None:
    """Every word ends inside the page's right margin (the widest line fits)."""
    found = words_right_edge(printed[name])
    assert found
    over = [(word, right) for width, right, word in found if right > width - 20]
    assert not over, over[:5]
    # What overflows the page is clipped, not printed: every header word and every word
    # of the last column must be in the PDF.
    page = printed[name].with_suffix(".html").read_text(encoding="utf-8")
    cells = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    cells += re.findall(r"<td[^>]*>([^<]*)</td></tr>", page)
    printed_words = {word for _, _, word in found}
    unseen = {w for c in cells for w in html.unescape(c).split()} - printed_words
    assert not unseen, sorted(unseen)[:10]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_text_holds_heading_figures_and_page_numbers(
    printed: dict[str, Path], name: str
) -> None:
    content = text(printed[name])
    flat = " ".join(content.split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "T/M ĐẢNG ỦY" in flat and "BÍ THƯ" in flat
    for figure in DOCUMENTS[name][1]:
        assert figure in flat, (name, figure)
    count = len(pages(printed[name]))
    for n in range(1, count + 1):
        assert f"Trang {n}/{count}" in flat


def test_the_roster_book_holds_every_member_to_the_last_row(
    printed: dict[str, Path], sample_db: Path
) -> None:
    result = CliRunner().invoke(
        app, ["--db", str(sample_db), "report", "roster", "--as-of", "30/06/2020", "-f", "json"]
    )
    rows = __import__("json").loads(result.stdout)
    content = " ".join(text(printed["roster"]).split())
    missing = [r["full_name"] for r in rows if r["full_name"] not in content]
    assert len(rows) == 301 and not missing
    last = rows[-1]  # on the last page, or the one before when the signature moved on
    assert last["full_name"] in "".join(content.split("Trang")[-3:-1])
    assert last["card_no"] in content
