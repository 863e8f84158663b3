"""Start-up: the keyring is read in the background, so a slow one does not hold the window
back; the status bar shows the engine once it is known."""

from __future__ import annotations

import threading
import time

import keyring
from keyring.backend import KeyringBackend

from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings, save_settings

DELAY = 2.0


class SlowKeyring(KeyringBackend):
    """A keyring that takes its time (a locked or remote store), and says on which thread."""

    priority = 1

    def __init__(self, secrets: dict[str, str]) -> None:
        super().__init__()
        self.secrets = secrets
        self.threads: list[str] = []

    def get_password(self, service, username):
        self.threads.append(threading.current_thread().name)
        time.sleep(DELAY)
        return self.secrets.get(username)

    def set_password(self, service, username, password):
        self.secrets[username] = password

    def delete_password(self, service, username):
        self.secrets.pop(username, None)


def test_a_slow_keyring_does_not_delay_the_window(qtbot, qapp):
    from dlscan_gui.app import build_window

    save_settings(Settings(engine=EngineChoice.SERVER, endpoint="http://127.0.0.1:9",
                           auth_mode=AuthMode.TOKEN))
    backend = SlowKeyring({"token": "tok"})
    keyring.set_keyring(backend)
    started = time.monotonic()
    window = build_window(qapp)  # exactly what app.main() shows
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert time.monotonic() - started < DELAY / 2
    assert "正在读取" in window.status_engine.text()
    qtbot.waitUntil(lambda: "127.0.0.1:9" in window.status_engine.text(), timeout=10000)
    assert window.service.engine is EngineChoice.SERVER
    assert backend.threads and threading.main_thread().name not in backend.threads


def test_the_recognizer_resolves_the_engine_first_when_needed(qtbot, qapp):
    from dlscan_gui.ui.recognition import RecognitionService

    save_settings(Settings(engine=EngineChoice.SERVER, endpoint="http://127.0.0.1:9",
                           auth_mode=AuthMode.TOKEN))
    keyring.set_keyring(SlowKeyring({"token": "tok"}))
    service = RecognitionService()
    assert not service.resolved
    recognizer = service.recognizer()  # resolves first, once
    assert service.resolved and service.engine is EngineChoice.SERVER
    assert service.recognizer() is recognizer


def test_an_engine_that_cannot_be_set_up_is_said_in_the_status_bar(qtbot, qapp, monkeypatch):
    from dlscan_gui.ui.main_window import MainWindow
    from dlscan_gui.ui.recognition import RecognitionService

    def broken(self):
        raise RuntimeError("keyring daemon crashed")

    monkeypatch.setattr(RecognitionService, "resolve_engine", broken)
    window = MainWindow(RecognitionService(Settings()))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "不可用" in window.status_engine.text(), timeout=10000)
    assert "RuntimeError" in window.status_engine.text()
    assert "crashed" not in window.status_engine.text()  # the type only, never the detail


def test_the_window_has_the_app_icon_and_desktop_name(qtbot, qapp):
    from dlscan_gui.app import build_window

    window = build_window(qapp)
    qtbot.addWidget(window)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    # Every shipped size is there, so the taskbar and Alt+Tab get a sharp one.
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert not window.windowIcon().isNull()
    assert qapp.desktopFileName() == "dlscan"
