"""The address's city read again (engines/local/address_check.py)."""

from __future__ import annotations

import numpy as np
import pytest

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.address_check import recheck_city
from tests.synthetic.licence import make_sample

PAGE = np.full((200, 880, 3), 240, np.uint8)
QUAD = np.float32([[200, 60], [800, 60], [800, 100], [200, 100]])


class NoOcr:
    def frame_log_probs(self, crops):
        raise AssertionError("an address whose city is real was read again")


class FramesOcr:
    """Frames that show ``text`` with each character's probability, and one look-alike for
    some characters: ``doubt`` maps a position to (look-alike, its probability). ``also``: more
    characters the recogniser knows, never seen in the frames."""

    def __init__(self, text: str, doubt: dict[int, tuple[str, float]], also: str = "") -> None:
        self.letters = sorted(set(text) | {c for c, _p in doubt.values()} | set(also))
        self.text, self.doubt = text, doubt

    def alphabet(self) -> list[str]:
        return ["blank", *self.letters]

    def frame_log_probs(self, crops):
        columns = {ch: i + 1 for i, ch in enumerate(self.letters)}
        rows = []
        for position, ch in enumerate(self.text):
            frame = np.full(len(self.letters) + 1, 1e-6)
            other, p = self.doubt.get(position, (None, 0.0))
            frame[columns[ch]] = 1.0 - p
            if other is not None:
                frame[columns[other]] = p
            blank = np.full(len(self.letters) + 1, 1e-6)
            blank[0] = 1.0
            rows += [frame, blank]
        logp = np.log(np.array(rows))
        return [logp - np.logaddexp.reduce(logp, axis=1, keepdims=True)]


@pytest.mark.parametrize("address", ["安徽省芜湖市石桥西路116号", "北京市朝阳区西湖路46号",
                                     "湖北省襄樊市人民路1号", "江西者南昌市八一大道1号"])
def test_a_real_city_a_former_one_or_no_province_is_left_alone(address):
    assert recheck_city(PAGE, QUAD, address, NoOcr()) is None  # type: ignore[arg-type]


def test_a_blurred_city_is_put_right():
    # 湖 read as 浦, nearly a tie in the crop: no city of 安徽省 is called 芜浦.
    ocr = FramesOcr("安徽省芜浦市石桥西路", {4: ("湖", 0.4)})
    found = recheck_city(PAGE, QUAD, "安徽省芜浦市石桥西路116号", ocr)  # type: ignore[arg-type]
    assert found is not None and found[0] == "安徽省芜湖市石桥西路116号" and found[1] >= 0.9


@pytest.mark.parametrize("address", ["浙江省温岭市人民路8号", "江苏省泰兴市柳营路3号",
                                     "河北省滦州市新城路2号"])
def test_a_county_level_city_is_left_alone(address):
    # No prefecture's, each one character off one (温州, 泰州, 沧州): a real place as read.
    assert recheck_city(PAGE, QUAD, address, NoOcr()) is None  # type: ignore[arg-type]


def test_a_blurred_county_level_city_is_put_right():
    # 筒阳 is no place; 简阳 (county-level) and 德阳/绵阳/资阳 (prefectures) are one off it.
    ocr = FramesOcr("四川省筒阳市东城路", {3: ("简", 0.3)}, also="德绵资")
    found = recheck_city(PAGE, QUAD, "四川省筒阳市东城路6号", ocr)  # type: ignore[arg-type]
    assert found is not None and found[0] == "四川省简阳市东城路6号" and found[1] >= 0.9


def test_clear_print_of_no_listed_place_is_left_as_read():
    # The crop favours 浦 about 1000:1, more than the prior's e^6 against a reading that names
    # no city: a place made after the lists were drawn up stays as printed.
    ocr = FramesOcr("安徽省芜浦市石桥西路", {4: ("湖", 0.001)})
    assert recheck_city(PAGE, QUAD, "安徽省芜浦市石桥西路116号", ocr) is None  # type: ignore[arg-type]


def test_a_blurred_city_the_crop_still_doubts_is_put_right():
    # 79032 (hard): the crop favours 浦 over 湖 about 2.4:1; no city of 安徽省 is called 芜浦.
    ocr = FramesOcr("安徽省芜浦市石桥西路", {4: ("湖", 0.3)})
    found = recheck_city(PAGE, QUAD, "安徽省芜浦市石桥西路116号", ocr)  # type: ignore[arg-type]
    assert found is not None and found[0] == "安徽省芜湖市石桥西路116号" and found[1] >= 0.9


def test_the_engine_puts_a_blurred_city_right(local_engine):
    # Seed 70177 (hard front): the line read 曲墙市; 云南省 has 曲靖市, and the crop bears it out.
    generated = make_sample(70177, side="front", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("address") == generated.truth["address"] == "云南省曲靖市桃园大街140号"
