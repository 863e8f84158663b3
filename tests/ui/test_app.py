from __future__ import annotations

from PySide6.QtWidgets import QLabel

from dlscan_gui.app import create_main_window


def test_placeholder_window_starts_and_names_the_engine(qtbot, tmp_path):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    label = window.findChild(QLabel, "placeholder")
    assert "dlscan-cli" in label.text()
    # No credentials in the test environment: the window says the offline engine is in use.
    assert "离线" in label.text()
    assert window.windowTitle().startswith("dlscan")
    window.grab().save(str(tmp_path / "placeholder.png"))
    assert (tmp_path / "placeholder.png").stat().st_size > 0
