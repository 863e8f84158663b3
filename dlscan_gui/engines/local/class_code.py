"""The class code (准驾车型) from its drawn box, where the plain reading gave none.

The code is printed inside a small rectangle below the first-issue date. In a blurred photo the
text detector often misses it (the frame around so little text confuses it), or the frame's left
side merges with the first letter ("[1" for "C1"). So the frame itself is found (two horizontal
strokes of one length, one above the other, joined by vertical sides; where the seal's edge
crosses the frame, one end and one side may be lost in it), cut down to the printed code, and
read constrained to the codes a licence can carry: one to three codes of the vocabulary, in the
order they are printed. The frame's sides, where they still show, count as blank. The
constrained reading always names some code: it is kept only when the plain reading bears it out
(one of its characters read as printed), as a blot read as 口 or 0 is nearest to D.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import cv2
import numpy as np

from dlscan_gui.core.validate import CLASS_CODES
from dlscan_gui.engines.local.ctc import Candidates, absorb_into_blank, ctc_scores, greedy_text
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.page_geometry import brightest_channel, print_only

# Where to look, as shares of the flat page: the value column's lower half, left of the photo.
SEARCH_X = (0.12, 0.6)
SEARCH_Y = (0.5, 0.98)
STROKE_LENGTH = 0.04  # of the page width: shorter dark runs are text, not the frame
MIN_SIDE = 0.057  # of the page width: the frame's top and bottom
FRAME_HEIGHT = (0.04, 0.117)  # of the page height (about 3.9 mm of 60 mm)
FRAME_ASPECT = (1.4, 7.0)  # one code up to three codes
ALIGN = 0.01  # of the page width: the strokes' ends line up this closely
SIDE_COVER = 0.7  # share of the frame's height one of its sides must be dark
WEAK_SIDE = 0.35  # ... and the other side
SIDE_REACH = 0.06  # of the frame's width: how far in from the strokes' ends a side may stand
LOOSE_ALIGN = 3  # times ALIGN: the strokes' other ends
FRAME_SIDE = 0.26  # of the frame's inside height: its blurred left and right strokes
MIN_INK_CONTRAST = 12  # grey levels below the paper
TEXT_MARGIN = 0.3  # of the height, kept either side of the code
MIN_POSTERIOR = 0.96  # of the likeliest code among all allowed ones (0.85 let C1E read as DE)
AGREED_POSTERIOR = 0.85  # ... or this, in two cuts of the frame that read the same code
INSETS = (3, 5)  # px inside the frame's strokes: the first cut, the second
_EDGES = "[]|【】()（）「」丨"  # what a frame's side reads as
MAX_CODES = 3


def find_frame(page: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) of the class code's frame on a flat page (BGR), or None."""
    h, w = page.shape[:2]
    gray = brightest_channel(page) if page.ndim == 3 else page  # coloured ink (the seal) as paper
    rx0, rx1 = int(SEARCH_X[0] * w), int(SEARCH_X[1] * w)
    ry0, ry1 = int(SEARCH_Y[0] * h), int(SEARCH_Y[1] * h)
    region = np.ascontiguousarray(gray[ry0:ry1, rx0:rx1])
    dark = cv2.adaptiveThreshold(region, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                 cv2.THRESH_BINARY_INV, 31, 8)
    run = max(8, round(STROKE_LENGTH * w))
    strokes = cv2.morphologyEx(dark, cv2.MORPH_OPEN,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (run, 1)))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(strokes)
    thin = max(4, round(0.017 * h))
    sides = [tuple(int(v) for v in stats[i][:4]) for i in range(1, count)
             if stats[i][2] >= MIN_SIDE * w and stats[i][3] <= thin]
    align = max(3, round(ALIGN * w))
    best: tuple[float, tuple[int, int, int, int]] | None = None
    for (xa, ya, wa, _ha), (xb, yb, wb, hb) in itertools.permutations(sides, 2):
        gap = yb - ya
        if not FRAME_HEIGHT[0] * h <= gap <= FRAME_HEIGHT[1] * h:
            continue
        # One end of the two strokes lines up; the other may run on into a seal's edge.
        ends = sorted((abs(xa - xb), abs((xa + wa) - (xb + wb))))
        if ends[0] > align or ends[1] > LOOSE_ALIGN * align:
            continue
        left, right = max(xa, xb), min(xa + wa, xb + wb)
        width = right - left
        if not FRAME_ASPECT[0] <= width / gap <= FRAME_ASPECT[1]:
            continue
        rows = slice(ya, yb + hb)
        left_cover = _cover(dark[rows], left, 1)
        right_cover = _cover(dark[rows], right, -1)
        if not _sides_show(left_cover, right_cover):
            # The strokes may have run on a little past a side (into the label before the
            # frame, or the seal's edge): each side is looked for a short way further in.
            reach = max(5, round(SIDE_REACH * width))
            left, left_cover = _side(dark[rows], left, 1, reach)
            right, right_cover = _side(dark[rows], right, -1, reach)
            if not _sides_show(left_cover, right_cover):
                continue
        score = width * (left_cover + right_cover)
        if best is None or score > best[0]:
            best = (score, (rx0 + left, ry0 + ya, rx0 + right, ry0 + yb + hb))
    return None if best is None else best[1]


def _sides_show(left_cover: float, right_cover: float) -> bool:
    """A side under the seal's edge can fade: one side whole is enough, with the other partly
    there."""
    return max(left_cover, right_cover) >= SIDE_COVER and min(left_cover, right_cover) >= WEAK_SIDE


def _cover(dark: np.ndarray, column: int, inward: int) -> float:
    """The share of the frame's rows dark at a side standing at ``column`` (``inward``: +1 for
    the left side, -1 for the right), a few pixels either way."""
    lo, hi = (column - 2, column + 5) if inward > 0 else (column - 5, column + 2)
    return float(dark[:, max(0, lo): max(0, hi)].any(axis=1).mean())


def _side(dark: np.ndarray, end: int, inward: int, reach: int) -> tuple[int, float]:
    """(column, cover) of the frame's side: the first column from the strokes' ``end`` up to
    ``reach`` further in that is dark along the frame's height (``SIDE_COVER``), else the end
    as it was."""
    for step in range(1, reach + 1):
        column = end + inward * step
        cover = _cover(dark, column, inward)
        if cover >= SIDE_COVER:
            return column, cover
    return end, _cover(dark, end, inward)


def _text_only(gray: np.ndarray) -> np.ndarray:
    """The inside of the frame cut down to its printed code and a margin: the frame leaves room
    for three codes, and the recogniser reads letters into the empty, grainy rest of it."""
    h, w = gray.shape
    side = round(FRAME_SIDE * h)  # the frame's blurred sides stay out of the ink count
    smooth = cv2.GaussianBlur(gray, (0, 0), 1.0).astype(np.float32)
    inner = smooth[round(0.15 * h): round(0.85 * h), side: w - side]
    if inner.size == 0:
        return gray
    paper, darkest = float(np.percentile(inner, 80)), float(np.percentile(inner, 2))
    ink = inner < paper - max(MIN_INK_CONTRAST, 0.4 * (paper - darkest))
    columns = np.flatnonzero(ink.sum(axis=0) >= 2)
    if not len(columns):
        return gray
    margin = round(TEXT_MARGIN * h)
    return gray[:, max(0, columns[0] + side - margin): columns[-1] + side + 1 + margin]


class _Codes(Candidates):
    """Every code combination a licence can print: 1–3 codes in the vocabulary's order."""

    def __init__(self, alphabet: list[str]) -> None:
        texts = ["".join(combo) for k in range(1, MAX_CODES + 1)
                 for combo in itertools.combinations(CLASS_CODES, k)]
        super().__init__(texts, alphabet)
        self.alphabet = alphabet
        self.edges = [i for i, ch in enumerate(alphabet) if ch in _EDGES]


_codes: _Codes | None = None


def read_class(page: np.ndarray, ocr: OcrRunner) -> tuple[str, float, np.ndarray] | None:
    """(code, posterior, frame quad in page pixels), or None when no frame is found or no code
    is clearly the likeliest."""
    frame = find_frame(page)
    if frame is None:
        return None
    first = _look(page, frame, INSETS[0], ocr)
    if first is not None and first.sure:
        return first.code, first.posterior, _quad(frame)
    # A second cut, further inside the frame's blurred strokes (which the first may keep, to
    # read as a letter: "E" for "[C1"), is taken when it is sure alone, or when both read the
    # same code, far likelier than any other.
    second = _look(page, frame, INSETS[1], ocr)
    if second is None:
        return None
    if second.sure:
        return second.code, second.posterior, _quad(frame)
    if (first is not None and first.code == second.code and (first.seen or second.seen)
            and min(first.posterior, second.posterior) >= AGREED_POSTERIOR):
        return first.code, first.posterior, _quad(frame)
    return None


def _quad(frame: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = frame
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


class _Look(NamedTuple):
    code: str  # the likeliest code
    posterior: float
    seen: bool  # one of its characters is in the plain reading

    @property
    def sure(self) -> bool:
        return self.seen and self.posterior >= MIN_POSTERIOR


def _seen(code: str, plain: str) -> bool:
    """A character of ``code`` in the cut's plain reading (1 read as I or l, C as Q count). A
    blot that reads as 口 or 0 is nearest to D among the codes, and would give a sure D."""
    plain = plain.upper().replace("I", "1").replace("L", "1").replace("Q", "C")
    return any(ch in plain for ch in code)


def _look(page: np.ndarray, frame: tuple[int, int, int, int], inset: int,
          ocr: OcrRunner) -> _Look | None:
    """The likeliest code inside the frame, ``inset`` px in from its strokes."""
    global _codes
    x0, y0, x1, y1 = frame
    crop = page[y0 + inset: y1 - inset, x0 + inset: x1 - inset]
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return None
    gray = print_only(crop)[:, :, 0]
    text = _text_only(gray)
    logp = ocr.frame_log_probs([cv2.merge([text] * 3)])[0]
    if _codes is None:
        _codes = _Codes(ocr.alphabet())
    logp = absorb_into_blank(logp, _codes.edges)
    scores = ctc_scores(logp, _codes.labels, _codes.lengths)
    best = int(np.argmax(scores))
    if not np.isfinite(scores[best]):
        return None
    code = _codes.texts[best]
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    return _Look(code, posterior, _seen(code, greedy_text(logp, _codes.alphabet)))
