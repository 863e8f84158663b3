"""The UI language: the source strings are English; Chinese (the default) comes from
``resources/i18n/dlscan_zh_CN.qm`` plus Qt's own translation of its standard buttons. A
missing ``.qm`` never stops the app: it starts in English and logs a warning."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from dlscan_gui.paths import resources_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "zh_CN"
# Each language named in itself, so a clerk finds theirs whichever UI is showing.
LANGUAGES: dict[str, str] = {"zh_CN": "中文（简体）", "en": "English"}

_installed: list[QTranslator] = []  # kept referenced: Qt does not own them


def normalize(language: str) -> str:
    if language in LANGUAGES:
        return language
    log.warning("unknown UI language %r; using %s", language, DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def set_language(app: QCoreApplication, language: str) -> str:
    """Install the translators for ``language`` (replacing earlier ones); returns the language
    actually in effect (the source language when the translation is missing)."""
    language = normalize(language)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == SOURCE_LANGUAGE:
        return language
    ours = QTranslator(app)
    path = resources_dir() / "i18n" / f"dlscan_{language}.qm"
    if not ours.load(str(path)):
        log.warning("UI translation %s not found or unreadable; showing English", path)
        return SOURCE_LANGUAGE
    qt = QTranslator(app)  # Qt's own strings: Save, Cancel, context menus
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    return language
