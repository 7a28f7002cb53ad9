"""Issue #15, "Mistakes undone": a wrong enrolment, a course or a term typed wrongly, and
a life event on the wrong person are voided with a reason; a course and a term are
edited. Each leaves the counts, stays in the audit and the member's history, and every
refusal says why, exits 1 and changes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tanhung_cli.i18n import t
from tests.conftest import Run
from tests.test_reports import SUMMARY_2020


@pytest.fixture
def sample(run: Run, db_path: Path, sample_db: Path) -> Run:
    shutil.copy(sample_db, db_path)
    return run


def _json(run: Run, *args: str) -> Any:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _training(run: Run, term: str = "2015-2020") -> dict[str, int]:
    return _json(run, "report", "training", "-t", term)["total"]  # type: ignore[no-any-return]


def _events(run: Run, member: int) -> list[dict[str, Any]]:
    return _json(run, "member", "history", str(member))["events"]  # type: ignore[no-any-return]


def _trail(run: Run) -> list[dict[str, Any]]:
    return _json(run, "audit")  # type: ignore[no-any-return]


def test_a_course_typed_wrongly_is_voided_with_its_enrolments(sample: Run) -> None:
    run = sample
    assert _training(run) == {"attendances": 124, "people": 110}
    people = [m["id"] for m in _json(run, "course", "show", "13")["members"]]
    assert len(people) == 15
    done = run("course", "void", "13", "--reason", "nhập trùng khóa 9", lang="en")
    assert done.exit_code == 0, done.output
    name = "Bồi dưỡng chuyên môn nghiệp vụ công tác đảng 2019"
    assert done.stdout.strip() == t("void.course_done", lang="en", name=name, count=15)
    assert _training(run)["attendances"] == 124 - 15
    assert 13 not in [c["id"] for c in _json(run, "course", "list")]
    gone = run("course", "show", "13")
    assert gone.exit_code == 1
    last = _events(run, people[0])[-1]
    assert (last["kind"], last["field"], last["old"]) == ("voided", "enrolment", name)
    audit = _trail(run)[-1] if _trail(run)[-1]["action"] == "void" else _trail(run)[0]
    assert (audit["action"], audit["entity"], audit["entity_id"]) == ("void", "course", 13)
    assert _json(run, "report", "summary", "-t", "2015-2020")["members"] == SUMMARY_2020["members"]


def test_a_wrong_enrolment_is_voided_and_the_theory_level_it_raised_goes_back(
    sample: Run,
) -> None:
    run = sample
    added = run("member", "add", "--name", "Lê Văn Lễ", "--gender", "Nam", "--born",
                "01/01/1990", "--ethnicity", "Kinh", "--branch", "Ấp Chợ",
                "--admitted", "10/03/2023", "--official", "10/03/2024")  # fmt: skip
    assert added.exit_code == 0, added.output
    member = max(m["id"] for m in _json(run, "member", "list"))
    assert run("course", "add", "Sơ cấp thử", "--kind", "theory-elementary",
               "--start", "05/02/2024", "--end", "01/03/2024").exit_code == 0  # fmt: skip
    course = max(c["id"] for c in _json(run, "course", "list"))
    assert run("course", "enrol", str(course), str(member)).exit_code == 0
    assert run("course", "complete", str(course), str(member)).exit_code == 0
    assert _json(run, "member", "show", str(member))["theory_level"] is not None
    before = _training(run, "2020-2025")
    voided = run("course", "void-enrolment", str(course), str(member), "--reason", "nhầm người")
    assert voided.exit_code == 0, voided.output
    assert _training(run, "2020-2025")["attendances"] == before["attendances"] - 1
    assert _json(run, "member", "show", str(member))["theory_level"] is None
    kinds = [(e["kind"], e["field"]) for e in _by_id(run, member)][-2:]
    assert kinds == [("voided", "enrolment"), ("voided", "theory_level")]
    again = run("course", "void-enrolment", str(course), str(member), "--reason", "x", lang="en")
    assert again.exit_code == 1
    assert again.stderr.strip() == t("void.not_enrolled", lang="en", id=member,
                                     name="Lê Văn Lễ", course="Sơ cấp thử")  # fmt: skip


def _by_id(run: Run, member: int) -> list[dict[str, Any]]:
    """The member's history in the order it was written (the import's entry is dated today)."""
    return sorted(_events(run, member), key=lambda e: e["id"])


def test_a_term_typed_wrongly_is_voided_then_added_right(sample: Run) -> None:
    run = sample
    assert run("term", "add", "2030-2036", "--start", "01/07/2030", "--end",
               "30/06/2036").exit_code == 0  # fmt: skip
    assert run("target", "set", "2030-2036", "admissions", "45").exit_code == 0
    done = run("term", "void", "2030-2036", "--reason", "gõ nhầm năm", lang="en")
    assert done.exit_code == 0, done.output
    assert "2030-2036" not in [term["name"] for term in _json(run, "term", "list")]
    last = _trail(run)
    entry = next(a for a in last if a["action"] == "void" and a["entity"] == "term")
    assert "gõ nhầm năm" in json.dumps(entry, ensure_ascii=False)
    assert run("term", "add", "2030-2035", "--start", "01/07/2030", "--end",
               "30/06/2035").exit_code == 0  # fmt: skip


def test_a_term_and_a_course_are_edited_through_the_audit(sample: Run) -> None:
    run = sample
    edited = run("term", "edit", "2025-2030", "--end", "29/06/2030", lang="en")
    assert edited.exit_code == 0, edited.output
    assert edited.stdout.strip() == t("void.term_edited", lang="en", name="2025-2030",
                                      fields="last day")  # fmt: skip
    overlap = run("term", "edit", "2025-2030", "--start", "01/06/2025", lang="en")
    assert overlap.exit_code == 1
    assert overlap.stderr.strip() == t("term.overlaps", lang="en", name="2025-2030",
                                       other="2020-2025")  # fmt: skip
    renamed = run("term", "edit", "2015-2020", "--name", "2015 - 2020")
    assert renamed.exit_code == 0 and t("void.nothing") in renamed.stdout
    assert _json(run, "report", "summary", "-t", "2015-2020") == SUMMARY_2020
    changed = run("course", "edit", "13", "--name", "Bồi dưỡng nghiệp vụ 2019",
                  "--organiser", "", lang="en")  # fmt: skip
    assert changed.exit_code == 0, changed.output
    assert "name, organiser" in changed.stdout
    course = next(c for c in _json(run, "course", "list") if c["id"] == 13)
    assert (course["name"], course["organiser"]) == ("Bồi dưỡng nghiệp vụ 2019", None)
    entry = [a for a in _trail(run) if a["entity"] == "course" and a["action"] == "edit"]
    assert len(entry) == 1
    late = run("course", "edit", "1", "--start", "01/01/1960", "--end", "02/01/1960",
               lang="en")  # fmt: skip
    assert late.exit_code == 1 and late.stdout == ""
    backwards = run("course", "edit", "1", "--end", "01/01/2013", lang="en")
    assert backwards.exit_code == 1
    assert _training(run) == {"attendances": 124, "people": 110}


def test_an_exemption_on_the_wrong_person_is_voided(sample: Run) -> None:
    run = sample
    assert run("member", "exempt", "9", "--on", "01/03/2021").exit_code == 0
    exempt = [m["id"] for m in _json(run, "member", "list", "--status", "exempt")]
    assert 9 in exempt
    event = _by_id(run, 9)[-1]
    assert event["kind"] == "exempted"
    done = run("member", "void-event", "9", str(event["id"]), "--reason", "nhầm người")
    assert done.exit_code == 0, done.output
    assert 9 not in [m["id"] for m in _json(run, "member", "list", "--status", "exempt")]
    assert _json(run, "member", "show", "9")["exempt_since"] is None
    events = _by_id(run, 9)
    assert next(e for e in events if e["id"] == event["id"])["voided"] is True
    assert events[-1]["kind"] == "voided" and events[-1]["note"] == "nhầm người"
    history = run("member", "history", "9", lang="en")
    assert "Exempted (voided)" in history.stdout or "(voided)" in history.stdout


def test_a_leaving_on_the_wrong_person_is_voided_and_counts_come_back(sample: Run) -> None:
    run = sample
    before = _json(run, "report", "summary")
    assert run("member", "leave", "9", "--reason", "died", "--on", "01/02/2024").exit_code == 0
    assert _json(run, "report", "summary") != before
    event = next(e for e in reversed(_by_id(run, 9)) if e["kind"] == "left")
    done = run("member", "void-event", "9", str(event["id"]), "--reason", "nhầm người", lang="en")
    assert done.exit_code == 0, done.output
    assert _json(run, "report", "summary") == before
    assert _json(run, "member", "show", "9")["status"] == "official"


def test_refusals_of_an_event_void_say_why_and_change_nothing(sample: Run) -> None:
    run = sample
    assert run("member", "exempt", "9", "--on", "01/03/2021").exit_code == 0
    first = _by_id(run, 9)[-1]["id"]
    assert run("member", "unexempt", "9", "--on", "01/03/2022").exit_code == 0
    trail = len(_trail(run))
    imported = _by_id(run, 9)[0]["id"]
    cases = [
        (
            (str(first), "x"),
            t(
                "void.event_not_latest",
                lang="en",
                id=9,
                name="Đoàn Văn Thành",
                event=first,
                later=first + 1,
                date="2022-03-01",
            ),
        ),  # fmt: skip
        ((str(imported), "x"), None),
        (
            ("999999", "x"),
            t("void.event_not_found", lang="en", id=9, name="Đoàn Văn Thành", event=999999),
        ),  # fmt: skip
        ((str(first), " "), t("void.reason_required", lang="en")),
    ]
    for (event, reason), message in cases:
        result = run("member", "void-event", "9", event, "--reason", reason, lang="en")
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and result.stdout == ""
        if message:
            assert result.stderr.strip() == message
        else:
            assert "cannot be voided: only a confirmation" in result.stderr
    assert len(_trail(run)) == trail
    assert _json(run, "member", "show", "9")["exempt_since"] is None


def test_a_confirmation_on_the_wrong_person_is_voided_back_to_probation(sample: Run) -> None:
    run = sample
    added = run("member", "add", "--name", "Lê Văn Lễ", "--gender", "Nam", "--born",
                "01/01/1990", "--ethnicity", "Kinh", "--branch", "Ấp Chợ",
                "--admitted", "10/03/2023", "--ceremony", "05/04/2023")  # fmt: skip
    assert added.exit_code == 0, added.output
    member = max(m["id"] for m in _json(run, "member", "list"))
    before = _json(run, "report", "summary")
    assert run("member", "confirm", str(member), "--on", "05/04/2024").exit_code == 0
    assert _json(run, "member", "show", str(member))["status"] == "official"
    event = next(e for e in _by_id(run, member) if e["kind"] == "confirmed")
    done = run("member", "void-event", str(member), str(event["id"]), "--reason", "nhầm",
               lang="en")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[0] == t("void.event_done", lang="en", event=event["id"],
                                            id=member)  # fmt: skip
    shown = _json(run, "member", "show", str(member))
    assert (shown["status"], shown["official_on"]) == ("probationary", None)
    assert _json(run, "report", "summary") == before
    again = run("member", "void-event", str(member), str(event["id"]), "--reason", "x",
                lang="en")  # fmt: skip
    assert again.exit_code == 1
    assert again.stderr.strip() == t("void.event_already_voided", lang="en", id=member,
                                     name="Lê Văn Lễ", event=event["id"])  # fmt: skip
