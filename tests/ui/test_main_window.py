"""The counter window, driven like a clerk would: open, recognize, edit, copy, clear."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QToolBar

from dlscan_gui.core.schema import Side
from dlscan_gui.paths import resources_dir
from dlscan_gui.ui.fields_panel import BADGE_ERROR, BADGE_OK
from dlscan_gui.ui.fonts import install_fallback_font

SAMPLES = resources_dir() / "samples"


def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))["truth"]


def edit(window, side: str, key: str) -> QLineEdit:
    return window.findChild(QLineEdit, f"{side}.{key}")


def badge(window, side: str, key: str) -> str:
    return window.findChild(QLabel, f"{side}.{key}.badge").text()


def wait_idle(qtbot, window, timeout=60000):
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=timeout)


def open_sample(qtbot, window, name: str) -> None:
    """Open a bundled sample and wait until its number has been read and all work is done."""
    side = "back" if "back" in name else "front"
    window.open_files([str(SAMPLES / f"{name}.jpg")])
    qtbot.waitUntil(lambda: edit(window, side, "number").text() != "", timeout=60000)
    wait_idle(qtbot, window)


def test_bundled_font_is_installed(qapp):
    family = install_fallback_font(qapp)
    assert family is not None and QFontDatabase.hasFamily(family)
    assert family in QApplication.font().families()


def test_empty_state_then_try_a_sample_fills_both_pages(qtbot, make_window, offline_service,
                                                        tmp_path):
    window = make_window(offline_service)
    assert window.left.currentWidget() is window.empty
    assert "Ctrl+O" in window.findChild(QLabel, "empty-hint").text()
    window.grab().save(str(tmp_path / "screenshot-empty.png"))

    qtbot.mouseClick(window.findChild(QPushButton, "try-sample"), Qt.MouseButton.LeftButton)
    expected = truth("synthetic-double-side")
    qtbot.waitUntil(lambda: edit(window, "back", "file_number").text() != "", timeout=60000)
    wait_idle(qtbot, window)
    assert window.left.currentWidget() is window.view
    assert edit(window, "front", "number").text() == expected["front"]["number"]
    assert edit(window, "back", "file_number").text() == expected["back"]["file_number"]
    assert badge(window, "front", "number") == BADGE_OK
    assert window.status_engine.text() == "离线识别（本机，不上传）"
    window.grab().save(str(tmp_path / "screenshot-result.png"))


def test_editing_a_field_revalidates_and_marks_it(qtbot, make_window, offline_service):
    window = make_window(offline_service)
    open_sample(qtbot, window, "synthetic-front")
    number = edit(window, "front", "number")
    assert badge(window, "front", "number") == BADGE_OK
    original = number.text()
    number.selectAll()
    wrong_digit = "0" if original[-1] != "0" else "1"
    qtbot.keyClicks(number, original[:-1] + wrong_digit)
    assert badge(window, "front", "number") == BADGE_ERROR
    assert "校验" in window.findChild(QLabel, "front.number.badge").toolTip()
    row = window.fields.rows[(Side.FRONT, "number")]
    assert row.edited and "✎" in row.label.text()


def test_copy_all_puts_labelled_text_and_json_on_the_clipboard(qtbot, make_window,
                                                               offline_service):
    window = make_window(offline_service)
    open_sample(qtbot, window, "synthetic-back")
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    mime = QApplication.clipboard().mimeData()
    expected = truth("synthetic-back")
    assert f"档案编号: {expected['file_number']}" in mime.text()
    record = json.loads(bytes(mime.data("application/json")).decode("utf-8"))
    assert record["result"]["back"]["file_number"] == expected["file_number"]


def test_new_customer_wipes_everything(qtbot, make_window, offline_service):
    window = make_window(offline_service)
    open_sample(qtbot, window, "synthetic-back")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert all(not row.edit.text() for row in window.fields.rows.values())
    assert window.current is None and not window.view.has_image
    assert window.left.currentWidget() is window.empty


def test_unreadable_file_shows_a_message_and_keeps_the_fields(qtbot, make_window,
                                                              offline_service, tmp_path):
    window = make_window(offline_service)
    edit(window, "front", "name").setText("王五")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not an image")
    window.open_files([str(bad)])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    assert "DLSCAN.IMAGE_FORMAT" in window.banner.text()
    assert "JPEG" in window.banner.text()
    assert edit(window, "front", "name").text() == "王五"
    window.grab().save(str(tmp_path / "screenshot-error.png"))


def test_export_csv_appends_and_json_writes_the_record(qtbot, make_window, offline_service,
                                                       tmp_path, monkeypatch):
    import csv
    import io

    from PySide6.QtWidgets import QFileDialog

    window = make_window(offline_service)
    open_sample(qtbot, window, "synthetic-back")
    target = tmp_path / "counter-export.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "CSV (*.csv)")))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[0]["file_number"] == truth("synthetic-back")["file_number"]
    as_json = tmp_path / "record.json"
    window.export_to(as_json, json_format=True)
    record = json.loads(as_json.read_text(encoding="utf-8"))
    assert record["result"]["back"]["number"] == truth("synthetic-back")["number"]


def test_double_click_on_a_label_copies_that_field(qtbot, make_window, offline_service):
    window = make_window(offline_service)
    edit(window, "front", "name").setText("王五")
    label = window.findChild(QLabel, "front.name.label")
    qtbot.mouseDClick(label, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "王五"


def test_precheck_warnings_wait_for_recognize_anyway(qtbot, make_window, offline_service,
                                                     tmp_path):
    from PySide6.QtWidgets import QPushButton

    from dlscan_gui.core.imaging import load_image
    from dlscan_gui.core.precheck import precheck
    from tests.synthetic.licence import make_sample

    generated = next(s for s in (make_sample(60000 + i, side="front", level="moderate")
                                 for i in range(40))
                     if precheck(load_image(s.jpeg)).warnings)
    path = tmp_path / "synthetic-warned.jpg"
    path.write_bytes(generated.jpeg)
    window = make_window(offline_service)
    window.open_files([str(path)])
    anyway = window.findChild(QPushButton, "recognize-anyway")
    qtbot.waitUntil(anyway.isVisible, timeout=30000)
    assert window.banner.isVisible() and " / " in window.banner.text()
    assert edit(window, "front", "number").text() == ""  # nothing sent or read yet
    qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit(window, "front", "name").text() != "", timeout=60000)
    assert not anyway.isVisible()


def test_too_small_image_is_blocked_by_precheck(qtbot, make_window, offline_service, tmp_path):
    import cv2
    import numpy as np

    path = tmp_path / "synthetic-tiny.png"
    cv2.imwrite(str(path), np.full((60, 80, 3), 200, np.uint8))
    window = make_window(offline_service)
    window.open_files([str(path)])
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert "100" in window.banner.text()
    wait_idle(qtbot, window)
    assert all(not row.edit.text() for row in window.fields.rows.values())


def test_dropping_files_reads_them_into_one_record(qtbot, make_window, offline_service):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    window = make_window(offline_service)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SAMPLES / "synthetic-front.jpg")),
                  QUrl.fromLocalFile(str(SAMPLES / "synthetic-back.jpg"))])
    point = QPoint(100, 100)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(point.toPointF(), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: edit(window, "back", "file_number").text() != ""
                    and edit(window, "front", "class").text() != "", timeout=90000)
    assert edit(window, "front", "number").text() == truth("synthetic-front")["number"]
    assert edit(window, "back", "file_number").text() == truth("synthetic-back")["file_number"]


def test_pasting_an_image_reads_it(qtbot, make_window, offline_service):
    from PySide6.QtGui import QImage

    window = make_window(offline_service)
    QApplication.clipboard().setImage(QImage(str(SAMPLES / "synthetic-back.jpg")))
    field = edit(window, "front", "name")
    field.setFocus()  # even from inside a field: an image is not text for it
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: edit(window, "back", "number").text() != "", timeout=60000)
    assert edit(window, "back", "number").text() == truth("synthetic-back")["number"]


def test_paste_without_an_image_says_so(qtbot, make_window, offline_service):
    window = make_window(offline_service)
    QApplication.clipboard().setText("just text")
    window.paste()
    assert "剪贴板" in window.banner.text()


def test_focusing_a_field_outlines_it_on_the_image(qtbot, make_window, offline_service):
    window = make_window(offline_service)
    open_sample(qtbot, window, "synthetic-front")
    number = edit(window, "front", "number")
    assert window.view._field is None
    number.setFocus()
    qtbot.waitUntil(lambda: window.view._field is not None, timeout=5000)
    box = window.view._field.polygon().boundingRect()
    quad = window.last_result.text_location["number"]
    assert abs(box.left() - min(x for x, _ in quad)) < 2


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_at_1200_px_the_whole_toolbar_shows(qtbot, make_window, offline_service, ui_language,
                                            language):
    """Nothing, the URL field least of all, hides behind the toolbar's » overflow menu."""
    assert ui_language(language) == language
    window = make_window(offline_service)
    window.resize(1200, 800)
    qtbot.waitUntil(lambda: window.width() == 1200)
    toolbar = window.findChild(QToolBar)
    qtbot.waitUntil(lambda: window.url_edit.isVisible())
    for widget in (window.side_box, window.url_edit):
        assert widget.isVisible()
        assert widget.geometry().right() < toolbar.width()
        assert widget.width() >= widget.minimumWidth()
    for action in toolbar.actions():
        if not action.isSeparator():
            button = toolbar.widgetForAction(action)
            assert button is not None and button.isVisible(), action.text()


@pytest.mark.parametrize(("seed", "why"), [(90010, "几次识读一致"), (93041, "住址所在城市")])
def test_a_seal_read_with_doubt_is_marked_for_checking(qtbot, make_window, offline_service,
                                                        tmp_path, seed, why):
    from dlscan_gui.ui.fields_panel import BADGE_WARNING
    from tests.synthetic.licence import make_sample

    # Hard photos (test_seal.py): 90010, a blurred square seal the engine's looks agree on;
    # 93041, one too blurred for that whose likeliest city is the one its address names.
    generated = make_sample(seed, side="front", level="hard")
    path = tmp_path / "synthetic-blurred-seal.jpg"
    path.write_bytes(generated.jpeg)
    window = make_window(offline_service)
    window.side_box.setCurrentIndex(1)  # front
    window.open_files([str(path)])
    anyway = window.findChild(QPushButton, "recognize-anyway")
    qtbot.waitUntil(lambda: anyway.isVisible() or edit(window, "front", "name").text() != "",
                    timeout=30000)
    if anyway.isVisible():  # the pre-check asks for a retake of a blurred photo first
        qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)
    authority = edit(window, "front", "issuing_authority")
    qtbot.waitUntil(lambda: authority.text() != "", timeout=60000)
    assert authority.text() == generated.truth["issuing_authority"]
    marker = window.findChild(QLabel, "front.issuing_authority.badge")
    assert marker.text() == BADGE_WARNING
    assert "印章模糊" in marker.toolTip() and "seal is blurred" in marker.toolTip()
    assert why in marker.toolTip()
    window.grab().save(str(tmp_path / f"screenshot-seal-warning-{seed}.png"))
