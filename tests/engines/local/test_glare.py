"""Glare over a field, on drawn pages."""

from __future__ import annotations

import cv2
import numpy as np

from dlscan_gui.core.findings import Level
from dlscan_gui.engines.local.glare import CODE, field_glare


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


QUADS = {"name": _quad(200, 180, 400, 215), "address": _quad(200, 240, 600, 275)}


def _page() -> np.ndarray:
    page = np.full((600, 880, 3), (205, 215, 210), np.uint8)  # greenish paper
    for quad in QUADS.values():
        x0, y0 = quad[0]
        cv2.putText(page, "ABC 123", (int(x0), int(y0) + 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0,
                    (30, 30, 30), 2)
    return page


def test_a_reflection_over_one_field_flags_that_field_only() -> None:
    page = _page()
    cv2.ellipse(page, (300, 200), (90, 25), 0, 0, 360, (255, 255, 255), -1)
    found = field_glare(page, QUADS)
    assert [f.field for f in found] == ["name"]
    assert found[0].code == CODE and found[0].level is Level.WARNING
    assert "姓名" in found[0].zh and "Name" in found[0].en


def test_no_reflection_and_bright_colour_are_not_glare() -> None:
    assert field_glare(_page(), QUADS) == []
    page = _page()
    cv2.rectangle(page, (200, 180), (400, 215), (40, 255, 255), -1)  # a yellow highlight
    assert field_glare(page, QUADS) == []


def test_a_speck_is_not_glare() -> None:
    # A small box (a class code) that a bright speck covers a third of.
    small = {"class": _quad(290, 190, 310, 210)}
    page = _page()
    cv2.circle(page, (300, 200), 6, (255, 255, 255), -1)
    assert field_glare(page, small) == []
    cv2.circle(page, (300, 200), 14, (255, 255, 255), -1)  # a real reflection
    assert [f.field for f in field_glare(page, small)] == ["class"]
