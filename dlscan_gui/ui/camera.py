"""The camera, read on its own thread with OpenCV: preview frames at the camera's rate with the
card outline drawn on them, guidance from core/capture.py on a small copy of every few frames,
and the latest full frame kept for capture. A video file works as a camera (for tests and
demos); a camera that stops delivering frames (unplugged) is reported, never waited on."""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from dlscan_gui.core.capture import FrameJudge, Judgement
from dlscan_gui.core.imaging import downscale, fit_size
from dlscan_gui.ui.image_view import to_qimage

PREVIEW_SIDE = 960  # px, long side of preview frames
ANALYSE_EVERY = 3  # frames: guidance need not run at the full frame rate
MAX_FAILED_READS = 15  # consecutive: the camera is gone
# Why a camera was lost; the window words it (translation belongs on the GUI thread).
CANNOT_OPEN, STOPPED = "cannot-open", "stopped"


class CameraWorker(QObject):
    frame_ready = Signal(QImage, object)  # preview, Judgement (or None between analyses)
    lost = Signal(str)  # why the camera stopped delivering: CANNOT_OPEN or STOPPED
    opened = Signal()

    def __init__(self, source: int | str, judge: FrameJudge | None = None) -> None:
        super().__init__()
        self.source = source
        self.judge = judge or FrameJudge()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._latest: np.ndarray | None = None

    def stop(self) -> None:
        self._stop.set()

    def latest_frame(self) -> np.ndarray | None:
        with self._lock:
            return None if self._latest is None else self._latest.copy()

    @Slot()
    def run(self) -> None:
        capture = cv2.VideoCapture(self.source)
        try:
            if not capture.isOpened():
                self.lost.emit(CANNOT_OPEN)
                return
            self.opened.emit()
            is_file = isinstance(self.source, str)
            # A file plays at its own frame rate, like a camera would deliver it.
            interval = 1.0 / (capture.get(cv2.CAP_PROP_FPS) or 25.0) if is_file else 0.0
            failures, count, judgement = 0, 0, None
            while not self._stop.is_set():
                started = time.monotonic()
                ok, frame = capture.read()
                if not ok or frame is None:
                    failures += 1
                    if is_file or failures >= MAX_FAILED_READS:
                        self.lost.emit(STOPPED)
                        return
                    time.sleep(0.02)
                    continue
                failures = 0
                with self._lock:
                    self._latest = frame
                if count % ANALYSE_EVERY == 0:
                    judgement = self.judge.judge(frame)
                count += 1
                self.frame_ready.emit(self._preview(frame, judgement), judgement)
                if interval:
                    time.sleep(max(0.0, interval - (time.monotonic() - started)))
        finally:
            capture.release()  # always: switched off, window closed or unplugged

    @staticmethod
    def _preview(frame: np.ndarray, judgement: Judgement | None) -> QImage:
        h, w = frame.shape[:2]
        small = frame if max(h, w) <= PREVIEW_SIDE else downscale(
            frame, *fit_size(w, h, PREVIEW_SIDE))
        corners = judgement.corners_in_frame() if judgement is not None else None
        if corners is not None:
            small = small.copy()
            factor = small.shape[1] / w
            colour = (80, 200, 60) if judgement is not None and judgement.ready else (0, 200, 255)
            cv2.polylines(small, [np.int32(corners * factor)], True, colour, 3)
        return to_qimage(small)


class Camera(QObject):
    """Owns the worker's thread: start, stop and wait, so no thread outlives the window."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: CameraWorker | None = None

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def start(self, source: int | str) -> CameraWorker:
        self.stop()
        self.thread = QThread(self)
        self.worker = CameraWorker(source)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.lost.connect(self.thread.quit)
        self.thread.start()
        return self.worker

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait(5000)
        self.thread = self.worker = None
