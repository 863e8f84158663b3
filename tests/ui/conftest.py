from __future__ import annotations

import pytest

from dlscan_gui.ui.fonts import install_fallback_font


@pytest.fixture(scope="session")
def offline_service():
    """One offline engine for all GUI tests (loading models once)."""
    from dlscan_gui.core.settings import Settings
    from dlscan_gui.engines.local.engine import LocalRecognizer
    from dlscan_gui.ui.recognition import RecognitionService

    engine = LocalRecognizer()
    engine.warm_up()
    return RecognitionService(Settings(), recognizer=engine)


@pytest.fixture
def make_window(qtbot, qapp):
    install_fallback_font(qapp)

    def make(service):
        from dlscan_gui.ui.main_window import MainWindow

        window = MainWindow(service)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make
