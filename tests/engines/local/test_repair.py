from __future__ import annotations

from datetime import date

import pytest

from dlscan_gui.core.validate import id_check_digit
from dlscan_gui.engines.local.repair import (
    add_years,
    birth_from,
    normalize_class,
    normalize_date,
    normalize_file_number,
    normalize_sex,
    parse_span_years,
    parse_validity_range,
    repair_id_number,
)

BODY = "11999919900307001"  # synthetic region 119999
NUMBER = BODY + id_check_digit(BODY)


def test_clean_number_passes_through():
    assert repair_id_number(NUMBER) == NUMBER
    assert repair_id_number(f" {NUMBER[:6]} {NUMBER[6:]} ") == NUMBER


def test_a_stray_character_before_the_number_is_left_out():
    # 77123 (hard): "E" (a look-alike of 3) before the number; of the two 18-digit runs,
    # the second passes the check.
    assert repair_id_number("E420508197403055267") == "420508197403055267"
    assert repair_id_number("420508197403055267E") == "420508197403055267"


def test_confusable_letters_become_digits():
    garbled = NUMBER.replace("0", "O", 2).replace("1", "l", 1)
    assert repair_id_number(garbled) == NUMBER


def test_lowercase_x_check_digit():
    body = next(b for b in (f"1199991990030700{i}" for i in range(10))
                if id_check_digit(b) == "X")
    assert repair_id_number(body + "x") == body + "X"


def test_one_misread_digit_is_repaired_with_the_birth_date_and_not_without():
    assert NUMBER == "119999199003070019"
    misread = "119999199803070019"  # 0 read as 8 in the birth year: the check digit fails
    assert repair_id_number(misread) is None  # several one-digit repairs pass: no guess
    assert repair_id_number(misread, birth="1990-03-07") == NUMBER


def test_birth_disambiguates_and_garbage_is_refused():
    assert repair_id_number("not a number") is None
    assert repair_id_number("12345") is None


@pytest.mark.parametrize("text, expected", [
    ("2016-05-06", "2016-05-06"),
    ("2016.5.6", "2016-05-06"),
    ("2016年05月06日", "2016-05-06"),
    ("20160506", "2016-05-06"),
    ("2O16-O5-O6", "2016-05-06"),
    ("2023-02-29", None),
    ("hello", None),
    # The year's first digit lost under the seal's frame: 0xx is 20xx, 9xx is 19xx.
    ("次幢证日022-06-23", "2022-06-23"),
    ("998-01-02", "1998-01-02"),
    ("次证日：015-1211", "2015-12-11"),  # 77143: month and day run together after the year
    ("015-1311", None),
    ("206-01-02", None),
    ("097-03-01", None),  # 1997 misread: 2097 is no licence date
    ("0220623", None),  # packed digits without separators stay unread
    ("202020-07-04", "2020-07-04"),  # the year's digits read twice over (79108)
])
def test_dates(text, expected):
    assert normalize_date(text) == expected


def test_validity_ranges_and_spans():
    assert parse_validity_range("2016-05-06 至 2026-05-06") == ("2016-05-06", "2026-05-06")
    assert parse_validity_range("2016-05-06至长期") == ("2016-05-06", "长期")
    assert parse_validity_range("2016-05-062026-05-06") == ("2016-05-06", "2026-05-06")
    assert parse_validity_range("202020-07-04至2030-07-04") == ("2020-07-04", "2030-07-04")
    assert parse_span_years("6年") == 6 and parse_span_years("10年") == 10
    assert parse_span_years("陆年") == 6 and parse_span_years("7年") is None
    # The number before 年 wins over digits from a misread sublabel or a number further on.
    assert parse_span_years("valdfor6年") == 6
    assert parse_span_years("6年510709197312089233") == 6
    assert parse_span_years("1O年") == 10
    assert add_years("2016-05-06", 6) == "2022-05-06"
    assert add_years("2016-02-29", 10) == "2026-02-28"


def test_validity_ranges_whose_separator_did_not_read():
    # Sixteen digits that are two dates 6 or 10 years apart.
    assert parse_validity_range("2022-06-23202806-23") == ("2022-06-23", "2028-06-23")
    # The start kept only its year: its month and day are the end's, 6 or 10 years before.
    assert parse_validity_range("2016-量2022-09-13") == ("2016-09-13", "2022-09-13")
    assert parse_validity_range("2016-量2023-09-13") == (None, None)  # 7 years: no licence
    assert parse_validity_range("2016-09-13") == ("2016-09-13", None)


@pytest.mark.parametrize("text, expected", [
    ("016-01-20 2026-01-20", ("2016-01-20", "2026-01-20")),  # 77090: the start's 2 lost
    ("15-06-06 2021-08-06", ("2015-08-06", "2021-08-06")),  # 77018: 20 lost, 08 read 06
    ("2021-06-2027-06-10", ("2021-06-10", "2027-06-10")),  # 77084: 10 至 20 read as 20
    ("016-01-20 2023-01-20", ("2023-01-20", None)),  # 7 years: no start fits
    ("13-05-06 2021-05-06", ("2021-05-06", None)),  # the year's last two digits fit neither
])
def test_a_ranges_start_rebuilt_from_its_remains_before_a_whole_end(text, expected):
    # A period runs from one anniversary to the next, 6 or 10 years on: the start is the end's
    # month and day in the year the remains show (the lone date stays the start otherwise,
    # for validity_dates to place).
    assert parse_validity_range(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("C1", "C1"), ("Cl", "C1"), ("CI", "C1"), ("c1", "C1"), ("A1A2", "A1A2"),
    ("C1E", "C1E"), ("A2 D", "A2D"), ("C7", None), ("C1C1", None), ("", None),
    ("[C1", "C1"), ("[B2]", "B2"),
    ("EC1", None), ("DA2", None),  # out of the printed order: the box's side read as a code
])
def test_class_codes(text, expected):
    assert normalize_class(text) == expected


def test_sex_and_file_number():
    assert normalize_sex("性别男") == "男" and normalize_sex("女") == "女"
    assert normalize_sex("M") is None
    assert normalize_file_number("档案编号 1101O0123456") == "110100123456"
    assert normalize_file_number("123") is None


def test_birth_is_checked_against_the_number():
    number = "130116198505147668"  # born 1985-05-14, check digit right
    assert birth_from("7985-05-14", number) == "1985-05-14"  # a blurred 1 read as 7
    assert birth_from("出生日期1985-05-74", number) == "1985-05-14"
    assert birth_from("8生98198504-14", number) == "1985-05-14"  # label debris, digits merged
    # Far from the number's date: the reading stands (nothing to choose between).
    assert birth_from("1990-11-04", number) == "1990-11-04"
    # No number, or one whose check digit fails: the reading alone (7985 is no year).
    assert birth_from("7985-05-14", None) is None
    assert birth_from("1990-11-04", "130116198505147660") == "1990-11-04"
    # With no number to check it, a date too recent for any licence holder (under 16 today) is
    # another date read in the birth's place (77110: 2022-10-09).
    assert birth_from(f"{date.today().year - 15}-01-01", None) is None
    assert birth_from("1997-02-07", None) == "1997-02-07"


def test_a_blurred_ten_year_span_still_reads_as_ten():
    # Seed 30210 (hard): 10年 read as J0年. Only 6 and 10 are issued, so "0年" is 10.
    assert parse_span_years("J0年") == 10 and parse_span_years("|0年") == 10
    assert parse_span_years("0年") == 10
    assert parse_span_years("16年") is None and parse_span_years("60年") is None
