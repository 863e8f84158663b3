"""A name whose label did not read, taken from its place below the number
(engines/local/name_place.py)."""

from __future__ import annotations

import numpy as np

from dlscan_gui.engines.local.name_place import name_by_place
from dlscan_gui.engines.local.ocr import TextBox

# A flattened page (600 px high) with the number read at x 204-520 on the row at y 130-160:
# the name row's middle is then some 57 px lower, at y 202.
PAGE = np.full((600, 880, 3), 240, np.uint8)
NUMBER = np.float32([[204, 130], [520, 130], [520, 160], [204, 160]])


def box(text: str, x0: float, x1: float, y0: float = 188, y1: float = 218,
        score: float = 0.99) -> TextBox:
    return TextBox(np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), text, score)


class NoOcr:
    """A name with a known surname is not read again."""

    def frame_log_probs(self, crops):
        raise AssertionError("a name with a known surname was read again")


def test_a_line_in_the_value_column_is_the_name():
    lines = [box("刘怡宁", 206, 300), box("档案编号", 430, 540), box("440681204405", 545, 760)]
    found = name_by_place(PAGE, lines, NUMBER, NoOcr())  # type: ignore[arg-type]
    assert found is not None and found[0] == "刘怡宁"


def test_the_labels_remains_before_a_space_are_dropped():
    # "姓8 闫刚林": the label column's line runs on into the value column.
    found = name_by_place(PAGE, [box("姓8 闫刚林", 30, 300)], NUMBER,
                          NoOcr())  # type: ignore[arg-type]
    assert found is not None and found[0] == "闫刚林"
    assert found[2][:, 0].min() >= 185  # its quad starts at the value column, not the label's


def test_a_label_glued_to_the_name_gives_nothing():
    found = name_by_place(PAGE, [box("姓8闫刚林", 30, 300)], NUMBER,
                          NoOcr())  # type: ignore[arg-type]
    assert found is None


def test_a_line_too_long_for_a_name_or_with_no_surname_gives_nothing():
    for text in ("广东省东莞市凤城区华侨南路", "中国", "5h"):
        found = name_by_place(PAGE, [box(text, 206, 600)], NUMBER,
                              NoOcr())  # type: ignore[arg-type]
        assert found is None, text


def test_a_reading_unlike_a_name_gives_nothing():
    # A digit glued on ("司马宁9") or a given name's character few names use ("上官理的").
    for text in ("司马宁9", "上官理的"):
        found = name_by_place(PAGE, [box(text, 206, 320)], NUMBER, NoOcr())  # type: ignore[arg-type]
        assert found is None, text


def test_no_line_in_the_value_column_gives_nothing():
    lines = [box("姓名", 30, 90), box("性别男国籍中国", 349, 560)]
    assert name_by_place(PAGE, lines, NUMBER, NoOcr()) is None  # type: ignore[arg-type]


def test_a_line_on_another_row_is_not_the_name():
    # The address, a row further down (y 245-275), is not taken for the name.
    lines = [box("江西省", 206, 300, 245, 275)]
    assert name_by_place(PAGE, lines, NUMBER, NoOcr()) is None  # type: ignore[arg-type]


def test_a_booklet_whose_name_labels_did_not_read_gets_its_name(booklet_names):
    # Seed 77090 (hard, both pages): on the front, 姓名 did not read and 女 read as 文, so the
    # name row's lines ("向坤立", "文中国") were no labelled name; the back's name did not read.
    assert booklet_names(77090) == ("向坤立", "向坤立", "向坤立")
