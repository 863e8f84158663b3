"""The offline engine end to end, on synthetic licences: exact fields on the bundled samples,
an accuracy floor on a fixed generated set, and the Recognizer contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dlscan_gui.core.errors import RecognitionError
from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from dlscan_gui.core.validate import validate_page
from dlscan_gui.engines.base import ImageUrl
from dlscan_gui.paths import resources_dir
from tests.synthetic.licence import make_dataset, make_sample
from tests.synthetic.scoring import compare, flatten

SAMPLES = resources_dir() / "samples"
# Floors under what was measured on the fixed sets below (flat + moderate: 100 %; hard: 57 %
# when set, 77 % and then 82 % on 2026-11-24); raise them as the engine improves.
FIELD_ACCURACY_FLOOR = 0.97
HARD_FIELD_ACCURACY_FLOOR = 0.75


def sample(name: str):
    truth = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))["truth"]
    return load_image(SAMPLES / f"{name}.jpg"), truth


@pytest.mark.parametrize("name", ["synthetic-front", "synthetic-front-scan", "synthetic-back"])
def test_bundled_single_pages_read_exactly(local_engine, name, no_network):
    image, truth = sample(name)
    result = local_engine.recognize(image, return_issuing_authority=True)
    got = result.to_huawei_json()
    assert {k: got.get(k) for k in truth} == truth
    assert result.side is (Side.BACK if "back" in name else Side.FRONT)


def test_bundled_double_page_gives_front_and_back(local_engine):
    image, truth = sample("synthetic-double-side")
    result = local_engine.recognize(image, return_issuing_authority=True)
    assert result.side is Side.DOUBLE_SIDE
    checks = compare(truth, result.to_huawei_json())
    wrong = [key for key, ok in checks.items() if not ok]
    # A seal too small to read is left out, never guessed.
    assert set(wrong) <= {"front.issuing_authority"}
    got = flatten(result.to_huawei_json())
    assert got.get("front.issuing_authority") in (None, truth["front"]["issuing_authority"])


def test_explicit_side_is_honoured(local_engine):
    image, truth = sample("synthetic-double-side")
    result = local_engine.recognize(image, side=Side.BACK)
    assert result.side is Side.BACK
    assert result.get("file_number") == truth["back"]["file_number"]


def _field_checks(engine, seeds, level_of) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    for seed in seeds:
        generated = make_sample(seed, level=level_of(seed))
        image = load_image(generated.jpeg)
        try:
            got = engine.recognize(image, return_issuing_authority=True).to_huawei_json()
        except RecognitionError:
            got = {}
        checks.update({f"{seed}.{k}": ok for k, ok in compare(generated.truth, got).items()})
    return checks


def test_accuracy_floor_on_fixed_flat_and_moderate_sets(local_engine):
    checks = _field_checks(local_engine, range(7000, 7008), lambda s: ("flat", "moderate")[s % 2])
    accuracy = sum(checks.values()) / len(checks)
    assert accuracy >= FIELD_ACCURACY_FLOOR, sorted(k for k, ok in checks.items() if not ok)


def test_accuracy_floor_on_a_fixed_hard_set(local_engine):
    checks = _field_checks(local_engine, range(7200, 7206), lambda _seed: "hard")
    accuracy = sum(checks.values()) / len(checks)
    assert accuracy >= HARD_FIELD_ACCURACY_FLOOR, sorted(k for k, ok in checks.items() if not ok)


def test_confidence_and_text_location_in_image_coordinates(local_engine):
    generated = make_sample(7101, side="front", level="moderate")
    result = local_engine.recognize(load_image(generated.jpeg), return_text_location=True)
    assert result.confidence and all(0.0 <= c <= 1.0 for c in result.confidence.values())
    assert set(result.text_location) <= set(result.fields)
    quad = np.array(result.text_location["number"])
    truth = generated.field_boxes["number"]
    centre = quad.mean(axis=0)
    x0, y0 = truth.min(axis=0) - 10
    x1, y1 = truth.max(axis=0) + 10
    assert x0 <= centre[0] <= x1 and y0 <= centre[1] <= y1


def test_no_text_location_unless_asked(local_engine):
    image, _ = sample("synthetic-back")
    assert local_engine.recognize(image).text_location == {}


def test_urls_and_blank_images_are_refused_clearly(local_engine):
    with pytest.raises(RecognitionError) as caught:
        local_engine.recognize(ImageUrl("https://example.invalid/a.jpg"))
    assert caught.value.code == "AIS.0101"
    import cv2

    blank = np.full((600, 880, 3), 255, np.uint8)
    _, png = cv2.imencode(".png", blank)
    with pytest.raises(RecognitionError) as caught:
        local_engine.recognize(load_image(png.tobytes()))
    assert caught.value.code == "AIS.0104"


def test_a_page_of_dates_that_is_no_licence_is_refused(local_engine):
    # Dates and a class-like code where a front page prints them, but no licence word: the
    # layout would find four fields in it.
    import cv2

    page = np.full((600, 880, 3), 255, np.uint8)
    for row, text in enumerate(["INVOICE 2024-05-17", "1983-01-14", "2010-12-05", "2016-10-14",
                                "C1", "2016-10-14 - 2026-10-14"]):
        cv2.putText(page, text, (200, 150 + 70 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.2,
                    (20, 20, 20), 2)
    _, png = cv2.imencode(".png", page)
    with pytest.raises(RecognitionError) as caught:
        local_engine.recognize(load_image(png.tobytes()))
    assert caught.value.code == "AIS.0104"


def test_a_licence_whose_number_and_name_did_not_read_gives_its_other_fields(local_engine):
    # Seed 79111 (hard, small and blurred): the number lost its first digits and the name did
    # not read, but the labels did, and seven fields read right. They used to be thrown away
    # with an "image is not a licence" error.
    generated = next(make_dataset(1, start_seed=79111, levels=("hard",)))
    result = local_engine.recognize(load_image(generated.jpeg))
    assert not result.get("number") and not result.get("name")
    right = [key for key, ok in compare(generated.truth, result.to_huawei_json()).items() if ok]
    assert {"address", "birth", "issue_date", "valid_from", "valid_to"} <= set(right)
    findings = validate_page(result.fields, Side.FRONT)
    assert {"number.missing", "name.missing"} <= {f.code for f in findings}


def test_a_back_page_that_gives_its_file_number_and_record_is_a_licence():
    from dlscan_gui.engines.local.engine import _shows_licence
    from dlscan_gui.engines.local.ocr import TextBox

    # 77123 (hard, upside down): number and name lost, file number and record read right;
    # the back has four fields, and these two are its own. It used to be refused.
    back = _reading(Side.BACK, file_number="420595814755",
                    record="请于2028年12月11日前九十日内申请换领新驾驶证。")
    label = TextBox(np.float32([[30, 260], [90, 260], [90, 290], [30, 290]]), "记录", 0.9)
    back.lines.append(label)
    assert _shows_licence(back)
    # Two fields make no front: a page of dates and a code would pass.
    front = _reading(Side.FRONT, birth="1983-01-14", issue_date="2010-12-05")
    front.lines.append(label)
    assert not _shows_licence(front)
    # No licence word at all: no back either.
    assert not _shows_licence(_reading(Side.BACK, file_number="420595814755",
                                       record="请于2028年12月11日前九十日内申请换领新驾驶证。"))


def test_a_stray_letter_before_the_number_is_no_digit_of_it(local_engine):
    # 77123 (hard back page): the number read "E420508197403055267"; E is a look-alike of 3,
    # and the first 18 of the 19 digits fail the check.
    generated = make_sample(77123, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("number") == generated.truth["number"] == "420508197403055267"
    assert result.get("file_number") == generated.truth["file_number"]


def _reading(side: Side, **fields: str):
    from dlscan_gui.core.card import Page
    from dlscan_gui.engines.local.page_reading import PageReading

    page = Page(np.zeros((600, 880, 3), np.uint8), np.eye(3))
    reading = PageReading(page, [], side)
    for key, value in fields.items():
        reading.fields[key] = value
        reading.confidence[key] = 0.9
    return reading


def test_a_first_issue_before_the_holder_was_sixteen_is_left_out():
    from dlscan_gui.engines.local.cross_check import issue_after_sixteen
    from dlscan_gui.engines.local.repair import id_number_plausible

    # 77117 (hard): 1993-06-06 read as 1930-06-06; the number says born 1972-04-18.
    number = "110101197204180015"
    assert id_number_plausible(number)
    misread = _reading(Side.FRONT, number=number, issue_date="1930-06-06")
    issue_after_sixteen(misread)
    assert "issue_date" not in misread.fields and "issue_date" not in misread.confidence
    fine = _reading(Side.FRONT, number=number, issue_date="1993-06-06")
    issue_after_sixteen(fine)
    assert fine.fields["issue_date"] == "1993-06-06"
    # Without a number that passes its check, nothing to go by.
    unchecked = _reading(Side.FRONT, number=number[:-1] + "9", issue_date="1930-06-06")
    issue_after_sixteen(unchecked)
    assert unchecked.fields["issue_date"] == "1930-06-06"


def test_both_pages_agree_on_number_and_name_only_where_the_text_supports_it():
    from dlscan_gui.engines.local.cross_check import agree

    # A name missing on one page is the other page's; a misread label glued after the name is
    # dropped; two different readings are both kept (no way to tell which one is misread).
    front = _reading(Side.FRONT, name="张梓娟", number="440116195102255081")
    back = _reading(Side.BACK, name="张梓娟机案压")
    agree(front, back)
    assert back.fields == {"name": "张梓娟", "number": "440116195102255081"}
    assert back.confidence["number"] < front.confidence["number"]
    front = _reading(Side.FRONT, name="孟玉昊")
    back = _reading(Side.BACK, name="孟玉吴")
    agree(front, back)
    assert (front.fields["name"], back.fields["name"]) == ("孟玉昊", "孟玉吴")
    front = _reading(Side.FRONT, name="王小")
    back = _reading(Side.BACK, name="王小明")
    agree(front, back)
    assert back.fields["name"] == "王小明"


def test_the_back_pages_renewal_date_is_the_missing_end_date():
    from dlscan_gui.engines.local.cross_check import expiry_from_record

    record = "请于2025年12月28日前九十日内申请换领新驾驶证。实习期至2020年12月28日。"
    front = _reading(Side.FRONT, valid_from="2019-12-28")  # its "6年" read as a bare "年"
    back = _reading(Side.BACK, record=record)
    expiry_from_record(front, back)
    assert front.fields["valid_to"] == "2025-12-28"
    assert front.confidence["valid_to"] < back.confidence["record"]
    # Not 6 or 10 years after the start: the record belongs to no span the card can have.
    front = _reading(Side.FRONT, valid_from="2018-12-28")
    expiry_from_record(front, back)
    assert "valid_to" not in front.fields
    # An end date read on the front is never replaced.
    front = _reading(Side.FRONT, valid_from="2015-12-28", valid_to="2025-12-28")
    expiry_from_record(front, _reading(Side.BACK, record=record.replace("2025", "2021")))
    assert front.fields["valid_to"] == "2025-12-28"


def test_the_probations_end_gives_a_missing_first_issue_or_start_date():
    from dlscan_gui.engines.local.cross_check import dates_from_probation

    # 79001 (hard, both pages): the front's first issue date did not read; its validity starts
    # 2020-09-18 and the back's probation ends a year later.
    back = _reading(Side.BACK, record="请于2026年09月18日前九十日内申请换领新驾驶证。"
                                      "实习期至2021年09月18日。")
    front = _reading(Side.FRONT, valid_from="2020-09-18")
    dates_from_probation(front, back)
    assert front.fields["issue_date"] == "2020-09-18"
    assert front.confidence["issue_date"] < back.confidence["record"]
    front = _reading(Side.FRONT, issue_date="2020-09-18")
    dates_from_probation(front, back)
    assert front.fields["valid_from"] == "2020-09-18"
    # A start that is not a year before the probation's end bears nothing out.
    front = _reading(Side.FRONT, valid_from="2020-09-17")
    dates_from_probation(front, back)
    assert "issue_date" not in front.fields
    # An added class's probation (the record of 77087) ends a year after its period starts;
    # the period's end, 6 or 10 years on, bears the start out (77087's own end is 长期: no
    # start is taken there).
    back = _reading(Side.BACK, record="请于每年的12月提交身体条件证明。"
                                      "增驾实习期至2015年09月04日。")
    front = _reading(Side.FRONT, valid_to="2024-09-04")
    dates_from_probation(front, back)
    assert front.fields == {"valid_to": "2024-09-04", "valid_from": "2014-09-04"}
    assert "issue_date" not in front.fields  # the first issue lies years before
    front = _reading(Side.FRONT, valid_to="2023-09-04")
    dates_from_probation(front, back)
    assert "valid_from" not in front.fields


def test_a_renewal_date_a_digit_off_the_fronts_confirmed_end_takes_it():
    from dlscan_gui.engines.local.cross_check import record_from_front

    # 70131 (hard): the back's rows, read where no line was detected, gave 2001 for 2031; the
    # front's 2021-01-13 至 2031-01-13 (ten years to the day) confirms its end.
    misread = "请于2001年01月13日前九十日内申请换领新驾驶证。"
    front = _reading(Side.FRONT, valid_from="2021-01-13", valid_to="2031-01-13")
    back = _reading(Side.BACK, record=misread)
    record_from_front(front, back)
    assert back.fields["record"] == misread.replace("2001", "2031")
    # A front whose start and end do not agree on a span confirms nothing.
    back = _reading(Side.BACK, record=misread)
    record_from_front(_reading(Side.FRONT, valid_from="2022-01-13", valid_to="2031-01-13"), back)
    assert back.fields["record"] == misread
    # Three digits off is another date, not a misreading of this one.
    other = misread.replace("2001年01月13日", "2001年07月18日")
    back = _reading(Side.BACK, record=other)
    record_from_front(front, back)
    assert back.fields["record"] == other


def test_a_page_that_reads_fully_gets_no_second_look(local_engine, monkeypatch):
    # The second detection costs time: only a page with a field missing may pay for it.
    calls = []
    detect = local_engine.ocr.detect
    monkeypatch.setattr(local_engine.ocr, "detect",
                        lambda image, *a, **k: calls.append(image.shape) or detect(image, *a, **k))
    image, _ = sample("synthetic-front")
    local_engine.recognize(image)
    assert len(calls) == 1


def test_a_front_read_twice_has_its_city_checked_once(local_engine, monkeypatch):
    # The city check reads the address's crop again: a page that got the second look (here
    # its validity row went unseen at first) is checked once, on the fields finally taken.
    from dlscan_gui.engines.local import engine as engine_module

    checked: list[str] = []
    monkeypatch.setattr(engine_module, "recheck_city",
                        lambda page, quad, address, ocr: checked.append(address))
    detect = local_engine.ocr.detect
    calls: list[int] = []

    def first_misses_the_last_row(image, *args, **kwargs):
        quads = detect(image, *args, **kwargs)
        calls.append(len(quads))
        if len(calls) > 1:
            return quads
        return [q for q in quads if q[:, 1].mean() < 0.88 * image.shape[0]]

    monkeypatch.setattr(local_engine.ocr, "detect", first_misses_the_last_row)
    image, truth = sample("synthetic-front")
    result = local_engine.recognize(image)
    assert len(calls) == 2  # the second look ran ...
    assert result.get("valid_to") == truth["valid_to"]  # ... and found the row
    assert checked == [truth["address"]]


def test_an_empty_record_gets_the_second_look_only_where_print_went_unread(local_engine,
                                                                          monkeypatch):
    calls = []
    detect = local_engine.ocr.detect
    monkeypatch.setattr(local_engine.ocr, "detect",
                        lambda image, *a, **k: calls.append(image.shape) or detect(image, *a, **k))
    # Seed 5005 (moderate back page): the record is printed empty; one detection is enough.
    empty = make_sample(5005, side="back", level="moderate")
    assert empty.truth["record"] == ""
    assert local_engine.recognize(load_image(empty.jpeg)).get("record") == ""
    assert len(calls) == 1
    # Seed 30004 (hard back page): the record line was not detected, only its 记录 label; the
    # print beside the label asks for the second look, which finds it.
    missed = make_sample(30004, side="back", level="hard")
    assert local_engine.recognize(load_image(missed.jpeg)).get("record") == (
        missed.truth["record"])


def test_second_look_reads_new_lines_a_little_wider():
    from dlscan_gui.engines.local.page_geometry import overlap as _overlap
    from dlscan_gui.engines.local.page_geometry import widen as _widen

    quad = np.float32([[100, 500], [300, 500], [300, 540], [100, 540]])
    wider = _widen(quad, 880)
    assert wider[0, 0] < 100 and wider[1, 0] > 300 and (wider[:, 1] == quad[:, 1]).all()
    assert _widen(np.float32([[2, 0], [50, 0], [50, 40], [2, 40]]), 880)[0, 0] == 0
    inside = np.float32([[120, 505], [200, 505], [200, 535], [120, 535]])
    assert _overlap(quad, inside) == 1.0
    assert _overlap(quad, quad + np.float32([0, 100])) == 0.0


def test_glare_over_a_field_is_a_warning_on_that_field(local_engine):
    import cv2

    folder = resources_dir() / "samples"
    meta = json.loads((folder / "synthetic-front.json").read_text(encoding="utf-8"))
    clean = local_engine.recognize(load_image(folder / "synthetic-front.jpg"))
    assert "warnings" not in clean.extras
    pixels = cv2.imread(str(folder / "synthetic-front.jpg"))
    box = np.array(meta["field_boxes"]["address"], np.float32)
    centre = box.mean(axis=0)
    # A sleeve reflection over the start of the address line.
    cv2.ellipse(pixels, (round(centre[0]), round(centre[1])), (60, 18), 0, 0, 360,
                (255, 255, 255), -1)
    _ok, jpeg = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 95])
    result = local_engine.recognize(load_image(jpeg.tobytes(), name="synthetic-glare"))
    flagged = [w["field"] for w in result.extras.get("warnings", [])]
    assert "address" in flagged and "number" not in flagged


@pytest.mark.parametrize("seed", [
    # The wallet's outline has a 56° corner; it used to be refused as a card, and the text
    # alone made one squashed page of both.
    60014,
    # At a slant the opened wallet's outline has one page's aspect; read as one page it held
    # both sides' labels and gave a front with nothing right: it is split into its pages.
    74053,
])
def test_a_booklet_photographed_at_a_slant_gives_both_pages(local_engine, seed):
    generated = make_sample(seed, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.side is Side.DOUBLE_SIDE
    assert result.front.get("number") == generated.truth["front"]["number"]
    assert result.back.get("file_number") == generated.truth["back"]["file_number"]


def test_a_booklet_read_as_one_page_with_both_titles_is_split(local_engine):
    # Seed 77034 (hard): the wallet's outline had one page's aspect and its small labels did
    # not read, so nothing voted for two pages; both titles did read, side by side. It came
    # back as one back page, the front lost. The back's file number follows a label misread
    # as digits ("5869 360765078992").
    generated = make_sample(77034, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.side is Side.DOUBLE_SIDE
    assert result.front.get("number") == generated.truth["front"]["number"]
    assert result.front.get("birth") == generated.truth["front"]["birth"]
    assert result.back.get("file_number") == generated.truth["back"]["file_number"]


def test_a_class_out_of_the_printed_order_is_read_again_from_its_box(local_engine):
    # Seed 79018 (hard, both pages): the class row read "EC1" (the box's left side as E);
    # combinations are printed C1E, never EC1, so the row's reading is dropped and the box
    # read alone gives C1.
    generated = make_sample(79018, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.front.get("class") == generated.truth["front"]["class"] == "C1"


@pytest.mark.parametrize("seed, expected", [
    (70074, None),  # the code washed out: the empty box itself read as D (C1 printed)
    (70009, "D"),  # a D printed, and the box's own reading says D as well
])
def test_a_lone_d_stands_only_where_its_box_reads_d(local_engine, seed, expected):
    generated = next(make_dataset(1, start_seed=seed, levels=("hard",)))
    assert generated.side == "front"
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.fields.get("class") == expected
    if expected is not None:
        assert generated.truth["class"] == expected


def test_a_class_code_merged_with_its_frame_is_read_from_the_frame(local_engine):
    # Seed 60007 (hard): the plain reading of the class row is "[1" (the frame's side and C).
    generated = make_sample(60007, side="front", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("class") == generated.truth["class"] == "C1"


def test_a_back_page_whose_labels_blurred_away_is_told_by_its_file_number(local_engine):
    # Seed 74059 (hard): glare took 副页 off the back's title and its small labels did not
    # read; it counted as a second front and the back was dropped.
    generated = make_sample(74059, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.side is Side.DOUBLE_SIDE
    assert result.back.get("number") == generated.truth["back"]["number"]


def test_a_facing_page_with_its_title_and_number_but_no_label_is_taken(local_engine):
    # Seed 74029 (hard, upside down): only the back's outline was found; the front beside it
    # read its title and number but none of its small labels.
    generated = make_sample(74029, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.side is Side.DOUBLE_SIDE
    assert result.front.get("number") == generated.truth["front"]["number"]


def test_a_garbled_renewal_sentence_takes_the_fronts_end_date(local_engine):
    # Seed 70050 (hard, both pages): the back's renewal sentence read "请于204年06月16日前
    # 九十日" (cut off, the year's 2 lost); the front's range 2014-06-16 至 2024-06-16 vouches
    # for the date.
    generated = make_sample(70050, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.back.get("record") == generated.truth["back"]["record"]


def test_an_empty_record_with_handwriting_after_its_label_stays_empty(local_engine):
    # Seed 30168 (flat back page): the 记录 label, then handwriting where the record's rows
    # would be; the rows read as no sentence, and the record is empty, as printed.
    generated = make_sample(30168, side="back", level="flat")
    assert generated.truth["record"] == ""
    assert local_engine.recognize(load_image(generated.jpeg)).fields["record"] == ""


def test_the_barcodes_digits_are_no_file_number(local_engine):
    # Seed 79031 (hard back page): the file number's line went undetected, and the barcode's
    # digits below the record read as 12 digits. A file number is never printed there; left
    # missing, it sends the page to the second look, which finds the real one.
    generated = make_sample(79031, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("file_number") == generated.truth["file_number"] == "130603458728"
