"""Getting the engine ready without holding the window up: resolve it (settings, environment,
OS keyring, which can be slow to answer) on a worker, show it in the status bar when known,
then warm the offline models up. Its own TaskRunner: the clerk's Cancel, New customer or a new
image never drop it, and it does not show as busy."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from dlscan_gui.core.secrets import backend_status
from dlscan_gui.core.settings import EngineChoice
from dlscan_gui.ui.recognition import RecognitionService
from dlscan_gui.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def _resolve(service: RecognitionService) -> EngineChoice | None:
    """On the worker: the engine, and which keyring backend this install found (its name
    only; a frozen build that lost its backends shows here as keyring's fail backend)."""
    engine = service.resolve_engine()
    try:
        status = backend_status()
    except Exception as error:  # only a log line: never worth losing the engine over
        log.warning("engine %s; keyring backend unknown (%s)", engine, type(error).__name__)
    else:
        log.info("engine %s; keyring backend %s (%s)", engine, status.name,
                 "secure" if status.secure else "not secure: secrets cannot be stored")
    return engine


class EngineSetup(QObject):
    def __init__(self, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._runner = TaskRunner(self, max_threads=1)
        self._service: RecognitionService | None = None

    def start(self, service: RecognitionService) -> None:
        """Set ``service`` up; one that was being set up before is forgotten."""
        self._service = service
        self._label.setText(service.describe())
        if not service.resolved:
            self._runner.run(lambda: _resolve(service), lambda _engine: self._resolved(service),
                             lambda error: self._failed(service, error))

    def _resolved(self, service: RecognitionService) -> None:
        if service is not self._service:
            return  # the settings changed meanwhile
        self._label.setText(service.describe())
        if service.engine is EngineChoice.LOCAL:
            self._runner.run(service.warm_up, lambda _result: None, self._warm_up_failed)

    def _failed(self, service: RecognitionService, error: BaseException) -> None:
        log.error("resolving the engine failed: %s", type(error).__name__)
        if service is self._service:
            self._label.setText(self.tr("Engine not available: {name}").format(
                name=type(error).__name__))

    @staticmethod
    def _warm_up_failed(error: BaseException) -> None:
        # Not the clerk's concern yet: the first recognition reports it properly.
        log.warning("offline engine warm-up failed: %s", type(error).__name__)

    def stop(self, msecs: int = 10000) -> bool:
        """Drop what is pending and wait for the running step (on close)."""
        self._runner.invalidate()
        return self._runner.wait(msecs)
