"""Reports across many registries read in place (#17): `tanhung report summary|composition
--db a.db --db b.db …` or `--folder DIR`, and `tanhung report communes`, one row a file.

Counts only: what reaches the output is each file's report added up, the files' names and
the reasons files were skipped; never a member's record (`registries`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tanhung_cli import registries, reports
from tanhung_cli.cli.common import date_option, fail, state, warn
from tanhung_cli.cli.outputs import ForceOption, emit, guard
from tanhung_cli.cli.report_options import AsOf, FormatOpt, OutputOpt, TermOpt
from tanhung_cli.db import default_db_path
from tanhung_cli.i18n import get_lang, t
from tanhung_cli.render import Format, values
from tanhung_cli.render.sheet import Sheet, Table
from tanhung_cli.render.values import cell

app = typer.Typer(no_args_is_help=True)
T = TypeVar("T")

ManyDb = Annotated[
    list[Path] | None,
    typer.Option(
        "--db",
        help="Read this registry in place, unchanged (repeat: --db a.db --db b.db); "
        "the report adds up the files (báo cáo nhiều sổ).",
    ),
]
Folder = Annotated[
    Path | None,
    typer.Option("--folder", help="Read every registry (*.db) in this folder, in place."),
]
SkipUnreadable = Annotated[
    bool,
    typer.Option(
        "--skip-unreadable",
        help="Skip a file that cannot be read (not a registry, another version, locked), "
        "naming it, instead of refusing the report.",
    ),
]


def wanted(dbs: list[Path] | None, folder: Path | None, branch: str | None = None) -> bool:
    """Whether a report is asked of many files (--db after the command, or --folder).

    A branch belongs to one committee: --branch is refused with them (exit 2)."""
    many = bool(dbs) or folder is not None
    if many and branch is not None:
        raise typer.BadParameter(t("many.no_branch"), param_hint="--branch")
    return many


def read(
    dbs: list[Path] | None,
    folder: Path | None,
    skip: bool,
    as_of: str | None,
    term: str | None,
    report: Any,
) -> registries.Read[Any]:
    """Each file's ``report(conn, scope)``; skipped files said on stderr."""
    day = date_option(as_of, "--as-of", allow_future=True)
    scope = registries.scoped(day, term)
    done = registries.read_each(
        registries.files_of(dbs or [], folder),
        lambda conn: report(conn, scope(conn)),
        skip_unreadable=skip,
    )
    for path, why in done.skipped:
        warn(t("many.skipped", path=str(path), reason=why.message()))
    if not done.parts:
        fail(t("many.none_read", count=len(done.skipped)))
    return done


def _skipped(done: registries.Read[Any]) -> list[dict[str, str]]:
    return [{"file": str(p), "reason": why.message()} for p, why in done.skipped]


def _backups(done: registries.Read[Any]) -> list[dict[str, str]]:
    return [{"file": str(p), "of": str(of)} for p, of in done.backups]


def _notes(data: dict[str, Any]) -> list[str]:
    """The report's last lines: the files not counted, and why."""
    out = []
    if data["skipped"]:
        out.append(t("many.skipped_line", files=", ".join(s["file"] for s in data["skipped"])))
    if data["backups"]:
        files = (t("bugs.many.backup_of", file=b["file"], of=b["of"]) for b in data["backups"])
        out.append(t("bugs.many.backups_line", files=", ".join(files)))
    return out


def summary(
    ctx: typer.Context,
    dbs: list[Path] | None,
    folder: Path | None,
    skip: bool,
    as_of: str | None,
    term: str | None,
    fmt: Format,
    output: Path | None,
    force: bool,
) -> None:
    """`report summary` over many files: the figures of each added up."""
    from tanhung_cli.cli.report import _figures, summary_sheet

    done = read(dbs, folder, skip, as_of, term, reports.summary)
    data = registries.add_summaries(done.parts)
    data |= {"skipped": _skipped(done), "backups": _backups(done)}
    sheet = summary_sheet(data)
    sheet.lines = _lines(data, sheet.lines)
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        rows = [{"key": r["key"], "value": r["value"]} for r in _figures(data)]
        rows = [{"key": "registries", "value": data["registries"]}, *rows]
        rows += [{"key": "skipped", "value": s["file"]} for s in data["skipped"]]
        rows += [{"key": "backup", "value": s["file"]} for s in data["backups"]]
        sheet.tables = [Table(["key", "value"], ["key", "value"], rows)]
    emit(sheet, fmt, output, guard(ctx, force))


def _lines(data: dict[str, Any], lines: list[str]) -> list[str]:
    """The summary's sentences, said of the files read, with those skipped."""
    m = data["members"]
    others = ", ".join(
        f"{name} {cell(n)}" for name, n in m["by_ethnicity"].items() if name != "Kinh"
    )
    first = t(
        "report.summary.roll",
        who=t("many.who", count=cell(data["registries"])),
        total=cell(m["total"]),
        official=cell(m["official"]),
        probationary=cell(m["probationary"]),
        women=cell(m["women"]),
        ethnic=t("report.summary.ethnic_part", groups=others) if others else "",
    )
    rest = lines[1:]
    if data["term"] is None and data["admissions"]["in_term"] is not None:
        a = data["admissions"]
        rest[0] = t(
            "many.terms_differ",
            admitted=cell(a["in_term"]),
            target=cell(a["target"]),
            percent=values.percent(a["percent_of_target"]),
        )
    return [first, *rest, *_notes(data)]


COMMUNE_FIGURES = (
    "total",
    "official",
    "probationary",
    "women",
    "admitted_in_term",
    "target",
    "percent_of_target",
    "readmitted",
)


def _commune_row(path: Path, d: dict[str, Any]) -> dict[str, Any]:
    m, a = d["members"], d["admissions"]
    return {
        "file": path.name,
        "term": d["term"]["name"] if d["term"] else None,
        "total": m["total"],
        "official": m["official"],
        "probationary": m["probationary"],
        "women": m["women"],
        "admitted_in_term": a["in_term"],
        "target": a["target"],
        "percent_of_target": a["percent_of_target"],
        "readmitted": a["readmitted"],
    }


@app.command("communes")
def communes(
    ctx: typer.Context,
    dbs: ManyDb = None,
    folder: Folder = None,
    skip: SkipUnreadable = False,
    as_of: AsOf = None,
    term: TermOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOption = False,
) -> None:
    """Count members and admissions against each committee's target, one row a registry file.

    Each file is read in place and never changed (báo cáo theo từng đảng bộ).

    Without --db or --folder, the one registry of tanhung --db.

    Example: tanhung report communes --folder so-cac-xa --term 2020-2025
    """
    if not wanted(dbs, folder):  # the registry of --db / TANHUNG_DB alone: one row
        dbs = [state(ctx).db_path or default_db_path()]
    done = read(dbs, folder, skip, as_of, term, reports.summary)
    data = registries.add_summaries(done.parts)
    data |= {"skipped": _skipped(done), "backups": _backups(done)}
    rows = [_commune_row(p, d) for p, d in done.parts]
    total = {"file": t("report.label.all"), "term": data["term"]["name"] if data["term"] else None}
    total |= {k: data["members"][k] for k in ("total", "official", "probationary", "women")}
    a = data["admissions"]
    total |= {"admitted_in_term": a["in_term"], "target": a["target"]}
    total |= {"percent_of_target": a["percent_of_target"], "readmitted": a["readmitted"]}
    shown = [
        {**r, "percent_of_target": values.percent(r["percent_of_target"])}
        if r["percent_of_target"] is not None
        else r
        for r in [*rows, total]
    ]
    headers = [
        t("many.col.file"),
        t("many.col.term"),
        *(t(f"many.col.{k}") for k in COMMUNE_FIGURES),
    ]
    table = Table(["file", "term", *COMMUNE_FIGURES], headers, shown, right=COMMUNE_FIGURES)
    keep = ("as_of", "term", "skipped", "backups")
    sheet = Sheet(
        t("many.communes.title", date=values.date(dt.date.fromisoformat(data["as_of"]))),
        {**{k: data[k] for k in keep}, "communes": rows, "total": total},
        _notes(data),
        [table],
    )
    if fmt is Format.csv or (output and output.suffix.lower() == ".csv"):
        sheet.tables = [Table(["file", "term", *COMMUNE_FIGURES], [], [*rows, total])]
    emit(sheet, fmt, output, guard(ctx, force))


def composition(
    ctx: typer.Context,
    dbs: list[Path] | None,
    folder: Path | None,
    skip: bool,
    as_of: str | None,
    fmt: Format,
    output: Path | None,
    force: bool,
) -> None:
    """`report composition` over many files: each dimension's groups added up."""
    from tanhung_cli import composition as comp
    from tanhung_cli.cli.report_roll import COMPOSITION_KEYS, composition_sheet

    lang = get_lang()
    done = read(dbs, folder, skip, as_of, None, lambda c, sc: comp.composition(c, sc, lang))
    data = registries.add_compositions([d for _, d in done.parts], COMPOSITION_KEYS)
    data |= {"skipped": _skipped(done), "backups": _backups(done)}
    sheet = composition_sheet(data, values.date(dt.date.fromisoformat(data["as_of"])))
    sheet.lines += _notes(data)
    emit(sheet, fmt, output, guard(ctx, force))
