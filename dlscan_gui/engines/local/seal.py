"""The issuing authority, read from the red seal on the front page.

The stamp is isolated by colour (red ink over black print), turned into black text on white,
and read: a square seal holds the name in horizontal lines; a round one has it along the upper
arc, which a polar unwrap turns into one straight line. When the seal cannot be read as an
authority name (it must end like one), nothing is returned rather than a guess.
"""

from __future__ import annotations

import re

import cv2
import numpy as np

from dlscan_gui.engines.local.ocr import OcrRunner

# An authority name ends like one of these (公安局交通警察支队, 公安交通管理局, 车辆管理所 …).
_AUTHORITY = re.compile(r"(公安局|公安交通管理局|交通警察|交警|车辆管理所|车管所).*(局|队|所)$")
_CJK_ONLY = re.compile(r"[^\u4e00-\u9fff]")
MIN_SEAL_AREA = 0.025  # of the page (bounding box): the red 证号 box is far smaller


def _redness(page: np.ndarray) -> np.ndarray:
    """How much redder than green/blue each pixel is (0–255)."""
    b, g, r = cv2.split(page.astype(np.int16))
    return np.clip(r - np.maximum(g, b), 0, 255).astype(np.uint8)


def _seal_region(page: np.ndarray) -> tuple[int, int, int, int] | None:
    red = _redness(page)
    mask = (red > 50).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(mask)
    h, w = mask.shape
    best = None
    for index in range(1, count):
        x, y, bw, bh, _area = stats[index]
        # A seal is large and roughly square (the filled 证号 box is small and wide); a round
        # seal is mostly empty inside, so judge by the bounding box, not the inked area.
        if bw * bh < MIN_SEAL_AREA * w * h or not 0.6 < bw / bh < 1.7:
            continue
        if best is None or bw * bh > best[2] * best[3]:
            best = (x, y, bw, bh)
    if best is None:
        return None
    x, y, bw, bh = best
    return int(x), int(y), int(bw), int(bh)


def _ink(crop: np.ndarray) -> np.ndarray:
    """Red ink as black on white; the black print underneath fades to nothing."""
    red = _redness(crop)
    red = cv2.normalize(red, None, 0, 255, cv2.NORM_MINMAX)
    ink = 255 - red
    return cv2.cvtColor(ink, cv2.COLOR_GRAY2BGR)


def _clean(text: str) -> str:
    return _CJK_ONLY.sub("", text)


def _read_square(ink: np.ndarray, ocr: OcrRunner) -> tuple[str, float] | None:
    lines = ocr.detect_and_read(cv2.copyMakeBorder(ink, 20, 20, 20, 20, cv2.BORDER_CONSTANT,
                                                   value=(255, 255, 255)))
    lines = [line for line in lines if _clean(line.text)]
    if not lines:
        return None
    lines.sort(key=lambda line: (round(line.cy / max(line.height, 1.0)), line.x0))
    text = "".join(_clean(line.text) for line in lines)
    return text, min(line.score for line in lines)


def _read_round(ink: np.ndarray, ocr: OcrRunner) -> tuple[str, float] | None:
    h, w = ink.shape[:2]
    radius = min(h, w) / 2
    gray = cv2.cvtColor(ink, cv2.COLOR_BGR2GRAY)
    # Polar unwrap: rows are angles, columns radii. The text ring is the outer ~35%.
    polar = cv2.warpPolar(gray, (int(radius), 720), (w / 2, h / 2), radius,
                          cv2.WARP_POLAR_LINEAR)
    ring = polar[:, int(radius * 0.6): int(radius * 0.97)]
    # Angles 180°→360° (the upper arc, left to right) as one horizontal strip, tops outward.
    strip = np.concatenate([ring[270:720], ring[:90]])  # 135° … 405°: the whole upper arc
    strip = cv2.rotate(strip, cv2.ROTATE_90_COUNTERCLOCKWISE)
    strip = cv2.resize(strip, None, fx=1.0, fy=1.0)
    reading = ocr.read_lines([cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)])
    if not reading:
        return None
    text, score = reading[0]
    return _clean(text), score


def read_seal(page: np.ndarray, ocr: OcrRunner) -> tuple[str, float, np.ndarray] | None:
    """(authority, confidence, quad in page pixels), or None when no seal reads as one."""
    region = _seal_region(page)
    if region is None:
        return None
    x, y, w, h = region
    pad = max(4, int(0.05 * max(w, h)))
    crop = page[max(0, y - pad): y + h + pad, max(0, x - pad): x + w + pad]
    ink = _ink(crop)
    quad = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    for reader in (_read_square, _read_round):
        found = reader(ink, ocr)
        if found and _AUTHORITY.search(found[0]):
            return found[0], found[1], quad
    return None
