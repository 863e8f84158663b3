from __future__ import annotations

import cv2
import numpy as np

from dlscan_gui.core.capture import FrameJudge
from tests.synthetic.photos import make_phone_photo


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def frame(seed: int = 1005, **kwargs) -> np.ndarray:
    photo = make_phone_photo(seed, width=1280, height=960, **kwargs)
    return cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)


def test_no_card_in_a_plain_frame():
    noise = np.random.default_rng(1).integers(0, 255, (480, 640, 3), dtype=np.uint8)
    assert FrameJudge().judge(noise).state == "no_card"


def test_steady_sharp_card_becomes_ready_after_the_hold_time():
    clock = Clock()
    judge = FrameJudge(steady_seconds=0.5, clock=clock)
    image = frame()
    first = judge.judge(image)
    assert first.state == "hold" and first.corners is not None
    clock.now = 0.3
    assert judge.judge(image).state == "hold"
    clock.now = 0.6
    ready = judge.judge(image)
    assert ready.ready and "可以" in ready.message.zh
    corners = ready.corners_in_frame()
    assert corners is not None and corners[:, 0].max() <= image.shape[1]


def test_moving_card_restarts_the_hold():
    clock = Clock()
    judge = FrameJudge(steady_seconds=0.5, clock=clock)
    image = frame()
    judge.judge(image)
    clock.now = 0.4
    moved = np.roll(image, 60, axis=1)
    assert judge.judge(moved).state == "hold"
    clock.now = 0.7  # 0.3 s after the move: not yet
    assert judge.judge(moved).state == "hold"


def test_blurred_and_far_cards_get_guidance():
    blurred = cv2.GaussianBlur(frame(), (0, 0), 6)
    assert FrameJudge().judge(blurred).state == "blurred"
    far = frame(card_fraction=0.22)
    assert FrameJudge().judge(far).state == "too_far"
