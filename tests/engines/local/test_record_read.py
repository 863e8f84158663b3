"""The record's rows read against the printed sentences, digits free (CTC alignment)."""

from __future__ import annotations

import numpy as np
import pytest

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.record import closest_template, fits_templates, template_texts
from dlscan_gui.engines.local.record_read import DIGIT, align, read_unseen_rows
from tests.synthetic.licence import make_dataset, make_sample

ALPHABET = ["<blank>", "请", "于", "年", *"0123456789"]
INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
DIGITS = np.array([INDEX[str(d)] for d in range(10)])


def frames(text: str, *, runner_up: dict[int, str] | None = None) -> np.ndarray:
    """Log probabilities of frames showing ``text``: each character for two frames, then a
    blank; ``runner_up`` puts a second choice beside a character (by its position)."""
    rows = []
    for position, ch in enumerate(text):
        for _ in range(2):
            p = np.full(len(ALPHABET), 0.01)
            p[INDEX[ch]] = 0.8
            if runner_up and position in runner_up:
                p[INDEX[runner_up[position]]] = 0.6
            rows.append(p / p.sum())
        blank = np.full(len(ALPHABET), 0.01)
        blank[0] = 0.9
        rows.append(blank / blank.sum())
    return np.log(np.array(rows))


def test_the_digits_are_read_in_their_slots():
    tokens = [INDEX["请"], INDEX["于"], DIGIT, DIGIT, DIGIT, DIGIT, INDEX["年"]]
    found = align(frames("请于2032年"), tokens, DIGITS)
    assert found is not None and found[1] == [2, 0, 3, 2]


def test_a_blurred_digit_still_reads_as_its_likeliest():
    tokens = [INDEX["请"], INDEX["于"], DIGIT, DIGIT, DIGIT, DIGIT, INDEX["年"]]
    found = align(frames("请于2032年", runner_up={4: "8"}), tokens, DIGITS)
    assert found is not None and found[1] == [2, 0, 3, 2]


def test_too_few_frames_for_the_template():
    tokens = [INDEX["请"], INDEX["于"], DIGIT, DIGIT, DIGIT, DIGIT, INDEX["年"]]
    assert align(frames("请")[:2], tokens, DIGITS) is None


def test_templates_and_the_closest_one_to_a_plain_reading():
    texts = template_texts()
    assert texts[1] == "请于####年##月##日前九十日内申请换领新驾驶证。"
    assert closest_template("请于203年05月27日") == 1  # cut short, still the renewal
    assert closest_template("第习期12621年01月38.") == 3
    assert closest_template("张三") is None
    assert fits_templates("请于每年的02月提交身体条件证明。实习期至2021年01月31日。")
    assert not fits_templates("请于每年的第月提交身体表件证略")


def test_a_garbled_record_row_is_read_against_the_templates(local_engine):
    # Seed 70070 (hard back page): the row read "第习期12621年01月38.".
    generated = make_sample(70070, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("record") == generated.truth["record"] == "实习期至2021年01月31日。"


def _page_with_row(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A plain page with the number and name rows and ``text`` on the row under the name, in
    the card's print (the bundled Noto font), and the number's and name's quads."""
    from PIL import Image, ImageDraw, ImageFont

    from dlscan_gui.paths import resources_dir

    font = ImageFont.truetype(str(resources_dir() / "fonts" / "NotoSansSC-Regular-GB2312.otf"), 24)
    page = Image.new("RGB", (880, 600), (236, 238, 232))
    draw = ImageDraw.Draw(page)
    draw.text((130, 140), "110108199405103394", font=font, fill=(40, 40, 40))
    draw.text((110, 205), "秦秀德", font=font, fill=(40, 40, 40))
    if text:
        draw.text((110, 270), text, font=font, fill=(40, 40, 40))
    number = np.float32([[128, 140], [400, 140], [400, 172], [128, 172]])
    name = np.float32([[108, 205], [190, 205], [190, 237], [108, 237]])
    return np.asarray(page)[:, :, ::-1].copy(), name, number


def test_a_row_the_detector_missed_is_read_where_the_layout_puts_it(local_engine):
    page, name, number = _page_with_row("请于每年的04月提交身体条件证明。")
    found = read_unseen_rows(page, name, number, local_engine.ocr)
    assert found is not None and found[0] == "请于每年的04月提交身体条件证明。"
    assert 240 < found[2][:, 1].mean() < 310  # the quad is that row's


def test_print_that_is_no_record_sentence_and_an_empty_row_give_nothing(local_engine):
    for text in ("张三李四王五赵六钱七孙八", ""):
        page, name, number = _page_with_row(text)
        assert read_unseen_rows(page, name, number, local_engine.ocr) is None


@pytest.mark.parametrize("seed", [81001, 81021, 83030])
def test_hard_back_pages_whose_record_no_line_was_detected_for(local_engine, seed):
    generated = make_sample(seed, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("record") == generated.truth["record"]


@pytest.mark.parametrize("seed", [83033, 83057])
def test_opened_booklets_whose_back_record_no_line_was_detected_for(local_engine, seed):
    """The name's box is taller than its print (its label's English line): the rows are cut
    to the number row's height."""
    generated = make_sample(seed, side="double_side", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.back is not None
    assert result.back.get("record") == generated.truth["back"]["record"]


def test_a_record_label_with_unread_print_after_it_is_read_there(local_engine):
    """Seed 79146 (hard booklet): the 记录 label read, its sentence was not detected. The
    print after the label is read where the layout puts the rows, instead of the record being
    given as empty."""
    generated = next(make_dataset(1, start_seed=79146, levels=("hard",)))
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.back is not None
    assert result.back.get("record") == generated.truth["back"]["record"] != ""
