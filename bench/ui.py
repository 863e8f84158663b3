"""Window responsiveness: time from launch to a shown window, and the longest event-loop stall
while the offline engine recognizes in the background.

    .venv/bin/python bench/ui.py [--launches 5] [--images 6]

Launch: a fresh interpreter builds the window exactly as ``dlscan`` does
(``app.build_window``: fonts, settings, translation, MainWindow; then show) and reports when
the window is exposed; the figure is wall time from starting the process, median of
``--launches``. Stall: a 5 ms timer runs on the GUI thread
while synthetic licences are recognized one after another; a stall is the gap between two
ticks minus 5 ms. Runs offscreen. Writes bench/results/ui.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.results_file import write_results  # noqa: E402

CHILD = """
import sys, time
from PySide6.QtWidgets import QApplication
from dlscan_gui.app import build_window
app = QApplication(sys.argv)
window = build_window(app)
window.show()
while not window.windowHandle() or not window.windowHandle().isExposed():
    app.processEvents()
print(time.time(), flush=True)
window.close()
"""


def launch_seconds() -> float:
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
               DLSCAN_CONFIG_DIR=str(ROOT / "bench" / "results" / "ui-config"))
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          env=env, cwd=ROOT, check=True, timeout=120)
    return float(done.stdout.strip().splitlines()[-1]) - started


def stalls(n_images: int) -> list[float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from dlscan_gui.core.imaging import load_image
    from dlscan_gui.core.schema import Side
    from dlscan_gui.core.settings import Settings
    from dlscan_gui.engines.local.engine import LocalRecognizer
    from dlscan_gui.ui.main_window import MainWindow
    from dlscan_gui.ui.recognition import LoadedInput, RecognitionService
    from tests.synthetic.licence import make_sample

    app = QApplication.instance() or QApplication(sys.argv)
    engine = LocalRecognizer()
    engine.warm_up()
    window = MainWindow(RecognitionService(Settings(), recognizer=engine))
    window.show()
    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0] - 5)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    worst: list[float] = []
    for index in range(n_images):
        sample = make_sample(50000 + index, side=("front", "back")[index % 2], level="moderate")
        image = load_image(sample.jpeg)
        window.current = LoadedInput(image, None)
        gaps.clear()
        clock.start()
        last[0] = 0
        timer.start()
        window.recognize()
        loop = QEventLoop()
        while window.tasks.busy:
            QTimer.singleShot(5, loop.quit)
            loop.exec()
        timer.stop()
        worst.append(max(gaps[1:] or [0.0]))
        assert window.fields.values(Side.FRONT) or window.fields.values(Side.BACK)
    window.close()
    app.processEvents()
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--images", type=int, default=6)
    args = parser.parse_args()
    launches = [launch_seconds() for _ in range(args.launches)]
    worst = stalls(args.images)
    report = {
        "launch_to_window_s": {"median": statistics.median(launches), "all": launches},
        "event_loop_stall_ms": {"median_of_worst": statistics.median(worst), "max": max(worst),
                                "per_image_worst": worst},
    }
    print(f"launch to shown window: median {statistics.median(launches):.2f} s "
          f"over {args.launches} launches (min {min(launches):.2f}, max {max(launches):.2f})")
    print(f"longest event-loop stall while recognizing: median {statistics.median(worst):.0f} ms, "
          f"max {max(worst):.0f} ms over {args.images} images")
    write_results("ui", report)


if __name__ == "__main__":
    main()
