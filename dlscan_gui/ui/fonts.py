"""Make Chinese text render on machines without a CJK font: register the bundled Noto Sans SC
subset as a fallback after the system's own UI font."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dlscan_gui.paths import resources_dir

log = logging.getLogger(__name__)


def install_fallback_font(app: QApplication) -> str | None:
    """Register the bundled font; returns its family name, or None if it is missing."""
    path = resources_dir() / "fonts" / "NotoSansSC-Regular-GB2312.otf"
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.warning("bundled CJK font not found or unreadable: %s", path)
        return None
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(app.font())
    # The system font first (Microsoft YaHei etc. where present), ours for what it lacks.
    font.setFamilies([*font.families(), family])
    app.setFont(font)
    return family
