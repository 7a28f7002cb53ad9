"""Finding people (issue #11, point 8): by the start of a number, by birth year or age,
birthdays, course names without accents, and the religion a clerk typed."""

from __future__ import annotations

import json

import pytest
from conftest import DIEM, Run, option_list


@pytest.fixture
def diem(run: Run, branches: None) -> None:
    assert run("member", "add", *DIEM).exit_code == 0  # born 12/03/1975, card 01234567
    other = option_list(DIEM, name="Trần Văn Tám", gender="Nam", born="20/11/1990",
                        card="07654321", cccd="084090000456", admitted="01/01/2015", official="01/01/2016")  # fmt: skip
    assert run("member", "add", *other).exit_code == 0


def _ids(result) -> list[int]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return [m["id"] for m in json.loads(result.stdout)]


@pytest.mark.parametrize(
    ("query", "found"),
    [("084175", [1]), ("0841", [1]), ("0123", [1]), ("07654321", [2]), ("084", [1, 2]), ("2", [2])],
)
@pytest.mark.usefixtures("diem")
def test_find_by_the_start_of_a_card_or_cccd(run: Run, query: str, found: list[int]) -> None:
    assert _ids(run("member", "find", query, "-f", "json")) == found


@pytest.mark.usefixtures("diem")
@pytest.mark.parametrize("query", ["²", "٠٨٤١٧٥", "0" * 40])
def test_digits_of_other_scripts_or_lengths_find_nobody_quietly(run: Run, query: str) -> None:
    # '²' is a digit to str.isdigit() and not to int(): a traceback, found by the fuzz.
    result = run("member", "find", query)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr == f"Không tìm thấy đảng viên nào khớp '{query}'.\n"


@pytest.mark.usefixtures("diem")
def test_two_digits_match_only_a_whole_number(run: Run) -> None:
    # "08" would match half the roll: only an id or a whole number of two digits matches.
    result = run("member", "find", "08", "-f", "json")
    assert result.exit_code == 1


@pytest.mark.usefixtures("diem")
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_finding_nobody_is_the_same_answer_in_every_format(run: Run, fmt: str) -> None:
    result = run("member", "find", "Không Có Ai", "-f", fmt)
    assert result.exit_code == 1
    assert result.stderr == "Không tìm thấy đảng viên nào khớp 'Không Có Ai'.\n"
    if fmt == "json":
        assert json.loads(result.stdout) == []


@pytest.mark.usefixtures("diem")
def test_list_by_birth_year_and_by_age(run: Run) -> None:
    assert _ids(run("member", "list", "--born", "1975", "-f", "json")) == [1]
    assert _ids(run("member", "list", "--born", "1976-1990", "-f", "json")) == [2]
    assert _ids(run("member", "list", "--born", "1970 – 1995", "-f", "json")) == [1, 2]
    # Diễm turns 50 on 12/03/2025; Tám 35 on 20/11/2025.
    at = ("--as-of", "11/03/2025", "-f", "json")
    assert _ids(run("member", "list", "--age", "49", *at)) == [1]
    assert _ids(run("member", "list", "--age", "50+", *at)) == []
    assert _ids(run("member", "list", "--age", "50+", "--as-of", "12/03/2025", "-f", "json")) == [1]
    assert _ids(run("member", "list", "--age", "30-34", *at)) == [2]
    assert _ids(run("member", "list", "--age", "30-60", *at)) == [1, 2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--age", "ba mươi"], "'ba mươi' không phải một số hay khoảng số (ví dụ 30, 30-40, 60+)."),
        (["--age", "40-30"], "'40-30': khoảng phải đi từ nhỏ đến lớn, trong 0–150."),
        (["--born", "99999999999999999999"], "khoảng phải đi từ nhỏ đến lớn, trong 1800–2199."),
        (["--born", "1975", "--age", "30"], "Chọn --born hoặc --age, không dùng cả hai."),
    ],
)
@pytest.mark.usefixtures("diem")
def test_bad_ranges_are_usage_errors(run: Run, args: list[str], message: str) -> None:
    result = run("member", "list", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.replace("│", " ").split())


@pytest.mark.usefixtures("diem")
def test_birthdays_of_a_month_by_day(run: Run) -> None:
    result = run("member", "birthdays", "--month", "3", "--as-of", "01/01/2026", "-f", "json")
    [born] = json.loads(result.stdout)
    assert (born["full_name"], born["birthday"], born["turns"]) == (
        "Nguyễn Thị Kiều Diễm",
        "2026-03-12",
        51,
    )
    table = run("member", "birthdays", "--as-of", "05/11/2026")
    assert table.exit_code == 0
    assert "Đảng viên có sinh nhật trong tháng 11/2026" in table.stdout
    assert "20/11/2026" in table.stdout and "Trần Văn Tám" in table.stdout and "36" in table.stdout
    assert "Diễm" not in table.stdout


@pytest.mark.usefixtures("diem")
def test_a_course_is_found_by_the_words_of_its_name_without_accents(run: Run) -> None:
    for name, start in (("Lớp bồi dưỡng đảng viên mới đợt 1", "14/03/2016"),
                        ("Lớp bồi dưỡng đảng viên mới đợt 2", "14/09/2016")):  # fmt: skip
        added = run("course", "add", name, "--kind", "new-member", "--start", start, "--end", start)
        assert added.exit_code == 0, added.output
    shown = run("course", "show", "lop dang vien moi dot 2", "-f", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["name"] == "Lớp bồi dưỡng đảng viên mới đợt 2"
    both = run("course", "show", "lop dang vien moi")
    assert both.exit_code == 1
    assert (
        "1 (Lớp bồi dưỡng đảng viên mới đợt 1, 2016); 2 (Lớp bồi dưỡng đảng viên mới đợt 2, 2016)"
        in both.stderr
    )


@pytest.mark.usefixtures("branches")
def test_the_khmer_theravada_sect_is_stored_as_typed(run: Run) -> None:
    added = run("member", "add", *DIEM, "--religion", "Phật giáo Nam tông Khmer")
    assert added.exit_code == 0, added.output
    assert (
        json.loads(run("member", "show", "1", "-f", "json").stdout)["religion"]
        == "Phật giáo Nam tông Khmer"
    )


@pytest.mark.usefixtures("diem", "either_import_path")
def test_an_enrolment_list_with_only_names_and_birth_dates(run: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    twin = option_list(DIEM, name="Trần Văn Tám", gender="Nam", born="02/02/1980", card=None,
                       cccd=None, admitted="01/01/2015", official="01/01/2016")  # fmt: skip
    assert run("member", "add", *twin).exit_code == 0  # id 3: a second Trần Văn Tám
    added = run("course", "add", "Lớp nghị quyết 2024", "--kind", "professional",
                "--start", "01/03/2024", "--end", "05/03/2024")  # fmt: skip
    assert added.exit_code == 0, added.output
    people = tmp_path / "hv.csv"
    people.write_text(
        "Khóa học,Họ và tên,Ngày sinh\n"
        "1,NGUYEN THI KIEU DIEM,\n"  # one member has this name: enough
        "1,Trần Văn Tám,\n"  # two have it
        "1,Lê Văn Không,\n",
        encoding="utf-8",
    )
    refused = run("import", "enrolments", str(people))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[:2] == [
        "hv.csv:3: Họ và tên: có nhiều đảng viên tên 'Trần Văn Tám': mã 2 (20/11/1990), 3 (02/02/1980);"
        " hãy thêm ngày sinh, số thẻ hoặc mã đảng viên",
        "hv.csv:4: Họ và tên: không có đảng viên nào tên 'Lê Văn Không' (với ngày sinh này, nếu có) trong sổ",
    ]
    people.write_text(
        "Khóa học,Họ và tên,Ngày sinh\n1,NGUYEN THI KIEU DIEM,\n1,Trần Văn Tám,02/02/1980\n",
        encoding="utf-8",
    )
    result = run("import", "enrolments", str(people))
    assert result.exit_code == 0, result.output
    listed = json.loads(run("course", "show", "1", "-f", "json").stdout)
    assert sorted(m["id"] for m in listed["members"]) == [1, 3]
