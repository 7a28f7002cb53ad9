"""The render package: one Format enum, and the one formatter of values per language."""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from tanhung_cli import i18n
from tanhung_cli.render import Format, formats, values


@pytest.mark.parametrize("subset", [formats.Listing, formats.Report, formats.MemberFile])
def test_every_subset_of_formats_is_made_of_the_one_enum(subset: object) -> None:
    assert all(isinstance(f, Format) for f in typing.get_args(subset))


def test_no_other_format_enum_in_the_package() -> None:
    from pathlib import Path

    import tanhung_cli

    root = Path(tanhung_cli.__file__).parent
    found = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "Format(StrEnum)" in p.read_text(encoding="utf-8")
    ]
    assert found == ["render/formats.py"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", ["05/03/1960", "05/03/1960", "", "—", "1.145", "12,5", "39", "115,4 %"]),
        ("en", ["1960-03-05", "1960-03-05", "", "—", "1,145", "12.5", "39", "115.4%"]),
    ],
)
def test_values_in_each_language(lang: str, expected: list[str]) -> None:
    i18n.set_lang(lang)
    shown = [
        values.date(dt.date(1960, 3, 5)),
        values.date("1960-03-05"),
        values.date(None),
        values.date("", empty="—"),
        values.integer(1145),
        values.short_decimal(12.5),
        values.short_decimal(39.0),
        values.percent(115.38),
    ]
    assert shown == expected


def test_money_and_labels_follow_the_language() -> None:
    assert (values.money(1_145_000), values.label("status", "official")) == (
        "1.145.000 đ",
        "Chính thức",
    )
    i18n.set_lang("en")
    assert values.money(1_145_000) == "1,145,000 VND"


@pytest.mark.parametrize(
    ("value", "column", "vi"),
    [
        (None, "", "—"),
        (2020, "year", "2020"),
        (12, "id", "12"),
        (1234, "total", "1.234"),
        (115.384, "percent_of_target", "115,4 %"),
        (6.0, "target", "6"),
        ("2020-06-30", "as_of", "30/06/2020"),
        ("2020-13-30", "as_of", "2020-13-30"),
        ("Ấp Chợ", "branch", "Ấp Chợ"),
    ],
)
def test_a_report_cell(value: object, column: str, vi: str) -> None:
    assert values.cell(value, column) == vi


def test_the_branch_list_says_its_date_as_every_english_list_does(run) -> None:  # type: ignore[no-untyped-def]
    # It once wrote dd/mm/yyyy with strftime, whatever the language.
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    english = run("branch", "list", "--as-of", "30/06/2020", lang="en")
    assert "Branches on 2020-06-30" in english.stdout
    assert "ngày 30/06/2020" in run("branch", "list", "--as-of", "30/06/2020").stdout


def test_a_recorded_moment_reads_to_the_second() -> None:
    assert values.moment("2026-12-03T09:46:06.123456+00:00") == "2026-12-03 09:46:06"
    assert values.moment(None) == ""


def _sources() -> dict[str, str]:
    from pathlib import Path

    import tanhung_cli

    root = Path(tanhung_cli.__file__).parent
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))
    }


def test_only_the_renderer_writes_json_and_only_cli_and_render_use_rich() -> None:
    sources = _sources()
    # history.py stores an audit row's detail as JSON in the registry: not output.
    writers = [name for name, text in sources.items() if "json.dump" in text]
    # render/json_text.py makes the renderer's JSON text (as json.dumps would, faster).
    assert writers == ["history.py", "render/json_text.py", "render/writers.py"]
    rich = [n for n, text in sources.items() if "from rich" in text or "import rich" in text]
    assert rich and all(n.startswith(("cli/", "render/")) for n in rich), rich
    assert not [n for n, text in sources.items() if n.startswith("render/") and "typer" in text]


def test_commands_show_dates_through_the_one_formatter() -> None:
    shown_by_hand = [
        name
        for name, text in _sources().items()
        if name.startswith("cli/") and ("format_date" in text or "strftime" in text)
    ]
    assert shown_by_hand == []
