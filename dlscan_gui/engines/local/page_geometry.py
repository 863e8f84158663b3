"""Geometry on the flattened page: where a facing page's own outline is, which lines are small
print, boxes widened or compared, and the page with its coloured ink washed out."""

from __future__ import annotations

import cv2
import numpy as np

from dlscan_gui.core.card import locate_card
from dlscan_gui.engines.local.ocr import quad_height

# The wallet leaves a gap between the pages: the facing page's own outline, where one is found
# within this share of the page's width of where it was expected, is taken instead.
FACING_SNAP = 0.15
# On a rectified page (600 px high) values stand 27 px and more, English sublabels and the
# English title 16-27 px; the title band ends above the 证号 row.
SUBLABEL_H = 0.04
SUBLABEL_MAX_W = 0.2  # of the page width: "Date of First Issue" is the longest sublabel
TITLE_BAND = 0.23
WIDEN = 0.4  # of a line's height, added at each end of a line found on the second look
CUBIC_REACH = 3  # px cut past a box (line_crop): the cubic warp reads up to 2 px beyond it


def widen(quad: np.ndarray, page_width: int) -> np.ndarray:
    """The quad (clockwise from top-left) grown along its baseline by ``WIDEN`` of its height
    at each end, within the page."""
    along = quad[1] - quad[0]
    along = along / max(float(np.linalg.norm(along)), 1.0)
    grow = along * WIDEN * quad_height(quad)
    wider = quad + np.float32([-grow, grow, grow, -grow])
    wider[:, 0] = np.clip(wider[:, 0], 0, page_width - 1)
    return wider.astype(np.float32)


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Overlap of two quads' bounding boxes, as a share of the smaller one."""
    (ax0, ay0), (ax1, ay1) = a.min(axis=0), a.max(axis=0)
    (bx0, by0), (bx1, by1) = b.min(axis=0), b.max(axis=0)
    inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
    smaller = min((ax1 - ax0) * (ay1 - ay0), (bx1 - bx0) * (by1 - by0))
    return float(inter / smaller) if smaller > 0 else 0.0


def snap_outline(pixels: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """A page's own outline near where it is ``expected`` (corners in page order), else
    ``expected``."""
    size = float(np.linalg.norm(expected[1] - expected[0]))
    ih, iw = pixels.shape[:2]
    pad = 0.12 * size
    x0, y0 = np.maximum(expected.min(axis=0) - pad, 0).astype(int)
    x1, y1 = np.minimum(expected.max(axis=0) + pad, [iw, ih]).astype(int)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return expected
    found = locate_card(pixels[y0:y1, x0:x1])
    if found is None or found.double_page:
        return expected
    corners = found.corners + np.float32([x0, y0])
    # Re-order the found corners to the expected ones (the page may lie at any angle).
    order = [int(np.argmin(np.linalg.norm(corners - c, axis=1))) for c in expected]
    if sorted(order) != [0, 1, 2, 3]:
        return expected
    snapped = corners[order]
    if np.linalg.norm(snapped - expected, axis=1).max() > FACING_SNAP * size:
        return expected
    return snapped.astype(np.float32)


def small_print(quad: np.ndarray, width: int, height: int) -> bool:
    """An English sublabel (short and narrow) or the English title line (in the title band).
    A line of digits is as short as a sublabel (no ascenders) but wide: the number is kept."""
    if quad_height(quad) >= SUBLABEL_H * height:
        return False
    narrow = float(quad[:, 0].max() - quad[:, 0].min()) < SUBLABEL_MAX_W * width
    return narrow or float(quad[:, 1].min()) < TITLE_BAND * height


def print_only(page: np.ndarray) -> np.ndarray:
    """The black print alone: taking each pixel's brightest channel turns coloured ink (the
    red seal over the labels, the green guilloche) as light as the paper. OpenCV's per-channel
    max is some 40 times faster than numpy's reduction over the channel axis."""
    return cv2.merge([brightest_channel(page)] * 3)


def brightest_channel(image: np.ndarray) -> np.ndarray:
    """Each pixel's brightest channel (BGR in, one channel out)."""
    blue, green, red = cv2.split(image)
    return cv2.max(cv2.max(blue, green), red)


def order_corners(quad: np.ndarray) -> np.ndarray:
    centre = quad.mean(axis=0)
    angles = np.arctan2(quad[:, 1] - centre[1], quad[:, 0] - centre[0])
    quad = quad[np.argsort(angles)]
    start = int(np.argmin(quad[:, 0] + quad[:, 1]))
    return np.roll(quad, -start, axis=0).astype(np.float32)


def line_crop(page: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """A line's box (page pixels) cut out and straightened, the coloured ink washed out: the
    crop the line was read from (``OcrRunner.read_quads``); None when too small to read."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    (x0, y0), (x1, y1) = np.floor(quad.min(axis=0)), np.ceil(quad.max(axis=0))
    if x1 - x0 < 8 or y1 - y0 < 8 or quad_height(quad) < 2:
        return None
    # The warp's cubic interpolation reaches 2 px past the box: cut a little more, so that
    # the crop is the same as cut from the whole page.
    h, w = page.shape[:2]
    left, top = max(0, int(x0) - CUBIC_REACH), max(0, int(y0) - CUBIC_REACH)
    right, bottom = min(w, int(x1) + CUBIC_REACH + 1), min(h, int(y1) + CUBIC_REACH + 1)
    local = (quad - np.float32([left, top])).astype(np.float32)
    return get_rotate_crop_image(print_only(page[top:bottom, left:right]), local)


def print_crop(page: np.ndarray, quad: np.ndarray, pad_x: float = 0.3,
               pad_y: float = 0.1) -> np.ndarray | None:
    """One value's box (page pixels) with a margin of ``pad_x``/``pad_y`` of its height, the
    coloured ink washed out; None when too small to read."""
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    height = y1 - y0
    h, w = page.shape[:2]
    left, right = max(0, int(x0 - pad_x * height)), min(w, int(x1 + pad_x * height))
    top, bottom = max(0, int(y0 - pad_y * height)), min(h, int(y1 + pad_y * height))
    if right - left < 8 or bottom - top < 8:
        return None
    return print_only(page[top:bottom, left:right])
