"""The columns of member files (import and export), with their two-language headers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str  # English header, also the JSON key and the field name
    vi: str  # Vietnamese header
    required: bool = False
    kind: str = "text"  # text | date | vocab:<name> | branch | digits


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("id", "Mã", kind="id"),
    Column("full_name", "Họ và tên", required=True),
    Column("given_name", "Tên gọi"),
    Column("gender", "Giới tính", required=True, kind="vocab:gender"),
    Column("birth_date", "Ngày sinh", required=True, kind="date"),
    Column("ethnicity", "Dân tộc", required=True, kind="vocab:ethnicity"),
    Column("religion", "Tôn giáo", kind="vocab:religion"),
    Column("branch", "Chi bộ", required=True, kind="branch"),
    Column("admitted_on", "Ngày vào Đảng", required=True, kind="date"),
    Column("official_on", "Ngày chính thức", kind="date"),
    Column("card_no", "Số thẻ đảng viên", kind="digits"),
    Column("national_id", "Số CCCD", kind="digits"),
    Column("file_no", "Số lý lịch"),
    Column("home_town", "Quê quán"),
    Column("education", "Trình độ học vấn", kind="vocab:education"),
    Column("theory_level", "Lý luận chính trị", kind="vocab:theory_level"),
    Column("profession", "Nghề nghiệp"),
    Column("phone", "Điện thoại", kind="digits"),
    Column("age_exception", "Lý do ngoại lệ tuổi"),
    Column("left_on", "Ngày ra khỏi danh sách", kind="date"),
    Column("left_reason", "Lý do ra khỏi danh sách", kind="vocab:leave_reason"),
    # A member admitted elsewhere joined this roll later; "x" marks one who only
    # attends here for a while (sinh hoạt tạm thời) and is not counted.
    Column("transferred_in_on", "Ngày chuyển đến", kind="date"),
    Column("temporary", "Sinh hoạt tạm thời"),
    Column("note", "Ghi chú"),
)

MEMBER_FIELDS = tuple(c.name for c in MEMBER_COLUMNS if c.name != "id")
COLUMN_BY_NAME = {c.name: c for c in MEMBER_COLUMNS}


def header(column: Column, headers: str) -> str:
    """The header of ``column`` in the ``en`` or ``vi`` set."""
    return column.vi if headers == "vi" else column.name


class ColumnName(str):
    """A column named in a message, shown as its header in the message's language:
    `card_no` reads "Số thẻ đảng viên" in Vietnamese (`i18n.t` asks ``in_lang``)."""

    __slots__ = ()

    def in_lang(self, lang: str) -> str:
        column = COLUMN_BY_NAME.get(str(self))
        return header(column, lang) if column else str(self)
