"""Glare over a field: a sleeve or a lamp reflected where a value is printed can wipe out
characters that OCR then misses or misreads, while the rest of the card reads well. Each field
a bright, colourless blob covers enough of is flagged, so the clerk checks it against the card.
"""

from __future__ import annotations

from collections.abc import Mapping

import cv2
import numpy as np

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.precheck import glare_pixels
from dlscan_gui.core.schema import FIELDS_BY_KEY

MIN_COVER = 0.12  # share of a field's box under glare that makes it worth a second look
MIN_BLOB = 0.0005  # of the page: smaller bright specks are paper texture, not glare
CODE = "field.glare"


def glare_mask(page: np.ndarray) -> np.ndarray:
    """Bright, colourless blobs on a BGR page (255 = glare), as the pre-check sees them."""
    bright = glare_pixels(page)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=8)
    small = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] < MIN_BLOB * bright.size]
    if small:
        bright[np.isin(labels, small)] = 0
    return bright


def field_glare(page: np.ndarray, quads: Mapping[str, np.ndarray]) -> list[Finding]:
    """A warning for each field (key → its box in page pixels) that glare covers in part."""
    mask = glare_mask(page)
    if not mask.any():
        return []
    found = []
    for key, quad in quads.items():
        box = np.zeros_like(mask)
        cv2.fillConvexPoly(box, np.round(quad).astype(np.int32), 255)
        area = cv2.countNonZero(box)
        if area and cv2.countNonZero(cv2.bitwise_and(mask, box)) >= MIN_COVER * area:
            found.append(warning(key))
    return found


def warning(key: str) -> Finding:
    spec = FIELDS_BY_KEY.get(key)
    zh, en = (spec.label_zh, spec.label_en) if spec else (key, key)
    return Finding(CODE, Level.WARNING, Message(
        f"{zh}处有反光，可能读错或漏字，请对照证件核对。",
        f"Glare over {en}: it may be misread or incomplete; check it against the card."),
        field=key)
