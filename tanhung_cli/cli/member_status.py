"""`tanhung member readmit|correct|standing`: re-admission, corrections, a member's standing."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tanhung_cli import render
from tanhung_cli import vietnamese as vn
from tanhung_cli.cli.common import (
    AsOfOption,
    Format,
    FormatOption,
    as_of_date,
    date_option,
    fail,
    registry,
    status_label,
)
from tanhung_cli.cli.member_life import (
    DecisionOption,
    MemberArg,
    NoteOption,
    OnOption,
    Text,
    event_day,
    report_done,
    shown_date,
)
from tanhung_cli.i18n import t
from tanhung_cli.render import values

# Joined to the `member` group in cli/__init__.COMMANDS.
app = typer.Typer()


@app.command("readmit")
def readmit(
    ctx: typer.Context,
    member: MemberArg,
    on: OnOption = None,
    branch: Annotated[Text, typer.Option("--branch", help="Branch, if not the former one.")] = None,
    age_exception: Annotated[
        Text, typer.Option("--age-exception", help="Why an age outside 18-60 is allowed.")
    ] = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
    consent: Annotated[
        Text,
        typer.Option(
            "--consent",
            help="The provincial standing committee's written consent (required; QĐ 294-QĐ/TW 3.5.1).",
        ),
    ] = None,
    exception: Annotated[
        Text,
        typer.Option(
            "--exception",
            help='The decision allowing a re-admission the rules refuse ("QĐ số …"), recorded.',
        ),
    ] = None,
    expunged: Annotated[
        Text,
        typer.Option("--expunged", help="When a minor conviction was expunged: 60 months from it."),
    ] = None,
) -> None:
    """Admit a former member again (kết nạp lại đảng viên); a new probation begins.

    Under QĐ 294-QĐ/TW point 3.5: 36 months after leaving (60 after an expunged minor
    conviction), with the provincial standing committee's consent, once only, never after
    abandoning activity or resigning; otherwise only with --exception naming the decision.
    The first admission date stays the member's "Ngày vào Đảng"; party age counts both
    periods, minus the gap.
    Example: tanhung member readmit 12 --on 19/05/2024 --consent "Văn bản số 123-CV/TU"
    """
    from tanhung_cli import readmission

    conn = registry(ctx, write=True)
    result = readmission.readmit(
        conn,
        member,
        event_day(on),
        branch,
        decision,
        note,
        age_exception,
        consent=consent,
        exception=exception,
        expunged=date_option(expunged, "--expunged") if expunged else None,
    )
    report_done(result, "life.readmitted", date=shown_date(result.on))


CORRECT_OPTIONS = {
    "admitted": "admitted_on", "official": "official_on", "joined": "joined_roll_on",
    "left": "left_on", "reason": "left_reason", "exempt": "exempt_since", "presence": "presence",
    "readmitted": "readmitted_on",
}  # fmt: skip


def _old_date(value: str, option: str) -> str:
    """A corrected date as ISO text; a year or month alone (old records) stays one."""
    try:
        day = vn.parse_partial_date(value)
    except vn.DateError:
        refused = date_option(value, option)  # refused there, with its reason
        return refused.isoformat() if refused else ""
    return day if isinstance(day, str) else day.isoformat()


@app.command("correct")
def correct(
    ctx: typer.Context,
    member: MemberArg,
    admitted: Annotated[Text, typer.Option("--admitted", help="Admission date.")] = None,
    official: Annotated[Text, typer.Option("--official", help='Official date ("" clears).')] = None,
    joined: Annotated[Text, typer.Option("--joined", help="Date of joining this roll.")] = None,
    left: Annotated[Text, typer.Option("--left", help='Leaving date ("" clears).')] = None,
    reason: Annotated[Text, typer.Option("--reason", help='Leaving reason ("" clears).')] = None,
    exempt: Annotated[Text, typer.Option("--exempt", help='Exempt since ("" clears).')] = None,
    presence: Annotated[Text, typer.Option("--presence", help="regular or temporary.")] = None,
    readmitted: Annotated[
        Text, typer.Option("--readmitted", help='Re-admission date (kết nạp lại; "" clears).')
    ] = None,
    on: OnOption = None,
    decision: DecisionOption = None,
    note: NoteOption = None,
) -> None:
    """Correct a recorded date of a member's life by a correcting event (đính chính).

    History is not edited; the correction is added to it. Example: a death recorded
    by mistake: tanhung member correct 12 --left "" --reason "" --note "Ghi nhầm"
    """
    from tanhung_cli import corrections

    options = {
        "admitted": admitted,
        "official": official,
        "joined": joined,
        "left": left,
        "reason": reason,
        "exempt": exempt,
        "presence": presence,
        "readmitted": readmitted,
    }
    changes: dict[str, str | None] = {}
    for option, value in options.items():
        if value is None:
            continue
        column = CORRECT_OPTIONS[option]
        if column.endswith(("_on", "_since")) and value.strip():
            value = _old_date(value, "--" + option)
        changes[column] = value or None
    if not changes:
        fail(t("life.nothing_to_correct"))
    result = corrections.correct(
        registry(ctx, write=True), member, changes, event_day(on), decision, note
    )
    if not result.changes:
        typer.echo(t("member.unchanged", id=result.member_id))
        return
    for column, (old, new) in result.changes.items():
        typer.echo(f"{t('column.' + column)}: {old or '—'} → {new or '—'}")
    typer.echo(t("life.corrected", id=result.member_id, count=len(result.changes)))


def about(text: str, answer: dict[str, Any]) -> str:
    """``text`` marked "khoảng" (about) when a date known by year or month alone leaves it
    uncertain."""
    return t("dates.about", value=text) if answer.get("approximate") else text


@app.command("standing")
def standing(
    ctx: typer.Context,
    member: MemberArg,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show where a member stood at a date (tình trạng): status, party age, next badge."""
    from tanhung_cli.standing import member_standing

    info = member_standing(registry(ctx), member, as_of_date(as_of))
    if fmt is Format.json:
        render.to_json(info)
        return
    if fmt is Format.csv:
        flat = {
            k: v for k, v in info.items() if k not in ("periods", "party_age", "next_badge", "gaps")
        }
        age = info["party_age"]
        flat["party_age_months"] = age["years"] * 12 + age["months"] if age else None
        badge = info["next_badge"] or {}
        flat |= {f"next_badge_{k}": v for k, v in badge.items()}
        render.to_csv([flat], list(flat))
        return
    age, badge = info["party_age"], info["next_badge"]
    rows = [
        (t("life.col.status"), status_label(info["status"])),
        (t("life.col.on_roll"), t("life.yes" if info["on_roll"] else "life.no")),
        (t("life.col.exempt"), t("life.yes" if info["exempt"] else "life.no")),
        (t("life.col.party_age"), about(t("life.party_age", **age), age) if age else "—"),
        (
            t("life.col.next_badge"),
            about(
                t(
                    "life.next_badge",
                    years=badge["years"],
                    reaches=shown_date(badge["reaches_on"]),
                    presented=shown_date(badge["presented_on"]),
                ),
                badge,
            )
            if badge
            else "—",
        ),
        (
            t("life.col.periods"),
            "; ".join(
                f"{shown_date(p['joined_roll_on'])} – {shown_date(p['left_on'])}"
                for p in info["periods"]
            ),
        ),
    ]
    if info["gaps"]:
        rows.append((t("life.col.gaps"), _gaps_text(info["gaps"])))
    title = t(
        "life.standing_title",
        id=info["id"],
        name=info["full_name"],
        date=values.date(info["as_of"]),
    )
    render.table(rows, [t("label.field"), t("label.value")], title=title)


def _gaps_text(found: list[dict[str, Any]]) -> str:
    return "; ".join(
        t(
            "gaps.line",
            start=shown_date(g["from_on"]),
            end=shown_date(g["to_on"]),
            kind=values.label("gap_kind", g["kind"]),
            days=values.integer(g["days"]),
        )
        for g in found
    )
