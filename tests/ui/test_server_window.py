"""The window and its own client against ``dlscan-cli serve`` on 127.0.0.1: the clerk sets the
engine to the server's URL and the token (kept in the keyring), opens a licence, and reads the
same fields the offline engine gives in-process."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings
from dlscan_gui.engines.server.pool import RecognizerPool
from dlscan_gui.engines.server.serve import ServeConfig
from dlscan_gui.paths import resources_dir
from dlscan_gui.ui.recognition import RecognitionService
from tests.engines.server.conftest import running

SAMPLES = resources_dir() / "samples"
TOKEN = "office-server-token-0001"


@pytest.fixture(scope="module")
def office_server(local_engine):
    with running(RecognizerPool([local_engine]), ServeConfig(port=0, token=TOKEN)) as base:
        yield base


@pytest.mark.parametrize("sample, page", [("synthetic-front.jpg", "front"),
                                          ("synthetic-double-side.jpg", "back"),
                                          ("synthetic-back.jpg", "back")])
def test_the_window_reads_a_licence_through_the_server(qtbot, make_window, office_server,
                                                      secure_keyring, local_engine, sample,
                                                      page, tmp_path):
    SecretStore().set(SecretName.TOKEN, TOKEN)
    service = RecognitionService(Settings(engine=EngineChoice.SERVER, endpoint=office_server,
                                          auth_mode=AuthMode.TOKEN))
    window = make_window(service)
    window.open_files([str(SAMPLES / sample)])
    expected = local_engine.recognize(load_image(SAMPLES / sample), side=Side.AUTO)
    expected_page = expected.back if expected.back is not None else expected
    number = window.findChild(QLineEdit, f"{page}.number")
    qtbot.waitUntil(lambda: number.text() != "" or window.banner.isVisible(), timeout=30000)
    assert not window.banner.isVisible(), window.banner.text()
    for key in ("number", "name"):
        shown = window.findChild(QLineEdit, f"{page}.{key}").text()
        assert shown == expected_page.fields[key]
    assert service.engine is EngineChoice.SERVER
    window.grab().save(str(tmp_path / f"screenshot-server-{page}.png"))
    window.tasks.wait(5000)


def test_settings_dialog_connects_to_the_server(qtbot, office_server, tmp_path):
    """What IT does at each counter: pick the server, paste its URL and token, test."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QPushButton

    from tests.ui.test_settings_dialog import choose, dialog_for, type_into

    dialog = dialog_for(qtbot)
    choose(dialog, "engine", EngineChoice.SERVER)
    choose(dialog, "auth_mode", AuthMode.TOKEN)
    type_into(qtbot, dialog, "endpoint", office_server)
    type_into(qtbot, dialog, "token", TOKEN)
    result = dialog.findChild(QLabel, "test-result")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test-connection"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接正常" in result.text(), timeout=30000)
    dialog.grab().save(str(tmp_path / "screenshot-settings-server.png"))

    type_into(qtbot, dialog, "token", "not-the-server-token")
    qtbot.mouseClick(dialog.findChild(QPushButton, "test-connection"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ModelArts.4103" in result.text(), timeout=30000)
    assert "连接正常" not in result.text()
