"""`tanhung setting list|set|unset`: the rules and names an office sets without sqlite3.

A bad value or an unknown key is one located line, exit 1, nothing changed; every change
is in the audit trail; the names set are printed on documents (HD 36-HD/VPTW) and the
rules set change what the registry does (the cap on "xuất sắc", Quy định 366-QĐ/TW).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list
from typer.testing import CliRunner

from tanhung_cli import i18n, setting_keys
from tanhung_cli.cli import app


def stored(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as conn:
        return dict(conn.execute("SELECT key, value FROM settings").fetchall())


def audit_rows(db: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT action, entity, detail FROM audit WHERE entity = 'setting' ORDER BY id"
        ).fetchall()


def test_set_then_list_in_both_languages(run: Run, db_path: Path) -> None:
    done = run("setting", "set", "probation_months", "18")
    assert done.exit_code == 0
    assert done.stdout == "Đã đặt probation_months = 18 (trước đó: mặc định).\n"
    again = run("setting", "set", "probation_months", "24", lang="en")
    assert again.stdout == "Set probation_months = 24 (before: 18).\n"
    table = run("setting", "list")
    assert table.exit_code == 0
    assert "Thiết lập của sổ" in table.stdout and "Giá trị đang" in table.stdout
    line = next(x for x in table.stdout.splitlines() if "probation_months" in x)
    assert "24" in line and "12" in line and "Số tháng dự bị" in line
    assert "31 thiết lập, 1 đã đặt khác mặc định" in table.stdout
    english = run("setting", "list", lang="en")
    assert "Value in force" in english.stdout and "Months of probation" in english.stdout
    rows = json.loads(run("setting", "list", "--format", "json").stdout)
    assert len(rows) == len(setting_keys.SETTABLE) == 31
    found = {r["key"]: r for r in rows}
    assert found["probation_months"] | {"meaning": ""} == {
        "key": "probation_months", "value": "24", "default": "12", "set": True, "kind": "int",
        "source": "Điều lệ Đảng, Điều 5", "meaning": "",
    }  # fmt: skip
    assert "dated_values_assumed_through" not in found  # kept by the registry itself
    sheet = list(csv.reader(io.StringIO(run("setting", "list", "-f", "csv", lang="en").stdout)))
    assert sheet[0] == ["key", "value", "default", "meaning", "source"]
    assert ["badge_dates", "03/02,19/05,02/09,07/11"] in [row[:2] for row in sheet]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("probation_months", "mười", "probation_months: 'mười' không phải số nguyên từ 1 đến 60."),
        ("probation_months", "0", "probation_months: '0' không phải số nguyên từ 1 đến 60."),
        ("education_checked_from", "31/02/2025",
         "education_checked_from: '31/02/2025' không phải ngày (dd/mm/yyyy)."),
        ("rating_day", "32/12", "rating_day: '32/12' không phải một ngày trong năm (dd/mm, ví dụ 31/12)."),
        ("rating_cap_unit", "ấp", "rating_cap_unit: 'ấp' không hợp lệ; ghi một trong: committee / branch."),
        ("follow_letters_out", "có lẽ", "follow_letters_out: 'có lẽ': ghi 1 (có) hoặc 0 (không)."),
        ("excellent_cap_percent", "120", "excellent_cap_percent: '120' không phải số từ 0 đến 100 "
         "(nhiều nhất hai chữ số thập phân, ví dụ 12,5)."),
        ("badge_dates", "03/02,30/02", "badge_dates: '03/02,30/02' không phải danh sách ngày dd/mm "
         "cách nhau bằng dấu phẩy (ví dụ 03/02,19/05)."),
        ("probation_month", "18", "Không có thiết lập 'probation_month'; có phải: probation_months "
         "/ rating_new_months?"),
        ("dated_values_assumed_through", "1",
         "'dated_values_assumed_through' do sổ tự ghi (khi nâng cấp), không đặt bằng lệnh."),
        ("zzz", "1", "Không có thiết lập 'zzz' (xem: tanhung setting list)."),
    ],
)  # fmt: skip
def test_a_bad_value_or_unknown_key_is_one_line_and_changes_nothing(
    run: Run, db_path: Path, key: str, value: str, message: str
) -> None:
    assert run("setting", "set", "probation_months", "18").exit_code == 0
    before, trail = stored(db_path), audit_rows(db_path)
    refused = run("setting", "set", key, value)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == message + "\n"
    assert (stored(db_path), audit_rows(db_path)) == (before, trail)


def test_a_bad_value_in_english(run: Run) -> None:
    refused = run("setting", "set", "rating_new_months", "six", lang="en")
    assert refused.exit_code == 1
    assert refused.stderr == "rating_new_months: 'six' is not a whole number from 0 to 60.\n"
    unknown = run("setting", "unset", "badge_year", lang="en")
    assert unknown.stderr == "No setting 'badge_year'; did you mean badge_years / badge_dates?\n"


def test_values_are_stored_as_the_modules_read_them(run: Run, db_path: Path) -> None:
    for key, value in [
        ("education_checked_from", "01/11/2011"),
        ("rating_day", "30/11"),
        ("excellent_cap_percent", "12,5"),
        ("badge_dates", "19/5, 3/2"),
        ("badge_years", "40,30"),
        ("follow_letters_out", "không"),
        ("rating_cap_unit", "Branch"),
    ]:
        assert run("setting", "set", key, value).exit_code == 0
    assert stored(db_path) == {
        "education_checked_from": "2011-11-01", "rating_day": "11-30",
        "excellent_cap_percent": "12.5", "badge_dates": "03/02,19/05", "badge_years": "30,40",
        "follow_letters_out": "0", "rating_cap_unit": "branch",
    }  # fmt: skip
    lines = run("setting", "list").stdout.splitlines()
    cap = next(x for x in lines if "excellent_cap_percent" in x)
    assert "│ 12,5 " in cap and "│ 20 " in cap  # as the language writes numbers
    assert "01/11/2011" in next(x for x in lines if "education_checked_from" in x)


def test_unset_goes_back_to_the_default_and_the_audit_trail_keeps_both(
    run: Run, db_path: Path
) -> None:
    assert run("setting", "set", "document_place", "Tân Hùng").exit_code == 0
    done = run("setting", "unset", "document_place")
    assert done.stdout == "Đã trả document_place về mặc định: (để trống, điền tay).\n"
    assert "document_place" not in stored(db_path)
    again = run("setting", "unset", "document_place", lang="en")
    assert (again.exit_code, again.stdout) == (
        0,
        "document_place was not set; its default is in force: (blank, filled by hand)."
        " Nothing changed.\n",
    )
    assert [(a, json.loads(d)) for a, _, d in audit_rows(db_path)] == [
        ("set-setting", {"name": "document_place", "value": "Tân Hùng", "old": None}),
        ("unset-setting", {"name": "document_place", "value": "", "old": "Tân Hùng"}),
    ]
    trail = run("audit", "--format", "json").stdout
    assert "set-setting" in trail
    shown = run("audit").stdout
    assert "Đặt thiết lập" in shown and "Trả thiết lập về mặc định" in shown


def test_a_document_printed_after_setting_the_committee_carries_it(
    sample_db: Path, tmp_path: Path
) -> None:
    registry = tmp_path / "sample.db"
    shutil.copy(sample_db, registry)
    runner = CliRunner()
    words = ["--db", str(registry)]
    name = "ĐẢNG BỘ XÃ TÂN HÙNG"
    assert runner.invoke(app, [*words, "setting", "set", "document_committee", name]).exit_code == 0
    out = tmp_path / "doc.html"
    printed = runner.invoke(
        app, [*words, "report", "summary", "-t", "2015-2020", "--output", str(out)]
    )
    i18n.set_lang("vi")
    assert printed.exit_code == 0, printed.stderr
    assert f'<div class="strong">{name}</div>' in out.read_text(encoding="utf-8")


@pytest.mark.usefixtures("branches")
def test_the_cap_on_excellent_set_by_command_changes_the_warning(run: Run) -> None:
    """Quy định 366-QĐ/TW: "xuất sắc" at most 20 % of "tốt"; an office may count it lower."""
    for i, name in enumerate(("An", "Bảy", "Cúc", "Dũng", "Em", "Giàu")):
        options = option_list(DIEM, name=f"Nguyễn Văn {name}", card=f"0123456{i}", cccd=None)
        assert run("member", "add", *options).exit_code == 0
    for member in ("1", "2", "3", "4", "5"):
        assert run("rating", "set", "2024", member, "HTTNV").exit_code == 0
    assert run("rating", "set", "2024", "6", "HTXSNV").stderr == ""  # 1 of 5: 20 %, not over
    assert run("setting", "set", "excellent_cap_percent", "12,5").exit_code == 0
    over = run("rating", "set", "2024", "6", "HTXSNV")
    assert "quá 12,5 % của 5 hoàn thành tốt" in over.stderr


def test_a_value_that_puts_two_settings_out_of_order_is_refused(run: Run, db_path: Path) -> None:
    """The bands of QĐ 366 art. 11 stay in order: done < good < excellent."""
    assert run("setting", "set", "rating_band_good", "80").exit_code == 0
    refused = run("setting", "set", "rating_band_excellent", "75")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "rating_band_excellent: với giá trị 75.0, rating_band_good (80.0) không còn nhỏ hơn "
        "rating_band_excellent (75.0); đổi rating_band_good trước hoặc chọn giá trị khác.\n"
    )
    assert run("setting", "set", "rating_band_excellent", "95").exit_code == 0
    assert run("setting", "set", "rating_band_good", "92").exit_code == 0
    back = run("setting", "unset", "rating_band_excellent", lang="en")  # 90 would be below 92
    assert back.exit_code == 1 and "is no longer below" in back.stderr
    assert stored(db_path)["rating_band_excellent"] == "95.0"
