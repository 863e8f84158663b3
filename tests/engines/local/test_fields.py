"""Field extraction on hand-made OCR lines: labels, layout fallback, authority grammar."""

from __future__ import annotations

import numpy as np
import pytest

from dlscan_gui.engines.local.authority import PLACES, closest_place, match_authority
from dlscan_gui.engines.local.cities import fix_province
from dlscan_gui.engines.local.engine import _record_only
from dlscan_gui.engines.local.fields import RawField, clean_value, extract
from dlscan_gui.engines.local.layout import front_by_layout, split_name_row
from dlscan_gui.engines.local.ocr import TextBox
from dlscan_gui.engines.local.repair import normalize_class, parse_validity_range
from dlscan_gui.engines.local.values import clean_name


def box(x0: float, y0: float, x1: float, y1: float, text: str, score: float = 0.99) -> TextBox:
    return TextBox(np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), text, score)


def test_label_row_collects_values_to_its_right():
    lines = [box(80, 150, 140, 180, "证号"), box(240, 148, 560, 178, "130127198808176094"),
             box(80, 200, 140, 230, "姓名"), box(240, 195, 340, 228, "慕容宏"),
             box(390, 195, 480, 230, "性别男"), box(500, 200, 560, 230, "国籍"),
             box(580, 195, 650, 228, "中国")]
    raw = extract(lines, 880)
    assert raw["number"].text == "130127198808176094"
    assert raw["name"].text == "慕容宏"
    assert raw["sex"].text == "男"
    assert raw["nationality"].text == "中国"


def test_misread_sex_label_still_anchors_the_sex():
    # 性别 read as 性刻 on a blurred name row: the sex is still found, and not glued to the name.
    lines = [box(28, 185, 92, 226, "姓名"), box(204, 185, 618, 227, "潘礼刚性刻男国籍中国")]
    raw = extract(lines, 880)
    assert raw["sex"].text == "男"
    assert raw["name"].text == "潘礼刚"
    assert raw["nationality"].text == "中国"


def test_name_stops_at_a_wide_gap_where_the_sex_label_did_not_read():
    # Glare washed out 性别 and 国籍: the sex and nationality are no part of the name.
    lines = [box(26, 185, 138, 227, "姓名 5m0"), box(273, 180, 374, 226, "汪志玲"),
             box(522, 189, 627, 221, "文国路"), box(713, 183, 787, 226, "中国")]
    assert clean_name(extract(lines, 880)["name"].text) == "汪志玲"  # the sublabel's "5m0" goes


def test_a_dash_after_the_name_label_starts_no_name():
    # Seed 74020 (hard): the dash after 姓名 read as 一 in the label's box; the name's own box
    # sits a wide gap to its right and is still the name.
    lines = [box(30, 184, 141, 229, "姓名一"), box(274, 184, 374, 225, "梁刚宁"),
             box(415, 183, 781, 226, "性别-男 国籍 —中国")]
    name = extract(lines, 880)["name"]
    assert name.text == "梁刚宁"
    assert name.quad()[0, 0] == 274  # the name's box alone: a re-read crops the name only
    # Seed 79015 (hard, back page): label, dash and name in one box; the name's slice of the box
    # starts after the dash.
    name = extract([box(32, 210, 254, 256, "姓名一谢凯美")], 880)["name"]
    assert name.text == "谢凯美" and name.quad()[0, 0] == pytest.approx(32 + 222 * 3 / 6)


def test_a_value_slice_of_a_line_counts_digits_half_as_wide():
    # 4 Chinese characters and 12 digits: the label is four tenths of the box, not a quarter.
    raw = extract([box(30, 300, 350, 340, "档案编号330117552073")], 880)
    assert raw["file_number"].text == "330117552073"
    assert raw["file_number"].quad()[0, 0] == pytest.approx(30 + 320 * 4 / 10)


def test_a_name_split_into_close_pieces_is_joined():
    lines = [box(26, 185, 92, 227, "姓名"), box(240, 185, 300, 226, "欧阳"),
             box(306, 185, 370, 226, "明华")]
    assert extract(lines, 880)["name"].text == "欧阳明华"


def test_address_ends_at_the_birth_row_whose_label_did_not_read():
    lines = [box(30, 240, 100, 280, "住址"), box(198, 238, 598, 277, "云南省昆明市工业街7"),
             box(196, 275, 256, 318, "8号"), box(198, 337, 360, 381, "出—1980-10-27")]
    assert extract(lines, 880)["address"].text == "云南省昆明市工业街78号"


@pytest.mark.parametrize("lines, address, birth", [
    # 78076 (hard): the 住址 box reaches down over its English sublabel, to below where the
    # address's second line starts; that line is still the address's, not the label's row.
    ([box(26, 241, 92, 296, "住址"), box(202, 239, 610, 281, "江苏省无锡市长江区柳营中路"),
      box(203, 278, 450, 318, "119号29栋1302房"), box(30, 343, 142, 381, "出生日期"),
      box(203, 341, 369, 381, "1996-05-23")],
     "江苏省无锡市长江区柳营中路119号29栋1302房", "1996-05-23"),
    # 77136 (hard): the box shares its row with both lines, and the second starts 3 px further
    # left; by x alone it came first. They go top to bottom.
    ([box(28, 240, 98, 299, "住址"), box(206, 237, 601, 275, "黑龙江省齐齐哈尔市望江区文"),
      box(203, 273, 482, 315, "化镇金沙村1组15号"), box(35, 345, 142, 381, "出生日期"),
      box(202, 335, 369, 375, "1970-11-07")],
     "黑龙江省齐齐哈尔市望江区文化镇金沙村1组15号", "1970-11-07"),
])
def test_an_address_under_a_tall_label_box_keeps_both_lines_in_order(lines, address, birth):
    raw = extract(lines, 880)
    assert raw["address"].text == address
    assert raw["birth"].text == birth


def test_layout_address_leaves_out_its_misread_label():
    # 77041 (hard): 住址 read "性址", no label then; the layout took it as a line of the address.
    lines = [box(202, 123, 520, 160, "32050719921023396X"),
             box(197, 178, 622, 227, "起祥文性别女国籍中国"),
             box(28, 241, 90, 280, "性址"), box(202, 238, 560, 277, "上海市富民区清河路107号"),
             box(198, 337, 360, 381, "1992-10-23")]
    assert front_by_layout(lines, 880, 600)["address"].text == "上海市富民区清河路107号"


def test_layout_address_ends_at_a_birth_date_missing_its_first_digit():
    lines = [box(198, 129, 514, 164, "110126197007069075"),
             box(197, 178, 622, 227, "雷东秀性别男国籍中国"),
             box(198, 238, 598, 277, "内蒙古自治区包头市东风路18"), box(196, 275, 256, 318, "8号"),
             box(35, 337, 360, 381, "出生日.970-07-06"),
             box(36, 399, 357, 443, "核次牌证自期2016-11-08")]
    assert front_by_layout(lines, 880, 600)["address"].text == "内蒙古自治区包头市东风路188号"


def test_layout_reads_a_range_in_pieces_and_a_date_that_lost_its_first_digit():
    # Glare over the validity row: "2016-09-13 至 2022-09-13" read as three pieces; the issue
    # date's 2 lost under the seal's frame, its label unread.
    lines = [box(201, 130, 527, 169, "520329198311178250"), box(203, 184, 348, 225, "金杰"),
             box(204, 240, 600, 279, "贵州省遵义市永安区新民镇朝"),
             box(200, 340, 363, 380, "1983-11-17"), box(31, 404, 366, 443, "016-09-13"),
             box(200, 527, 299, 568, "2016-"), box(372, 531, 420, 561, "量"),
             box(403, 529, 572, 565, "2022-09-13")]
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "1983-11-17"
    assert found["issue_date"].text == "016-09-13"
    assert "valid_from" not in found  # the range's first piece is no date of its own
    assert parse_validity_range(found["validity"].text) == ("2016-09-13", "2022-09-13")


def test_misread_record_label_before_a_record_sentence():
    lines = [box(30, 314, 100, 349, "档案编号410104077775"),
             box(30, 360, 686, 395, "记单请于2022年07月14日前九十日内申请换领新驾驶证。")]
    assert extract(lines, 880)["record"].text == "请于2022年07月14日前九十日内申请换领新驾驶证。"


def test_a_name_with_性_in_it_is_no_sex_label():
    lines = [box(28, 185, 92, 226, "姓名"), box(204, 185, 300, 227, "李性文")]
    assert extract(lines, 880)["name"].text == "李性文"


def test_stray_seal_characters_do_not_spoil_the_class():
    lines = [box(80, 426, 240, 464, "准驾车型同交"), box(243, 430, 293, 464, "C1")]
    raw = extract(lines, 880)["class"]
    values = [normalize_class(c.text) for c in raw.candidates()]
    assert next(v for v in values if v) == "C1"


def test_layout_finds_values_when_labels_did_not_read():
    lines = [box(150, 40, 730, 90, "中华人民共和国机动车驾驶证"),
             box(215, 128, 540, 163, "130628198301143369"),
             box(211, 178, 617, 226, "罗信华女中国"),
             box(218, 239, 614, 274, "贵州省遵义市公园县迎宾路13"),
             box(214, 276, 425, 312, "3号13栋2405房"),
             box(214, 327, 374, 363, "1983-01-14"),
             box(214, 374, 375, 418, "2010-12-05"),
             box(213, 423, 313, 470, "C1E"),
             box(214, 473, 376, 519, "2016-10-14 至 2026-10-14")]
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "1983-01-14"
    assert found["issue_date"].text == "2010-12-05"
    assert found["class"].text == "C1E"
    assert found["validity"].text == "2016-10-14至2026-10-14"
    assert found["address"].text == "贵州省遵义市公园县迎宾路133号13栋2405房"
    assert split_name_row(found["name_row"].text) == ("罗信华", "女", "中国")


def test_layout_does_not_take_a_range_end_for_the_next_date():
    # The birth's 1 read as 7, and only the end of the validity range read (right of the value
    # column): the dates keep their rows instead of shifting up by one.
    lines = [box(215, 128, 540, 163, "130116198505147668"),
             box(211, 178, 617, 226, "唐欣森女国中国"),
             box(214, 327, 374, 363, "7985-05-14"),
             box(30, 374, 375, 418, "25262006-10-02"),
             box(408, 527, 581, 570, "2022-10-02")]
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "7985-05-14"
    assert found["issue_date"].text == "25262006-10-02"
    assert "valid_from" not in found and "validity" not in found


def test_layout_takes_a_range_whose_start_blurred_for_the_range():
    # Seed 79146 (hard): the range's start read "J20-01-30", no 至; one date and another date's
    # shape on the row make it the range, not a lone start date.
    lines = [box(208, 130, 520, 165, "330321198910166183"),
             box(157, 340, 330, 376, "J989-10-16"),
             box(37, 402, 420, 438, "GR4证Bm 2020-03-30"),
             box(190, 525, 560, 561, "J20-01-30 2026-03-30")]
    found = front_by_layout(lines, 880, 600)
    assert found["validity"].text == "J20-01-302026-03-30"
    assert "valid_from" not in found


def test_layout_takes_no_piece_of_a_split_number_for_a_date():
    # Seed 79063 (hard): the number read in two pieces, "4301097" and "70187115", no labels
    # beside the dates. The first piece is no birth date, and the dates keep their rows.
    lines = [box(288, 130, 418, 166, "4301097"), box(448, 129, 600, 165, "70187115"),
             box(286, 179, 386, 225, "武择型"), box(286, 339, 445, 379, "1950 09.18"),
             box(287, 401, 442, 441, "2014-10-07"),
             box(286, 526, 649, 565, "2020- 10 07 ± 2030 10 07")]
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "195009.18"
    assert found["issue_date"].text == "2014-10-07"
    assert "valid_from" not in found
    assert parse_validity_range(found["validity"].text) == ("2020-10-07", "2030-10-07")
    # Seeds 79085, 79092 (hard): digits of the number lost or read as a symbol; what is left
    # is no date either.
    below = lines[2:]
    for number in ("410314198001112", "4205061>10122092"):
        found = front_by_layout([box(286, 130, 560, 166, number), *below], 880, 600)
        assert found["birth"].text == "195009.18" and found["issue_date"].text == "2014-10-07"
    # A top row that is the birth date (number, name and address not read) is still a date.
    found = front_by_layout(below[1:], 880, 600)
    assert found["birth"].text == "195009.18" and found["issue_date"].text == "2014-10-07"


def test_layout_takes_no_address_digits_for_a_date():
    # Seed 79124 (hard): the flat's digits "2412403" on the address's second line are no date
    # (month and day with no separator are two digits each), so the dates keep their rows.
    lines = [box(209, 131, 520, 171, "430220196606151676"), box(209, 186, 330, 226, "徐品直"),
             box(210, 243, 600, 283, "湖南省株洲市东湖区长乐北路4"),
             box(207, 282, 520, 322, "5号望江雅区2412403室"),
             box(207, 342, 370, 382, "1966-06-15"), box(22, 402, 370, 442, "测南省株测2018-11-06"),
             box(212, 464, 260, 504, "B1"), box(220, 530, 600, 570, "024-11-06至2034-11-06")]
    found = front_by_layout(lines, 880, 600)
    assert found["address"].text == "湖南省株洲市东湖区长乐北路45号望江雅区2412403室"
    assert found["birth"].text == "1966-06-15"
    assert found["issue_date"].text == "测南省株测2018-11-06"
    # A birth row whose 1 read as J (seed 74029) is still a date: the address ends above it.
    lines[4] = box(207, 342, 370, 382, "J9780424")
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "J9780424" and "J97" not in found["address"].text
    # ... and so is one whose day's first digit read as a colon (seed 79081).
    lines[4] = box(207, 342, 370, 382, "1973-11-:27")
    found = front_by_layout(lines, 880, 600)
    assert found["birth"].text == "1973-11-:27" and "1973" not in found["address"].text


def test_authority_grammar():
    assert match_authority("河北省石家庄市公安局交通警察支队") == "河北省石家庄市公安局交通警察支队"
    # A misread character of the fixed words is corrected ...
    assert match_authority("河北省石家庄市公安局交通警寨支队") == "河北省石家庄市公安局交通警察支队"
    assert match_authority("北京市公安局公安交通管理局") == "北京市公安局公安交通管理局"
    # ... and so is a misread province or city, when exactly one real place is closest:
    # 鸿北 could be 河北 or 湖北, but only 河北 has a 保定市.
    assert match_authority("鸿北省保定市公安局交通警察支队") == "河北省保定市公安局交通警察支队"
    assert match_authority("吉林省吉基市公安局交通警察支队") == "吉林省吉林市公安局交通警察支队"
    assert match_authority("辽宁省大资市公安局交通警察支队") == "辽宁省大连市公安局交通警察支队"
    # Two real cities equally close (赣州/抚州, 拉萨/林芝), a city that does not exist, or a
    # non-name are rejected rather than guessed.
    assert match_authority("江西省幅州市公安局交通警察支队") is None
    assert match_authority("西藏自治区位苏市公安局交通警察支队") is None
    assert match_authority("河北省某某县公安局交通警察支队") is None
    assert match_authority("口") is None
    assert match_authority("南接市公安局交通") is None


def test_closest_place_needs_a_unique_real_city():
    assert closest_place("河北省唐山市") == ("河北省唐山市", 0)
    assert closest_place("河北省磨山市") == ("河北省唐山市", 1)
    assert closest_place("新疆维吾尔自治区乌鲁木齐市") == ("新疆维吾尔自治区乌鲁木齐市", 0)
    assert closest_place("湖南省铁舞市") is None  # two characters off, and so are others
    assert all(place.encode("gb2312") for place in PLACES)


@pytest.mark.parametrize("text, expected", [
    ("valdfor6年", "6年"), ("ValidFroin2016-03-24", "2016-03-24"), ("C1E", "C1E"), ("Cl", "Cl"),
    ("A1A2", "A1A2"), ("Sex男", "男"),
])
def test_misread_english_sublabels_are_dropped(text, expected):
    assert clean_value(text) == expected


def test_record_keeps_chinese_lines_above_the_barcode():
    record = RawField("")
    record.add("请于2032年04月01日前九十日内申请换领新驾驶证。", box(96, 270, 690, 308, "x"))
    record.add("leeeeclele", box(87, 358, 391, 449, "x"))  # a pen note
    record.add("实习期至2025年04月07日。", box(96, 312, 420, 350, "x"))
    record.add("监1", box(359, 547, 525, 578, "x"))  # the barcode's digits, misread
    kept = _record_only(record, 600)
    assert kept.text == "请于2032年04月01日前九十日内申请换领新驾驶证。实习期至2025年04月07日。"
    assert len(kept.boxes) == 2


def test_a_line_of_digits_is_not_mistaken_for_small_print():
    """Digits have no ascenders, so the number's box is as short as an English sublabel's;
    it is wide and below the title, so it is still read."""
    import numpy as np

    from dlscan_gui.engines.local.page_geometry import small_print as _small_print

    def quad(x0, y0, x1, y1):
        return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])

    assert not _small_print(quad(255, 162, 546, 185), 880, 600)  # the 18-digit number
    assert _small_print(quad(80, 230, 130, 245), 880, 600)  # "Name" under 姓名
    assert _small_print(quad(277, 123, 673, 146), 880, 600)  # the English title line
    assert not _small_print(quad(250, 200, 320, 235), 880, 600)  # a value of normal height


def test_a_misread_file_number_label_does_not_glue_onto_the_name():
    # Back page: 档案编号 shares the name's row; OCR read 档案 as 档票.
    lines = [box(60, 200, 120, 230, "姓名"), box(200, 198, 300, 228, "李洋"),
             box(430, 198, 560, 228, "档票编号"), box(600, 198, 800, 228, "441931832510")]
    raw = extract(lines, 880)
    assert raw["name"].text == "李洋"
    assert raw["file_number"].text == "441931832510"


def test_name_address_and_nationality_lose_label_debris():
    from dlscan_gui.engines.local.values import clean_address as _address
    from dlscan_gui.engines.local.values import clean_name as _name
    from dlscan_gui.engines.local.values import clean_nationality as _nationality

    assert _name("一袁美锋") == "袁美锋"
    assert _name("姓雷博") == "雷博"
    assert _name("尹佳档室") == "尹佳"
    assert _name("慕容宏性别") == "慕容宏"
    assert _name("一一") == "一一"  # nothing would be left: keep what was read
    # The rest of the row glued on, its labels unread or garbled.
    assert _name("张三男中国") == "张三"
    assert _name("毛智告核刻男国格中国") is None  # which characters are the name's?
    assert _name("性刻") is None  # the 性别 label read as the name
    assert _name("中国") is None  # the nationality's value taken for the name (seed 74059, hard)
    assert _name("性财一男加峰中国") is None
    # Seeds 81008, 81059 (hard): a blurred name read as a dash; no name is one character.
    assert _name("一") is None
    assert _address("A0dve55上海市松山新区翠湖中路53号") == "上海市松山新区翠湖中路53号"
    assert _address("<=") is None
    # 77024 (hard): the label's row read "住址一"; a few characters before a province go.
    assert _address("一上海市安居县金桥北路58号") == "上海市安居县金桥北路58号"
    assert _address("住址黑龙江省哈尔滨市繁荣路1号") == "黑龙江省哈尔滨市繁荣路1号"
    assert _address("南京市玄武区中山路1号") == "南京市玄武区中山路1号"  # no province: as read
    assert _nationality("国中国") == "中国"
    assert _nationality("中国") == "中国"
    assert _nationality("中") == "中国"  # 77100: the 国 did not read
    assert _nationality("美国") == "美国"


def test_misread_labels_in_the_label_column_still_anchor_their_values():
    lines = [box(30, 240, 90, 270, "佳址"), box(200, 238, 600, 268, "湖北省武汉市青年路76号"),
             box(30, 335, 380, 365, "出生品路1986-04-10"),
             box(30, 390, 380, 420, "私次禁证日期2014-08-15"),
             box(30, 445, 130, 475, "淮宜车型"), box(200, 445, 250, 475, "C1")]
    raw = extract(lines, 880)
    assert raw["address"].text == "湖北省武汉市青年路76号"  # the birth row is not glued on
    assert raw["birth"].text == "1986-04-10"
    assert raw["issue_date"].text == "2014-08-15"
    assert raw["class"].text == "C1"


def test_fuzzy_labels_leave_values_and_record_sentences_alone():
    # A value column line, a name after a half-read label, a record line in the left column.
    lines = [box(30, 200, 110, 230, "姓雷博"), box(200, 300, 600, 330, "出生品路1986-04-10"),
             box(30, 400, 500, 430, "实习期至2019年04月16日。")]
    raw = extract(lines, 880)
    assert "birth" not in raw and "validity" not in raw and "name" not in raw


def test_traditional_forms_are_read_back_as_the_printed_simplified_ones():
    from dlscan_gui.engines.local.values import clean_address as _address
    from dlscan_gui.engines.local.values import clean_name as _name

    assert _name("黃俊思") == "黄俊思"
    assert _address("廣東省廣州市東風路12號") == "广东省广州市东风路12号"
    assert _name("李洋") == "李洋"


def test_name_label_with_its_first_character_misread():
    # Seed 60021 (hard, back page): 姓名 read as 楼名, the value in the same line; the file
    # number's label read as "686号" right of it must not join the name.
    lines = [box(26, 199, 192, 251, "楼名 黄良兰"), box(435, 203, 759, 245, "686号 500123527431")]
    raw = extract(lines, 880)
    assert raw["name"].text == "黄良兰"


def test_file_number_label_with_档案_misread_keeps_off_the_name():
    # Seed 60015 (hard): "5架编号": the characters before 编号 are the misread 档案.
    lines = [box(28, 194, 209, 254, "姓名 朱波宁"), box(432, 196, 788, 245, "5架编号 775184277406")]
    raw = extract(lines, 880)
    assert raw["name"].text == "朱波宁"
    assert raw["file_number"].text == "775184277406"


@pytest.mark.parametrize(("read", "printed"), [
    ("成北省武汉市支据南路50号", "湖北省武汉市支据南路50号"),  # 河北省 is one off too: 武汉 decides
    ("宁回族自治区银川市凤凰路81号", "宁夏回族自治区银川市凤凰路81号"),  # a character dropped
    ("可北省石家庄市长安区", "河北省石家庄市长安区"),
    ("河北省定州市北城区", "河北省定州市北城区"),  # read as printed (a county-level city)
    ("河北省定州市", "河北省定州市"),
    ("北京市翠湖区东湖镇", "北京市翠湖区东湖镇"),  # a municipality: nothing to check it by
    ("成北省某某市", "成北省某某市"),  # no real city after it: left as read
])
def test_a_misread_province_is_put_right_by_its_city(read, printed):
    assert fix_province(read) == printed


def test_layout_finds_a_blurred_ten_year_span_below_the_start_date():
    # Seed 30210 (hard, older card): 有效期限 did not read and 10年 read as J0年.
    lines = [box(210, 135, 534, 170, "630121196603246651"),
             box(210, 334, 374, 370, "1966-03-24"),
             box(41, 383, 372, 418, "初次师证日期2016-03-12"),
             box(219, 431, 267, 464, "Cl"),
             box(39, 478, 376, 518, "有效起始日期2022-03-12"),
             box(204, 529, 277, 568, "J0年")]
    found = front_by_layout(lines, 880, 600)
    assert found["validity"].text == "J0年"
