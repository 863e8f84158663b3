"""From OCR lines on a flat, upright page to raw field texts, anchored on the printed labels.

A label's value is what follows it in the same OCR line, then the lines to its right on the
same row up to the next label; the address and the record also take the lines below them, up
to the next label row. Where a label was not read at all, values are still found by their
shape (an 18-character number, a 12-digit file number). The repairs in ``repair.py`` then make
clean values out of these texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from dlscan_gui.engines.local.edit_distance import edit_distance
from dlscan_gui.engines.local.ocr import TextBox
from dlscan_gui.engines.local.record import is_record_sentence
from dlscan_gui.engines.local.values import HAS_CJK

# Printed labels, as OCR tends to return them (with small misreadings tolerated).
LABELS: dict[str, tuple[str, ...]] = {
    "number": ("证号", "驾驶证号"),
    "name": ("姓名", "生名"),  # 生名: 姓 half cut off at a page's edge
    "sex": ("性别",),
    "nationality": ("国籍",),
    "address": ("住址", "住所"),
    "birth": ("出生日期", "出生日"),
    "issue_date": ("初次领证日期", "初次领证日", "初次领证", "领证日期"),
    "class": ("准驾车型", "准驾车", "准车型", "驾车型", "准驾"),
    "valid_from": ("有效起始日期", "有效起始日", "起始日期"),
    "validity": ("有效期限", "有效期至", "有效期"),
    "file_number": ("档案编号", "档案号", "档案"),
    "record": ("记录", "己录"),
}
# Labels with one character misread, where the rest is unmistakable: 档案编号 sits on the name's
# row on the back page, and a missed label would glue itself to the name; 性别's small 别 reads
# as 刻 or 制 in a blurred photo, and only 男 or 女 can follow it; so it goes for 记录 before
# the record's opening words.
_FUZZY_LABELS: dict[str, tuple[str, ...]] = {
    "file_number": (r"档.编号", r"[^\d]案编号", r"编号"),
    "sex": (r"性[^男女](?=[男女])",),
    "record": (r"记[^\d](?=请于|增驾|实习期)",),  # 录 misread, a record sentence after it
}


def _label_pattern(key: str) -> re.Pattern[str]:
    words = sorted(LABELS[key], key=len, reverse=True)
    options = [re.escape(word) for word in words] + list(_FUZZY_LABELS.get(key, ()))
    # The leftmost match; among matches at one place, the longest alternative comes first.
    return re.compile("|".join(f"(?:{option})" for option in options))


_LABEL_PATTERNS = {key: _label_pattern(key) for key in LABELS}
# English sublabels printed under or beside the Chinese ones: never part of a value.
_ENGLISH = re.compile(
    r"(License\s*No\.?|Licence\s*No\.?|Name|Sex|M\s*&\s*F|Nationality|Address|Date\s*of\s*Birth|"
    r"Birthday|Date\s*of\s*First\s*Issue|First\s*Issue\s*Date|Issue\s*Date|Class|Valid\s*Period|"
    r"Valid\s*From|Valid\s*For|File\s*No\.?|Record)",
    re.IGNORECASE,
)
# Misread English sublabels ("vald for", "Valid Froin"): a run of four or more Latin letters
# with lowercase in it. Values never hold one (class codes and the ID's X are capitals).
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z .&<>'’()]{2,}[A-Za-z]")
_PUNCT = re.compile(r"^[\s:：.。,，;；]+|[\s:：;；]+$")
# A date with its year's first digit lost or its label glued on ("出生—1980-10-27",
# "J970-0114"): what ends an address whose next row's label did not read.
ROW_DATE = re.compile(r"\d{3,4}\s*[-.—年]\s*(?:0[1-9]|1[0-2])\s*[-.—月]?\s*\d{2}(?!\d)")
# A line of nothing but a (misread) date: never the rest of an address.
_DATE_LIKE = re.compile(r"^[\dA-Za-z\-./年月日\s]{8,}$")
# Labels are printed in the page's left column (values start at about a quarter of the width).
LABEL_COLUMN = 0.18
# Fields that never hold a long digit run (the name row's; the back page's file number sits
# right of the name).
_NO_LONG_NUMBERS = ("name", "sex", "nationality")
_LONG_NUMBER = re.compile(r"\d{6}")
# Values that run on below their label row.
MULTILINE = ("address", "record")
NAME_GAP = 2.0  # line heights: a wider gap after a name starts the row's next field


@dataclass
class RawField:
    text: str
    boxes: list[TextBox] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # the pieces ``text`` was joined from

    def add(self, value: str, box: TextBox) -> None:
        self.text += value
        self.boxes.append(box)
        self.parts.append(value)

    def candidates(self) -> list[RawField]:
        """The whole value, then each piece alone: a stray seal character glued to a label
        spoils the join but not the piece that holds the value."""
        pieces = [RawField(p, [b], [p]) for p, b in zip(self.parts, self.boxes, strict=False)]
        return [self, *(p for p in pieces if p.text and p.text != self.text)]

    @property
    def score(self) -> float:
        return min((b.score for b in self.boxes), default=0.0)

    def quad(self) -> np.ndarray | None:
        """The axis-aligned union of the boxes the value was read from (page pixels)."""
        if not self.boxes:
            return None
        pts = np.concatenate([b.quad for b in self.boxes])
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


@dataclass(frozen=True)
class _Segment:
    key: str | None  # the label this segment follows; None for a line with no label
    value: str
    box: TextBox  # where the value is (a slice of the OCR line's box)
    line: TextBox  # the whole OCR line, for row comparisons
    label_x0: float = 0.0  # where the label itself starts


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _find_label(text: str) -> tuple[str, int, int] | None:
    """(key, start, end) of the earliest (then longest) label in ``text``."""
    best: tuple[str, int, int] | None = None
    for key, pattern in _LABEL_PATTERNS.items():
        for match in pattern.finditer(text):
            start, end = match.span()
            if best is None or (start, start - end) < (best[1], best[1] - best[2]):
                best = (key, start, end)
            break
    return best


def _drop_latin_words(text: str) -> str:
    return _LATIN_WORDS.sub(lambda m: "" if sum(c.islower() for c in m.group(0)) >= 2
                            else m.group(0), text)


def clean_value(text: str) -> str:
    return _PUNCT.sub("", _drop_latin_words(_ENGLISH.sub("", text))).strip()


HALF_WIDTH = 0.5  # a Latin letter's, digit's or symbol's width, in Chinese characters


def _slice(line: TextBox, text: str, start: int, end: int) -> TextBox:
    """The part of a line's box holding characters [start, end) of ``text`` (the line's text
    without spaces): OCR gives one box per line, so the split is proportional to the
    characters' widths, a Chinese character's twice a digit's ("宋月宏性别~女国一": the name
    is more than three tenths of the box)."""
    if not text or (start == 0 and end >= len(text)):
        return line
    widths = np.cumsum([0.0] + [1.0 if HAS_CJK.match(ch) else HALF_WIDTH for ch in text])
    tl, tr, br, bl = line.quad
    a, b = widths[start] / widths[-1], widths[min(end, len(text))] / widths[-1]
    quad = np.float32([tl + (tr - tl) * a, tl + (tr - tl) * b, bl + (br - bl) * b,
                       bl + (br - bl) * a])
    return TextBox(quad, line.text, line.score)


def _misread_label(text: str) -> tuple[str, int] | None:
    """(key, length) of a label OCR misread at the start of a line in the label column: a
    label of four or more characters with at most half of them wrong ("出生品路1986-04-10"), or
    a two-character label with one wrong that stands alone ("佳址"). One best match only."""
    run = re.match(r"[\u4e00-\u9fff]*", text).group(0)  # labels are Chinese only
    scored: list[tuple[float, int, int, str]] = []  # (share wrong, -length, -taken, key)
    for key, words in LABELS.items():
        for word in words:
            if len(word) >= 4:
                # OCR may have dropped or added a character: try the neighbouring lengths.
                for taken in range(len(word) - 1, min(len(word) + 1, len(run)) + 1):
                    wrong = edit_distance(run[:taken], word)
                    if wrong <= len(word) // 2 and wrong < len(word) - 1:
                        scored.append((wrong / len(word), -len(word), -taken, key))
            elif len(word) == 2 and len(text) == 2 and edit_distance(text, word) == 1:
                scored.append((0.5, -2, -2, key))
            elif len(word) == 2 and len(text) > 3 and text[1] == word[1] and text[0] != word[0]:
                # "楼名 黄良兰": the label's first character misread, the value after it.
                scored.append((0.5, -2, -2, key))
    if not scored:
        return None
    # Fewest wrong for the length, then the longest word (all of 初次领证日期, not 初次领证),
    # then the most characters taken (the misread label in full).
    scored.sort()
    best = scored[0]
    if any(other[0] == best[0] and other[3] != best[3] for other in scored[1:]):
        return None  # as close to two labels: do not pick
    return best[3], -best[2]


def _segments(line: TextBox, page_width: float) -> list[_Segment]:
    text = compact(line.text)
    hits: list[tuple[int, int, str]] = []
    position = 0
    while (found := _find_label(text[position:])) is not None:
        key, start, end = found
        if key == "file_number" and text[position + start: position + end] == "编号":
            # 档案 misread ("5架编号"): up to two characters before 编号 are the label's, not
            # the end of the name before it.
            start = max(0, start - 2)
        hits.append((position + start, position + end, key))
        position += end
    if (not hits and line.x0 < LABEL_COLUMN * page_width and re.match(r"[\u4e00-\u9fff]", text)
            and not is_record_sentence(text)):  # 实习期至… is no misread 有效期至
        misread = _misread_label(text)
        if misread is not None:
            hits.append((0, misread[1], misread[0]))
    if not hits:
        return [_Segment(None, clean_value(text), line, line)]
    segments = []
    if hits[0][0] > 0:
        segments.append(_Segment(None, clean_value(text[: hits[0][0]]),
                                 _slice(line, text, 0, hits[0][0]), line))
    for index, (start, end, key) in enumerate(hits):
        stop = hits[index + 1][0] if index + 1 < len(hits) else len(text)
        label_end = end
        if key == "name":
            # A dash after the label ("姓名一") reads as 一: no part of the name, nor of its
            # box (a re-read of the name's crop would read the dash too).
            while end < stop and text[end] == "一":
                end += 1
        segments.append(_Segment(key, clean_value(text[end:stop]),
                                 _slice(line, text, end, stop), line,
                                 _slice(line, text, start, label_end).x0))
    return segments


def same_row(a: TextBox, b: TextBox) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap > 0.5 * min(a.height, b.height)


def extract(lines: Sequence[TextBox], page_width: int) -> dict[str, RawField]:
    """Raw field texts keyed by result key, plus ``validity`` for the 有效期限 text."""
    segments = [segment for line in lines for segment in _segments(line, page_width)]
    labelled = [s for s in segments if s.key is not None]
    loose = [s for s in segments if s.key is None and s.value]
    used: set[int] = set()
    fields: dict[str, RawField] = {}
    for label in labelled:
        assert label.key is not None
        if label.key in fields:
            continue
        value = RawField("")
        name_end = None  # where the name read so far ends (x, page pixels)
        if label.value:
            value.add(label.value, label.box)
            if HAS_CJK.search(label.value):
                name_end = label.box.x1
        # Lines to the right on the same row, up to the next label on that row.
        next_x = min((o.label_x0 for o in labelled if o is not label
                      and same_row(o.line, label.line) and o.label_x0 > label.label_x0 + 1),
                     default=float("inf"))
        picked: list[_Segment] = []
        for i, other in sorted(enumerate(loose), key=lambda item: item[1].box.x0):
            if i in used or not same_row(other.line, label.line):
                continue
            if label.key in _NO_LONG_NUMBERS and _LONG_NUMBER.search(other.value):
                continue  # the file number beside the name, its label misread ("686号 5001…")
            if label.key == "name" and name_end is not None and \
                    other.box.x0 - name_end > NAME_GAP * other.box.height:
                break  # the row's next value, its label unread (性别 washed out by glare)
            if label.label_x0 < other.box.x0 < next_x:
                picked.append(other)
                name_end = other.box.x1
                used.add(i)
        for other in _reading_order(picked) if label.key in MULTILINE else picked:
            value.add(other.value, other.box)
        fields[label.key] = value
    _continue_multiline(fields, labelled, loose, used, page_width)
    return fields


def _reading_order(segments: list[_Segment]) -> list[_Segment]:
    """Top to bottom, then left to right. A label read with its English sublabel is tall enough
    to share its row with both of an address's lines, and by x alone the second line comes
    first when it starts a little further left (77136)."""
    rows: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: s.box.cy):
        if rows and same_row(rows[-1][0].box, segment.box):
            rows[-1].append(segment)
        else:
            rows.append([segment])
    return [segment for row in rows for segment in sorted(row, key=lambda s: s.box.x0)]


def _continue_multiline(fields: dict[str, RawField], labelled: list[_Segment],
                        loose: list[_Segment], used: set[int], page_width: int) -> None:
    """Address and record run on below their row, until the next label row."""
    for key in MULTILINE:
        anchor = next((label for label in labelled if label.key == key), None)
        if anchor is None or key not in fields:
            continue
        row = anchor.line
        row_height = max(row.height, 1.0)
        stop = min((label.line.y0 for label in labelled
                    if label.line.y0 > row.y1 - 0.2 * row_height), default=float("inf"))
        last_bottom = row.y1
        label_left = row.x0
        # The value's own line: a label's box can be taller (its English sublabel under it) and
        # reach into the value's second line, which then only looks like the label's row.
        value_bottom = max((box.y1 for box in fields[key].boxes), default=float("inf"))
        for i, other in sorted(enumerate(loose), key=lambda item: item[1].box.y0):
            line = other.box
            on_row = line.y0 < row.y1 - 0.3 * row_height and line.cy < value_bottom
            if i in used or on_row or line.y0 >= stop:
                continue
            if line.x1 < label_left + 0.5 * row_height:  # left of the value column
                continue
            if key == "address" and line.x0 > 0.78 * page_width:  # the photo column
                continue
            if line.y0 - last_bottom > 1.6 * row_height:  # a gap: the value has ended
                break
            if key == "address" and (_DATE_LIKE.search(other.value)
                                     or ROW_DATE.search(other.value)):  # the birth row
                break
            fields[key].add(other.value, line)
            used.add(i)
            last_bottom = line.y1


def find_by_shape(lines: Iterable[TextBox], pattern: str, *,
                  keep_spaces: bool = False) -> RawField | None:
    """The first line whose compacted text (or, ``keep_spaces``, its text as read) matches
    ``pattern`` (for a label OCR missed)."""
    regex = re.compile(pattern)
    for line in lines:
        match = regex.search(line.text if keep_spaces else compact(line.text))
        if match:
            return RawField(match.group(0), [line], [match.group(0)])
    return None
