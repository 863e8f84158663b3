"""The settings dialog: values to settings.json, secrets to a real keyring, masked; and the
connection test against a server on 127.0.0.1."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QLineEdit, QPushButton

from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings, load_settings, settings_path
from dlscan_gui.ui.settings_dialog import SettingsDialog


def dialog_for(qtbot, settings=None):
    dialog = SettingsDialog(settings or Settings(), SecretStore())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.keyring_ready, timeout=10000)
    return dialog


def choose(dialog, name, value):
    box = dialog.findChild(QComboBox, name)
    box.setCurrentIndex(box.findData(str(value)))


def type_into(qtbot, dialog, name, text):
    edit = dialog.findChild(QLineEdit, name)
    edit.clear()
    qtbot.keyClicks(edit, text)


def save(qtbot, dialog):
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_saves_settings_and_secrets_and_reads_them_back_masked(qtbot, secure_keyring,
                                                               tmp_path):
    dialog = dialog_for(qtbot)
    choose(dialog, "engine", EngineChoice.HUAWEI)
    choose(dialog, "auth_mode", AuthMode.AKSK)
    type_into(qtbot, dialog, "project_id", "proj-42")
    type_into(qtbot, dialog, "access_key", "AKVALUE")
    type_into(qtbot, dialog, "secret_key", "SKVALUE")
    from PySide6.QtWidgets import QCheckBox

    cameras = dialog.findChild(QComboBox, "camera_index")
    cameras.setCurrentIndex(cameras.findData(2))
    dialog.findChild(QCheckBox, "auto_capture").setChecked(False)
    choose(dialog, "language", "en")
    save(qtbot, dialog)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = load_settings()
    assert (saved.engine, saved.auth_mode, saved.project_id) == (
        EngineChoice.HUAWEI, AuthMode.AKSK, "proj-42")
    assert (saved.camera_index, saved.auto_capture, saved.language) == (2, False, "en")
    assert SecretStore().get(SecretName.SECRET_KEY) == "SKVALUE"
    assert "SKVALUE" not in settings_path().read_text(encoding="utf-8")
    again = dialog_for(qtbot, saved)
    sk = again.findChild(QLineEdit, "secret_key")
    assert sk.text() == "" and sk.placeholderText() == again.stored_placeholder()
    assert "已保存" in sk.placeholderText()
    assert sk.echoMode() == QLineEdit.EchoMode.Password
    assert "CryptFileKeyring" in again.findChild(QLabel, "keyring-status").text()


def test_cameras_are_listed_by_name_and_the_saved_one_is_kept(qtbot, monkeypatch):
    from dlscan_gui.core.cameras import CameraDevice
    from dlscan_gui.ui import settings_dialog

    monkeypatch.setattr(settings_dialog, "list_cameras", lambda: [
        CameraDevice(0, "Integrated Camera"), CameraDevice(2, "USB 文档摄像头")])
    dialog = dialog_for(qtbot, Settings(camera_index=4))  # saved, but not plugged in now
    box = dialog.findChild(QComboBox, "camera_index")
    assert [box.itemText(i) for i in range(box.count())] == [
        "0：Integrated Camera", "2：USB 文档摄像头", "摄像头 4"]
    assert box.currentData() == 4
    box.setCurrentIndex(1)
    assert dialog.chosen_settings().camera_index == 2

    monkeypatch.setattr(settings_dialog, "list_cameras", list)  # the OS names none
    unnamed = dialog_for(qtbot, Settings(camera_index=1))
    box = unnamed.findChild(QComboBox, "camera_index")
    assert box.count() == 10 and box.currentText() == "摄像头 1"


def test_insecure_keyring_keeps_the_dialog_open_and_says_why(qtbot, plaintext_keyring):
    dialog = dialog_for(qtbot)
    choose(dialog, "auth_mode", AuthMode.TOKEN)
    type_into(qtbot, dialog, "token", "tok")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert "明文" in dialog.findChild(QLabel, "keyring-status").text()
    assert "安全" in dialog.findChild(QLabel, "test-result").text()
    assert not settings_path().exists()


def test_connection_test_reports_success_and_the_exact_failure(qtbot, fake_huawei):
    fake_huawei.static_tokens.add("good-token")
    dialog = dialog_for(qtbot)
    choose(dialog, "engine", EngineChoice.SERVER)
    choose(dialog, "auth_mode", AuthMode.TOKEN)
    type_into(qtbot, dialog, "endpoint", fake_huawei.url)
    type_into(qtbot, dialog, "project_id", fake_huawei.project_id)
    type_into(qtbot, dialog, "token", "good-token")
    result = dialog.findChild(QLabel, "test-result")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test-connection"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接正常" in result.text(), timeout=20000)

    type_into(qtbot, dialog, "token", "wrong-token")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test-connection"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "[" in result.text() and "正在" not in result.text(), timeout=20000)
    assert "连接正常" not in result.text()
    assert any(code in result.text() for code in ("APIG.0301", "ModelArts", "DLSCAN.AUTH"))


def test_window_applies_saved_settings(qtbot, make_window, offline_service, monkeypatch,
                                       secure_keyring):
    window = make_window(offline_service)
    window.apply_settings(Settings(engine=EngineChoice.SERVER, endpoint="http://127.0.0.1:9"))
    qtbot.waitUntil(lambda: "127.0.0.1:9" in window.status_engine.text(), timeout=10000)
    assert window.service.settings.endpoint == "http://127.0.0.1:9"
    assert not window.banner.isVisible()  # same language: nothing to restart for
    window.apply_settings(Settings(engine=EngineChoice.SERVER, endpoint="http://127.0.0.1:9",
                                   language="en"))
    assert "重新启动" in window.banner.text() and "restarted" in window.banner.text()


def test_a_slow_keyring_does_not_hold_up_the_dialog(qtbot):
    """The keyring is read in the background: the dialog opens at once and shows what it
    found when the store answers (a locked Secret Service can take seconds)."""
    import threading
    import time

    release = threading.Event()
    readers: list[str] = []

    class SlowStore(SecretStore):
        def status(self):
            readers.append(threading.current_thread().name)
            release.wait(10)
            return super().status()

        def get(self, name):
            return "stored" if name is SecretName.TOKEN else None

    started = time.monotonic()
    dialog = SettingsDialog(Settings(), SlowStore())
    qtbot.addWidget(dialog)
    dialog.show()
    assert time.monotonic() - started < 2
    assert "正在读取" in dialog.findChild(QLabel, "keyring-status").text()
    assert not dialog.keyring_ready
    release.set()
    qtbot.waitUntil(lambda: dialog.keyring_ready, timeout=10000)
    assert readers and readers[0] != threading.main_thread().name
    token = dialog.findChild(QLineEdit, "token")
    assert token.placeholderText() == dialog.stored_placeholder()
    assert dialog.findChild(QLineEdit, "secret_key").placeholderText() != (
        dialog.stored_placeholder())
