"""Which side of the licence a page is, and whether it was read the right way up, from the
words and shapes its lines hold."""

from __future__ import annotations

import re

from dlscan_gui.core.schema import Side
from dlscan_gui.engines.local.fields import compact, same_row
from dlscan_gui.engines.local.ocr import TextBox

# Words that tell a page's side: found on the back only, on the front only. The back's title
# counts once, as 副页 or as the 驾驶证副 before a misread 页 (…驾驶证副类, 79079).
_BACK_TITLE = re.compile("副页|驾驶证副")
_BACK_WORDS = ("档案编号", "记录")
_FRONT_WORDS = ("住址", "出生日期", "准驾车型", "初次领证", "国籍", "性别")
_ANY_LABEL = ("副页", *_BACK_WORDS, *_FRONT_WORDS, "证号", "姓名", "有效")
_SHAPES = re.compile(r"(19|20)\d\d-\d\d-\d\d|\d{12}")
_DASHED_DATE = re.compile(r"(19|20)\d\d-\d\d-\d\d")
_FILE_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{12,13}(?!\d)")
UPRIGHT_ENOUGH = 4  # evidence above which the 180° reading is not tried


def label_hits(lines: list[TextBox]) -> int:
    text = "".join(compact(line.text) for line in lines)
    return sum(word in text for word in _ANY_LABEL)


def has_title(lines: list[TextBox]) -> bool:
    return any("人民共和国" in line.text or "驾驶证" in line.text for line in lines)


def titles_side_by_side(lines: list[TextBox]) -> bool:
    """A front's title (…机动车驾驶证, no 副) on the same row left of a back's (…驾驶证副页):
    the opened booklet, both pages read as one (the front page lies left of the back page).
    The record's 申请换领新驾驶证 is no title."""
    fronts = [line for line in lines if "机动车驾驶证" in compact(line.text)
              and "副" not in line.text]
    backs = [line for line in lines if _BACK_TITLE.search(compact(line.text))]
    return any(front.cx < back.cx and same_row(front, back) for front in fronts for back in backs)


def upright_evidence(lines: list[TextBox]) -> int:
    """Labels read, plus values that only read as dates or numbers the right way up, plus the
    title: a page read upside down scores near zero."""
    shapes = sum(bool(_SHAPES.search(compact(line.text))) for line in lines)
    return label_hits(lines) + shapes + 2 * has_title(lines)


def side_votes(lines: list[TextBox]) -> tuple[int, int]:
    text = "".join(compact(line.text) for line in lines)
    return (sum(word in text for word in _FRONT_WORDS),
            bool(_BACK_TITLE.search(text)) + sum(word in text for word in _BACK_WORDS))


def side_known(lines: list[TextBox]) -> bool:
    front, back = side_votes(lines)
    return front != back


def side_of(lines: list[TextBox]) -> Side:
    front, back = side_votes(lines)
    if front == back:
        # No label tells (a blurred back page's small labels): the values' shapes do. Only the
        # front prints dashed dates; only the back a 12-digit file number or barcode digits.
        texts = [compact(line.text) for line in lines]
        front = sum(bool(_DASHED_DATE.search(t)) for t in texts)
        back = sum(bool(_FILE_DIGITS.search(t)) for t in texts)
    return Side.BACK if back > front else Side.FRONT
