"""A square seal found by its frame where its colour gives it away no more: on a grayscale
copy (or a seal faded to grey) the red-ink mask finds nothing, and the seal's ink is a mid grey
among the black print.

The frame's two sides are the only long vertical strokes in the lower left of a licence's
front page, and a seal's width apart; the darkness map (how much darker each pixel is than
the paper around it) opened with a long vertical line keeps just those. The seal's ink is then
that darkness, scaled to the darkness of the frame's own strokes.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_INK = 0.2  # darkness that counts as print (the paper's grain stays under it)
MIN_SIDE_STROKE = 0.16  # of the page width: a frame's side (20–22 mm of 88) is about 0.24
SIDE_GAP = (0.18, 0.30)  # distance between the frame's two sides, of the page width
MIN_OVERLAP = 0.7  # of the longer side: the two sides run over the same rows
SEAL_AREA = (0.55, 0.3)  # the seal lies left of 55 % of the width, below 30 % of the height
FRAME_BAND = 5  # px: the strokes along the found box's edge that give the ink's darkness
INK_PERCENTILE = 90  # of the darkness along the frame: full ink (the frame is solid)
PAD = 4  # px around the frame in the crop


def darkness(page: np.ndarray) -> np.ndarray:
    """0 (paper) to 1 (black) per pixel of a BGR page; the paper level is taken locally (its
    brightest nearby pixels), so uneven light does not count as ink."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
    paper = cv2.GaussianBlur(cv2.dilate(gray, np.ones((25, 25), np.uint8)), (0, 0), 15)
    return np.clip(1 - gray / np.maximum(paper, 1.0), 0, 1)


def square_frame(dark: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) of a square seal's frame in page pixels, or None: the largest box whose
    left and right sides are long vertical strokes, a seal's width apart."""
    h, w = dark.shape
    ink = (dark > MIN_INK).astype(np.uint8)
    length = round(0.1 * w)
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    vertical[:, round(SEAL_AREA[0] * w):] = 0
    vertical[: round(SEAL_AREA[1] * h)] = 0
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(vertical)
    # (left, right, top, bottom) of each stroke long enough to be a side
    sides = [(int(stats[i, 0]), int(stats[i, 0] + stats[i, 2]), int(stats[i, 1]),
              int(stats[i, 1] + stats[i, 3]))
             for i in range(1, count) if stats[i, 3] >= MIN_SIDE_STROKE * w]
    best = None
    for left in sides:
        for right in sides:
            if not SIDE_GAP[0] * w <= right[0] - left[0] <= SIDE_GAP[1] * w:
                continue
            overlap = min(left[3], right[3]) - max(left[2], right[2])
            if overlap < MIN_OVERLAP * max(left[3] - left[2], right[3] - right[2]):
                continue
            top, bottom = min(left[2], right[2]), max(left[3], right[3])
            box = (left[0], top, right[1] - left[0], bottom - top)
            if not 0.75 < box[2] / box[3] < 1.33:
                continue
            if best is None or box[2] * box[3] > best[2] * best[3]:
                best = box
    return best


def frame_ink(dark: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The seal inside ``box`` (and ``PAD`` around it) as black ink on white: darkness as a
    share of the frame strokes' darkness (a pale copy's seal is as legible as a dark one's)."""
    x, y, w, h = box
    crop = dark[max(0, y - PAD): y + h + PAD, max(0, x - PAD): x + w + PAD]
    band = np.zeros(crop.shape, np.uint8)
    cv2.rectangle(band, (PAD, PAD), (crop.shape[1] - PAD - 1, crop.shape[0] - PAD - 1), 1,
                  FRAME_BAND)
    full = max(float(np.percentile(crop[band > 0], INK_PERCENTILE)), 0.05)
    return (255 * (1 - np.clip(crop / full, 0, 1))).astype(np.uint8)
