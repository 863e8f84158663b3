"""One dlscan per user: a second launch hands its files to the running window, which comes to
the front; a socket left by a crashed instance does not lock dlscan out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from dlscan_gui import app
from dlscan_gui.paths import resources_dir
from dlscan_gui.single_instance import (
    ACK,
    InstanceServer,
    decode,
    encode,
    hand_off,
    server_name,
)

# The offscreen platform cannot raise a window; the state change is what the tests check.
cannot_raise = pytest.mark.qt_log_ignore("This plugin does not support raise", extend=True)

SAMPLES = resources_dir() / "samples"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(qapp):
    instance = InstanceServer(server_name())
    assert instance.listen()
    yield instance
    instance.close()


@pytest.fixture
def window(make_window, offline_service, server):
    """A running instance: its window, wired to the server as app.main does."""
    shown = make_window(offline_service)
    server.activated.connect(partial(app._activated, shown))
    return shown


def child_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)  # the same DLSCAN_CONFIG_DIR, hence the same server name
    env.update(QT_QPA_PLATFORM="offscreen", DLSCAN_LOG_DIR=str(tmp_path / "logs"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


def test_the_name_is_per_user_and_per_settings_directory(monkeypatch, tmp_path):
    name = server_name()
    assert name == server_name() and name.startswith("dlscan-")
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "another-clerk")
    other_user = server_name()
    assert other_user != name
    monkeypatch.setenv("DLSCAN_CONFIG_DIR", str(tmp_path / "portable"))
    assert server_name() not in (name, other_user)


@cannot_raise
def test_a_message_opens_the_paths_and_raises_the_minimized_window(qtbot, window, server):
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    client = QLocalSocket()
    client.connectToServer(server.name)
    assert client.waitForConnected(2000)
    sample = str(SAMPLES / "synthetic-back.jpg")
    with qtbot.waitSignal(server.activated, timeout=5000) as received:
        client.write(QByteArray(encode([sample])))
        client.flush()
    assert received.args == [[sample]]
    qtbot.waitUntil(lambda: client.bytesAvailable() > 0 or client.waitForReadyRead(10))
    assert client.readAll().data() == ACK
    assert not window.isMinimized() and window.isVisible()
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    assert window.current.image.name == "synthetic-back.jpg"
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=60000)


def test_a_malformed_message_opens_nothing():
    assert decode(b"not json") == []
    assert decode(b'["a"]') == []
    assert decode(b'{"paths": "a"}') == []
    assert decode(b'{"paths": ["a", 1, null]}') == ["a"]
    assert decode(encode(["证件/驾驶证.jpg"]).strip()) == ["证件/驾驶证.jpg"]


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe leaves no file behind")
def test_a_stale_socket_from_a_crashed_instance_is_recovered(qtbot, qapp, tmp_path):
    name = server_name()
    path = os.path.join(QDir.tempPath(), name)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)  # bound, never listening, closed: the file stays, like after a crash
    stale.close()
    try:
        plain = QLocalServer()
        assert not plain.listen(name)  # what a naive instance would run into
        instance = InstanceServer(name)
        assert instance.listen() and instance.is_listening()
        # ...and it is a working server again.
        with qtbot.waitSignal(instance.activated, timeout=5000) as received:
            client = QLocalSocket()
            client.connectToServer(name)
            assert client.waitForConnected(2000)
            client.write(QByteArray(encode([])))
            client.flush()
        assert received.args == [[]]
        instance.close()
    finally:
        QLocalServer.removeServer(name)


def test_a_live_instance_is_never_taken_over(qtbot, server):
    newcomer = InstanceServer(server.name)
    assert not newcomer.listen()
    assert server.is_listening()
    with qtbot.waitSignal(server.activated, timeout=5000):
        client = QLocalSocket()
        client.connectToServer(server.name)
        assert client.waitForConnected(2000)
        client.write(QByteArray(encode(["x"])))
        client.flush()


def test_no_running_instance_or_a_hung_one_means_start_anew(qapp):
    name = server_name()
    assert not hand_off(name, ["x"], timeout_ms=500)
    hung = QLocalServer()  # accepts the connection, never answers
    assert hung.listen(name)
    try:
        assert not hand_off(name, ["x"], timeout_ms=500)
    finally:
        hung.close()


@cannot_raise
def test_a_second_launch_hands_its_file_over_and_exits_0(qtbot, window, server, tmp_path):
    # A relative path, as Explorer or a shell in the sample folder would pass it.
    second = subprocess.Popen([sys.executable, "-m", "dlscan_gui", "synthetic-back.jpg"],
                              cwd=SAMPLES, env=child_env(tmp_path), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    try:
        with qtbot.waitSignal(server.activated, timeout=60000) as received:
            pass
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=30000)
    finally:
        if second.poll() is None:
            second.kill()
        _out, err = second.communicate()
    assert second.returncode == 0, err.decode(errors="replace")
    assert received.args == [[str(SAMPLES / "synthetic-back.jpg")]]
    qtbot.waitUntil(lambda: window.current is not None, timeout=20000)
    assert window.current.image.name == "synthetic-back.jpg"
    log = (tmp_path / "logs" / "dlscan.log").read_text(encoding="utf-8")
    assert "already running: handed 1 file(s) over" in log
    qtbot.waitUntil(lambda: window.last_result is not None, timeout=60000)


def test_new_instance_starts_its_own_window(qtbot, server, tmp_path):
    received: list[list[str]] = []
    server.activated.connect(received.append)
    log = tmp_path / "logs" / "dlscan.log"
    own = subprocess.Popen([sys.executable, "-m", "dlscan_gui", "--new-instance"], cwd=REPO,
                           env=child_env(tmp_path), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        # The engine line is logged once the window is up, well after a hand-off would be.
        qtbot.waitUntil(lambda: log.exists() and "keyring backend" in log.read_text("utf-8"),
                        timeout=60000)
        assert own.poll() is None and received == []
    finally:
        own.kill()
        own.wait()
