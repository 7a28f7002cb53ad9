"""Write the synthetic Tân Hùng sample registry under ``data/sample/`` (standard library only).

    python scripts/make_sample.py [OUTPUT_DIR]

The people are invented; the aggregates are those of the article in
``shared/seed`` (see FIGURES.md), as of the end of the 2015–2020 term
(30/06/2020): 301 members on the roll, 292 official, 9 probationary, 56 Khmer,
78 women; 45 admitted during the term against a target of 39; 124 training
attendances. The files also hold what a real roll holds besides: members who
died, transferred out or were removed before the end of the term, and courses
held before it.

The committee's life then goes on to ``DATA_END`` as a real one's would
(``Continuation``): the nine probationers are confirmed, members are admitted,
confirmed, die, move away or arrive, the 2020-2025 and 2025-2030 terms have their
targets and courses. It draws from a random generator of its own, after everything
above, so the files as of 30/06/2020 are what they were. The same seed always writes
the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20200630
TERM = ("2015-2020", dt.date(2015, 7, 1), dt.date(2020, 6, 30))
ADMISSIONS_TARGET = 39
# The terms after the article's, with their admissions targets.
LATER_TERMS = [
    ("2020-2025", dt.date(2020, 7, 1), dt.date(2025, 6, 30), 40),
    ("2025-2030", dt.date(2025, 7, 1), dt.date(2030, 6, 30), 42),
]
# The last day the sample's records reach.
DATA_END = dt.date(2026, 11, 30)
# Admissions after the article's term, by (year, first month, last month).
LATER_ADMISSIONS = {(2020, 7, 12): 4, (2021, 1, 12): 8, (2022, 1, 12): 9, (2023, 1, 12): 8,
                    (2024, 1, 12): 10, (2025, 1, 6): 5, (2025, 7, 12): 4, (2026, 1, 11): 7}  # fmt: skip
# Members who leave the roll after the article's term: (reason, how many, from, until).
LATER_LEAVERS = [
    ("Từ trần", 14, dt.date(2020, 8, 1), dt.date(2026, 10, 31)),
    ("Chuyển sinh hoạt chính thức đi nơi khác", 4, dt.date(2021, 1, 1), dt.date(2026, 9, 30)),
    ("Xóa tên", 1, dt.date(2023, 5, 1), dt.date(2023, 11, 30)),
    ("Xin ra khỏi Đảng", 1, dt.date(2022, 3, 1), dt.date(2022, 9, 30)),
]
# Members received by official transfer (admitted elsewhere), by the day they joined.
LATER_ARRIVALS = [dt.date(2021, 9, 15), dt.date(2023, 3, 2), dt.date(2025, 10, 6)]
OUT = Path(__file__).resolve().parent.parent / "data" / "sample"
COMMUNES = ("Đảng bộ xã Hiếu Tử", "Đảng bộ xã Tập Ngãi", "Đảng bộ thị trấn Cầu Quan")

# (name, kind, members on the roll at the end of the term, of whom Khmer, of whom Hoa)
BRANCHES = [
    ("Ấp Chợ", "Chi bộ ấp", 38, 0, 2),
    ("Ấp Nhứt", "Chi bộ ấp", 30, 0, 0),
    ("Ấp Nhì", "Chi bộ ấp", 28, 2, 0),
    ("Ấp Sáu", "Chi bộ ấp", 32, 3, 0),
    ("Ấp Te Te 1", "Chi bộ ấp", 34, 14, 0),
    ("Ấp Te Te 2", "Chi bộ ấp", 29, 12, 0),
    ("Ấp Phụng Sa", "Chi bộ ấp", 31, 13, 0),
    ("Ấp Trung Tiến", "Chi bộ ấp", 27, 6, 0),
    ("Trường Tiểu học Tân Hùng", "Chi bộ sự nghiệp", 10, 2, 0),
    ("Trường THCS Tân Hùng", "Chi bộ sự nghiệp", 11, 1, 0),
    ("Trạm Y tế xã", "Chi bộ sự nghiệp", 7, 1, 0),
    ("Công an xã", "Chi bộ ngành", 8, 1, 0),
    ("Quân sự xã", "Chi bộ ngành", 6, 0, 0),
    ("Cơ quan Đảng - Chính quyền xã", "Chi bộ cơ quan", 10, 1, 0),
]
SECTOR_PROFESSION = {
    "Trường Tiểu học Tân Hùng": "Giáo viên",
    "Trường THCS Tân Hùng": "Giáo viên",
    "Trạm Y tế xã": "Y sĩ",
    "Công an xã": "Công an",
    "Quân sự xã": "Quân nhân",
    "Cơ quan Đảng - Chính quyền xã": "Cán bộ, công chức",
}
WOMEN_ON_ROLL = 78
# Admissions during the term of members still on the roll at its end, by year;
# the last nine (from 1 July 2019) are still probationary on 30 June 2020.
ADMITTED_ON_ROLL = {2015: 4, 2016: 8, 2017: 9, 2018: 8, 2019: 10, 2020: 4}
# Of 2019's admissions, this many came before July (confirmed by the end of the term).
CONFIRMED_OF_2019 = 5
PROBATIONARY_AT_END = 9
# People who left the roll: (reason, left on or after, left before, admitted in the term?)
LEAVERS = [
    ("Từ trần", dt.date(2012, 3, 1), dt.date(2015, 6, 1), False),
    ("Từ trần", dt.date(2013, 1, 1), dt.date(2015, 6, 1), False),
    ("Từ trần", dt.date(2014, 1, 1), dt.date(2015, 6, 1), False),
    ("Chuyển sinh hoạt chính thức đi nơi khác", dt.date(2013, 1, 1), dt.date(2015, 6, 1), False),
    ("Từ trần", dt.date(2015, 8, 1), dt.date(2016, 6, 1), False),
    ("Từ trần", dt.date(2016, 7, 1), dt.date(2017, 12, 1), False),
    ("Từ trần", dt.date(2017, 2, 1), dt.date(2018, 6, 1), False),
    ("Từ trần", dt.date(2018, 7, 1), dt.date(2019, 6, 1), False),
    ("Từ trần", dt.date(2019, 1, 1), dt.date(2019, 12, 1), False),
    ("Từ trần", dt.date(2019, 9, 1), dt.date(2020, 5, 1), False),
    ("Chuyển sinh hoạt chính thức đi nơi khác", dt.date(2016, 1, 1), dt.date(2016, 12, 1), False),
    ("Chuyển sinh hoạt chính thức đi nơi khác", dt.date(2017, 3, 1), dt.date(2018, 3, 1), False),
    ("Chuyển sinh hoạt chính thức đi nơi khác", dt.date(2018, 5, 1), dt.date(2019, 5, 1), False),
    ("Chuyển sinh hoạt chính thức đi nơi khác", dt.date(2019, 8, 1), dt.date(2020, 4, 1), True),
    ("Xóa tên", dt.date(2017, 4, 1), dt.date(2017, 6, 1), True),
    ("Xóa tên", dt.date(2018, 9, 1), dt.date(2019, 3, 1), False),
    ("Xin ra khỏi Đảng", dt.date(2016, 10, 1), dt.date(2017, 6, 1), False),
    ("Khai trừ", dt.date(2019, 3, 1), dt.date(2019, 10, 1), False),
]

KINH_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
               "Ngô", "Dương", "Lý", "Phan", "Trương", "Đoàn", "Châu", "Lương"]  # fmt: skip
KINH_MIDDLE = {"Nam": ["Văn", "Văn", "Văn", "Hữu", "Minh", "Thanh", "Quốc", "Công", "Hoàng"],
               "Nữ": ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Thúy", "Hồng"]}  # fmt: skip
KINH_GIVEN = {
    "Nam": ["Hùng", "Dũng", "Tâm", "Phước", "Lộc", "Thành", "Hải", "Tuấn", "Nghĩa", "Bình",
            "Sơn", "Trung", "Hiếu", "Khánh", "Tài", "Lực", "Phúc", "Toàn", "Vũ", "Nhân",
            "Hòa", "Thắng", "Quang", "Long", "Cường", "Đức", "Hưng", "Kiệt", "Tú", "Út"],
    "Nữ": ["Lan", "Hoa", "Mai", "Thảo", "Hương", "Trang", "Nhung", "Loan", "Thủy", "Diễm",
           "Hạnh", "Phượng", "Yến", "Ngân", "Tuyết", "Vân", "Hằng", "Thúy", "Xuân", "Nga"],
}  # fmt: skip
KHMER_FAMILY = ["Thạch", "Sơn", "Kim", "Danh", "Lâm", "Kiên", "Trà", "Thạch", "Sơn"]
KHMER_GIVEN = {
    "Nam": ["Sa Rinh", "Sô Phal", "Sóc Kha", "Chanh Đa", "Sa Ray", "Mây", "Sang", "Phol",
            "Rây", "Khánh Ry", "Pho", "Sóc", "Chăn Thu", "Sa Muol", "Kha Ra", "Na Rinh"],
    "Nữ": ["Sa Rươne", "Sà Phol", "Thi Đa", "Ngọc Sa", "Sóc Phia", "Mơ Ni", "Chanh Thi",
           "Sa Ly", "Kim Nương", "Sóc Thươl", "Phương", "Sa Quanh"],
}  # fmt: skip
HOA_FAMILY = ["Quách", "Tăng", "Lưu", "Mã", "Trịnh"]
HOA_GIVEN = {"Nam": ["Phát", "Quang", "Hưng"], "Nữ": ["Muội", "Huệ", "Lìn"]}
HOME_TOWNS = ["xã Tân Hùng, huyện Tiểu Cần, tỉnh Trà Vinh"] * 8 + [
    "xã Long Thới, huyện Tiểu Cần, tỉnh Trà Vinh",
    "xã Hiếu Tử, huyện Tiểu Cần, tỉnh Trà Vinh",
    "thị trấn Cầu Quan, huyện Tiểu Cần, tỉnh Trà Vinh",
    "xã Tập Ngãi, huyện Tiểu Cần, tỉnh Trà Vinh",
    "xã Phương Thạnh, huyện Càng Long, tỉnh Trà Vinh",
    "xã Ngãi Hùng, huyện Tiểu Cần, tỉnh Trà Vinh",
]
HAMLET_WORK = ["Nông dân", "Nông dân", "Nông dân", "Buôn bán", "Hưu trí", "Cán bộ ấp"]
# Who is drawn "Hưu trí" (retired) is so only past the retirement age (the sample's
# 2026, men 61, women 57 years: Bộ luật Lao động 2019, Điều 169); younger, a farmer.
SAMPLE_YEAR = 2026


def hamlet_work(drawn: str, born: dt.date, woman: bool) -> str:
    retired = SAMPLE_YEAR - born.year >= (57 if woman else 61)
    return "Nông dân" if drawn == "Hưu trí" and not retired else drawn


MEMBER_HEADER = ["Họ và tên", "Tên gọi", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo",
                 "Chi bộ", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Số CCCD",
                 "Số lý lịch", "Quê quán", "Giáo dục phổ thông", "Chuyên môn nghiệp vụ",
                 "Lý luận chính trị",
                 "Nghề nghiệp", "Ngày ra khỏi danh sách", "Lý do ra khỏi danh sách",
                 "Ghi chú", "Ngày chuyển đến", "Ngày chi bộ xét kết nạp",
                 "Ngày đảng ủy xét kết nạp", "Ngày lễ kết nạp", "Ngày kết nạp lại"]  # fmt: skip
# Transfers with their deadlines (issue #14, point 8): few members have any of these.
TRANSFER_HEADER = ["Sinh hoạt tạm thời", "Nơi chuyển từ", "Sinh hoạt tạm thời đến",
                   "Ngày giấy giới thiệu", "Ngày xuất trình giấy giới thiệu",
                   "Chuyển sinh hoạt tạm thời đi", "Nơi chuyển đến", "Dự kiến trở về",
                   "Mục đích chuyển tạm thời"]  # fmt: skip
GAP_HEADER = ["Họ và tên", "Số CCCD", "Từ ngày", "Đến ngày", "Loại", "Ghi chú"]


@dataclass
class Person:
    branch: str
    ethnicity: str
    gender: str = "Nam"
    admitted: dt.date = dt.date(2000, 1, 1)
    official: dt.date | None = None
    born: dt.date = dt.date(1970, 1, 1)
    left: dt.date | None = None
    left_reason: str = ""
    name: str = ""
    given: str = ""
    card: str = ""
    cccd: str = ""
    file_no: str = ""
    theory: str = "Sơ cấp"
    courses: list[str] = field(default_factory=list)
    arrived: dt.date | None = None  # joined this roll by transfer, admitted elsewhere
    branch_met: dt.date | None = None  # the admission's four dates (issue #14): the branch
    committee_met: dt.date | None = None  # meeting, the committee's, the decision
    ceremony: dt.date | None = None  # (`admitted`) and the ceremony
    readmitted: dt.date | None = None  # admitted again (`admitted` stays the first)
    transfer: dict[str, str] = field(default_factory=dict)  # by TRANSFER_HEADER
    gap: tuple[dt.date, dt.date, str, str] | None = None  # not counted in party age


def add_months(d: dt.date, months: int) -> dt.date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    for day in (d.day, 30, 29, 28):
        try:
            return d.replace(year=year, month=month0 + 1, day=day)
        except ValueError:
            continue
    raise ValueError(d)


def fmt(d: dt.date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.used: set[str] = set()
        self.people: list[Person] = []

    def unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def name(self, p: Person) -> None:
        rng = self.rng
        if p.ethnicity == "Khmer":
            given = rng.choice(KHMER_GIVEN[p.gender])
            middle = "Thị " if p.gender == "Nữ" and rng.random() < 0.6 else ""
            p.name = f"{rng.choice(KHMER_FAMILY)} {middle}{given}"
            p.given = given if " " in given else ""
        elif p.ethnicity == "Hoa":
            middle = "Thị" if p.gender == "Nữ" else "Văn"
            p.name = f"{rng.choice(HOA_FAMILY)} {middle} {rng.choice(HOA_GIVEN[p.gender])}"
        else:
            family = rng.choice(KINH_FAMILY)
            middle = rng.choice(KINH_MIDDLE[p.gender])
            p.name = f"{family} {middle} {rng.choice(KINH_GIVEN[p.gender])}"

    def dates(self, p: Person, admitted: dt.date, sector: bool) -> None:
        rng = self.rng
        p.admitted = admitted
        # Sector members join young; hamlet members at any age the rules allow.
        low, high = (21, 34) if sector else (19, 52)
        if p.left_reason == "Từ trần":
            low, high = 35, 50
        # Nobody on the file was born before 1930.
        high = max(low, min(high, admitted.year - 1930))
        age_months = rng.randint(low * 12, high * 12)
        p.born = add_months(admitted, -age_months) - dt.timedelta(days=rng.randrange(28))

    def identity(self, p: Person, official_by: dt.date | None) -> None:
        rng = self.rng
        if p.official and (official_by is None or p.official <= official_by):
            p.card = self.unique(lambda: f"{rng.randrange(10**8):08d}")
        century = 0 if p.born.year < 2000 else 2
        sex = century + (1 if p.gender == "Nữ" else 0)
        yy = p.born.year % 100
        if not (p.left_reason == "Từ trần" and p.left and p.left.year < 2016):
            p.cccd = self.unique(lambda: f"084{sex}{yy:02d}{rng.randrange(10**6):06d}")
        if rng.random() < 0.85:
            p.file_no = self.unique(lambda: f"{rng.randrange(10**6):06d}TV")

    def build(self) -> None:
        rng = self.rng
        name, start, end = TERM
        slots: list[tuple[str, str]] = []
        for branch, _kind, total, khmer, hoa in BRANCHES:
            ethnicities = ["Khmer"] * khmer + ["Hoa"] * hoa + ["Kinh"] * (total - khmer - hoa)
            slots += [(branch, e) for e in ethnicities]
        roll = [Person(branch, eth) for branch, eth in slots]
        for i in rng.sample(range(len(roll)), WOMEN_ON_ROLL):
            roll[i].gender = "Nữ"
        order = list(range(len(roll)))
        rng.shuffle(order)
        # Admissions of the term, earliest first: the last nine stay probationary.
        in_term: list[dt.date] = []
        for year, n in ADMITTED_ON_ROLL.items():
            lo = max(dt.date(year, 1, 1), start)
            hi = min(dt.date(year, 12, 31), end)
            if year == 2019:
                before, after = CONFIRMED_OF_2019, n - CONFIRMED_OF_2019
                in_term += [day_between(rng, lo, dt.date(2019, 6, 20)) for _ in range(before)]
                in_term += [day_between(rng, dt.date(2019, 7, 10), hi) for _ in range(after)]
                continue
            in_term += sorted(day_between(rng, lo, hi - dt.timedelta(days=10)) for _ in range(n))
        in_term.sort()
        for k, i in enumerate(order):
            p = roll[i]
            sector = p.branch in SECTOR_PROFESSION
            if k < len(in_term):
                admitted = in_term[k]
            else:
                first = dt.date(1996, 1, 1) if sector else dt.date(1968, 1, 1)
                admitted = day_between(rng, first, dt.date(2015, 5, 31))
            self.dates(p, admitted, sector)
            official = add_months(admitted, 12)
            p.official = official if official <= end else None
        assert sum(p.official is None for p in roll) == PROBATIONARY_AT_END
        leavers = []
        hamlets = [b[0] for b in BRANCHES if b[0] not in SECTOR_PROFESSION]
        for reason, lo, hi, admitted_in_term in LEAVERS:
            gender = "Nữ" if rng.random() < 0.25 else "Nam"
            eth = "Khmer" if rng.random() < 0.2 else "Kinh"
            p = Person(rng.choice(hamlets), eth, gender, left_reason=reason)
            p.left = day_between(rng, lo, hi)
            if admitted_in_term:
                # Confirmed members transfer out; an unconfirmed one has the name removed.
                latest = min(p.left - dt.timedelta(days=400), end)
                if reason == "Xóa tên":
                    latest = p.left - dt.timedelta(days=370)
                    admitted = day_between(rng, start + dt.timedelta(days=60), latest)
                else:
                    admitted = day_between(rng, start, latest)
            else:
                first = dt.date(1972, 1, 1) if reason == "Từ trần" else dt.date(1975, 1, 1)
                latest = min(p.left, start) - dt.timedelta(days=800)
                if reason == "Từ trần":
                    latest = min(latest, dt.date(1992, 12, 31))
                admitted = day_between(rng, first, latest)
            self.dates(p, admitted, False)
            official = add_months(admitted, 12)
            confirmed = not admitted_in_term or (official <= p.left and reason != "Xóa tên")
            p.official = official if confirmed else None
            leavers.append(p)
        self.people = roll + leavers
        rank = {b[0]: i for i, b in enumerate(BRANCHES)}
        self.people.sort(key=lambda p: (rank[p.branch], p.admitted))
        for p in self.people:
            self.name(p)
            self.identity(p, None)
            if p.ethnicity == "Khmer":
                p.theory = rng.choice(["Sơ cấp", "Sơ cấp", "Không"])
            else:
                p.theory = rng.choice(["Sơ cấp", "Sơ cấp", "Sơ cấp", "Không", "Trung cấp"])
        self.courses = self.training()

    def eligible(self, on: dt.date, official_only: bool = True) -> list[Person]:
        return [
            p
            for p in self.people
            if p.admitted < on
            and (p.left is None or p.left > on + dt.timedelta(days=60))
            and p.cccd
            and (not official_only or (p.official and p.official <= on))
        ]

    def training(self) -> list[tuple[str, str, str, dt.date, dt.date, list[Person]]]:
        """Courses and who attended: 124 attendances by 110 people within the term."""
        rng = self.rng
        _, start, end = TERM
        courses: list[tuple[str, str, str, dt.date, dt.date, list[Person]]] = []
        organiser = "Trung tâm Bồi dưỡng chính trị huyện Tiểu Cần"
        # New members attend the next new-members' class after their admission.
        classes = [dt.date(2016, 3, 14), dt.date(2016, 11, 7), dt.date(2017, 10, 9),
                   dt.date(2018, 9, 17), dt.date(2019, 8, 12), dt.date(2020, 5, 18)]  # fmt: skip
        taken: set[int] = set()
        for n, on in enumerate(classes, 1):
            new = [
                p for p in self.people
                if start <= p.admitted < on and id(p) not in taken
                and (p.left is None or p.left > on + dt.timedelta(days=30))
            ]  # fmt: skip
            taken.update(id(p) for p in new)
            courses.append((f"Lớp bồi dưỡng đảng viên mới đợt {n}", "Lớp đảng viên mới",
                            organiser, on, on + dt.timedelta(days=4), new))  # fmt: skip
        new_member_attendances = sum(len(c[5]) for c in courses)
        # Other courses of the term: (name, kind, organiser, start, days, size, repeaters).
        others = [
            ("Bồi dưỡng cấp ủy viên, bí thư chi bộ nhiệm kỳ 2015-2020", "Bồi dưỡng cấp ủy viên, bí thư chi bộ",
             "Huyện ủy Tiểu Cần", dt.date(2015, 9, 21), 5, 16, 0),
            ("Sơ cấp lý luận chính trị khóa 2016", "Sơ cấp lý luận chính trị", organiser,
             dt.date(2016, 6, 6), 45, 12, 0),
            ("Trung cấp lý luận chính trị - hành chính khóa 2017-2018", "Trung cấp lý luận chính trị",
             "Trường Chính trị tỉnh Trà Vinh", dt.date(2017, 3, 6), 360, 6, 4),
            ("Bồi dưỡng chuyên môn nghiệp vụ công tác đảng 2018", "Bồi dưỡng chuyên môn",
             "Ban Tổ chức Huyện ủy Tiểu Cần", dt.date(2018, 4, 16), 3, 12, 3),
            ("Sơ cấp lý luận chính trị khóa 2019", "Sơ cấp lý luận chính trị", organiser,
             dt.date(2019, 3, 11), 45, 10, 2),
            ("Bồi dưỡng chuyên môn nghiệp vụ công tác đảng 2019", "Bồi dưỡng chuyên môn",
             "Ban Tổ chức Huyện ủy Tiểu Cần", dt.date(2019, 10, 14), 3, 0, 5),
        ]  # fmt: skip
        size_left = 124 - new_member_attendances - sum(c[5] + c[6] for c in others)
        assert size_left >= 0, new_member_attendances
        last = others[-1]
        others[-1] = (*last[:5], size_left, last[6])
        attended: set[int] = set(taken)
        for cname, kind, org, on, days, fresh, repeat in others:
            pool = [p for p in self.eligible(on) if id(p) not in attended]
            again = [p for p in self.eligible(on) if id(p) in attended and id(p) not in taken]
            chosen = rng.sample(pool, fresh) + rng.sample(again, repeat)
            attended.update(id(p) for p in chosen)
            for p in chosen:
                if kind.startswith("Trung cấp"):
                    p.theory = "Trung cấp"
                elif kind.startswith("Sơ cấp") and p.theory == "Không":
                    p.theory = "Sơ cấp"
            courses.append((cname, kind, org, on, on + dt.timedelta(days=days), chosen))
        # Courses before the term: on the files, outside the term's figures.
        for cname, kind, on, size in (
            ("Sơ cấp lý luận chính trị khóa 2013", "Sơ cấp lý luận chính trị", dt.date(2013, 5, 6), 14),
            ("Bồi dưỡng chuyên môn nghiệp vụ 2014", "Bồi dưỡng chuyên môn", dt.date(2014, 8, 4), 9),
        ):  # fmt: skip
            chosen = rng.sample(self.eligible(on), size)
            courses.append((cname, kind, organiser, on, on + dt.timedelta(days=30), chosen))
        courses.sort(key=lambda c: c[3])
        return courses

    def write(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        _, start, end = TERM

        def writer(name: str, header: list[str], rows: list[list[str]]) -> None:
            with (out / name).open("w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, lineterminator="\r\n")
                w.writerow(header)
                w.writerows(rows)

        writer("branches.csv", ["Tên chi bộ", "Loại"], [[b[0], b[1]] for b in BRANCHES])
        rows = []
        rng = self.rng
        for p in self.people:
            if p.ethnicity == "Khmer":
                religion = "Phật giáo Nam tông" if rng.random() < 0.8 else "Không"
            elif p.ethnicity == "Hoa":
                religion = "Phật giáo"
            else:
                religion = rng.choice(["Không"] * 7 + ["Phật giáo", "Cao Đài", "Công giáo"])
            sector = SECTOR_PROFESSION.get(p.branch)
            if sector:
                education = rng.choice(["Đại học", "Đại học", "Cao đẳng", "Trung cấp"])
            else:
                education = rng.choice(["9/12", "12/12", "12/12", "5/12", "Trung cấp", "Đại học"])
            note = "Nhập từ sổ cũ" if p.admitted < dt.date(1980, 1, 1) else ""
            if p.readmitted:
                note = "Xóa tên năm 2012; kết nạp lại, BTV Tỉnh ủy đồng ý"
            # Education as separate scales (issue #14, point 11): who went on to a
            # professional level had finished school first (9/12 for a hamlet's trung cấp).
            general, professional = education, ""
            if "/" not in education:
                lower = education == "Trung cấp" and not sector
                general, professional = ("9/12" if lower else "12/12"), education
            rows.append([
                p.name, p.given, p.gender, fmt(p.born), p.ethnicity, religion, p.branch,
                fmt(p.admitted), fmt(p.official), p.card, p.cccd, p.file_no,
                rng.choice(HOME_TOWNS), general, professional, p.theory,
                sector or hamlet_work(rng.choice(HAMLET_WORK), p.born, p.gender == "Nữ"), fmt(p.left), p.left_reason, note,
                fmt(p.arrived), fmt(p.branch_met), fmt(p.committee_met), fmt(p.ceremony),
                fmt(p.readmitted), *(p.transfer.get(h, "") for h in TRANSFER_HEADER),
            ])  # fmt: skip
        writer("members.csv", MEMBER_HEADER + TRANSFER_HEADER, rows)
        writer("gaps.csv", GAP_HEADER, [
            [p.name, p.cccd, fmt(p.gap[0]), fmt(p.gap[1]), p.gap[2], p.gap[3]]
            for p in self.people if p.gap
        ])  # fmt: skip
        writer(
            "terms.csv",
            ["Nhiệm kỳ", "Ngày bắt đầu", "Ngày kết thúc", "Chỉ tiêu kết nạp đảng viên"],
            [[TERM[0], fmt(start), fmt(end), str(ADMISSIONS_TARGET)]]
            + [[name, fmt(a), fmt(b), str(goal)] for name, a, b, goal in LATER_TERMS],
        )
        writer(
            "courses.csv",
            ["Tên khóa học", "Loại", "Đơn vị tổ chức", "Ngày bắt đầu", "Ngày kết thúc"],
            [[c[0], c[1], c[2], fmt(c[3]), fmt(c[4])] for c in self.courses],
        )
        enrol = []
        for cname, _kind, _org, _on, until, people in self.courses:
            for p in sorted(people, key=lambda p: p.cccd):
                enrol.append([cname, p.name, p.cccd, "Có", fmt(until)])
        writer(
            "enrolments.csv",
            ["Khóa học", "Họ và tên", "Số CCCD", "Hoàn thành", "Ngày hoàn thành"],
            enrol,
        )


class Continuation:
    """The committee's life after the article's term, drawn from a generator of its own."""

    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.rng = random.Random(SEED + 1)

    def run(self) -> None:
        gen, rng = self.gen, self.rng
        _, _, end = TERM
        # The nine probationers of 30/06/2020 are confirmed twelve months after admission.
        for p in gen.people:
            if p.official is None and p.left is None:
                p.official = add_months(p.admitted, 12)
                p.card = gen.unique(lambda: f"{rng.randrange(10**8):08d}")
        self.leave(end)
        new = self.admit() + self.arrive()
        for p in new:
            self.name(p)
        gen.people += new
        gen.courses += self.training(end)
        gen.courses.sort(key=lambda c: c[3])

    def leave(self, end: dt.date) -> None:
        rng = self.rng
        for reason, count, lo, hi in LATER_LEAVERS:
            if reason == "Từ trần":  # the oldest die first, mostly
                pool = [p for p in self.gen.people if p.left is None and p.born.year < 1955]
            else:
                pool = [p for p in self.gen.people
                        if p.left is None and p.official and p.official <= end
                        and p.born.year > 1960]  # fmt: skip
            for p in rng.sample(pool, count):
                p.left, p.left_reason = day_between(rng, lo, hi), reason

    def person(self, branch_pool: list[str]) -> Person:
        rng = self.rng
        gender = "Nữ" if rng.random() < 0.4 else "Nam"
        branch = rng.choice(branch_pool)
        khmer = {b[0]: b[3] / b[2] for b in BRANCHES}[branch]
        eth = "Khmer" if rng.random() < max(khmer, 0.05) else "Kinh"
        return Person(branch, eth, gender)

    def admit(self) -> list[Person]:
        rng = self.rng
        branches = [b[0] for b in BRANCHES]
        admitted = []
        for (year, first, last), n in LATER_ADMISSIONS.items():
            lo = max(dt.date(year, first, 1), dt.date(2020, 7, 1))
            hi = min(add_months(dt.date(year, last, 1), 1) - dt.timedelta(days=1), DATA_END)
            for day in sorted(day_between(rng, lo, hi) for _ in range(n)):
                p = self.person(branches)
                sector = p.branch in SECTOR_PROFESSION
                low, high = (22, 35) if sector else (20, 45)
                p.admitted = day
                p.born = add_months(day, -rng.randint(low * 12, high * 12))
                official = add_months(day, 12)
                p.official = official if official <= DATA_END else None
                p.theory = rng.choice(["Không", "Sơ cấp"])
                admitted.append(p)
        return admitted

    def arrive(self) -> list[Person]:
        rng = self.rng
        hamlets = [b[0] for b in BRANCHES if b[0] not in SECTOR_PROFESSION]
        arrived = []
        for day in LATER_ARRIVALS:
            p = self.person(hamlets)
            p.admitted = day_between(rng, dt.date(1995, 1, 1), dt.date(2014, 12, 31))
            p.born = add_months(p.admitted, -rng.randint(22 * 12, 40 * 12))
            p.official = add_months(p.admitted, 12)
            p.arrived = day
            p.theory = rng.choice(["Sơ cấp", "Trung cấp"])
            arrived.append(p)
        return arrived

    def name(self, p: Person) -> None:
        gen, rng = self.gen, self.rng
        saved, gen.rng = gen.rng, rng  # the shared helpers, drawing from this generator
        try:
            gen.name(p)
            gen.identity(p, None)
        finally:
            gen.rng = saved

    def on_roll(self, on: dt.date) -> list[Person]:
        return [
            p for p in self.gen.people
            if (p.arrived or p.admitted) < on and p.cccd
            and (p.left is None or p.left > on + dt.timedelta(days=60))
        ]  # fmt: skip

    def training(self, end: dt.date) -> list[tuple[str, str, str, dt.date, dt.date, list[Person]]]:
        rng = self.rng
        organiser = "Trung tâm Chính trị huyện Tiểu Cần"
        courses = []
        since = end
        classes = [dt.date(2021, 3, 15), dt.date(2022, 4, 11), dt.date(2023, 5, 8),
                   dt.date(2024, 4, 15), dt.date(2025, 5, 12), dt.date(2026, 4, 13)]  # fmt: skip
        for n, on in enumerate(classes, 7):
            new = [p for p in self.on_roll(on) if since <= p.admitted < on and not p.arrived]
            since = on
            courses.append((f"Lớp bồi dưỡng đảng viên mới đợt {n}", "Lớp đảng viên mới",
                            organiser, on, on + dt.timedelta(days=4), new))  # fmt: skip
        others = [
            ("Bồi dưỡng cấp ủy viên, bí thư chi bộ nhiệm kỳ 2020-2025", "Bồi dưỡng cấp ủy viên, bí thư chi bộ",
             "Huyện ủy Tiểu Cần", dt.date(2020, 9, 14), 5, 16),
            ("Sơ cấp lý luận chính trị khóa 2021", "Sơ cấp lý luận chính trị", organiser,
             dt.date(2021, 6, 7), 45, 10),
            ("Bồi dưỡng chuyên môn nghiệp vụ công tác đảng 2022", "Bồi dưỡng chuyên môn",
             "Ban Tổ chức Huyện ủy Tiểu Cần", dt.date(2022, 8, 15), 3, 12),
            ("Sơ cấp lý luận chính trị khóa 2023", "Sơ cấp lý luận chính trị", organiser,
             dt.date(2023, 6, 5), 45, 11),
            ("Bồi dưỡng chuyên môn nghiệp vụ công tác đảng 2024", "Bồi dưỡng chuyên môn",
             "Ban Tổ chức Huyện ủy Tiểu Cần", dt.date(2024, 10, 7), 3, 14),
            ("Bồi dưỡng cấp ủy viên, bí thư chi bộ nhiệm kỳ 2025-2030", "Bồi dưỡng cấp ủy viên, bí thư chi bộ",
             "Đảng ủy xã Tân Hùng", dt.date(2025, 9, 15), 4, 18),
            ("Sơ cấp lý luận chính trị khóa 2026", "Sơ cấp lý luận chính trị",
             "Trung tâm Chính trị tỉnh Vĩnh Long", dt.date(2026, 5, 11), 45, 9),
        ]  # fmt: skip
        for cname, kind, org, on, days, size in others:
            official = [p for p in self.on_roll(on) if p.official and p.official <= on]
            chosen = rng.sample(official, size)
            courses.append((cname, kind, org, on, on + dt.timedelta(days=days), chosen))
        return courses


def four_dates(people: list[Person]) -> None:
    """The admission's four dates for those admitted here since the article's term began
    (issue #14); older records know only the decision, as real rolls do.

    The day drawn above is the ceremony, so that probation and the official dates (12
    months from the ceremony) stay what they were. The decision comes 7 to 28 days
    before it (within 30 working days), in the same term and year, so admissions counted
    by term and year do not move; the branch met 2 to 6 weeks before the decision, the
    committee in between. Drawn from a generator of its own, after everything else.
    """
    rng = random.Random(SEED + 14)
    terms = [TERM[1:], *((a, b) for _, a, b, _ in LATER_TERMS)]
    for p in people:
        if p.arrived or p.admitted < TERM[1]:
            continue
        first = max(dt.date(p.admitted.year, 1, 1), *(a for a, b in terms if a <= p.admitted))
        p.ceremony = p.admitted
        p.admitted = max(p.ceremony - dt.timedelta(days=rng.randint(7, 28)), first)
        p.branch_met = p.admitted - dt.timedelta(days=rng.randint(14, 42))
        if rng.random() < 0.8:
            p.committee_met = day_between(
                rng, p.branch_met + dt.timedelta(days=1), p.admitted - dt.timedelta(days=1)
            )


def readmitted(gen: Generator) -> None:
    """One member admitted again (kết nạp lại, issue #14): first admitted in 2001, name
    removed in 2012 (not in the file, which carries the current period), admitted again on
    15/08/2023 with the provincial standing committee's consent, official a year later.
    Not on the roll at the end of the article's term, so no figure of it moves."""
    rng = random.Random(SEED + 15)
    p = Person("Ấp Nhì", "Kinh", "Nam", admitted=dt.date(2001, 5, 19), born=dt.date(1976, 3, 8))
    p.readmitted, p.official = dt.date(2023, 8, 15), dt.date(2024, 8, 15)
    p.theory = "Sơ cấp"
    saved, gen.rng = gen.rng, rng
    try:
        gen.name(p)
        gen.identity(p, None)
    finally:
        gen.rng = saved
    gen.people.append(p)


def transfers_and_gaps(gen: Generator) -> None:
    """A temporary transfer out for study, a member from elsewhere attending here for a
    while, the letters of the official transfers in, and a gap in one member's party age
    (issue #14, points 7 and 8). All after the article's term or not counted, so no
    figure of it moves; drawn from a generator of its own."""
    rng = random.Random(SEED + 16)
    on_roll = sorted(
        (p for p in gen.people if p.left is None and p.official and not p.arrived
         and p.branch not in SECTOR_PROFESSION and not p.readmitted),
        key=lambda p: p.cccd,
    )  # fmt: skip
    # Away for full-time study (up to 2 years, QĐ 294-QĐ/TW 6.3.2): still counted here.
    student = next(p for p in on_roll if p.born.year >= 1990)
    student.transfer = {"Chuyển sinh hoạt tạm thời đi": "05/09/2025",
                        "Nơi chuyển đến": "Trường Chính trị tỉnh Vĩnh Long",
                        "Dự kiến trở về": "30/06/2027", "Mục đích chuyển tạm thời": "Học tập trung"}  # fmt: skip
    # Transferred in officially: the letter, presented on arrival (within 30 working days).
    for p in (p for p in gen.people if p.arrived):
        letter = p.arrived - dt.timedelta(days=rng.randint(5, 20))
        p.transfer = {"Nơi chuyển từ": rng.choice(COMMUNES), "Ngày giấy giới thiệu": fmt(letter),
                      "Ngày xuất trình giấy giới thiệu": fmt(p.arrived)}  # fmt: skip
    # Attending here for a while (not counted here): a worker at the commune's market.
    guest = Person("Ấp Chợ", "Kinh", "Nữ", admitted=dt.date(2012, 5, 18),
                   official=dt.date(2013, 5, 18), born=dt.date(1988, 7, 2))  # fmt: skip
    guest.arrived = dt.date(2026, 5, 4)
    guest.transfer = {"Sinh hoạt tạm thời": "x", "Nơi chuyển từ": "Đảng bộ xã Hiếu Tử",
                      "Sinh hoạt tạm thời đến": "30/04/2027"}  # fmt: skip
    saved, gen.rng = gen.rng, rng
    try:
        gen.name(guest)
        gen.identity(guest, None)
    finally:
        gen.rng = saved
    gen.people.append(guest)
    # Out of contact for six months (not counted in party age, Điều lệ Đảng Art. 5.4).
    lost = next(p for p in on_roll if dt.date(1993, 1, 1) <= p.admitted <= dt.date(1996, 12, 31))
    start = dt.date(lost.admitted.year + 5, 3, 1)
    lost.gap = (start, dt.date(start.year, 8, 31), "Mất liên lạc", "Đi làm ăn xa, không liên lạc")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    gen = Generator()
    gen.build()
    Continuation(gen).run()
    four_dates(gen.people)
    readmitted(gen)
    transfers_and_gaps(gen)
    gen.write(out)
    print(f"wrote {len(gen.people)} members, {len(gen.courses)} courses to {out}")
    from make_support_sample import main as support  # issue #13: from the roll written

    support(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
