"""Live camera guidance: is there a card, is it close, sharp, unglared, straight and steady?

``FrameJudge.judge(frame)`` looks at one (small) frame and says what the clerk should do; it
reports ``ready`` once the card has been found, sharp and in the same place for
``steady_seconds``, which is when auto-capture fires. Plain OpenCV, no Qt: the camera worker
calls it off the GUI thread, on a downscaled copy, and not on every frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from dlscan_gui.core.card import locate_card
from dlscan_gui.core.errors import Message
from dlscan_gui.core.imaging import downscale, fit_size

ANALYSIS_SIDE = 480  # px, long side of the analysed copy
MIN_COVERAGE = 0.12  # smaller: "move closer"
SHARPNESS_MIN = 60.0  # variance of the Laplacian on the card, at ANALYSIS_SIDE
GLARE_MAX = 0.02  # fraction of the card that is blown-out highlight
TILT_MAX = 0.18  # relative difference of opposite sides: a strongly skewed card
STEADY_SHIFT = 0.02  # corners may move this much (of the frame size) and still be steady

GUIDANCE: dict[str, Message] = {
    "no_card": Message("请把驾驶证放到镜头下", "Hold the licence under the camera"),
    "too_far": Message("请靠近一些", "Move the licence closer"),
    "cut_off": Message("驾驶证超出画面，请移入画面中央", "The licence is cut off: centre it"),
    "blurred": Message("画面模糊，请保持稳定或调整对焦", "Blurred: hold still or refocus"),
    "glare": Message("反光，请调整角度", "Glare: tilt the licence a little"),
    "tilted": Message("请放正驾驶证", "Straighten the licence"),
    "hold": Message("保持不动…", "Hold still…"),
    "ready": Message("可以拍摄", "Ready"),
}


@dataclass(frozen=True)
class Judgement:
    state: str  # a GUIDANCE key
    corners: np.ndarray | None  # card corners in the analysed frame's pixels (scale applies)
    scale: float  # analysed px per frame px

    @property
    def message(self) -> Message:
        return GUIDANCE[self.state]

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def corners_in_frame(self) -> np.ndarray | None:
        return None if self.corners is None else self.corners / self.scale


class FrameJudge:
    def __init__(self, steady_seconds: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.steady_seconds = steady_seconds
        self._clock = clock
        self._anchor: np.ndarray | None = None
        self._since = 0.0

    def reset(self) -> None:
        self._anchor = None

    def judge(self, frame: np.ndarray) -> Judgement:
        h, w = frame.shape[:2]
        small = frame if max(h, w) <= ANALYSIS_SIDE else downscale(
            frame, *fit_size(w, h, ANALYSIS_SIDE))
        scale = small.shape[1] / w
        location = locate_card(small)
        if location is None:
            self.reset()
            return Judgement("no_card", None, scale)
        corners = location.corners
        state = self._quality(small, corners, location.coverage, location.touches_border)
        if state is not None:
            self.reset()
            return Judgement(state, corners, scale)
        return Judgement(self._steadiness(corners, small.shape[:2]), corners, scale)

    @staticmethod
    def _quality(small: np.ndarray, corners: np.ndarray, coverage: float,
                 touches_border: bool) -> str | None:
        if touches_border:
            return "cut_off"
        if coverage < MIN_COVERAGE:
            return "too_far"
        tl, tr, br, bl = corners
        for a, b in ((np.linalg.norm(tr - tl), np.linalg.norm(br - bl)),
                     (np.linalg.norm(bl - tl), np.linalg.norm(br - tr))):
            if abs(a - b) / max(a, b, 1e-6) > TILT_MAX:  # opposite sides differ: skewed
                return "tilted"
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
        mask = np.zeros(gray.shape, np.uint8)
        cv2.fillConvexPoly(mask, corners.astype(np.int32), 255)
        inside = mask > 0
        if float(cv2.Laplacian(gray, cv2.CV_64F)[inside].var()) < SHARPNESS_MIN:
            return "blurred"
        if float((gray[inside] >= 250).mean()) > GLARE_MAX:
            return "glare"
        return None

    def _steadiness(self, corners: np.ndarray, shape: tuple[int, int]) -> str:
        now = self._clock()
        limit = STEADY_SHIFT * max(shape)
        if self._anchor is None or float(np.abs(corners - self._anchor).max()) > limit:
            self._anchor, self._since = corners, now
        return "ready" if now - self._since >= self.steady_seconds else "hold"
