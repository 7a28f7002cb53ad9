"""The controlled vocabularies: data complete and consistent, every spelling resolves."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources

import pytest

from tanhung_cli.vocab import NAMES, Entry, UnknownValue, lookup_key, vocabulary

# The official list, as DOMAIN.md quotes it: an independent copy to check the data file.
OFFICIAL_GROUPS = """
01 Kinh, 02 Tày, 03 Thái, 04 Mường, 05 Khmer, 06 Hoa, 07 Nùng, 08 Mông,
09 Dao, 10 Gia Rai, 11 Ê Đê, 12 Ba Na, 13 Sán Chay, 14 Chăm, 15 Cơ Ho,
16 Xơ Đăng, 17 Sán Dìu, 18 Hrê, 19 Raglay, 20 Mnông, 21 Thổ, 22 Xtiêng,
23 Khơ Mú, 24 Bru Vân Kiều, 25 Cơ Tu, 26 Giáy, 27 Tà Ôi, 28 Mạ,
29 Giẻ Triêng, 30 Co, 31 Chơ Ro, 32 Xinh Mun, 33 Hà Nhì, 34 Chu Ru, 35 Lào,
36 La Chí, 37 Kháng, 38 Phù Lá, 39 La Hủ, 40 La Ha, 41 Pà Thẻn, 42 Lự,
43 Ngái, 44 Chứt, 45 Lô Lô, 46 Mảng, 47 Cơ Lao, 48 Bố Y, 49 Cống, 50 Si La,
51 Pu Péo, 52 Rơ Măm, 53 Brâu, 54 Ơ Đu.
"""


def official_groups() -> dict[str, str]:
    items = (item.strip() for item in OFFICIAL_GROUPS.replace("\n", " ").rstrip(". ").split(","))
    return dict(item.split(" ", 1) for item in items)


# ---- the data -------------------------------------------------------------------------


def test_the_54_ethnic_groups_have_their_official_codes_and_names():
    ethnicity = vocabulary("ethnicity")
    assert ethnicity.codes() == [f"{n:02d}" for n in range(1, 55)]
    assert len(set(ethnicity.codes())) == 54
    assert {e.code: e.vi for e in ethnicity.entries} == official_groups()


def test_kinh_is_01_and_khmer_is_05():
    ethnicity = vocabulary("ethnicity")
    assert ethnicity.get("01").vi == "Kinh"
    assert ethnicity.get("05").vi == "Khmer"
    assert ethnicity.get("05").en == "Khmer"
    assert ethnicity.get("06").en == "Hoa (Chinese)"


@pytest.mark.parametrize("name", NAMES)
def test_every_vocabulary_loads_with_entries(name):
    vocab = vocabulary(name)
    assert vocab.name == name
    assert vocab.entries
    assert all(isinstance(e, Entry) for e in vocab.entries)
    assert len(set(vocab.codes())) == len(vocab.entries)


def test_the_toml_holds_no_vocabulary_that_is_not_listed():
    text = resources.files("tanhung_cli.vocab").joinpath("vocab.toml").read_text("utf-8")
    assert set(tomllib.loads(text)) == set(NAMES) - {"ethnicity"}


@pytest.mark.parametrize("name", NAMES)
def test_no_spelling_names_two_entries(name):
    owner: dict[str, str] = {}
    clashes = []
    for entry in vocabulary(name).entries:
        for spelling in (entry.code, entry.vi, entry.en, *entry.aliases):
            key = lookup_key(spelling)
            if owner.setdefault(key, entry.code) != entry.code:
                clashes.append(f"{spelling!r}: {owner[key]} and {entry.code}")
    assert clashes == []


@pytest.mark.parametrize("name", NAMES)
def test_data_text_is_nfc_and_trimmed(name):
    for entry in vocabulary(name).entries:
        for text in (entry.code, entry.vi, entry.en, *entry.aliases):
            assert text == unicodedata.normalize("NFC", text).strip(), (name, text)
            assert text, (name, entry.code)


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_resolves_by_its_code_labels_and_aliases(name):
    vocab = vocabulary(name)
    for entry in vocab.entries:
        for spelling in (entry.code, entry.vi, entry.en, *entry.aliases):
            assert vocab.resolve(spelling) is entry, (name, spelling)


def test_vocabularies_are_built_once():
    assert vocabulary("ethnicity") is vocabulary("ethnicity")


def test_an_unknown_vocabulary_name_is_a_key_error():
    with pytest.raises(KeyError):
        vocabulary("language")


# ---- resolving what real files write ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Khmer
        ("Khmer", "05"),
        ("Khơ-me", "05"),
        ("Khơ me", "05"),
        ("Khome", "05"),
        ("Khơme", "05"),
        ("Khmer Krom", "05"),
        ("Khmer Krôm", "05"),
        # Mông
        ("Mông", "08"),
        ("H'Mông", "08"),
        ("H’Mông", "08"),
        ("Hmông", "08"),
        ("Hmong", "08"),
        ("Mèo", "08"),
        # Ê Đê
        ("Ê Đê", "11"),
        ("Ê-đê", "11"),
        ("Êđê", "11"),
        ("Ede", "11"),
        ("Rhade", "11"),
        # Raglay, Xtiêng
        ("Raglay", "19"),
        ("Ra Glai", "19"),
        ("Raglai", "19"),
        ("Xtiêng", "22"),
        ("Stiêng", "22"),
        ("Xtieng", "22"),
        # Hoa, Kinh
        ("Hoa", "06"),
        ("Hán", "06"),
        ("Người Hoa", "06"),
        ("Chinese", "06"),
        ("Hoa (Chinese)", "06"),
        ("Kinh", "01"),
        ("Việt", "01"),
        ("Viet", "01"),
        # others named in the brief
        ("Bahnar", "12"),
        ("Jarai", "10"),
        ("Gia-rai", "10"),
        ("Bru-Vân Kiều", "24"),
        ("Vân Kiều", "24"),
        ("Tà-ôi", "27"),
        ("Pa Cô", "27"),
        ("M'Nông", "20"),
        ("Chàm", "14"),
        ("Co", "30"),
        ("Cơ Ho", "15"),
    ],
)
def test_ethnic_group_spellings_resolve(text, code):
    assert vocabulary("ethnicity").resolve(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "KHƠ ME",
        "khơ-me",
        "khome",
        "KHMER",
        "  Khơ   me ",
        unicodedata.normalize("NFD", "Khơ-me"),
        unicodedata.normalize("NFD", "KHƠ ME"),
        "Khơ\u2013me",
        "Khơ.me",
    ],
)
def test_case_diacritics_and_nfd_do_not_matter(text):
    assert vocabulary("ethnicity").resolve(text).code == "05"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (unicodedata.normalize("NFD", "Ê-đê"), "11"),
        ("ê đê", "11"),
        ("E DE", "11"),
        ("h'mong", "08"),
        ("HMÔNG", "08"),
        ("xtiêng", "22"),
    ],
)
def test_other_groups_ignore_case_and_diacritics(text, code):
    assert vocabulary("ethnicity").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("5", "05"), ("05", "05"), (" 5 ", "05"), ("5.0", "05"), ("1", "01"), ("54", "54")],
)
def test_ethnic_groups_resolve_by_code_or_number(text, code):
    assert vocabulary("ethnicity").resolve(text).code == code


@pytest.mark.parametrize("text", ["0", "55", "99", "5.5"])
def test_a_number_that_is_no_code_is_unknown(text):
    with pytest.raises(UnknownValue):
        vocabulary("ethnicity").resolve(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Nam", "male"),
        ("nam", "male"),
        ("male", "male"),
        ("M", "male"),
        ("m", "male"),
        ("NAM", "male"),
        ("Nữ", "female"),
        ("nữ", "female"),
        ("nu", "female"),
        ("NỮ", "female"),
        ("female", "female"),
        ("F", "female"),
        (unicodedata.normalize("NFD", "Nữ"), "female"),
    ],
)
def test_gender_forms_of_the_contract_resolve(text, code):
    assert vocabulary("gender").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Không", "none"),
        ("không tôn giáo", "none"),
        ("0", "none"),
        ("-", "none"),
        ("Phật giáo", "buddhism"),
        ("Đạo Phật", "buddhism"),
        ("Phật giáo Nam tông", "buddhism-theravada"),
        ("Nam tông", "buddhism-theravada"),
        ("Phật giáo Nam tông Khmer", "buddhism-theravada-khmer"),
        ("Nam tông Khơ-me", "buddhism-theravada-khmer"),
        ("Thiên Chúa giáo", "catholicism"),
        ("Catholic", "catholicism"),
        ("Công giáo", "catholicism"),
        ("Tin Lành", "protestantism"),
        ("Cao Đài", "cao-dai"),
        ("Hòa Hảo", "hoa-hao"),
        ("Hoà Hảo", "hoa-hao"),
        ("Phật giáo Hoà Hảo", "hoa-hao"),
        ("Hồi giáo", "islam"),
        ("Khác", "other"),
    ],
)
def test_religions_resolve(text, code):
    assert vocabulary("religion").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SC", "elementary"),
        ("Sơ cấp", "elementary"),
        ("sơ cấp lý luận chính trị", "elementary"),
        ("TC", "intermediate"),
        ("Trung cấp LLCT", "intermediate"),
        ("CC", "advanced"),
        ("Cao cấp lý luận chính trị - hành chính", "advanced"),
        ("CN", "bachelor"),
        ("Cử nhân", "bachelor"),
        ("Không", "none"),
    ],
)
def test_theory_levels_resolve(text, code):
    assert vocabulary("theory_level").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("5/12", "primary"),
        ("cấp 1", "primary"),
        ("9/12", "lower-secondary"),
        ("THCS", "lower-secondary"),
        ("12/12", "upper-secondary"),
        ("12 / 12", "upper-secondary"),
        ("10/10", "upper-secondary"),
        ("Trung cấp nghề", "vocational"),
        ("Cao đẳng", "college"),
        ("Đại học", "university"),
        ("Thạc sĩ", "postgraduate"),
        ("Tiến sỹ", "postgraduate"),
    ],
)
def test_education_resolves(text, code):
    assert vocabulary("education").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sơ cấp lý luận chính trị", "theory-elementary"),
        ("theory-elementary", "theory-elementary"),
        ("Trung cấp lý luận chính trị", "theory-intermediate"),
        ("theory-intermediate", "theory-intermediate"),
        ("Cao cấp lý luận chính trị", "theory-advanced"),
        ("theory-advanced", "theory-advanced"),
        ("Lớp đảng viên mới", "new-member"),
        ("bồi dưỡng đảng viên mới", "new-member"),
        ("new-member", "new-member"),
        ("Bồi dưỡng cấp ủy viên, bí thư chi bộ", "committee"),
        ("Bồi dưỡng cấp uỷ viên, bí thư chi bộ", "committee"),
        ("committee", "committee"),
        ("Bồi dưỡng chuyên môn", "professional"),
        ("professional", "professional"),
    ],
)
def test_course_kinds_resolve_by_name_and_code(text, code):
    assert vocabulary("course_kind").resolve(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HTXSNV", "excellent"),
        ("htxsnv", "excellent"),
        ("Xuất sắc", "excellent"),
        ("HTTNV", "good"),
        ("Tốt", "good"),
        ("HTNV", "done"),
        ("KHTNV", "failed"),
        ("Không hoàn thành", "failed"),
        ("Hoàn thành tốt nhiệm vụ", "good"),
    ],
)
def test_ratings_resolve_by_abbreviation_and_name(text, code):
    assert vocabulary("rating").resolve(text).code == code


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("status", "Dự bị", "probationary"),
        ("status", "chính thức", "official"),
        ("status", "Đã rời", "left"),
        ("status", "Miễn sinh hoạt", "exempt"),
        ("status", "Sinh hoạt tạm thời", "temporary"),
        ("branch_kind", "ấp", "hamlet"),
        ("branch_kind", "ap", "hamlet"),
        ("branch_kind", "Chi bộ ấp", "hamlet"),
        ("branch_kind", "co quan", "sector"),
        ("branch_kind", "Ngành", "sector"),
        ("branch_kind", "Chi bộ ngành sự nghiệp", "sector"),
        ("leave_reason", "Từ trần", "died"),
        ("leave_reason", "qua đời", "died"),
        ("leave_reason", "Xoá tên", "removed"),
        ("leave_reason", "Khai trừ", "expelled"),
        ("leave_reason", "Xin ra khỏi Đảng", "resigned"),
        ("leave_reason", "chuyển đi", "transferred"),
        ("transfer_kind", "Tạm thời", "temporary"),
        ("transfer_kind", "Chính thức", "official"),
    ],
)
def test_other_vocabularies_resolve(name, text, code):
    assert vocabulary(name).resolve(text).code == code


# ---- refusals ---------------------------------------------------------------------------


def test_an_unknown_value_suggests_the_closest_names():
    with pytest.raises(UnknownValue) as caught:
        vocabulary("ethnicity").resolve("Khmerr")
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.vocabulary == "ethnicity"
    assert error.text == "Khmerr"
    assert error.suggestions[0] == "Khmer"
    assert len(error.suggestions) <= 3
    assert "Khmerr" in str(error) and "Khmer" in str(error)


@pytest.mark.parametrize(
    ("name", "text", "suggestion"),
    [
        ("ethnicity", "Kin", "Kinh"),
        ("ethnicity", "Hmongg", "Mông"),
        ("ethnicity", "Ê Đêê", "Ê Đê"),
        ("religion", "Phật giáoo", "Phật giáo"),
        ("rating", "HTXSN", "Hoàn thành xuất sắc nhiệm vụ"),
        ("gender", "Nữa", "Nữ"),
    ],
)
def test_suggestions_are_canonical_vietnamese_labels(name, text, suggestion):
    with pytest.raises(UnknownValue) as caught:
        vocabulary(name).resolve(text)
    assert suggestion in caught.value.suggestions


@pytest.mark.parametrize("text", ["", "   ", "zzzzzz"])
def test_nothing_like_a_value_is_unknown_without_suggestions(text):
    with pytest.raises(UnknownValue) as caught:
        vocabulary("ethnicity").resolve(text)
    assert caught.value.suggestions == ()


def test_get_takes_only_canonical_codes():
    assert vocabulary("gender").get("female").vi == "Nữ"
    with pytest.raises(KeyError):
        vocabulary("gender").get("Nữ")
    with pytest.raises(KeyError):
        vocabulary("ethnicity").get("5")


# ---- labels -----------------------------------------------------------------------------


def test_labels_in_both_languages():
    ethnicity = vocabulary("ethnicity")
    assert ethnicity.label("05") == "Khmer"
    assert ethnicity.label("06", lang="en") == "Hoa (Chinese)"
    assert ethnicity.label("08", "vi") == "Mông"
    assert vocabulary("gender").label("female") == "Nữ"
    assert vocabulary("gender").label("female", "en") == "Female"
    assert vocabulary("rating").label("excellent") == "Hoàn thành xuất sắc nhiệm vụ"
    assert vocabulary("status").label("probationary", "en") == "Probationary"
    assert vocabulary("religion").get("buddhism-theravada").label("en") == "Theravada Buddhism"
    assert vocabulary("religion").get("none").label() == "Không"


def test_no_code_has_an_empty_label_and_an_unknown_code_shows_itself():
    assert vocabulary("religion").label(None) == ""
    assert vocabulary("religion").label("") == ""
    assert vocabulary("religion").label("shinto") == "shinto"


def test_an_entry_is_frozen():
    entry = vocabulary("gender").get("male")
    with pytest.raises(AttributeError):
        entry.vi = "Nữ"
