"""The GUI entry point (``dlscan``). Until the counter window lands this shows a placeholder
that says which engine is configured and how to use dlscan-cli meanwhile."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from dlscan_gui import __version__
from dlscan_gui.core.engine_config import resolve
from dlscan_gui.core.errors import DlscanError
from dlscan_gui.core.secrets import SecretStore
from dlscan_gui.core.settings import load_settings
from dlscan_gui.ui.fonts import install_fallback_font

APP_TITLE = "dlscan 驾驶证识别"


def engine_summary() -> str:
    try:
        config = resolve(load_settings(), SecretStore())
    except DlscanError as error:
        return error.message_zh
    return {
        "local": "离线识别（本机） / offline engine on this PC",
        "huawei": "华为云OCR / Huawei Cloud OCR",
        "server": f"识别服务器 / recognition server: {config.endpoint}",
    }[str(config.engine)]


def create_main_window() -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle(f"{APP_TITLE} {__version__}")
    label = QLabel(
        "<h2>dlscan 驾驶证识别</h2>"
        "<p>柜台识别窗口正在开发中。目前请使用命令行 <code>dlscan-cli</code>。</p>"
        "<p>The counter window is being built. Meanwhile use <code>dlscan-cli</code>.</p>"
        f"<p>引擎 / engine: {engine_summary()}</p>"
    )
    label.setObjectName("placeholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    window.setCentralWidget(label)
    window.resize(640, 360)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    app = QApplication(list(argv) if argv is not None else sys.argv)
    app.setApplicationName("dlscan")
    install_fallback_font(app)
    window = create_main_window()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
