"""The record's rows read against the printed sentences, digits free (CTC alignment)."""

from __future__ import annotations

import numpy as np

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.record import closest_template, fits_templates, template_texts
from dlscan_gui.engines.local.record_read import DIGIT, align
from tests.synthetic.licence import make_sample

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
