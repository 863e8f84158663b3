"""Save screenshots of the window's main states to docs/screenshots/ (offscreen, no display).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py

Uses the offline engine and the bundled synthetic samples only. The main states are shot in
the default (Chinese) UI; result-en.png shows the English UI. Builds the translations first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from dlscan_gui import i18n_build  # noqa: E402
from dlscan_gui.core.schema import Side  # noqa: E402
from dlscan_gui.core.settings import Settings  # noqa: E402
from dlscan_gui.engines.local.engine import LocalRecognizer  # noqa: E402
from dlscan_gui.ui.fonts import install_fallback_font  # noqa: E402
from dlscan_gui.ui.i18n import set_language  # noqa: E402
from dlscan_gui.ui.main_window import MainWindow  # noqa: E402
from dlscan_gui.ui.recognition import RecognitionService  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle(window: MainWindow, seconds: float = 60) -> None:
    """Let the event loop run until the background work is done."""
    loop = QEventLoop()
    waited = 0.0
    while (window.tasks.busy or waited < 0.3) and waited < seconds:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 0.05
    QCoreApplication.processEvents()


def main() -> None:
    app = QApplication(sys.argv)
    install_fallback_font(app)
    i18n_build.build()
    assert set_language(app, "zh_CN") == "zh_CN"
    engine = LocalRecognizer()
    engine.warm_up()
    window = MainWindow(RecognitionService(Settings(), recognizer=engine))
    window.resize(1200, 760)
    window.show()
    settle(window)
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "empty.png"))

    window.try_sample()
    settle(window)
    window.grab().save(str(OUT / "result.png"))

    bad = OUT / "not-an-image.pdf"
    bad.write_bytes(b"%PDF-1.4")
    window.open_files([str(bad)])
    settle(window)
    bad.unlink()
    window.grab().save(str(OUT / "error.png"))

    # The camera, fed by a short synthetic video of a licence on a desk.
    import tempfile

    import cv2
    import numpy as np

    from tests.synthetic.licence import make_sample

    # A reflection over the address: the field's badge asks the clerk to check it.
    window.new_customer()
    lit = make_sample(7301, side="front", level="flat")
    photo = lit.image.copy()
    (x0, y0), (x1, y1) = lit.field_boxes["address"].min(axis=0), lit.field_boxes["address"].max(
        axis=0)
    centre = (int(x0 + 0.7 * (x1 - x0)), int((y0 + y1) / 2))
    axes = (int(0.22 * (x1 - x0)), int(0.9 * (y1 - y0)))
    glare = np.zeros(photo.shape[:2], np.float32)
    cv2.ellipse(glare, centre, axes, -15, 0, 360, 1.0, -1)
    glare = cv2.GaussianBlur(glare, (0, 0), 0.15 * axes[0])[..., None]
    photo = (photo * (1 - glare) + 255 * glare).astype(np.uint8)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic-glare.jpg"
        cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, 92])
        window.open_files([str(path)])
        settle(window)
        if window.anyway_button.isVisible():  # the pre-check saw the glare too
            window.recognize()
            settle(window)
    window.fields.rows[(Side.FRONT, "address")].edit.setFocus()  # its box on the image
    settle(window)
    window.grab().save(str(OUT / "glare.png"))

    page = cv2.imdecode(np.frombuffer(make_sample(7301, side="front", level="flat").jpeg,
                                      np.uint8), cv2.IMREAD_COLOR)
    desk = np.full((960, 1280, 3), (40, 45, 50), np.uint8)
    page = cv2.resize(page, (900, round(900 * page.shape[0] / page.shape[1])))
    y, x = (960 - page.shape[0]) // 2, (1280 - 900) // 2
    desk[y:y + page.shape[0], x:x + 900] = page
    with tempfile.TemporaryDirectory() as folder:
        video = str(Path(folder) / "synthetic-camera.avi")
        writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*"MJPG"), 10, (1280, 960))
        for _ in range(40):
            writer.write(desk)
        writer.release()
        window.service.settings.auto_capture = False
        window.new_customer()
        window.start_camera(video)
        loop = QEventLoop()
        for _ in range(100):
            QTimer.singleShot(50, loop.quit)
            loop.exec()
            if "保持不动" in window.camera_page.guidance.text():
                break
        window.grab().save(str(OUT / "camera.png"))
        window.stop_camera()

    from dlscan_gui.core.secrets import SecretStore
    from dlscan_gui.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), SecretStore(), window)
    dialog.show()
    loop = QEventLoop()
    while not dialog.keyring_ready:  # the keyring is read in the background
        QTimer.singleShot(50, loop.quit)
        loop.exec()
    dialog.grab().save(str(OUT / "settings.png"))
    dialog.close()
    window.close()

    set_language(app, "en")
    english = MainWindow(RecognitionService(Settings(language="en"), recognizer=engine))
    english.resize(1200, 760)
    english.show()
    english.try_sample()
    settle(english)
    english.grab().save(str(OUT / "result-en.png"))
    english.close()
    print("wrote", ", ".join(p.name for p in sorted(OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
