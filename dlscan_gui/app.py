"""The GUI entry point (``dlscan [FILE...]``): the counter window, with files given on the
command line opened at once (so "Open with dlscan" works)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from dlscan_gui.core import logsafe
from dlscan_gui.core.settings import load_settings
from dlscan_gui.ui.fonts import install_fallback_font
from dlscan_gui.ui.i18n import set_language
from dlscan_gui.ui.main_window import MainWindow, open_paths_from_argv
from dlscan_gui.ui.recognition import RecognitionService


def build_window(app: QApplication) -> MainWindow:
    """Everything before the window shows: quick steps only (the engine's keyring look-up and
    model warm-up run in the background once the window is up)."""
    app.setApplicationName("dlscan")
    install_fallback_font(app)
    logsafe.install()
    settings = load_settings()
    set_language(app, settings.language)
    return MainWindow(RecognitionService(settings))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv) if argv is not None else sys.argv
    app = QApplication(args)
    window = build_window(app)
    window.show()
    open_paths_from_argv(window, args[1:])
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
