"""The window against a Huawei-compatible server on 127.0.0.1: results, errors, cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from dlscan_gui.core.settings import Settings
from dlscan_gui.engines.huawei import HuaweiConfig, HuaweiRecognizer
from dlscan_gui.engines.huawei_auth import TokenAuth
from dlscan_gui.paths import resources_dir
from dlscan_gui.ui.recognition import RecognitionService
from tests.fake_huawei import DEFAULT_FRONT, Scripted

SAMPLE = str(resources_dir() / "samples" / "synthetic-front.jpg")


def service_for(fake, read_timeout=30.0):
    fake.static_tokens.add("tok")
    config = HuaweiConfig(project_id=fake.project_id, endpoint=fake.url,
                          read_timeout=read_timeout, max_attempts=1)
    return RecognitionService(Settings(), recognizer=HuaweiRecognizer(config, TokenAuth("tok")))


def test_result_from_the_server_fills_the_form(qtbot, make_window, fake_huawei):
    window = make_window(service_for(fake_huawei))
    window.side_box.setCurrentIndex(1)  # front
    window.open_files([SAMPLE])
    number = window.findChild(QLineEdit, "front.number")
    qtbot.waitUntil(lambda: number.text() != "", timeout=20000)
    assert number.text() == DEFAULT_FRONT["number"]
    assert fake_huawei.ocr_requests[-1].data["side"] == "front"


def test_server_error_is_a_message_not_a_traceback(qtbot, make_window, fake_huawei):
    fake_huawei.script(Scripted.error("ModelArts.4204"))
    window = make_window(service_for(fake_huawei))
    window.fields.rows[next(iter(window.fields.rows))].edit.setText("kept")
    window.open_files([SAMPLE])
    qtbot.waitUntil(lambda: window.banner.isVisible() and "4204" in window.banner.text(),
                    timeout=20000)
    assert "未开通" in window.banner.text()
    assert "kept" in [row.edit.text() for row in window.fields.rows.values()]


def test_cancel_drops_a_slow_result(qtbot, make_window, fake_huawei):
    fake_huawei.script(Scripted(json={"result": {"number": "slow"}}, delay=1.5))
    window = make_window(service_for(fake_huawei))
    window.open_files([SAMPLE])
    qtbot.waitUntil(lambda: len(fake_huawei.ocr_requests) == 1, timeout=20000)
    assert window.actions["cancel"].isEnabled()
    window.actions["cancel"].trigger()
    assert not window.tasks.busy
    qtbot.wait(2000)  # the slow answer arrives after the cancel...
    number = window.findChild(QLineEdit, "front.number")
    assert number.text() == ""  # ...and is dropped
    window.tasks.wait(5000)


def test_url_mode_sends_the_url_not_an_image(qtbot, make_window, fake_huawei):
    from PySide6.QtCore import Qt

    window = make_window(service_for(fake_huawei))
    url_edit = window.findChild(QLineEdit, "image-url")
    qtbot.keyClicks(url_edit, "https://bucket.example/synthetic-licence.jpg")
    qtbot.keyClick(url_edit, Qt.Key.Key_Return)
    number = window.findChild(QLineEdit, "front.number")
    qtbot.waitUntil(lambda: number.text() != "", timeout=20000)
    sent = fake_huawei.ocr_requests[-1].data
    assert sent["url"] == "https://bucket.example/synthetic-licence.jpg" and "image" not in sent


def test_url_mode_with_the_offline_engine_says_why_not(qtbot, make_window, offline_service):
    from PySide6.QtCore import Qt

    window = make_window(offline_service)
    url_edit = window.findChild(QLineEdit, "image-url")
    qtbot.keyClicks(url_edit, "https://bucket.example/a.jpg")
    qtbot.keyClick(url_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=20000)
    assert "AIS.0101" in window.banner.text()


def test_an_engine_warning_marks_its_field_until_the_clerk_edits_it(qtbot, make_window,
                                                                   fake_huawei):
    from PySide6.QtWidgets import QLabel

    from dlscan_gui.engines.local.glare import warning
    from dlscan_gui.ui.fields_panel import BADGE_OK, BADGE_WARNING

    result = dict(DEFAULT_FRONT, warnings=[warning("name").to_json()])
    fake_huawei.script(Scripted(json={"result": result}))
    window = make_window(service_for(fake_huawei))
    window.side_box.setCurrentIndex(1)  # front
    window.open_files([SAMPLE])
    name = window.findChild(QLineEdit, "front.name")
    qtbot.waitUntil(lambda: name.text() != "", timeout=20000)
    name_badge = window.findChild(QLabel, "front.name.badge")
    assert name_badge.text() == BADGE_WARNING
    assert "反光" in name_badge.toolTip()
    assert "反光" not in window.findChild(QLabel, "front.number.badge").toolTip()
    name.selectAll()
    name.insert("李四")  # the clerk corrected it from the card (QTest types ASCII only)
    assert name_badge.text() == BADGE_OK, name_badge.toolTip()
