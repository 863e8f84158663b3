from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from dlscan_gui.core.findings import Level
from dlscan_gui.core.schema import FIELD_KEYS, RecognitionResult, Side
from dlscan_gui.core.validate import (
    ClassCodeError,
    cross_check,
    id_check_digit,
    is_ok,
    is_valid_id_number,
    parse_class,
    validate_field,
    validate_page,
    validate_result,
)

TODAY = date(2024, 6, 1)


def make_number(first17: str) -> str:
    return first17 + id_check_digit(first17)


# Synthetic: region 119999 is not an assigned county code, so this is nobody's number.
NUMBER = make_number("11999919900307123")  # 17th digit 3: odd → 男
FRONT = {
    "number": NUMBER,
    "name": "张三",
    "sex": "男",
    "nationality": "中国",
    "address": "北京市东城区某某街1号",
    "birth": "1990-03-07",
    "issue_date": "2010-05-20",
    "class": "C1",
    "valid_from": "2020-05-20",
    "valid_to": "2030-05-20",
}
BACK = {"number": NUMBER, "name": "张三", "file_number": "110100123456", "record": ""}


def front(**changes: str) -> list:
    return validate_page({**FRONT, **changes}, Side.FRONT, today=TODAY)


def back(**changes: str) -> list:
    return validate_page({**BACK, **changes}, Side.BACK, today=TODAY)


def codes(findings) -> list[tuple[str, Level]]:
    return [(f.code, f.level) for f in findings]


def only(findings, code: str, level: Level):
    """Exactly one finding, with this code and level; returns it."""
    assert codes(findings) == [(code, level)], codes(findings)
    finding = findings[0]
    assert finding.field == code.split(".")[0]
    assert finding.zh and finding.en
    return finding


E, W = Level.ERROR, Level.WARNING


# ------------------------------------------------------------------ clean pages
def test_valid_front_and_back_have_no_findings():
    assert front() == []
    assert back() == []
    double = RecognitionResult.from_huawei_json({"front": FRONT, "back": BACK})
    assert validate_result(double, today=TODAY) == []
    assert cross_check(FRONT, BACK) == []


def test_today_defaults_to_the_real_date():
    far = {**FRONT, "valid_to": "2000-01-01", "valid_from": "1994-01-01"}
    assert ("valid_to.expired", E) in codes(validate_page(far, Side.FRONT))


# ------------------------------------------------------------------ ID number
def test_check_digit_matches_the_standards_examples():
    # Examples printed in GB 11643-1999 itself.
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("11010519491231002x")
    assert not is_valid_id_number("110105194912310021")
    assert not is_valid_id_number("")
    with pytest.raises(ValueError):
        id_check_digit("1234")


def test_check_digit_satisfies_iso_7064_mod_11_2():
    # Independent formulation: weights 2^(17-i) mod 11 over all 18 characters (X = 10) sum to 1.
    rng = random.Random(7)
    seen = set()
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        check = id_check_digit(first17)
        seen.add(check)
        digits = [int(c) for c in first17] + [10 if check == "X" else int(check)]
        assert sum(d * pow(2, 17 - i, 11) for i, d in enumerate(digits)) % 11 == 1
    assert seen == set("0123456789X")


def test_wrong_check_digit_says_what_it_should_be():
    wrong = NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2")
    finding = only(front(number=wrong), "number.check_digit", E)
    assert NUMBER[17] in finding.zh and NUMBER[17] in finding.en


def test_x_check_digit_is_accepted_and_lowercase_warns():
    first17 = next(f"1199991990030700{i}" for i in range(10)
                   if id_check_digit(f"1199991990030700{i}") == "X")
    x_number = first17 + "X"
    sex = "男" if int(first17[16]) % 2 else "女"
    assert front(number=x_number, sex=sex) == []
    only(front(number=first17 + "x", sex=sex), "number.lowercase_x", W)


@pytest.mark.parametrize("number", ["", "12345", NUMBER + "0", NUMBER[:17] + "A", "１" * 18])
def test_number_format(number):
    if number:
        only(back(number=number), "number.format", E)
    else:
        only(back(number=number), "number.missing", W)


@pytest.mark.parametrize("region", ["10", "16", "20", "24", "30", "38", "40", "47", "55",
                                    "60", "66", "70", "72", "80", "84", "99"])
def test_bad_province_code(region):
    only(back(number=make_number(region + NUMBER[2:17])), "number.region", E)


@pytest.mark.parametrize("region", ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54",
                                    "61", "65", "71", "81", "82", "83"])
def test_good_province_code(region):
    assert back(number=make_number(region + NUMBER[2:17])) == []


def test_embedded_birth_must_be_a_real_past_date():
    only(back(number=make_number("119999" + "19900230" + "123")), "number.birth_date", E)
    only(back(number=make_number("119999" + "20300101" + "123")), "number.birth_future", E)
    only(back(number=make_number("119999" + "20240602" + "123")), "number.birth_future", E)
    assert back(number=make_number("119999" + "20240601" + "123")) == []  # born today


def test_non_chinese_nationality_downgrades_number_format_to_warnings():
    wrong = NUMBER[:17] + ("1" if NUMBER[17] != "1" else "2")
    only(front(nationality="德国", number=wrong), "number.check_digit", W)
    only(front(nationality="德国", number="E12345678"), "number.format", W)
    # A back page borrows the nationality from the front page.
    only(validate_page({**BACK, "number": "E12345678"}, Side.BACK, today=TODAY,
                       nationality="德国"), "number.format", W)
    # A foreigner's number that happens to look like an ID number only warns on disagreement.
    only(front(nationality="德国", birth="1990-03-08"), "birth.mismatch", W)
    only(front(nationality="德国", sex="女"), "sex.mismatch", W)
    assert front(nationality="中华人民共和国") == []
    double = RecognitionResult.from_huawei_json(
        {"front": {**FRONT, "nationality": "德国", "number": "E12345678"},
         "back": {**BACK, "number": "E12345678"}})
    assert codes(validate_result(double, today=TODAY)) == [("number.format", W)] * 2


# ------------------------------------------------------------------ birth and sex vs number
def test_birth_must_match_the_number():
    finding = only(front(birth="1990-03-08"), "birth.mismatch", E)
    assert "1990-03-07" in finding.zh


def test_sex_must_match_the_number():
    finding = only(front(sex="女"), "sex.mismatch", E)
    assert "男" in finding.zh
    female = make_number(NUMBER[:16] + "4")
    assert front(number=female, sex="女") == []
    only(front(number=female, sex="男"), "sex.mismatch", E)


@pytest.mark.parametrize("sex", ["M", "男性", "x"])
def test_sex_must_be_male_or_female(sex):
    only(front(sex=sex), "sex.invalid", E)


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("value", ["2020/05/20", "20200520", "2020-5-20", "2020-05-20 ", " "])
def test_malformed_valid_from(value):
    found = front(valid_from=value)
    if not value.strip():
        only(found, "valid_from.missing", W)
    elif value.strip() == "2020-05-20":  # surrounding spaces are tolerated
        assert found == []
    else:
        finding = only(found, "valid_from.format", E)
        if "/" in value:
            assert "2020-05-20" in finding.zh  # the fix is suggested


@pytest.mark.parametrize("value", ["2020-13-01", "2023-02-29", "2021-04-31", "2020-00-10"])
def test_impossible_calendar_dates(value):
    only(front(issue_date=value), "issue_date.invalid_date", E)


def test_leap_day_is_a_real_date():
    number = make_number("119999" + "20000229" + "123")
    assert front(number=number, birth="2000-02-29", issue_date="2020-05-20") == []


def test_open_ended_validity():
    assert front(valid_to="长期") == []
    only(front(valid_from="长期"), "valid_from.format", E)
    only(front(valid_to="长久"), "valid_to.format", E)


def test_date_order():
    only(front(issue_date="1989-01-01"), "issue_date.before_birth", E)
    only(front(valid_from="2010-05-19", valid_to="长期"),
         "valid_from.before_issue_date", E)
    assert front(valid_from="2010-05-20", valid_to="长期") == []  # equal is fine
    assert ("valid_to.before_valid_from", E) in codes(front(valid_to="2019-05-20"))
    # A missing date does not break the chain: birth is compared with valid_from directly.
    assert ("valid_from.before_birth", E) in codes(
        front(issue_date="", valid_from="1980-01-01", valid_to="1990-01-01"))


def test_dates_in_the_future():
    assert ("birth.future", E) in codes(front(birth="2025-01-01"))
    assert ("issue_date.future", E) in codes(front(issue_date="2024-06-02"))
    assert ("valid_from.future", W) in codes(front(valid_from="2024-06-02",
                                                  valid_to="2034-06-02"))


def test_first_issue_before_sixteen_warns():
    only(front(issue_date="2006-03-06", valid_from="2020-05-20"), "issue_date.too_young", W)
    assert front(issue_date="2006-03-07") == []


@pytest.mark.parametrize(("start", "end", "ok"), [
    ("2020-05-20", "2026-05-20", True),
    ("2020-05-20", "2030-05-19", True),  # the day before
    ("2020-05-20", "2028-05-20", False),
    ("2020-05-20", "2030-05-21", False),
    ("2020-05-20", "2030-06-20", False),
    ("2020-02-29", "2030-02-28", True),
    ("2020-02-29", "2030-03-01", True),
])
def test_validity_span(start, end, ok):
    found = front(valid_from=start, valid_to=end)
    if ok:
        assert found == []
    else:
        only(found, "valid_to.span", W)


@pytest.mark.parametrize(("days_left", "expected"), [
    (-1, ("valid_to.expired", E)),
    (0, ("valid_to.expiring", W)),
    (1, ("valid_to.expiring", W)),
    (90, ("valid_to.expiring", W)),
    (91, None),
])
def test_expiry_around_today(days_left, expected):
    valid_to = TODAY + timedelta(days=days_left)
    valid_from = valid_to.replace(year=valid_to.year - 10)
    found = front(valid_from=valid_from.isoformat(), valid_to=valid_to.isoformat(),
                  issue_date="2010-05-20")
    if expected is None:
        assert found == []
    else:
        finding = only(found, *expected)
        if expected[0] == "valid_to.expiring":
            if days_left == 0:
                assert "今天" in finding.zh and "today" in finding.en
            else:
                assert str(days_left) in finding.zh and str(days_left) in finding.en


def test_open_ended_never_expires():
    assert validate_page({**FRONT, "valid_to": "长期"}, Side.FRONT,
                         today=date(2200, 1, 1)) == []


# ------------------------------------------------------------------ class
@pytest.mark.parametrize(("value", "parsed"), [
    ("C1", ["C1"]), ("A1A2", ["A1", "A2"]), ("C1E", ["C1", "E"]), ("B2E", ["B2", "E"]),
    ("A2D", ["A2", "D"]), ("A1 A2", ["A1", "A2"]), ("C1,E", ["C1", "E"]),
    ("C1，D、E", ["C1", "D", "E"]), ("c1", ["C1"]), ("", []),
])
def test_parse_class(value, parsed):
    assert parse_class(value) == parsed


@pytest.mark.parametrize(("value", "kind", "part"), [
    ("C1C1", "duplicate", "C1"), ("C7", "unknown", "C7"), ("A", "unknown", "A"),
    ("C1X", "unknown", "X"), ("C1-E", "unknown", "-"), ("小型汽车", "unknown", "小型汽车"),
    ("1C", "unknown", "1"),
])
def test_parse_class_names_the_bad_part(value, kind, part):
    with pytest.raises(ValueError, match=part) as info:
        parse_class(value)
    assert isinstance(info.value, ClassCodeError)
    assert (info.value.kind, info.value.part) == (kind, part)


def test_class_findings():
    assert front(**{"class": "A1A2"}) == []
    assert front(**{"class": "C1 E"}) == []
    only(front(**{"class": "C1C1"}), "class.duplicate", E)
    assert "C7" in only(front(**{"class": "C7"}), "class.unknown", E).zh
    assert "C1" in only(front(**{"class": "c1"}), "class.lowercase", W).zh
    only(front(**{"class": ", ,"}), "class.unknown", E)


# ------------------------------------------------------------------ other fields
@pytest.mark.parametrize("value", ["11010012345", "1101001234567", "11010012345A"])
def test_file_number_is_twelve_digits(value):
    only(back(file_number=value), "file_number.format", E)


def test_name_has_no_digits():
    only(front(name="张3"), "name.digits", E)


def test_missing_required_fields():
    found = validate_page({}, Side.FRONT, today=TODAY)
    assert [f.code for f in found] == [
        "number.missing", "name.missing", "sex.missing", "nationality.missing",
        "address.missing", "birth.missing", "issue_date.missing", "class.missing",
        "valid_from.missing", "valid_to.missing",
    ]
    assert all(f.level is W for f in found)
    assert found[0].zh == "未识别到证号"
    assert codes(validate_page({"record": ""}, Side.BACK, today=TODAY)) == [
        ("number.missing", W), ("name.missing", W), ("file_number.missing", W)]
    only(front(address="  "), "address.missing", W)
    only(front(nationality=""), "nationality.missing", W)


# ------------------------------------------------------------------ cross-check, result
def test_cross_check_mismatch_is_on_the_back_page():
    other = make_number("11999919900307125")
    assert codes(cross_check(FRONT, {**BACK, "number": other, "name": "李四"})) == [
        ("number.mismatch", E), ("name.mismatch", E)]
    assert cross_check(FRONT, {**BACK, "number": ""}) == []  # missing is not a mismatch
    double = RecognitionResult.from_huawei_json(
        {"front": FRONT, "back": {**BACK, "name": "李四"}})
    only(validate_result(double, today=TODAY), "name.mismatch", E)


def test_single_page_result_uses_its_side():
    result = RecognitionResult.from_huawei_json(BACK, Side.BACK)
    assert validate_result(result, today=TODAY) == []
    result = RecognitionResult.from_huawei_json(BACK)  # no side: taken as a front page
    assert ("sex.missing", W) in codes(validate_result(result, today=TODAY))


def test_findings_are_in_catalogue_order_errors_first():
    found = front(number=NUMBER[:17] + "x", sex="?", valid_to="2030/05/20", name="")
    order = {k: i for i, k in enumerate(FIELD_KEYS)}
    keys = [(order[f.field], f.level is W) for f in found]
    assert keys == sorted(keys)
    assert codes(found)[:2] == [("number.check_digit", E), ("number.lowercase_x", W)]


def test_validate_field_and_is_ok():
    assert validate_field("sex", "女", FRONT, Side.FRONT, today=TODAY)[0].code == "sex.mismatch"
    assert validate_field("sex", "男", FRONT, Side.FRONT, today=TODAY) == []
    assert validate_field("name", "", FRONT, Side.FRONT, today=TODAY)[0].code == "name.missing"
    found = front(sex="女", **{"class": "c1"})
    assert not is_ok(found) and not is_ok(found, "sex")
    assert is_ok(found, "class") and is_ok(found, "number") and is_ok([])


def test_auto_and_double_side_required_fields():
    assert validate_page(FRONT, Side.AUTO, today=TODAY) == []
    assert validate_page(BACK, Side.AUTO, today=TODAY) == []
    merged = {**FRONT, **BACK}
    assert validate_page(merged, Side.DOUBLE_SIDE, today=TODAY) == []
    assert ("file_number.missing", W) in codes(
        validate_page(FRONT, Side.DOUBLE_SIDE, today=TODAY))


# ------------------------------------------------------------------ robustness
_ALPHABET = "0123456789Xx-/ ,长期男女中国ABCDEFMNP年月日\u0000\ud800é１" + "\U0001F600"


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 24)))


def test_fuzz_never_raises():
    rng = random.Random(1234)
    for _ in range(3000):
        fields = {k: _random_text(rng) for k in FIELD_KEYS if rng.random() < 0.7}
        if rng.random() < 0.3:  # near-valid values reach the deeper rules
            key = rng.choice(list(FRONT))
            fields[key] = FRONT[key][: rng.randint(0, 18)] + _random_text(rng)[:2]
        side = rng.choice(list(Side))
        today = date(rng.randint(1, 9999), 1, 1) if rng.random() < 0.2 else TODAY
        found = validate_page(fields, side, today=today)
        assert all(f.field in FIELD_KEYS and f.level in (E, W) for f in found)
        cross_check(fields, fields)
        try:
            parse_class(fields.get("class", ""))
        except ValueError:
            pass
        is_valid_id_number(fields.get("number", ""))


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "0000-01-01", "9999-02-29"])
def test_extreme_dates_do_not_raise(value):
    for key in ("birth", "issue_date", "valid_from", "valid_to"):
        front(**{key: value})
    front(valid_from=value, valid_to="9999-12-31")
    front(birth=value, issue_date=value)


def test_non_string_values_do_not_raise():
    fields = {**FRONT, "name": None, "class": 12}
    assert codes(validate_page(fields, Side.FRONT, today=TODAY)) == [
        ("name.missing", W), ("class.unknown", E)]
