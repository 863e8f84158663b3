"""Translations: every UI string is translated, the .qm is built and loaded, the window shows
the chosen language, and a missing translation falls back to English instead of failing."""

from __future__ import annotations

import ast
import logging
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from dlscan_gui import i18n_build
from dlscan_gui.core.secrets import SecretStore
from dlscan_gui.core.settings import Settings
from dlscan_gui.ui import i18n

UI_DIR = Path(i18n_build.__file__).parent / "ui"
TS = i18n_build.i18n_dir() / "dlscan_zh_CN.ts"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Where the Chinese UI deliberately leaves a value out: the English name next to a field label.
DROPS_PLACEHOLDER = {("FieldsPanel", "{zh} {en}"): {"{en}"}}


def ui_strings() -> tuple[set[tuple[str, str]], list[str]]:
    """(context, source) of every tr()/translate() call in the UI, and calls whose text is
    not a literal (which no translation tool can extract)."""
    found: set[tuple[str, str]] = set()
    bad: list[str] = []
    for path in sorted(UI_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [None, *[n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]]:
            body = tree if cls is None else cls
            for node in ast.walk(body):
                if not isinstance(node, ast.Call):
                    continue
                name = (node.func.attr if isinstance(node.func, ast.Attribute)
                        else getattr(node.func, "id", ""))
                where = f"{path.name}:{node.lineno}"
                if name == "tr" and cls is not None:
                    args = node.args[:1]
                    context = cls.name
                elif name == "translate" and len(node.args) >= 2:
                    args = node.args[1:2]
                    first = node.args[0]
                    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                        bad.append(where)
                        continue
                    context = first.value
                else:
                    continue
                if not (args and isinstance(args[0], ast.Constant)
                        and isinstance(args[0].value, str)):
                    bad.append(where)
                    continue
                found.add((context, args[0].value))
    return found, bad


def ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


def test_every_ui_string_has_a_finished_chinese_translation():
    strings, not_literal = ui_strings()
    assert not not_literal, f"tr()/translate() with a non-literal text: {not_literal}"
    assert len(strings) > 80  # the parser found the UI's strings, not nothing
    messages = ts_messages(TS)
    problems = []
    for context, source in sorted(strings):
        translation = messages.get((context, source))
        if translation is None:
            problems.append(f"missing from the .ts: {context}: {source!r}")
        elif translation.get("type") in ("unfinished", "obsolete", "vanished") \
                or not (translation.text or "").strip():
            problems.append(f"not translated: {context}: {source!r}")
        elif (set(PLACEHOLDER.findall(source)) - DROPS_PLACEHOLDER.get((context, source), set())
              != set(PLACEHOLDER.findall(translation.text))):
            problems.append(f"placeholders differ: {context}: {source!r}")
        if CJK.search(source):
            problems.append(f"source strings are English: {context}: {source!r}")
    stale = set(messages) - strings
    assert not problems, "\n".join(problems)
    assert not stale, f"in the .ts but no longer in the code (run --update): {stale}"


def test_build_writes_a_qm_that_qt_loads(tmp_path):
    shutil.copy(TS, tmp_path / TS.name)
    written = i18n_build.build(tmp_path)
    assert written == [tmp_path / "dlscan_zh_CN.qm"]
    assert i18n_build.build(tmp_path) == []  # up to date: not rebuilt
    translator = QTranslator()
    assert translator.load(str(written[0]))
    assert translator.translate("MainWindow", "Open") == "打开"


def test_a_missing_translation_starts_in_english_with_a_warning(qapp, ui_language, tmp_path,
                                                                monkeypatch, caplog):
    monkeypatch.setattr(i18n, "resources_dir", lambda: tmp_path)
    with caplog.at_level(logging.WARNING, logger="dlscan_gui.ui.i18n"):
        assert ui_language("zh_CN") == "en"
    assert "dlscan_zh_CN.qm" in caplog.text
    assert QCoreApplication.translate("MainWindow", "Open") == "Open"


def test_an_unknown_language_means_the_default(qapp, ui_language):
    assert ui_language("xx_YY") == "zh_CN"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_window_and_settings_show_the_chosen_language(qtbot, qapp, ui_language, make_window,
                                                          offline_service, language):
    from dlscan_gui.ui.settings_dialog import SettingsDialog

    assert ui_language(language) == language
    window = make_window(offline_service)
    sample = window.findChild(QPushButton, "try-sample").text()
    hint = window.findChild(QLabel, "empty-hint").text()
    label = window.findChild(QLabel, "front.number.label").text()
    dialog = SettingsDialog(Settings(language=language), SecretStore())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.keyring_ready, timeout=10000)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    test = dialog.findChild(QPushButton, "test-connection").text()
    if language == "en":
        assert window.actions["open"].text() == "Open"
        assert sample == "Try a sample (synthetic licence)"
        assert hint.startswith("Drop a licence image here")
        assert label == "证号 Licence No."  # the licence's label, with its English name
        assert window.windowTitle().startswith("dlscan driving licence reader")
        assert (dialog.windowTitle(), test) == ("Settings", "Test connection")
        assert "Save" in save.text()
    else:
        assert window.actions["open"].text() == "打开"
        assert sample == "试试示例（合成驾驶证）"
        assert hint.startswith("把驾驶证图片拖到这里")
        assert label == "证号"
        assert window.windowTitle().startswith("dlscan 驾驶证识别")
        assert (dialog.windowTitle(), test) == ("设置", "测试连接")
        assert "保存" in save.text()  # Qt's own strings follow too
    assert dialog.findChild(type(dialog.engine), "language").currentData() == language
