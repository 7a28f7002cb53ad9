"""`tanhung import …`: load member and branch lists from the files branches send."""

from __future__ import annotations

import codecs
import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from tanhung_cli import render
from tanhung_cli.cli.common import registry
from tanhung_cli.cli.ethnic_option import EthnicCodes, EthnicTable
from tanhung_cli.cli.outputs import ForceOption, ending, guard
from tanhung_cli.cli.problem_output import ProblemFormat, ProblemFormatOption, problems_json
from tanhung_cli.i18n import t
from tanhung_cli.importer import ImportRefused, Options, Summary, Target, run_import
from tanhung_cli.importer.attendance import AttendanceImport
from tanhung_cli.importer.branches import BranchImport
from tanhung_cli.importer.enrolments import EnrolmentImport
from tanhung_cli.importer.meetings import MeetingImport
from tanhung_cli.importer.members import MemberImport
from tanhung_cli.importer.ratings import RatingImport
from tanhung_cli.importer.training import CourseImport
from tanhung_cli.problems import Problem, word
from tanhung_cli.render import values
from tanhung_cli.tabular import ENCODINGS
from tanhung_cli.vietnamese import clean

app = typer.Typer(no_args_is_help=True, help="Load lists from CSV / Excel files (nhập từ tệp).")

PROGRESS_BYTES = 1 << 20  # smaller files are done before a bar would be read


def _encoding(value: str | None) -> str | None:
    if value is None:
        return None
    name = value.strip().lower().replace("_", "-")
    if name not in ENCODINGS:
        with contextlib.suppress(LookupError, ValueError):  # utf8, windows-1258, UTF_16…
            name = codecs.lookup(name).name
    if name not in ENCODINGS:  # rot13, base64, idna, latin-1… are not what clerks' files use
        raise typer.BadParameter(t("import.bad_encoding", encoding=clean(value)[:40]))
    return name


FileArg = Annotated[
    Path, typer.Argument(help="A .csv, .tsv, .txt or .xlsx file.", show_default=False)
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and count; write nothing.")]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Write the valid rows; report the others.")
]
Rejects = Annotated[
    Path | None,
    typer.Option(
        "--rejects",
        help="Write the rejected rows, with a reason column, to this new .csv or .xlsx file.",
    ),
]
REJECTS_ENDINGS = (".csv", ".xlsx")
Update = Annotated[
    bool, typer.Option("--update", help="Apply the file's values to matched records that differ.")
]
KeepCase = Annotated[
    bool,
    typer.Option("--keep-case", help="Members: keep names typed in capitals throughout as typed."),
]

Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        callback=_encoding,
        help=f"Force the encoding, one of: {', '.join(ENCODINGS)}.",
    ),
]


def _echo_err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _progress(path: Path) -> Iterator[Callable[[int, int | None], None] | None]:
    """A progress bar on stderr for a large file, when stderr is a terminal."""
    try:
        large = path.stat().st_size >= PROGRESS_BYTES
    except (OSError, ValueError):  # ValueError: a NUL in the name; open_table says so
        large = False
    if not (large and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(show_speed=True),  # no "0%" once the measure is gone
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("import.progress", file=path.name), total=None)

        def update(done: int, total: int | None) -> None:
            nonlocal task
            if total is None:  # read and checked: writing, which has no measure
                bar.remove_task(task)
                task = bar.add_task(t("import.writing", file=path.name), total=None)
            else:
                bar.update(task, completed=done, total=total)

        yield update


def _run(
    ctx: typer.Context, path: Path, target: Target, options: Options, fmt: ProblemFormat
) -> Summary:
    conn = registry(ctx)
    found: list[Problem] = []
    if fmt is ProblemFormat.json:  # the rows' problems as data, not as lines on stderr
        options.found = found.append
    with _progress(path) as progress:
        try:
            summary = run_import(conn, path, target, options, _echo_err, progress)
        except ImportRefused:
            if fmt is ProblemFormat.json:
                render.to_json(problems_json(found))
            raise
    _finish(summary, options)
    if fmt is ProblemFormat.json:
        render.to_json(_summary_json(summary, found))
    return summary


def _summary_json(summary: Summary, found: list[Problem]) -> dict[str, Any]:
    counts = ("added", "updated", "unchanged", "rejected", "rejects_written")
    return {
        "file": summary.file,
        "dry_run": summary.dry_run,
        **{name: getattr(summary, name) for name in counts},
        "problems": problems_json(found),
    }


def _finish(summary: Summary, options: Options) -> None:
    if summary.rejects_written and options.rejects:
        _echo_err(t("import.rejects_written", count=summary.rejects_written, file=options.rejects))
    if options.found is not None:
        return  # the summary is JSON
    key = "import.summary_dry" if summary.dry_run else "import.summary"
    typer.echo(
        t(
            key,
            file=summary.file,
            added=summary.added,
            updated=summary.updated,
            unchanged=summary.unchanged,
            rejected=summary.rejected,
            seconds=values.decimal(summary.seconds),
        )
    )


def _file_command(
    name: str,
    make_target: Callable[[typer.Context, Options], Target],
    doc: str,
    after: Callable[[typer.Context, Target], None] | None = None,
) -> None:
    """Register `tanhung import NAME FILE`: every kind of file takes the same options."""

    def command(
        ctx: typer.Context,
        file: FileArg,
        dry_run: DryRun = False,
        skip_invalid: SkipInvalid = False,
        rejects: Rejects = None,
        update: Update = False,
        encoding: Encoding = None,
        keep_case: KeepCase = False,
        ethnic_codes: EthnicCodes = EthnicTable.t2008,
        force: ForceOption = False,
        fmt: ProblemFormatOption = ProblemFormat.text,
    ) -> None:
        registry(ctx, write=not dry_run)  # a dry run writes nothing, so creates nothing
        options = Options(dry_run, skip_invalid, update, rejects, encoding, keep_case)
        options.ethnic_codes = ethnic_codes.value
        if rejects is not None:
            # Refused before the import runs: never the file being imported, nor the registry.
            options.rejects_guard = guard(ctx, force, file)
            options.rejects_guard.refuse(rejects)
            ending(rejects, REJECTS_ENDINGS, "--rejects")
        target = make_target(ctx, options)
        _run(ctx, file, target, options, fmt)
        if after is not None:
            after(ctx, target)

    command.__doc__ = doc
    command.__name__ = f"import_{name}"
    app.command(name)(command)


def _support_target(kind: str) -> Target:
    from tanhung_cli.importer.loans import LoanImport
    from tanhung_cli.importer.repayments import RepaymentImport

    return LoanImport() if kind == "loans" else RepaymentImport()


def _ethnic_table_note(ctx: typer.Context, target: Target) -> None:
    """After the summary: the table the file's bare ethnic numbers were read by."""
    from tanhung_cli import ethnic_codes

    assert isinstance(target, MemberImport)
    if ethnic_codes.met_numbers():
        _echo_err(t(f"ids.ethnic_numbers_{target.ethnic_codes}"))


def _rating_warnings(ctx: typer.Context, target: Target) -> None:
    from tanhung_cli import ratings

    assert isinstance(target, RatingImport)
    for year in sorted(target.years):
        for problem in ratings.warnings_for(registry(ctx), year):
            _echo_err(word(problem))


_file_command(
    "members",
    lambda ctx, options: MemberImport(
        registry(ctx), keep_case=options.keep_case, ethnic_codes=options.ethnic_codes
    ),
    """Import members from a file (nhập danh sách đảng viên).

    Every row is checked with the same rules as `member add`; by default one bad row
    and nothing is written. Importing the same file again adds nobody twice. Names in
    capitals throughout are stored capitalised (Nguyễn Văn Tám), unless --keep-case.

    Ethnic groups given as bare numbers are read by the 2008 table unless
    --ethnic-codes 1979; an import that met them says which table it used.

    Example: tanhung import members "Chi bo Ap Cho.xlsx" --dry-run
    """,
    _ethnic_table_note,
)
_file_command(
    "branches",
    lambda ctx, options: BranchImport(),
    """Import branches from a file with columns name / Tên chi bộ and kind / Loại (nhập chi bộ).

    Example: tanhung import branches chi-bo.csv
    """,
)
_file_command(
    "courses",
    lambda ctx, options: CourseImport(),
    """Import training courses (nhập khóa đào tạo, bồi dưỡng).

    Columns: name / Tên khóa học, kind / Loại, organiser / Đơn vị tổ chức,
    start_on / Ngày bắt đầu, end_on / Ngày kết thúc. Example: tanhung import courses khoa-hoc.xlsx
    """,
)
_file_command(
    "enrolments",
    lambda ctx, options: EnrolmentImport(),
    """Import who took which course (nhập danh sách học viên).

    Columns: course / Khóa học (id or name), id / Mã or card_no / Số thẻ đảng viên or
    national_id / Số CCCD, full_name / Họ và tên (checked), completed / Hoàn thành (x, có,
    không), completed_on / Ngày hoàn thành. Example: tanhung import enrolments hoc-vien.csv
    """,
)
_file_command(
    "ratings",
    lambda ctx, options: RatingImport(),
    """Import annual ratings (nhập xếp loại chất lượng đảng viên).

    Columns: year / Năm, id / Mã or card_no / Số thẻ đảng viên or national_id / Số CCCD,
    full_name / Họ và tên (checked), rating / Xếp loại (e.g. HTTNV, hoàn thành tốt).
    Example: tanhung import ratings xep-loai-2024.xlsx
    """,
    after=_rating_warnings,
)
_file_command(
    "meetings",
    lambda ctx, options: MeetingImport(),
    """Import meetings held (nhập các cuộc họp, hội nghị).

    Columns: on_date / Ngày họp, kind / Loại (e.g. giao ban, thường kỳ), title / Tên cuộc họp,
    held_by / Đơn vị tổ chức (a branch; empty for the committee), note / Ghi chú,
    guests / Khách mời. Example: tanhung import meetings hoi-nghi.xlsx
    """,
)
_file_command(
    "attendance",
    lambda ctx, options: AttendanceImport(),
    """Import who attended which meeting (nhập điểm danh).

    Columns: on_date / Ngày họp, kind / Loại and held_by / Đơn vị tổ chức (which meeting),
    id / Mã or card_no / Số thẻ đảng viên or national_id / Số CCCD, full_name / Họ và tên,
    attendance / Tham dự (có mặt, vắng có lý do, vắng không lý do; empty: present),
    absence_reason / Lý do vắng. Example: tanhung import attendance diem-danh.csv
    """,
)
_file_command(
    "loans",
    lambda ctx, options: _support_target("loans"),
    """Import loans and grants to members in hardship (nhập danh sách cho vay, hỗ trợ).

    Columns: fund / Quỹ, id / Mã or card_no / Số thẻ đảng viên or national_id / Số CCCD,
    full_name / Họ và tên (checked), loan_kind / Hình thức (vay, hỗ trợ), amount / Số tiền
    (356.000.000, 20 triệu, 1,1 tỷ), lent_on / Ngày vay, due_on / Hạn trả, purpose / Mục đích.
    Example: tanhung import loans cho-vay.xlsx --dry-run
    """,
)
_file_command(
    "repayments",
    lambda ctx, options: _support_target("repayments"),
    """Import repayments of loans (nhập danh sách trả nợ).

    Columns: loan / Khoản vay (its id), or fund / Quỹ, the member and lent_on / Ngày vay;
    paid_on / Ngày trả, amount / Số tiền. Example: tanhung import repayments tra-no.csv
    """,
)
