"""A seal with no red to find it by (a grayscale copy) is found by its square frame and read
from its darkness."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from dlscan_gui.core.card import rectify
from dlscan_gui.engines.local import seal
from dlscan_gui.engines.local.seal_frame import darkness, square_frame
from tests.synthetic import artwork
from tests.synthetic.licence import make_sample

NAME = "河北省保定市公安局交通警察支队"


def _grey_page(shape: str | None, *, labels: bool = True) -> np.ndarray:
    """A grey page (BGR, 10 px/mm like a flattened one): black label print in the left column,
    a class box, and the seal stamped over the labels, then copied to gray."""
    page = np.full((600, 880, 3), 240, np.uint8)
    if labels:
        for row in range(6):
            y = 330 + 45 * row
            cv2.putText(page, "LABEL 12", (20, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
            cv2.putText(page, "2019-05-18", (260, y), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                        (20, 20, 20), 2)
        cv2.rectangle(page, (255, 420), (345, 450), (20, 20, 20), 2)  # the class code's box
    if shape is not None:
        mask = artwork.seal_mask(NAME, shape, 10.0, random.Random(1), "serif")
        artwork.stamp(page, mask, 30, 370, 2.0, random.Random(2))
    gray = cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def test_a_square_frame_is_found_where_the_seal_was_stamped():
    box = square_frame(darkness(_grey_page("square")))
    assert box is not None
    x, y, w, h = box
    # Stamped at (30, 370), 20–22 mm a side at 10 px/mm, turned 2°.
    assert abs(x - 30) <= 12 and abs(y - 370) <= 12 and 195 <= w <= 235 and 195 <= h <= 235


def test_no_frame_without_a_square_seal():
    assert square_frame(darkness(_grey_page(None))) is None
    assert square_frame(darkness(_grey_page("round"))) is None  # a circle has no long sides


@pytest.fixture(scope="module")
def ocr():
    from dlscan_gui.engines.local.ocr import OcrRunner

    runner = OcrRunner()
    runner.warm_up()
    return runner


def test_a_grey_copys_square_seal_reads(ocr):
    found = seal.read_seal(_grey_page("square"), ocr)
    assert found is not None and found.name == NAME


# Seeds outside the engine's floors and the README bench: hard grayscale copies with a square
# seal. All but 90029 read when set (90005 and 90034 by the looks' agreement).
GREY = [90002, 90005, 90029, 90034, 90078, 90171]
GREY_FLOOR = 4


def test_grey_copies_floor_and_no_wrong_answer(ocr):
    right, wrong = 0, []
    for seed in GREY:
        sample = make_sample(seed, side="front", level="hard")
        page = rectify(sample.image, sample.page_corners[0]).image
        assert float(np.ptp(page.astype(int), axis=2).max()) <= 12  # a grayscale copy
        found = seal.read_seal(page, ocr)
        if found is not None:
            if found.name == sample.truth["issuing_authority"]:
                right += 1
            else:
                wrong.append(f"{seed}: {found.name}")
    assert not wrong
    assert right >= GREY_FLOOR
