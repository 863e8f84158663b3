from __future__ import annotations

import pytest

from dlscan_gui.ui.fonts import install_fallback_font


@pytest.fixture(scope="session")
def built_translations():
    from dlscan_gui import i18n_build

    i18n_build.build()


@pytest.fixture(autouse=True)
def default_language(built_translations, qapp):
    """The GUI tests see the default (Chinese) UI, built from the .ts as dev.py does."""
    from dlscan_gui.ui.i18n import DEFAULT_LANGUAGE, set_language

    assert set_language(qapp, DEFAULT_LANGUAGE) == DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@pytest.fixture
def ui_language(qapp, default_language):
    """Switch the UI language for one test (before its widgets are made); restored after."""
    from dlscan_gui.ui.i18n import set_language

    yield lambda language: set_language(qapp, language)
    set_language(qapp, default_language)


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
