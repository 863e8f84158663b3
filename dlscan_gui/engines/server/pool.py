"""Recognizers shared by the server's request threads: each request borrows one for the length
of its recognition, so ``workers`` recognitions run at once and the rest wait their turn."""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dlscan_gui.engines.base import Recognizer


class PoolBusy(Exception):
    """No recognizer came free within the wait."""


class RecognizerPool:
    def __init__(self, recognizers: list[Recognizer]) -> None:
        if not recognizers:
            raise ValueError("a pool needs at least one recognizer")
        self.size = len(recognizers)
        self.name = recognizers[0].name
        self._free: queue.Queue[Recognizer] = queue.Queue()
        for recognizer in recognizers:
            self._free.put(recognizer)

    @property
    def busy(self) -> int:
        return self.size - self._free.qsize()

    @contextmanager
    def borrow(self, wait: float) -> Iterator[Recognizer]:
        try:
            recognizer = self._free.get(timeout=wait)
        except queue.Empty:
            raise PoolBusy from None
        try:
            yield recognizer
        finally:
            self._free.put(recognizer)


def local_pool(workers: int, on_progress: Callable[[int], None] | None = None) -> RecognizerPool:
    """``workers`` offline engines, each with its own models, warmed up. The cores are shared
    out between them, so that engines running at once do not fight over the same cores."""
    from dlscan_gui.engines.local.engine import LocalRecognizer
    from dlscan_gui.engines.local.ocr import OcrRunner

    threads = max(1, (os.cpu_count() or 1) // workers)
    engines: list[Recognizer] = []
    for index in range(workers):
        engine = LocalRecognizer(OcrRunner(threads=threads))
        engine.warm_up()
        engines.append(engine)
        if on_progress is not None:
            on_progress(index + 1)
    return RecognizerPool(engines)
