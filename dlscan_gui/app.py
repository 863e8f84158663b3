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


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv) if argv is not None else sys.argv
    app = QApplication(args)
    app.setApplicationName("dlscan")
    install_fallback_font(app)
    logsafe.install()
    settings = load_settings()
    set_language(app, settings.language)
    window = MainWindow(RecognitionService(settings))
    window.show()
    open_paths_from_argv(window, args[1:])
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
