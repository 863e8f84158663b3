from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel

from dlscan_gui.app import create_main_window
from dlscan_gui.ui.fonts import install_fallback_font


def test_bundled_font_covers_the_ui_text(qapp):
    family = install_fallback_font(qapp)
    assert family is not None
    assert QFontDatabase.hasFamily(family)
    assert family in QApplication.font().families()


def test_placeholder_window_starts_and_names_the_engine(qtbot, qapp, tmp_path):
    install_fallback_font(qapp)
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    label = window.findChild(QLabel, "placeholder")
    assert "dlscan-cli" in label.text()
    # No credentials in the test environment: the window says the offline engine is in use.
    assert "离线" in label.text()
    assert window.windowTitle().startswith("dlscan")
    shot = tmp_path / "screenshot-placeholder.png"
    assert window.grab().save(str(shot))
