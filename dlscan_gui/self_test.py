"""``dlscan --self-test``: does this install work? Builds the real window, opens the bundled
synthetic licence the way a clerk would, waits for the fields, checks them against the sample's
ground truth and prints one line:

    dlscan self-test OK: window 0.71 s, first result 2.93 s, 11/11 fields (synthetic-front.jpg)
    dlscan self-test FAILED: <reason>

Always the offline engine, with default settings in a throw-away settings directory: a counter
with cloud credentials still tests offline, nothing goes on the network, the keyring is never
read and the user's settings are never written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from dlscan_gui.core.schema import Side
from dlscan_gui.core.settings import CONFIG_DIR_ENV, AuthMode, EngineChoice, Settings
from dlscan_gui.paths import resources_dir

log = logging.getLogger(__name__)

SAMPLE_ENV = "DLSCAN_SELF_TEST_SAMPLE"  # another image (with its .json truth next to it)
SAMPLE = "synthetic-front.jpg"
TIMEOUT_S = 120.0
MIN_FIELDS = 8  # of the truth's fields, read exactly; besides the number and the name
POLL_MS = 50
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def sample_path() -> Path:
    override = os.environ.get(SAMPLE_ENV)
    return Path(override) if override else resources_dir() / "samples" / SAMPLE


def load_truth(sample: Path) -> dict[str, str]:
    """The fields the sample shows, from the ``.json`` next to it; a double-side sample's as
    ``front.number``, ``back.record``..."""
    data: Any = json.loads(sample.with_suffix(".json").read_text(encoding="utf-8"))
    truth = data.get("truth") if isinstance(data, dict) else None
    if not isinstance(truth, dict) or not truth:
        raise ValueError("no 'truth' object")
    if all(isinstance(page, dict) for page in truth.values()):
        return {f"{side}.{key}": str(value) for side, page in truth.items()
                for key, value in page.items()}
    return {str(key): str(value) for key, value in truth.items()}


def shown(front: dict[str, str], back: dict[str, str]) -> dict[str, str]:
    """The window's fields under both namings of ``load_truth`` (a one-page sample may come
    out in either section)."""
    return {**back, **front, **{f"front.{k}": v for k, v in front.items()},
            **{f"back.{k}": v for k, v in back.items()}}


def judge(values: dict[str, str], truth: dict[str, str]) -> tuple[bool, str]:
    """(passed, what to say) for the fields on screen against the truth."""
    right = [key for key, value in truth.items() if values.get(key) == value]
    count = f"{len(right)}/{len(truth)} fields"
    wrong = [key for key in truth if key.rsplit(".", 1)[-1] in ("number", "name")
             and key not in right]
    if wrong:
        return False, f"{', '.join(wrong)} misread ({count} right)"
    if len(right) < min(MIN_FIELDS, len(truth)):
        return False, f"only {count} right (at least {MIN_FIELDS} expected)"
    return True, count


def english(text: str) -> str:
    """The English half of a bilingual message shown in the window (Chinese lines dropped)."""
    parts = []
    for line in text.splitlines():
        line = line.split(" / ", 1)[1] if " / " in line else line
        if line.strip() and not _CJK.search(line):
            parts.append(line.strip())
    return " ".join(parts) or "(no English text)"


class SelfTest(QObject):
    """Drives the window like a clerk: open, "Recognize anyway" if asked, read the fields."""

    def __init__(self, app: QApplication, started: float) -> None:
        super().__init__()
        self._app = app
        self._started = started
        self._window: Any = None
        self._window_s = 0.0
        self._sample = sample_path()
        self._truth: dict[str, str] = {}
        self._deadline = 0.0
        self._settings_dir = tempfile.TemporaryDirectory(prefix="dlscan-self-test-")
        self._previous_dir = os.environ.get(CONFIG_DIR_ENV)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.line = ""
        self.code = 1

    def start(self) -> None:
        """Build and show the window, open the sample; the rest runs in the event loop."""
        # Settings that anything might read or write go to a directory thrown away after.
        os.environ[CONFIG_DIR_ENV] = self._settings_dir.name
        try:
            self._truth = load_truth(self._sample)
        except (OSError, ValueError) as error:
            self._finish(False, f"no ground truth for {self._sample.name}: {error}")
            return
        try:
            window = self._build()
        except Exception as error:  # an install that cannot even build the window
            log.exception("self-test: building the window failed")
            self._finish(False, f"cannot build the window: {type(error).__name__}: {error}")
            return
        self._window = window
        window.show()
        self._app.processEvents()
        self._window_s = time.perf_counter() - self._started
        self._deadline = time.monotonic() + TIMEOUT_S
        window.open_files([str(self._sample)])
        self._timer.start()

    def _build(self) -> Any:
        from dlscan_gui.app import build_window
        from dlscan_gui.engines.local.engine import LocalRecognizer
        from dlscan_gui.ui.recognition import RecognitionService

        # A recognizer given up front: the engine is never resolved, so no keyring, no cloud.
        settings = Settings(engine=EngineChoice.LOCAL, auth_mode=AuthMode.NONE)
        service = RecognitionService(settings, recognizer=LocalRecognizer())
        return build_window(self._app, service)

    @Slot()
    def _poll(self) -> None:
        window = self._window
        if window.last_result is not None:
            result_s = time.perf_counter() - self._started
            values = shown(window.fields.values(Side.FRONT), window.fields.values(Side.BACK))
            passed, said = judge(values, self._truth)
            if passed:
                said = (f"window {self._window_s:.2f} s, first result {result_s:.2f} s, "
                        f"{said}")
            self._finish(passed, f"{said} ({self._sample.name})")
        elif window.anyway_button.isVisible():
            window.anyway_button.click()  # pre-check warnings: the clerk goes on
        elif window.banner.isVisible() and "#cf222e" in window.banner.styleSheet():
            self._finish(False, f"the window shows an error: {english(window.banner.text())} "
                                f"({self._sample.name})")
        elif time.monotonic() > self._deadline:
            self._finish(False, f"no result within {TIMEOUT_S:.0f} s ({self._sample.name})")

    def _finish(self, passed: bool, said: str) -> None:
        self._timer.stop()
        self.code = 0 if passed else 1
        self.line = f"dlscan self-test {'OK' if passed else 'FAILED'}: {said}"
        log.info("%s", self.line)
        QTimer.singleShot(0, self._app.quit)

    def close(self) -> bool:
        """Close the window; False when a worker did not stop (a hung recognition)."""
        stopped = True
        if self._window is not None:
            self._window.close()
            stopped = self._window.tasks.wait(1000)
        if self._previous_dir is None:
            os.environ.pop(CONFIG_DIR_ENV, None)
        else:
            os.environ[CONFIG_DIR_ENV] = self._previous_dir
        self._settings_dir.cleanup()
        return stopped


def run(app: QApplication, started: float) -> int:
    """Run the self-test in ``app``'s event loop; print the one line; 0 = passed."""
    test = SelfTest(app, started)
    # Only the result line may reach stdout: anything else printed goes to stderr.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        QTimer.singleShot(0, test.start)
        app.exec()
        stopped = test.close()
    finally:
        sys.stdout = real_stdout
    print(test.line or "dlscan self-test FAILED: the event loop ended early", flush=True)
    if not stopped:  # a worker stuck in native code would keep the process alive
        logging.shutdown()
        os._exit(test.code)
    return test.code if test.line else 1
