"""Which side a page is, from its labels, and from its values' shapes where no label read."""

from __future__ import annotations

import numpy as np

from dlscan_gui.core.schema import Side
from dlscan_gui.engines.local.ocr import TextBox
from dlscan_gui.engines.local.sides import side_of, side_votes, titles_side_by_side


def lines(*texts: str) -> list[TextBox]:
    quad = np.float32([[0, 0], [100, 0], [100, 30], [0, 30]])
    return [TextBox(quad, text, 0.9) for text in texts]


def test_labels_decide():
    assert side_of(lines("姓名", "档案编号 350586921473")) is Side.BACK
    assert side_of(lines("住址", "出生日期 1978-04-24")) is Side.FRONT


def test_without_labels_a_file_number_or_barcode_digits_mean_the_back():
    assert side_of(lines("C430220199305280216", "核E≈=546375701578")) is Side.BACK
    assert side_of(lines("430220199305280216", "9822749909438")) is Side.BACK


def test_without_labels_dashed_dates_mean_the_front():
    assert side_of(lines("430220199305280216", "1993-05-28", "2018-11-13")) is Side.FRONT


def test_an_id_number_is_no_file_number():
    # 18 digits hold 12-digit runs; only a run standing alone counts.
    assert side_of(lines("430220199305280216")) is Side.FRONT


def test_the_back_title_tells_with_its_last_character_misread():
    # 79079 (hard): 副页 read as 副类, and no other label read.
    read = lines("中华人民共和国机动车驾驶证副类", "证 410300196412133695", "m889 430336278617")
    assert side_of(read) is Side.BACK
    # the front's title alone says nothing of a back
    assert side_of(lines("中华人民共和国机动车驾驶证", "410300196412133695")) is Side.FRONT


def test_the_back_title_counts_once():
    assert side_votes(lines("中华人民共和国机动车驾驶证副页", "档案编号")) == (0, 2)


def test_both_titles_side_by_side_are_an_opened_booklet():
    def at(x: float, text: str) -> TextBox:
        return TextBox(np.float32([[x, 0], [x + 300, 0], [x + 300, 30], [x, 30]]), text, 0.9)

    # 77034 (hard): the wallet read as one page; its small labels gave no votes.
    assert titles_side_by_side([at(82, "中华人民共和国机动车驾驶证"),
                                at(497, "中华人民共和国机动车驾驶证副页")])
    assert not titles_side_by_side([at(497, "中华人民共和国机动车驾驶证"),
                                    at(82, "中华人民共和国机动车驾驶证副页")])  # back on the left
    assert not titles_side_by_side([at(82, "中华人民共和国机动车驾驶证")])
    # 79001 (a back page): the record's "…申请换领新驾驶证" is no front title.
    record = TextBox(np.float32([[30, 260], [500, 260], [500, 290], [30, 290]]),
                     "请于2026年09月18日前九十日内申请换频新驾驶证", 0.9)
    assert not titles_side_by_side([record, at(118, "中华人民共和国机动车驾驶证副页")])
    # Nor a front title on another row than the back's.
    below = TextBox(np.float32([[82, 200], [382, 200], [382, 230], [82, 230]]),
                    "中华人民共和国机动车驾驶证", 0.9)
    assert not titles_side_by_side([below, at(497, "中华人民共和国机动车驾驶证副页")])
    assert not titles_side_by_side([at(82, "中华人民共和国机动车驾驶证副页")])
