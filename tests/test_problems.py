"""`problems.py`: a problem kept as data, worded in the language it is shown in."""

from __future__ import annotations

import datetime as dt
import json

from tanhung_cli import i18n
from tanhung_cli.errors import Invalid
from tanhung_cli.problems import (
    Candidates,
    Count,
    Label,
    Labels,
    Matches,
    Problem,
    Term,
    as_json,
    dated,
    located,
    pack,
    unpack,
    word,
)

EARLY = Problem("rule.official_too_early", {"earliest": dt.date(2017, 5, 19)}, "official_on")


def test_a_date_is_worded_in_the_language_asked_not_the_one_current_when_found() -> None:
    i18n.set_lang("en")
    try:
        found = Problem("life.confirm_late", {"date": dt.date(2021, 5, 19)})
    finally:
        i18n.set_lang("vi")
    assert word(found, "vi") == (
        "Lưu ý: quyết định muộn; đảng viên được tính là chính thức từ 19/05/2021"
        " (ngày hết 12 tháng dự bị)."
    )
    assert word(found, "en") == (
        "Note: a late decision; the member counts as official from 2021-05-19"
        " (the end of the probation)."
    )
    assert found.message() == word(found, "vi")  # the current language by default


def test_where_a_problem_lies_comes_first() -> None:
    assert located(EARLY, "en") == (
        "official_on: earlier than the end of 12 months' probation; the earliest is 2017-05-19"
    )
    in_file = Problem("rule.required", column="birth_date", line=7, file="ds.csv")
    assert located(in_file, "vi") == "ds.csv:7: Ngày sinh: bắt buộc, đang để trống"
    assert (
        located(in_file, "vi", label="NGAY SINH") == "ds.csv:7: NGAY SINH: bắt buộc, đang để trống"
    )
    of_member = Problem("rule.required", column="gender", member=4, member_name="Lê Thị Ba")
    assert located(of_member, "en") == "Member 4 (Lê Thị Ba): gender: is required but empty"
    whole_file = Problem("check.integrity", {"detail": "page 3 is never used"})
    assert located(whole_file, "en") == word(whole_file, "en")


def test_numbers_stay_numbers_and_a_count_is_grouped_only_in_words() -> None:
    found = Problem("import.not_an_id", {"value": "AC-01", "max": Count(9_999_999)}, "id")
    assert "tối đa 9.999.999)" in word(found, "vi")
    assert "up to 9,999,999)" in word(found, "en")
    assert as_json(found, "en")["params"] == {"value": "AC-01", "max": 9999999}


def test_a_label_is_worded_in_the_message_language_and_kept_as_its_key() -> None:
    found = Problem("import.differs", {"id": 3, "name": "Ấp Chợ", "fields": Label("label.kind")})
    assert word(found, "en") == (
        "already registered as Ấp Chợ (id 3) but differs in: Kind; use --update to apply"
    )
    assert word(found, "vi") == (
        "đã có trong sổ là Ấp Chợ (mã 3) nhưng khác ở: Loại; dùng --update để cập nhật"
    )
    assert as_json(found)["params"]["fields"] == "label.kind"


def test_labels_listed_are_worded_together_and_kept_as_keys() -> None:
    fields = Labels(["column.birth_date", "column.national_id"])
    found = Problem("import.differs", {"id": 3, "name": "Lê Thị Ba", "fields": fields})
    assert word(found, "vi") == (
        "đã có trong sổ là Lê Thị Ba (mã 3) nhưng khác ở: Ngày sinh, Số CCCD;"
        " dùng --update để cập nhật"
    )
    assert as_json(found)["params"]["fields"] == ["column.birth_date", "column.national_id"]


def test_the_json_form_is_data_with_the_message_beside() -> None:
    found = Problem(
        "rule.official_too_early",
        {"earliest": dt.date(2017, 5, 19)},
        "official_on",
        member=1,
        member_name="Thạch Thị Sa Rươne",
    )
    assert as_json(found, "en") == {
        "key": "rule.official_too_early",
        "message": "earlier than the end of 12 months' probation; the earliest is 2017-05-19",
        "params": {"earliest": "2017-05-19"},
        "column": "official_on",
        "member": {"id": 1, "name": "Thạch Thị Sa Rươne"},
        "file": None,
        "line": None,
    }
    json.dumps(as_json(found))  # plain JSON values only


def test_parameters_kept_on_disk_come_back_as_they_were() -> None:
    params = {"earliest": dt.date(2017, 5, 19), "max": Count(7), "fields": Label("label.kind")}
    back = unpack(pack(params))
    assert back == params
    assert type(back["max"]) is Count and type(back["fields"]) is Label
    assert pack({}) is None and unpack(None) == {}


def test_a_stored_date_reads_as_a_date_and_a_damaged_one_as_it_is() -> None:
    assert dated("2020-03-01") == dt.date(2020, 3, 1)
    assert dated("1975") == "1975"
    assert dated("31/02/1980") == "31/02/1980"
    assert dated(None) is None


def test_an_error_carrying_a_date_words_it_when_shown() -> None:
    exc = Invalid("life.before_leaving", date=dt.date(2019, 6, 30))
    assert exc.message("vi") == "Ngày này không sau ngày ra khỏi danh sách (30/06/2019)."
    assert exc.message("en") == "That date is not after the member left the roll (2019-06-30)."
    assert exc.problem("on") == Problem("life.before_leaving", {"date": dt.date(2019, 6, 30)}, "on")


def test_lists_of_members_and_vocabulary_values_are_data_worded_when_shown() -> None:
    # They were worded in the importer, in the language current there: an English JSON
    # listed Vietnamese dates and genders, and the JSON carried text, not ids.
    i18n.set_lang("vi")
    twins = Problem("life.import.member_name_ambiguous",
                    {"name": "Trần Văn Tám", "ids": Candidates(((2, "1990-11-20"), (3, "1980")))})  # fmt: skip
    assert word(twins, "en") == (
        "several members are called 'Trần Văn Tám': ids 2 (1990-11-20), 3 (1980);"
        " add the birth date, card number or member id"
    )
    assert "mã 2 (20/11/1990), 3 (1980);" in word(twins, "vi")
    assert as_json(twins)["params"]["ids"] == [
        {"id": 2, "birth_date": "1990-11-20"},
        {"id": 3, "birth_date": "1980"},
    ]
    gender = Problem("import.other_gender", {"stored": "Lê Thị Hoa", "id": 7,
                     "gender": Term(("gender", "female")), "row_gender": Term(("gender", "male"))})  # fmt: skip
    assert "(id 7, Female) but this row says Male" in word(gender, "en")
    assert "(mã 7, Nữ) nhưng dòng này ghi Nam" in word(gender, "vi")
    assert as_json(gender)["params"]["gender"] == "female"
    two = Problem("import.two_members", {"found": Matches((("card_no", 4), ("national_id", 9)))})
    assert word(two, "vi").endswith("(Số thẻ đảng viên → 4, Số CCCD → 9)")
    assert word(two, "en").endswith("(card_no → 4, national_id → 9)")  # English headers
    assert as_json(two)["params"]["found"] == {"card_no": 4, "national_id": 9}
    for params in (twins.params, gender.params, two.params):
        assert unpack(pack(params)) == params  # kept on disk by a large import


def test_located_all_words_each_problem_as_located_does() -> None:
    """`check` words a national roll's many alike notes once each (`located_all`)."""
    import datetime as dt

    from tanhung_cli.problems import Count, Problem, located, located_all

    day = dt.date(2025, 3, 1)
    found = [
        Problem("check.duplicate", {"others": "2", "born": day}, member=1, member_name="An"),
        Problem("check.duplicate", {"others": "2", "born": day}, member=3, member_name="Bình"),
        Problem("rule.too_long", {"max": 200}, "note", member=4, member_name="Chi"),
        Problem("rule.too_long", {"max": Count(200)}, "note", member=5, member_name="Dũng"),
        Problem("rule.too_long", {"max": [200]}, "note", member=6, member_name="Em"),
        Problem("rule.required", {}, "birth_date", line=3, file="a.csv"),
        Problem("check.integrity", {"detail": "page 4"}),
    ]
    for lang in ("vi", "en"):
        assert list(located_all(found, lang)) == [located(p, lang) for p in found]
