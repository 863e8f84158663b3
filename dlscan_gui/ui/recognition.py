"""What the window runs in the background: loading an image, pre-checking and recognizing it
with the configured engine. Plain calls into core/ and engines/; the window decides threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice
from PySide6.QtGui import QImage

from dlscan_gui.core.card import locate_card
from dlscan_gui.core.engine_config import EngineConfig, resolve
from dlscan_gui.core.errors import ConfigError, DlscanError, ImageError
from dlscan_gui.core.findings import Finding
from dlscan_gui.core.imaging import LoadedImage, encode_jpeg, load_image
from dlscan_gui.core.precheck import PrecheckReport, precheck
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.core.secrets import SecretStore
from dlscan_gui.core.settings import EngineChoice, Settings, load_settings
from dlscan_gui.engines.base import ImageUrl, Recognizer
from dlscan_gui.engines.factory import create_recognizer


@dataclass(frozen=True)
class LoadedInput:
    image: LoadedImage
    card_corners: np.ndarray | None


class RecognitionService:
    """The configured engine and the steps the window runs with it. Resolving the engine reads
    the OS keyring, which can be slow (a locked or remote store): ``resolve_engine()`` is meant
    for a worker thread, and ``recognizer()`` resolves first if it has not happened yet."""

    def __init__(self, settings: Settings | None = None,
                 recognizer: Recognizer | None = None) -> None:
        self.settings = settings or load_settings()
        self._recognizer = recognizer
        self._lock = threading.Lock()
        self._resolved = recognizer is not None  # a given recognizer needs no configuration
        self._config: EngineConfig | None = None
        self._config_error: DlscanError | None = None

    def resolve_engine(self) -> EngineChoice | None:
        """Work out the engine from settings, environment and keyring (once; thread-safe).
        A configuration problem is kept for ``describe()`` and raised by ``recognizer()``."""
        with self._lock:
            self._resolve_locked()
        return self.engine

    def _resolve_locked(self) -> None:
        if self._resolved:
            return
        try:
            self._config = resolve(self.settings, SecretStore())
        except DlscanError as error:
            self._config_error = error
        self._resolved = True

    @property
    def resolved(self) -> bool:
        return self._resolved

    @property
    def engine(self) -> EngineChoice | None:
        return self._config.engine if self._config else None

    def describe(self) -> str:
        """The engine in effect, for the status bar."""
        translate = QCoreApplication.translate
        if not self._resolved:
            return translate("RecognitionService", "Reading the engine settings…")
        if self._recognizer is not None and self._config is None:
            name = getattr(self._recognizer, "name", "?")
            if name == "local":
                return translate("RecognitionService",
                                 "Offline engine on this PC (nothing uploaded)")
            return translate("RecognitionService", "Engine: {name}").format(name=name)
        if self._config is None:
            assert self._config_error is not None
            error = self._config_error
            return translate("RecognitionService", "Configuration problem: {zh} / {en}").format(
                zh=error.message_zh, en=error.message_en)
        engine = self._config.engine
        if engine is EngineChoice.LOCAL:
            return translate("RecognitionService", "Offline engine on this PC (nothing uploaded)")
        if engine is EngineChoice.HUAWEI:
            return translate("RecognitionService", "Huawei Cloud OCR")
        return translate("RecognitionService", "Server: {url}").format(url=self._config.endpoint)

    def recognizer(self) -> Recognizer:
        with self._lock:
            if self._recognizer is None:
                self._resolve_locked()
                if self._config is None:
                    assert self._config_error is not None
                    raise self._config_error
                self._recognizer = create_recognizer(self._config)
            return self._recognizer

    def warm_up(self) -> None:
        """Load the offline models so the first recognition is quick (on a worker thread)."""
        warm_up = getattr(self.recognizer(), "warm_up", None)
        if warm_up is not None:
            warm_up()

    # ------------------------------------------------------------------ steps
    @staticmethod
    def load_path(path: str) -> LoadedInput:
        image = load_image(path)
        location = locate_card(image.pixels)
        return LoadedInput(image, location.corners if location else None)

    @staticmethod
    def load_qimage(qimage: QImage) -> LoadedInput:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        qimage.save(buffer, "PNG")
        image = load_image(bytes(buffer.data()), name="clipboard.png")
        location = locate_card(image.pixels)
        return LoadedInput(image, location.corners if location else None)

    @staticmethod
    def check(image: LoadedImage) -> PrecheckReport:
        return precheck(image)

    @staticmethod
    def load_frame(frame: np.ndarray) -> LoadedInput:
        """A camera frame, encoded once (high quality) so that it travels like a file."""
        image = load_image(encode_jpeg(frame, 95), name="camera.jpg")
        location = locate_card(image.pixels)
        return LoadedInput(image, location.corners if location else None)

    def recognize_url(self, url: str, side: Side) -> RecognitionResult:
        """The API's url mode: the service fetches the image itself (cloud engines only)."""
        if not url.lower().startswith(("http://", "https://")):
            raise ConfigError("DLSCAN.CONFIG", "image URL must start with http:// or https://")
        return self.recognizer().recognize(
            ImageUrl(url), side=side,
            return_issuing_authority=self.settings.return_issuing_authority,
            return_text_location=True)

    def recognize(self, image: LoadedImage, side: Side,
                  report: PrecheckReport | None = None) -> RecognitionResult:
        """Recognize ``image`` (pre-checked by ``check``; the report says what to upload)."""
        report = report or precheck(image)
        if report.upload is None:
            raise ImageError("AIS.0103", "; ".join(f.en for f in report.errors))
        recognizer = self.recognizer()
        local = getattr(recognizer, "name", "") == "local"
        # The offline engine reads the full-resolution original; a cloud gets the fitted upload.
        target = image if local else report.upload.image
        result = recognizer.recognize(
            target, side=side, return_issuing_authority=self.settings.return_issuing_authority,
            return_text_location=True)
        if not local and report.upload.scale != 1.0:
            result.scale_locations(1.0 / report.upload.scale)
        return result


def describe_findings(findings: list[Finding]) -> str:
    return "\n".join(f"{f.zh} / {f.en}" for f in findings)
