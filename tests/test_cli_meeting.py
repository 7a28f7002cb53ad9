"""Meetings and attendance (issue #13): add, list, show, attend; who may be marked."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import DIEM, Run, option_list

from tanhung_cli.i18n import t

TABLES = ("meetings", "attendance", "audit")
ARRIVING = ("--name", "Lê Văn Đến", "--gender", "Nam", "--born", "01/01/1980",
            "--ethnicity", "Kinh", "--branch", "Ấp Chợ", "--admitted", "01/01/2010",
            "--official", "01/01/2011", "--from", "Xã Tân Hòa")  # fmt: skip


def snapshot(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as c:
        return [row for table in TABLES for row in c.execute(f"SELECT * FROM {table}").fetchall()]


def member(run: Run, name: str, branch: str = "Ấp Chợ", admitted: str = "01/03/2005") -> None:
    options = option_list(DIEM, name=name, branch=branch, card=None, cccd=None,
                          admitted=admitted, official=None)  # fmt: skip
    added = run("member", "add", *options)
    assert added.exit_code == 0, added.output


@pytest.fixture
def setup(run: Run, branches: None) -> None:
    """Diễm (1, Ấp Chợ, since 2000); Đến (2) received on 20/11/2025; Tạm (3) attending here
    temporarily since 01/03/2024; Tư (4, Ấp Te Te 1); Năm (5) died 03/04/2024; Sáu (6)
    away on a temporary transfer since 01/01/2025. Meeting 1: the committee's briefing of
    15/03/2025; meeting 2: Ấp Chợ's regular meeting of 05/04/2025."""
    assert run("member", "add", *DIEM).exit_code == 0
    arrived = run("member", "transfer-in", "--kind", "official", "--on", "20/11/2025", *ARRIVING)
    assert arrived.exit_code == 0, arrived.output
    temp = option_list(ARRIVING, name="Trần Thị Tạm", gender="Nữ")
    assert (
        run("member", "transfer-in", "--kind", "temporary", "--on", "01/03/2024", *temp).exit_code
        == 0
    )
    member(run, "Lý Văn Tư", "Ấp Te Te 1")
    member(run, "Đỗ Văn Năm")
    assert run("member", "leave", "5", "--reason", "died", "--on", "03/04/2024").exit_code == 0
    member(run, "Phan Văn Sáu")
    away = run("member", "transfer-out", "6", "--to", "Xã Tân Hòa", "--kind", "temporary",
               "--on", "01/01/2025", "--until", "31/12/2025")  # fmt: skip
    assert away.exit_code == 0, away.output
    added = run("meeting", "add", "Giao ban quý I/2025", "--kind", "giao ban", "--on", "15/03/2025",
                "--guests", "2", "--note", "Quán triệt nghị quyết")  # fmt: skip
    assert added.stdout == "Đã ghi cuộc họp số 1: Giao ban quý I/2025 (15/03/2025).\n"
    branch = run(
        "meeting", "add", "--kind", "thường kỳ", "--branch", "ap cho", "--on", "05/04/2025"
    )
    assert branch.exit_code == 0, branch.output


@pytest.mark.usefixtures("setup")
def test_add_attend_list_show(run: Run) -> None:
    marked = run("meeting", "attend", "1", "1", "4")
    assert marked.stdout == "Đã điểm danh 2 đảng viên ở cuộc họp số 1: Có mặt.\n"
    excused = run("meeting", "attend", "2", "1", "--status", "vắng có lý do", "--reason", "Ốm")
    assert excused.exit_code == 0, excused.output
    again = run("meeting", "attend", "1", "1")
    assert again.exit_code == 0 and again.stderr == "Đã ghi như vậy trước đó: 1.\n"
    listed = json.loads(run("meeting", "list", "--from", "01/01/2025", "-f", "json").stdout)
    assert [(m["id"], m["kind"], m["held_by"], m["present"], m["absent"], m["guests"])
            for m in listed] == [(1, "briefing", None, 2, 0, 2), (2, "regular", "Ấp Chợ", 0, 1, 0)]  # fmt: skip
    shown = json.loads(run("meeting", "show", "2", "-f", "json").stdout)
    assert shown["title"] == "Sinh hoạt chi bộ thường kỳ"
    assert shown["members"] == [{"id": 1, "full_name": "Nguyễn Thị Kiều Diễm",
                                 "branch": "Ấp Chợ", "attendance": "excused", "reason": "Ốm"}]  # fmt: skip
    table = run("meeting", "show", "1", lang="en").stdout
    assert "Branch-secretary briefing conference held by the committee on 2025-03-15" in table
    csv = run(
        "meeting", "list", "--committee", "--from", "01/01/2025", "-f", "csv", lang="en"
    ).stdout
    assert csv.splitlines()[0] == "id,on_date,kind,title,held_by,note,guests"
    assert (
        csv.splitlines()[1] == "1,2025-03-15,briefing,Giao ban quý I/2025,,Quán triệt nghị quyết,2"
    )


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        (("1", "2"), "meeting.member_not_yet", {"id": 2, "name": "Lê Văn Đến"}),
        (("1", "3"), "meeting.member_temporary", {"id": 3, "name": "Trần Thị Tạm"}),
        (("1", "5"), "meeting.member_left", {"id": 5, "name": "Đỗ Văn Năm", "left": "03/04/2024"}),
        (("1", "6"), "meeting.member_away", {"id": 6, "name": "Phan Văn Sáu"}),
        (("2", "4"), "meeting.member_other_branch", {"id": 4, "name": "Lý Văn Tư"}),
    ],
)
def test_an_attendee_must_be_on_the_roll_that_day(
    run: Run, db_path: Path, args: tuple[str, str], key: str, params: dict[str, object]
) -> None:
    before = snapshot(db_path)
    refused = run("meeting", "attend", args[0], "1", args[1])  # Diễm with them: all or none
    assert refused.exit_code == 1
    day = "15/03/2025" if args[0] == "1" else "05/04/2025"
    assert refused.stderr == t(key, **params, date=day) + "\n"
    assert snapshot(db_path) == before


@pytest.mark.usefixtures("setup")
def test_a_member_received_later_attends_later_meetings(run: Run) -> None:
    assert run("meeting", "add", "--kind", "briefing", "--on", "15/12/2025").exit_code == 0
    assert run("meeting", "attend", "3", "2").exit_code == 0
    back = run("member", "transfer-in", "--kind", "official", "--on", "01/11/2025", "6")
    assert back.exit_code == 0, back.output  # returned from the temporary transfer
    assert run("meeting", "attend", "3", "6").exit_code == 0


@pytest.mark.usefixtures("setup")
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["add", "--kind", "regular", "--on", "01/04/2025"], 1, t("meeting.kind_not_committee")),
        (
            ["add", "--kind", "briefing", "--on", "01/04/2025", "-b", "Ấp Chợ"],
            1,
            t("meeting.kind_not_branch"),
        ),
        (
            ["add", "--kind", "briefing", "--on", "15/03/2025"],
            1,
            t("meeting.exists", id=1, date="15/03/2025"),
        ),
        (["add", "--kind", "briefing", "--on", "01/01/2099"], 2, "là ngày trong tương lai"),
        (["add", "--kind", "tiệc", "--on", "01/04/2025"], 2, "Không có loại cuộc họp 'tiệc'"),
        (["add", "--kind", "briefing"], 2, t("meeting.on_required")),
        (["add", "--kind", "briefing", "--on", "01/04/2025", "-b", "Ấp Zed"], 1, "Ấp Zed"),
        (["attend", "1", "1", "--reason", "ốm"], 1, t("meeting.reason_when_present")),
        (["attend", "1", "1", "--status", "muộn"], 1, "Không hiểu 'muộn'"),
        (["attend", "9", "1"], 1, t("meeting.not_found", ref="9")),
        (["attend", "1", "99"], 1, "'99'"),
        (["list", "--term", "2015-2020", "--since", "01/01/2017"], 2, "--since"),
        (["list", "--branch", "Ấp Chợ", "--committee"], 2, "--committee"),
    ],
)
def test_refusals_change_nothing(
    run: Run, db_path: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(db_path)
    result = run("meeting", *args)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output
    assert snapshot(db_path) == before


def test_every_meeting_command_has_help(run: Run) -> None:
    for command in ("add", "list", "show", "attend"):
        shown, english = (
            run("meeting", command, "--help"),
            run("meeting", command, "--help", lang="en"),
        )
        assert shown.exit_code == 0 and "Ví dụ" in shown.stdout or command == "show"
        assert english.exit_code == 0 and "Example" in english.stdout or command == "show"


@pytest.mark.usefixtures("setup")
def test_a_member_moved_to_another_branch_attended_the_old_ones_meetings(run: Run) -> None:
    """A move between branches is dated (today, `member move`): the branch's meeting of
    05/04/2025 was still Diễm's; Ấp Te Te 1's of that day was not yet."""
    assert run("member", "move", "1", "--to", "Ấp Te Te 1").exit_code == 0
    assert (
        run("meeting", "add", "-k", "regular", "-b", "Ấp Te Te 1", "--on", "05/04/2025").exit_code
        == 0
    )
    assert run("meeting", "attend", "2", "1").exit_code == 0
    refused = run("meeting", "attend", "3", "1")
    assert refused.exit_code == 1
    assert refused.stderr == t("meeting.member_other_branch", id=1, name="Nguyễn Thị Kiều Diễm",
                               date="05/04/2025") + "\n"  # fmt: skip


@pytest.mark.usefixtures("setup")
def test_an_exempt_member_is_excused_never_absent_without_reason(run: Run, db_path: Path) -> None:
    """Exemption (miễn sinh hoạt đảng) keeps the member on the roll; missing a meeting then is
    no ground for removal."""
    assert run("member", "exempt", "1", "--on", "01/03/2025").exit_code == 0
    before = snapshot(db_path)
    refused = run("meeting", "attend", "2", "1", "--status", "absent")
    assert refused.exit_code == 1
    assert refused.stderr == t("meeting.member_exempt", id=1, name="Nguyễn Thị Kiều Diễm",
                               date="05/04/2025") + "\n"  # fmt: skip
    assert snapshot(db_path) == before
    assert run("meeting", "attend", "2", "1", "--status", "excused").exit_code == 0
