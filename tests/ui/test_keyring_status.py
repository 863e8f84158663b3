"""A frozen build that lost its keyring backends must not fail silently: the settings dialog
says there is no secure store, and the log names the backend (never a secret), written from
the engine set-up's worker, not the GUI thread."""

from __future__ import annotations

import logging
import threading

from PySide6.QtWidgets import QLabel

from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings
from dlscan_gui.ui.settings_dialog import SettingsDialog

SECRET = "tok-do-not-log-4711"
SERVER = Settings(engine=EngineChoice.SERVER, endpoint="http://127.0.0.1:9",
                  auth_mode=AuthMode.TOKEN)


def test_no_secure_store_is_said_in_the_settings_dialog(qtbot):
    # The session's default keyring is keyring's fail backend: what a broken bundle gets.
    dialog = SettingsDialog(Settings(), SecretStore())
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.keyring_ready, timeout=10000)
    text = dialog.findChild(QLabel, "keyring-status").text()
    assert "没有可用的安全密码存储" in text and "No secure password store" in text
    assert text.index("没有") < text.index("No secure")


def test_the_keyring_backend_is_logged_from_the_worker(qtbot, make_window, caplog,
                                                        secure_keyring):
    from dlscan_gui.ui.recognition import RecognitionService

    SecretStore().set(SecretName.TOKEN, SECRET)
    caplog.set_level(logging.INFO)
    window = make_window(RecognitionService(SERVER))
    qtbot.waitUntil(lambda: "127.0.0.1:9" in window.status_engine.text(), timeout=10000)
    records = [r for r in caplog.records if "keyring backend" in r.getMessage()]
    assert len(records) == 1
    message = records[0].getMessage()
    assert "CryptFileKeyring" in message and "(secure)" in message and "engine server" in message
    assert records[0].threadName != threading.main_thread().name
    assert SECRET not in caplog.text


def test_an_insecure_backend_is_logged_as_such(qtbot, make_window, caplog, plaintext_keyring):
    from dlscan_gui.ui.recognition import RecognitionService

    caplog.set_level(logging.INFO)
    window = make_window(RecognitionService(SERVER))
    qtbot.waitUntil(lambda: "127.0.0.1:9" in window.status_engine.text(), timeout=10000)
    message = next(r.getMessage() for r in caplog.records if "keyring backend" in r.getMessage())
    assert "PlaintextKeyring" in message and "not secure" in message
