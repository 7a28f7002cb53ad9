"""Every member field, declared once.

One `Field` per column of a member file: where it is stored, what kind of value it
holds (the validator reads it by its kind), its labels, the other headers a file may
give it, and the option of `member add` / `edit` / `transfer-in` that sets it. The
validator's column sets (`rules`), the stored columns (`members`), the import record's
layout (`importer.member_record`), the exporter's columns, the file columns
(`columns.MEMBER_COLUMNS`), the CLI options and the `column.*` labels are derived here.

Adding an ordinary member field takes one entry below and one migration adding its
column.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of value, as the validator reads them:
#   id       the registry's id (files only)        name / given  the name and given name
#   vocab    a code of a vocabulary (``vocab``)     branch        a branch's name → branch_id
#   date     a past date                            plan          a date that may be ahead
#   digits   digits of given lengths (``digits``)   file_no       a member file number
#   text     free text, at most `rules.MAX_TEXT`    reason        free text, unbounded
#   flag     "x" or empty (temporary attendance)
#   schooling  general education: a grade (9/12, 7/10) or a level (`education.py`)


@dataclass(frozen=True)
class Field:
    name: str  # the file's English header, the JSON key, the raw value's key
    vi: str  # the Vietnamese header and label
    kind: str = "text"
    required: bool = False
    store: str | None = ""  # the members column; "" = ``name``; None = not stored
    vocab: str = ""
    digits: tuple[int, ...] = ()
    unique: bool = False  # a number that names one member (matched on import)
    usual: bool = False  # filled by nearly every row of a file (the import's short record)
    roll: bool = False  # part of the current period on the roll (kept by the registry)
    listed: bool = False  # a column of `member list`
    standing: bool = False  # the standing now: shown only while it holds at the date
    also: tuple[str, ...] = ()  # further headers a file may give it
    option: str = ""  # the option of member add / edit / transfer-in that sets it
    help: str = ""
    commands: tuple[str, ...] = ("add", "edit")  # the commands that take the option
    en: str = ""  # the English label; the name when empty

    @property
    def column(self) -> str | None:
        """The members column that stores the field (None: files only)."""
        return self.name if self.store == "" else self.store

    @property
    def label_en(self) -> str:
        return self.en or self.name

    @property
    def param(self) -> str:
        """The Python parameter of the option (``--file-no`` → ``file_no``)."""
        return self.option.lstrip("-").replace("-", "_")


_NEW = ("add", "edit", "transfer-in")  # also asked of a member transferred in
FIELDS: tuple[Field, ...] = (
    Field("id", "Mã", "id", store=None, listed=True),
    Field("full_name", "Họ và tên", "name", required=True, usual=True, listed=True,
          option="--name", help="Full name (họ và tên).", commands=_NEW),
    Field("given_name", "Tên gọi", "given", option="--given-name",
          help="Given name (tên) when it has several words.", commands=_NEW),
    Field("gender", "Giới tính", "vocab", required=True, vocab="gender", usual=True,
          listed=True, option="--gender", help="Nam / Nữ (male / female).", commands=_NEW),
    Field("birth_date", "Ngày sinh", "date", required=True, usual=True, listed=True,
          option="--born", commands=_NEW,
          help="Birth date (ngày sinh), dd/mm/yyyy; a year or mm/yyyy alone for old records."),
    Field("ethnicity", "Dân tộc", "vocab", required=True, vocab="ethnicity", usual=True,
          listed=True, option="--ethnicity", help="Ethnic group (dân tộc): name or code.",
          commands=_NEW),
    Field("religion", "Tôn giáo", "vocab", vocab="religion", usual=True,
          option="--religion", help="Religion (tôn giáo).", commands=_NEW),
    Field("branch", "Chi bộ", "branch", required=True, store="branch_id", usual=True,
          listed=True, option="--branch", help="Branch (chi bộ).", commands=_NEW),
    # Admission has four dates (Quy định 294-QĐ/TW): the branch meeting, the committee's,
    # the decision (ngày vào Đảng: party age counts from it) and the ceremony (probation
    # counts from it; empty on old records: then the decision, shown as not recorded).
    Field("branch_met_on", "Ngày chi bộ xét kết nạp", "date",
          also=("Ngày chi bộ xét", "Ngày họp chi bộ xét kết nạp", "branch_meeting"),
          option="--branch-met", commands=_NEW,
          help="Date the branch met to consider the admission (chi bộ xét); the age is "
          "checked at it."),
    Field("committee_met_on", "Ngày đảng ủy xét kết nạp", "date",
          also=("Ngày đảng ủy xét", "committee_meeting"), option="--committee-met",
          commands=_NEW, help="Date the committee considered the admission (đảng ủy xét)."),
    Field("admitted_on", "Ngày vào Đảng", "date", required=True, usual=True, listed=True,
          option="--admitted", commands=_NEW,
          help="Admission date (ngày vào Đảng): the date of the admission decision."),
    Field("ceremony_on", "Ngày lễ kết nạp", "date",
          also=("Ngày tổ chức lễ kết nạp", "ceremony"), option="--ceremony", commands=_NEW,
          help="Date of the admission ceremony (lễ kết nạp); probation counts from it."),
    Field("official_on", "Ngày chính thức", "date", usual=True, listed=True,
          option="--official", help="Official date (ngày chính thức).", commands=_NEW),
    Field("card_no", "Số thẻ đảng viên", "digits", digits=(8,), unique=True, usual=True,
          option="--card", help="Party card number (số thẻ), 8 digits.", commands=_NEW),
    Field("national_id", "Số CCCD", "digits", digits=(12,), unique=True, usual=True,
          option="--cccd", help="Citizen ID (số CCCD), 12 digits.", commands=_NEW),
    Field("file_no", "Số lý lịch", "file_no", unique=True, option="--file-no",
          help="Member file number (số lý lịch).", commands=_NEW),
    Field("home_town", "Quê quán", option="--home-town", help="Home town (quê quán)."),
    # Education as separate scales (issue #14 point 11; `education.py`). The general column
    # of an old file ("Trình độ học vấn") may hold a professional level: it is read there.
    Field("general_education", "Giáo dục phổ thông", "schooling", vocab="general_education",
          also=("education", "Trình độ học vấn", "Học vấn", "Trình độ văn hóa",
                "Trình độ giáo dục phổ thông"),
          option="--education",
          help="General education (giáo dục phổ thông): 9/12, 7/10, THCS …"),
    Field("professional_level", "Chuyên môn nghiệp vụ", "vocab", vocab="professional_level",
          also=("Trình độ chuyên môn", "Chuyên môn", "Trình độ chuyên môn nghiệp vụ",
                "professional"),
          option="--professional",
          help="Professional qualification (chuyên môn nghiệp vụ): Trung cấp, Đại học …"),
    Field("theory_level", "Lý luận chính trị", "vocab", vocab="theory_level",
          option="--theory", help="Political theory level (lý luận chính trị)."),
    Field("foreign_language", "Ngoại ngữ", also=("Trình độ ngoại ngữ",),
          option="--foreign-language",
          help="Foreign language and level (ngoại ngữ), as written: Tiếng Anh B1 …"),
    Field("profession", "Nghề nghiệp", option="--profession", help="Profession (nghề nghiệp)."),
    Field("phone", "Điện thoại", "digits", digits=(10, 11), option="--phone",
          help="Phone number (điện thoại)."),
    Field("age_exception", "Lý do ngoại lệ tuổi", "reason", option="--age-exception",
          help="Why an admission outside age 18-60 is allowed (recorded)."),
    Field("education_exception", "Lý do ngoại lệ học vấn", "reason",
          also=("Ngoại lệ học vấn",), option="--education-exception",
          help="The decision or area that allows an admission without THCS (recorded)."),
    Field("left_on", "Ngày ra khỏi danh sách", "date"),
    Field("left_reason", "Lý do ra khỏi danh sách", "vocab", vocab="leave_reason"),
    Field("removal_reason", "Lý do xóa tên", "vocab", vocab="removal_reason"),
    # The first admission stays "Ngày vào Đảng"; a re-admission (kết nạp lại) is kept apart.
    Field("readmitted_on", "Ngày kết nạp lại", "date"),
    # A member admitted elsewhere joined this roll later; "x" marks one who only
    # attends here for a while (sinh hoạt tạm thời) and is not counted.
    Field("transferred_in_on", "Ngày chuyển đến", "date", store="joined_roll_on", roll=True),
    Field("temporary", "Sinh hoạt tạm thời", "flag", store="presence", roll=True),
    # The member's standing now, which the registry also keeps as dated events (the
    # import writes the events the commands would have): exempt from meetings, and
    # away on a temporary transfer out (still counted here) with its planned return.
    Field("exempt_since", "Miễn sinh hoạt từ", "date", standing=True),
    Field("away_since", "Chuyển sinh hoạt tạm thời đi", "date", standing=True),
    Field("away_to", "Nơi chuyển đến", standing=True),
    Field("away_until", "Dự kiến trở về", "plan", standing=True),
    # Transfers with their deadlines (Quy định 294-QĐ/TW, point 6.3): why a member is
    # away (study allows 2 years) and the extension decision; where one transferred in
    # came from, the planned end of a temporary attendance here, and the official
    # transfer letter's date and presentation (within 30 working days).
    Field("away_purpose", "Mục đích chuyển tạm thời", "vocab", vocab="transfer_purpose",
          standing=True, also=("Mục đích",)),
    Field("away_extension", "Quyết định gia hạn", standing=True),
    Field("came_from", "Nơi chuyển từ", also=("Chuyển từ",)),
    Field("temporary_until", "Sinh hoạt tạm thời đến", "plan"),
    Field("letter_on", "Ngày giấy giới thiệu", "date"),
    Field("letter_presented_on", "Ngày xuất trình giấy giới thiệu", "date"),
    Field("note", "Ghi chú", option="--note", help="Note (ghi chú)."),
)  # fmt: skip

BY_NAME = {f.name: f for f in FIELDS}


def named(kind: str) -> tuple[Field, ...]:
    """The fields of one kind, in file order."""
    return tuple(f for f in FIELDS if f.kind == kind)


# Stored columns a clerk may give; the rest (keys, the roll's columns) are derived.
STORED = tuple(f.column for f in FIELDS if f.column and not f.roll and f.kind != "id")
VOCAB_OF = {f.column: f.vocab for f in FIELDS if f.kind in ("vocab", "schooling")}
VOCAB_OF["education"] = "education"  # the single scale, read in history before the split
UNIQUE = tuple(f.name for f in FIELDS if f.unique)
DIGIT_LENGTHS = {f.name: f.digits for f in named("digits")}
# The roll's columns, named in messages by the file columns that carry them.
ROLL_LABELS = {f.column: f.name for f in FIELDS if f.roll and f.column}
LISTED = tuple(f.name for f in FIELDS if f.listed)
STANDING = tuple(f.name for f in FIELDS if f.standing)
# The import's short record: the fields nearly every row fills (keys after the name).
USUAL = tuple(
    column
    for f in FIELDS
    if f.usual and f.column
    for column in ((f.column, "name_key", "sort_key") if f.kind == "name" else (f.column,))
)


def options(command: str) -> tuple[Field, ...]:
    """The fields ``command`` (add, edit, transfer-in) takes as options, in file order."""
    return tuple(f for f in FIELDS if f.option and command in f.commands)


def labels() -> dict[str, dict[str, str]]:
    """The `column.*` labels of the member fields, for the message catalogue."""
    out = {f"column.{f.name}": {"vi": f.vi, "en": f.label_en} for f in FIELDS}
    for f in FIELDS:  # a stored column under another name reads as its field
        if f.column and f.column != f.name and f.kind == "branch":
            out[f"column.{f.column}"] = out[f"column.{f.name}"]
    return out
