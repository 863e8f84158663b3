"""A name whose label did not read, found by where it stands. On both pages the name row lies
one row below the number, and the name starts in the number's column. Blurred light print
loses the 姓名 label first: the labelled extraction then finds no name, though the name itself
was read, alone ("向坤立") or with the label's remains before it ("m6= 毛宁燕").

Such a line is only taken for the name when it reads like one: two to four Chinese characters
with nothing else glued on ("司马宁9" is not), a known surname (its first character read again
in its crop where it is not one) and given-name characters that many names use ("上官理的"
is not). A wrong name passes unseen; a missing one the clerk types."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.given_names import COMMON_GIVEN
from dlscan_gui.engines.local.name_check import recheck_surname
from dlscan_gui.engines.local.ocr import OcrRunner, TextBox
from dlscan_gui.engines.local.surnames import DOUBLE_SURNAMES, has_known_surname
from dlscan_gui.engines.local.values import MAX_NAME_CHARS, clean_name

ROW_PITCH = 0.095  # of the page height, from the number row's middle to the name row's
ROW_REACH = 0.4  # of the pitch: a line whose middle is this near the name row's is on it
# A line starting this many line heights left of the value column begins in the label column;
# one starting this many right of it is the row's next label or value.
LABEL_SIDE = 0.5
NEXT_FIELD = 1.5
_GLUED = re.compile(r"[0-9A-Za-z]")  # a name's line holds Chinese characters only


def name_by_place(page: np.ndarray, lines: list[TextBox], number: np.ndarray,
                  ocr: OcrRunner) -> tuple[str, float, np.ndarray] | None:
    """(name, score, quad in page pixels) for the page whose number was read at ``number``
    (its quad) and whose name was not, or None."""
    (value_x, top), (_, bottom) = number.min(axis=0), number.max(axis=0)
    pitch = ROW_PITCH * page.shape[0]
    row_y = (top + bottom) / 2 + pitch
    row = sorted((line for line in lines if abs(line.cy - row_y) < ROW_REACH * pitch),
                 key=lambda line: line.x0)
    found = _from_line(row, value_x)
    if found is None:
        return None
    text, score, quad = found
    name = clean_name(text)
    if _GLUED.search(text) or name is None or not 2 <= len(name) <= MAX_NAME_CHARS:
        return None
    if not has_known_surname(name):
        fixed = recheck_surname(page, quad, name, ocr)
        if fixed is None:
            return None
        name, score = fixed
    given = name[2:] if name[:2] in DOUBLE_SURNAMES else name[1:]
    return (name, score, quad) if set(given) <= COMMON_GIVEN else None


def _from_line(row: list[TextBox], value_x: float) -> tuple[str, float, np.ndarray] | None:
    """The row's line that starts in the value column. One that starts in the label column
    holds the label's remains before a space; the name is its last word, and its quad begins
    at the value column."""
    for line in row:
        line_h = line.height
        if line.x1 < value_x + line_h or line.x0 > value_x + NEXT_FIELD * line_h:
            continue
        if line.x0 >= value_x - LABEL_SIDE * line_h:
            return line.text, line.score, line.quad
        words = line.text.split()
        if len(words) < 2:
            return None
        left = value_x - LABEL_SIDE * line_h
        quad = np.float32([[left, line.y0], [line.x1, line.y0], [line.x1, line.y1],
                           [left, line.y1]])
        return words[-1], line.score, quad
    return None
