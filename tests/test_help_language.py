"""Help and usage in the clerk's language (issue #16): every command's help page, in
Vietnamese by default and in English with ``--lang en``, has no text of the other
language; Typer's own words and usage errors follow the language.

The Vietnamese is in ``tanhung_cli/i18n/help/`` (see ``tanhung_cli/cli/help_text.py``);
``test_every_command_and_option_has_its_vietnamese`` lists what is missing, and where.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from typer.testing import CliRunner

from tanhung_cli.cli import COMMANDS, app, help_text, load_command, requested_lang
from tanhung_cli.i18n import set_lang


def _command(path: tuple[str, ...]) -> Any:
    if not path:
        import typer

        return typer.main.get_command(app)
    command: Any = load_command(path[0])
    for name in path[1:]:
        command = command.get_command(None, name)
    return command


def _paths() -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [()]
    for name in COMMANDS:
        found += list(help_text.paths_in(load_command(name), (name,)))
    return found


PATHS = _paths()
IDS = [" ".join(p) or "tanhung" for p in PATHS]


def _help(path: tuple[str, ...], lang: str) -> str:
    # Wide enough that no paragraph wraps: words are judged whole, in their context.
    result = CliRunner().invoke(app, ["--lang", lang, *path, "--help"], env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    return result.stdout


# --- What is missing, and where ---------------------------------------------------------


def _key(param: Any) -> str:
    if param.param_type_name == "argument":
        return str(param.name)
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def test_every_command_and_option_has_its_vietnamese() -> None:
    """One message for the lead at merge time: each help text still only in English, as
    the TOML to paste into its catalogue file, with the English to translate."""
    missing: dict[str, list[str]] = {}
    for path in PATHS:
        command = _command(path)
        key = " ".join(path) or help_text.ROOT
        lines = []
        english = command.help or ""
        if english and not help_text.vietnamese(key, None, english):
            lines.append(f"help = {json.dumps(english.strip(), ensure_ascii=False)}  # translate")
        for param in command.params:
            text = getattr(param, "help", None)
            if text and not help_text.vietnamese(key, _key(param), text):
                lines.append(f"{json.dumps(_key(param))} = {json.dumps(text, ensure_ascii=False)}")
        if len(path) == 1 and key not in help_text._file(help_text.ROOT).get("summary", {}):
            missing.setdefault(help_text.ROOT, []).append(
                f"[summary] {key} = ...  # the first line of its Vietnamese help"
            )
        if lines:
            target = help_text.file_of(key)
            missing.setdefault(target, []).append(f'["{key}"]\n' + "\n".join(lines))
    report = [
        f"--- {help_text.FOLDER}/{name}.toml (or, for a text used by several commands, "
        f"[text] of _shared.toml keyed by the English) ---\n" + "\n\n".join(tables)
        for name, tables in sorted(missing.items())
    ]
    assert not missing, (
        "Help still only in English. Translate each text below and add it where shown "
        "(`help` is the command's own; options by their long name, arguments by name):\n\n"
        + "\n\n".join(report)
    )


def test_summaries_are_the_first_line_of_the_vietnamese_help() -> None:
    for name in COMMANDS:
        own = help_text.vietnamese(name, None, None)
        assert own, name
        assert help_text.summary(name, "") == own.strip().splitlines()[0], name


# --- The words on the page --------------------------------------------------------------

# Stripped before looking for words of the other language: option names, codes in
# `backquotes`, choices <a|b>, quoted examples, whole example commands, file names, the
# ASCII column names of import files ("full_name / Họ và tên"), defaults and env vars.
_STRIP = [
    r"tanhung\b.*$",
    r"`[^`]*`",
    r"<[^>]*>",
    r'"[^"]*"',
    r"'[^']*'",
    r"(?<![\w])--?[\w-]+",
    r"\[(default|mặc định|env var|biến môi trường): [^\]]*\]",
    r"\b[\w.-]+\.(csv|tsv|txt|xlsx|json|html|md|db)\b",
    r"\b[a-z]+_[a-z_]+\b",
    r"\b[A-Z][A-Z_]{2,}\b",  # TANHUNG_DB, HTXSNV, CCCD, THCS, metavars
]
_VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)

# Codes, formats and names an English word list would flag in Vietnamese help.
VI_ALLOWED = {
    "csv", "xlsx", "json", "markdown", "html", "md", "tsv", "txt", "pdf", "utf", "sig", "bom",
    "cp1258", "tcvn3", "vni", "sqlite", "stdout", "vi", "en", "id", "x", "dd", "mm", "yyyy",
    "qđ", "tw", "tctk", "hd", "tu", "hu", "đu", "cv", "b1", "khmer", "kinh", "hoa", "nam",
    "te", "ap", "sau", "cho", "d", "tr", "table", "text", "excel", "i", "cp", "tcvn", "shell",
    # Vietnamese words spelt without accents that English also has
    "do", "in", "vay", "trung", "tin", "con", "an", "ban", "me", "anh", "b", "so",
}  # fmt: skip
# Command names are code: `member show`, `report summary`.
VI_ALLOWED |= {w for p in PATHS for name in p for w in name.split("-")}

# Proper names, values and the registry's Vietnamese column headers that English help
# may show outside brackets.
EN_ALLOWED = {
    "nữ", "mường", "tân", "hùng", "hòa", "qđ", "đu", "hđ", "đảng", "quy", "định", "điều",
    "lệ", "tiếng", "anh", "trung", "cấp", "đại", "học", "dự", "bị", "triệu", "tỷ",
}  # fmt: skip


def _strip(text: str) -> str:
    text = re.sub(r"[─│╭╮╰╯*]", " ", text)
    text = re.sub(r"\b[a-z_]+ / [^,;()\n]+", " ", text)  # import files' column headers
    for pattern in _STRIP:
        text = re.sub(pattern, " ", text, flags=re.MULTILINE)
    return text


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


@cache
def _english_vocabulary() -> frozenset[str]:
    """Words of the code's English help (bracketed Vietnamese terms left out) and of
    Typer's frame: what could leak into a Vietnamese page."""
    texts = ["Usage Options Commands Arguments required default env var Show this message",
             "and exit Try for help Missing option No such command Invalid value Error"]  # fmt: skip
    for path in PATHS:
        command = _command(path)
        texts.append(command.help or "")
        texts += [getattr(p, "help", None) or "" for p in command.params]
    words = set()
    for text in texts:
        text = _strip(re.sub(r"\([^)]*\)", " ", text))
        words |= {w for w in _words(text) if not _VIETNAMESE.search(w)}
    return frozenset(words - VI_ALLOWED)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_vietnamese_help_has_no_english(path: tuple[str, ...]) -> None:
    page = _strip(_help(path, "vi"))
    english = sorted({w for w in _words(page) if w in _english_vocabulary()})
    assert not english, (
        f"English words in `tanhung {' '.join(path)} --help`: {english}. Translate them in "
        f"{help_text.FOLDER}/ (test_every_command_and_option_has_its_vietnamese lists "
        "where), or, for a code or a name, add it to VI_ALLOWED here."
    )


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_english_help_has_no_vietnamese(path: tuple[str, ...]) -> None:
    page = re.sub(r"\([^)]*\)", " ", _strip(_help(path, "en")))
    vietnamese = sorted({w for w in _words(page) if _VIETNAMESE.search(w)} - EN_ALLOWED)
    assert not vietnamese, f"`tanhung --lang en {' '.join(path)} --help`: {vietnamese}"


def test_metavars_say_what_a_value_is() -> None:
    vi = _help(("member", "add"), "vi")
    en = _help(("member", "add"), "en")
    assert "<str>" not in vi + en and "<bool>" not in vi + en
    assert re.search(r"--born\s+NGÀY", vi) and re.search(r"--born\s+DATE", en)
    assert re.search(r"--name\s+TÊN", vi) and re.search(r"--name\s+NAME", en)
    assert re.search(r"--note\s+CHỮ", vi) and re.search(r"--note\s+TEXT", en)
    assert "TỆP" in _help(("import", "members"), "vi") and "NĂM" in _help(("badge", "list"), "vi")


def test_completion_options_are_on_the_root_only() -> None:
    completion = {"--install-completion", "--show-completion"}
    assert completion <= {o for p in _command(()).params for o in getattr(p, "opts", [])}
    for path in PATHS[1:]:
        opts = {o for p in _command(path).params for o in getattr(p, "opts", [])}
        assert not opts & completion, path


# --- The language itself ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "environ", "lang"),
    [
        ([], {}, "vi"),
        (["--lang", "EN", "member", "list"], {}, "en"),
        (["--lang=En", "report"], {}, "en"),
        (["member", "list"], {"TANHUNG_LANG": "EN"}, "en"),
        (["--lang", "Vi", "member"], {"TANHUNG_LANG": "en"}, "vi"),
        (["member", "find", "--lang", "en"], {}, "vi"),  # a word after the command
        (["--lang", "fr"], {}, "vi"),  # refused by the root option, exit 2
    ],
)
def test_the_language_is_known_before_click_parses(
    words: list[str], environ: dict[str, str], lang: str
) -> None:
    assert requested_lang(words, environ) == lang


def test_lang_is_case_insensitive_on_the_command_line_and_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "Cách dùng:" in CliRunner().invoke(app, ["--lang", "Vi", "branch", "--help"]).stdout
    assert "Usage:" in CliRunner().invoke(app, ["--lang", "EN", "branch", "--help"]).stdout
    monkeypatch.setenv("TANHUNG_LANG", "En")
    result = CliRunner().invoke(app, ["member", "add"])
    assert result.exit_code == 2 and "required options are missing" in result.stderr
    set_lang("vi")


# --- Typer's own messages ---------------------------------------------------------------

ERRORS = [
    (["member", "add", "--name", "A"], "error.missing_many", "--gender"),
    (["member", "show"], "error.missing_argument", "'đảng viên'|'member'"),
    (["member", "list", "--bogus"], "error.no_such_option", "--bogus"),
    (["member", "frobnicate"], "error.no_such_command", "frobnicate"),
    (["frobnicate"], "error.no_such_command", "frobnicate"),
    (["badge", "list", "--year", "abc"], "error.not_integer", "--year"),
    (["badge", "list", "--year", "0"], "error.at_least", "--year"),
    (["member", "add", "--ethnic-codes", "1990"], "error.not_one_of", "1990"),
    (["badge", "list", "--year"], "error.needs_value", "--year"),
    (["branch", "list", "extra"], "error.extra_arguments", "extra"),
]


@pytest.mark.parametrize(("words", "key", "named"), ERRORS, ids=[e[1] for e in ERRORS])
def test_usage_errors_speak_vietnamese(words: list[str], key: str, named: str) -> None:
    result = CliRunner().invoke(app, words)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    fixed = re.split(r"\{[^}]*\}", help_text.frame(key, "vi"))  # the message's own words
    text = " ".join(result.stderr.split()).replace("│", "")
    text = " ".join(text.split())
    assert all(part.strip() in text for part in fixed if part.strip()), text
    assert named.split("|")[0] in text
    assert "Lỗi" in text and "Cách dùng: " in text and "để biết cách dùng" in text
    assert not {"Usage", "Error", "Try", "Missing", "Invalid", "such"} & set(text.split())


@pytest.mark.parametrize(("words", "key", "named"), ERRORS, ids=[e[1] for e in ERRORS])
def test_usage_errors_in_english(words: list[str], key: str, named: str) -> None:
    result = CliRunner().invoke(app, ["--lang", "en", *words])
    assert result.exit_code == 2
    text = " ".join(result.stderr.replace("│", " ").split())
    assert (
        named.split("|")[-1] in text
        and "Usage: " in text
        and "Error" in text
        and "for help" in text
    )
    assert not _VIETNAMESE.search(re.sub(r"'[^']*'", "", text)), text


def test_member_add_names_every_missing_required_option_at_once() -> None:
    result = CliRunner().invoke(app, ["member", "add", "--name", "Lê Văn Tư", "--born", "1990"])
    assert result.exit_code == 2
    text = " ".join(result.stderr.replace("│", " ").split())
    missing = ["'--gender'", "'--ethnicity'", "'--branch'", "'--admitted'"]
    assert help_text.frame("error.missing_many", "vi", count=4, names=", ".join(missing)) in text
    assert "'--name'" not in text and "'--born'" not in text


def test_a_required_option_from_the_environment_is_not_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(app, ["member", "add"])
    text = " ".join(result.stderr.replace("│", " ").split())
    assert "Thiếu 6 tùy chọn bắt buộc" in text and "'--name'" in text


def test_an_ordinary_command_reads_no_help_catalogue(run: Any) -> None:
    """Start-up (bench/startup_bench.py): the catalogue is read for help and usage errors
    only; `member list` and a refused command (exit 1) never open it."""
    assert run("branch", "add", "Ấp Chợ").exit_code == 0
    help_text._file.cache_clear()
    assert run("member", "list").exit_code == 0
    assert run("member", "show", "999").exit_code == 1
    assert help_text._file.cache_info().currsize == 0
    assert run("member", "show").exit_code == 2
    assert help_text._file.cache_info().currsize > 0
