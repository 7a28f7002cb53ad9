"""`tanhung import …`: load member and branch lists from the files branches send."""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tanhung_cli.cli.common import registry
from tanhung_cli.cli.ethnic_option import EthnicCodes, EthnicTable
from tanhung_cli.cli.import_run import echo_err, run
from tanhung_cli.cli.outputs import ForceOption, ending, guard
from tanhung_cli.cli.problem_output import ProblemFormat, ProblemFormatOption
from tanhung_cli.i18n import t
from tanhung_cli.importer import Options, Target
from tanhung_cli.importer.attendance import AttendanceImport
from tanhung_cli.importer.badges import BadgeImport
from tanhung_cli.importer.branches import BranchImport
from tanhung_cli.importer.enrolments import EnrolmentImport
from tanhung_cli.importer.meetings import MeetingImport
from tanhung_cli.importer.members import MemberImport
from tanhung_cli.importer.ratings import RatingImport
from tanhung_cli.importer.training import CourseImport
from tanhung_cli.problems import word
from tanhung_cli.tabular import ENCODINGS
from tanhung_cli.vietnamese import clean

app = typer.Typer(no_args_is_help=True, help="Load lists from CSV / Excel files (nhập từ tệp).")


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
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="The workbook's sheet (trang tính) to read, by name or number; default the first.",
    ),
]


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
        sheet: Sheet = None,
        keep_case: KeepCase = False,
        ethnic_codes: EthnicCodes = EthnicTable.t2008,
        force: ForceOption = False,
        fmt: ProblemFormatOption = ProblemFormat.text,
    ) -> None:
        registry(ctx, write=not dry_run)  # a dry run writes nothing, so creates nothing
        options = Options(dry_run, skip_invalid, update, rejects, encoding, keep_case)
        options.ethnic_codes = ethnic_codes.value
        options.sheet = sheet
        if rejects is not None:
            # Refused before the import runs: never the file being imported, nor the registry.
            options.rejects_guard = guard(ctx, force, file)
            options.rejects_guard.refuse(rejects)
            ending(rejects, REJECTS_ENDINGS, "--rejects")
        target = make_target(ctx, options)
        run(ctx, file, target, options, fmt)
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
        echo_err(t(f"ids.ethnic_numbers_{target.ethnic_codes}"))


def _rating_warnings(ctx: typer.Context, target: Target) -> None:
    from tanhung_cli import ratings

    assert isinstance(target, RatingImport)
    for year in sorted(target.years):
        for problem in ratings.warnings_for(registry(ctx), year):
            echo_err(word(problem))


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
    "badges",
    lambda ctx, options: BadgeImport(),
    """Import the register of Party badges (nhập sổ Huy hiệu Đảng).

    Columns: id / Mã or card_no / Số thẻ đảng viên or national_id / Số CCCD, full_name /
    Họ và tên (checked), years / Huy hiệu (30, 40 … 90), presented_on / Ngày trao,
    badge_no / Số huy hiệu, decision / Quyết định, kind / Loại (regular, early, posthumous
    or đúng hạn, tặng sớm, truy tặng), note / Ghi chú (an early award's illness). Each row
    is checked as `badge award` checks it. Example: tanhung import badges huy-hieu.xlsx
    """,
)
_file_command(
    "ratings",
    lambda ctx, options: RatingImport(),
    """Import annual ratings (nhập xếp loại chất lượng đảng viên).

    Columns: year / Năm, id / Mã or card_no / Số thẻ đảng viên or national_id / Số CCCD,
    full_name / Họ và tên (checked), rating / Xếp loại (e.g. HTTNV, hoàn thành tốt),
    score / Điểm (out of 100; needed from 2025, QĐ 366-QĐ/TW: it gives the grade).
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
