"""Messages on a terminal break between words, never inside one (issue #16, "the rest of
what a clerk reads"): a terminal left alone breaks "kiểm tra" as "kiểm t|ra"."""

from __future__ import annotations

import io

import pytest

from tanhung_cli.render import terminal
from tanhung_cli.render.terminal import message_lines, say

NOTE = (
    "279 đảng viên chưa ghi ngày lễ kết nạp: thời kỳ dự bị được tính từ ngày quyết định"
    " kết nạp (ghi bằng: tanhung member edit MÃ --ceremony NGÀY)."
)


def test_a_long_message_breaks_between_words_and_indents_what_follows() -> None:
    lines = message_lines(NOTE, 58).split("\n")
    assert lines == [
        "279 đảng viên chưa ghi ngày lễ kết nạp: thời kỳ dự bị được",
        "  tính từ ngày quyết định kết nạp (ghi bằng: tanhung member",
        "  edit MÃ --ceremony NGÀY).",
    ]
    assert " ".join(line.strip() for line in lines) == NOTE  # every word, in order


def test_a_word_longer_than_the_line_keeps_its_own_line_and_short_text_is_unchanged() -> None:
    path = "/var/lib/tanhung/" + "a" * 70 + ".db"
    assert message_lines(f"Không mở được {path}: hỏng", 40).split("\n") == [
        "Không mở được",
        f"  {path}:",
        "  hỏng",
    ]
    assert message_lines("Đã ghi.", 40) == "Đã ghi."
    assert message_lines("một\n\nhai", 40) == "một\n\nhai"  # lines kept as written


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False])
def test_say_wraps_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    stream = _Tty() if tty else io.StringIO()
    monkeypatch.setattr(terminal.sys, "stderr", stream)
    monkeypatch.setenv("COLUMNS", "60")
    say(NOTE, err=True)
    expected = message_lines(NOTE, 58) if tty else NOTE  # piped: one line, for grep
    assert stream.getvalue() == expected + "\n"
