"""Run slow work off the GUI thread and deliver ``(result, error)`` back on it.

Modelled on Picard's ``run_task`` and Anki's ``QueryOp``: the background function never
touches a widget; its outcome arrives through a queued signal on a GUI-thread object. Every
task belongs to a *generation*: ``invalidate()`` (a new image, Clear, Cancel) bumps it, and
results of older generations are dropped instead of overwriting newer state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to this thread."""

    finished = Signal(int, object, object)  # task id, result, error


class _Job(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        # Python owns the job and frees it on the GUI thread; left to Qt, it would be deleted
        # on the worker thread, racing the interpreter over the wrapper's references.
        self.setAutoDelete(False)
        self._task_id, self._work, self._relay = task_id, work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # delivered to the GUI thread, never lost
            self._relay.finished.emit(self._task_id, None, error)
        else:
            self._relay.finished.emit(self._task_id, result, None)


class TaskRunner(QObject):
    """``run(work, on_done, on_error)``; results of an invalidated generation are dropped."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._callbacks: dict[int, tuple[int, Callback, ErrorCallback | None]] = {}
        self._jobs: dict[int, _Job] = {}  # referenced until their outcome is delivered
        self._next_id = 0
        self.generation = 0

    def run(self, work: Callable[[], Any], on_done: Callback,
            on_error: ErrorCallback | None = None) -> int:
        self._next_id += 1
        task_id = self._next_id
        self._callbacks[task_id] = (self.generation, on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        job = _Job(task_id, work, self._relay)
        self._jobs[task_id] = job
        self._pool.start(job)
        return task_id

    def invalidate(self) -> None:
        """Forget everything in flight: its results will be dropped when they arrive."""
        self.generation += 1
        had = bool(self._callbacks)
        self._callbacks.clear()
        if had:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: BaseException | None) -> None:
        self._jobs.pop(task_id, None)
        entry = self._callbacks.pop(task_id, None)
        if not self._callbacks and entry is not None:
            self.busy_changed.emit(False)
        if entry is None:
            return  # invalidated: a stale result
        generation, on_done, on_error = entry
        if generation != self.generation:
            return
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background task failed: %s", type(error).__name__)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until running jobs finish (on close, so no thread outlives the window)."""
        return self._pool.waitForDone(msecs)
