"""The camera, with a video file standing in for it: preview, guidance, auto-capture, Space,
and a camera that stops delivering frames."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from dlscan_gui.core.settings import Settings
from dlscan_gui.ui.recognition import RecognitionService
from tests.synthetic.licence import make_sample

FPS = 10


def licence_frame(size=(1280, 960)) -> tuple[np.ndarray, dict]:
    """A synthetic licence lying on a dark desk, as a camera above the counter sees it."""
    sample = make_sample(7301, side="front", level="flat")
    page = cv2.imdecode(np.frombuffer(sample.jpeg, np.uint8), cv2.IMREAD_COLOR)
    w, h = size
    desk = np.full((h, w, 3), (40, 45, 50), np.uint8)
    scale = 0.7 * w / page.shape[1]
    page = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    y, x = (h - page.shape[0]) // 2, (w - page.shape[1]) // 2
    desk[y:y + page.shape[0], x:x + page.shape[1]] = page
    return desk, sample.truth


def write_video(path, frames: list[np.ndarray]) -> str:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (w, h))
    assert writer.isOpened()
    for image in frames:
        writer.write(image)
    writer.release()
    return str(path)


@pytest.fixture(scope="module")
def licence_video(tmp_path_factory):
    desk, truth = licence_frame()
    empty = np.full_like(desk, (40, 45, 50))
    frames = [empty] * 5 + [desk] * (FPS * 3)  # nothing, then the licence held still for 3 s
    return write_video(tmp_path_factory.mktemp("video") / "synthetic-camera.avi", frames), truth


def camera_window(make_window, offline_service, auto_capture: bool):
    service = RecognitionService(Settings(auto_capture=auto_capture),
                                 recognizer=offline_service.recognizer())
    return make_window(service)


def test_auto_capture_when_the_card_is_steady(qtbot, make_window, offline_service,
                                              licence_video, tmp_path):
    path, truth = licence_video
    window = camera_window(make_window, offline_service, auto_capture=True)
    window.start_camera(path)
    assert window.left.currentWidget() is window.camera_page
    guidance = window.findChild(QLabel, "camera-guidance")
    qtbot.waitUntil(lambda: "/" in guidance.text() and "Opening" not in guidance.text(),
                    timeout=10000)
    window.grab().save(str(tmp_path / "screenshot-camera.png"))
    number = window.findChild(QLineEdit, "front.number")
    qtbot.waitUntil(lambda: number.text() != "", timeout=60000)
    assert number.text() == truth["number"]
    assert not window.camera.running  # released after the capture


def test_space_captures_the_current_frame(qtbot, make_window, offline_service, licence_video):
    path, truth = licence_video
    window = camera_window(make_window, offline_service, auto_capture=False)
    window.start_camera(path)
    qtbot.waitUntil(lambda: window.camera.worker is not None
                    and window.camera.worker.latest_frame() is not None
                    and "Hold still" in window.camera_page.guidance.text(), timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    name = window.findChild(QLineEdit, "front.name")
    qtbot.waitUntil(lambda: name.text() != "", timeout=60000)
    assert name.text() == truth["name"]


def test_a_camera_that_stops_is_reported_and_released(qtbot, make_window, offline_service,
                                                      tmp_path):
    empty = np.full((480, 640, 3), 50, np.uint8)
    path = write_video(tmp_path / "synthetic-short.avi", [empty] * 5)
    window = camera_window(make_window, offline_service, auto_capture=True)
    window.start_camera(path)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    assert "摄像头" in window.banner.text()
    assert not window.camera.running and not window.actions["camera"].isChecked()
    assert window.left.currentWidget() is not window.camera_page


def test_a_camera_that_cannot_open_is_reported(qtbot, make_window, offline_service, tmp_path):
    window = camera_window(make_window, offline_service, auto_capture=True)
    window.start_camera(str(tmp_path / "no-such-camera.avi"))
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    assert "无法打开" in window.banner.text() or "摄像头" in window.banner.text()
    assert not window.camera.running


def test_closing_the_window_releases_a_running_camera(qtbot, make_window, offline_service,
                                                      licence_video):
    path, _truth = licence_video
    window = camera_window(make_window, offline_service, auto_capture=False)
    window.start_camera(path)
    qtbot.waitUntil(lambda: window.camera.worker is not None
                    and window.camera.worker.latest_frame() is not None, timeout=10000)
    thread = window.camera.thread
    assert window.camera.running
    window.close()
    assert not window.camera.running and window.camera.thread is None
    assert thread is not None and thread.isFinished()
