"""The camera page: the live preview with the card outline and short guidance, and capture (the
button, Space, or by itself once the card is steady and sharp). What a capture means is the
window's business: it receives the full-resolution frame."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from dlscan_gui.core.capture import Judgement
from dlscan_gui.ui.camera import Camera


class CameraPanel(QWidget):
    captured = Signal(object)  # the full-resolution BGR frame; the camera is released first
    lost = Signal(str)  # camera.CANNOT_OPEN or camera.STOPPED; the camera is released first

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # so Space reaches the capture action
        layout = QVBoxLayout(self)
        self.preview = QLabel(self)
        self.preview.setObjectName("camera-preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 240)
        self.guidance = QLabel("", self)
        self.guidance.setObjectName("camera-guidance")
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = QPushButton(self.tr("Capture (Space)"), self)
        button.setObjectName("capture")
        button.clicked.connect(self.capture)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.guidance)
        layout.addWidget(button)
        self.camera = Camera(self)
        self.auto_capture = False
        self._captured = False

    @property
    def running(self) -> bool:
        return self.camera.running

    def start(self, source: int | str, *, auto_capture: bool) -> None:
        """Preview ``source`` (a camera index or a video file)."""
        self._captured = False
        self.auto_capture = auto_capture
        worker = self.camera.start(source)
        worker.frame_ready.connect(self._on_frame)
        worker.lost.connect(self._on_lost)
        self.preview.clear()
        self.guidance.setText(self.tr("Opening the camera…"))

    def stop(self) -> None:
        self.camera.stop()

    def capture(self) -> None:
        """Take the latest full-resolution frame (none yet: nothing happens)."""
        worker = self.camera.worker
        frame: np.ndarray | None = worker.latest_frame() if worker is not None else None
        if frame is None:
            return
        self._captured = True
        self.camera.stop()
        self.captured.emit(frame)

    @Slot(QImage, object)
    def _on_frame(self, preview: QImage, judgement: Judgement | None) -> None:
        if not self.camera.running or self._captured:
            return  # a frame still queued from before the stop
        self.preview.setPixmap(QPixmap.fromImage(preview).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))
        if judgement is not None:
            self.guidance.setText(f"{judgement.message.zh} / {judgement.message.en}")
            if judgement.ready and self.auto_capture:
                self.capture()

    @Slot(str)
    def _on_lost(self, why: str) -> None:
        if self._captured:
            return
        self.camera.stop()
        self.lost.emit(why)
